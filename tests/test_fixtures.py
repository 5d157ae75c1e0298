"""The fixtures load on a fresh database (the test database is one) and loading them again
changes nothing and breaks no reference."""

from django.core.management import call_command

from resolutions.models import (
    AgendaListing,
    Citation,
    Document,
    Footnote,
    MemberState,
    Paragraph,
    RegionalGroup,
    Sponsorship,
)
from tests.conftest import FIXTURES

MODELS = [MemberState, Document, Paragraph, Footnote, Citation, Sponsorship, AgendaListing]


def snapshot():
    return {model.__name__: sorted(model.objects.values_list("pk", flat=True)) for model in MODELS}


def test_fixtures_hold_193_member_states_in_five_groups(db):
    assert MemberState.objects.count() == 193
    sizes = {
        group: MemberState.objects.filter(regional_group=group).count() for group in RegionalGroup
    }
    # The group sizes the UN's regional-groups page gives; WEOG's 29 include the United
    # States, which attends as an observer and counts there for elections.
    assert sizes == {
        RegionalGroup.AFRICAN: 54,
        RegionalGroup.ASIA_PACIFIC: 54,
        RegionalGroup.EASTERN_EUROPEAN: 23,
        RegionalGroup.LATIN_AMERICAN_CARIBBEAN: 33,
        RegionalGroup.WEOG: 29,
    }
    usa = MemberState.objects.get(iso3="USA")
    assert usa.group_observer
    assert MemberState.objects.filter(group_observer=True).count() == 1


def test_aliases_carry_older_and_short_names(db):
    assert "Turkey" in MemberState.objects.get(iso3="TUR").aliases
    assert "Netherlands" in MemberState.objects.get(iso3="NLD").aliases


def test_loading_the_fixtures_again_changes_nothing(db):
    before = snapshot()
    call_command("loaddata", *FIXTURES, verbosity=0)
    assert snapshot() == before
