"""Paragraph-by-paragraph comparison of two versions of a UN resolution.

A draft such as A/C.1/76/L.13 is revised (L.13/Rev.1), adopted (A/RES/76/19) and
taken up again the following session.  Between two versions, paragraphs are
inserted (shifting the numbering: old op5 becomes new op6), removed, split,
merged, moved or edited a few words.  :func:`compare_versions` aligns the
paragraphs of the two versions and :func:`word_diff` shows what changed inside
an aligned pair.

Alignment, in order of precedence:

1. Identical text (after whitespace normalisation) pairs first, whatever the
   labels: a paragraph renumbered from op5 to op6 by an insertion above it is
   the same paragraph.
2. Same label, when the numbering is stable there: the pair is taken if its
   similarity reaches :data:`SIMILARITY_THRESHOLD` and neither paragraph has a
   strictly more similar unmatched counterpart.  The second condition keeps
   formulaic paragraphs ("Requests the Secretary-General to ...") from being
   paired by label when an insertion has shifted the numbering.
3. The rest pair by text similarity, greedily, best pair first, as long as the
   similarity reaches :data:`SIMILARITY_THRESHOLD`.
4. Whatever is left is "removed" (version A) or "added" (version B).

What a reader cannot see is not a change: a non-breaking hyphen (U+2011) or a hyphen
(U+2010) reads as "-", a non-breaking, narrow or figure space as a space, typographic
quotes (‘ ’ “ ”) as straight ones, invisible characters (soft hyphen, zero-width space,
word joiner, byte order mark) as nothing, and a footnote rule line (a run of underscores
left in a text) as nothing.  Adopted resolutions are set with non-breaking hyphens where
their drafts had plain ones ("non‑governmental" in A/RES/80/46, "non-governmental" in
A/C.1/80/L.9): such paragraphs are identical for rule 1, and a word diff never marks a
word changed for its hyphen, quote or space alone.  Only the comparison folds them: the
runs of a word diff quote each text as it stands.

Preambular paragraphs ("pp*") only ever pair with preambular ones, and operative
paragraphs ("op*", including sub-paragraphs such as "op6-a") with operative ones;
labels with any other prefix pair only among themselves.

Order: the largest set of matched pairs that keeps its relative order in both
versions (a longest increasing subsequence, preferring identical pairs among
equally long ones) is "in order"; every other matched pair is "moved".  A pair
that is both out of order and edited is reported as "moved" rather than
"changed": the move is the larger event for a reader, and the word-level diff in
:attr:`AlignedPair.words` still shows the edit.

Known shapes of the result:

* a paragraph split in two shows as one "changed" pair (the half closest to the
  original) plus one "added" paragraph;
* two paragraphs merged into one show as one "changed" pair plus one "removed";
* a paragraph rewritten beyond the threshold shows as "removed" plus "added".

Standard library only, so it can run anywhere (views, management commands,
benchmarks) without Django.
"""

from __future__ import annotations

import heapq
import re
from collections import Counter, deque
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

#: Minimum word-level similarity for two different texts to count as the same paragraph.
SIMILARITY_THRESHOLD = 0.5

STATUSES = ("unchanged", "changed", "added", "removed", "moved")

_WORD = re.compile(r"\S+")

#: Characters compared as the plain ones a reader takes them for ("": as nothing). Every
#: space here is white space to ``str.split`` already, so words split where they did.
_LOOK_ALIKES = {
    "\u2010": "-",  # hyphen
    "\u2011": "-",  # non-breaking hyphen
    "\u00a0": " ",  # no-break space
    "\u2007": " ",  # figure space
    "\u202f": " ",  # narrow no-break space
    "\u2018": "'",  # left single quotation mark
    "\u2019": "'",  # right single quotation mark, the apostrophe of typeset text
    "\u201c": '"',  # left double quotation mark
    "\u201d": '"',  # right double quotation mark
    "\u00ad": "",  # soft hyphen
    "\u200b": "",  # zero-width space
    "\u2060": "",  # word joiner
    "\ufeff": "",  # zero-width no-break space (byte order mark)
}
#: Whether a text has any of them: most paragraphs have none.
_ANY_LOOK_ALIKE = re.compile("[" + "".join(_LOOK_ALIKES) + "]")
#: A footnote rule line as text extraction leaves it: "__________________".
_RULE_LINE = re.compile(r"_{3,}")

#: One step of difflib's edit script: tag, then the A and B slices it covers.
_Opcode = tuple[Literal["replace", "delete", "insert", "equal"], int, int, int, int]


@dataclass(frozen=True)
class ParagraphVersion:
    """One paragraph of one version of a resolution, e.g. ``("op6-a", "Efforts taken ...")``."""

    label: str
    text: str


@dataclass(frozen=True)
class WordChange:
    """A run of consecutive words that are equal, inserted or deleted.

    ``text`` is the run as it appears in its source text, spacing between its
    words included; the spacing *between* runs is not represented.
    """

    op: str  # "equal" | "insert" | "delete"
    text: str


@dataclass(frozen=True)
class AlignedPair:
    """A paragraph of version A aligned with a paragraph of version B.

    ``a`` is None for an added paragraph and ``b`` is None for a removed one.
    ``similarity`` is the word-level similarity in 0..1 (1.0 for identical text,
    0.0 for added and removed paragraphs).  ``words`` is the word-level diff of
    the A text into the B text: a single "insert" run for an added paragraph, a
    single "delete" run for a removed one, empty when the text is empty.
    """

    a: str | None
    b: str | None
    status: str  # one of STATUSES
    similarity: float
    words: tuple[WordChange, ...]


@dataclass
class TextComparison:
    """The result of :func:`compare_versions`.

    ``pairs`` follows the reading order of version B.  Each removed paragraph
    is placed right after the nearest paragraph before it in version A that kept
    its place ("unchanged" or "changed"), or first when there is none.
    ``summary`` counts the pairs by status and always has exactly the five keys
    of :data:`STATUSES`.
    """

    pairs: list[AlignedPair]
    summary: dict[str, int]


def _comparable(text: str) -> str:
    """``text`` with look-alikes made plain and rule lines taken out; never adds or removes
    white space, so its words are those of ``text``, minus any left empty."""
    if _ANY_LOOK_ALIKE.search(text):
        # str.replace per character is several times quicker than str.translate here.
        for look_alike, plain in _LOOK_ALIKES.items():
            if look_alike in text:
                text = text.replace(look_alike, plain)
    return _RULE_LINE.sub("", text) if "___" in text else text


def comparable_text(text: str) -> str:
    """``text`` as the comparison reads it: one space between words, hyphen, space and
    quote look-alikes as the plain characters, rule lines and invisible characters gone.

    Two texts a reader cannot tell apart give the same string, so a phrase quoted from one
    version can be looked for in the next (``comparable_text(quote) in
    comparable_text(paragraph)``)."""
    return " ".join(_comparable(text).split())


def comparable_with_positions(text: str) -> tuple[str, list[int]]:
    """``comparable_text(text)`` and, for each of its characters, where it stands in
    ``text`` (a space standing for a run of white space: where the run begins), so a phrase
    found in the comparable string can be pointed at in the text as printed."""
    removed = [False] * len(text)
    if "___" in text:
        for rule in _RULE_LINE.finditer(text):
            removed[rule.start() : rule.end()] = [True] * (rule.end() - rule.start())
    characters: list[str] = []
    positions: list[int] = []
    space_at: int | None = None
    for index, character in enumerate(text):
        if removed[index]:
            continue
        character = _LOOK_ALIKES.get(character, character)
        if not character:
            continue
        if character.isspace():
            if space_at is None:
                space_at = index
            continue
        if space_at is not None and characters:
            characters.append(" ")
            positions.append(space_at)
        space_at = None
        characters.append(character)
        positions.append(index)
    return "".join(characters), positions


class _Paragraph:
    """A paragraph with everything the alignment needs precomputed once."""

    __slots__ = ("_occurrences", "_spans", "key", "label", "part", "text", "tokens")

    def __init__(self, paragraph: ParagraphVersion) -> None:
        self.label = paragraph.label
        self.text = paragraph.text
        # str.split() splits on exactly the characters _WORD treats as spacing, and
        # _comparable leaves spacing alone, so tokens[k] is the word at spans[k].
        self.tokens = _comparable(paragraph.text).split()
        self.part = _part_of(paragraph.label)
        # Same part and same words in the same order: identical for rule 1.
        self.key = (self.part, " ".join(self.tokens))
        self._occurrences: frozenset[str] | None = None
        self._spans: list[tuple[int, int]] | None = None

    @property
    def occurrences(self) -> frozenset[str]:
        # Only paragraphs left over after the identical-text pass need a similarity bound.
        if self._occurrences is None:
            self._occurrences = _occurrences(self.tokens)
        return self._occurrences

    @property
    def spans(self) -> list[tuple[int, int]]:
        # Only paragraphs that get a word-level diff need their word positions.
        if self._spans is None:
            self._spans = _split_words(self.text)[1]
        return self._spans


def _occurrences(tokens: list[str]) -> frozenset[str]:
    """The multiset of ``tokens`` as a set: the k-th repeat of a word gets " k" appended.

    Tokens never contain spaces, so a suffixed repeat cannot collide with a word.
    The size of the intersection of two such sets is the multiset intersection
    that difflib's quick_ratio counts, found by one C-level set operation.
    """
    counts = Counter(tokens)
    occurrences = set(counts)
    for token, count in counts.items():
        if count > 1:
            occurrences.update(f"{token} {repeat}" for repeat in range(1, count))
    return frozenset(occurrences)


def _split_words(text: str) -> tuple[list[str], list[tuple[int, int]]]:
    """The words of ``text`` as compared, and where each stands in ``text``; a word that
    is nothing when compared (a rule line) is left out of both."""
    words = _comparable(text).split()
    spans = [match.span() for match in _WORD.finditer(text)]
    if len(words) == len(spans):
        # _comparable keeps white space where it is: the k-th word is the k-th match.
        return words, spans
    return words, [span for span in spans if _comparable(text[span[0] : span[1]])]


def _part_of(label: str) -> str:
    prefix = label[:2].lower()
    return prefix if prefix in ("pp", "op") else ""


def _run_text(text: str, spans: list[tuple[int, int]], start: int, end: int) -> str:
    return text[spans[start][0] : spans[end - 1][1]]


def _runs(
    old: str,
    old_spans: list[tuple[int, int]],
    new: str,
    new_spans: list[tuple[int, int]],
    opcodes: list[_Opcode],
) -> tuple[WordChange, ...]:
    runs: list[WordChange] = []
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            # Equal runs take the new version's spacing: that is the text being read.
            runs.append(WordChange("equal", _run_text(new, new_spans, j1, j2)))
            continue
        # A "replace" reads best as the old words struck out, then the new ones.
        if i2 > i1:
            runs.append(WordChange("delete", _run_text(old, old_spans, i1, i2)))
        if j2 > j1:
            runs.append(WordChange("insert", _run_text(new, new_spans, j1, j2)))
    return tuple(runs)


def _opcodes(old_tokens: list[str], new_tokens: list[str]) -> list[_Opcode]:
    # autojunk would treat frequent words ("of", "the", dates) of long paragraphs as junk
    # and produce poor diffs; paragraphs are short enough to do without it.
    return SequenceMatcher(None, old_tokens, new_tokens, autojunk=False).get_opcodes()


def word_diff(old: str, new: str) -> tuple[WordChange, ...]:
    """Diff ``old`` into ``new`` word by word (words are whitespace-separated tokens).

    Words are compared as :func:`comparable_text` reads them, so "non‑State" (U+2011)
    equals "non-State" and “quoted” equals "quoted".  Returns runs in reading order, each
    quoting its own text as it stands ("equal" runs quote ``new``).  Joining the texts of
    the "equal" and "delete" runs with single spaces gives ``old`` and joining "equal" and
    "insert" gives ``new``, both up to whitespace normalisation, up to the look-alikes in
    equal runs, and without a rule line that stands between two runs.  Within a run the
    original spacing is kept.
    A replaced stretch comes out as its "delete" run followed by its "insert"
    run.  Two empty texts give an empty tuple.
    """
    old_tokens, old_spans = _split_words(old)
    new_tokens, new_spans = _split_words(new)
    return _runs(old, old_spans, new, new_spans, _opcodes(old_tokens, new_tokens))


class _Aligner:
    """Matching state for one comparison; see the module docstring for the rules."""

    def __init__(self, a: list[_Paragraph], b: list[_Paragraph]) -> None:
        self.a = a
        self.b = b
        self.a_to_b: dict[int, int] = {}
        self.b_to_a: dict[int, int] = {}
        self.exact: set[int] = set()  # A indices matched by identical text
        # (i, j) -> (similarity, opcodes); opcodes are kept so the word diff is not redone.
        self._scores: dict[tuple[int, int], tuple[float, list[_Opcode]]] = {}
        # One matcher per B paragraph: SequenceMatcher indexes its second sequence once.
        self._matchers: dict[int, SequenceMatcher[str]] = {}
        self._bounds: dict[tuple[int, int], float] = {}

    def match(self, i: int, j: int, exact: bool = False) -> None:
        self.a_to_b[i] = j
        self.b_to_a[j] = i
        if exact:
            self.exact.add(i)

    def score(self, i: int, j: int) -> float:
        cached = self._scores.get((i, j))
        if cached is None:
            matcher = self._matchers.get(j)
            if matcher is None:
                matcher = SequenceMatcher(None, autojunk=False)
                matcher.set_seq2(self.b[j].tokens)
                self._matchers[j] = matcher
            matcher.set_seq1(self.a[i].tokens)
            cached = (matcher.ratio(), matcher.get_opcodes())
            self._scores[(i, j)] = cached
        return cached[0]

    def opcodes(self, i: int, j: int) -> list[_Opcode]:
        self.score(i, j)
        return self._scores[(i, j)][1]

    def upper_bound(self, i: int, j: int, floor: float) -> float:
        """An upper bound on ``score(i, j)``; exact enough to compare against ``floor``.

        The length bound (difflib's real_quick_ratio) is tried first; the
        multiset bound (quick_ratio) only when the length bound clears ``floor``.
        """
        pa, pb = self.a[i], self.b[j]
        total = len(pa.tokens) + len(pb.tokens)
        if total == 0:
            return 1.0
        bound = 2.0 * min(len(pa.tokens), len(pb.tokens)) / total
        if bound < floor:
            return bound
        multiset_bound = self._bounds.get((i, j))
        if multiset_bound is None:
            multiset_bound = 2.0 * len(pa.occurrences & pb.occurrences) / total
            self._bounds[(i, j)] = multiset_bound
        return multiset_bound

    def match_identical(self) -> None:
        waiting: dict[tuple[str, str], deque[int]] = {}
        for j, pb in enumerate(self.b):
            waiting.setdefault(pb.key, deque()).append(j)
        for i, pa in enumerate(self.a):
            queue = waiting.get(pa.key)
            if queue:
                # Repeated identical paragraphs pair first with first, second with second.
                self.match(i, queue.popleft(), exact=True)

    def match_labels(self) -> None:
        b_by_label = {pb.label: j for j, pb in enumerate(self.b)}
        for i, pa in enumerate(self.a):
            j = b_by_label.get(pa.label)
            if i in self.a_to_b or j is None or j in self.b_to_a or self.b[j].part != pa.part:
                continue
            bound = self.upper_bound(i, j, SIMILARITY_THRESHOLD)
            if bound < SIMILARITY_THRESHOLD:
                continue
            # Where an insertion has shifted the numbering, a rival beats even this pair's
            # upper bound: that settles it without scoring the pair, and the rival's score is
            # cached for the similarity pass, which will want it.
            if self._has_better_rival(i, j, bound):
                continue
            similarity = self.score(i, j)
            if similarity >= SIMILARITY_THRESHOLD and not self._has_better_rival(i, j, similarity):
                self.match(i, j)

    def _has_better_rival(self, i: int, j: int, similarity: float) -> bool:
        part = self.a[i].part
        for j2, pb in enumerate(self.b):
            if (
                j2 != j
                and j2 not in self.b_to_a
                and pb.part == part
                and self.upper_bound(i, j2, similarity) > similarity
                and self.score(i, j2) > similarity
            ):
                return True
        for i2, pa in enumerate(self.a):
            if (
                i2 != i
                and i2 not in self.a_to_b
                and pa.part == part
                and self.upper_bound(i2, j, similarity) > similarity
                and self.score(i2, j) > similarity
            ):
                return True
        return False

    def match_similar(self) -> None:
        """Greedy best-first matching, computing full similarities lazily.

        Every candidate enters a heap keyed by its cheap upper bound.  A popped
        bound is replaced by the real similarity; a popped real similarity is at
        least every bound still in the heap, so it is the best remaining pair.
        Most candidates are never scored in full.
        """
        n_a, n_b = max(len(self.a), 1), max(len(self.b), 1)
        heap: list[tuple[float, float, int, int, bool]] = []
        unmatched_b = [j for j in range(len(self.b)) if j not in self.b_to_a]
        for i, pa in enumerate(self.a):
            if i in self.a_to_b:
                continue
            for j in unmatched_b:
                if self.b[j].part != pa.part:
                    continue
                bound = self.upper_bound(i, j, SIMILARITY_THRESHOLD)
                if bound >= SIMILARITY_THRESHOLD:
                    # Among equally similar candidates, prefer the one nearer in position.
                    distance = abs(i / n_a - j / n_b)
                    heap.append((-bound, distance, i, j, False))
        heapq.heapify(heap)
        while heap:
            neg_value, distance, i, j, is_exact = heapq.heappop(heap)
            if i in self.a_to_b or j in self.b_to_a:
                continue
            if is_exact:
                self.match(i, j)
                continue
            similarity = self.score(i, j)
            if similarity >= SIMILARITY_THRESHOLD:
                heapq.heappush(heap, (-similarity, distance, i, j, True))

    def in_order(self) -> set[int]:
        """A indices of the longest chain of matches ordered alike in both versions.

        Ties between equally long chains go to the one with more identical pairs,
        so an edited paragraph is the one reported as moved, not its untouched
        neighbour.  O(m log m) over the m matches, using a Fenwick tree of
        prefix maxima indexed by position in A.
        """
        matches = sorted(self.b_to_a.items())  # (j, i) in B order
        size = len(self.a)
        none = ((0, 0), -1)
        tree: list[tuple[tuple[int, int], int]] = [none] * (size + 1)
        scores: list[tuple[int, int]] = []
        previous: list[int] = []
        for k, (_, i) in enumerate(matches):
            best = none
            x = i  # chains ending at an A index < i
            while x > 0:
                if tree[x][0] > best[0]:
                    best = tree[x]
                x -= x & -x
            (length, identical), before = best
            score = (length + 1, identical + (i in self.exact))
            scores.append(score)
            previous.append(before)
            x = i + 1
            while x <= size:
                if score > tree[x][0]:
                    tree[x] = (score, k)
                x += x & -x
        chain: set[int] = set()
        k = max(range(len(scores)), key=scores.__getitem__, default=-1)
        while k >= 0:
            chain.add(matches[k][1])
            k = previous[k]
        return chain


def _pair_for(aligner: _Aligner, i: int, j: int, ordered: bool) -> AlignedPair:
    pa, pb = aligner.a[i], aligner.b[j]
    words: tuple[WordChange, ...]
    if i in aligner.exact:
        similarity = 1.0
        words = (WordChange("equal", pb.text.strip()),) if pb.tokens else ()
        status = "unchanged" if ordered else "moved"
    else:
        similarity = aligner.score(i, j)
        words = _runs(pa.text, pa.spans, pb.text, pb.spans, aligner.opcodes(i, j))
        status = "changed" if ordered else "moved"
    return AlignedPair(pa.label, pb.label, status, similarity, words)


def _check_labels(side: str, paragraphs: Sequence[ParagraphVersion]) -> None:
    seen: set[str] = set()
    for paragraph in paragraphs:
        if paragraph.label in seen:
            raise ValueError(f"duplicate label {paragraph.label!r} in version {side}")
        seen.add(paragraph.label)


def compare_versions(
    a: Sequence[ParagraphVersion], b: Sequence[ParagraphVersion]
) -> TextComparison:
    """Align the paragraphs of version ``a`` with those of version ``b``.

    Every paragraph of either version appears in exactly one pair; the pairs
    follow the reading order of ``b``, with removed paragraphs placed where they
    stood relative to their neighbours.  See the module docstring for the
    alignment rules and how splits, merges and moves are reported.

    Raises ValueError if a label occurs twice within one version, since the
    result identifies paragraphs by label.
    """
    _check_labels("A", a)
    _check_labels("B", b)
    aligner = _Aligner([_Paragraph(p) for p in a], [_Paragraph(p) for p in b])
    aligner.match_identical()
    aligner.match_labels()
    aligner.match_similar()
    ordered = aligner.in_order()

    # A removed paragraph goes right after the nearest earlier A paragraph that kept
    # its place (key -1: before everything); moved paragraphs are no landmark.
    removed_after: dict[int, list[int]] = {}
    landmark = -1
    for i in range(len(aligner.a)):
        if i in ordered:
            landmark = aligner.a_to_b[i]
        elif i not in aligner.a_to_b:
            removed_after.setdefault(landmark, []).append(i)

    def removed(i: int) -> AlignedPair:
        pa = aligner.a[i]
        words = (WordChange("delete", pa.text.strip()),) if pa.tokens else ()
        return AlignedPair(pa.label, None, "removed", 0.0, words)

    pairs = [removed(i) for i in removed_after.get(-1, ())]
    for j, pb in enumerate(aligner.b):
        matched = aligner.b_to_a.get(j)
        if matched is None:
            words = (WordChange("insert", pb.text.strip()),) if pb.tokens else ()
            pairs.append(AlignedPair(None, pb.label, "added", 0.0, words))
        else:
            pairs.append(_pair_for(aligner, matched, j, matched in ordered))
        pairs.extend(removed(i) for i in removed_after.get(j, ()))

    summary = dict.fromkeys(STATUSES, 0)
    for pair in pairs:
        summary[pair.status] += 1
    return TextComparison(pairs=pairs, summary=summary)
