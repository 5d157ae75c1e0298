"""Two pen holders at once never both win: of two conflicting proposals on one paragraph
accepted at the same moment, one is accepted and the other refused; of one proposal
accepted by one pen holder and rejected by another, one decision stands. Stances taken
while the proposal is withdrawn never land on a withdrawn proposal.

Real threads, each with its own database connection and an HTTP client, as in
test_concurrency (PostgreSQL in CI's second run, where the row locks do the work)."""

import pytest
from django.test import Client
from django.urls import reverse

from resolutions.models import Paragraph, Proposal, Stance
from tests.conftest import SEED_SLUG, load_seed_fixtures
from tests.factories import make_delegate, make_proposal
from tests.services.test_concurrency import run_in_threads


@pytest.fixture
def negotiation(transactional_db):
    load_seed_fixtures()
    op3 = Paragraph.objects.get(document__slug=SEED_SLUG, label="op3")
    norway, japan = make_delegate("lars", "Norway"), make_delegate("hiro", "Japan")
    pen_holders = [make_delegate(f"pen{i}", "Canada", editor=True) for i in range(2)]
    return op3, norway, japan, pen_holders


def decide(user, proposal, action, reason=""):
    client = Client()
    client.force_login(user)
    url = reverse("resolutions:proposal_action", args=[proposal.pk])
    return client.post(url, {"action": action, "reason": reason}).status_code


@pytest.mark.parametrize("kinds", [("amend", "amend"), ("amend", "delete")])
def test_two_pen_holders_accepting_conflicting_proposals_at_once_never_both_win(negotiation, kinds):
    op3, norway, japan, pen_holders = negotiation
    proposals = [
        make_proposal(norway, op3, op3.text.replace("Calls upon", "Encourages"), kind=kinds[0]),
        make_proposal(japan, op3, op3.text.replace("Calls upon", "Urges"), kind=kinds[1]),
    ]
    for _ in range(3):  # a race is a chance: give it several
        Proposal.objects.update(state="tabled", decided_by=None, closed_at=None)
        statuses = run_in_threads(2, lambda i: decide(pen_holders[i], proposals[i], "accept"))
        assert sorted(statuses) == [302, 400]
        assert Proposal.objects.filter(state="accepted").count() == 1
        assert Proposal.objects.filter(state="tabled").count() == 1


def test_one_pen_holder_accepting_while_another_rejects_leaves_one_decision(negotiation):
    op3, norway, _, pen_holders = negotiation
    proposal = make_proposal(norway, op3, op3.text.replace("Calls upon", "Encourages"))
    actions = [("accept", ""), ("reject", "Goes too far")]
    statuses = run_in_threads(2, lambda i: decide(pen_holders[i], proposal, *actions[i]))
    assert sorted(statuses) == [302, 400]
    proposal.refresh_from_db()
    winner = statuses.index(302)
    assert proposal.state == ("accepted", "rejected")[winner]
    assert proposal.decided_by == pen_holders[winner]
    assert proposal.revisions.count() == 1


def test_stances_taken_while_the_proposal_is_withdrawn_never_land_after_it(negotiation):
    op3, norway, _, _ = negotiation
    supporters = [make_delegate(f"d{i}", state) for i, state in enumerate(["Ghana", "Chile"])]
    proposal = make_proposal(norway, op3, op3.text.replace("Calls upon", "Encourages"))

    def act(index):
        client = Client()
        if index == 0:
            client.force_login(norway)
            action = "withdraw"
        else:
            client.force_login(supporters[index - 1])
            action = "support"
        url = reverse("resolutions:proposal_action", args=[proposal.pk])
        return client.post(url, {"action": action}).status_code

    statuses = run_in_threads(3, act)
    assert statuses[0] == 302
    proposal.refresh_from_db()
    assert proposal.state == "withdrawn"
    # Each stance was either recorded before the withdrawal or refused after it.
    recorded = Stance.objects.filter(proposal=proposal).count()
    assert recorded == statuses[1:].count(302)
    assert all(
        stance.updated_at <= proposal.closed_at
        for stance in Stance.objects.filter(proposal=proposal)
    )
