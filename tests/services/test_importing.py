"""Importing a document from its text: the service (what a text becomes, all or nothing)
and the import page (preview before saving, editors only, bad input refused)."""

import html
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from resolutions.models import (
    Citation,
    Document,
    Footnote,
    Paragraph,
    SponsorList,
    Sponsorship,
)
from resolutions.services import importing
from resolutions.un.parsing import parse_resolution
from resolutions.un.reference import REAL_TEXTS_DIR, TEXTS_DIR
from tests.conftest import ROOT, SEED_SLUG, SEED_TEXT_PATH
from tests.factories import make_delegate

SEED_SYMBOL = "A/C.1/76/L.13"
SEED_TEXT = SEED_TEXT_PATH.read_text(encoding="utf-8")
TEXTS = TEXTS_DIR
IMPORT_URL = "/import/"
HTMX = {"HTTP_HX_REQUEST": "true"}


def real_text(name: str) -> str:
    return (TEXTS / f"{name}.txt").read_text(encoding="utf-8")


def structure(document: Document) -> dict:
    """Everything the import decides about a document, by label and number, not by id."""
    labels = dict(Paragraph.objects.filter(document=document).values_list("pk", "label"))
    return {
        "header": Document.objects.filter(pk=document.pk).values(
            "kind",
            "date",
            "session",
            "committee",
            "distribution",
            "original_language",
            "agenda_listing",
        )[0],
        "paragraphs": [
            (p.label, p.part, p.number, p.order, labels.get(p.parent_id), p.lead, p.text)
            for p in Paragraph.objects.filter(document=document).order_by("order")
        ],
        "footnotes": [
            (f.number, labels[f.paragraph_id], f.position, f.text)
            for f in Footnote.objects.filter(document=document).order_by("number")
        ],
        "citations": sorted(
            (
                labels[c.paragraph_id],
                c.footnote.number if c.footnote_id else None,
                c.kind,
                c.text,
                c.symbol,
                c.start,
                c.end,
            )
            for c in Citation.objects.filter(paragraph__document=document).select_related(
                "footnote"
            )
        ),
        "sponsors": [
            (s.position, s.name_as_printed, s.state.name)
            for s in Sponsorship.objects.printed_for(document)
        ],
        "sponsor_lists": list(
            SponsorList.objects.filter(document=document).values_list("label", "as_of")
        ),
    }


@pytest.fixture
def editor(db):
    return make_delegate("erik", "Norway", editor=True)


@pytest.fixture
def delegate(db):
    return make_delegate("dina", "Norway")


def move_seed_aside(seed_document) -> None:
    """Give the seed fixture another symbol and title, so the seed text can be imported
    again in this test's transaction (rolled back afterwards)."""
    Document.objects.filter(pk=seed_document.pk).update(
        symbol="A/C.1/76/L.13/FIXTURE", slug="a-c1-76-l13-fixture", title="(the fixture)"
    )


# The service ------------------------------------------------------------------------------


def test_the_seed_text_imports_to_exactly_the_seed_fixture(seed_document):
    expected = structure(seed_document)
    title = seed_document.title
    move_seed_aside(seed_document)

    plan = importing.prepare_import(SEED_TEXT, symbol=SEED_SYMBOL)
    document = importing.import_document(plan)

    assert document.symbol == SEED_SYMBOL
    assert document.slug == SEED_SLUG
    assert document.title == title
    assert structure(document) == expected
    assert len(expected["paragraphs"]) == 22
    assert len(expected["footnotes"]) == 3
    assert len(expected["sponsors"]) == 55
    assert plan.warnings == []


@pytest.mark.parametrize(
    ("name", "preambular", "operative", "footnotes", "citations", "agenda_item"),
    [
        ("A-RES-80-16", 3, 4, 0, 13, "94"),
        ("A-RES-80-22", 12, 7, 4, 2, "98"),  # A/80/237 and the BWC final document
        ("A-RES-80-23", 9, 4, 1, 2, "99"),
        ("A-RES-80-44", 21, 11, 14, 48, "99 (w)"),
    ],
)
def test_the_shared_texts_import_with_their_paragraph_counts(
    db, name, preambular, operative, footnotes, citations, agenda_item
):
    plan = importing.prepare_import(real_text(name))
    assert plan.parsed.agenda_item == agenda_item
    document = importing.import_document(plan)

    assert document.symbol == name.replace("-", "/")
    assert document.kind == Document.Kind.RESOLUTION
    assert document.session == 80
    paragraphs = Paragraph.objects.filter(document=document)
    assert paragraphs.filter(part="preambular").count() == preambular
    assert paragraphs.filter(part="operative", parent__isnull=True).count() == operative
    assert Footnote.objects.filter(document=document).count() == footnotes
    assert Citation.objects.filter(paragraph__document=document).count() == citations
    assert not Sponsorship.objects.printed_for(document).exists()


def test_a_text_under_a_tracked_agenda_item_is_linked_to_it(db):
    document = importing.import_document(importing.prepare_import(real_text("A-RES-80-16")))
    assert document.agenda_listing.session == 80
    assert document.agenda_listing.item_number == "94"


def test_sponsors_are_matched_to_member_states_and_keep_their_printed_names(seed_document):
    move_seed_aside(seed_document)
    text = SEED_TEXT.replace("Netherlands, Nicaragua", "Netherlands, Narnia, Nicaragua")
    plan = importing.prepare_import(text, symbol="A/C.1/76/L.13/Rev.1")

    narnia = next(s for s in plan.sponsors if s.name == "Narnia")
    assert narnia.state is None
    assert not narnia.saved
    assert any("“Narnia” matches no Member State" in warning for warning in plan.warnings)
    document = importing.import_document(plan)
    sponsors = list(Sponsorship.objects.printed_for(document))
    assert len(sponsors) == 55
    netherlands = next(s for s in sponsors if s.name_as_printed == "Netherlands")
    assert netherlands.state.iso3 == "NLD"
    # Positions are the places in the list as printed: Narnia's place stays empty.
    assert [s.position for s in sponsors][32:34] == [33, 35]


def test_preparing_an_import_saves_nothing(db):
    before = Document.objects.count()
    importing.prepare_import(real_text("A-RES-80-44"))
    assert Document.objects.count() == before


def test_a_text_without_its_symbol_needs_one(db):
    with pytest.raises(importing.ImportRefused) as refused:
        importing.prepare_import(SEED_TEXT)
    assert refused.value.field == "symbol"
    assert "does not print its symbol" in refused.value.message


def test_a_symbol_that_is_not_one_is_refused(db):
    with pytest.raises(importing.ImportRefused, match="is not a UN document symbol"):
        importing.prepare_import(SEED_TEXT, symbol="my draft")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "The text is empty"),
        ("   \n\n  ", "The text is empty"),
        ("Hello, delegates.\n\nPlease find attached the draft.", "No paragraphs were found"),
        ("General Assembly\x00\x01\x02 binary", "This is not a text file"),
        ("x" * (importing.MAX_TEXT_BYTES + 1), "The text is too long"),
    ],
)
def test_bad_text_is_refused_with_a_message(db, text, message):
    with pytest.raises(importing.ImportRefused, match=message):
        importing.prepare_import(text, symbol="A/C.1/99/L.1")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"%PDF-1.7\n\x00\x01\x02\xff\xfe binary", "This is not a text file"),
        ("Résolution adoptée".encode("latin-1"), "The file is not UTF-8 text"),
        (b"a" * (importing.MAX_TEXT_BYTES + 1), "The text is too long"),
        (b"", "The text is empty"),
    ],
)
def test_bad_files_are_refused_with_a_message(data, message):
    with pytest.raises(importing.ImportRefused, match=message):
        importing.text_from_bytes(data)


def test_a_utf8_file_with_a_byte_order_mark_is_read(db):
    text = importing.text_from_bytes(b"\xef\xbb\xbf" + SEED_TEXT.encode("utf-8"))
    assert text == SEED_TEXT


def test_an_existing_symbol_is_refused(seed_document):
    with pytest.raises(importing.ImportRefused, match="A/C.1/76/L.13 is already in the workbench"):
        importing.prepare_import(SEED_TEXT, symbol=SEED_SYMBOL)


def test_the_same_text_twice_never_makes_a_second_document(seed_document):
    document = importing.import_document(importing.prepare_import(real_text("A-RES-80-22")))
    count = Document.objects.count()
    with pytest.raises(importing.ImportRefused, match="A/RES/80/22 is already in the workbench"):
        importing.prepare_import(real_text("A-RES-80-22"))
    # The seed under another symbol is the same text too.
    with pytest.raises(importing.ImportRefused, match="already in the workbench as A/C.1/76/L.13"):
        importing.prepare_import(SEED_TEXT, symbol="A/C.1/76/L.99")
    assert Document.objects.count() == count
    assert document.paragraphs.count() == 19


def test_a_plan_saved_after_someone_else_took_the_symbol_is_refused(db):
    plan = importing.prepare_import(real_text("A-RES-80-23"))
    importing.import_document(importing.prepare_import(real_text("A-RES-80-23")))
    with pytest.raises(importing.ImportRefused, match="already in the workbench"):
        importing.import_document(plan)
    assert Document.objects.filter(symbol="A/RES/80/23").count() == 1


def test_a_failure_halfway_through_saving_leaves_the_database_as_it_was(db, monkeypatch):
    counts = {model: model.objects.count() for model in (Document, Paragraph, Footnote, Citation)}

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(importing, "_save_citations", broken)
    plan = importing.prepare_import(real_text("A-RES-80-44"))
    with pytest.raises(RuntimeError):
        importing.import_document(plan)
    assert not Document.objects.filter(symbol="A/RES/80/44").exists()
    assert {model: model.objects.count() for model in counts} == counts


def test_a_revision_names_the_document_it_revises(seed_document):
    text = SEED_TEXT.replace(
        "to be guided in their use", "to be guided, as appropriate, in their use"
    )
    plan = importing.prepare_import(text, symbol="A/C.1/76/L.13/Rev.1", revision_of=seed_document)
    document = importing.import_document(plan)
    assert document.revision_of == seed_document
    assert document.kind == Document.Kind.REVISION


def test_the_fixture_builder_and_the_importer_share_one_mapping():
    from resolutions.management.commands.build_fixtures import seed_document_records

    states = json.loads((ROOT / "fixtures" / "member_states.json").read_text(encoding="utf-8"))
    records = seed_document_records(SEED_TEXT, states)
    rows = importing.document_rows(parse_resolution(SEED_TEXT, symbol=SEED_SYMBOL))
    built = [r["fields"] for r in records if r["model"] == "resolutions.paragraph"]
    assert [(p["label"], p["lead"], p["text"]) for p in built] == [
        (r["label"], r["lead"], r["text"]) for r in rows.paragraphs
    ]
    committed = (ROOT / "fixtures" / "seed_document.json").read_text(encoding="utf-8")
    assert records == json.loads(committed)


# The page ---------------------------------------------------------------------------------


def preview(client, **data):
    return client.post(IMPORT_URL, data)


def hidden_text(page: str) -> str:
    match = re.search(r'<input type="hidden" name="text" value="([^"]*)"', page)
    return html.unescape(match.group(1))


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get(IMPORT_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_delegates_who_are_not_editors_get_a_page_that_says_so(client, delegate):
    client.force_login(delegate)
    for response in (client.get(IMPORT_URL), preview(client, text=real_text("A-RES-80-16"))):
        assert response.status_code == 403
        assert "Only editors can import documents" in response.content.decode()
    assert not Document.objects.filter(symbol="A/RES/80/16").exists()


def test_editors_get_the_form(client, editor):
    client.force_login(editor)
    response = client.get(IMPORT_URL)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in page
    assert 'name="text"' in page
    assert 'name="upload"' in page
    assert 'name="symbol"' in page
    assert f'<option value="{SEED_SLUG}">A/C.1/76/L.13</option>' in page
    assert f'href="{IMPORT_URL}">Import</a>' in page


def test_the_preview_shows_the_structure_and_saves_nothing(client, editor):
    client.force_login(editor)
    response = preview(client, text=real_text("A-RES-80-44"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Preview" in page
    assert "nothing is saved until you import" in page
    assert "<strong>21</strong> preambular" in page
    assert "<strong>11</strong> operative" in page
    assert "<strong>14</strong> footnotes" in page
    assert "<strong>48</strong> citations" in page
    assert ">PP21</th>" in page
    assert ">OP11</th>" in page
    assert "Import A/RES/80/44" in page
    assert hidden_text(page) == real_text("A-RES-80-44")
    assert not Document.objects.filter(symbol="A/RES/80/44").exists()


def test_the_preview_outlines_every_level_of_sub_paragraphs(client, editor):
    text = (REAL_TEXTS_DIR / "A-C.6-80-L.10.txt").read_text(encoding="utf-8")
    outline = {row.label: row for row in importing.prepare_import(text).outline()}
    assert [(outline[label].depth, outline[label].number) for label in ("op6", "op6-d")] == [
        (1, "6."),
        (2, "(d)"),
    ]
    for numeral in ("i", "ii", "iii", "iv", "v"):
        row = outline[f"op6-d-{numeral}"]
        assert (row.depth, row.number) == (3, f"({numeral})")
        assert row.display_label == f"OP6(d)({numeral})"

    client.force_login(editor)
    page = preview(client, text=text).content.decode()

    rows = re.findall(
        r'<tr(?: class="([^"]*)")?>\s*<th scope="row">([^<]+)</th>\s*<td>([^<]*)', page
    )
    shown = {label: (classes, opening) for classes, label, opening in rows}
    assert shown["OP6"][0] == ""
    assert shown["OP6"][1].startswith("6. ")
    assert shown["OP6(d)"] == (
        "outline-sub level-2",
        "(d) In respect of topics related to digital trade:",
    )
    labels = [label for _, label, _ in rows]
    assert labels[labels.index("OP6(d)") + 1 : labels.index("OP6(e)")] == [
        "OP6(d)(i)",
        "OP6(d)(ii)",
        "OP6(d)(iii)",
        "OP6(d)(iv)",
        "OP6(d)(v)",
    ]
    assert shown["OP6(d)(i)"][0] == "outline-sub level-3"
    assert shown["OP6(d)(i)"][1].startswith("(i) To continue, within the modalities")


def test_the_preview_shows_every_warning(client, editor, seed_document):
    client.force_login(editor)
    move_seed_aside(seed_document)
    text = SEED_TEXT.replace("Netherlands, Nicaragua", "Netherlands, Narnia, Nicaragua")
    text = text.replace("5. *Underlines further*", "9. *Underlines further*")
    page = preview(client, text=text, symbol=SEED_SYMBOL).content.decode()
    plan = importing.prepare_import(text, symbol=SEED_SYMBOL)
    assert len(plan.warnings) >= 2
    assert f"Check {len(plan.warnings)} things before importing" in page
    for warning in plan.warnings:
        assert html.escape(warning) in page
    assert "<strong>Narnia</strong>" in page
    assert "numbering jumps from 4 to 9" in page


def test_the_preview_comes_as_a_fragment_for_htmx(client, editor):
    client.force_login(editor)
    response = client.post(IMPORT_URL, {"text": real_text("A-RES-80-16")}, **HTMX)
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<div id="import-step"')
    assert "<html" not in page
    assert "Import A/RES/80/16" in page


def test_htmx_errors_come_as_a_fragment_too(client, editor):
    client.force_login(editor)
    response = client.post(IMPORT_URL, {"text": ""}, **HTMX)
    page = response.content.decode()
    assert response.status_code == 200  # htmx swaps only successful responses
    assert page.lstrip().startswith('<div id="import-step"')
    assert "Paste the text of the document" in page


def test_confirming_the_preview_imports_the_text_it_showed(client, editor, seed_document):
    client.force_login(editor)
    page = preview(client, text=real_text("A-RES-80-22"), revision_of=SEED_SLUG).content.decode()
    response = client.post(
        IMPORT_URL,
        {
            "text": hidden_text(page),
            "symbol": "A/RES/80/22",
            "date": "2025-12-05",
            "revision_of": SEED_SLUG,
            "save": "1",
        },
    )
    document = Document.objects.get(symbol="A/RES/80/22")
    assert response.status_code == 302
    assert response["Location"] == document.get_absolute_url()
    assert document.revision_of == seed_document
    assert document.paragraphs.count() == 19
    followed = client.get(response["Location"]).content.decode()
    assert "Imported A/RES/80/22 (resolution): 12 preambular paragraphs" in followed


def test_an_uploaded_file_is_previewed_and_carried_in_the_form(client, editor):
    client.force_login(editor)
    upload = SimpleUploadedFile("A-RES-80-23.txt", (TEXTS / "A-RES-80-23.txt").read_bytes())
    page = client.post(IMPORT_URL, {"upload": upload}).content.decode()
    assert "Import A/RES/80/23" in page
    assert hidden_text(page) == real_text("A-RES-80-23")


def test_the_seed_text_asks_for_its_symbol(client, editor):
    client.force_login(editor)
    response = preview(client, text=SEED_TEXT)
    page = response.content.decode()
    assert response.status_code == 400
    assert "does not print its symbol" in page
    assert "Nothing was imported." in page


BAD_INPUT = [
    ({"text": ""}, "Paste the text of the document, or choose a .txt file"),
    ({"text": "Dear colleagues,\n\nsee you at the meeting."}, "No paragraphs were found"),
    ({"text": "x" * (importing.MAX_TEXT_BYTES + 10)}, "The text is too long"),
    ({"text": real_text("A-RES-80-16") + "\x00"}, "This is not a text file"),
    (
        {"upload": SimpleUploadedFile("draft.pdf", b"%PDF-1.7\x00\x01\x02\xff")},
        "This is not a text file",
    ),
    (
        {"upload": SimpleUploadedFile("draft.txt", "Résolution".encode("latin-1"))},
        "The file is not UTF-8 text",
    ),
    (
        {"upload": SimpleUploadedFile("big.txt", b"a" * (importing.MAX_TEXT_BYTES + 1))},
        "The text is too long",
    ),
    ({"text": SEED_TEXT, "symbol": SEED_SYMBOL}, "A/C.1/76/L.13 is already in the workbench"),
    ({"text": SEED_TEXT, "symbol": "A/C.1/76/L.14"}, "already in the workbench as A/C.1/76/L.13"),
    ({"text": real_text("A-RES-80-16"), "revision_of": "nope"}, "Choose the earlier version"),
    ({"text": SEED_TEXT, "symbol": "A/C.1/76/L.77", "date": "8 Oct"}, "Write the date as"),
]


@pytest.mark.parametrize(("data", "message"), BAD_INPUT)
def test_bad_input_gets_a_clear_message_and_nothing_is_saved(client, editor, data, message):
    client.force_login(editor)
    before = Document.objects.count()
    response = client.post(IMPORT_URL, {**data, "save": "1"})
    assert response.status_code == 400
    assert html.escape(message) in response.content.decode()
    assert Document.objects.count() == before


def test_importing_the_same_text_twice_through_the_page_makes_one_document(client, editor):
    client.force_login(editor)
    data = {"text": real_text("A-RES-80-16"), "save": "1"}
    assert client.post(IMPORT_URL, data).status_code == 302
    second = client.post(IMPORT_URL, data)
    assert second.status_code == 400
    assert "A/RES/80/16 is already in the workbench" in second.content.decode()
    assert Document.objects.filter(symbol="A/RES/80/16").count() == 1


def test_the_import_page_needs_get_or_post(client, editor):
    client.force_login(editor)
    assert client.put(IMPORT_URL).status_code == 405


def test_an_untracked_agenda_item_gets_its_own_listing(db):
    from resolutions.models import AgendaListing

    document = importing.import_document(importing.prepare_import(real_text("A-RES-80-23")))
    listing = AgendaListing.objects.select_related("agenda_item").get(documents=document)
    assert (listing.session, listing.item_number) == (80, "99")
    assert listing.agenda_item.title == "General and complete disarmament"
    # A sub-item has a title of its own, and so a tracker of its own.
    other = importing.import_document(importing.prepare_import(real_text("A-RES-80-44")))
    assert other.agenda_listing.item_number == "99 (w)"
    assert other.agenda_listing.agenda_item.title.startswith("General and complete disarmament:")
