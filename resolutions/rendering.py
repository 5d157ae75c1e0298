"""Turns stored text into the HTML a delegate reads.

This is the one place where text becomes markup: every piece of text is escaped here, and
only the elements built here (the italic opening phrase, citation links, footnote markers,
the insertions and deletions of a word diff, a CSS string for the printed page header, the
proposals of the compilation and of the reading page, a select's options, a note with its
replies) are trusted, so templates never need ``|safe`` and no other module calls
``mark_safe``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from django.template.defaultfilters import linebreaksbr, pluralize, urlencode, urlize
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.dates import MONTHS_3
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString, mark_safe

from resolutions.un.text_comparison import WordChange

if TYPE_CHECKING:
    import datetime

    from resolutions.models import Proposal
    from resolutions.pages.notes import NoteView

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


@dataclass(frozen=True)
class Highlight:
    """Words of the text a note quotes: ``start`` to ``end`` in the text, the note's id
    and how the highlight names it ("amina (Nigeria): Too weak on capacity…")."""

    start: int
    end: int
    note_id: int
    label: str


def render_text(
    text: str,
    *,
    lead: str = "",
    links: Iterable[Link] = (),
    markers: Iterable[Marker] = (),
    highlights: Iterable[Highlight] = (),
    highlight_ids: str = "",
) -> SafeString:
    """Render ``text`` with its opening phrase in italics, citations as links to the UN
    document system, footnote markers linked to their notes, and the words notes quote
    highlighted.

    Offsets are character positions in ``text``. A link that overlaps the opening phrase or
    another link is left as plain text rather than producing broken markup; a marker that
    falls inside a link is placed right after it.

    A highlight never breaks the other markup: it is cut where an opening phrase or a link
    begins or ends and around a footnote marker, each piece a ``<mark>`` inside the element
    it falls in. Overlapping highlights are cut where each begins and ends, so no marks
    nest: each piece names every note quoting it, in a tooltip (with an id starting with
    ``highlight_ids``, which must tell this text apart on its page). The first piece of
    each note's quote carries ``id="quote-<note id>"`` (for the note's link back to its
    words) and, outside a citation link, can be focused, described by its tooltip.
    """
    spans: list[tuple[int, int, str, int]] = []  # start, end, opening tag, length of name
    if lead and text.startswith(lead):
        spans.append((0, len(lead), '<em class="lead">', 2))
    taken_until = spans[0][1] if spans else 0
    for link in sorted(links, key=lambda link: link.start):
        if link.start < taken_until or link.end > len(text) or link.end <= link.start:
            continue
        spans.append(
            (
                link.start,
                link.end,
                format_html(
                    '<a class="citation" href="{}" title="{} in the UN document system">',
                    link.url,
                    link.symbol,
                ),
                1,
            )
        )
        taken_until = link.end

    positions = []
    for marker in markers:
        position = min(max(marker.position, 0), len(text))
        for start, end, _, _ in spans:
            if start < position < end:
                position = end
        positions.append((position, marker.number))
    positions.sort()

    quoted = [
        h for h in highlights if 0 <= h.start < h.end <= len(text) and text[h.start : h.end].strip()
    ]
    cuts = {0, len(text)}
    cuts.update(point for start, end, _, _ in spans for point in (start, end))
    cuts.update(position for position, _ in positions)
    cuts.update(point for h in quoted for point in (h.start, h.end))
    points = sorted(cuts)

    out: list[str] = []
    opens = {start: (end, tag, name) for start, end, tag, name in spans}
    closing_at: dict[int, str] = {}
    inside_link = False
    pending = iter(positions)
    next_marker = next(pending, None)
    marked: set[int] = set()
    piece_number = 0
    for here, until in zip(points, points[1:] + [None], strict=True):
        if here in closing_at:
            out.append(closing_at.pop(here))
            inside_link = False
        while next_marker is not None and next_marker[0] <= here:
            out.append(footnote_marker(next_marker[1]))
            next_marker = next(pending, None)
        if here in opens:
            end, tag, name = opens[here]
            out.append(tag)
            closing_at[end] = "</em>" if name == 2 else "</a>"
            inside_link = name == 1
        if until is None:
            break
        words = text[here:until]
        covering = [h for h in quoted if h.start <= here and until <= h.end]
        if not covering or not words.strip():
            out.append(escape(words))
            continue
        piece_number += 1
        out.append(
            _highlight_piece(
                words,
                covering,
                first={h.note_id for h in covering if h.note_id not in marked},
                tip_id=f"{highlight_ids}-{piece_number}",
                inside_link=inside_link,
            )
        )
        marked.update(h.note_id for h in covering)
    return mark_safe("".join(out))  # noqa: S308 -- every piece above is escaped


def _highlight_piece(
    words: str, covering: list[Highlight], first: set[int], tip_id: str, inside_link: bool
) -> str:
    """One piece of highlighted words: a ``<mark>`` naming the notes that quote it, with a
    tooltip saying what they say, shown on hover. The piece where a note's quote starts
    carries its anchor and, outside a citation link (whose own focus is the reader's), can
    be focused, its description the tooltip: one stop for each note, however its words
    are cut."""
    notes = sorted({h.note_id: h for h in covering}.values(), key=lambda h: h.note_id)
    anchors = sorted(first)
    own_id = format_html(' id="quote-{}"', anchors[0]) if anchors else ""
    # A second note whose quote starts at the same word needs an anchor of its own.
    extra = "".join(format_html('<span id="quote-{}"></span>', pk) for pk in anchors[1:])
    focus = (
        format_html(' tabindex="0" aria-describedby="{}"', tip_id)
        if anchors and not inside_link
        else ""
    )
    heading = "Note" if len(notes) == 1 else f"{len(notes)} notes"
    tip = format_html(
        '<span class="quote-tip" id="{}" aria-hidden="true">{}: {}</span>',
        tip_id,
        heading,
        "; ".join(h.label for h in notes),
    )
    return format_html(
        '{}<mark class="quote-highlight"{} data-notes="{}"{}>{}{}</mark>',
        mark_safe(extra),  # noqa: S308 -- built by format_html above
        own_id,
        " ".join(str(h.note_id) for h in notes),
        focus,
        words,
        tip,
    )


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
    colour: struck through or underlined. Written with ``_escaped``: a compilation writes
    out a thousand proposals' changes."""
    closing = '<span class="visually-hidden">]</span>'
    announced = _escaped(inserted)
    pieces = []
    for run in words:
        if run.op == "insert":
            pieces.append(
                f'<ins><span class="visually-hidden">[{announced}: </span>'
                f"{_escaped(run.text)}</ins>"
            )
            pieces.append(closing)
        elif run.op == "delete":
            pieces.append(
                f'<del><span class="visually-hidden">[deleted: </span>{_escaped(run.text)}</del>'
            )
            pieces.append(closing)
        else:
            pieces.append(_escaped(run.text))
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


# What ``urlize`` can make a link of: an address with a scheme or starting "www.", a bare
# domain under one of the top-level domains it knows, or an e-mail address. Text with none
# of these holds nothing it would link.
_MAY_LINK = re.compile(r"://|www\.|@|\.(?:com|edu|gov|int|mil|net|org)\b", re.IGNORECASE)


def linked_text(text: str) -> SafeString:
    """``text`` escaped, its web and e-mail addresses made links (``urlize``) and its line
    breaks kept, as a note's body is shown. ``urlize`` looks at every word, and for the
    margins of a busy reading page took some 7% of its time; text in which it could find
    no address is only escaped, which is what it would have made of it."""
    if _MAY_LINK.search(text):
        text = urlize(text, autoescape=True)
    return linebreaksbr(text, autoescape=True)


def _escaped(text) -> str:
    """``text`` escaped for HTML, as Django's ``escape`` does it (which is ``html.escape``),
    without the lazy-text check and the ``SafeString`` it wraps each piece in: for the
    builders below, which escape a piece thousands of times a page and mark the whole
    safe once."""
    return html.escape(str(text))


def _lines(text: str) -> str:
    """Escaped text with its line breaks kept (the ``linebreaksbr`` filter)."""
    return _escaped(text.replace("\r\n", "\n").replace("\r", "\n")).replace("\n", "<br>")


@dataclass(frozen=True)
class PrintedNote:
    """A note as the briefing prints it, its parts as plain text: ``heading`` ("Note 3",
    or where it stands when the notes print at the end), ``byline`` ("lars, Norway · my
    delegation · 30 Nov 2026"), the words it quotes, its body and tags, and its replies as
    (byline, body)."""

    heading: str
    byline: str
    quote: str
    body: str
    tags: Sequence[str]
    replies: Sequence[tuple[str, str]]


def printed_note_html(note: PrintedNote) -> SafeString:
    """One note of the briefing with its replies. Built here rather than in a template: a
    briefing prints thousands, and a template's lookups and filters cost some twenty times
    more for each."""
    parts = [
        f'<p class="endnote-head"><strong>{_escaped(note.heading)}</strong> · '
        f"{_escaped(note.byline)}</p>"
    ]
    if note.quote:
        parts.append(f'<p class="endnote-quote">“{_escaped(note.quote)}”</p>')
    parts.append(f'<div class="endnote-body">{_lines(note.body)}</div>')
    if note.tags:
        parts.append(f'<p class="endnote-tags">Tags: {_escaped(", ".join(note.tags))}</p>')
    for byline, body in note.replies:
        parts.append(
            f'<div class="endnote-reply"><p class="endnote-head">Reply · {_escaped(byline)}</p>'
            f'<div class="endnote-body">{_lines(body)}</div></div>'
        )
    return mark_safe("\n".join(parts))  # noqa: S308 -- every piece escaped above


def printed_note_items(
    notes: Iterable[tuple[int, SafeString]], css_class: str, *, around: str = ""
) -> SafeString:
    """The list items of printed notes, each ``(number, html)`` from ``printed_note_html``,
    with ``around`` before and after each: what a template's loop over thousands of notes
    would write, in one join."""
    css_class = _escaped(css_class)
    return mark_safe(  # noqa: S308 -- each note escaped, or built here and safe
        "".join(
            f'{around}<li value="{int(number)}" class="{css_class}">'
            f"{conditional_escape(note_html)}</li>{around}"
            for number, note_html in notes
        )
    )


def paragraph_note_items(notes: Iterable) -> SafeString:
    """A briefing's notes (each with its ``number`` and printed ``html``) as the list items
    printed under their paragraph, or under the place of an orphan's old paragraph."""
    numbered = ((note.number, note.html) for note in notes)
    return printed_note_items(numbered, "endnote paragraph-note")


@lru_cache(maxsize=1024)
def printed_day(day: datetime.date, day_format: str = "j M Y") -> str:
    """A day as the briefing and the compilation print it, "27 Nov 2026" (or as
    ``day_format`` says: "27 November 2026" in the Word file's comments): worked out once
    per day, since such a page prints thousands of notes or proposals from few days (the
    site speaks one language, ``LANGUAGE_CODE``)."""
    return format_date(day, day_format)


def joined_html(pieces: Iterable[SafeString]) -> SafeString:
    """Pieces of markup built here, one after another: what a template's loop over
    hundreds of them would write, in one join; a piece not marked safe is escaped, as the
    template would have escaped it."""
    return mark_safe("".join(conditional_escape(piece) for piece in pieces))  # noqa: S308


def rendered_html(html: str) -> SafeString:
    """What a template rendered (and so escaped), kept as text in the cache and served
    again: the reading page's parts (``pages.reading``)."""
    return mark_safe(html)  # noqa: S308 (a template escaped it)


def compiled_proposal_html(
    proposal: Proposal,
    *,
    state_words: str,
    kind_words: str,
    tabled: tuple[datetime.datetime, str],
    change: SafeString,
    decided_by: str | None,
    positions: Iterable[tuple[str, str, str, str]],
) -> SafeString:
    """One proposal as the compilation page lists it: its state (``state_words``, "Open"),
    kind, proposer and when it was tabled (the time and how the page prints it); the tracked
    change; the reason and, for a decided one, who decided (``decided_by``: None while
    undecided, "" when it is not known); the stances as
    ``(position, heading, tally, names)``, or none. Built here rather than in a template: a
    compilation lists a thousand, and a template's lookups cost some twenty times more for
    each."""
    when, tabled_on = tabled
    positions = list(positions)
    state = _escaped(proposal.state)
    on_behalf = (
        f' on behalf of <span class="circle-name">{_escaped(proposal.on_behalf_of.name)}</span>'
        if proposal.on_behalf_of_id
        else ""
    )
    parts = [
        f'<li class="proposal state-{state}" id="proposal-{proposal.pk}">',
        '<p class="proposal-head">'
        f'<span class="proposal-state proposal-state-{state}">'
        f"{_escaped(state_words)}</span> "
        f"<strong>{_escaped(kind_words)}</strong> by "
        f'<strong class="proposer">{_escaped(proposal.delegation.name)}</strong>{on_behalf} '
        f'<span class="muted">· tabled <time datetime="{_escaped(when.isoformat())}">'
        f"{_escaped(tabled_on)}</time></span></p>",
        f'<p class="tracked-change">{conditional_escape(change)}</p>',
    ]
    if proposal.reason:
        parts.append(
            '<p class="proposal-reason"><span class="reason-label">Reason:</span> '
            f"{_escaped(proposal.reason)}</p>"
        )
    if decided_by is not None:
        by = f" by {_escaped(decided_by)}" if decided_by else ""
        why = f": {_escaped(proposal.decision_reason)}" if proposal.decision_reason else ""
        parts.append(f'<p class="proposal-decision">{_escaped(state_words)}{by}{why}</p>')
    if positions:
        parts.append('<dl class="stances">')
        parts.extend(
            f'<div class="stance stance-{_escaped(position)}"><dt>'
            f'{_escaped(heading)} <span class="tally">({_escaped(tally)})'
            f"</span></dt><dd>{_escaped(names)}</dd></div>"
            for position, heading, tally, names in positions
        )
        parts.append("</dl>")
    else:
        parts.append('<p class="stances muted">No stance recorded yet.</p>')
    parts.append("</li>")
    return mark_safe("\n".join(parts))  # noqa: S308 -- every piece escaped above


def proposal_tracked_change_html(
    proposal: Proposal,
    changes: SafeString,
    tallies: Iterable[tuple[str, str, int, Iterable[tuple[str, str, int]]]],
) -> SafeString:
    """One proposal as the reading page and the proposals page show it: what it does, who
    proposed it and on whose behalf, where it stands, the words struck out and inserted
    (``changes``), its reason, and the stances counted by regional group: ``(position,
    words, total, groups)``, each group ``(name, short name, count)``. Built here rather
    than in a template: a reading page shows a thousand."""
    delegation = escape(proposal.delegation.name)
    circle = escape(proposal.on_behalf_of.name) if proposal.on_behalf_of_id else ""
    bis = (
        f'<span class="proposal-bis">{escape(proposal.display_label)}</span> '
        if proposal.kind == proposal.Kind.INSERT
        else ""
    )
    parts = [
        f'<div class="tracked-change kind-{escape(proposal.kind)}">',
        '<p class="proposal-meta">'
        f'<span class="proposal-heading">{escape(proposal.heading)}</span> '
        f'<span class="proposal-state state-{escape(proposal.state)}">'
        f"{escape(proposal.get_state_display())}</span> "
        f'<span class="proposal-by">by <span class="proposal-delegation">{delegation}</span>'
        + (f' on behalf of <span class="proposal-circle">{circle}</span>' if circle else "")
        + "</span></p>",
        f'<p class="proposed-text">{bis}{conditional_escape(changes)}</p>',
    ]
    if proposal.reason:
        parts.append(
            '<p class="proposal-reason"><span class="proposal-label">Why:</span> '
            f"{escape(proposal.reason)}</p>"
        )
    if proposal.state == proposal.State.DRAFT:
        members = f" and the members of {circle}" if circle else ""
        parts.append(f'<p class="stance-summary">A draft, seen by {delegation}{members} only.</p>')
    else:
        counted = "; ".join(
            f'<span class="tally position-{escape(position)}">{escape(words)} {total}: '
            + ", ".join(
                f'<abbr title="{escape(name)}">{escape(short_name)}</abbr> {count}'
                for name, short_name, count in groups
            )
            + "</span>"
            for position, words, total, groups in tallies
        )
        parts.append(
            '<p class="stance-summary"><span class="proposal-label">Stances:</span> '
            f"{counted or 'none yet'}</p>"
        )
    parts.append("</div>")
    return mark_safe("\n".join(parts))  # noqa: S308 -- every piece escaped above


def reading_proposals_html(
    where: str,
    label: str,
    proposals_url: str,
    proposals: Iterable[tuple[Proposal, SafeString]],
    *,
    total: int,
    chosen: str,
) -> SafeString:
    """The proposals under a paragraph of the reading page (``where``, its label as shown;
    ``label``, its anchor): each as its tracked change (``proposal_tracked_change_html``),
    linked to its place on the proposals page (``proposals_url``). When they are fewer than
    the ``total`` open or accepted there, a line first says so and which were ``chosen``,
    and links to them all. Built here rather than in a template: through a template
    partial, a thousand of them took a third of the cold page's time."""
    parts = [f'<section class="paragraph-proposals" aria-label="Proposals on {escape(where)}">']
    proposals = list(proposals)
    if total > len(proposals):
        parts.append(
            f'<p class="proposals-more">Showing {len(proposals)} of the {total} open or '
            f"accepted: {escape(chosen)}. "
            f'<a href="{escape(proposals_url)}#proposals-{escape(label)}">'
            f"All proposals on {escape(where)}</a></p>"
        )
    for proposal, tracked_change in proposals:
        tabled = proposal.state == proposal.State.TABLED
        link = "Stances and discussion" if tabled else "See the proposal"
        parts.append(
            f'<article class="proposal-change state-{escape(proposal.state)}">\n'
            f"{conditional_escape(tracked_change)}\n"
            f'<p class="proposal-links"><a href="{escape(proposals_url)}#proposal-{proposal.pk}">'
            f'{link}<span class="visually-hidden">: {escape(proposal.heading)} by '
            f"{escape(proposal.delegation.name)}</span></a></p>\n</article>"
        )
    parts.append("</section>")
    return mark_safe("\n".join(parts))  # noqa: S308 -- every piece escaped above


def select_options_html(choices: Iterable[tuple[object, str]], selected: object) -> SafeString:
    """The ``<option>`` elements of a select offering ``choices`` (value, label), the one
    whose value is ``selected`` marked, compared as text (a bound form's value is the text
    sent). Built here rather than looped over in a template: the reading page offers a
    delegation's circles in two forms under every paragraph, and the loops cost more than
    the rest of its margins."""
    chosen = "" if selected is None else str(selected)
    return mark_safe(  # noqa: S308 -- every value and label escaped
        "".join(
            f'<option value="{escape(value)}"'
            + (" selected" if str(value) == chosen else "")
            + f">{escape(label)}</option>"
            for value, label in choices
        )
    )


# A number no note has, put in a note's addresses once and replaced by each note's id.
_ANY_PK = 987654321987654321


@lru_cache(maxsize=32)
def _pk_url(name: str, prefix: str, urlconf: str | None) -> tuple[str, str]:
    """The address ``name`` takes a note's id in, split where the id goes. Reversed once for
    the process, the script prefix and the URLconf: for the three hundred notes of a
    reading page, reversing six addresses each cost 50 ms."""
    before, _, after = reverse(name, urlconf=urlconf, args=[_ANY_PK]).partition(str(_ANY_PK))
    return before, after


def _note_url(name: str, pk: int) -> str:
    before, after = _pk_url(name, get_script_prefix(), get_urlconf())
    return escape(f"{before}{pk}{after}")


# What the CSRF context processor gives when the request has no token.
_NO_CSRF_TOKEN = "NOTPROVIDED"  # noqa: S105 -- a marker, not a secret


def _csrf_input(csrf_token: str | None) -> str:
    """What ``{% csrf_token %}`` writes."""
    if not csrf_token or csrf_token == _NO_CSRF_TOKEN:
        return ""
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(csrf_token)}">'


def _time_element(moment: datetime.datetime) -> str:
    """What ``<time datetime="{{ moment|date:'c' }}">{{ moment|date:"j M Y, H:i" }}</time>``
    writes (``c`` is the ISO 8601 form)."""
    local = timezone.template_localtime(moment)
    # "j M Y, H:i" written out: Django's date formatting reads the format letter by letter
    # and took 40% of the time of writing a note.
    shown = (
        f"{local.day} {MONTHS_3[local.month].title()} {local.year:04d}, "
        f"{local.hour:02d}:{local.minute:02d}"
    )
    return f'<time datetime="{escape(local.isoformat())}">{escape(shown)}</time>'


def note_html(
    note: NoteView,
    *,
    csrf_token: str | None = None,
    notes_count: object = None,
    in_list: bool = False,
    open_thread: bool = False,
    in_proposal: bool = False,
) -> SafeString:
    """A note (a ``NoteView``) and its replies as every page shows it: the reading page's
    margins, the thread page, the notes list and a proposal's discussion (called by
    ``_annotation.html``). A resolved thread folds to one line (``open_thread``:
    unfolded, on its own page); ``in_list``: a reply says whose thread it is in;
    ``in_proposal``: no link back to the proposal; ``notes_count``: the paragraph's count,
    sent along out of band. Built here rather than in a template: through one, the three
    hundred notes of a reading page at 100,000 notes took a third of its time."""
    annotation = note.annotation
    pk = annotation.pk
    is_reply = annotation.reply_to_id is not None
    resolved = annotation.resolved
    folded = note.folded
    out = ["\n\n"]
    if notes_count is not None and notes_count != "":
        out.append(
            f'<span id="notes-count-{escape(annotation.paragraph.label)}" hx-swap-oob="true">'
            f"{conditional_escape(notes_count)}</span>"
        )
    out.append(
        f'\n<article class="annotation{" resolved" if resolved else ""}'
        f'{" reply" if is_reply else ""}" data-annotation-id="{pk}" id="annotation-{pk}">\n  '
    )
    if in_list and is_reply:
        if note.thread_seen:
            out.append(
                '<p class="reply-context">↳ Reply to a note by '
                f"{escape(annotation.reply_to.author.get_username())} — "
                f'<a href="{_note_url("resolutions:annotation_detail", annotation.reply_to_id)}">'
                "see the thread</a></p>"
            )
        else:
            out.append(
                '<p class="reply-context">↳ Your reply, in a thread you can no longer see — '
                f'<a href="{_note_url("resolutions:annotation_detail", pk)}">see your reply</a>'
                "</p>"
            )
    out.append("\n  ")
    if annotation.proposal_id and not in_proposal:
        proposals = reverse(
            "resolutions:document_proposals", args=[annotation.paragraph.document.slug]
        )
        out.append(
            f'<p class="reply-context">On a proposal — <a href="{escape(proposals)}#proposal-'
            f'{annotation.proposal_id}">see it with its stances</a></p>'
        )
    out.append("\n  ")
    if folded:
        out.append(
            f'<details class="thread-fold"{" open" if open_thread else ""}><summary>'
            f"{escape(note.fold_summary)}</summary>"
        )
    out.append(
        '\n  <header class="annotation-meta">\n    <span class="annotation-author">'
        f"{escape(annotation.author.get_username())}</span>"
    )
    if annotation.delegation:
        out.append(
            f'<span class="annotation-delegation"> · {escape(annotation.delegation.name)}</span>'
        )
    out.append(
        f'\n    <span class="visibility visibility-{escape(annotation.audience)}">'
        f"{escape(annotation.audience_label)}</span>\n    "
    )
    if resolved:
        out.append('<span class="badge">Resolved</span>')
    out.append("\n    ")
    if annotation.orphan_reason:
        out.append(
            f'<span class="badge badge-warning">From {escape(annotation.orphan_label)} of '
            f"{escape(annotation.orphaned_since)}</span>"
        )
    elif annotation.orphaned_since:
        out.append(
            '<span class="badge badge-warning">Orphaned since '
            f"{escape(annotation.orphaned_since)}</span>"
        )
    out.append(f"\n    {_time_element(annotation.created_at)}")
    if note.history_seen:
        out.append(f' · <a href="{_note_url("resolutions:annotation_history", pk)}">edited</a>')
    out.append("\n  </header>\n  ")
    if annotation.quote:
        quote = escape(annotation.quote)
        if annotation.orphaned_since:
            out.append(f'<blockquote class="annotation-quote">{quote}</blockquote>')
        else:
            text = escape(annotation.paragraph.document.get_absolute_url())
            out.append(
                f'<blockquote class="annotation-quote"><a href="{text}#quote-{pk}">'
                '<span class="visually-hidden">Quoted words, see them in the text: </span>'
                f"{quote}</a></blockquote>"
            )
    body = linked_text(annotation.body)
    out.append(f'\n  <div class="annotation-body">{body}</div>\n  ')
    if note.tags:
        tagged = escape(
            reverse("resolutions:annotation_list", args=[annotation.paragraph.document.slug])
        )
        tags = "".join(
            f'<li><a href="{tagged}?tag={escape(urlencode(tag))}">{escape(tag)}</a></li>'
            for tag in note.tags
        )
        out.append(f'\n  <ul class="tags" aria-label="Tags">{tags}</ul>\n  ')
    out.append('\n  <div class="annotation-actions">\n    ')
    if note.can_edit:
        edit = _note_url("resolutions:annotation_edit", pk)
        delete = _note_url("resolutions:annotation_delete", pk)
        out.append(
            f'\n    <a href="{edit}" data-annotation-edit hx-get="{edit}" '
            f'hx-target="#annotation-{pk}" hx-swap="outerHTML">Edit</a>\n'
            f'    <form method="post" action="{delete}" hx-post="{delete}" '
            f'hx-target="#annotation-{pk}" hx-swap="outerHTML">\n'
            f'      {_csrf_input(csrf_token)}<button type="submit" class="link-button">Delete'
            "</button>\n    </form>\n    "
        )
    out.append("\n    ")
    if not is_reply:
        out.append("\n      ")
        if note.can_resolve:
            resolve = _note_url("resolutions:annotation_resolve", pk)
            out.append(
                f'\n      <form method="post" action="{resolve}" hx-post="{resolve}" '
                f'hx-target="#annotation-{pk}" hx-swap="outerHTML">\n'
                f'        {_csrf_input(csrf_token)}<input type="hidden" name="resolved" '
                f'value="{"0" if resolved else "1"}">\n'
                '        <button type="submit" class="link-button">'
                f"{'Reopen' if resolved else 'Mark resolved'}</button>\n      </form>\n      "
            )
        out.append(
            f'\n      <a href="{_note_url("resolutions:annotation_detail", pk)}">Reply</a>\n    '
        )
    out.append("\n  </div>\n  ")
    if note.replies:
        out.append('\n  <div class="replies">\n    ')
        if note.earlier_replies:
            out.append(
                '<p class="earlier-replies">'
                f'<a href="{_note_url("resolutions:annotation_detail", pk)}">'
                f"{note.earlier_replies} earlier repl{pluralize(note.earlier_replies, 'y,ies')}"
                "</a></p>"
            )
        out.append("\n    ")
        out.extend(
            note_html(reply, csrf_token=csrf_token, notes_count="", in_proposal=in_proposal)
            for reply in note.replies
        )
        out.append("\n  </div>\n  ")
    out.append("\n  ")
    if folded:
        out.append("</details>")
    out.append("\n</article>\n\n")
    return mark_safe("".join(out))  # noqa: S308 -- every piece escaped above
