import re

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F

from resolutions.management.commands.seed_load import (
    EXTRA_LIST_LABEL,
    SYNTHETIC_SYMBOLS,
    USERNAME_PREFIX,
)
from resolutions.models import (
    Annotation,
    AnnotationRevision,
    Document,
    FollowUpAction,
    SponsorList,
    User,
)


def seed_load(**options):
    defaults = {"annotations": 200, "users": 6, "delegations": 3, "seed": 1, "verbosity": 0}
    call_command("seed_load", **{**defaults, **options})


def synthetic_notes():
    return Annotation.objects.filter(author__username__startswith=USERNAME_PREFIX)


def snapshot():
    """What the command made, without the ids and times that differ between runs."""
    notes = synthetic_notes().select_related("author", "paragraph", "reply_to")
    return sorted(
        (
            note.author.username,
            note.author.delegation.name,
            note.paragraph.label,
            note.body,
            note.quote,
            note.visibility,
            note.resolved,
            note.version,
            note.reply_to.body if note.reply_to else "",
            tuple(sorted(tag.name for tag in note.tags.all())),
        )
        for note in notes
    )


@pytest.fixture
def debug_on(settings):
    settings.DEBUG = True


def test_seed_load_makes_the_counts_asked_for(db, debug_on, seed_document):
    seed_load(annotations=200, users=6, delegations=3)

    users = User.objects.filter(username__startswith=USERNAME_PREFIX)
    assert users.count() == 6
    assert users.values("delegation").distinct().count() == 3
    assert synthetic_notes().count() == 200
    assert synthetic_notes().filter(reply_to__isnull=False).count() == 50
    assert set(synthetic_notes().values_list("paragraph__document", flat=True)) == {
        seed_document.pk
    }
    drafts = Document.objects.filter(symbol__in=SYNTHETIC_SYMBOLS)
    assert drafts.count() == 4
    for draft in drafts:
        assert draft.sponsor_lists.count() == 2
        assert draft.paragraphs.count() == seed_document.paragraphs.count()
    assert SponsorList.objects.filter(document=seed_document, label=EXTRA_LIST_LABEL).exists()
    actions = FollowUpAction.objects.filter(created_by__in=users)
    assert 3 * 3 <= actions.count() <= 3 * 6


def test_seed_load_mixes_visibilities_tags_quotes_and_edits_like_delegates(
    db, debug_on, seed_document
):
    seed_load(annotations=400)
    notes = synthetic_notes()

    assert set(notes.values_list("visibility", flat=True)) == {
        "private",
        "delegation",
        "public",
    }
    assert notes.filter(tags__isnull=False).exists()
    assert notes.exclude(quote="").exists()
    for note in notes.exclude(quote="").select_related("paragraph"):
        assert note.quote in re.sub(r"\s+", " ", note.paragraph.text)
    for note in notes.filter(version__gt=1):
        assert note.revisions.count() == note.version - 1
    assert AnnotationRevision.objects.filter(annotation__in=notes).exists()


def test_seed_load_replies_come_from_people_who_can_see_the_thread(db, debug_on, seed_document):
    seed_load(annotations=200)

    for reply in synthetic_notes().filter(reply_to__isnull=False).select_related("reply_to"):
        assert reply.paragraph_id == reply.reply_to.paragraph_id
        assert reply.visibility == reply.reply_to.visibility
        assert Annotation.objects.visible_to(reply.author).filter(pk=reply.reply_to_id).exists()


def test_seed_load_gives_the_same_data_for_the_same_seed(db, debug_on, seed_document):
    seed_load(seed=7)
    first = snapshot()
    seed_load(seed=7)

    assert snapshot() == first
    assert synthetic_notes().count() == 200
    assert Document.objects.filter(symbol__in=SYNTHETIC_SYMBOLS).count() == 4


def test_seed_load_gives_other_data_for_another_seed(db, debug_on, seed_document):
    seed_load(seed=7)
    first = snapshot()
    seed_load(seed=8)

    assert snapshot() != first


def test_seed_load_refuses_to_run_with_debug_off(db, settings, seed_document):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG is off"):
        seed_load()

    assert not User.objects.filter(username__startswith=USERNAME_PREFIX).exists()
    assert not Document.objects.filter(symbol__in=SYNTHETIC_SYMBOLS).exists()


def test_seed_load_runs_with_debug_off_when_forced(db, settings, seed_document):
    settings.DEBUG = False

    seed_load(annotations=20, force=True)

    assert synthetic_notes().count() == 20


def test_seed_load_with_no_annotations_still_makes_users_and_lists(db, debug_on, seed_document):
    seed_load(annotations=0)

    assert not synthetic_notes().exists()
    assert User.objects.filter(username__startswith=USERNAME_PREFIX).count() == 6
    assert Document.objects.filter(symbol__in=SYNTHETIC_SYMBOLS).count() == 4


def test_seed_load_refuses_fewer_users_than_delegations(db, debug_on, seed_document):
    with pytest.raises(CommandError, match="at least as many users as delegations"):
        seed_load(users=2, delegations=3)


def test_seed_load_leaves_synthetic_delegates_unable_to_log_in_by_default(
    db, debug_on, seed_document
):
    seed_load(annotations=0)

    assert not any(
        user.has_usable_password()
        for user in User.objects.filter(username__startswith=USERNAME_PREFIX)
    )


def test_seed_load_negotiates_the_seed_draft_when_asked(db, debug_on, seed_document):
    """``--proposals`` and ``--circles``: tabled proposals on the seed draft with stances of
    other delegations, some on behalf of a circle their delegation is in; run again, the
    same amount, not twice as much."""
    from resolutions.models import Circle, Paragraph, Proposal, Stance

    for _ in range(2):
        seed_load(annotations=0, users=9, delegations=6, proposals=60, circles=4)
        proposals = Proposal.objects.filter(document=seed_document)
        assert proposals.count() == 60
        assert set(proposals.values_list("state", flat=True)) == {"tabled"}
        assert set(proposals.values_list("kind", flat=True)) == {"amend", "delete", "insert"}
        assert Circle.objects.count() == 4
        assert Stance.objects.exclude(delegation=F("proposal__delegation")).count() == (
            Stance.objects.count()
        )
        assert Stance.objects.count() > 60
        for proposal in proposals.filter(on_behalf_of__isnull=False):
            assert proposal.on_behalf_of.memberships.filter(
                delegation=proposal.delegation, joined_at__isnull=False
            ).exists()
        assert Paragraph.objects.filter(document=seed_document, status="agreed_ad_ref").exists()
    seed_load(annotations=0, users=6, delegations=3)
    assert not Proposal.objects.exists()
    assert not Circle.objects.exists()
    assert not Paragraph.objects.exclude(status="open").exists()
