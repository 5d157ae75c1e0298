"""Sub-paragraphs at every depth: A/C.6/80/L.10 has (i) to (v) under 6 (d). The reading
page, the briefing and the version comparison show each level nested under its parent, with
its anchor, number and text, in the document's order, in as many queries as a flat text."""

from html.parser import HTMLParser

import pytest

from resolutions.models import Citation, Document, Footnote, Paragraph
from resolutions.services import importing
from resolutions.un.reference import REAL_TEXTS_DIR
from tests.factories import expected_reading, make_annotation, make_document, make_real_document

L10 = "A-C.6-80-L.10"
D_ITEMS = ["op6-d-i", "op6-d-ii", "op6-d-iii", "op6-d-iv", "op6-d-v"]
HTMX = {"HTTP_HX_REQUEST": "true"}


def expected_paragraphs(stem: str = L10) -> list[dict]:
    return expected_reading(stem)["paragraphs"]


def depth_of(label: str) -> int:
    return label.count("-") + 1


# What is not the paragraph's own text: its margin, its notes and their numbers.
MARGIN_CLASSES = {"notes", "paragraph-notes", "paragraph-margin", "endnote-refs", "visually-hidden"}


class _ParagraphBlocks(HTMLParser):
    """Each ``<div class="paragraph ...">`` (reading page, briefing) or ``<li
    class="compare-row ...">`` of a page: its id, classes, label, number and text."""

    def __init__(self, block_class: str) -> None:
        super().__init__()
        self.block_class = block_class
        self.blocks: list[dict] = []
        self._open: list[str | None] = []  # what each open element is, for the block
        self._depth_in_block = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        if self.block_class in classes and tag in ("div", "li"):
            self.blocks.append(
                {"id": attributes.get("id"), "classes": classes, "label": "", "number": ""}
                | {"text": "", "href": [], "in": None}
            )
            self._depth_in_block = 1
            return
        if not self._depth_in_block:
            return
        if tag not in ("br", "input", "img"):
            self._depth_in_block += 1
        block = self.blocks[-1]
        if "paragraph-label" in classes or "compare-label" in classes:
            block["in"] = "label"
        elif "paragraph-number" in classes or "compare-number" in classes:
            block["in"] = "number"
        elif "paragraph-text" in classes or "compare-text" in classes:
            block["in"] = "text"
        elif MARGIN_CLASSES & set(classes):
            block["in"] = None
        if tag == "a" and attributes.get("href"):
            block["href"].append(attributes["href"])

    def handle_endtag(self, tag):
        if not self._depth_in_block or tag in ("br", "input", "img"):
            return
        self._depth_in_block -= 1
        if self._depth_in_block and self.blocks[-1]["in"] == "number" and tag == "span":
            self.blocks[-1]["in"] = "text"

    def handle_data(self, data):
        if self._depth_in_block and self.blocks[-1]["in"]:
            self.blocks[-1][self.blocks[-1]["in"]] += data


def blocks(page: str, block_class: str = "paragraph") -> list[dict]:
    parser = _ParagraphBlocks(block_class)
    parser.feed(page)
    for block in parser.blocks:
        block["label"] = block["label"].strip()
        block["number"] = block["number"].strip()
        block["text"] = block["text"].strip()
    return parser.blocks


def printed_number(row: dict) -> str:
    if row["part"] == "preambular":
        return ""
    return f"{row['number']}." if depth_of(row["label"]) == 1 else f"({row['number']})"


def display_label(label: str) -> str:
    head, *subs = label.split("-")
    return head.upper() + "".join(f"({sub})" for sub in subs)


@pytest.fixture
def l10(db):
    return make_real_document(L10)


def deep_document() -> Document:
    """A small document whose second operative paragraph nests six levels deep."""
    document = make_document(paragraphs=2, symbol="A/C.3/99/L.6")
    parent = Paragraph.objects.get(document=document, label="op2")
    order = 100
    for step, number in enumerate(["a", "i", "aa", "1", "x"]):
        order += 1
        parent = Paragraph.objects.create(
            document=document,
            part=Paragraph.Part.OPERATIVE,
            label=f"{parent.label}-{number}",
            number=f"({number})",
            order=order,
            parent=parent,
            text=f"Level {step + 2} of the second operative paragraph;",
        )
    return document


def assert_every_level_in_order(found: list[dict], stem: str = L10) -> None:
    """``found`` holds every paragraph of ``stem`` in its order, each with its anchor, label,
    number, text and the indentation of its depth."""
    expected = expected_paragraphs(stem)
    assert [block["id"] for block in found] == [row["label"] for row in expected]
    for block, row in zip(found, expected, strict=True):
        label, depth = row["label"], depth_of(row["label"])
        assert block["label"] == display_label(label), label
        assert block["number"] == printed_number(row), label
        assert block["text"] == row["text"], label
        if depth == 1:
            assert "subparagraph" not in block["classes"], label
        else:
            assert {"subparagraph", f"level-{depth}"} <= set(block["classes"]), label


# The reading page --------------------------------------------------------------------------


def test_the_reading_page_shows_every_level_with_its_anchor_number_and_text(client, l10):
    page = client.get(l10.get_absolute_url()).content.decode()

    found = blocks(page)

    assert_every_level_in_order(found)
    by_id = {block["id"]: block for block in found}
    assert by_id["op6"]["number"] == "6."
    assert by_id["op6-d"]["number"] == "(d)"
    assert [by_id[label]["number"] for label in D_ITEMS] == ["(i)", "(ii)", "(iii)", "(iv)", "(v)"]
    assert by_id["op6-d-iii"]["href"][0] == "#op6-d-iii"
    assert by_id["op6-d-iii"]["classes"] == ["paragraph", "subparagraph", "level-3"]
    assert by_id["op6-d"]["classes"] == ["paragraph", "subparagraph", "level-2"]
    assert by_id["op6"]["classes"] == ["paragraph", "operative"]


def test_a_text_imported_with_three_levels_reads_with_three_levels(client, db):
    text = (REAL_TEXTS_DIR / f"{L10}.txt").read_text(encoding="utf-8")
    document = importing.import_document(importing.prepare_import(text))

    found = blocks(client.get(document.get_absolute_url()).content.decode())

    ids = [block["id"] for block in found]
    assert ids[ids.index("op6") : ids.index("op7")] == [
        "op6",
        *(f"op6-{letter}" for letter in "abcd"),
        *D_ITEMS,
        "op6-e",
        "op6-f",
    ]
    by_id = {block["id"]: block for block in found}
    for label in D_ITEMS:
        assert by_id[label]["classes"] == ["paragraph", "subparagraph", "level-3"]
        assert by_id[label]["number"] == f"({label.rsplit('-', 1)[1]})"
    assert by_id["op6-d"]["text"] == "In respect of topics related to digital trade:"


def test_every_level_takes_notes(client, lars, l10):
    client.force_login(lars)
    page = client.get(l10.get_absolute_url()).content.decode()
    for label in ["op6", "op6-d", *D_ITEMS]:
        assert f'action="/documents/{l10.slug}/paragraphs/{label}/annotations/"' in page
        assert f'id="notes-{label}"' in page
        assert f'placeholder="Add a note on {display_label(label)}…"' in page

    fields = {"body": "Ask the capital about DAOs", "visibility": "delegation", "tags": ""}
    url = f"/documents/{l10.slug}/paragraphs/op6-d-iii/annotations/"
    fragment = client.post(url, fields, **HTMX).content.decode()
    assert fragment.lstrip().startswith('<aside class="notes" id="notes-op6-d-iii"')
    assert "Ask the capital about DAOs" in fragment
    assert client.post(url, {**fields, "body": "And platforms"}).status_code == 302

    page = client.get(l10.get_absolute_url()).content.decode()
    margin = page[page.index('id="notes-op6-d-iii"') : page.index('id="notes-op6-d-iv"')]
    assert "2 notes" in margin
    assert "Ask the capital about DAOs" in margin
    assert "And platforms" in margin


def test_footnotes_and_citations_at_the_third_level_are_linked_and_listed(client, l10):
    op6_d_ii = Paragraph.objects.get(document=l10, label="op6-d-ii")
    Footnote.objects.create(
        document=l10,
        paragraph=op6_d_ii,
        number=13,
        position=len(op6_d_ii.text),
        text="See A/CN.9/1200, para. 12.",
    )
    op6_d_iv = Paragraph.objects.get(document=l10, label="op6-d-iv")
    Citation.objects.create(
        paragraph=op6_d_iv,
        kind=Citation.Kind.RESOLUTION,
        text="digital",
        symbol="A/RES/79/999",
        start=op6_d_iv.text.index("digital"),
        end=op6_d_iv.text.index("digital") + len("digital"),
    )

    page = client.get(l10.get_absolute_url()).content.decode()

    assert 'href="#fn13"' in page
    assert '↩ OP6(d)(ii)<span class="visually-hidden">' in page
    assert 'href="https://undocs.org/A/RES/79/999"' in page
    cited = page[page.index('id="cited-heading"') :]
    assert "A/RES/79/999 — https://undocs.org/A/RES/79/999" in cited


def test_the_reading_page_costs_the_same_at_any_depth(client, lars, l10, django_assert_num_queries):
    deep = deep_document()
    # As pinned for the seed and for a flat document of 60 paragraphs (the versions are one).
    for document in (l10, deep):
        with django_assert_num_queries(8):
            page = client.get(document.get_absolute_url()).content.decode()
    assert 'class="paragraph subparagraph level-5" id="op2-a-i-aa-1"' in page
    # Deeper than five levels, the text is indented as the fifth level.
    assert 'class="paragraph subparagraph level-5" id="op2-a-i-aa-1-x"' in page

    client.force_login(lars)
    for label in ["op6", "op6-d", *D_ITEMS]:
        make_annotation(lars, Paragraph.objects.get(document=l10, label=label), f"On {label}")
    deepest = Paragraph.objects.get(document=deep, label="op2-a-i-aa-1-x")
    make_annotation(lars, deepest, "On the sixth level")
    for document in (l10, deep):
        # The first reading for this reader, then cached: the text is cached already (for
        # everyone, read above). The session, the user with the editor check, the document, its
        # paragraphs' versions and the header's unread count; the versions and the pen
        # holders for the reader's header; the margins: circles, notes (5), proposals (2).
        with django_assert_num_queries(15):
            page = client.get(document.get_absolute_url()).content.decode()
        # One more: the header's unread count (Inbox (3)); one more, the paragraphs' versions.
        with django_assert_num_queries(5):
            client.get(document.get_absolute_url())
    assert "On the sixth level" in page


# The briefing ------------------------------------------------------------------------------


def test_the_briefing_prints_every_level_with_the_notes_on_it(client, lars, l10):
    make_annotation(lars, Paragraph.objects.get(document=l10, label="op6-d-iv"), "Platforms")
    make_annotation(lars, Paragraph.objects.get(document=l10, label="op6-d"), "Digital trade")
    client.force_login(lars)

    page = client.get(f"/documents/{l10.slug}/briefing/?notes_at=end").content.decode()

    found = blocks(page[page.index('id="text-heading"') :])
    assert_every_level_in_order(found)
    endnotes = page[page.index('id="notes-heading"') :]
    assert endnotes.index("<strong>OP6(d)</strong>") < endnotes.index("<strong>OP6(d)(iv)</strong>")
    by_id = {block["id"]: block for block in found}
    assert (
        '<span class="paragraph-label">OP6(d)(iv)<span class="endnote-refs"> · notes 2</span>'
        in page
    )
    assert by_id["op6-d-iv"]["classes"] == ["paragraph", "subparagraph", "level-3"]
    assert by_id["op6-d-iv"]["label"] == "OP6(d)(iv)"

    # By default each note prints under its own paragraph, at any depth.
    page = client.get(f"/documents/{l10.slug}/briefing/").content.decode()
    assert_every_level_in_order(blocks(page[page.index('id="text-heading"') :]))
    text = page[page.index('id="text-heading"') :]
    assert text.index('id="op6-d"') < text.index("Digital trade") < text.index('id="op6-d-i"')
    assert text.index('id="op6-d-iv"') < text.index("Platforms") < text.index('id="op6-d-v"')


def test_the_briefing_costs_the_same_at_any_depth(client, lars, l10, django_assert_num_queries):
    client.force_login(lars)
    deep = deep_document()
    make_annotation(lars, Paragraph.objects.get(document=l10, label="op6"), "On 6")
    make_annotation(lars, Paragraph.objects.get(document=deep, label="op2"), "On 2")
    # The seed's briefing (19, test_briefing) adds its agenda item's follow-up; these have none.
    # One more: the header's unread count (Inbox (3)).
    with django_assert_num_queries(15) as flat:
        client.get(f"/documents/{deep.slug}/briefing/")
    for label in ["op6-d", *D_ITEMS]:
        make_annotation(lars, Paragraph.objects.get(document=l10, label=label), f"On {label}")
    make_annotation(lars, Paragraph.objects.get(document=deep, label="op2-a-i-aa-1-x"), "Deep")
    for document in (l10, deep):
        with django_assert_num_queries(len(flat.captured_queries)):
            page = client.get(f"/documents/{document.slug}/briefing/").content.decode()
    assert 'aria-label="Notes on OP2(a)(i)(aa)(1)(x)"' in page
    with django_assert_num_queries(len(flat.captured_queries)):
        page = client.get(f"/documents/{deep.slug}/briefing/?notes_at=end").content.decode()
    assert "<strong>OP2(a)(i)(aa)(1)(x)</strong>" in page


# The version comparison --------------------------------------------------------------------


@pytest.fixture
def res161(l10):
    return make_real_document("A-RES-80-161", revision_of=l10)


def test_the_comparison_shows_every_level_with_its_anchor(client, l10, res161):
    page = client.get(f"/compare/text/?a={l10.slug}&b={res161.slug}").content.decode()

    rows = blocks(page, "compare-row")

    expected = expected_paragraphs()
    assert [row["id"] for row in rows] == [row["label"] for row in expected]
    for row, paragraph in zip(rows, expected, strict=True):
        label, depth = paragraph["label"], depth_of(paragraph["label"])
        assert row["number"] == printed_number(paragraph), label
        assert row["text"] == paragraph["text"].replace("non-State", "non\u2011State"), label
        assert (
            row["href"]
            == [
                f"/documents/{l10.slug}/#{label}",
                f"/documents/{res161.slug}/#{label}",
            ][: len(row["href"])]
        )
        if depth == 1:
            assert "is-sub" not in row["classes"], label
        else:
            assert {"is-sub", f"level-{depth}"} <= set(row["classes"]), label
    assert page.count(">Unchanged</span>") == len(expected)


def test_a_changed_third_level_paragraph_shows_its_words(client, l10, res161):
    item = Paragraph.objects.get(document=res161, label="op6-d-ii")
    item.text = item.text.replace("preparatory work", "exploratory work")
    item.save()

    page = client.get(f"/compare/text/?a={l10.slug}&b={res161.slug}&show=changes").content.decode()

    (row,) = blocks(page, "compare-row")
    assert row["id"] == "op6-d-ii"
    assert row["number"] == "(ii)"
    assert {"status-changed", "is-sub", "level-3"} <= set(row["classes"])
    assert "[deleted: </span>preparatory</del>" in page
    assert "[added: </span>exploratory</ins>" in page


def test_the_comparison_costs_the_same_at_any_depth(client, l10, res161, django_assert_num_queries):
    deep = deep_document()
    # As pinned for flat documents: the chooser's documents, the two documents, their
    # paragraphs, their sponsors.
    with django_assert_num_queries(5):
        client.get(f"/compare/text/?a={l10.slug}&b={res161.slug}")
    with django_assert_num_queries(5):
        page = client.get(f"/compare/text/?a={l10.slug}&b={deep.slug}").content.decode()
    assert 'class="compare-row status-added is-sub level-5" id="op2-a-i-aa-1-x"' in page
    with django_assert_num_queries(4):
        client.get(f"/compare/text.json?a={l10.slug}&b={res161.slug}")
