"""Turns stored text into the HTML a delegate reads.

This is the one place where text becomes markup: every piece of text is escaped here, and
only the elements built here (the italic opening phrase, citation links, footnote markers,
the insertions and deletions of a word diff, a CSS string for the printed page header) are
trusted, so templates never need ``|safe`` and no other module calls ``mark_safe``.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from resolutions.un.text_comparison import WordChange

#: Sub-paragraphs deeper than this are indented as far as this level; the stylesheets
#: indent levels 2 to 5 (UN texts nest an (i) under an (a), and now and then one more).
DEEPEST_INDENT = 5


def indent_level(depth: int) -> int:
    """The indentation level for a paragraph at ``depth`` (1 for a numbered paragraph)."""
    return min(max(depth, 1), DEEPEST_INDENT)


@dataclass(frozen=True)
class Link:
    start: int
    end: int
    url: str
    symbol: str


@dataclass(frozen=True)
class Marker:
    position: int
    number: int


def render_text(
    text: str,
    *,
    lead: str = "",
    links: Iterable[Link] = (),
    markers: Iterable[Marker] = (),
) -> SafeString:
    """Render ``text`` with its opening phrase in italics, citations as links to the UN
    document system, and footnote markers linked to their notes.

    Offsets are character positions in ``text``. A link that overlaps the opening phrase or
    another link is left as plain text rather than producing broken markup; a marker that
    falls inside a link is placed right after it.
    """
    spans: list[tuple[int, int, str]] = []
    if lead and text.startswith(lead):
        spans.append((0, len(lead), format_html('<em class="lead">{}</em>', lead)))
    taken_until = spans[0][1] if spans else 0
    for link in sorted(links, key=lambda link: link.start):
        if link.start < taken_until or link.end > len(text) or link.end <= link.start:
            continue
        spans.append(
            (
                link.start,
                link.end,
                format_html(
                    '<a class="citation" href="{}" title="{} in the UN document system">{}</a>',
                    link.url,
                    link.symbol,
                    text[link.start : link.end],
                ),
            )
        )
        taken_until = link.end

    positions = []
    for marker in markers:
        position = min(max(marker.position, 0), len(text))
        for start, end, _ in spans:
            if start < position < end:
                position = end
        positions.append((position, marker.number))
    positions.sort()

    out: list[str] = []
    cursor = 0
    pending = iter(positions)
    next_marker = next(pending, None)

    def plain_until(limit: int) -> None:
        nonlocal cursor, next_marker
        while next_marker is not None and next_marker[0] <= limit:
            out.append(escape(text[cursor : next_marker[0]]))
            out.append(footnote_marker(next_marker[1]))
            cursor = next_marker[0]
            next_marker = next(pending, None)
        out.append(escape(text[cursor:limit]))
        cursor = limit

    for start, end, html in spans:
        plain_until(start)
        out.append(html)
        cursor = end
    plain_until(len(text))
    return mark_safe("".join(out))  # noqa: S308 -- every piece above is escaped


def footnote_marker(number: int) -> SafeString:
    """A superscript footnote number linking to ``#fn<number>``, itself ``#fnref<number>``."""
    return format_html(
        '<sup class="footnote-ref"><a id="fnref{0}" href="#fn{0}" '
        'aria-label="Footnote {0}">{0}</a></sup>',
        number,
    )


def word_diff_html(words: Sequence[WordChange], *, inserted: str = "added") -> SafeString:
    """The words of a diff with deletions in ``<del>`` and insertions in ``<ins>``; each run
    of changed words is announced to screen readers, which do not voice the elements
    ("[added: ...]", or ``inserted`` for the word said there), and shown by more than
    colour: struck through or underlined."""
    closing = '<span class="visually-hidden">]</span>'
    pieces = []
    for run in words:
        if run.op == "insert":
            pieces.append(
                format_html(
                    '<ins><span class="visually-hidden">[{}: </span>{}</ins>', inserted, run.text
                )
            )
            pieces.append(closing)
        elif run.op == "delete":
            pieces.append(
                format_html(
                    '<del><span class="visually-hidden">[deleted: </span>{}</del>', run.text
                )
            )
            pieces.append(closing)
        else:
            pieces.append(escape(run.text))
    return mark_safe(" ".join(pieces))  # noqa: S308 -- every piece above is escaped


def tracked_change_html(words: Sequence[WordChange]) -> SafeString:
    """A proposal as a tracked change: the words it deletes struck out, those it inserts
    underlined, each run announced as "[deleted: ...]" or "[inserted: ...]"."""
    return word_diff_html(words, inserted="inserted")


def css_string(text: str) -> SafeString:
    """``text`` as a double-quoted CSS string, safe inside a <style> element: anything but
    letters, digits and a few harmless marks becomes a CSS escape, so no quote or ``<`` can
    end the string or the element."""
    escaped = "".join(ch if ch.isalnum() or ch in " /.-·,()" else f"\\{ord(ch):06x}" for ch in text)
    return mark_safe(f'"{escaped}"')  # noqa: S308 -- built from escaped characters only


def highlighted(
    text: str, spans: Sequence[tuple[int, int]], start: int = 0, end: int | None = None
) -> SafeString:
    """``text[start:end]`` escaped, with the words at ``spans`` (character offsets in
    ``text``, in order, not overlapping) in ``<mark>``, and "…" where the text was cut."""
    end = len(text) if end is None else end
    out = ["…"] if start > 0 else []
    cursor = start
    for span_start, span_end in spans:
        span_start, span_end = max(span_start, start), min(span_end, end)
        if span_start >= span_end or span_start < cursor:
            continue
        out.append(escape(text[cursor:span_start]))
        out.append(format_html("<mark>{}</mark>", text[span_start:span_end]))
        cursor = span_end
    out.append(escape(text[cursor:end]))
    if end < len(text):
        out.append("…")
    return mark_safe("".join(out))  # noqa: S308 -- every piece above is escaped
