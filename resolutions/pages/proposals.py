"""Proposals as the pages show them to one reader: each as a tracked change against its
paragraph's words, with who made it and on whose behalf, the stances taken on it counted by
regional group ("supported by 12: WEOG 7, EEG 3, GRULAC 2; objected by 2: ..."), and what
the reader may do with it. The reading page shows them under their paragraphs, with a form
to propose; the proposals page lists every one with its history and discussion; the JSON
twin gives the same. The queries stay fixed whatever the number of proposals and stances.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from django.core.cache import cache
from django.db.models import Case, Count, Exists, F, OuterRef, Q, Value, When, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils.safestring import SafeString

from resolutions.forms import (
    PROPOSAL_STATES,
    ParagraphStatusForm,
    PenHoldersForm,
    ProposalEditForm,
    ProposalForm,
    ReplyForm,
)
from resolutions.models import (
    Annotation,
    Circle,
    Delegation,
    Document,
    Paragraph,
    Proposal,
    ProposalRevision,
    Stance,
)
from resolutions.models.states import REGIONAL_GROUP_SHORT_NAMES, RegionalGroup
from resolutions.pages.notes import NoteView, for_reader, threads_with_replies
from resolutions.prepared import READER, PreparedQuery, reader, reader_ids
from resolutions.rendering import (
    proposal_tracked_change_html,
    reading_proposals_html,
    tracked_change_html,
)
from resolutions.services.proposals import ACTIONS, DECISIONS, Standing, refusal, standing
from resolutions.un.text_comparison import WordChange
from resolutions.un.tracked_changes import proposal_changes

# What each button of the proposals page says.
ACTION_LABELS = {
    "support": "Support",
    "accept_stance": "Can accept",
    "object": "Object",
    "withdraw": "Withdraw",
    "accept": "Accept",
    "reject": "Reject",
}
STANCE_ACTION_OF = {
    Stance.Position.SUPPORTS: "support",
    Stance.Position.CAN_ACCEPT: "accept_stance",
    Stance.Position.OBJECTS: "object",
}
POSITION_WORDS = {
    Stance.Position.SUPPORTS: "supported by",
    Stance.Position.CAN_ACCEPT: "acceptable to",
    Stance.Position.OBJECTS: "objected by",
}
OUTSIDE_GROUPS = "Other"
# The regional groups' names, and their order, read once: the enum works them out anew on
# every call, and a reading page names a group a thousand times.
GROUP_NAMES = dict(RegionalGroup.choices)
GROUP_ORDER = {group: rank for rank, group in enumerate(GROUP_NAMES)}

# The reading page shows what is still being negotiated, and what the pen holder accepted;
# withdrawn and rejected proposals are on the proposals page.
ON_THE_READING_PAGE = (Proposal.State.DRAFT, Proposal.State.TABLED, Proposal.State.ACCEPTED)
# Under a paragraph the reading page shows at most this many of them, the ones that matter
# most to the reader (``proposals_by_paragraph``), and links to the rest: the text stays
# readable when a paragraph has forty-five proposals, and the page costs the same.
SHOWN_UNDER_A_PARAGRAPH = 3
# Which of them come first (``_kind_for_reader``, ``_shown_under_paragraph``), as the
# reading page names them: what the text becomes, where the reader's delegation stands,
# what waits for its stance, and what was tabled last.
MATTERING_WORDS = (
    "what was accepted",
    "your delegation's",
    "those awaiting your stance",
    "the newest",
)
ACCEPTED, OWN, AWAITING_STANCE, OTHER = range(len(MATTERING_WORDS))
# The reader's delegation's proposals after its last tabled one: shown only when nothing
# else is left to show.
OWN_EARLIER = len(MATTERING_WORDS)


@dataclass(frozen=True)
class GroupCount:
    """How many delegations of one regional group took a position."""

    group: str  # a RegionalGroup value, or "" for a delegation of no Member State
    count: int

    @property
    def short_name(self) -> str:
        return REGIONAL_GROUP_SHORT_NAMES.get(self.group, OUTSIDE_GROUPS)

    @property
    def name(self) -> str:
        return GROUP_NAMES.get(self.group, "Delegations in no regional group")


@dataclass(frozen=True)
class StanceTally:
    """One position taken on a proposal: by how many delegations, by regional group."""

    position: str
    total: int
    groups: tuple[GroupCount, ...]

    @property
    def words(self) -> str:
        return POSITION_WORDS[self.position]

    def __str__(self) -> str:
        groups = ", ".join(f"{group.short_name} {group.count}" for group in self.groups)
        return f"{self.words} {self.total}: {groups}"


def stance_tallies(rows: Iterable[tuple[str, str | None, int]]) -> list[StanceTally]:
    """The stances counted from ``(position, regional group, count)`` rows: supports, can
    accept, objects, in that order, positions nobody took left out; within one, the largest
    group first."""
    counts: dict[str, dict[str, int]] = {}
    for position, group, count in rows:
        by_group = counts.setdefault(position, {})
        by_group[group or ""] = by_group.get(group or "", 0) + count
    tallies = []
    for position in POSITION_WORDS:
        by_group = counts.get(position)
        if not by_group:
            continue
        groups = sorted(
            (GroupCount(group, count) for group, count in by_group.items()),
            key=lambda g: (-g.count, GROUP_ORDER.get(g.group, len(GROUP_ORDER))),
        )
        tallies.append(StanceTally(position, sum(by_group.values()), tuple(groups)))
    return tallies


def _stance_rows(proposal_ids: list[int]) -> dict[int, list[tuple[str, str | None, int]]]:
    """The stances on these proposals counted by position and regional group, in one
    aggregate query."""
    rows: dict[int, list[tuple[str, str | None, int]]] = {}
    counted = (
        Stance.objects.filter(proposal__in=proposal_ids)
        .order_by()
        .values_list("proposal_id", "position", "delegation__state__regional_group")
        .annotate(n=Count("pk"))
    )
    for proposal_id, position, group, n in counted:
        rows.setdefault(proposal_id, []).append((position, group, n))
    return rows


@dataclass(frozen=True)
class ActionButton:
    """A button the reader may press on a proposal (``name="action"``)."""

    action: str
    current: bool = False  # the stance the reader's delegation has taken

    @property
    def label(self) -> str:
        return ACTION_LABELS[self.action]

    @property
    def is_decision(self) -> bool:
        return self.action in DECISIONS

    @property
    def reason_required(self) -> bool:
        return self.action == "reject"


@dataclass
class ProposalView:
    """One proposal for one reader. On the reading page only the change, the tallies and the
    proposer are filled; the proposals page adds the rest."""

    proposal: Proposal
    changes: SafeString
    tallies: list[StanceTally]
    stances: list[Stance] = field(default_factory=list)
    own_position: str = ""
    actions: list[ActionButton] = field(default_factory=list)
    edit_form: ProposalEditForm | None = None
    revisions: list[ProposalRevision] = field(default_factory=list)
    hidden_revisions: int = 0  # earlier versions written while a draft, for its delegation
    discussion: NoteView | None = None
    discussion_form: ReplyForm | None = None
    error: str = ""  # what was just refused, said at the proposal

    @property
    def pk(self) -> int:
        return self.proposal.pk

    @cached_property
    def tracked_change(self) -> SafeString:
        """The proposal as the reading page and the proposals page show it
        (``proposal_tracked_change_html``)."""
        tallies = (
            (
                tally.position,
                tally.words,
                tally.total,
                ((group.name, group.short_name, group.count) for group in tally.groups),
            )
            for tally in self.tallies
        )
        return proposal_tracked_change_html(self.proposal, self.changes, tallies)

    @property
    def summary(self) -> str:
        """ "supported by 12: WEOG 7, EEG 3, GRULAC 2; objected by 2: ...", or "no stances
        yet"."""
        return "; ".join(str(tally) for tally in self.tallies) or "no stances yet"

    @property
    def own_position_label(self) -> str:
        """The reader's delegation's stance, in words ("Supports"), or empty."""
        return Stance.Position(self.own_position).label if self.own_position else ""

    @property
    def stance_actions(self) -> list[ActionButton]:
        return [button for button in self.actions if button.action in STANCE_ACTION_OF.values()]

    @property
    def other_actions(self) -> list[ActionButton]:
        return [button for button in self.actions if button.action == "withdraw"]

    @property
    def decisions(self) -> list[ActionButton]:
        return [button for button in self.actions if button.is_decision]

    @property
    def delegations_by_position(self) -> list[tuple[str, list[str]]]:
        """("supported by", ["Ghana", "Kenya"]), ... for the positions taken."""
        names: dict[str, list[str]] = {}
        for stance in self.stances:
            names.setdefault(stance.position, []).append(stance.delegation.name)
        return [
            (words, names[position])
            for position, words in POSITION_WORDS.items()
            if position in names
        ]


# A proposal's word changes are worked out from its kind, the paragraph's words and its
# own, nothing else: kept under a digest of the three, they never go stale, and the time
# only frees memory.
WORD_CHANGES_SECONDS = 24 * 60 * 60


def _word_changes_key(kind: str, current: str, proposed: str) -> str:
    said = "\x00".join((kind, current, proposed))
    return "word-changes." + hashlib.sha256(said.encode()).hexdigest()


def word_changes(wanted: list[tuple[str, str, str]]) -> list[tuple[WordChange, ...]]:
    """The word changes (``proposal_changes``) of each ``(kind, current words, proposed
    words)``, in order: from the cache, or worked out (a word-by-word diff, a tenth of a
    second for forty-five amendments of one paragraph) and kept for every reader and page
    that shows them: the reading page, the proposals page and the compilation."""
    keys = [_word_changes_key(*each) for each in wanted]
    found = cache.get_many(list(set(keys)))
    worked_out = {
        key: proposal_changes(*each)
        for key, each in zip(keys, wanted, strict=True)
        if key not in found
    }
    if worked_out:
        cache.set_many(worked_out, WORD_CHANGES_SECONDS)
    return [found[key] if key in found else worked_out[key] for key in keys]


def tracked_changes(proposals: list[Proposal]) -> dict[int, SafeString]:
    """Each proposal as a tracked change against its paragraph's words now
    (``tracked_change_html``), by id. Needs the paragraphs loaded."""
    changes = word_changes(
        [(proposal.kind, proposal.paragraph.text, proposal.text) for proposal in proposals]
    )
    return {
        proposal.pk: tracked_change_html(words)
        for proposal, words in zip(proposals, changes, strict=True)
    }


def _view(proposal: Proposal, rows, html: SafeString) -> ProposalView:
    return ProposalView(proposal, html, stance_tallies(rows))


# The reading page -------------------------------------------------------------------------


@dataclass
class ParagraphProposals:
    """Under a paragraph of the reading page: the proposals on it the reader sees (at most
    ``SHOWN_UNDER_A_PARAGRAPH`` of the ``total``), and (for a delegate of a delegation) the
    form to propose."""

    paragraph: Paragraph
    proposals: list[ProposalView]
    total: int  # how many are open or accepted here for the reader: more than shown, over the limit
    form: ProposalForm | None
    proposals_url: str  # the document's proposals page, each proposal linked to its place
    open: bool = False  # the form, sent back with its errors

    state_choices = PROPOSAL_STATES

    @property
    def label(self) -> str:
        return self.paragraph.label

    @property
    def chosen(self) -> str:
        """Which of them are shown, when not all are: "what was accepted, your delegation's
        and the newest" (each proposal's ``mattering``, from ``proposals_by_paragraph``)."""
        kinds = sorted({view.proposal.mattering for view in self.proposals})
        words = [MATTERING_WORDS[kind] for kind in kinds]
        if len(words) > 1:
            return f"{', '.join(words[:-1])} and {words[-1]}"
        return "".join(words)

    @cached_property
    def html(self) -> SafeString:
        """The proposals as the reading page shows them (``reading_proposals_html``)."""
        return reading_proposals_html(
            self.paragraph.display_label,
            self.paragraph.label,
            self.proposals_url,
            ((view.proposal, view.tracked_change) for view in self.proposals),
            total=self.total,
            chosen=self.chosen,
        )


def proposal_form(paragraph: Paragraph, circles: list[Circle], data=None) -> ProposalForm:
    """The form that proposes on ``paragraph``: an amendment starts from its words."""
    return ProposalForm(
        data,
        circles=circles,
        initial={"text": paragraph.text},
        auto_id=f"id_{paragraph.label}_proposal_%s",
    )


def proposals_by_paragraph(
    document: Document, user, paragraphs: list[Paragraph], circles: list[Circle] | None = None
) -> dict[int, ParagraphProposals]:
    """For each paragraph, the proposals on it ``user`` sees that are open or accepted, as
    tracked changes with their stances counted, and a form for a delegate of a delegation.

    Over ``SHOWN_UNDER_A_PARAGRAPH`` on one paragraph, only that many are shown, the ones
    that matter most to the reader (``_shown_under_paragraph``), in reading order. ``total`` says
    how many there are.

    Three queries whatever the number of proposals and stances (two for a reader in no
    delegation, who has no form): the proposals, their stances counted, the reader's
    delegation's circles (unless the caller has them: ``circles``)."""
    # Only these paragraphs' proposals: after a note or a proposal the reading page renders
    # one paragraph again, and reading (and counting the stances of) every proposal on the
    # document for it cost 40 ms with a thousand of them.
    # The newest few of each kind (``_kind_for_reader``) on each paragraph, from which the
    # ones shown are chosen; the window that counts them all runs before that filter.
    candidates = (
        READING_CANDIDATES(
            (),
            Proposal.objects.db,
            **reader_ids(user),
            document_pk=document.pk,
            paragraphs=[p.pk for p in paragraphs],
        )
        if user.is_authenticated
        else []
    )
    proposals = _shown_under_paragraph(candidates)
    # Never an empty list: the stances' query then runs whatever the data (no proposal has id 0).
    rows = _stance_rows([proposal.pk for proposal in proposals] or [0])
    changes = tracked_changes(proposals)
    by_paragraph: dict[int, list[ProposalView]] = {}
    totals: dict[int, int] = {}
    for proposal in proposals:
        view = _view(proposal, rows.get(proposal.pk, []), changes[proposal.pk])
        by_paragraph.setdefault(proposal.paragraph_id, []).append(view)
        totals[proposal.paragraph_id] = proposal.total
    proposing = user.delegation_id is not None
    if circles is None:
        circles = list(Circle.objects.of_delegation(user.delegation_id)) if proposing else []
    proposals_url = reverse("resolutions:document_proposals", args=[document.slug])
    return {
        paragraph.pk: ParagraphProposals(
            paragraph,
            by_paragraph.get(paragraph.pk, []),
            totals.get(paragraph.pk, 0),
            proposal_form(paragraph, circles) if proposing else None,
            proposals_url,
        )
        for paragraph in paragraphs
    }


def _reading_candidates(
    *, reader_pk: int, delegation_id: int | None, document_pk: int, paragraphs: list[int]
):
    """The newest few proposals of each kind (``_kind_for_reader``) on each of
    ``paragraphs`` the reader sees, open or accepted, from which the ones shown are chosen,
    each with ``total``, how many the paragraph has: the window that counts them all runs
    before the filter."""
    user = reader(reader_pk, delegation_id)
    on_paragraph = [F("paragraph_id")]
    return (
        Proposal.objects.visible_to(user)
        .on_document(document_pk)
        .filter(state__in=ON_THE_READING_PAGE, paragraph__in_ids=paragraphs)
        .annotate(mattering=_kind_for_reader(user))
        .annotate(
            total=Window(Count("pk"), partition_by=on_paragraph),
            rank=Window(
                RowNumber(),
                partition_by=[*on_paragraph, F("mattering")],
                order_by=[
                    F("tabled_at").desc(nulls_last=True),
                    F("created_at").desc(),
                    F("pk").desc(),
                ],
            ),
        )
        .filter(rank__lte=SHOWN_UNDER_A_PARAGRAPH)
        .select_related("paragraph", "author", "delegation", "on_behalf_of")
        .in_reading_order()
    )


# Prepared once per process (``PreparedQuery``): the margins read them on every view, and
# building the query cost more than running it.
READING_CANDIDATES = PreparedQuery(
    _reading_candidates,
    values=(*READER, "document_pk"),
    ids=("paragraphs",),
)


def _kind_for_reader(user) -> Case:
    """What a proposal is to ``user`` under its paragraph (``MATTERING_WORDS``): accepted;
    their delegation's; tabled by another and awaiting their delegation's stance (on a
    version not yet superseded, where stances are still taken); or any other. A reader in
    no delegation sees only the first and the last."""
    kinds = [When(state=Proposal.State.ACCEPTED, then=Value(ACCEPTED))]
    if user.delegation_id is not None:
        stood = Stance.objects.filter(proposal=OuterRef("pk"), delegation_id=user.delegation_id)
        superseded = Document.objects.filter(revision_of=OuterRef("document_id"))
        awaiting = Q(state=Proposal.State.TABLED) & ~Exists(stood) & ~Exists(superseded)
        kinds += [
            When(delegation_id=user.delegation_id, then=Value(OWN)),
            When(awaiting, then=Value(AWAITING_STANCE)),
        ]
    return Case(*kinds, default=Value(OTHER))


def _shown_under_paragraph(candidates: list[Proposal]) -> list[Proposal]:
    """Of each paragraph's ``candidates`` (in reading order, with their ``mattering`` and
    their ``rank`` among those of the same kind, newest first), the
    ``SHOWN_UNDER_A_PARAGRAPH`` that matter most to the reader, in reading order: what was
    accepted, what the text becomes; their delegation's last tabled (or, with none tabled,
    newest); those awaiting their stance, last tabled first; the last tabled of the rest;
    and only then their delegation's earlier ones."""

    def priority(proposal: Proposal) -> tuple[int, int]:
        kind = proposal.mattering
        if kind == OWN and proposal.rank > 1:
            return (OWN_EARLIER, proposal.rank)
        return (kind, proposal.rank)

    by_paragraph: dict[int, list[Proposal]] = {}
    for proposal in candidates:
        by_paragraph.setdefault(proposal.paragraph_id, []).append(proposal)
    shown = {
        proposal.pk
        for on_one in by_paragraph.values()
        for proposal in sorted(on_one, key=priority)[:SHOWN_UNDER_A_PARAGRAPH]
    }
    return [proposal for proposal in candidates if proposal.pk in shown]


# The proposals page -------------------------------------------------------------------------


@dataclass
class ParagraphGroup:
    """A paragraph and the proposals on it, on the proposals page."""

    paragraph: Paragraph
    proposals: list[ProposalView]


@dataclass
class ProposalsPage:
    """The proposals page of a document for one reader: the proposals they may see, by
    paragraph in reading order; the pen holders; for a pen holder, the paragraph statuses
    to set; for an editor, the pen holders to name."""

    document: Document
    standing: Standing
    groups: list[ParagraphGroup]
    paragraphs: list[Paragraph]
    pen_holders: list[Delegation]
    status_form: ParagraphStatusForm | None = None
    pen_holders_form: PenHoldersForm | None = None

    state_choices = PROPOSAL_STATES
    status_choices = Paragraph.Status.choices

    @property
    def proposals(self) -> list[ProposalView]:
        return [view for group in self.groups for view in group.proposals]

    def view(self, pk: int) -> ProposalView:
        """The proposal ``pk`` as the page shows it (one the reader may see)."""
        return next(view for view in self.proposals if view.pk == pk)

    @property
    def counts(self) -> list[tuple[str, int]]:
        """How many proposals the reader sees in each state, in the order of the states."""
        seen: dict[str, int] = {}
        for view in self.proposals:
            seen[view.proposal.state] = seen.get(view.proposal.state, 0) + 1
        return [(label, seen[state]) for state, label in Proposal.State.choices if state in seen]

    @property
    def paragraphs_agreed(self) -> int:
        return sum(p.status != Paragraph.Status.OPEN for p in self.paragraphs)


def proposals_page(document: Document, user, *, only: int | None = None) -> ProposalsPage:
    """The proposals page for ``user``, or with ``only`` one proposal of it (what an htmx
    swap replaces). A fixed number of queries whatever the number of proposals, stances,
    revisions and replies."""
    mine = standing(document, user)
    paragraphs = list(Paragraph.objects.filter(document=document).order_by("order"))
    visible = Proposal.objects.visible_to(user).on_document(document).for_display()
    if only is not None:
        visible = visible.filter(pk=only)
    proposals = list(visible.in_reading_order())
    ids = [proposal.pk for proposal in proposals] or [0]
    stances = list(
        Stance.objects.filter(proposal__in=ids)
        .select_related("delegation__state")
        .order_by("delegation__name")
    )
    revisions = list(
        ProposalRevision.objects.visible_to(user)
        .filter(proposal__in=ids)
        .select_related("edited_by", "on_behalf_of")
        .order_by("-version")
    )
    all_revisions = dict(
        ProposalRevision.objects.filter(proposal__in=ids)
        .order_by()
        .values("proposal_id")
        .annotate(n=Count("pk"))
        .values_list("proposal_id", "n")
    )
    threads = list(
        for_reader(
            Annotation.objects.visible_to(user)
            .filter(proposal__in=ids, reply_to__isnull=True)
            .select_related("author", "delegation", "paragraph__document")
            .order_by("created_at", "pk"),
            user,
        )
    )
    discussions = threads_with_replies(threads, user, thread_ids=[t.pk for t in threads] or [0])
    circles = list(Circle.objects.of_delegation(user.delegation_id)) if user.delegation_id else []

    stances_of: dict[int, list[Stance]] = {}
    for stance in stances:
        stances_of.setdefault(stance.proposal_id, []).append(stance)
    revisions_of: dict[int, list[ProposalRevision]] = {}
    for revision in revisions:
        revisions_of.setdefault(revision.proposal_id, []).append(revision)
    discussion_of: dict[int, NoteView] = {}
    for thread in discussions:
        discussion_of.setdefault(thread.annotation.proposal_id, thread)

    changes = tracked_changes(proposals)
    groups: dict[int, ParagraphGroup] = {}
    for proposal in proposals:
        own = stances_of.get(proposal.pk, [])
        view = _view(proposal, [(s.position, _group_of(s), 1) for s in own], changes[proposal.pk])
        view.stances = own
        view.own_position = next(
            (s.position for s in own if s.delegation_id == user.delegation_id), ""
        )
        view.actions = [
            ActionButton(action, current=STANCE_ACTION_OF.get(view.own_position) == action)
            for action in ACTIONS
            if refusal(action, proposal, mine) is None
        ]
        if refusal("edit", proposal, mine) is None:
            view.edit_form = edit_form(proposal, circles)
        view.revisions = revisions_of.get(proposal.pk, [])
        view.hidden_revisions = all_revisions.get(proposal.pk, 0) - len(view.revisions)
        view.discussion = discussion_of.get(proposal.pk)
        if proposal.state != Proposal.State.DRAFT:
            view.discussion_form = ReplyForm(auto_id=f"id_discussion_{proposal.pk}_%s")
        paragraph = proposal.paragraph
        groups.setdefault(paragraph.pk, ParagraphGroup(paragraph, [])).proposals.append(view)

    pen_holders = list(document.pen_holders.all())
    page = ProposalsPage(document, mine, list(groups.values()), paragraphs, pen_holders)
    if mine.pen_holder and mine.superseded_by is None:
        page.status_form = ParagraphStatusForm(paragraphs=paragraphs)
    if user.is_authenticated and user.is_editor:
        page.pen_holders_form = PenHoldersForm(initial={"delegations": pen_holders})
    return page


def _group_of(stance: Stance) -> str | None:
    state = stance.delegation.state
    return state.regional_group if state else None


def edit_form(proposal: Proposal, circles: list[Circle], data=None) -> ProposalEditForm:
    """The form that edits a draft, filled with it as it stands."""
    return ProposalEditForm(
        data,
        circles=circles,
        initial={
            "kind": proposal.kind,
            "text": proposal.text or proposal.paragraph.text,
            "reason": proposal.reason,
            "state": proposal.state,
            "circle": proposal.on_behalf_of_id or "",
            "version": proposal.version,
        },
        auto_id=f"id_edit_{proposal.pk}_%s",
    )


# The JSON twin -------------------------------------------------------------------------------


def proposals_data(document: Document, user, *, document_url: str, page_url: str) -> dict:
    """Every proposal ``user`` may see on ``document``, as JSON: the paragraph it is on, what
    it proposes (with the change word by word), by whom and on whose behalf, where it stands,
    and each delegation's stance. Two queries."""
    proposals = list(
        Proposal.objects.visible_to(user).on_document(document).for_display().in_reading_order()
    )
    stances: dict[int, list[Stance]] = {}
    for stance in (
        Stance.objects.filter(proposal__in=[p.pk for p in proposals] or [0])
        .select_related("delegation__state")
        .order_by("delegation__name")
    ):
        stances.setdefault(stance.proposal_id, []).append(stance)
    return {
        "document": {"symbol": document.symbol, "url": document_url},
        "proposals": [
            _proposal_data(proposal, stances.get(proposal.pk, []), page_url)
            for proposal in proposals
        ],
    }


def _proposal_data(proposal: Proposal, stances: list[Stance], page_url: str) -> dict:
    tallies = stance_tallies([(s.position, _group_of(s), 1) for s in stances])
    return {
        "id": proposal.pk,
        "paragraph_label": proposal.paragraph.label,
        "paragraph_display_label": proposal.paragraph.display_label,
        "display_label": proposal.display_label,
        "kind": proposal.kind,
        "state": proposal.state,
        "delegation": proposal.delegation.name,
        "on_behalf_of": proposal.on_behalf_of.name if proposal.on_behalf_of else None,
        "author": proposal.author.get_username(),
        "text": proposal.text,
        "reason": proposal.reason,
        "current_text": proposal.paragraph.text,
        "changes": [{"op": run.op, "text": run.text} for run in proposal.word_changes()],
        "stances": {stance.delegation.name: stance.position for stance in stances},
        "stance_counts": {
            tally.position: {
                "total": tally.total,
                "by_regional_group": {g.short_name: g.count for g in tally.groups},
            }
            for tally in tallies
        },
        "created_at": proposal.created_at.isoformat(),
        "tabled_at": proposal.tabled_at.isoformat() if proposal.tabled_at else None,
        "decided_by": proposal.decided_by.get_username() if proposal.decided_by else None,
        "decision_reason": proposal.decision_reason,
        "closed_at": proposal.closed_at.isoformat() if proposal.closed_at else None,
        "url": f"{page_url}#proposal-{proposal.pk}",
    }
