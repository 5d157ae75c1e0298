"""Where a quoted passage stands in a paragraph, and where it stands after a revision.

A note's quote is kept the way the W3C Web Annotation model (and Hypothesis) keeps one: a
TextQuoteSelector (the ``exact`` words with up to ``CONTEXT`` characters of ``prefix`` and
``suffix`` around them) and a TextPositionSelector (``start``, a character offset into the
paragraph's text; the end is ``start + len(exact)``). The position finds the words at once
while the text is unchanged; the context tells apart two occurrences of the same words and
finds them again when the paragraph is revised around them.

Words are compared as the version comparison reads them (``comparable_text``): a revision
that only sets "non-State" with a non-breaking hyphen or straightens a quotation mark has
not changed the quoted words. Offsets are always those of the text as printed.
"""

from __future__ import annotations

from dataclasses import dataclass

from resolutions.un.text_comparison import comparable_text, comparable_with_positions

#: How many characters of context are kept on either side of a quote.
CONTEXT = 32


@dataclass(frozen=True)
class QuoteSelector:
    """A quoted passage of a paragraph: its words, the context around them, and where they
    start in the paragraph's text (``None`` when that is not known)."""

    exact: str
    prefix: str = ""
    suffix: str = ""
    start: int | None = None

    @property
    def end(self) -> int | None:
        return None if self.start is None else self.start + len(self.exact)


def describe(text: str, start: int, end: int) -> QuoteSelector:
    """The selector of ``text[start:end]``: the words, up to ``CONTEXT`` characters before
    and after them, and their offset. Raises ValueError for a span outside ``text``."""
    if not 0 <= start <= end <= len(text):
        raise ValueError(f"{start}:{end} is not a span of a text of {len(text)} characters")
    return QuoteSelector(
        exact=text[start:end],
        prefix=text[max(0, start - CONTEXT) : start],
        suffix=text[end : end + CONTEXT],
        start=start,
    )


def occurrences(words: str, text: str) -> list[tuple[int, int]]:
    """Every span of ``text`` that reads as ``words`` (compared as ``comparable_text``
    compares), first to last, overlapping ones included. None for words that compare as
    nothing."""
    wanted = comparable_text(words)
    if not wanted:
        return []
    readable, positions = comparable_with_positions(text)
    spans = []
    found = readable.find(wanted)
    while found >= 0:
        last = found + len(wanted) - 1
        spans.append((positions[found], positions[last] + 1))
        found = readable.find(wanted, found + 1)
    return spans


def locate(words: str, text: str, near: int | None = None) -> tuple[int, int] | None:
    """The span of ``text`` that reads as ``words``: the one starting nearest ``near`` (the
    first when ``near`` is None), or None when the words are not in ``text``. What a
    delegate copied from a paragraph (spacing tidied, perhaps with straight quotation
    marks) is found in the paragraph as printed."""
    spans = occurrences(words, text)
    if not spans:
        return None
    if near is None:
        return spans[0]
    return min(spans, key=lambda span: (abs(span[0] - near), span[0]))


def anchor(selector: QuoteSelector, text: str) -> tuple[int, int] | None:
    """Where the quote ``selector`` describes stands in ``text`` (perhaps a revised
    version of the paragraph it was taken from), as (start, end) offsets into ``text``.

    The words at the stored position when they are still there; otherwise, of every place
    that reads as the quoted words, the one whose surrounding words agree best with the
    stored prefix and suffix, and of those the nearest to the stored position. None when
    the quoted words are no longer in ``text``: the quote is never moved onto other words.
    """
    start = selector.start
    if start is not None and selector.exact:
        end = start + len(selector.exact)
        if text[start:end] == selector.exact:
            return start, end
    spans = occurrences(selector.exact, text)
    if not spans:
        return None
    prefix = comparable_text(selector.prefix)
    suffix = comparable_text(selector.suffix)

    def fit(span: tuple[int, int]) -> tuple[int, int, int]:
        before = comparable_text(text[max(0, span[0] - 2 * CONTEXT) : span[0]])
        after = comparable_text(text[span[1] : span[1] + 2 * CONTEXT])
        context = _common_suffix(before, prefix) + _common_prefix(after, suffix)
        distance = abs(span[0] - selector.start) if selector.start is not None else span[0]
        return -context, distance, span[0]

    return min(spans, key=fit)


def _common_prefix(a: str, b: str) -> int:
    length = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        length += 1
    return length


def _common_suffix(a: str, b: str) -> int:
    return _common_prefix(a[::-1], b[::-1])
