"""Proposed language as tracked changes against a paragraph's words, as a compilation text
shows it.

A delegation proposes to **amend** a paragraph (new wording for it), to **delete** it, or to
**insert** a new paragraph after it. Each becomes a run of word changes against the
paragraph's current words (:func:`proposal_changes`), the same
:class:`~resolutions.un.text_comparison.WordChange` runs the version comparison uses; a new
paragraph is named after the one it follows, "OP3 bis", "OP3 ter" (:func:`insert_label`),
until a revision numbers it; and the delegations' stances are counted by regional group
(:func:`group_tally`, :func:`tally_phrase`).

:func:`spaced_runs` puts the spaces between runs where a word processor needs them, so that
accepting every change and rejecting every change both give single-spaced text.

Standard library only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from resolutions.un.text_comparison import WordChange, word_diff

AMEND = "amend"
DELETE = "delete"
INSERT = "insert"

# Latin ordinals as compilations number new paragraphs after an existing one.
_ORDINALS = (
    "bis",
    "ter",
    "quater",
    "quinquies",
    "sexies",
    "septies",
    "octies",
    "novies",
    "decies",
    "undecies",
    "duodecies",
    "terdecies",
    "quaterdecies",
    "quindecies",
    "sexdecies",
    "septdecies",
    "octodecies",
    "novodecies",
    "vicies",
)

# Short names of the UN regional groups, as delegates say them in the room.
GROUP_SHORT_NAMES = {
    "african": "African Group",
    "asia-pacific": "Asia-Pacific",
    "eastern-european": "EEG",
    "latin-american-caribbean": "GRULAC",
    "weog": "WEOG",
}
# A delegation that represents no Member State (an observer, a ministry's desk).
NO_GROUP = "other"


def proposal_changes(kind: str, current: str, proposed: str) -> tuple[WordChange, ...]:
    """The word changes a proposal makes to a paragraph whose words are ``current``.

    An amendment is the word diff of ``current`` into ``proposed``; a deletion strikes the
    whole paragraph; an insertion is ``proposed`` in full (a new paragraph has no current
    words). Unknown kinds raise ``ValueError``.
    """
    if kind == AMEND:
        return word_diff(current, proposed)
    if kind == DELETE:
        return (WordChange("delete", current),) if current.strip() else ()
    if kind == INSERT:
        return (WordChange("insert", proposed),) if proposed.strip() else ()
    raise ValueError(f"Unknown kind of proposal: {kind!r}")


def changed_words(changes: Iterable[WordChange]) -> tuple[int, int]:
    """How many words the changes insert and delete: ``(inserted, deleted)``."""
    inserted = deleted = 0
    for run in changes:
        if run.op == "insert":
            inserted += len(run.text.split())
        elif run.op == "delete":
            deleted += len(run.text.split())
    return inserted, deleted


def spaced_runs(changes: Sequence[WordChange]) -> list[WordChange]:
    """``changes`` with the spaces between runs written into the runs themselves.

    The runs of a word diff carry no spacing between them. A space before a run is needed
    in a view (all changes accepted, or all rejected) when the run shows in that view and a
    run before it does too. So a space before an inserted run goes inside the insertion
    (when something shows before it once accepted), before a deleted run inside the deletion,
    and before an unchanged run it is plain, inserted or deleted according to the views that
    need it. Accepting every insertion and removing every deletion then gives the proposed
    text with single spaces, and the reverse gives the current text.
    """
    out: list[WordChange] = []
    shown_if_accepted = shown_if_rejected = False
    for run in changes:
        if run.op == "insert":
            out.append(WordChange("insert", (" " if shown_if_accepted else "") + run.text))
            shown_if_accepted = True
        elif run.op == "delete":
            out.append(WordChange("delete", (" " if shown_if_rejected else "") + run.text))
            shown_if_rejected = True
        else:
            if shown_if_accepted and shown_if_rejected:
                out.append(WordChange("equal", " " + run.text))
            else:
                if shown_if_accepted:
                    out.append(WordChange("insert", " "))
                elif shown_if_rejected:
                    out.append(WordChange("delete", " "))
                out.append(WordChange("equal", run.text))
            shown_if_accepted = shown_if_rejected = True
    return _merged(out)


def _merged(runs: list[WordChange]) -> list[WordChange]:
    """Neighbouring runs of the same kind as one run."""
    merged: list[WordChange] = []
    for run in runs:
        if merged and merged[-1].op == run.op:
            merged[-1] = WordChange(run.op, merged[-1].text + run.text)
        else:
            merged.append(run)
    return merged


def apply_changes(changes: Iterable[WordChange], *, accept: bool) -> str:
    """The text once every change is accepted (``accept``) or rejected, from runs spaced by
    :func:`spaced_runs`."""
    dropped = "delete" if accept else "insert"
    return "".join(run.text for run in changes if run.op != dropped)


def insert_label(display_label: str, position: int) -> str:
    """The label of the ``position``-th (1-based) new paragraph proposed after the paragraph
    labelled ``display_label``: "OP3 bis", "OP3 ter", … "OP3 vicies" (the nineteenth), then
    "OP3 new 20"."""
    if position < 1:
        raise ValueError("position starts at 1")
    if position <= len(_ORDINALS):
        return f"{display_label} {_ORDINALS[position - 1]}"
    return f"{display_label} new {position}"


def group_tally(groups: Iterable[str | None]) -> list[tuple[str, int]]:
    """How many of the delegations in each regional group (codes such as ``weog``; None for
    a delegation of no Member State): ``[("WEOG", 7), ("EEG", 3)]``, largest first, then by
    name."""
    counts: dict[str, int] = {}
    # Counted by hand: a Counter's setup costs more than counting a few groups, and a
    # compilation tallies a thousand.
    for group in groups:
        name = GROUP_SHORT_NAMES.get(group or "", NO_GROUP)
        counts[name] = counts.get(name, 0) + 1
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def tally_phrase(verb: str, groups: Sequence[str | None]) -> str:
    """``"supported by 12: WEOG 7, EEG 3, GRULAC 2"``; empty when ``groups`` is."""
    if not groups:
        return ""
    parts = ", ".join(f"{name} {count}" for name, count in group_tally(groups))
    return f"{verb} {len(groups)}: {parts}"
