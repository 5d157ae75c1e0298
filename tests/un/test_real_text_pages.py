"""The real texts laid out again the way a PDF page gives them, with the pages broken
elsewhere: the reading must not change.

From the expected reading of each real text (its paragraphs and footnotes) and the heading
lines of its ``.txt``, a generator lays the text out on pages broken at random points:
between paragraphs, between a sub-paragraph and the paragraph it belongs to, in the middle of
a paragraph and of a sentence. At each break stands what the PDF text puts there, in the
shape the real ``.txt`` files show: the footnote rule, the notes whose markers fell on the
page ("N text", blank-line separated), then the page furniture (the symbol, "3/8", the job
number; the running title, always on a resolution and sometimes on a draft; sometimes the
barcode) in varying order, then the text goes on. Each marker stands where the real text
has it, glued to its word ("Security,1", "documents;2") or after a space ("Notes; 3",
"minorities, 13", "2022, 8 to convene").

Wherever the pages break, every paragraph is read verbatim under its label and every
footnote lands on its paragraph; and where the furniture stands (before or after a page's
notes, or once more after the closing line) changes nothing.
"""

import functools
import re
from dataclasses import dataclass, field, replace

import pytest
from hypothesis import HealthCheck, Phase, given, note, settings
from hypothesis import strategies as st

from resolutions.un.parsing import ParsedDocument, parse_resolution
from resolutions.un.reading_accuracy import (
    read_expected_reading,
    read_real_text,
    real_text_names,
    score_footnotes,
    score_paragraphs,
)
from tests.un.test_parser_work import cpu_budget

NAMES = real_text_names()
# A real text parses in a few hundredths of a second; the budget keeps the examples quick.
BUDGET_SECONDS = 2.0
HEADING_END = "The General Assembly,"
RULE = re.compile(r"^_{5,}$")
PAGE_NUMBER = re.compile(r"^\d+/\d+$")
JOB_NUMBER = re.compile(r"^(\d\d-\d{5}) \(E\)")
BARCODE = re.compile(r"^\*\d{7}\*$")
TOKEN = re.compile(r"[^ \n]+")
# No shrinking: while the parser still misreads these texts, shrinking a failure takes
# minutes; the first failing layout, described page by page, is as useful.
PROPERTY_SETTINGS = settings(
    max_examples=30,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@dataclass(frozen=True)
class SourceParagraph:
    """One paragraph of the expected reading, with what the page prints around it."""

    label: str
    prefix: str  # as printed before the text: "1.", "(a)", "" for a preambular paragraph
    words: tuple[str, ...]  # the expected text, split at its spaces
    markers: tuple[tuple[int, int], ...]  # (index of the word the marker follows, note)
    section: tuple[str, ...]  # the heading printed before it, a line each: ("I", "Legis…")


@dataclass(frozen=True)
class PageBreak:
    """The page ends after word ``word`` of paragraph ``paragraph`` (after its last word: the
    page ends between paragraphs), or inside it after its first ``cut`` characters, at a
    hyphen ("Secretary-" on one page, "General" on the next). Then come the notes whose
    markers fell on the page, and the furniture lines in the order given, a blank line
    before each that ``groups`` marks; with ``furniture_first`` the furniture comes before
    the notes."""

    paragraph: int
    word: int
    furniture: tuple[str, ...]
    groups: tuple[bool, ...]
    furniture_first: bool = False
    cut: int = 0


#: How a marker stands: "glued" to its word ("Security,1"), "spaced" after it ("Notes; 3",
#: "2022, 8 to"), or glued to the next word ("Parties, 8and", once in A/RES/80/46).
MARKER_STYLES = ("glued", "spaced")


@dataclass(frozen=True)
class Layout:
    breaks: tuple[PageBreak, ...]
    # The style of each marker, in document order; ``describe`` lists them by note.
    markers: tuple[str, ...] = field(repr=False)
    # The last page's furniture once more: "" (no), "closing" (after the closing line, before
    # the last notes) or "end" (after everything).
    last_furniture: str = ""


@dataclass(frozen=True)
class Source:
    """A real text taken apart: what its pages are made of, and how the real text lays
    them out (``printed``)."""

    name: str
    symbol: str
    kind: str
    title: str
    heading: str  # the .txt up to and including "The General Assembly,"
    paragraphs: tuple[SourceParagraph, ...]
    notes: dict[int, str]
    closing: str
    rule: str  # the footnote rule as this text prints it
    job: str  # "25-17986"
    barcode: str  # "*2517986*"
    printed: Layout


@dataclass
class Token:
    """A word of the body of a real text, and the page material just before it, if any."""

    text: str
    page_break: tuple[tuple[str, ...], tuple[bool, ...], bool] | None = None


def body_tokens(body: str, furniture: set[str]) -> list[Token]:
    """The words of the body of a real ``.txt`` with the page material taken out (the
    footnote rule, the notes under it, the furniture lines), each break kept on the word
    after it."""
    tokens: list[Token] = []
    material: list[str] | None = None  # the lines of the page material being passed over
    in_notes = False  # under the rule, before any furniture
    for line in body.split("\n"):
        is_furniture = line in furniture or bool(PAGE_NUMBER.match(line))
        if RULE.match(line) or is_furniture:
            material = [] if material is None else material
            material.append(line)
            in_notes = not is_furniture
        elif material is not None and (not line or in_notes):
            material.append(line)  # a blank line, or a note
        else:
            words = [Token(word) for word in TOKEN.findall(line)]
            if material is not None and words:
                words[0].page_break = page_material(material, furniture)
                material = None
            tokens.extend(words)
    return tokens


def page_material(lines: list[str], furniture: set[str]) -> tuple:
    """What a break shows: its furniture lines in order, which of them follow a blank line,
    and whether the furniture comes before the rule."""
    shown = [i for i, line in enumerate(lines) if line in furniture or PAGE_NUMBER.match(line)]
    rule = next((i for i, line in enumerate(lines) if RULE.match(line)), len(lines))
    groups = tuple(i == 0 or not lines[i - 1] for i in shown)
    return tuple(lines[i] for i in shown), groups, shown[0] < rule


def printed_prefix(paragraph: dict) -> str:
    if paragraph["part"] == "preambular":
        return ""
    if "-" in paragraph["label"]:
        return f"({paragraph['number']})"
    return f"{paragraph['number']}."


@functools.cache
def source_of(name: str) -> Source:
    """``name`` taken apart: each paragraph's words from the expected reading; where its
    markers, section headings and page breaks stand from the real ``.txt``, walking both
    word by word."""
    expected = read_expected_reading(name)
    text = read_real_text(name)
    symbol, title = expected["symbol"], expected["heading"]["title"]
    heading_end = text.index(HEADING_END) + len(HEADING_END)
    heading_lines = text[:heading_end].split("\n")
    job = next(JOB_NUMBER.match(line)[1] for line in heading_lines if JOB_NUMBER.match(line))
    barcode = next(line for line in heading_lines if BARCODE.match(line))
    tokens = body_tokens(text[heading_end:], {symbol, title, job, barcode})
    sections = [heading.split(" ", 1) for heading in expected["section_headings"]]
    breaks: list[PageBreak] = []
    styles: list[str] = []
    at = 0
    previous = (0, 0)  # the paragraph and word last read

    def take() -> str:
        nonlocal at
        token = tokens[at]
        if token.page_break:
            furniture, groups, first = token.page_break
            breaks.append(PageBreak(*previous, furniture, groups, first))
        at += 1
        return token.text

    paragraphs = []
    for i, paragraph in enumerate(expected["paragraphs"]):
        section: tuple[str, ...] = ()
        if sections:
            lines = [sections[0][0], *sections[0][1].split()]
            if [t.text for t in tokens[at : at + len(lines)]] == lines:
                section = tuple(sections.pop(0))
                for _ in lines:
                    take()
        prefix = printed_prefix(paragraph)
        if prefix:
            assert take() == prefix, (name, paragraph["label"])
        words = paragraph["text"].split(" ")
        waiting = list(paragraph["footnote_markers"])
        markers = []
        k = 0
        while k < len(words) or (
            waiting and at < len(tokens) and tokens[at].text == str(waiting[0])
        ):
            token = take()
            if (
                k < len(words)
                and token.endswith("-")
                and words[k].startswith(token)
                and tokens[at].page_break
            ):  # a word broken at its hyphen over a page break
                furniture, groups, first = tokens[at].page_break
                breaks.append(PageBreak(i, k, furniture, groups, first, cut=len(token)))
                token += tokens[at].text
                at += 1
            marker = str(waiting[0]) if waiting else None
            if k < len(words) and token == words[k]:
                k += 1
            elif marker and token == marker:
                markers.append((k - 1, waiting.pop(0)))
                styles.append("spaced")
            elif marker and k < len(words) and token == words[k] + marker:
                markers.append((k, waiting.pop(0)))
                styles.append("glued")
                k += 1
            elif marker and k < len(words) and token == marker + words[k]:
                markers.append((k - 1, waiting.pop(0)))
                styles.append("forward")
                k += 1
            else:
                raise AssertionError(f"{name} {paragraph['label']}: {token!r} / {words[k]!r}")
            previous = (i, max(k - 1, 0))
        assert not waiting, (name, paragraph["label"], waiting)
        paragraphs.append(
            SourceParagraph(paragraph["label"], prefix, tuple(words), tuple(markers), section)
        )
    closing = (expected["closing"] or "").strip()
    assert [take() for _ in range(len(tokens) - at)] == closing.split(), name
    return Source(
        name=name,
        symbol=symbol,
        kind=expected["heading"]["kind"],
        title=title,
        heading=text[:heading_end],
        paragraphs=tuple(paragraphs),
        notes={int(n["number"]): n["text"].strip() for n in expected["footnotes"]},
        closing=closing,
        rule=next(line for line in text.split("\n") if RULE.match(line)),
        job=job,
        barcode=barcode,
        printed=Layout(tuple(breaks), tuple(styles)),
    )


@st.composite
def layouts(draw, source: Source) -> Layout:
    paragraphs = source.paragraphs
    # A page breaks after a paragraph (never the last: the closing line stays with it), or
    # inside one after any word but its last; never between a section heading and the
    # paragraph under it (the heading keeps with what follows).
    places = st.one_of(
        st.integers(0, len(paragraphs) - 2).map(lambda i: (i, len(paragraphs[i].words) - 1)),
        st.integers(0, len(paragraphs) - 1).flatmap(
            lambda i: st.tuples(st.just(i), st.integers(0, len(paragraphs[i].words) - 2))
        ),
    )
    # A word breaks at a hyphen, never at a non-breaking one.
    hyphens = [
        (i, k, match.end())
        for i, paragraph in enumerate(paragraphs)
        for k, word in enumerate(paragraph.words)
        for match in [re.search(r"\w-(?=\w)", word)]
        if match
    ]
    places = st.one_of(places.map(lambda place: (*place, 0)), st.sampled_from(hyphens))
    where = sorted(
        draw(st.lists(places, min_size=1, max_size=12, unique_by=lambda place: place[:2]))
    )
    pages = len(where) + 1
    running_title = source.kind == "resolution" or draw(st.booleans())
    breaks = []
    for page, (paragraph, word, cut) in enumerate(where, start=2):
        lines = [source.symbol, f"{page}/{pages}", source.job]
        if running_title:
            lines.append(source.title)
        if draw(st.integers(0, 4)) == 0:
            lines.append(source.barcode)
        furniture = tuple(draw(st.permutations(lines)))
        groups = tuple(draw(st.lists(st.booleans(), min_size=len(lines), max_size=len(lines))))
        breaks.append(PageBreak(paragraph, word, furniture, groups, cut=cut))
    count = len(source.printed.markers)
    styles = draw(st.lists(st.sampled_from(MARKER_STYLES), min_size=count, max_size=count))
    return Layout(tuple(breaks), tuple(styles))


@st.composite
def furniture_moves(draw, layout: Layout) -> Layout:
    """``layout`` with the furniture moved: before or after each page's notes, and the last
    page's furniture once more after the closing line or at the very end."""
    breaks = tuple(replace(b, furniture_first=draw(st.booleans())) for b in layout.breaks)
    return Layout(breaks, layout.markers, draw(st.sampled_from(["", "closing", "end"])))


def furniture_block(lines: tuple[str, ...], groups: tuple[bool, ...]) -> str:
    text = ""
    for line, starts_group in zip(lines, groups, strict=True):
        text += (("\n\n" if starts_group else "\n") + line) if text else line
    return text


def render(source: Source, layout: Layout) -> str:
    """The text as the PDF would give it with ``layout``'s page breaks and markers."""
    blocks = [source.heading]
    page_notes: list[int] = []
    breaks = {(b.paragraph, b.word): b for b in layout.breaks}
    styles = iter(layout.markers)

    def notes() -> list[str]:
        shown = [source.rule] + [f"{n} {source.notes[n]}" for n in page_notes]
        page_notes.clear()
        return shown if len(shown) > 1 else []

    def end_page(piece: list[str], page_break: PageBreak) -> None:
        blocks.append(" ".join(piece))
        furniture = [furniture_block(page_break.furniture, page_break.groups)]
        shown = notes()
        blocks.extend(furniture + shown if page_break.furniture_first else shown + furniture)

    for i, paragraph in enumerate(source.paragraphs):
        blocks.extend(paragraph.section)
        after: dict[int, list[int]] = {}
        for word, number in paragraph.markers:
            after.setdefault(word, []).append(number)
        piece = [paragraph.prefix] if paragraph.prefix else []
        forward = ""
        for k, word in enumerate(paragraph.words):
            page_break = breaks.get((i, k))
            if page_break and page_break.cut:
                end_page([*piece, forward + word[: page_break.cut]], page_break)
                piece, word, forward = [], word[page_break.cut :], ""
            word, forward = forward + word, ""
            for number in after.get(k, []):
                style = next(styles)
                if style == "glued":
                    word += str(number)
                elif style == "spaced":
                    word += f" {number}"
                else:
                    forward = str(number)
                page_notes.append(number)
            piece.append(word)
            if page_break and not page_break.cut:
                end_page(piece, page_break)
                piece = []
        if piece:
            blocks.append(" ".join(piece))
    pages = len(layout.breaks) + 1
    last = furniture_block((source.symbol, f"{pages}/{pages}", source.job), (False, True, False))
    if source.closing:
        blocks.append(source.closing)
    if layout.last_furniture == "closing":
        blocks.append(last)
    blocks.extend(notes())
    if layout.last_furniture == "end":
        blocks.append(last)
    return "\n\n".join(blocks) + "\n"


def parse(text: str, symbol: str) -> ParsedDocument:
    with cpu_budget(BUDGET_SECONDS):
        return parse_resolution(text, symbol)


def reading_of(document: ParsedDocument) -> dict:
    """A parse in the shape of an expected reading, to measure another parse against."""
    return {
        "paragraphs": [{"label": p.label, "text": p.text} for p in document.paragraphs],
        "footnotes": [
            {"number": str(n.number), "text": n.text, "marker_in": n.paragraph_label}
            for n in document.footnotes
        ],
    }


def listing(problems: list[str]) -> str:
    return f"{len(problems)} differences:\n" + "\n".join(problems)


@pytest.mark.parametrize("name", NAMES)
def test_the_generator_lays_out_the_real_text_exactly_as_printed(name):
    """The generator's own check: given the real text's page breaks, furniture and markers,
    it gives the real text back, character for character; so the shapes it makes elsewhere
    are the shapes a real PDF gives."""
    source = source_of(name)
    assert render(source, source.printed) == read_real_text(name)


@pytest.mark.parametrize("name", NAMES)
@PROPERTY_SETTINGS
@given(data=st.data())
def test_wherever_the_pages_break_every_paragraph_and_footnote_is_read_exactly(name, data):
    source = source_of(name)
    layout = data.draw(layouts(source), label="layout")
    note(describe(source, layout))
    assert_read_exactly(name, source, layout)


def test_a_paragraph_opening_on_the_last_line_of_two_pages_keeps_its_first_word():
    """Two pages of A/C.1/80/L.9 end on the one word "Recognizing": printed twice, short and
    unpunctuated, it looks like a running header, and is the first word of its paragraph."""
    name = "A-C.1-80-L.9"
    source = source_of(name)

    def page(paragraph, word, furniture, groups, cut=0):
        return PageBreak(paragraph, word, furniture, groups, cut=cut)

    symbol, job = "A/C.1/80/L.9", "25-16220"
    layout = Layout(
        breaks=(
            page(2, 0, (job, "2/10", symbol), (True, True, False)),
            page(4, 0, (symbol, "3/10", job), (True, True, False)),
            page(14, 19, (job, "4/10", symbol), (False, False, True)),
            page(20, 23, (symbol, "5/10", job), (False, True, False), cut=4),
            page(22, 31, (job, "6/10", symbol), (False, False, False)),
            page(23, 73, (job, "7/10", symbol), (False, False, True)),
            page(24, 20, (symbol, job, "8/10"), (True, True, True), cut=9),
            page(27, 57, ("9/10", job, symbol), (False, True, False)),
            page(28, 52, ("10/10", job, symbol), (True, True, True)),
        ),
        markers=("spaced", "spaced", "spaced", "glued", "spaced", "spaced", *["glued"] * 3),
    )
    assert "Recognizing\n" in render(source, layout)
    assert_read_exactly(name, source, layout)


def assert_read_exactly(name: str, source: Source, layout: Layout) -> None:
    """The text laid out with ``layout`` reads as the expected reading says, paragraph by
    paragraph, note by note, and each paragraph's markers."""
    document = parse(render(source, layout), source.symbol)
    expected = read_expected_reading(name)
    problems = score_paragraphs(expected, document).problems
    problems += score_footnotes(expected, document).problems
    found = {p.label: p.footnote_numbers for p in document.paragraphs}
    problems += [
        f"{p['label']}: expected markers {p['footnote_markers']}, found {found[p['label']]}"
        for p in expected["paragraphs"]
        if p["label"] in found and found[p["label"]] != p["footnote_markers"]
    ]
    assert not problems, listing(problems)


@pytest.mark.parametrize("name", NAMES)
@PROPERTY_SETTINGS
@given(data=st.data())
def test_where_the_page_furniture_stands_does_not_change_the_reading(name, data):
    source = source_of(name)
    layout = data.draw(layouts(source), label="layout")
    moved = data.draw(furniture_moves(layout), label="furniture moved")
    note(describe(source, moved))
    before = parse(render(source, layout), source.symbol)
    after = parse(render(source, moved), source.symbol)
    reading = reading_of(before)
    problems = score_paragraphs(reading, after).problems + score_footnotes(reading, after).problems
    assert not problems, "With the furniture moved, against the furniture after the notes: " + (
        listing(problems)
    )
    assert [(p.label, p.footnote_numbers) for p in after.paragraphs] == [
        (p.label, p.footnote_numbers) for p in before.paragraphs
    ]
    assert (after.title, [s.text for s in after.sections], after.closing.strip()) == (
        before.title,
        [s.text for s in before.sections],
        before.closing.strip(),
    )


def describe(source: Source, layout: Layout) -> str:
    """Where the pages break, in words: "page 2 ends in op6-a after 'recent'"."""
    lines = []
    for page, b in enumerate(layout.breaks, start=1):
        paragraph = source.paragraphs[b.paragraph]
        if b.cut:
            place = f"in {paragraph.label} at {paragraph.words[b.word][: b.cut]!r}"
        elif b.word == len(paragraph.words) - 1:
            place = f"after {paragraph.label}"
        else:
            place = f"in {paragraph.label} after {paragraph.words[b.word]!r} (word {b.word})"
        lines.append(
            f"page {page} ends {place}; furniture {' | '.join(b.furniture)}"
            + (" before the notes" if b.furniture_first else "")
        )
    if layout.last_furniture:
        lines.append(f"last page's furniture again: {layout.last_furniture}")
    notes = [n for paragraph in source.paragraphs for _, n in paragraph.markers]
    for style in sorted(set(layout.markers)):
        shown = [str(n) for n, s in zip(notes, layout.markers, strict=True) if s == style]
        lines.append(f"markers {style}: {' '.join(shown)}")
    return "\n".join(lines)
