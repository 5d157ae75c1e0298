"""Proposals on the reading page and the proposals page, as the contracts say (the reading
page's ``form[data-proposal-form]`` in each paragraph; ``data-proposal-id`` elements with one
``form[data-proposal-action]`` per allowed action), each htmx view as a full page and as a
fragment, the JSON twin, and the query counts that must not grow with the data."""

import json

import pytest
from django.urls import reverse

from resolutions import services
from resolutions.models import (
    Annotation,
    Document,
    Paragraph,
    Proposal,
    ProposalRevision,
    Stance,
    User,
)
from tests.conftest import SEED_SLUG
from tests.factories import make_circle, make_delegate, make_document, make_proposal
from tests.markup import parse

READING = f"/documents/{SEED_SLUG}/"
PROPOSALS = f"/documents/{SEED_SLUG}/proposals/"
PROPOSALS_JSON = f"/documents/{SEED_SLUG}/proposals.json"
HTMX = {"HTTP_HX_REQUEST": "true"}
SEED_LABELS = [f"pp{i}" for i in range(1, 14)] + [f"op{i}" for i in range(1, 8)]
SEED_LABELS += ["op6-a", "op6-b"]

pytestmark = pytest.mark.django_db


@pytest.fixture
def op3(seed_document):
    return Paragraph.objects.get(document=seed_document, label="op3")


@pytest.fixture
def editor(db):
    """An editor of Canada: the pen holder while none is named."""
    return make_delegate("claire", "Canada", editor=True)


@pytest.fixture
def nordics(lars):
    sweden = make_delegate("astrid", "Sweden")
    return make_circle("Nordic group", lars, lars.delegation, sweden.delegation)


def encourages(paragraph: Paragraph) -> str:
    return paragraph.text.replace("Calls upon", "Encourages", 1)


def create_url(label="op3") -> str:
    return reverse("resolutions:proposal_create", args=[SEED_SLUG, label])


def action_url(proposal) -> str:
    return reverse("resolutions:proposal_action", args=[proposal.pk])


def page(client, url=READING):
    response = client.get(url)
    assert response.status_code == 200
    return parse(response.content.decode())


def proposal_element(client, proposal):
    return page(client, PROPOSALS).find(data_proposal_id=str(proposal.pk))


def actions_offered(element) -> list[str]:
    forms = element.find_all("form", data_proposal_action=True)
    buttons = [form.find_all("button", name="action") for form in forms]
    assert all(len(found) == 1 for found in buttons), "one button a form"
    return [found[0]["value"] for found in buttons]


# The reading page ------------------------------------------------------------------------------


def test_every_paragraph_holds_a_proposal_form_for_a_delegate(client, lars, nordics):
    client.force_login(lars)
    root = page(client)
    for label in SEED_LABELS:
        paragraph = root.find(id=label)
        forms = paragraph.find_all("form", data_proposal_form=True)
        assert len(forms) == 1, label
        form = forms[0]
        assert form["method"] == "post"
        assert form["action"] == create_url(label)
        assert {"kind", "text", "reason", "state", "circle"} <= form.field_names()
        assert form.find("select", name="kind").options() == ["amend", "delete", "insert"]
        assert form.find("select", name="state").options() == ["draft", "tabled"]
        assert form.find("select", name="circle").options() == ["", str(nordics.pk)]
        # Folded away beside the note form: the page stays calm.
        disclosure = paragraph.find("details", **{"class": "propose"})
        assert disclosure.find("summary").text.startswith("Propose wording")
        assert disclosure.find_all("form", data_proposal_form=True) == [form]
        assert paragraph.find_all("form", data_annotation_form=True)


def test_no_proposal_form_for_a_visitor_or_an_account_of_no_delegation(client, db):
    assert "data-proposal-form" not in client.get(READING).content.decode()
    client.force_login(User.objects.create_user("loner", password="a-long-test-password-76"))
    html = client.get(READING).content.decode()
    assert "data-annotation-form" in html
    assert "data-proposal-form" not in html


def test_a_tabled_proposal_shows_under_its_paragraph_as_a_tracked_change(
    client, lars, amina, op3, nordics
):
    client.force_login(lars)
    response = client.post(
        create_url(),
        {
            "kind": "amend",
            "text": encourages(op3),
            "reason": "Softer, to bring more on board",
            "state": "tabled",
            "circle": nordics.pk,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"{READING}#op3"
    proposal = Proposal.objects.get()
    assert (proposal.delegation, proposal.on_behalf_of, proposal.state) == (
        lars.delegation,
        nordics,
        "tabled",
    )
    assert "is tabled" in client.get(response["Location"]).content.decode()

    reader = client
    reader.force_login(amina)
    under_op3 = page(reader).find(id="op3").find("section", **{"class": "paragraph-proposals"})
    change = under_op3.find("p", **{"class": "proposed-text"})
    deleted, inserted = change.find("del"), change.find("ins")
    assert deleted.text == "[deleted: Calls upon"
    assert inserted.text == "[inserted: Encourages"
    # Announced by words, not colour alone: the labels are for screen readers.
    assert deleted.find("span", **{"class": "visually-hidden"}).text == "[deleted:"
    assert "Member States to be guided" in change.text
    meta = under_op3.find("p", **{"class": "proposal-meta"}).text
    assert meta == "Amend OP3 Tabled by Norway on behalf of Nordic group"
    assert "Softer, to bring more on board" in under_op3.text
    assert "Stances: none yet" in under_op3.text


def test_a_draft_stays_with_its_delegation_and_its_circle(client, lars, ingrid, amina, op3):
    make_proposal(lars, op3, "Draft wording of Norway alone", kind="insert", state="draft")
    for who, sees in ((lars, True), (ingrid, True), (amina, False)):
        client.force_login(who)
        assert ("Draft wording of Norway alone" in client.get(READING).content.decode()) is sees
        assert ("Draft wording of Norway alone" in client.get(PROPOSALS).content.decode()) is sees


def test_a_refused_proposal_comes_back_with_the_reason_and_the_words_typed(client, lars, op3):
    client.force_login(lars)
    for text, message in (
        ("", "Write the new wording of OP3, or propose to delete it."),
        (op3.text + "  ", "This wording is OP3 as it stands: change the words you want amended."),
    ):
        response = client.post(
            create_url(),
            {"kind": "amend", "text": text, "reason": "Typed reason", "state": "draft"},
        )
        assert response.status_code == 400
        op3_element = parse(response.content.decode()).find(id="op3")
        disclosure = op3_element.find("details", **{"class": "propose"})
        assert disclosure.has("open")
        assert message in disclosure.find("p", **{"class": "field-error"}).text
        assert disclosure.find("textarea", name="reason").text == "Typed reason"
    assert not Proposal.objects.exists()


def test_a_refused_proposal_comes_back_on_behalf_of_the_circle_chosen(client, lars, nordics, op3):
    nordics.name = "Nordic <group>"
    nordics.save()
    others = make_circle("Friends of OP3", lars, lars.delegation)
    client.force_login(lars)
    response = client.post(
        create_url(), {"kind": "amend", "text": "", "state": "draft", "circle": nordics.pk}
    )
    assert response.status_code == 400
    under_op3 = parse(response.content.decode()).find(id="op3")
    form = under_op3.find("form", data_proposal_form=True)
    options = form.find("select", name="circle").find_all("option")
    assert [(option["value"], option.text) for option in options] == [
        ("", "My delegation alone"),
        (str(others.pk), "Friends of OP3"),
        (str(nordics.pk), "Nordic <group>"),
    ]
    assert [option["value"] for option in options if option.has("selected")] == [str(nordics.pk)]
    # The note form under the same paragraph offers the circles too, none chosen.
    note_form = under_op3.find("form", **{"class": "note-form"})
    circles = note_form.find("select", name="circle").find_all("option")
    assert [option.text for option in circles] == ["Friends of OP3", "Nordic <group>"]
    assert not any(option.has("selected") for option in circles)


def test_a_note_refused_in_place_comes_back_for_the_circle_chosen(client, lars, nordics, op3):
    """The htmx twin: the margin that comes back keeps the circle the delegate chose."""
    others = make_circle("Friends of OP3", lars, lars.delegation)
    client.force_login(lars)
    fragment = client.post(
        reverse("resolutions:annotation_create", args=[SEED_SLUG, "op3"]),
        {"body": "", "visibility": "circle", "circle": nordics.pk, "tags": ""},
        **HTMX,
    )
    # Answered 200, so that htmx swaps the margin in: the refusal is said in it.
    assert fragment.status_code == 200
    margin = parse(fragment.content.decode())
    assert margin.find("p", **{"class": "field-error"})
    options = margin.find("select", name="circle").find_all("option")
    assert [(option["value"], option.text) for option in options] == [
        (str(others.pk), "Friends of OP3"),
        (str(nordics.pk), "Nordic group"),
    ]
    assert [option["value"] for option in options if option.has("selected")] == [str(nordics.pk)]


def test_a_proposal_from_an_account_of_no_delegation_is_refused(client, op3):
    client.force_login(User.objects.create_user("loner", password="a-long-test-password-76"))
    response = client.post(create_url(), {"kind": "amend", "text": encourages(op3)})
    assert response.status_code == 403
    assert "belongs to no delegation" in response.content.decode()
    assert not Proposal.objects.exists()


def test_a_proposal_on_a_superseded_version_is_refused(client, lars, op3):
    make_document(symbol="A/C.1/76/L.13/Rev.1", revision_of=op3.document)
    client.force_login(lars)
    response = client.post(
        create_url(), {"kind": "amend", "text": encourages(op3), "state": "tabled"}
    )
    assert response.status_code == 400
    assert "superseded by A/C.1/76/L.13/Rev.1" in response.content.decode()
    assert not Proposal.objects.exists()


def test_a_circle_the_delegation_is_not_in_is_refused(client, lars, amina, op3):
    theirs = make_circle("African Group", amina, amina.delegation)
    client.force_login(lars)
    response = client.post(
        create_url(), {"kind": "amend", "text": encourages(op3), "circle": theirs.pk}
    )
    assert response.status_code == 400
    assert "not a member of that circle" in response.content.decode()
    assert not Proposal.objects.exists()


def test_a_draft_for_a_circle_says_who_sees_it_and_shows_typed_markup_as_text(
    client, lars, nordics, op3
):
    nordics.name = 'Nordic <group> & "friends"'
    nordics.save()
    make_proposal(
        lars,
        op3,
        encourages(op3),
        kind="insert",
        state="draft",
        on_behalf_of=nordics,
        reason="<b>Bold</b> & brave",
    )
    client.force_login(lars)
    for url in (READING, PROPOSALS):
        html = client.get(url).content.decode()
        assert "<b>Bold</b>" not in html
        assert "&lt;b&gt;Bold&lt;/b&gt; &amp; brave" in html
        change = parse(html).find("div", **{"class": "tracked-change kind-insert"})
        assert change.find("p", **{"class": "proposal-meta"}).text == (
            'Insert OP3 bis Draft by Norway on behalf of Nordic <group> & "friends"'
        )
        assert change.find("span", **{"class": "proposal-bis"}).text == "OP3 bis"
        assert change.find("p", **{"class": "proposal-reason"}).text == "Why: <b>Bold</b> & brave"
        assert change.find("p", **{"class": "stance-summary"}).text == (
            'A draft, seen by Norway and the members of Nordic <group> & "friends" only.'
        )


def test_each_proposal_under_a_paragraph_links_to_its_place_on_the_proposals_page(
    client, lars, amina, op3
):
    lars.delegation.name = "Norway <mission>"
    lars.delegation.save()
    tabled = make_proposal(lars, op3, encourages(op3), state="tabled")
    accepted = make_proposal(lars, op3, "Urges all States", kind="insert")
    Proposal.objects.filter(pk=accepted.pk).update(state=Proposal.State.ACCEPTED)
    client.force_login(amina)
    under_op3 = page(client).find(id="op3").find("section", **{"class": "paragraph-proposals"})
    assert under_op3["aria-label"] == "Proposals on OP3"
    articles = under_op3.find_all("article")
    assert [article["class"] for article in articles] == [
        "proposal-change state-tabled",
        "proposal-change state-accepted",
    ]
    links = [article.find("p", **{"class": "proposal-links"}).find("a") for article in articles]
    assert [link["href"] for link in links] == [
        f"{PROPOSALS}#proposal-{tabled.pk}",
        f"{PROPOSALS}#proposal-{accepted.pk}",
    ]
    # Said in words for a screen reader, the delegation's name as typed.
    assert [link.text for link in links] == [
        "Stances and discussion: Amend OP3 by Norway <mission>",
        "See the proposal: Insert OP3 bis by Norway <mission>",
    ]


def test_a_busy_paragraph_shows_the_proposals_that_matter_to_the_reader_and_links_to_all(
    client, lars, amina, op3
):
    """Over three open or accepted proposals on a paragraph, the reading page shows three:
    what was accepted, then the reader's delegation's last tabled, then those awaiting its
    stance, then the most recently tabled, in reading order. A line before them says which and links
    to all of them on the proposals page."""
    from django.utils import timezone

    op2 = Paragraph.objects.get(document=op3.document, label="op2")
    kofi = make_delegate("kofi", "Ghana")
    norway = make_proposal(lars, op3, "Norway's words")
    older = make_proposal(kofi, op3, "Ghana's first words")
    accepted = make_proposal(amina, op3, "Nigeria's words")
    Proposal.objects.filter(pk=accepted.pk).update(state=Proposal.State.ACCEPTED)
    newer = make_proposal(kofi, op3, "Ghana's second words")
    newest = make_proposal(kofi, op3, "Ghana's third words")
    withdrawn = make_proposal(kofi, op3, "Ghana's withdrawn words")
    Proposal.objects.filter(pk=withdrawn.pk).update(state=Proposal.State.WITHDRAWN)

    def under_op3(reader):
        client.force_login(reader)
        root = page(client)
        section = root.find(id="op3").find("section", **{"class": "paragraph-proposals"})
        articles = section.find_all("article")
        links = [article.find("p", **{"class": "proposal-links"}).find("a") for article in articles]
        return [link["href"].rsplit("-", 1)[1] for link in links], section

    def line(section) -> str:
        return section.find("p", **{"class": "proposals-more"}).text

    # Norway has taken no stance on Ghana's three: the newest of them comes third.
    shown, section = under_op3(lars)
    assert shown == [str(norway.pk), str(accepted.pk), str(newest.pk)]
    # Said before the proposals, so that a screen reader hears first that some are left out.
    more = [child for child in section.children if not isinstance(child, str)][0]
    assert more.attrs["class"] == "proposals-more"
    assert more.text == (
        "Showing 3 of the 5 open or accepted: what was accepted, your delegation's and those "
        "awaiting your stance. All proposals on OP3"
    )
    assert more.find("a")["href"] == f"{PROPOSALS}#proposals-op3"
    # The link's place is there, and holds every one of them, the withdrawn one too.
    on_op3 = page(client, PROPOSALS).find(id="proposals-op3")
    assert len(on_op3.find_all(data_proposal_id=True)) == 6

    # Once Norway has said where it stands on the newest, the next one waiting takes its place.
    services.stance_record(newest, user=lars, position="supports")
    shown, section = under_op3(lars)
    assert shown == [str(norway.pk), str(accepted.pk), str(newer.pk)]

    # Norway's own proposals do not crowd out the others: one of them is shown, the last
    # tabled before a draft.
    make_proposal(lars, op3, "Norway's second thoughts", state="draft")
    shown, section = under_op3(lars)
    assert shown == [str(norway.pk), str(accepted.pk), str(newer.pk)]
    assert line(section).startswith(
        "Showing 3 of the 6 open or accepted: what was accepted, your delegation's and those "
        "awaiting your stance. "
    )

    shown, section = under_op3(amina)  # Nigeria's own proposal is the accepted one
    assert shown == [str(accepted.pk), str(newer.pk), str(newest.pk)]
    assert line(section).startswith(
        "Showing 3 of the 5 open or accepted: what was accepted and those awaiting your stance. "
    )

    # A reader in no delegation takes no stance: what was accepted, then the newest.
    shown, section = under_op3(User.objects.create_user("observer"))
    assert shown == [str(accepted.pk), str(newer.pk), str(newest.pk)]
    assert line(section).startswith(
        "Showing 3 of the 5 open or accepted: what was accepted and the newest. "
    )

    # The newest is the last tabled, not the last written.
    Proposal.objects.filter(pk=older.pk).update(tabled_at=timezone.now())
    op3.document.paragraphs.filter(pk=op3.pk).mark_changed()
    shown, _ = under_op3(amina)
    assert shown == [str(older.pk), str(accepted.pk), str(newest.pk)]

    # With three or fewer, a paragraph shows them all, and no line about more.
    make_proposal(lars, op2, "Norway's words on OP2")
    on_op2 = page(client).find(id="op2").find("section", **{"class": "paragraph-proposals"})
    assert len(on_op2.find_all("article")) == 1
    assert not on_op2.find_all("p", **{"class": "proposals-more"})

    # With only Norway's own, its older ones fill the places left.
    client.force_login(lars)
    for n in range(3):
        make_proposal(lars, op2, f"Norway's words on OP2, take {n + 2}")
    on_op2 = page(client).find(id="op2").find("section", **{"class": "paragraph-proposals"})
    assert len(on_op2.find_all("article")) == 3
    assert line(on_op2).startswith("Showing 3 of the 4 open or accepted: your delegation's. ")


def test_what_was_accepted_comes_first_and_a_superseded_version_awaits_no_stance(
    client, lars, amina, op3
):
    """Several accepted insertions take the places before the reader's own, and are named
    for what they are; on a version since revised, where no stance can be taken, nothing is
    said to await one."""
    kofi = make_delegate("kofi", "Ghana")
    make_proposal(lars, op3, "Norway's words")
    accepted = [
        make_proposal(kofi, op3, f"Ghana's new paragraph {n}", kind="insert") for n in range(3)
    ]
    Proposal.objects.filter(pk__in=[p.pk for p in accepted]).update(state=Proposal.State.ACCEPTED)
    waiting = make_proposal(amina, op3, "Nigeria's words")
    op3.document.paragraphs.filter(pk=op3.pk).mark_changed()
    client.force_login(lars)

    def under_op3():
        section = page(client).find(id="op3").find("section", **{"class": "paragraph-proposals"})
        shown = [
            article.find("p", **{"class": "proposal-links"}).find("a")["href"].rsplit("-", 1)[1]
            for article in section.find_all("article")
        ]
        return shown, section.find("p", **{"class": "proposals-more"}).text

    shown, line = under_op3()
    assert sorted(shown) == sorted(str(p.pk) for p in accepted)
    assert line.startswith("Showing 3 of the 5 open or accepted: what was accepted. ")

    Proposal.objects.filter(pk=accepted[0].pk).update(state=Proposal.State.TABLED)
    Proposal.objects.filter(pk__in=[p.pk for p in accepted[1:]]).delete()
    make_proposal(kofi, op3, "Ghana's other words")
    op3.document.paragraphs.filter(pk=op3.pk).mark_changed()
    shown, line = under_op3()
    assert str(waiting.pk) in shown
    assert "those awaiting your stance" in line

    make_document(symbol="A/C.1/76/L.13/Rev.1", revision_of=op3.document)
    Document.objects.filter(pk=op3.document.pk).mark_changed()
    shown, line = under_op3()
    assert "awaiting" not in line
    assert line.startswith(
        "Showing 3 of the 4 open or accepted: your delegation's and the newest. "
    )


def stance_world(op3, lars):
    """Norway's amendment of OP3, with the stances of seven delegations."""
    proposal = make_proposal(lars, op3, encourages(op3))
    for username, state, position in (
        ("kofi", "Ghana", "supports"),
        ("chidi", "Nigeria", "supports"),
        ("sven", "Sweden", "supports"),
        ("ewa", "Poland", "supports"),
        ("ana", "Chile", "can_accept"),
        ("hiro", "Japan", "objects"),
    ):
        services.stance_record(proposal, user=make_delegate(username, state), position=position)
    return proposal


EXPECTED_TALLY = (
    "supported by 4: African Group 2, EEG 1, WEOG 1; acceptable to 1: GRULAC 1; "
    "objected by 1: Asia-Pacific Group 1"
)


def test_stances_are_counted_by_regional_group(client, lars, op3):
    proposal = stance_world(op3, lars)
    client.force_login(lars)
    summary = page(client).find(id="op3").find("p", **{"class": "stance-summary"})
    assert summary.text == f"Stances: {EXPECTED_TALLY}"
    assert summary.find("abbr")["title"] == "African States"
    element = proposal_element(client, proposal)
    assert element.find("p", **{"class": "stance-summary"}).text == f"Stances: {EXPECTED_TALLY}"
    who = element.find("details", **{"class": "stance-list"}).text
    assert "Supported by: Ghana, Nigeria, Poland, Sweden" in who
    assert "Objected by: Japan" in who


def test_the_reading_page_shows_a_new_stance_at_once(client, lars, amina, op3):
    proposal = make_proposal(lars, op3, encourages(op3))
    client.force_login(lars)

    def summary():
        return page(client).find(id="op3").find("p", **{"class": "stance-summary"}).text

    assert summary() == "Stances: none yet"  # and now cached
    services.stance_record(proposal, user=amina, position="objects")
    assert summary() == "Stances: objected by 1: African Group 1"


def test_an_agreed_paragraph_says_so_on_the_reading_page(client, lars, editor, seed_document):
    services.paragraph_status_set(seed_document, user=editor, statuses={"pp1": "agreed_ad_ref"})
    client.force_login(lars)
    root = page(client)
    assert root.find(id="pp1").find("span", **{"class": "paragraph-status status-agreed_ad_ref"})
    assert not root.find(id="pp2").find_all("span", **{"class": "paragraph-status status-open"})


# The proposals page: what each reader may do ------------------------------------------------


def test_each_proposal_shows_its_text_and_reason_and_the_buttons_its_reader_may_press(
    client, lars, amina, editor, op3
):
    proposal = make_proposal(lars, op3, encourages(op3), reason="Closer to 2021")
    readers = {
        amina: ["support", "accept_stance", "object"],
        lars: ["withdraw"],
        editor: ["support", "accept_stance", "object", "accept", "reject"],
    }
    for reader, expected in readers.items():
        client.force_login(reader)
        element = proposal_element(client, proposal)
        assert "Encourages" in element.text
        assert "Closer to 2021" in element.text
        assert actions_offered(element) == expected, reader
        for form in element.find_all("form", data_proposal_action=True):
            assert form["action"] == action_url(proposal)
            assert form["method"] == "post"
            value = form.find("button", name="action")["value"]
            assert ("reason" in form.field_names()) is (value in {"accept", "reject"})


def test_a_draft_offers_its_delegation_the_edit_form_and_no_stance(client, lars, op3):
    draft = make_proposal(lars, op3, encourages(op3), state="draft")
    client.force_login(lars)
    element = proposal_element(client, draft)
    assert actions_offered(element) == []
    edit = element.find("form", action=reverse("resolutions:proposal_edit", args=[draft.pk]))
    assert {"kind", "text", "reason", "state", "circle", "version"} <= edit.field_names()


def test_a_closed_proposal_offers_nothing(client, lars, amina, op3):
    proposal = make_proposal(lars, op3, encourages(op3))
    services.proposal_withdraw(proposal, user=lars)
    for reader in (lars, amina):
        client.force_login(reader)
        element = proposal_element(client, proposal)
        assert actions_offered(element) == []
        assert "Withdrawn" in element.text


@pytest.mark.parametrize(
    ("action", "position"),
    [("support", "supports"), ("accept_stance", "can_accept"), ("object", "objects")],
)
def test_a_stance_by_plain_post_and_by_htmx(client, lars, amina, op3, action, position):
    proposal = make_proposal(lars, op3, encourages(op3))
    client.force_login(amina)
    response = client.post(action_url(proposal), {"action": action})
    assert response.status_code == 302
    assert response["Location"] == f"{PROPOSALS}#proposal-{proposal.pk}"
    assert Stance.objects.get().position == position
    Stance.objects.all().delete()
    fragment = client.post(action_url(proposal), {"action": action}, **HTMX)
    assert fragment.status_code == 200
    assert "HX-Request" in fragment["Vary"]
    html = fragment.content.decode()
    assert html.lstrip().startswith("<article")
    assert f'data-proposal-id="{proposal.pk}"' in html
    assert 'aria-pressed="true"' in html
    assert Stance.objects.get().position == position


def test_the_delegation_withdraws(client, lars, op3):
    proposal = make_proposal(lars, op3, encourages(op3))
    client.force_login(lars)
    response = client.post(action_url(proposal), {"action": "withdraw"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == "withdrawn"


def test_the_pen_holder_accepts_and_rejects(client, lars, amina, editor, op3):
    first = make_proposal(lars, op3, encourages(op3))
    second = make_proposal(amina, op3, op3.text.replace("Calls upon", "Urges"))
    client.force_login(editor)
    assert client.post(action_url(first), {"action": "accept"}).status_code == 302
    refused = client.post(action_url(second), {"action": "accept"})
    assert refused.status_code == 400
    element = parse(refused.content.decode()).find(data_proposal_id=str(second.pk))
    assert "OP3 already has an accepted amendment (Norway's)" in element.find(role="alert").text
    no_reason = client.post(action_url(second), {"action": "reject", "reason": ""})
    assert no_reason.status_code == 400
    assert "Say why the proposal is rejected" in no_reason.content.decode()
    done = client.post(action_url(second), {"action": "reject", "reason": "Not consensual"})
    assert done.status_code == 302
    second.refresh_from_db()
    assert (second.state, second.decision_reason, second.decided_by) == (
        "rejected",
        "Not consensual",
        editor,
    )
    client.force_login(amina)
    assert "Rejected by the pen holder (claire)" in proposal_element(client, second).text
    assert "Not consensual" in proposal_element(client, second).text


def test_a_refused_action_says_why_at_the_proposal(client, lars, ingrid, op3):
    proposal = make_proposal(lars, op3, encourages(op3))
    client.force_login(ingrid)
    response = client.post(action_url(proposal), {"action": "support"})
    assert response.status_code == 403
    element = parse(response.content.decode()).find(data_proposal_id=str(proposal.pk))
    assert "a delegation takes no stance on its own proposal" in element.find(role="alert").text
    fragment = client.post(action_url(proposal), {"action": "support"}, **HTMX)
    assert fragment.status_code == 200
    assert "no stance on its own proposal" in fragment.content.decode()
    unknown = client.post(action_url(proposal), {"action": "abstain"})
    assert unknown.status_code == 400
    assert "Choose what to do with the proposal" in unknown.content.decode()
    assert not Stance.objects.exists()


def test_another_delegations_draft_is_not_found_anywhere(client, lars, amina, op3):
    draft = make_proposal(lars, op3, encourages(op3), state="draft")
    client.force_login(amina)
    for url in (
        action_url(draft),
        reverse("resolutions:proposal_edit", args=[draft.pk]),
        reverse("resolutions:proposal_discuss", args=[draft.pk]),
    ):
        assert client.post(url, {"action": "support", "body": "x"}).status_code == 404
    assert client.get(reverse("resolutions:proposal_edit", args=[draft.pk])).status_code == 404


def test_visitors_are_asked_to_log_in(client, lars, op3):
    proposal = make_proposal(lars, op3, encourages(op3))
    for response in (
        client.get(PROPOSALS),
        client.get(PROPOSALS_JSON),
        client.post(action_url(proposal), {"action": "support"}),
        client.post(create_url(), {"kind": "delete"}),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    assert not Stance.objects.exists()


def test_the_history_keeps_a_drafts_words_with_its_delegation(client, lars, amina, op3):
    draft = make_proposal(lars, op3, op3.text.replace("Calls upon", "Demands"), state="draft")
    services.proposal_update(
        draft, editor=lars, version=1, kind="amend", text=encourages(op3), state="tabled"
    )
    client.force_login(lars)
    history = proposal_element(client, draft).find("details", **{"class": "proposal-history"})
    assert "Version 1" in history.text
    assert "Demands" in history.text
    client.force_login(amina)
    element = proposal_element(client, draft)
    history = element.find("details", **{"class": "proposal-history"})
    assert "Demands" not in element.text
    assert "1 earlier version was a draft seen by Norway only" in history.text


def test_the_discussion_of_a_proposal(client, lars, amina, op3):
    proposal = make_proposal(lars, op3, encourages(op3))
    url = reverse("resolutions:proposal_discuss", args=[proposal.pk])
    client.force_login(amina)
    response = client.post(url, {"body": "Why drop the call?"})
    assert response.status_code == 302
    assert response["Location"] == f"{PROPOSALS}#discussion-{proposal.pk}"
    fragment = client.post(url, {"body": "And a second thought"}, **HTMX)
    assert fragment.status_code == 200
    assert fragment.content.decode().lstrip().startswith("<article")
    thread = Annotation.objects.get(proposal=proposal)
    assert list(thread.replies.values_list("body", flat=True)) == ["And a second thought"]
    client.force_login(lars)
    discussion = proposal_element(client, proposal).find(id=f"discussion-{proposal.pk}")
    assert "Why drop the call?" in discussion.text
    assert "And a second thought" in discussion.text
    # On the reading page the thread is a public note on OP3 that leads to the proposal.
    margin = page(client).find(id="notes-op3")
    assert "Why drop the call?" in margin.text
    assert margin.find("a", href=f"{PROPOSALS}#proposal-{proposal.pk}")
    empty = client.post(url, {"body": "   "})
    assert empty.status_code == 400
    assert "Write something in the reply" in empty.content.decode()


# Editing a draft ----------------------------------------------------------------------------


def edit_url(proposal) -> str:
    return reverse("resolutions:proposal_edit", args=[proposal.pk])


def test_a_colleague_edits_and_tables_the_draft(client, lars, ingrid, op3):
    draft = make_proposal(lars, op3, encourages(op3), state="draft")
    client.force_login(ingrid)
    form = page(client, edit_url(draft)).find("form", action=edit_url(draft))
    assert form.find("input", name="version")["value"] == "1"
    response = client.post(
        edit_url(draft),
        {"version": 1, "kind": "delete", "text": "", "reason": "Cut it", "state": "tabled"},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.kind, draft.state, draft.version) == ("delete", "tabled", 2)
    assert "can no longer be edited" in client.get(edit_url(draft)).content.decode()
    again = client.post(
        edit_url(draft), {"version": 2, "kind": "amend", "text": encourages(op3), "state": "draft"}
    )
    assert again.status_code == 400
    assert "can no longer be changed" in again.content.decode()


def test_an_edit_that_comes_too_late_keeps_the_delegates_words(client, lars, ingrid, op3):
    draft = make_proposal(lars, op3, encourages(op3), state="draft")
    services.proposal_update(
        draft, editor=ingrid, version=1, kind="amend", text=op3.text.replace("Calls", "Urges")
    )
    client.force_login(lars)
    mine = op3.text.replace("Calls upon", "Requests")
    response = client.post(
        edit_url(draft), {"version": 1, "kind": "amend", "text": mine, "state": "draft"}
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "saved this draft while you were editing it" in html
    form = parse(html).find("form", action=edit_url(draft))
    assert form.find("textarea", name="text").text == mine
    assert form.find("input", name="version")["value"] == "2"
    draft.refresh_from_db()
    assert draft.text == op3.text.replace("Calls", "Urges")


# The pen holder ---------------------------------------------------------------------------


def test_the_pen_holder_marks_the_preamble_agreed_ad_ref(client, editor, lars, seed_document):
    client.force_login(editor)
    status_form = page(client, PROPOSALS).find(id="paragraph-status").find("form")
    assert {*SEED_LABELS} <= status_form.field_names()
    response = client.post(
        reverse("resolutions:paragraph_status", args=[SEED_SLUG]),
        {f"pp{i}": "agreed_ad_ref" for i in range(1, 14)},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{PROPOSALS}#paragraph-status"
    statuses = dict(seed_document.paragraphs.values_list("label", "status"))
    assert {statuses[f"pp{i}"] for i in range(1, 14)} == {"agreed_ad_ref"}
    assert statuses["op1"] == "open"
    client.force_login(lars)
    assert not page(client, PROPOSALS).find_all(id="paragraph-status")
    refused = client.post(
        reverse("resolutions:paragraph_status", args=[SEED_SLUG]), {"op1": "agreed"}
    )
    assert refused.status_code == 403
    assert "Only the pen holders of A/C.1/76/L.13 mark paragraphs agreed" in (
        refused.content.decode()
    )
    assert seed_document.paragraphs.get(label="op1").status == "open"


def test_an_unknown_status_is_refused(client, editor, seed_document):
    client.force_login(editor)
    response = client.post(
        reverse("resolutions:paragraph_status", args=[SEED_SLUG]), {"pp1": "done"}
    )
    assert response.status_code == 400
    assert "Choose open, agreed ad ref or agreed for PP1" in response.content.decode()


def test_editors_name_the_pen_holders(client, editor, lars, op3):
    proposal = make_proposal(make_delegate("hiro", "Japan"), op3, encourages(op3))
    url = reverse("resolutions:pen_holders", args=[SEED_SLUG])
    client.force_login(lars)
    assert client.post(url, {"delegations": [lars.delegation.pk]}).status_code == 403
    client.force_login(editor)
    form = page(client, PROPOSALS).find(id="pen-holders").find("form", action=url)
    assert str(lars.delegation.pk) in {
        box["value"] for box in form.find_all("input", name="delegations")
    }
    assert client.post(url, {"delegations": [lars.delegation.pk]}).status_code == 302
    assert list(Document.objects.get(slug=SEED_SLUG).pen_holders.all()) == [lars.delegation]
    assert "accept" not in actions_offered(proposal_element(client, proposal))
    client.force_login(lars)
    assert "accept" in actions_offered(proposal_element(client, proposal))
    assert "Held by Norway" in page(client, PROPOSALS).find(id="pen-holders").text


# The JSON twin ------------------------------------------------------------------------------


def test_the_json_lists_every_proposal_the_reader_may_see(client, lars, amina, op3, nordics):
    make_proposal(lars, op3, "A draft for Norway only", kind="insert", state="draft")
    proposal = stance_world(op3, lars)
    Proposal.objects.filter(pk=proposal.pk).update(on_behalf_of=nordics, reason="Softer")
    client.force_login(amina)
    data = json.loads(client.get(PROPOSALS_JSON).content)
    assert data["document"]["symbol"] == "A/C.1/76/L.13"
    [entry] = data["proposals"]
    assert {
        key: entry[key]
        for key in (
            "id",
            "paragraph_label",
            "paragraph_display_label",
            "kind",
            "delegation",
            "on_behalf_of",
            "state",
            "text",
            "reason",
        )
    } == {
        "id": proposal.pk,
        "paragraph_label": "op3",
        "paragraph_display_label": "OP3",
        "kind": "amend",
        "delegation": "Norway",
        "on_behalf_of": "Nordic group",
        "state": "tabled",
        "text": encourages(op3),
        "reason": "Softer",
    }
    assert entry["stances"] == {
        "Chile": "can_accept",
        "Ghana": "supports",
        "Japan": "objects",
        "Nigeria": "supports",
        "Poland": "supports",
        "Sweden": "supports",
    }
    assert entry["stance_counts"]["supports"] == {
        "total": 4,
        "by_regional_group": {"African Group": 2, "EEG": 1, "WEOG": 1},
    }
    assert entry["changes"][:2] == [
        {"op": "delete", "text": "Calls upon"},
        {"op": "insert", "text": "Encourages"},
    ]
    client.force_login(lars)
    mine = json.loads(client.get(PROPOSALS_JSON).content)["proposals"]
    assert [p["display_label"] for p in mine] == ["OP3", "OP3 bis"]


# Queries that do not grow with the data ------------------------------------------------------


def many_proposals(op3, lars, editor, count=12):
    """Proposals on every kind of paragraph and in every state, with stances, history and
    discussion."""
    paragraphs = list(Paragraph.objects.filter(document=op3.document))
    supporters = [make_delegate(f"s{i}", s) for i, s in enumerate(["Ghana", "Chile", "Poland"])]
    for i in range(count):
        paragraph = paragraphs[i % len(paragraphs)]
        proposal = make_proposal(
            lars, paragraph, f"New words {i}", kind="insert", state="draft", reason=f"r{i}"
        )
        services.proposal_update(
            proposal,
            editor=lars,
            version=1,
            kind="insert",
            text=f"Newer words {i}",
            state="tabled",
        )
        for supporter in supporters:
            services.stance_record(proposal, user=supporter, position="supports")
        services.proposal_discuss(proposal, author=supporters[0], body=f"Comment {i}")
        services.proposal_discuss(proposal, author=lars, body=f"Answer {i}")
        if i % 3 == 0:
            services.proposal_decide(proposal, user=editor, decision="accept")


def test_the_proposals_page_costs_the_same_whatever_the_data(
    client, lars, editor, op3, django_assert_num_queries
):
    client.force_login(editor)
    make_proposal(lars, op3, encourages(op3))
    # Session, user (and whether an editor), document, then: the standing (its revision, its
    # pen holders), paragraphs, proposals, stances, history seen and counted, discussion threads,
    # their replies and tags, circles, pen holders' names, the delegations to name.
    # One more: the header's unread count (Inbox (3)).
    with django_assert_num_queries(17) as few:
        client.get(PROPOSALS)
    many_proposals(op3, lars, editor)
    with django_assert_num_queries(len(few.captured_queries)):
        root = parse(client.get(PROPOSALS).content.decode())
    assert len(root.find_all(data_proposal_id=True)) == 13
    assert len(root.find_all("form", data_proposal_action=True)) > 13


def test_the_reading_page_costs_the_same_with_many_proposals_and_stances(
    client, lars, editor, op3, django_assert_num_queries
):
    client.force_login(lars)
    # The text and notes (13), the proposals, their stances and the reader's circles (3),
    # the document's pen holders (1) and its versions (1).
    # One more: the header's unread count (Inbox (3)); one more, the paragraphs' versions.
    with django_assert_num_queries(20) as none:
        client.get(READING)
    many_proposals(op3, lars, editor)
    # Every part rendered again, as for the first view: the text as well.
    Document.objects.filter(pk=op3.document_id).mark_changed()
    with django_assert_num_queries(len(none.captured_queries)):
        html = client.get(READING).content.decode()
    assert html.count('class="proposal-change') == 12
    # One more: the header's unread count (Inbox (3)); one more, the paragraphs' versions.
    with django_assert_num_queries(5):  # cached for the reader until a paragraph changes
        client.get(READING)


def test_the_json_costs_the_same_whatever_the_data(
    client, lars, editor, op3, django_assert_num_queries
):
    client.force_login(editor)
    with django_assert_num_queries(5) as none:
        client.get(PROPOSALS_JSON)
    many_proposals(op3, lars, editor)
    with django_assert_num_queries(len(none.captured_queries)):
        data = json.loads(client.get(PROPOSALS_JSON).content)
    assert len(data["proposals"]) == 12
    assert ProposalRevision.objects.exists()


@pytest.mark.usefixtures("each_cache")
def test_a_tracked_change_is_worked_out_once_for_every_reader_and_anew_when_edited(
    client, lars, ingrid, amina, op3
):
    """The word-by-word change is kept under the paragraph's words and the proposal's:
    a second reader and the proposals page take it from the cache, and an edit, which
    changes the words, shows the new change at once."""
    from tests.caching import cached_keys

    draft = services.proposal_create(
        author=lars, paragraph=op3, kind="amend", text=encourages(op3), state="draft"
    )
    client.force_login(lars)
    assert "[inserted: Encourages" in page(client).find(id="op3").text
    kept = set(cached_keys("word-changes."))
    assert len(kept) == 1
    client.force_login(ingrid)
    assert "[inserted: Encourages" in page(client).find(id="op3").text
    assert "[inserted: Encourages" in page(client, PROPOSALS).text
    assert set(cached_keys("word-changes.")) == kept
    services.proposal_update(
        draft,
        editor=ingrid,
        version=draft.version,
        kind="amend",
        text=op3.text.replace("Calls upon", "Urges"),
        state="tabled",
    )
    client.force_login(amina)
    under_op3 = page(client).find(id="op3").text
    assert "[inserted: Urges" in under_op3
    assert "Encourages" not in under_op3
    assert len(set(cached_keys("word-changes.")) - kept) == 1
