"""Input a form accepts the shape of but the rest of the app cannot hold: dates at the ends
of the calendar, imported values longer than their column, and the same sponsor list label
saved by several editors at once. Each is refused with a message that names what is wrong,
saves nothing, and never answers 500 (on SQLite and on PostgreSQL, where a column refuses
a value that is too long)."""

import datetime
import html

import pytest
from django.test import Client

from resolutions.models import (
    AgendaItem,
    AgendaListing,
    CalendarFeed,
    Document,
    FollowUpAction,
    Milestone,
    Paragraph,
    SponsorList,
    Sponsorship,
)
from resolutions.services import SponsorListLabelTaken, sponsor_list_record
from tests.conftest import SEED_SLUG, SEED_TEXT_PATH, load_seed_fixtures
from tests.factories import make_delegate
from tests.services.test_concurrency import run_in_threads

FAR_DATES = {
    "9999-12-31": "too far in the future",
    "0001-01-01": "too far in the past",
}
GIVE_A_DATE = "Give a date between 1945 and 2200."
SEED_TEXT = SEED_TEXT_PATH.read_text(encoding="utf-8")
SEED_SYMBOL = "A/C.1/76/L.13"


@pytest.fixture
def editor(db):
    return make_delegate("amina", "Nigeria", editor=True)


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def saved_rows() -> tuple[int, ...]:
    return (
        Document.objects.count(),
        Paragraph.objects.count(),
        SponsorList.objects.count(),
        Sponsorship.objects.count(),
        AgendaItem.objects.count(),
        AgendaListing.objects.count(),
        FollowUpAction.objects.count(),
        Milestone.objects.count(),
    )


# Dates far in the future or the past ------------------------------------------------------


def date_forms(editor) -> list[tuple[str, str, dict, str, str]]:
    """(name, url, valid data, the date field, how the refusal names it) for every form
    that takes a date."""
    item = AgendaItem.objects.get()
    tracker = item.get_absolute_url()
    action = FollowUpAction.objects.create(
        agenda_item=item,
        delegation=editor.delegation,
        title="Brief the capital",
        due_date=datetime.date(2022, 5, 31),
    )
    milestone = Milestone.objects.create(
        agenda_item=item, title="Session", start_date=datetime.date(2022, 3, 28), sources="x"
    )
    action_data = {"title": "Send views", "due_date": "2022-05-31", "status": "open"}
    milestone_data = {"title": "Session", "start_date": "2022-03-28", "sources": "A/76/135"}
    undated_text = SEED_TEXT.replace("8 October 2021", "")
    return [
        ("action", f"{tracker}actions/", action_data, "due_date", "The due date"),
        (
            "action edit",
            f"{tracker}actions/{action.pk}/edit/",
            action_data,
            "due_date",
            "The due date",
        ),
        (
            "milestone",
            f"{tracker}milestones/",
            milestone_data,
            "start_date",
            "The milestone's date",
        ),
        (
            "milestone's last day",
            f"{tracker}milestones/",
            milestone_data,
            "end_date",
            "The last day",
        ),
        (
            "milestone edit",
            f"{tracker}milestones/{milestone.pk}/edit/",
            milestone_data,
            "start_date",
            "The milestone's date",
        ),
        (
            "sponsor list",
            f"/documents/{SEED_SLUG}/sponsors/lists/new/",
            {"label": "Announced at action", "as_of": "2021-11-03", "names": "Chile"},
            "as_of",
            "The “as of” date",
        ),
        (
            "import",
            "/import/",
            {"text": undated_text, "symbol": "A/C.1/76/L.99", "date": "2021-10-08"},
            "date",
            "The date of issue",
        ),
    ]


def test_every_form_refuses_a_date_far_in_the_future_or_the_past(client, editor):
    client.force_login(editor)
    forms = date_forms(editor)
    before = saved_rows()
    for name, url, valid, field, called in forms:
        for day, direction in FAR_DATES.items():
            for htmx in (False, True):
                headers = {"HX-Request": "true"} if htmx else {}
                response = client.post(url, {**valid, field: day}, headers=headers)
                # (htmx swaps only a 200, so the form with its errors comes back as one.)
                assert response.status_code in ((200, 400) if htmx else (400,)), (name, day)
                assert f"{called} ({day}) is {direction}. {GIVE_A_DATE}" in page_text(response), (
                    name,
                    day,
                )
    assert saved_rows() == before
    # The same forms take a date inside the range (the ends included).
    for name, url, valid, field, _ in forms:
        if name == "milestone's last day":
            valid = {**valid, "start_date": "1945-01-01"}
        day = "1945-01-01" if field != "due_date" else "2200-12-31"
        if name == "import":
            day = "2021-10-08"
        response = client.post(url, {**valid, field: day})
        assert response.status_code in (200, 302), name
        assert GIVE_A_DATE not in page_text(response), name


def test_a_session_number_outside_the_general_assembly_is_refused(client, editor):
    """A session is a number, not a date, but it stands for years too: 1 to 99 only."""
    client.force_login(editor)
    url = f"{AgendaItem.objects.get().get_absolute_url()}sessions/"
    before = AgendaListing.objects.count()
    for session in ("0", "9999", "-5", "99999999999999999999"):
        response = client.post(url, {"session": session, "item_number": "", "note": ""})
        assert response.status_code == 400
        assert "Give the session as a number between 1 and 99." in page_text(response)
    assert AgendaListing.objects.count() == before


@pytest.mark.parametrize(
    ("day", "printed"), [("9999-12-31", "31 December 9999"), ("0001-01-01", "1 January 0001")]
)
def test_an_import_dated_outside_the_range_is_refused_at_preview(client, editor, day, printed):
    client.force_login(editor)
    text = SEED_TEXT.replace("8 October 2021", printed)
    before = saved_rows()
    for step in ({}, {"save": "1"}):
        response = client.post("/import/", {"text": text, "symbol": "A/C.1/76/L.99", **step})
        assert response.status_code == 400
        assert (
            f"The date of issue in the heading ({day}) is {FAR_DATES[day]}. {GIVE_A_DATE}"
            in page_text(response)
        )
    assert saved_rows() == before


def test_a_calendar_with_a_far_date_already_stored_still_answers(client, editor):
    """Rows saved before the forms refused such dates (or through the admin) are left out
    of the calendar, and every page that shows them still answers."""
    client.force_login(editor)
    item = AgendaItem.objects.get()
    for number, (first, last) in enumerate(
        [
            (datetime.date(9999, 12, 31), None),
            (datetime.date(2026, 3, 1), datetime.date(9999, 12, 31)),
            (datetime.date(1, 1, 1), None),
        ]
    ):
        Milestone.objects.create(
            agenda_item=item,
            title=f"Far milestone {number}",
            start_date=first,
            end_date=last,
            sources="x",
        )
        FollowUpAction.objects.create(
            agenda_item=item,
            delegation=editor.delegation,
            title=f"Far action {number}",
            due_date=last or first,
        )
    Milestone.objects.create(
        agenda_item=item,
        title="Near milestone",
        start_date=datetime.date(2026, 3, 2),
        sources="x",
    )
    document = Document.objects.get(slug=SEED_SLUG)
    SponsorList.objects.create(document=document, label="Far", as_of=datetime.date(9999, 12, 31))
    tracker = item.get_absolute_url()
    feed = CalendarFeed.objects.reset_for(editor)
    for url in (f"{tracker}calendar.ics", feed.url_for(item)):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert "Near milestone" in body
        assert "Far milestone" not in body
        assert "Far action" not in body
    for url in (tracker, "/", f"/documents/{SEED_SLUG}/briefing/", "/exports/actions.csv"):
        assert client.get(url).status_code == 200, url
    assert client.get(f"/documents/{SEED_SLUG}/sponsors/").status_code == 200


# Imported values longer than their column ------------------------------------------------


def move_seed_aside() -> None:
    """The seed text imports again once the fixture has another symbol and title."""
    Document.objects.filter(slug=SEED_SLUG).update(
        symbol="A/C.1/76/L.13/FIXTURE", slug="a-c1-76-l13-fixture", title="(the fixture)"
    )


AGENDA = (
    "Agenda item 95\n\nDevelopments in the field of information and telecommunications in the "
    "context of international security\n"
)
# (what is changed in the seed text, into what, the refusal)
TOO_LONG = {
    "distribution": (
        "Distr.: Limited",
        "Distr.: " + "L" * 240,
        "The distribution line is 240 characters long; the workbench keeps at most 20. "
        "Check the heading of the text.",
    ),
    "original language": (
        "Original: English",
        "Original: " + "E" * 50,
        "The original language is 50 characters long; the workbench keeps at most 30. "
        "Check the heading of the text.",
    ),
    "agenda item number": (
        "Agenda item 95",
        "Agenda items 95 (a), 96 (b), 97 (c), 98 (d), 99 (e) and 100 (f)",
        "The agenda item number is 50 characters long; the workbench keeps at most 40. "
        "Check the heading of the text.",
    ),
    "agenda item title": (
        AGENDA,
        "Agenda item 96\n\nDevelopments" + " in the field" * 50 + "\n",
        "The agenda item's title is 662 characters long; the workbench keeps at most 500. "
        "Check the heading of the text.",
    ),
    "sponsor's name": (
        "Australia, Austria",
        "C" + "-" * 150 + "hile, Austria",
        "A sponsor's name is 155 characters long; the workbench keeps at most 100. "
        "Check the sponsor list of the text.",
    ),
    "place in the sponsor list": (
        "Australia, Austria",
        "Xx, " * 33_000 + "Australia, Austria",
        "A sponsor's place in the list is 33001; the workbench keeps at most 32767. "
        "Check the sponsor list of the text.",
    ),
    "italic opening": (
        "Recalling its resolutions",
        "*Recalling" + "g" * 120 + "* its resolutions",
        "The italic opening of PP1 is 129 characters long; the workbench keeps at most 100. "
        "Check PP1 of the text.",
    ),
    "cited symbol": (
        "[43/78](#) H",
        "A/RES/" + "7" * 70,
        "A document cited in PP1 is 76 characters long; the workbench keeps at most 60. "
        "Check PP1 of the text.",
    ),
}


@pytest.mark.parametrize("case", list(TOO_LONG))
def test_an_imported_value_longer_than_its_column_is_refused_at_preview(client, editor, case):
    client.force_login(editor)
    move_seed_aside()
    old, new, message = TOO_LONG[case]
    assert old in SEED_TEXT
    text = SEED_TEXT.replace(old, new, 1)
    before = saved_rows()
    for step in ({}, {"save": "1"}):
        response = client.post("/import/", {"text": text, "symbol": SEED_SYMBOL, **step})
        assert response.status_code == 400, case
        assert message in page_text(response)
    assert saved_rows() == before


def test_the_seed_text_still_imports_with_every_value_at_home(client, editor):
    client.force_login(editor)
    move_seed_aside()
    response = client.post("/import/", {"text": SEED_TEXT, "symbol": SEED_SYMBOL, "save": "1"})
    assert response.status_code == 302
    assert Document.objects.filter(symbol=SEED_SYMBOL).exists()


# A sponsor's name longer than the list keeps ---------------------------------------------


def test_a_pasted_sponsor_name_longer_than_the_list_keeps_is_refused(client, editor):
    """Punctuation does not stop a match ("C---hile" is Chile), so a matched name can still
    be longer than its column."""
    client.force_login(editor)
    name = "C" + "-" * 150 + "hile"
    response = client.post(
        f"/documents/{SEED_SLUG}/sponsors/lists/new/",
        {"label": "Announced at action", "as_of": "2021-11-03", "names": f"{name}, Peru"},
    )
    assert response.status_code == 400
    assert "is 155 characters long; write each name in at most 100 characters" in page_text(
        response
    )
    assert not SponsorList.objects.filter(label="Announced at action").exists()


# The same sponsor list label, once after another and all at once ------------------------

LABEL = "Announced at action"
TAKEN = f"This document already has a sponsor list called “{LABEL}”."


def record_list(client, names="Chile"):
    return client.post(
        f"/documents/{SEED_SLUG}/sponsors/lists/new/",
        {"label": LABEL, "as_of": "2021-11-03", "names": names},
    )


def test_a_second_list_with_the_same_label_is_a_form_error(client, editor):
    client.force_login(editor)
    assert record_list(client).status_code == 302
    response = record_list(client, names="Peru")
    assert response.status_code == 400
    assert TAKEN in page_text(response)
    assert SponsorList.objects.get(label=LABEL).sponsorships.get().state.name == "Chile"


def test_the_service_turns_a_taken_label_into_a_refusal_and_records_nothing(seed_document):
    """What the database decides when two editors pass the form's check together."""
    sponsor_list_record(
        document=seed_document,
        label=LABEL,
        as_of=datetime.date(2021, 11, 3),
        source="",
        names=[("Chile", "CHL")],
        additional=False,
    )
    version = Document.objects.get(pk=seed_document.pk).cache_version
    with pytest.raises(SponsorListLabelTaken) as taken:
        sponsor_list_record(
            document=seed_document,
            label=LABEL,
            as_of=datetime.date(2021, 11, 4),
            source="",
            names=[("Peru", "PER")],
            additional=True,
        )
    assert taken.value.message == TAKEN
    assert SponsorList.objects.get(label=LABEL).sponsorships.count() == 1
    assert Document.objects.get(pk=seed_document.pk).cache_version == version


@pytest.fixture
def editors(transactional_db):
    load_seed_fixtures()
    editors = [make_delegate(f"editor{i}", "Norway", editor=True) for i in range(6)]
    clients = []
    for editor in editors:
        client = Client()
        client.force_login(editor)
        clients.append(client)
    return clients


def test_six_editors_saving_the_same_label_at_once_record_one_list(editors):
    def post(index):
        response = record_list(editors[index], names=["Chile", "Peru", "Fiji"][index % 3])
        return response.status_code, page_text(response)

    results = run_in_threads(6, post)
    statuses = sorted(status for status, _ in results)
    assert statuses == [302, 400, 400, 400, 400, 400]
    for status, text in results:
        if status == 400:
            assert TAKEN in text
    assert SponsorList.objects.filter(label=LABEL).count() == 1
    assert Sponsorship.objects.filter(sponsor_list__label=LABEL).count() == 1


def test_six_editors_recording_the_same_session_at_once_make_one_listing(editors):
    """The agenda listing's unique constraint (one per item and session) meets the same race;
    the later saves change the number of the listing the first one made."""
    url = f"{AgendaItem.objects.get().get_absolute_url()}sessions/"

    def post(index):
        return editors[index].post(url, {"session": "81", "item_number": f"9{index}"}).status_code

    assert run_in_threads(6, post) == [302] * 6
    assert AgendaListing.objects.filter(session=81).count() == 1


def test_six_documents_under_one_new_agenda_item_imported_at_once_share_it(editors):
    """Importing a document creates its agenda item when the workbench does not follow it
    yet; six documents under the same new item at once make one item, and all six are in."""
    text = SEED_TEXT.replace(AGENDA, "Agenda item 96\n\nCapacity-building in the use of ICTs\n")

    def post(index):
        # Each a different draft: its own symbol and one word of its title its own.
        own = text.replace("responsible State behaviour", f"responsible State behaviour {index}")
        response = editors[index].post(
            "/import/", {"text": own, "symbol": f"A/C.1/76/L.{90 + index}", "save": "1"}
        )
        return response.status_code

    assert run_in_threads(6, post) == [302] * 6
    item = AgendaItem.objects.get(title="Capacity-building in the use of ICTs")
    assert Document.objects.filter(agenda_listing__agenda_item=item).count() == 6


def test_six_editors_importing_the_same_document_at_once_import_it_once(editors):
    """The document's symbol is unique: the first import wins, and the others are told the
    document is in (or came in a moment ago), with nothing half saved."""
    move_seed_aside()
    before = Paragraph.objects.count()

    def post(index):
        response = editors[index].post(
            "/import/", {"text": SEED_TEXT, "symbol": SEED_SYMBOL, "save": "1"}
        )
        return response.status_code, page_text(response)

    results = run_in_threads(6, post)
    assert sorted(status for status, _ in results) == [302, 400, 400, 400, 400, 400]
    for status, text in results:
        if status == 400:
            assert (
                "A/C.1/76/L.13 is already in the workbench" in text
                or "A/C.1/76/L.13 was imported by someone else a moment ago" in text
            )
    document = Document.objects.get(symbol=SEED_SYMBOL)
    assert Paragraph.objects.count() == before + document.paragraphs.count()
