"""Hostile input through every form: script, SQL meta-characters, 100,000-character strings,
control characters, NUL bytes, right-to-left overrides, invalid UTF-8. Each is refused with
a message that says why, or stored as it came and shown as text, and nothing answers 500.

(That script shows as text in a real browser is tested in tests/browser/test_xss.py.)"""

import datetime
from dataclasses import dataclass, field
from urllib.parse import quote_from_bytes, urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from resolutions.models import (
    AgendaItem,
    Annotation,
    Document,
    FollowUpAction,
    Milestone,
    Paragraph,
    Proposal,
    SponsorList,
)
from resolutions.un.reference import TEXTS_DIR
from tests.conftest import SEED_SLUG
from tests.factories import PASSWORD, make_annotation, make_delegate, make_proposal

SCRIPT = "<script>alert('hostile')</script>"
HOSTILE = {
    "script": f'{SCRIPT}<img src=x onerror=alert(1)>"><svg onload=alert(2)>',
    "sql": "Robert'); DROP TABLE resolutions_annotation;-- \" OR 1=1 -- %_\\",
    "long": "A" * 100_000,
    "control": "bell\x07 escape\x1b[31m backspace\x08 vertical\x0b delete\x7f",
    "nul": "before\x00after",
    "rtl": "\u202egnp.exe\u202c and \u2067isolate\u2069 \u200fmark",
    "unicode": "Ωmega 🇺🇳 e\u0301 \ufeff zero\u200bwidth \U0010ffff",
    "template": "{{ request.user.password }} {% csrf_token %} %s %(body)s {0}",
    "blank": " \t\r\n ",
}
# Field by field (the rest of the form valid), the corpus goes in three submissions: what may
# be stored (markup; SQL, control and bidirectional characters), and what must be refused.
BY_FIELD = {
    "markup": HOSTILE["script"] + " " + HOSTILE["template"],
    "characters": HOSTILE["sql"] + HOSTILE["control"] + HOSTILE["rtl"] + HOSTILE["unicode"],
    "nul": HOSTILE["nul"],
}
# What a browser sends when a form page was saved in another encoding: bytes that are not
# UTF-8 (Django decodes them with replacement characters).
INVALID_UTF8 = b"\xff\xfe\xc3\x28 caf\xe9 \xed\xa0\x80"
UPLOADS = {
    "latin-1": "Résolution adoptée".encode("latin-1"),
    "broken sequences": b"A/RES/80/1\n" + INVALID_UTF8,
    "binary": b"%PDF-1.7\x00\x01\x02\xff\xfe",
    "utf-16": "General Assembly".encode("utf-16"),
    "nul only": b"\x00" * 64,
    "empty": b"",
}

# Shown in the page when a submission is refused: where the form's errors are.
ERROR_MARKERS = (
    'class="errorlist',
    'class="field-error',
    'class="form-errors',
    'role="alert"',
    "message-error",
    "The request could not be understood",  # the 400 page
)


@dataclass
class Form:
    """One form: where it posts, a valid submission, and the fields hostile text goes in."""

    name: str
    url: str
    valid: dict
    fields: list[str]
    method: str = "post"
    model: type | None = None
    pages: list[str] = field(default_factory=list)
    # Field by field through htmx, whose answer is the form's part of the page: the same
    # validation, and cheaper than the whole page (which the all-fields submissions get).
    htmx: bool = False


@pytest.fixture
def editor(db):
    return make_delegate("amina", "Nigeria", editor=True)


@pytest.fixture
def forms(editor):
    op6 = Paragraph.objects.get(document__slug=SEED_SLUG, label="op6")
    note = make_annotation(editor, op6, "A note to edit and reply to")
    item = AgendaItem.objects.get()
    action = FollowUpAction.objects.create(
        agenda_item=item,
        delegation=editor.delegation,
        title="An action to edit",
        due_date=datetime.date(2022, 5, 31),
    )
    milestone = Milestone.objects.create(
        agenda_item=item, title="A milestone", start_date=datetime.date(2022, 3, 28), sources="x"
    )
    tracker = item.get_absolute_url()
    reading = [f"/documents/{SEED_SLUG}/", f"/documents/{SEED_SLUG}/annotations/"]
    draft = make_proposal(editor, op6, "A draft paragraph", kind="insert", state="draft")
    norway = make_delegate("lars", "Norway")
    tabled = make_proposal(norway, op6, "A tabled paragraph", kind="insert")
    proposals = [f"/documents/{SEED_SLUG}/proposals/", f"/documents/{SEED_SLUG}/proposals.json"]
    return [
        Form(
            "proposal",
            f"/documents/{SEED_SLUG}/paragraphs/op6/proposals/",
            {"kind": "insert", "text": "A new paragraph", "reason": "", "state": "draft"},
            ["kind", "text", "reason", "state", "circle", "submission_key"],
            model=Proposal,
            pages=[*reading, *proposals],
        ),
        Form(
            "proposal edit",
            f"/proposals/{draft.pk}/edit/",
            {"kind": "insert", "text": "Edited paragraph", "reason": "", "state": "draft"},
            ["kind", "text", "reason", "state", "circle", "version"],
            pages=proposals,
        ),
        Form(
            "proposal action",
            f"/proposals/{tabled.pk}/actions/",
            {"action": "support"},
            ["action", "reason"],
            pages=proposals,
            htmx=True,
        ),
        Form(
            "proposal discussion",
            f"/proposals/{tabled.pk}/discussion/",
            {"body": "A word on it"},
            ["body", "submission_key"],
            model=Annotation,
            pages=[*proposals, *reading],
            htmx=True,
        ),
        Form(
            "paragraph status",
            f"/documents/{SEED_SLUG}/paragraph-status/",
            {"pp1": "agreed_ad_ref"},
            ["pp1", "op6"],
            pages=[*proposals, reading[0]],
        ),
        Form(
            "pen holders",
            f"/documents/{SEED_SLUG}/pen-holders/",
            {},
            ["delegations"],
            pages=proposals,
        ),
        Form(
            "annotation",
            f"/documents/{SEED_SLUG}/paragraphs/op6/annotations/",
            {"body": "A note", "visibility": "delegation", "tags": "", "quote": ""},
            ["body", "tags", "quote", "visibility", "submission_key"],
            model=Annotation,
            pages=reading,
            htmx=True,
        ),
        Form(
            "annotation edit",
            f"/annotations/{note.pk}/edit/",
            {"body": "Edited", "visibility": "delegation", "tags": "", "quote": ""},
            ["body", "tags", "quote", "visibility", "version"],
            pages=[*reading, f"/annotations/{note.pk}/history/"],
        ),
        Form(
            "reply",
            f"/annotations/{note.pk}/replies/",
            {"body": "A reply"},
            ["body", "submission_key"],
            model=Annotation,
            pages=[f"/annotations/{note.pk}/"],
        ),
        Form(
            "thread resolved",
            f"/annotations/{note.pk}/resolve/",
            {"resolved": "1"},
            ["resolved"],
            pages=reading,
        ),
        Form(
            "sponsor list",
            f"/documents/{SEED_SLUG}/sponsors/lists/new/",
            {"label": "Later list", "as_of": "2021-11-03", "source": "", "names": "Chile"},
            ["label", "as_of", "source", "names"],
            model=SponsorList,
            pages=[f"/documents/{SEED_SLUG}/sponsors/"],
        ),
        Form(
            "sponsor comparison",
            "/compare/sponsors/",
            {"documents": SEED_SLUG, "pasted": "Chile and Peru"},
            ["pasted", "documents"],
            method="get",
        ),
        Form(
            "sponsor comparison (JSON)",
            "/compare/sponsors.json",
            {"documents": SEED_SLUG, "pasted": "Chile and Peru"},
            ["pasted", "documents"],
            method="get",
        ),
        Form(
            "action",
            f"{tracker}actions/",
            {"title": "Send views", "due_date": "2022-05-31", "status": "open"},
            ["title", "due_date", "status", "owner", "paragraph", "note", "submission_key"],
            model=FollowUpAction,
            pages=[tracker, f"{tracker}calendar.ics", "/", "/exports/actions.csv"],
            htmx=True,
        ),
        Form(
            "action edit",
            f"{tracker}actions/{action.pk}/edit/",
            {"title": "Send views", "due_date": "2022-05-31", "status": "open"},
            ["title", "due_date", "status", "note"],
            pages=[tracker],
            htmx=True,
        ),
        Form(
            "action status",
            f"{tracker}actions/{action.pk}/status/",
            {"status": "done"},
            ["status"],
            pages=[tracker],
        ),
        Form(
            "milestone",
            f"{tracker}milestones/",
            {"title": "Session", "start_date": "2022-03-28", "sources": "A/76/135"},
            ["title", "start_date", "end_date", "place", "note", "sources", "submission_key"],
            model=Milestone,
            pages=[tracker, f"{tracker}calendar.ics"],
            htmx=True,
        ),
        Form(
            "milestone edit",
            f"{tracker}milestones/{milestone.pk}/edit/",
            {"title": "Session", "start_date": "2022-03-28", "sources": "A/76/135"},
            ["title", "place", "note", "sources"],
            pages=[tracker],
            htmx=True,
        ),
        Form(
            "agenda session",
            f"{tracker}sessions/",
            {"session": "81", "item_number": "", "note": ""},
            ["session", "item_number", "note"],
            pages=[tracker],
        ),
        Form(
            "import preview",
            "/import/",
            {"text": "", "symbol": "", "date": ""},
            ["text", "symbol", "date", "revision_of"],
            model=Document,
        ),
        Form(
            "annotation filters",
            f"/documents/{SEED_SLUG}/annotations/",
            {},
            ["tag", "author", "delegation", "visibility", "paragraph", "page"],
            method="get",
            htmx=True,
        ),
        Form(
            "briefing options",
            f"/documents/{SEED_SLUG}/briefing/",
            {"notes": "mine"},
            ["sections", "notes", "tag"],
            method="get",
        ),
        Form(
            "version comparison",
            "/compare/text/",
            {"a": SEED_SLUG, "b": SEED_SLUG},
            ["a", "b", "show"],
            method="get",
        ),
        Form(
            "sponsor filters",
            f"/documents/{SEED_SLUG}/sponsors/",
            {},
            ["group", "region"],
            method="get",
        ),
        Form(
            "password change",
            "/accounts/password_change/",
            # The new password typed differently twice: hostile text changes nothing.
            {"old_password": PASSWORD, "new_password1": "one-long-pass-1", "new_password2": "x"},
            ["old_password", "new_password1", "new_password2"],
            pages=["/accounts/"],
        ),
        Form("login", "/accounts/login/", {"username": "x", "password": "y"}, ["username"]),
    ]


def submit(client, form: Form, data: dict, *, htmx: bool = False):
    headers = {"HX-Request": "true"} if htmx else {}
    if form.method == "get":
        return client.get(form.url, data, headers=headers)
    if form.name == "annotation edit":
        data = {"version": Annotation.objects.get(pk=form.url.split("/")[2]).version, **data}
    if form.name == "proposal edit":
        data = {"version": Proposal.objects.get(pk=form.url.split("/")[2]).version, **data}
    return client.post(form.url, data, headers=headers)


def assert_answered(response, what: str):
    """Anything but a crash; a refusal says why in the page."""
    assert response.status_code < 500, what
    if response.status_code == 400 and response["Content-Type"].startswith("text/html"):
        html = response.content.decode()
        assert any(marker in html for marker in ERROR_MARKERS), what


def assert_shown_as_text(client, form: Form):
    for page in form.pages:
        response = client.get(page)
        assert response.status_code == 200, page
        content = b"".join(response) if response.streaming else response.content
        if response["Content-Type"].startswith("text/html"):
            for element in (SCRIPT.encode(), b"<img src=x", b"<svg onload"):
                assert element not in content, page


def test_every_form_answers_hostile_text_without_crashing(client, editor, forms):
    client.force_login(editor)
    for form in forms:
        before = form.model.objects.count() if form.model else None
        for kind, text in HOSTILE.items():
            everything = {**form.valid, **dict.fromkeys(form.fields, text)}
            assert_answered(submit(client, form, everything), f"{form.name}: {kind} everywhere")
        for kind, text in BY_FIELD.items():
            for name in form.fields:
                response = submit(client, form, {**form.valid, name: text}, htmx=form.htmx)
                assert_answered(response, f"{form.name}: {kind} in {name}")
        if form.name == "login":
            continue  # (a refused login is the lockout's business, tested elsewhere)
        assert_shown_as_text(client, form)
        if form.model is not None:
            # Whatever was stored is stored whole: a failure never leaves half a row.
            assert form.model.objects.count() >= before


def test_refusals_say_what_is_wrong_and_save_nothing(client, editor):
    client.force_login(editor)
    url = f"/documents/{SEED_SLUG}/paragraphs/op6/annotations/"
    before = Annotation.objects.count()
    cases = {
        HOSTILE["long"]: "A note can be at most 10,000 characters",
        HOSTILE["nul"]: "Null characters are not allowed",
        HOSTILE["blank"]: "Write something in the note before saving it",
    }
    for body, message in cases.items():
        response = client.post(url, {"body": body, "visibility": "delegation"})
        assert response.status_code == 400
        assert message in response.content.decode()
    assert Annotation.objects.count() == before


@pytest.mark.parametrize("kind", ["script", "sql", "control", "rtl", "unicode", "template"])
def test_accepted_hostile_notes_are_stored_exactly_and_escaped(client, editor, kind):
    client.force_login(editor)
    body = HOSTILE[kind]
    response = client.post(
        f"/documents/{SEED_SLUG}/paragraphs/op6/annotations/",
        {"body": body, "visibility": "private", "tags": "plain"},
    )
    assert response.status_code == 302
    assert Annotation.objects.filter(author=editor, body=body).count() == 1
    html = client.get(f"/documents/{SEED_SLUG}/").content.decode()
    assert SCRIPT not in html
    assert "<img src=x" not in html
    # Shown as typed, never evaluated: no template tag runs, no password hash appears.
    assert editor.password not in html
    if kind == "template":
        assert "{{ request.user.password }} {% csrf_token %}" in html


def test_invalid_utf8_in_a_form_post_is_stored_as_replacement_characters(client, editor):
    client.force_login(editor)
    response = client.post(
        f"/documents/{SEED_SLUG}/paragraphs/op6/annotations/",
        # Percent-encoded, as browsers send form fields.
        "visibility=private&body=" + quote_from_bytes(INVALID_UTF8),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 302
    stored = Annotation.objects.get(author=editor).body
    assert "\ufffd" in stored
    assert "caf" in stored


def test_invalid_utf8_in_the_address_is_answered(client, editor):
    client.force_login(editor)
    for path in (
        f"/documents/{SEED_SLUG}/annotations/?tag=%FF%FE",
        "/compare/sponsors/?pasted=%C3%28&documents=%FF",
        "/compare/text/?a=%ED%A0%80&b=%00",
        "/documents/%FF%FE/",
    ):
        assert_answered(client.get(path), path)


@pytest.mark.parametrize("name", list(UPLOADS))
def test_uploads_that_are_not_utf8_text_are_refused_with_a_reason(client, editor, name):
    client.force_login(editor)
    before = Document.objects.count()
    upload = SimpleUploadedFile("draft.txt", UPLOADS[name], content_type="text/plain")
    response = client.post("/import/", {"upload": upload, "save": "1"})
    assert response.status_code == 400
    html = response.content.decode()
    assert any(
        reason in html
        for reason in (
            "not UTF-8 text",
            "not a text file",
            "The text is empty",
            "Paste the text of the document",
            "The submitted file is empty",
        )
    ), html
    assert Document.objects.count() == before


def test_hostile_text_around_a_real_document_is_refused_or_imported_whole(client, editor):
    client.force_login(editor)
    text = (TEXTS_DIR / "A-RES-80-22.txt").read_text(encoding="utf-8")
    for kind, hostile in HOSTILE.items():
        if kind == "long":
            hostile = hostile[:1000]
        before = Document.objects.count()
        response = client.post("/import/", {"text": hostile + "\n" + text, "save": "1"})
        assert_answered(response, kind)
        if response.status_code == 302:
            document = Document.objects.get(slug=response["Location"].split("/")[2])
            assert document.paragraphs.exists()
            assert SCRIPT not in client.get(response["Location"]).content.decode()
            document.delete()
        else:
            assert Document.objects.count() == before


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL refuses NUL in text")
def test_nul_bytes_never_reach_postgresql(client, editor):
    """PostgreSQL cannot store a NUL character; every form must stop it first."""
    client.force_login(editor)
    tracker = AgendaItem.objects.get().get_absolute_url()
    for url, data in (
        (f"{tracker}actions/", {"title": "a\x00b", "due_date": "2022-05-31", "status": "open"}),
        (f"/documents/{SEED_SLUG}/annotations/?" + urlencode({"tag": "a\x00b"}), None),
        ("/compare/text/?" + urlencode({"a": "a\x00b", "b": SEED_SLUG}), None),
    ):
        response = client.post(url, data) if data else client.get(url)
        assert_answered(response, url)


def test_a_nul_in_the_address_gets_the_400_page(client, editor):
    client.force_login(editor)
    for path in (
        "/compare/text/?a=%00&b=a-c1-76-l13",
        "/compare/sponsors/?documents=a-c1-76-l13%00",
        f"/documents/{SEED_SLUG}/sponsors/?group=%00",
        "/agenda/?%00=1",
    ):
        response = client.get(path)
        assert response.status_code == 400, path
        assert "a character that cannot be stored" in response.content.decode()
