"""The five real texts imported as a delegate imports them — the text as the official PDF
gives it, read by the parser, saved by the import — hold exactly what their expected
readings say: every paragraph word for word under its label, every footnote on the
paragraph holding its marker, every link to its address and no other, the headings of the
structure, a resolution's adoption, report and closing lines; a draft and the resolution it
became compare as unchanged, paragraph by paragraph; and none of them warns of anything.
"""

import pytest

from resolutions.models import Citation, Document, Footnote, Paragraph
from resolutions.pages.text_comparison import compare_documents
from resolutions.services import importing
from resolutions.un.reading_accuracy import PRINTED_SYMBOLS_NOT_LISTED, read_expected_reading
from resolutions.un.reference import REAL_TEXTS_DIR
from tests.factories import make_delegate

NAMES = ["A-C.1-80-L.9", "A-C.2-80-L.28", "A-C.6-80-L.10", "A-RES-80-161", "A-RES-80-46"]
PAIRS = [("A-C.1-80-L.9", "A-RES-80-46"), ("A-C.6-80-L.10", "A-RES-80-161")]


def import_real(name: str) -> tuple[Document, importing.ImportPlan]:
    expected = read_expected_reading(name)
    text = (REAL_TEXTS_DIR / f"{name}.txt").read_text(encoding="utf-8")
    plan = importing.prepare_import(text, symbol=expected["symbol"])
    return importing.import_document(plan), plan


@pytest.mark.parametrize("name", NAMES)
def test_a_real_text_imports_exactly_as_it_reads(db, name):
    expected = read_expected_reading(name)
    document, plan = import_real(name)

    assert plan.parsed.warnings == []
    paragraphs = Paragraph.objects.filter(document=document).order_by("order")
    assert [(p.label, p.text) for p in paragraphs] == [
        (p["label"], p["text"]) for p in expected["paragraphs"]
    ]
    footnotes = Footnote.objects.filter(document=document).select_related("paragraph")
    assert sorted((f.number, f.paragraph.label, f.text) for f in footnotes) == sorted(
        (int(n["number"]), n["marker_in"], n["text"].strip()) for n in expected["footnotes"]
    )

    links = sorted(
        (
            f"note {c.footnote.number}" if c.footnote_id else c.paragraph.label,
            c.text,
            c.url,
        )
        for c in Citation.objects.filter(paragraph__document=document).select_related(
            "paragraph", "footnote"
        )
    )
    listed = [(c["in"], c["text"], c["url"]) for c in expected["citations_seen"] if c["url"]]
    assert links == sorted(listed + PRINTED_SYMBOLS_NOT_LISTED.get(expected["symbol"], []))

    headings = [
        " ".join(part for part in (h["number"], h["title"]) if part)
        for p in paragraphs
        for h in p.headings
    ]
    assert headings == expected["section_headings"]
    heading = expected["heading"]
    assert document.title == heading["title"]
    assert document.kind == heading["kind"]
    assert document.adoption == heading.get("adopted", "")
    assert document.committee_report == heading.get("committee_report", "")
    assert document.closing.strip() == (expected["closing"] or "").strip()
    assert document.agenda_listing.item_number == heading["agenda_item"]


@pytest.mark.parametrize(("draft", "resolution"), PAIRS)
def test_a_draft_and_the_resolution_it_became_compare_as_unchanged(db, draft, resolution):
    earlier, _ = import_real(draft)
    later, plan = import_real(resolution)

    # The resolution names the draft it was adopted from, proposed because both are held.
    assert plan.revision_of == earlier
    assert later.revision_of == earlier
    # Its committee is the one whose report it was adopted on.
    assert later.committee == earlier.committee

    comparison = compare_documents(earlier, later)
    assert comparison.result.summary["unchanged"] == len(comparison.result.pairs)
    assert [(pair.a, pair.b) for pair in comparison.result.pairs] == [
        (label, label) for label in comparison.b_paragraphs
    ]


def test_a_draft_under_two_agenda_items_keeps_both_numbers(db):
    text = (REAL_TEXTS_DIR / "A-C.1-80-L.9.txt").read_text(encoding="utf-8")
    text = text.replace("Agenda item 99 (y)", "Agenda items 98 (a) and 98 (b)", 1)
    document = importing.import_document(importing.prepare_import(text, symbol="A/C.1/80/L.9"))
    assert document.agenda_listing.item_number == "98 (a) and 98 (b)"
    assert document.agenda_listing.agenda_item.title == (
        "General and complete disarmament: the Arms Trade Treaty"
    )


def test_a_draft_imported_after_its_resolution_is_named_as_its_draft(db, client):
    resolution, _ = import_real("A-RES-80-46")
    assert resolution.revision_of is None
    expected = read_expected_reading("A-C.1-80-L.9")
    text = (REAL_TEXTS_DIR / "A-C.1-80-L.9.txt").read_text(encoding="utf-8")
    plan = importing.prepare_import(text, symbol=expected["symbol"])
    assert plan.adopted_as == resolution
    draft = importing.import_document(plan)
    resolution.refresh_from_db()
    assert resolution.revision_of == draft
    html = client.get(draft.get_absolute_url()).content.decode()
    assert 'href="/documents/a-res-80-46/"' in html


def test_the_preview_says_which_held_resolution_the_draft_became(db, client):
    import_real("A-RES-80-46")
    client.force_login(make_delegate("erik", "Norway", editor=True))
    text = (REAL_TEXTS_DIR / "A-C.1-80-L.9.txt").read_text(encoding="utf-8")
    page = client.post("/import/", {"text": text, "symbol": "A/C.1/80/L.9"}).content.decode()
    assert "<dt>Adopted as</dt>" in page
    assert '<a href="/documents/a-res-80-46/">A/RES/80/46</a>' in page
