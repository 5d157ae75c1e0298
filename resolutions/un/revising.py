"""The next revision of a draft resolution: its paragraphs with the accepted proposals
applied and numbered again as the UN numbers a revised draft.

A pen holder issues ``<symbol>/Rev.1`` from the proposals accepted on the current text:

* an amendment replaces the words of its paragraph (the italic opening phrase kept when the
  new words still open with it, found again otherwise);
* a deletion removes its paragraph, with the paragraph's sub-paragraphs;
* an insertion adds a new paragraph after its paragraph and that paragraph's own
  sub-paragraphs: after OP3 it is a new operative paragraph (OP3 *bis* while negotiated,
  OP4 in the revision), after OP6 (a) a new sub-paragraph of OP6.

The revision is then numbered as issued: the preamble PP1 to PPn, the operative paragraphs
1 to n, each paragraph's sub-paragraphs lettered (a), (b), ... (or numbered (i), (ii), ...
where they were) from the first again. So a deleted OP5 moves OP6 up to OP5, and a
paragraph deleted from (a), (b), (c) leaves (a), (b).

Standard library only: the service that saves a revision maps rows to these shapes and back.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from resolutions.un.parsing import lead_of
from resolutions.un.parsing.body import _roman  # (i) to (lxxxix), as the reader reads them

PREAMBULAR = "preambular"
OPERATIVE = "operative"

AMEND = "amend"
DELETE = "delete"
INSERT = "insert"

_REVISION_SUFFIX = re.compile(r"^(?P<base>.+)/Rev\.(?P<number>\d+)$")
_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class ParagraphBefore:
    """A paragraph of the current text, as stored: ``number`` as printed ("6", "(a)", "(i)",
    "" in the preamble), ``parent_label`` its parent's label for a sub-paragraph."""

    label: str
    part: str
    number: str
    parent_label: str | None
    text: str
    lead: str = ""
    headings: tuple = ()  # the section headings printed before it, carried as they are


@dataclass(frozen=True)
class AcceptedChange:
    """An accepted proposal on the paragraph labelled ``label``. ``key`` is the caller's own
    name for it (a proposal's id) and comes back on the paragraph it made."""

    kind: str  # AMEND, DELETE or INSERT
    label: str
    text: str = ""
    key: Hashable = None


@dataclass
class ParagraphAfter:
    """A paragraph of the revision. ``was`` is its label in the current text (None for an
    inserted paragraph); ``change`` the key of the amendment or insertion that wrote it."""

    label: str
    part: str
    number: str
    parent_label: str | None
    text: str
    lead: str
    headings: list = field(default_factory=list)
    was: str | None = None
    change: Hashable = None
    depth: int = 1  # 1 for a paragraph, 2 for its (a), 3 for an (i) under that

    @property
    def inserted(self) -> bool:
        return self.was is None

    @property
    def amended(self) -> bool:
        return self.was is not None and self.change is not None

    @property
    def renumbered(self) -> bool:
        return self.was is not None and self.was != self.label


class ChangesConflict(ValueError):
    """Accepted proposals that cannot all stand: ``problems`` says which, one sentence each,
    in a delegate's words."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(" ".join(problems))


def display_label(label: str) -> str:
    """The label a delegate quotes: "op6-a" is OP6(a), as ``Paragraph.display_label``."""
    head, *subs = label.split("-")
    return head.upper() + "".join(f"({sub})" for sub in subs)


def next_revision_symbol(symbol: str) -> str:
    """The symbol the next revision of ``symbol`` is issued under: A/C.1/76/L.13 becomes
    A/C.1/76/L.13/Rev.1, and A/C.1/76/L.13/Rev.1 becomes A/C.1/76/L.13/Rev.2."""
    revised = _REVISION_SUFFIX.match(symbol)
    if revised is None:
        return f"{symbol}/Rev.1"
    return f"{revised['base']}/Rev.{int(revised['number']) + 1}"


def revised_paragraphs(
    paragraphs: Sequence[ParagraphBefore], changes: Sequence[AcceptedChange]
) -> list[ParagraphAfter]:
    """The revision's paragraphs in reading order: ``paragraphs`` (the current text, in
    reading order, parents before their sub-paragraphs) with ``changes`` applied and
    numbered again. Insertions after the same paragraph keep the order of ``changes``.

    Section headings stay with their paragraph; those of a deleted paragraph go to the
    paragraph that now stands first in its place. Raises ``ChangesConflict`` when accepted
    proposals cannot all stand (two amendments of one paragraph, an amended paragraph also
    deleted, a change inside a paragraph deleted with its sub-paragraphs, new words that are
    empty).
    """
    by_label = {paragraph.label: paragraph for paragraph in paragraphs}
    children: dict[str | None, list[ParagraphBefore]] = {}
    for paragraph in paragraphs:
        children.setdefault(paragraph.parent_label, []).append(paragraph)
    amendments: dict[str, list[AcceptedChange]] = {}
    deleted: set[str] = set()
    insertions: dict[str, list[AcceptedChange]] = {}
    for change in changes:
        if change.label not in by_label:
            raise ValueError(f"No paragraph {change.label} in the current text")
        if change.kind == AMEND:
            amendments.setdefault(change.label, []).append(change)
        elif change.kind == DELETE:
            deleted.add(change.label)
        elif change.kind == INSERT:
            insertions.setdefault(change.label, []).append(change)
        else:
            raise ValueError(f"Unknown kind of change: {change.kind}")
    _refuse_conflicts(by_label, amendments, deleted, insertions)

    builder = _Builder(children, amendments, insertions, deleted)
    for top in children.get(None, []):
        builder.place(top, parent=None)
    return builder.numbered()


def _ancestors(label: str, by_label: dict[str, ParagraphBefore]) -> list[str]:
    found = []
    parent = by_label[label].parent_label
    while parent is not None:
        found.append(parent)
        parent = by_label[parent].parent_label
    return found


def _refuse_conflicts(
    by_label: dict[str, ParagraphBefore],
    amendments: dict[str, list[AcceptedChange]],
    deleted: set[str],
    insertions: dict[str, list[AcceptedChange]],
) -> None:
    problems = []
    for label in by_label:
        shown = display_label(label)
        if any(not change.text.strip() for change in amendments.get(label, [])):
            problems.append(f"An accepted amendment of {shown} has no words.")
        if any(not change.text.strip() for change in insertions.get(label, [])):
            problems.append(f"An accepted insertion after {shown} has no words.")
        if len(amendments.get(label, [])) > 1:
            problems.append(
                f"{shown} has {len(amendments[label])} accepted amendments; only one can "
                "give it its new words."
            )
        if label in amendments and label in deleted:
            problems.append(f"{shown} is both amended and deleted by accepted proposals.")
        gone = next((a for a in _ancestors(label, by_label) if a in deleted), None)
        if gone is not None and label in amendments:
            problems.append(
                f"{display_label(gone)} is deleted with its sub-paragraphs, but an accepted "
                f"proposal amends {shown}."
            )
        if gone is not None and label in insertions:
            problems.append(
                f"{display_label(gone)} is deleted with its sub-paragraphs, but an accepted "
                f"proposal inserts a paragraph after {shown}."
            )
    if problems:
        raise ChangesConflict(problems)


@dataclass
class _Node:
    part: str
    text: str
    lead: str
    headings: list
    source: ParagraphBefore | None  # None for an inserted paragraph
    change: Hashable
    roman: bool  # numbered (i), (ii) among its siblings rather than lettered
    children: list[_Node] = field(default_factory=list)


class _Builder:
    """Walks the current text once, building the revision's tree, then numbers it."""

    def __init__(
        self,
        children: dict[str | None, list[ParagraphBefore]],
        amendments: dict[str, list[AcceptedChange]],
        insertions: dict[str, list[AcceptedChange]],
        deleted: set[str],
    ) -> None:
        self.children = children
        self.amendments = amendments
        self.insertions = insertions
        self.deleted = deleted
        self.tops: list[_Node] = []
        # Headings of deleted paragraphs, waiting for the next paragraph placed.
        self.waiting_headings: list = []

    def place(self, paragraph: ParagraphBefore, parent: _Node | None) -> None:
        siblings = self.tops if parent is None else parent.children
        roman = _numbered_in_roman(self.children.get(paragraph.parent_label, []))
        if paragraph.label in self.deleted:
            self._drop(paragraph)
        else:
            amendment = self.amendments.get(paragraph.label, [None])[0]
            text = paragraph.text if amendment is None else _clean(amendment.text)
            lead = paragraph.lead
            if amendment is not None:
                lead = _lead_for(text, paragraph.part, paragraph.lead, paragraph.parent_label)
            node = self._node(paragraph.part, text, lead, list(paragraph.headings), roman)
            node.source = paragraph
            node.change = None if amendment is None else amendment.key
            siblings.append(node)
            for child in self.children.get(paragraph.label, []):
                self.place(child, node)
        for insertion in self.insertions.get(paragraph.label, []):
            text = _clean(insertion.text)
            lead = _lead_for(text, paragraph.part, "", paragraph.parent_label)
            node = self._node(paragraph.part, text, lead, [], roman)
            node.change = insertion.key
            siblings.append(node)

    def _node(self, part: str, text: str, lead: str, headings: list, roman: bool) -> _Node:
        node = _Node(part, text, lead, [*self.waiting_headings, *headings], None, None, roman)
        self.waiting_headings = []
        return node

    def _drop(self, paragraph: ParagraphBefore) -> None:
        self.waiting_headings.extend(paragraph.headings)
        for child in self.children.get(paragraph.label, []):
            self._drop(child)

    def numbered(self) -> list[ParagraphAfter]:
        out: list[ParagraphAfter] = []
        preambular = operative = 0
        for node in self.tops:
            if node.part == PREAMBULAR:
                preambular += 1
                label = f"pp{preambular}"
                # A preambular paragraph prints no number (but for the odd one the reader
                # found lettered before any operative paragraph, which keeps its letter).
                number = node.source.number if node.source is not None else ""
            else:
                operative += 1
                label, number = f"op{operative}", str(operative)
            self._emit(node, label, number, None, 1, out)
        return out

    def _emit(
        self,
        node: _Node,
        label: str,
        number: str,
        parent_label: str | None,
        depth: int,
        out: list[ParagraphAfter],
    ) -> None:
        out.append(
            ParagraphAfter(
                label=label,
                part=node.part,
                number=number,
                parent_label=parent_label,
                text=node.text,
                lead=node.lead,
                headings=node.headings,
                was=node.source.label if node.source is not None else None,
                change=node.change,
                depth=depth,
            )
        )
        taken: set[str] = set()
        for position, child in enumerate(node.children, start=1):
            item = _roman(position) if child.roman else _letter(position)
            child_label = f"{label}-{item}"
            copy = 2
            while child_label in taken:  # letters and numerals side by side: (i) twice
                child_label, copy = f"{label}-{item}-{copy}", copy + 1
            taken.add(child_label)
            self._emit(child, child_label, f"({item})", label, depth + 1, out)


def _numbered_in_roman(siblings: list[ParagraphBefore]) -> bool:
    """Whether sub-paragraphs are numbered (i), (ii) rather than lettered (a), (b): as the
    current text numbers the first of them."""
    return (
        bool(siblings)
        and siblings[0].parent_label is not None
        and (siblings[0].number.strip("()") == "i")
    )


def _clean(text: str) -> str:
    """Proposed words as a paragraph holds them: one line, single spaces."""
    return " ".join(text.split())


def _lead_for(text: str, part: str, old_lead: str, parent_label: str | None) -> str:
    """The italic opening of new words: the old one while they still open with it (a lead
    marked up in the text read by the importer stays), found again otherwise; a
    sub-paragraph has none, as the reader gives it none."""
    if old_lead and text.startswith(old_lead):
        return old_lead
    if parent_label is not None:
        return ""
    return lead_of(text, part)


def _letter(position: int) -> str:
    """a, b, ... z, then aa, ab, ... az, then aaa: the letters the reader expects after (z)
    (see the parser's ``_next_letter``)."""
    repeats, letter = divmod(position - 1, 26)
    return "a" * repeats + chr(ord("a") + letter)


def position_after_edit(old: str, new: str, position: int) -> int:
    """Where a footnote marker standing at ``position`` in ``old`` stands in ``new``, the
    paragraph's amended words: after the same characters of the same word when the word is
    still there, after the words that replaced it when it was changed, after the word
    before it when it was deleted."""
    old_spans = [match.span() for match in _WORD.finditer(old)]
    new_spans = [match.span() for match in _WORD.finditer(new)]
    # The word the marker follows (or stands inside: "security¹," is "security," in the text).
    word = next((i for i, (start, end) in enumerate(old_spans) if start < position <= end), None)
    if word is None:
        before = [i for i, (_, end) in enumerate(old_spans) if end <= position]
        if not before:
            return 0
        word = before[-1]
    matcher = SequenceMatcher(
        None,
        [old[s:e] for s, e in old_spans],
        [new[s:e] for s, e in new_spans],
        autojunk=False,
    )
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if not i1 <= word < i2:
            continue
        if tag == "equal":
            start, end = new_spans[j1 + word - i1]
            return min(start + position - old_spans[word][0], end)
        if j2 > j1:
            return new_spans[j2 - 1][1]
        return new_spans[j1 - 1][1] if j1 > 0 else 0
    return len(new)
