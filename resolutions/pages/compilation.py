"""The compilation text of a document: every paragraph with its label, current words and
status, and under it every tabled proposal as a tracked change against those words, with
its proposer, the circle it is made on behalf of, its reason and the delegations' stances;
new paragraphs proposed after a paragraph follow it as "OP3 bis". A status board sums up
where the negotiation stands.

The same compilation is the page, its JSON twin and the Word file with tracked changes
(``resolutions/formats/``). It is read in four queries whatever the number of paragraphs,
proposals and stances.

Only proposals that have been tabled appear, with what became of them (accepted, rejected,
withdrawn): a draft is seen by its delegation or circle alone and never reaches the
compilation, which is for every logged-in delegate.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlencode

from django.db.models import F
from django.utils import timezone
from django.utils.safestring import SafeString

from resolutions.forms import CompilationFilterForm
from resolutions.models import Document, Paragraph, Proposal, Stance
from resolutions.pages.proposals import word_changes
from resolutions.rendering import (
    compiled_proposal_html,
    css_string,
    joined_html,
    printed_day,
    render_text,
    word_diff_html,
)
from resolutions.un.text_comparison import WordChange
from resolutions.un.tracked_changes import (
    group_tally,
    insert_label,
    tally_phrase,
)

# What every logged-in delegate sees of the proposals on a document: those tabled, and
# what became of them. Drafts stay with their delegation or circle.
COMPILED_STATES = [
    Proposal.State.TABLED,
    Proposal.State.ACCEPTED,
    Proposal.State.REJECTED,
    Proposal.State.WITHDRAWN,
]
# The changes a revision would still make: shown as tracked revisions in the Word file.
LIVE_STATES = {Proposal.State.TABLED, Proposal.State.ACCEPTED}

# Stances in the order a compilation reads them, with the words it uses.
STANCE_WORDS = [
    (Stance.Position.SUPPORTS, "supported by"),
    (Stance.Position.CAN_ACCEPT, "acceptable to"),
    (Stance.Position.OBJECTS, "objected by"),
]

KIND_WORDS = {
    Proposal.Kind.AMEND: "Amendment",
    Proposal.Kind.DELETE: "Deletion",
    Proposal.Kind.INSERT: "New paragraph",
}


@dataclass(frozen=True)
class StanceView:
    """A delegation's stance as the compilation shows it: read as three values rather than
    three model instances, since a busy compilation holds thousands."""

    delegation: str
    position: str
    regional_group: str | None  # None for a delegation of no Member State


@dataclass
class StancePosition:
    """The delegations that took one position on a proposal."""

    position: str
    words: str  # "supported by"
    delegations: list[str]
    groups: list[str | None]  # their regional group codes, None for no Member State

    @property
    def count(self) -> int:
        return len(self.delegations)

    @property
    def heading(self) -> str:
        """ "Supported by 5"."""
        return f"{self.words[0].upper()}{self.words[1:]} {self.count}"

    @cached_property
    def tally(self) -> list[tuple[str, int]]:
        return group_tally(self.groups)

    @property
    def tally_text(self) -> str:
        """ "WEOG 3, African Group 1, EEG 1"."""
        return ", ".join(f"{name} {count}" for name, count in self.tally)

    @property
    def names(self) -> str:
        """The delegations, by name: "Finland, Germany, Ghana"."""
        return ", ".join(self.delegations)

    @property
    def phrase(self) -> str:
        """ "supported by 12: WEOG 7, EEG 3, GRULAC 2"."""
        return tally_phrase(self.words, self.groups)


@dataclass
class CompiledProposal:
    proposal: Proposal
    label: str  # the paragraph's label, or the new paragraph's: "OP3 bis"
    changes: tuple[WordChange, ...]
    stances: list[StanceView] = field(default_factory=list)
    # The time zone its times print in: the current one, looked up once for a thousand.
    zone: datetime.tzinfo | None = None

    @property
    def state_words(self) -> str:
        """The state as the compilation names it: a tabled proposal is open."""
        if self.proposal.state == Proposal.State.TABLED:
            return "Open"
        return self.proposal.get_state_display()

    @property
    def kind_words(self) -> str:
        return KIND_WORDS.get(self.proposal.kind) or self.proposal.get_kind_display()

    @cached_property
    def html(self) -> SafeString:
        return word_diff_html(self.changes, inserted="inserted")

    @property
    def is_open(self) -> bool:
        return self.proposal.state == Proposal.State.TABLED

    @property
    def is_live(self) -> bool:
        """Still a change to the text: tabled, or accepted for the next revision."""
        return self.proposal.state in LIVE_STATES

    @property
    def when(self) -> datetime.datetime:
        return self.proposal.tabled_at or self.proposal.created_at

    @property
    def tabled_on(self) -> str:
        """When it was tabled, as the page prints it: "27 Nov 2026"."""
        return printed_day(timezone.localtime(self.when, self.zone).date())

    @property
    def is_decided(self) -> bool:
        return self.proposal.state in (Proposal.State.ACCEPTED, Proposal.State.REJECTED)

    @cached_property
    def positions(self) -> list[StancePosition]:
        """The positions taken, in the order supports, can accept, objects; only those some
        delegation took."""
        by_position: dict[str, list[StanceView]] = {}
        for stance in self.stances:
            by_position.setdefault(stance.position, []).append(stance)
        return [
            StancePosition(
                position,
                words,
                [stance.delegation for stance in by_position[position]],
                [stance.regional_group for stance in by_position[position]],
            )
            for position, words in STANCE_WORDS
            if position in by_position
        ]

    @property
    def stance_summary(self) -> str:
        """ "supported by 12: WEOG 7, EEG 3, GRULAC 2; objected by 2: …"; "" without any."""
        return "; ".join(position.phrase for position in self.positions)

    @property
    def proposer(self) -> str:
        """ "Norway on behalf of Nordic group"."""
        proposal = self.proposal
        if proposal.on_behalf_of_id:
            return f"{proposal.delegation.name} on behalf of {proposal.on_behalf_of.name}"
        return proposal.delegation.name

    @property
    def decided_by(self) -> str:
        """Who accepted or rejected it: the pen holder's delegation, or the delegate."""
        user = self.proposal.decided_by
        if user is None:
            return ""
        return user.delegation.name if user.delegation_id else user.get_username()

    @cached_property
    def list_item(self) -> SafeString:
        """The proposal as the compilation page lists it (``compiled_proposal_html``)."""
        return compiled_proposal_html(
            self.proposal,
            state_words=self.state_words,
            kind_words=self.kind_words,
            tabled=(self.when, self.tabled_on),
            change=self.html,
            decided_by=self.decided_by if self.is_decided else None,
            positions=(
                (position.position, position.heading, position.tally_text, position.names)
                for position in self.positions
            ),
        )


@dataclass
class CompiledParagraph:
    paragraph: Paragraph
    depth: int  # 0 for a paragraph, 1 for its sub-paragraph, 2 for a sub-sub-paragraph …
    parent_label: str | None = None
    proposals: list[CompiledProposal] = field(default_factory=list)  # amend and delete
    inserts: list[CompiledProposal] = field(default_factory=list)  # new paragraphs after it

    @property
    def label(self) -> str:
        return self.paragraph.label

    @property
    def display_label(self) -> str:
        return self.paragraph.display_label

    @property
    def proposals_html(self) -> SafeString:
        """The proposals on the paragraph as listed (``CompiledProposal.list_item``), in one
        join rather than a template's loop over hundreds."""
        return joined_html(proposal.list_item for proposal in self.proposals)

    @cached_property
    def html(self) -> SafeString:
        return render_text(self.paragraph.text, lead=self.paragraph.lead)

    @property
    def number(self) -> str:
        """The number as printed before the words: "3." for an operative paragraph, "(a)"
        for a sub-paragraph, nothing in the preamble."""
        paragraph = self.paragraph
        if not paragraph.number:
            return ""
        return paragraph.number if paragraph.parent_id else f"{paragraph.number}."

    @property
    def status_changed_by(self) -> str:
        user = self.paragraph.status_changed_by
        if user is None:
            return ""
        return user.delegation.name if user.delegation_id else user.get_username()


@dataclass
class Entry:
    """One block of the compilation in reading order: a section heading, a paragraph, or a
    new paragraph proposed after one (``insert``, with ``paragraph`` the one it follows)."""

    kind: str  # "heading" | "paragraph" | "insert"
    paragraph: CompiledParagraph
    proposal: CompiledProposal | None = None

    @property
    def heading(self) -> str:
        return self.paragraph.paragraph.heading


@dataclass
class StatusBoard:
    paragraphs: int
    by_status: dict[str, int]
    by_state: dict[str, int]

    @property
    def agreed(self) -> int:
        return self.by_status.get(Paragraph.Status.AGREED, 0)

    @property
    def agreed_ad_ref(self) -> int:
        return self.by_status.get(Paragraph.Status.AGREED_AD_REF, 0)

    @property
    def open(self) -> int:
        return self.by_status.get(Paragraph.Status.OPEN, 0)

    @property
    def proposals_open(self) -> int:
        return self.by_state.get(Proposal.State.TABLED, 0)

    @property
    def summary(self) -> str:
        """ "14 of 22 paragraphs agreed ad ref; 9 proposals open" (with the agreed ones
        first when there are any)."""
        total = self.paragraphs
        if self.agreed:
            paragraphs = (
                f"{self.agreed} of {total} paragraph{_s(total)} agreed and "
                f"{self.agreed_ad_ref} agreed ad ref"
            )
        else:
            paragraphs = f"{self.agreed_ad_ref} of {total} paragraph{_s(total)} agreed ad ref"
        open_ = self.proposals_open
        return f"{paragraphs}; {open_} proposal{_s(open_)} open"

    def paragraph_counts(self) -> list[tuple[str, str, int]]:
        """(status, label, count) for each paragraph status."""
        return [
            (value, label, self.by_status.get(value, 0))
            for value, label in Paragraph.Status.choices
        ]

    def proposal_counts(self) -> list[tuple[str, str, int]]:
        """(state, label, count) for each state a compiled proposal can be in."""
        labels = dict(Proposal.State.choices)
        labels[Proposal.State.TABLED] = "Open (tabled)"
        return [(state, labels[state], self.by_state.get(state, 0)) for state in COMPILED_STATES]


def _s(count: int) -> str:
    return "" if count == 1 else "s"


# What the compilation (its page, JSON and Word file) reads of each proposal and of those
# it names: the rest of a thousand rows (the text it was written against, the author, when
# it was last edited...) stays in the database.
_COMPILED_FIELDS = (
    "paragraph_id",
    "kind",
    "text",
    "reason",
    "state",
    "decision_reason",
    "tabled_at",
    "created_at",
    "delegation__name",
    "on_behalf_of__name",
    "decided_by__username",
    "decided_by__delegation__name",
)


class Compilation:
    """The compilation of ``document`` as ``params`` (the query string) filter it."""

    def __init__(self, document: Document, params=None):
        self.document = document
        self.generated_at = timezone.now()
        paragraphs = list(
            Paragraph.objects.filter(document=document)
            .select_related("status_changed_by__delegation")
            .order_by("order")
        )
        proposals = list(
            Proposal.objects.filter(document=document, state__in=COMPILED_STATES)
            .select_related("delegation", "on_behalf_of", "decided_by__delegation")
            .only(*_COMPILED_FIELDS)
            .order_by("paragraph__order", F("tabled_at").asc(nulls_last=True), "created_at", "pk")
        )
        stances: dict[int, list[StanceView]] = {}
        for proposal_id, *stance in (
            Stance.objects.filter(proposal__document=document, proposal__state__in=COMPILED_STATES)
            .order_by("delegation__name", "pk")
            .values_list(
                "proposal_id", "delegation__name", "position", "delegation__state__regional_group"
            )
        ):
            stances.setdefault(proposal_id, []).append(StanceView(*stance))

        self.board = StatusBoard(
            paragraphs=len(paragraphs),
            by_status=Counter(p.status for p in paragraphs),
            by_state=Counter(p.state for p in proposals),
        )
        self.form = CompilationFilterForm(
            params or None,
            delegations=sorted({p.delegation.name for p in proposals}),
            circles=sorted(
                {(p.on_behalf_of_id, p.on_behalf_of.name) for p in proposals if p.on_behalf_of},
                key=lambda circle: (circle[1], circle[0]),
            ),
        )
        self.filters = self.form.cleaned_data if self.form.is_valid() else {}
        self.errors = [error for errors in self.form.errors.values() for error in errors]
        self.paragraphs = self._compile(paragraphs, proposals, stances)
        self.entries = list(self._entries())

    @property
    def active_filters(self) -> dict[str, str]:
        return {name: value for name, value in self.filters.items() if value}

    @property
    def query(self) -> str:
        """The active filters as a query string, for the downloads of the same selection."""
        return urlencode(sorted(self.active_filters.items()))

    @property
    def running_header(self) -> SafeString:
        """The symbol as a CSS string for the printed page header."""
        return css_string(f"{self.document.symbol} · Compilation text")

    def _wanted(self, proposal: Proposal) -> bool:
        delegation = self.filters.get("delegation")
        circle = self.filters.get("circle")
        if delegation and proposal.delegation.name != delegation:
            return False
        return not (circle and str(proposal.on_behalf_of_id) != circle)

    def _compile(self, paragraphs, proposals, stances) -> list[CompiledParagraph]:
        compiled: dict[int, CompiledParagraph] = {}
        for paragraph in paragraphs:
            parent = compiled.get(paragraph.parent_id) if paragraph.parent_id else None
            compiled[paragraph.pk] = CompiledParagraph(
                paragraph,
                depth=parent.depth + 1 if parent else 0,
                parent_label=parent.label if parent else None,
            )
        shown = [
            (proposal, compiled[proposal.paragraph_id])
            for proposal in proposals
            if proposal.paragraph_id in compiled and self._wanted(proposal)
        ]
        changes = word_changes(
            [(proposal.kind, item.paragraph.text, proposal.text) for proposal, item in shown]
        )
        zone = timezone.get_current_timezone()
        for (proposal, item), words in zip(shown, changes, strict=True):
            entry = CompiledProposal(
                proposal,
                label=item.display_label,
                changes=words,
                stances=stances.get(proposal.pk, []),
                zone=zone,
            )
            if proposal.kind == Proposal.Kind.INSERT:
                entry.label = insert_label(item.display_label, len(item.inserts) + 1)
                item.inserts.append(entry)
            else:
                item.proposals.append(entry)
        return list(compiled.values())

    def _shows(self, item: CompiledParagraph) -> bool:
        status = self.filters.get("status")
        return not status or item.paragraph.status == status

    def _entries(self):
        """Headings, paragraphs and new paragraphs in reading order. A new paragraph follows
        the paragraph it is proposed after and that paragraph's sub-paragraphs, and is shown
        when that paragraph is; a heading stands before the first paragraph of its section
        that is shown."""
        children: dict[int | None, list[CompiledParagraph]] = {}
        for item in self.paragraphs:
            children.setdefault(item.paragraph.parent_id, []).append(item)
        heading: CompiledParagraph | None = None

        def walk(item: CompiledParagraph):
            nonlocal heading
            if item.paragraph.heading:
                heading = item
            shown = self._shows(item)
            if shown:
                if heading is not None:
                    yield Entry("heading", heading)
                    heading = None
                yield Entry("paragraph", item)
            for child in children.get(item.paragraph.pk, []):
                yield from walk(child)
            if shown:
                for insert in item.inserts:
                    yield Entry("insert", item, insert)

        for top in children.get(None, []):
            yield from walk(top)

    @property
    def shown_paragraphs(self) -> list[CompiledParagraph]:
        """The paragraphs the filters show, in reading order."""
        return [entry.paragraph for entry in self.entries if entry.kind == "paragraph"]

    @property
    def preambular_entries(self) -> list[Entry]:
        return [e for e in self.entries if e.paragraph.paragraph.part == Paragraph.Part.PREAMBULAR]

    @property
    def operative_entries(self) -> list[Entry]:
        return [e for e in self.entries if e.paragraph.paragraph.part == Paragraph.Part.OPERATIVE]

    @property
    def shown_proposals(self) -> list[CompiledProposal]:
        """The proposals the page shows, in reading order."""
        shown = []
        for entry in self.entries:
            if entry.kind == "paragraph":
                shown += entry.paragraph.proposals
            elif entry.kind == "insert" and entry.proposal is not None:
                shown.append(entry.proposal)
        return shown
