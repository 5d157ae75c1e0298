"""Quoted words highlighted in the text a delegate reads: whole, around the footnote
markers and citation links they contain, overlapping, at the place quoted, and only for
the notes the reader may see."""

from html.parser import HTMLParser

import pytest

from resolutions import services
from resolutions.models import Annotation, Document, Paragraph
from resolutions.pages.reading import document_as_issued
from resolutions.rendering import Highlight, Link, Marker, render_text
from tests.conftest import SEED_SLUG

READING_URL = f"/documents/{SEED_SLUG}/"


class Elements(HTMLParser):
    """The elements of an HTML fragment, checked to close in the order they opened."""

    VOID = {"br", "img", "input"}

    def __init__(self, html: str):
        super().__init__()
        self.open: list[str] = []
        self.marks: list[tuple[dict, str]] = []  # attributes and text of each <mark>
        self.in_mark: list[str] | None = None
        self.tip_depth = 0
        self.feed(html)
        assert not self.open, f"left open: {self.open}"

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.open.append(tag)
        attributes = dict(attrs)
        if tag == "mark":
            assert self.in_mark is None, "a mark inside a mark"
            self.in_mark = []
            self.marks.append((attributes, ""))
        if "quote-tip" in (attributes.get("class") or ""):
            self.tip_depth = len(self.open)

    def handle_endtag(self, tag):
        assert self.open[-1:] == [tag], f"</{tag}> closes {self.open}"
        if self.tip_depth == len(self.open):
            self.tip_depth = 0
        self.open.pop()
        if tag == "mark":
            attributes, _ = self.marks[-1]
            self.marks[-1] = (attributes, "".join(self.in_mark))
            self.in_mark = None

    def handle_data(self, data):
        if self.in_mark is not None and not self.tip_depth:
            self.in_mark.append(data)


def highlight(text: str, words: str, note_id: int, label: str = "lars: A note", nth: int = 0):
    start = -1
    for _ in range(nth + 1):
        start = text.index(words, start + 1)
    return Highlight(start, start + len(words), note_id, label)


def test_quoted_words_are_marked_and_describe_their_note():
    text = "Calls upon Member States to be guided;"
    html = render_text(text, highlights=[highlight(text, "Member States", 7)], highlight_ids="t")
    (attributes, words), *_ = Elements(html).marks
    assert words == "Member States"
    assert attributes["id"] == "quote-7"
    assert attributes["tabindex"] == "0"
    assert attributes["aria-describedby"] == "t-1"
    assert '<span class="quote-tip" id="t-1" aria-hidden="true">Note: lars: A note</span>' in html


def test_a_footnote_marker_inside_the_words_stays_whole_and_outside_the_marks():
    text = "in the Context of International Security;"
    html = render_text(
        text,
        markers=[Marker(text.index(";"), 2)],
        highlights=[highlight(text, "International Security;", 3)],
        highlight_ids="t",
    )
    marks = Elements(html).marks
    assert [words for _, words in marks] == ["International Security", ";"]
    assert marks[0][0]["id"] == "quote-3"
    assert "id" not in marks[1][0]
    assert (
        '</mark><sup class="footnote-ref"><a id="fnref2" href="#fn2" aria-label="Footnote 2">'
        "2</a></sup><mark" in html
    )


def test_words_across_a_citation_link_are_marked_inside_and_outside_it():
    text = "General Assembly resolution 75/240;"
    start = text.index("75/240")
    html = render_text(
        text,
        links=[Link(start, start + 6, "https://undocs.org/A/RES/75/240", "A/RES/75/240")],
        highlights=[highlight(text, "resolution 75/240;", 4)],
        highlight_ids="t",
    )
    marks = Elements(html).marks
    assert [words for _, words in marks] == ["resolution ", "75/240", ";"]
    assert 'title="A/RES/75/240 in the UN document system"><mark' in html
    # One focus stop for the note, where its words start; the link is the way into its own.
    assert [m[0].get("tabindex") for m in marks] == ["0", None, None]


def test_overlapping_quotes_are_cut_where_each_begins_and_ends():
    text = "to continue to inform the Secretary-General of their views"
    html = render_text(
        text,
        highlights=[
            highlight(text, "inform the Secretary-General", 1),
            highlight(text, "Secretary-General of their views", 2),
        ],
        highlight_ids="t",
    )
    marks = Elements(html).marks
    assert [(attributes["data-notes"], words) for attributes, words in marks] == [
        ("1", "inform the "),
        ("1 2", "Secretary-General"),
        ("2", " of their views"),
    ]
    assert marks[0][0]["id"] == "quote-1"
    assert marks[1][0]["id"] == "quote-2"
    assert [m[0].get("tabindex") for m in marks] == ["0", "0", None]
    assert "2 notes: lars: A note; lars: A note" in html


def test_two_quotes_of_the_same_words_each_have_an_anchor():
    text = "Invites all Member States"
    html = render_text(
        text,
        highlights=[highlight(text, "Member States", 1), highlight(text, "Member States", 2)],
    )
    assert '<span id="quote-2"></span><mark class="quote-highlight" id="quote-1"' in html


def test_what_a_note_says_is_escaped_in_its_highlight():
    text = "Invites all Member States"
    html = render_text(text, highlights=[highlight(text, "Member", 1, "x: <script>alert(1)")])
    assert "<script>" not in html
    assert "x: &lt;script&gt;alert(1)" in html


def test_no_highlight_leaves_the_text_as_it_was():
    text = "Recalling resolution 75/240,"
    links = [Link(21, 27, "https://undocs.org/A/RES/75/240", "A/RES/75/240")]
    plain = render_text(text, lead="Recalling", links=links, markers=[Marker(28, 1)])
    assert (
        render_text(
            text,
            lead="Recalling",
            links=links,
            markers=[Marker(28, 1)],
            highlights=[Highlight(5, 3, 1, "backwards"), Highlight(0, 99, 2, "past the end")],
        )
        == plain
    )


# On the reading page ----------------------------------------------------------------------


@pytest.fixture
def op3(db):
    return Paragraph.objects.get(document__slug=SEED_SLUG, label="op3")


def paragraph_html(client, label: str) -> str:
    html = client.get(READING_URL).content.decode()
    start = html.index(f'<p class="paragraph-text" id="text-{label}">')
    return html[start : html.index("</p>", start)]


def note_on(author, paragraph, words, *, nth=0, **fields) -> Annotation:
    start = -1
    for _ in range(nth + 1):
        start = paragraph.text.index(words, start + 1)
    return services.annotation_create(
        author=author,
        paragraph=paragraph,
        body=fields.pop("body", "Which report is meant?"),
        quote=words,
        quote_start=start,
        **fields,
    )


def test_the_reading_page_marks_the_occurrence_quoted(client, lars, op3):
    """OP3 says "2021 report of the" twice; the note quotes the second."""
    note = note_on(lars, op3, "2021 report of the", nth=1)
    client.force_login(lars)
    html = paragraph_html(client, "op3")
    second = html.index("2021 report of the", html.index("2021 report of the") + 1)
    assert html.index(f'id="quote-{note.pk}"') < second
    assert html.count("<mark") == 1
    assert "lars (Norway): Which report is meant?" in html


def test_a_quote_up_to_a_footnote_marker_keeps_the_marker(client, lars):
    """OP1's footnote marker stands after its last word, as the draft prints it."""
    op1 = Paragraph.objects.get(document__slug=SEED_SLUG, label="op1")
    note_on(lars, op1, "International Security;")
    client.force_login(lars)
    html = paragraph_html(client, "op1")
    assert (
        '</mark><sup class="footnote-ref"><a id="fnref2" href="#fn2" aria-label="Footnote 2">'
        "2</a></sup>" in html
    )
    assert [words for _, words in Elements(html + "</p>").marks] == ["International Security;"]


def test_a_note_the_reader_may_not_see_gives_no_highlight(client, lars, amina, op3):
    note_on(amina, op3, "Open-ended Working Group", body="Nigeria's red line", visibility="private")
    client.force_login(lars)
    html = client.get(READING_URL).content.decode()
    assert "quote-highlight" not in html
    assert "red line" not in html
    client.force_login(amina)
    assert "Nigeria&#x27;s red line" in paragraph_html(client, "op3")


def test_a_highlight_drawn_for_one_reader_is_not_on_the_next_readers_text(client, lars, amina, op3):
    """Each process keeps the text as issued for every reader of the document; the
    highlights are drawn on the reader's own copy of the paragraph, so the next reader, who
    may not see the note, gets the words without them (and without its first words in a
    tooltip)."""
    note_on(amina, op3, "Open-ended Working Group", body="Nigeria's red line", visibility="private")
    client.force_login(amina)
    assert "quote-highlight" in paragraph_html(client, "op3")
    client.force_login(lars)
    html = client.get(READING_URL).content.decode()
    assert "quote-highlight" not in html
    assert "red line" not in html
    text, _ = document_as_issued(op3.document)
    assert all(item.notes is None for item in text.all_paragraphs())


def test_an_orphaned_quote_is_not_put_on_any_words(client, lars, op3):
    note = note_on(lars, op3, "Open-ended Working Group")
    Annotation.objects.filter(pk=note.pk).update(orphaned_since="A/C.1/76/L.13")
    Document.objects.filter(slug=SEED_SLUG).mark_changed()
    client.force_login(lars)
    html = client.get(READING_URL).content.decode()
    assert "<mark" not in html
    assert f"#quote-{note.pk}" not in html


def test_highlights_cost_the_reading_page_no_query(
    client, lars, ingrid, op3, django_assert_num_queries
):
    client.force_login(lars)
    # The page cold: its text, its parts and the header's unread count (Inbox (3)).
    with django_assert_num_queries(20):
        client.get(READING_URL)
    paragraphs = list(Paragraph.objects.filter(document__slug=SEED_SLUG))
    for paragraph in paragraphs:
        words = paragraph.text.split()
        note_on(lars, paragraph, " ".join(words[2:5]))
        note_on(ingrid, paragraph, " ".join(words[3:7]), visibility="public")
    # Every paragraph is drawn again, with its highlights, in the queries that draw any
    # number of paragraphs again (tests/pages/test_reading_cache.py); the text and the
    # reader's circles are cached.
    with django_assert_num_queries(12):
        html = client.get(READING_URL).content.decode()
    assert html.count('class="quote-highlight"') >= 2 * len(paragraphs)
