"""The follow-up tracker: sessions, history, milestones (editors), what the draft asks for, a
delegation's own actions (only it sees them), the home page's next items, and the tracker's
fixed number of queries; each htmx view both as a full page and as an htmx fragment."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from resolutions import services
from resolutions.models import (
    AgendaItem,
    AgendaListing,
    FollowUp,
    FollowUpAction,
    Milestone,
    Paragraph,
    TimelineEntry,
)
from resolutions.models.follow_up import date_range, parse_sources
from resolutions.pages.tracker import group_actions
from tests.conftest import FIXTURES, SEED_SLUG
from tests.factories import make_delegate, make_document

SLUG = "ict-international-security"
TRACKER = f"/agenda/{SLUG}/"
HTMX = {"HTTP_HX_REQUEST": "true"}
TODAY = timezone.localdate()


@pytest.fixture
def item(db):
    return AgendaItem.objects.get(slug=SLUG)


@pytest.fixture
def editor(db):
    return make_delegate("eve", "Ireland", editor=True)


def paragraph(label: str) -> Paragraph:
    return Paragraph.objects.get(document__slug=SEED_SLUG, label=label)


def make_action(user, item, *, days=7, **fields) -> FollowUpAction:
    return FollowUpAction.objects.create(
        agenda_item=item,
        delegation=user.delegation,
        created_by=user,
        title=fields.pop("title", "Send our views to the Secretary-General"),
        due_date=TODAY + datetime.timedelta(days=days),
        **fields,
    )


def post_action(client, htmx=False, **data):
    fields = {
        "title": "Send our views to the Secretary-General",
        "due_date": (TODAY + datetime.timedelta(days=10)).isoformat(),
        "status": "open",
        "note": "Draft with the capital's cyber desk",
        "owner": "",
        "paragraph": "",
    }
    fields.update(data)
    url = reverse("resolutions:action_create", args=[SLUG])
    return client.post(url, fields, **(HTMX if htmx else {}))


def section(html: str, element_id: str) -> str:
    """The HTML of the element with ``id``, up to the start of the next section."""
    start = html.index(f'id="{element_id}"')
    end = html.find("<section", start)
    return html[start : end if end != -1 else len(html)]


# The item, its sessions and its history ---------------------------------------------------


def test_agenda_list_links_each_tracker(client, item):
    html = client.get("/agenda/").content.decode()
    assert f'href="{TRACKER}"' in html
    assert item.title in html


def test_tracker_lists_the_item_session_by_session(client, item):
    response = client.get(TRACKER)
    assert response.status_code == 200
    html = section(response.content.decode(), "sessions")
    rows = re.findall(
        r"<tr>\s*<th scope=\"row\">(.*?)</th>\s*<td>(.*?)</td>\s*<td>(.*?)</td>", html, re.S
    )
    # A session whose number is not yet known says when it opens (or opened, as of the day the
    # page is read; tests/pages/test_tracker_next.py pins the day).
    verb = "opens" if timezone.localdate() < datetime.date(2026, 9, 8) else "opened"
    assert [(session, re.sub(r"<[^>]+>", "", number)) for session, number, _ in rows] == [
        ("Seventy-sixth session", "Item 95"),
        ("Seventy-seventh session", "Number not yet known; the session opened 13 September 2022"),
        ("Eightieth session", "Item 94"),
        ("Eighty-first session", f"Number not yet known; the session {verb} 8 September 2026"),
    ]
    assert 'href="/documents/a-c1-76-l13/">A/C.1/76/L.13</a>' in rows[0][2]
    assert "operative paragraph 7 of A/C.1/76/L.13" in html


def test_timeline_shows_the_28_recalled_resolutions_and_decisions_in_date_order(client, item):
    html = client.get(TRACKER).content.decode()
    recalled = html[html.index('data-timeline="recalled"') : html.index('data-timeline="draft"')]
    entries = re.findall(r'data-date="([\d-]+)" data-symbol="([^"]+)"', recalled)
    assert len(entries) == 28
    dates = [date for date, _ in entries]
    assert dates == sorted(dates)
    assert entries[0] == ("1988-12-07", "A/RES/43/78H")
    assert entries[-1] == ("2021-04-28", "A/DEC/75/564")
    assert ("2019-12-12", "A/RES/74/28") in entries
    assert ("2019-12-12", "A/RES/74/29") in entries
    assert ("2017-12-04", "A/DEC/72/512") in entries
    assert 'href="https://undocs.org/A/RES/43/78H"' in recalled
    assert 'href="/documents/a-c1-76-l13/#pp1"' in html


def test_recalled_dates_are_the_ones_pp1_gives(db, item):
    pp1 = paragraph("pp1").text
    entries = TimelineEntry.objects.filter(stage=TimelineEntry.Stage.RECALLED)
    assert entries.count() == 28
    assert {e.kind for e in entries} == {"resolution", "decision"}
    assert entries.filter(kind="decision").count() == 2
    for entry in entries:
        assert entry.source_paragraph == paragraph("pp1")
        after = pp1[pp1.index(entry.text) :]
        first_date = re.search(r"of (\d{1,2} \w+ \d{4})", after).group(1)
        assert first_date == f"{entry.date.day} {entry.date:%B %Y}", entry.text


def test_timeline_goes_on_with_the_draft_and_what_followed(client, item):
    html = section(client.get(TRACKER).content.decode(), "history")
    entries = re.findall(r'data-date="([\d-]+)" data-symbol="([^"]+)"', html)
    assert len(entries) == 34
    assert [date for date, _ in entries] == sorted(date for date, _ in entries)
    assert entries[28:] == [
        ("2021-10-08", "A/C.1/76/L.13"),
        ("2021-12-06", "A/RES/76/19"),
        ("2022-12-07", "A/DEC/77/512"),
        ("2023-12-22", "A/DEC/78/541"),
        ("2024-12-24", "A/RES/79/237"),
        ("2025-12-01", "A/RES/80/16"),
    ]
    # The app holds the draft: the entry links its page as well as the UN's.
    draft = html[html.index('data-symbol="A/C.1/76/L.13"') :]
    draft = draft[: draft.index("</li>")]
    assert 'href="https://undocs.org/A/C.1/76/L.13"' in draft
    assert f'href="/documents/{SEED_SLUG}/"' in draft
    # That 76/19 is this draft is reported, not stated in a UN document.
    res_76_19 = html[html.index('data-symbol="A/RES/76/19"') :]
    res_76_19 = res_76_19[: res_76_19.index("</li>")]
    assert (
        "is-reported" in html[html.rindex("<li", 0, html.index('data-symbol="A/RES/76/19"')) :][:80]
    )
    assert "reported" in res_76_19
    assert "https://undocs.org/A/RES/80/16" in res_76_19


def test_timeline_links_the_apps_page_when_it_holds_the_document(client, item):
    held = make_document(symbol="A/RES/75/240", kind="resolution")
    html = section(client.get(TRACKER).content.decode(), "history")
    entry = html[html.index('data-symbol="A/RES/75/240"') :]
    entry = entry[: entry.index("</li>")]
    assert f'href="{held.get_absolute_url()}"' in entry
    not_held = html[html.index('data-symbol="A/RES/75/32"') :]
    assert "read it here" not in not_held[: not_held.index("</li>")]


def test_milestones_come_with_their_sources(client, item):
    milestones = list(Milestone.objects.filter(agenda_item=item))
    assert all(m.source_list for m in milestones)
    sessions = [m for m in milestones if m.key.startswith("oewg-")]
    assert len([m for m in sessions if "session" in m.key]) == 12
    organizational = Milestone.objects.get(key="oewg-organizational-session")
    assert (organizational.start_date, organizational.end_date) == (
        datetime.date(2021, 6, 1),
        None,
    )
    eleventh = Milestone.objects.get(key="oewg-substantive-session-11")
    assert (eleventh.start_date, eleventh.end_date) == (
        datetime.date(2025, 7, 7),
        datetime.date(2025, 7, 11),
    )
    report = Milestone.objects.get(key="oewg-final-report")
    assert report.start_date == datetime.date(2025, 7, 11)
    assert "A/80/257" in report.title

    html = section(client.get(TRACKER).content.decode(), "milestones")
    assert len(re.findall(r'<li class="milestone[ "]', html)) == len(milestones)
    assert "7–11 July 2025" in html
    assert 'href="https://meetings.unoda.org/meeting/57871?page=25"' in html
    assert 'href="https://undocs.org/A/80/257"' in html
    assert "UN press release GA/DIS/3678" in html


def test_sources_are_links_symbols_or_words():
    assert [
        (s.label, s.url)
        for s in parse_sources(
            "https://www.example.org/a\nA/80/257\n\n UN press release GA/DIS/3678 "
        )
    ] == [
        ("example.org", "https://www.example.org/a"),
        ("A/80/257", "https://undocs.org/A/80/257"),
        ("UN press release GA/DIS/3678", ""),
    ]


def test_date_ranges_say_what_they_share_once():
    d = datetime.date
    assert date_range(d(2021, 6, 1)) == "1 June 2021"
    assert date_range(d(2021, 12, 13), d(2021, 12, 17)) == "13–17 December 2021"
    assert date_range(d(2022, 3, 28), d(2022, 4, 1)) == "28 March – 1 April 2022"
    assert date_range(d(2025, 12, 30), d(2026, 1, 2)) == "30 December 2025 – 2 January 2026"


def test_follow_up_entries_link_their_paragraphs(client, item):
    html = section(client.get(TRACKER).content.decode(), "follow-up")
    for key, label in [
        ("working-group", "op4"),
        ("views-to-secretary-general", "op6"),
        ("next-session-agenda", "op7"),
    ]:
        entry = html[html.index(f'id="follow-up-{key}"') :]
        entry = entry[: entry.index("</li>")]
        assert f'href="/documents/{SEED_SLUG}/#{label}"' in entry
    assert "Views to the Secretary-General" in html


def test_reading_page_links_op4_op6_and_op7_to_their_tracker_entries(client, item):
    html = client.get(f"/documents/{SEED_SLUG}/").content.decode()

    def paragraph_html(label, next_label):
        return html[html.index(f'id="{label}"') : html.index(f'id="{next_label}"')]

    assert f'href="{TRACKER}#follow-up-views-to-secretary-general"' in paragraph_html(
        "op6", "op6-a"
    )
    assert f'href="{TRACKER}#follow-up-working-group"' in paragraph_html("op4", "op5")
    assert f'href="{TRACKER}#follow-up-next-session-agenda"' in paragraph_html("op7", "fn1")
    assert "Follow-up:" not in paragraph_html("op1", "op2")


def test_fixtures_load_again_without_change(db, item):
    models = [TimelineEntry, Milestone, FollowUp, AgendaListing]
    before = {m.__name__: sorted(m.objects.values_list("pk", flat=True)) for m in models}
    call_command("loaddata", *FIXTURES, verbosity=0)
    assert {m.__name__: sorted(m.objects.values_list("pk", flat=True)) for m in models} == before
    assert FollowUp.objects.get(key="views-to-secretary-general").paragraph == paragraph("op6")


# A delegation's actions --------------------------------------------------------------------


def test_anonymous_readers_see_no_action_form_but_a_way_to_log_in(client, item):
    html = client.get(TRACKER).content.decode()
    assert "data-action-form" not in html
    assert f'href="/accounts/login/?next={TRACKER}"' in html


def test_delegate_gets_the_action_form_of_the_contract(client, lars, item):
    client.force_login(lars)
    html = client.get(TRACKER).content.decode()
    form = html[html.index("<form", html.index("data-action-form") - 200) :]
    form = form[: form.index("</form>")]
    assert "data-action-form" in form
    assert 'method="post"' in form
    assert f'action="{reverse("resolutions:action_create", args=[SLUG])}"' in form
    assert 'name="csrfmiddlewaretoken"' in form
    assert re.search(r'<input type="text" name="title"[^>]*maxlength="200"', form)
    assert re.search(r'<input type="date" name="due_date"', form)
    assert re.search(r'<textarea name="note"', form)
    status = form[form.index('<select name="status"') :]
    status = status[: status.index("</select>")]
    assert re.findall(r'value="(\w+)"', status) == ["open", "in_progress", "done"]
    assert '<select name="owner"' in form
    assert '<select name="paragraph"' in form


def test_plain_post_adds_an_action_for_the_delegation(client, lars, ingrid, item):
    client.force_login(lars)
    response = post_action(
        client, owner=str(ingrid.pk), paragraph=str(paragraph("op6").pk), status="in_progress"
    )
    action = FollowUpAction.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{TRACKER}#action-{action.pk}"
    assert (action.delegation, action.agenda_item, action.created_by) == (
        lars.delegation,
        item,
        lars,
    )
    assert (action.owner, action.paragraph, action.status) == (
        ingrid,
        paragraph("op6"),
        "in_progress",
    )
    assert action.due_date == TODAY + datetime.timedelta(days=10)
    html = client.get(TRACKER).content.decode()
    row = html[html.index(f'id="action-{action.pk}"') :]
    assert "Send our views to the Secretary-General" in row[: row.index("</li>")]
    assert f'href="/documents/{SEED_SLUG}/#op6"' in row[: row.index("</li>")]


def test_htmx_post_returns_only_the_actions_part(client, lars, item):
    client.force_login(lars)
    response = post_action(client, htmx=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="follow-up-actions"')
    assert "<html" not in html
    assert 'id="milestones"' not in html
    assert "Send our views to the Secretary-General" in html
    # A fresh form, ready for the next action.
    assert 'value="Send our views' not in html
    assert FollowUpAction.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("due_date", "next Tuesday", "Enter the date as year-month-day"),
        ("due_date", "2026-02-30", "Enter the date as year-month-day"),
        ("due_date", "", "Give the action a due date."),
        ("title", "x" * 201, "Keep the title to 200 characters (this one has 201)"),
        ("title", "   ", "Say what is to be done."),
        ("status", "later", "Choose a status: open, in progress or done."),
    ],
)
def test_bad_input_gives_field_errors_and_saves_nothing(client, lars, item, field, value, message):
    client.force_login(lars)
    response = post_action(client, **{field: value})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert re.search(rf'name="{field}"[^>]*aria-invalid="true"', html)
    assert FollowUpAction.objects.count() == 0
    # With htmx: the actions part comes back with the errors and the delegate's text.
    response = post_action(client, htmx=True, **{field: value})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'value="Send our views to the Secretary-General"' in response.content.decode() or (
        field == "title"
    )
    assert FollowUpAction.objects.count() == 0


def test_an_owner_outside_the_delegation_is_refused(client, lars, amina, item):
    client.force_login(lars)
    response = post_action(client, owner=str(amina.pk))
    assert response.status_code == 400
    assert "Choose someone from your delegation as the owner" in response.content.decode()
    assert FollowUpAction.objects.count() == 0
    # The choices offer the delegation's members only.
    html = client.get(TRACKER).content.decode()
    owner = html[html.index('<select name="owner"') :]
    owner = owner[: owner.index("</select>")]
    assert f'value="{lars.pk}"' in owner
    assert f'value="{amina.pk}"' not in owner


def test_a_paragraph_of_another_document_is_refused(client, lars, item):
    other = make_document()
    client.force_login(lars)
    response = post_action(client, paragraph=str(other.paragraphs.get(label="op1").pk))
    assert response.status_code == 400
    assert "Choose a paragraph of a document under this agenda item" in response.content.decode()
    assert FollowUpAction.objects.count() == 0


def test_a_paragraph_of_another_document_under_the_item_is_accepted(client, lars, item):
    listing = AgendaListing.objects.get(agenda_item=item, session=80)
    adopted = make_document(symbol="A/RES/80/16", session=80, agenda_listing=listing)
    client.force_login(lars)
    response = post_action(client, paragraph=str(adopted.paragraphs.get(label="op1").pk))
    assert response.status_code == 302
    assert FollowUpAction.objects.get().paragraph.document == adopted


def test_actions_are_seen_by_their_delegation_only(client, lars, ingrid, amina, item):
    norway = make_action(lars, item, title="Norway own deadline")
    nigeria = make_action(amina, item, title="Nigeria own deadline")
    client.force_login(ingrid)
    html = client.get(TRACKER).content.decode()
    assert "Norway own deadline" in html
    assert "Nigeria own deadline" not in html
    assert f'id="action-{nigeria.pk}"' not in html
    client.force_login(amina)
    html = client.get(TRACKER).content.decode()
    assert "Nigeria own deadline" in html
    assert "Norway own deadline" not in html
    assert f'id="action-{norway.pk}"' not in html
    client.logout()
    html = client.get(TRACKER).content.decode()
    assert "own deadline" not in html


@pytest.mark.parametrize(
    ("name", "method", "data"),
    [
        ("action_edit", "get", {}),
        ("action_edit", "post", {"title": "Mine now", "due_date": "2030-01-01", "status": "open"}),
        ("action_status", "post", {"status": "done"}),
        ("action_delete", "post", {}),
    ],
)
def test_another_delegations_action_is_not_found(client, lars, amina, item, name, method, data):
    action = make_action(lars, item)
    client.force_login(amina)
    url = reverse(f"resolutions:{name}", args=[SLUG, action.pk])
    assert getattr(client, method)(url, data).status_code == 404
    assert getattr(client, method)(url, data, **HTMX).status_code == 404
    action.refresh_from_db()
    assert (action.title, action.status) == ("Send our views to the Secretary-General", "open")


def test_anonymous_post_is_sent_to_log_in_and_saves_nothing(client, item):
    response = post_action(client)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert FollowUpAction.objects.count() == 0


def test_an_account_outside_any_delegation_cannot_add_actions(client, item):
    from resolutions.models import User

    loner = User.objects.create_user("loner", password="a-long-test-password-76")
    client.force_login(loner)
    assert "belongs to no delegation" in client.get(TRACKER).content.decode()
    assert post_action(client).status_code == 403
    assert FollowUpAction.objects.count() == 0


def test_marking_an_action_done_plain_and_with_htmx(client, lars, ingrid, item):
    action = make_action(lars, item)
    client.force_login(ingrid)
    url = reverse("resolutions:action_status", args=[SLUG, action.pk])
    response = client.post(url, {"status": "done"})
    assert response.status_code == 302
    assert response["Location"] == f"{TRACKER}#action-{action.pk}"
    action.refresh_from_db()
    assert action.status == "done"
    response = client.post(url, {"status": "in_progress"}, **HTMX)
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="follow-up-actions"')
    action.refresh_from_db()
    assert action.status == "in_progress"
    assert client.post(url, {"status": "finished"}).status_code == 302
    action.refresh_from_db()
    assert action.status == "in_progress"


def test_edit_page_works_without_htmx(client, lars, item):
    action = make_action(lars, item)
    client.force_login(lars)
    url = reverse("resolutions:action_edit", args=[SLUG, action.pk])
    html = client.get(url).content.decode()
    assert "<html" in html
    assert 'value="Send our views to the Secretary-General"' in html
    response = client.post(
        url, {"title": "Views sent", "due_date": "2030-05-01", "status": "done", "note": ""}
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.title, action.due_date, action.status) == (
        "Views sent",
        datetime.date(2030, 5, 1),
        "done",
    )
    response = client.post(url, {"title": "", "due_date": "soon", "status": "done"})
    assert response.status_code == 400
    assert "Say what is to be done." in response.content.decode()
    action.refresh_from_db()
    assert action.title == "Views sent"


def test_edit_form_comes_in_place_with_htmx(client, lars, item):
    action = make_action(lars, item)
    client.force_login(lars)
    url = reverse("resolutions:action_edit", args=[SLUG, action.pk])
    html = client.get(url, **HTMX).content.decode()
    assert html.lstrip().startswith(f'<li class="action is-editing" id="action-{action.pk}"')
    assert "<html" not in html
    response = client.post(
        url, {"title": "Views sent", "due_date": "2030-05-01", "status": "open"}, **HTMX
    )
    assert response.content.decode().lstrip().startswith('<section id="follow-up-actions"')
    response = client.post(url, {"title": "", "due_date": "2030-05-01", "status": "open"}, **HTMX)
    assert response["HX-Retarget"] == f"#action-{action.pk}"
    assert "Say what is to be done." in response.content.decode()


def test_removing_an_action(client, lars, item):
    action = make_action(lars, item)
    client.force_login(lars)
    url = reverse("resolutions:action_delete", args=[SLUG, action.pk])
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302
    assert not FollowUpAction.objects.exists()
    action = make_action(lars, item)
    url = reverse("resolutions:action_delete", args=[SLUG, action.pk])
    html = client.post(url, **HTMX).content.decode()
    assert html.lstrip().startswith('<section id="follow-up-actions"')
    assert not FollowUpAction.objects.exists()


def test_tracker_shows_overdue_due_soon_and_done(client, lars, item):
    make_action(lars, item, title="Late briefing", days=-3)
    make_action(lars, item, title="Soon statement", days=14)
    make_action(lars, item, title="Far report", days=15)
    make_action(lars, item, title="Sent views", days=-10, status="done")
    client.force_login(lars)
    html = client.get(TRACKER).content.decode()

    overdue = html[html.index('id="actions-overdue"') : html.index('id="actions-due-soon"')]
    due_soon = html[html.index('id="actions-due-soon"') : html.index('id="actions-later"')]
    later = html[html.index('id="actions-later"') : html.index('id="actions-done"')]
    done = html[html.index('id="actions-done"') : html.index("data-action-form")]
    assert "Late briefing" in overdue
    assert "3 days overdue" in overdue
    assert "Soon statement" in due_soon
    assert "in 14 days" in due_soon
    assert "Far report" in later
    assert "Sent views" in done
    assert "overdue" not in done


def test_grouping_by_urgency():
    class A:
        def __init__(self, pk, days, status="open"):
            self.pk, self.status = pk, status
            self.due_date = TODAY + datetime.timedelta(days=days)

        @property
        def is_done(self):
            return self.status == "done"

    groups = group_actions(
        [A(1, -1), A(2, 0), A(3, 14), A(4, 15), A(5, -5, "done"), A(6, 3, "done")], TODAY
    )
    assert {g.key: [row.action.pk for row in g.actions] for g in groups} == {
        "overdue": [1],
        "due-soon": [2, 3],
        "later": [4],
        "done": [6, 5],
    }


def test_home_shows_the_delegations_next_open_actions(client, lars, ingrid, amina, item):
    for days in [30, 2, 9, 5, 40, 60]:
        make_action(lars, item, title=f"Norway in {days} days", days=days)
    make_action(lars, item, title="Norway finished", days=1, status="done")
    make_action(amina, item, title="Nigeria soon", days=1)
    client.force_login(ingrid)
    html = client.get("/").content.decode()
    titles = re.findall(r"Norway in (\d+) days", html)
    assert titles == ["2", "5", "9", "30", "40"]
    assert "Norway finished" not in html
    assert "Nigeria soon" not in html
    client.logout()
    assert "next actions" not in client.get("/").content.decode()


# Shared milestones -------------------------------------------------------------------------


def milestone_data(**data):
    fields = {
        "title": "Global Mechanism: first plenary",
        "start_date": "2026-03-02",
        "end_date": "2026-03-06",
        "place": "New York",
        "note": "",
        "sources": "https://example.org/announcement",
    }
    fields.update(data)
    return fields


def test_only_editors_see_the_milestone_form(client, lars, editor, item):
    client.force_login(lars)
    assert "data-milestone-form" not in client.get(TRACKER).content.decode()
    client.force_login(editor)
    html = client.get(TRACKER).content.decode()
    assert "data-milestone-form" in html
    assert reverse("resolutions:milestone_edit", args=[SLUG, Milestone.objects.first().pk]) in html


def test_editor_adds_a_milestone_with_a_plain_post(client, editor, item):
    client.force_login(editor)
    response = client.post(reverse("resolutions:milestone_create", args=[SLUG]), milestone_data())
    milestone = Milestone.objects.get(title="Global Mechanism: first plenary")
    assert response.status_code == 302
    assert response["Location"] == f"{TRACKER}#milestone-{milestone.pk}"
    assert (milestone.agenda_item, milestone.updated_by) == (item, editor)
    assert milestone.end_date == datetime.date(2026, 3, 6)
    assert "2–6 March 2026" in client.get(TRACKER).content.decode()


def test_editor_records_a_sponsorship_deadline_that_next_shows(client, editor, item):
    client.force_login(editor)
    deadline = TODAY + datetime.timedelta(days=4)
    client.post(
        reverse("resolutions:milestone_create", args=[SLUG]),
        milestone_data(
            kind="sponsorship-deadline",
            title="Last day to join the sponsors",
            start_date=deadline.isoformat(),
            end_date="",
        ),
    )
    milestone = Milestone.objects.get(title="Last day to join the sponsors")
    assert milestone.kind == Milestone.Kind.SPONSORSHIP_DEADLINE
    html = client.get(TRACKER).content.decode()
    upcoming = section(html, "next")
    upcoming = upcoming[upcoming.index("data-today") :]
    assert "Sponsorship deadline</span>" in upcoming
    assert f'<a href="#milestone-{milestone.pk}">Last day to join the sponsors</a>' in upcoming


def test_a_milestone_posted_without_a_kind_is_a_meeting_or_event(client, editor, item):
    client.force_login(editor)
    data = milestone_data()
    data.pop("kind", None)
    client.post(reverse("resolutions:milestone_create", args=[SLUG]), data)
    assert Milestone.objects.get(title="Global Mechanism: first plenary").kind == "event"


def test_editor_adds_a_milestone_with_htmx(client, editor, item):
    client.force_login(editor)
    response = client.post(
        reverse("resolutions:milestone_create", args=[SLUG]), milestone_data(), **HTMX
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="milestones"')
    assert "Global Mechanism: first plenary" in html
    assert "<html" not in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"sources": ""}, "Say where this comes from"),
        ({"end_date": "2026-03-01"}, "The last day cannot come before the first day."),
        ({"start_date": "2 March"}, "Enter the date as year-month-day"),
        ({"title": "x" * 201}, "Keep the name to 200 characters"),
        ({"kind": "coffee"}, "Choose what the milestone is from the list."),
    ],
)
def test_a_milestone_with_bad_input_is_not_saved(client, editor, item, data, message):
    count = Milestone.objects.count()
    client.force_login(editor)
    url = reverse("resolutions:milestone_create", args=[SLUG])
    response = client.post(url, milestone_data(**data))
    assert response.status_code == 400
    assert message in response.content.decode()
    response = client.post(url, milestone_data(**data), **HTMX)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Milestone.objects.count() == count


def test_others_cannot_change_milestones(client, lars, item):
    milestone = Milestone.objects.get(key="oewg-final-report")
    create = reverse("resolutions:milestone_create", args=[SLUG])
    edit = reverse("resolutions:milestone_edit", args=[SLUG, milestone.pk])
    assert client.post(create, milestone_data())["Location"].startswith("/accounts/login/")
    assert client.get(edit)["Location"].startswith("/accounts/login/")
    client.force_login(lars)
    assert client.post(create, milestone_data()).status_code == 403
    assert client.get(edit).status_code == 403
    assert client.post(edit, milestone_data()).status_code == 403
    milestone.refresh_from_db()
    assert milestone.title.endswith("adopts its final report (A/80/257)")
    assert not Milestone.objects.filter(title="Global Mechanism: first plenary").exists()


def test_editor_edits_a_milestone_as_a_page_and_in_place(client, editor, item):
    milestone = Milestone.objects.get(key="oewg-final-report")
    client.force_login(editor)
    url = reverse("resolutions:milestone_edit", args=[SLUG, milestone.pk])
    page = client.get(url).content.decode()
    assert "<html" in page
    assert "A/80/257" in page
    fragment = client.get(url, **HTMX).content.decode()
    assert fragment.lstrip().startswith(
        f'<li class="milestone is-editing" id="milestone-{milestone.pk}"'
    )
    data = milestone_data(title="Final report adopted", start_date="2025-07-11", end_date="")
    response = client.post(url, data)
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert (milestone.title, milestone.end_date, milestone.key) == (
        "Final report adopted",
        None,
        "oewg-final-report",
    )
    response = client.post(url, {**data, "title": "Adopted"}, **HTMX)
    assert response.content.decode().lstrip().startswith('<section id="milestones"')
    response = client.post(url, {**data, "sources": ""}, **HTMX)
    assert response["HX-Retarget"] == f"#milestone-{milestone.pk}"
    milestone.refresh_from_db()
    assert milestone.title == "Adopted"


# Performance -------------------------------------------------------------------------------


def add_many(item, lars, amina, n):
    # Sessions up to the ninety-ninth: ``session_title`` has no words for 100 and above.
    for session in range(82, 100):
        AgendaListing.objects.create(agenda_item=item, session=session, item_number=str(session))
    Milestone.objects.bulk_create(
        [
            Milestone(
                agenda_item=item,
                key=f"extra-{i}",
                title=f"Extra {i}",
                start_date=TODAY + datetime.timedelta(days=i),
                sources="A/80/257",
            )
            for i in range(n)
        ]
    )
    for user in (lars, amina):
        FollowUpAction.objects.bulk_create(
            [
                FollowUpAction(
                    agenda_item=item,
                    delegation=user.delegation,
                    title=f"Action {i}",
                    due_date=TODAY + datetime.timedelta(days=i - n // 2),
                    status=["open", "in_progress", "done"][i % 3],
                    owner=user,
                    paragraph=paragraph(["op4", "op6", "op7"][i % 3]),
                )
                for i in range(n)
            ]
        )
    # Written here as no view writes them: the trackers' shared parts are stale unless the
    # item's version moves on, as every service's write does.
    AgendaItem.objects.filter(pk=item.pk).mark_changed()


# The first view of the day after a change builds the parts every reader shares: the
# listings, their documents, the history, the milestones and the follow-ups (five queries).
# Every other view reads them from the cache: the item, then the reader's own parts.
ANONYMOUS_QUERIES = 1
ANONYMOUS_QUERIES_COLD = ANONYMOUS_QUERIES + 5
DELEGATE_QUERIES = 9  # with the header's unread count (Inbox (3)); 14 without the cache
DELEGATE_QUERIES_COLD = DELEGATE_QUERIES + 5


def test_tracker_query_count_is_fixed_for_anonymous_readers(
    client, lars, amina, item, django_assert_num_queries
):
    with django_assert_num_queries(ANONYMOUS_QUERIES_COLD):
        client.get(TRACKER)
    with django_assert_num_queries(ANONYMOUS_QUERIES):
        client.get(TRACKER)
    add_many(item, lars, amina, 60)
    with django_assert_num_queries(ANONYMOUS_QUERIES_COLD):
        client.get(TRACKER)
    with django_assert_num_queries(ANONYMOUS_QUERIES):
        assert "Extra 59" in client.get(TRACKER).content.decode()


def test_tracker_query_count_is_fixed_whatever_the_number_of_actions(
    client, lars, amina, item, django_assert_num_queries
):
    client.force_login(lars)
    AgendaListing.objects.filter(agenda_item=item).update(note="")
    with django_assert_num_queries(DELEGATE_QUERIES_COLD):
        client.get(TRACKER)
    with django_assert_num_queries(DELEGATE_QUERIES):
        client.get(TRACKER)
    add_many(item, lars, amina, 60)
    with django_assert_num_queries(DELEGATE_QUERIES_COLD):
        client.get(TRACKER)
    with django_assert_num_queries(DELEGATE_QUERIES):
        response = client.get(TRACKER)
    html = response.content.decode()
    assert html.count('<li class="action action-') == 60
    assert "Extra 59" in html
    # A milestone added: the shared parts are built once more, then served again.
    services.milestone_create(
        agenda_item=item,
        updated_by=None,
        title="Closing session",
        start_date=TODAY,
        sources="A/80/1",
    )
    item.refresh_from_db()
    with django_assert_num_queries(DELEGATE_QUERIES_COLD):
        client.get(TRACKER)
    with django_assert_num_queries(DELEGATE_QUERIES):
        assert "Closing session" in client.get(TRACKER).content.decode()


def test_tracker_query_count_is_fixed_with_nothing_recorded(
    client, lars, django_assert_num_queries
):
    empty = AgendaItem.objects.create(slug="empty-item", title="An item with nothing yet")
    client.force_login(lars)
    with django_assert_num_queries(DELEGATE_QUERIES_COLD):
        response = client.get(empty.get_absolute_url())
    assert response.status_code == 200
    with django_assert_num_queries(DELEGATE_QUERIES):
        assert "No milestones yet." in client.get(empty.get_absolute_url()).content.decode()


# Sessions (editors) ------------------------------------------------------------------------


def test_only_editors_see_the_session_form(client, lars, editor, item):
    client.force_login(lars)
    assert "data-listing-form" not in client.get(TRACKER).content.decode()
    client.force_login(editor)
    assert "data-listing-form" in client.get(TRACKER).content.decode()


def test_editor_records_a_new_session_and_a_known_number(client, editor, item):
    client.force_login(editor)
    url = reverse("resolutions:listing_save", args=[SLUG])
    response = client.post(url, {"session": "78", "item_number": "99", "note": "A/78/250"})
    assert response.status_code == 302
    assert response["Location"] == f"{TRACKER}#sessions"
    assert AgendaListing.objects.get(agenda_item=item, session=78).item_number == "99"
    response = client.post(url, {"session": "77", "item_number": "96", "note": "Checked"}, **HTMX)
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="sessions"')
    assert "Seventy-eighth session" in html
    seventy_seventh = AgendaListing.objects.get(agenda_item=item, session=77)
    assert (seventy_seventh.item_number, seventy_seventh.note) == ("96", "Checked")
    # The documents under a session stay with it.
    assert AgendaListing.objects.get(session=76).documents.count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"session": "seventy-eighth"}, "Give the session as a number, e.g. 81."),
        ({"session": "100"}, "Give the session as a number between 1 and 99."),
        ({"session": "78", "item_number": "x" * 11}, "An item number has at most 10 characters"),
    ],
)
def test_a_session_with_bad_input_is_not_saved(client, editor, item, data, message):
    client.force_login(editor)
    url = reverse("resolutions:listing_save", args=[SLUG])
    response = client.post(url, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    response = client.post(url, data, **HTMX)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert AgendaListing.objects.filter(agenda_item=item).count() == 4


def test_others_cannot_record_sessions(client, lars, item):
    url = reverse("resolutions:listing_save", args=[SLUG])
    assert client.post(url, {"session": "78"})["Location"].startswith("/accounts/login/")
    client.force_login(lars)
    assert client.post(url, {"session": "78"}).status_code == 403
    assert AgendaListing.objects.filter(agenda_item=item).count() == 4
