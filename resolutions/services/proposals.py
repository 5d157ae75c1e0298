"""Negotiating the text: proposals on paragraphs (made, edited while a draft, tabled,
withdrawn), delegations' stances on them, and the pen holder's part (naming pen holders,
each paragraph's status, accepting or rejecting tabled proposals).

Every rule that refuses one of these is written once, in ``refusal``: the services raise it,
and the pages ask it to offer a delegate only what they may do. Every write runs in one
transaction and moves the document's cache version on, so that no reading page cached
before it is served again.

Writes that could race lock the paragraph first and then the proposal, always in that
order: of two pen holders accepting two conflicting proposals on one paragraph at the same
moment, one waits for the other, sees what it did, and is refused; a stance recorded while
the proposal is being withdrawn sees it withdrawn.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from resolutions.models import (
    Annotation,
    Circle,
    Delegation,
    Document,
    Paragraph,
    Proposal,
    ProposalRevision,
    Stance,
    User,
)
from resolutions.services import events
from resolutions.services.annotations import annotation_create
from resolutions.services.notifications import (
    proposal_event_notify,
    proposal_mentions_notify,
    stance_notify,
)
from resolutions.services.submissions import create_once
from resolutions.un.text_comparison import comparable_text

NO_DELEGATION = (
    "Your account belongs to no delegation, and proposals and stances are a delegation's. "
    "Ask an administrator to add you to your delegation."
)

# The buttons of the proposals page (``name="action"``), and what each does.
STANCE_ACTIONS = {
    "support": Stance.Position.SUPPORTS,
    "accept_stance": Stance.Position.CAN_ACCEPT,
    "object": Stance.Position.OBJECTS,
}
DECISIONS = {"accept": Proposal.State.ACCEPTED, "reject": Proposal.State.REJECTED}
ACTIONS = (*STANCE_ACTIONS, "withdraw", *DECISIONS)

State = Proposal.State
Kind = Proposal.Kind


class ProposalRefused(Exception):
    """A write the rules do not allow. ``message`` says why, in a delegate's words;
    ``field`` names the form field it is about, when there is one. Nothing was saved."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotAllowed(ProposalRefused):
    """The user may not do this at all: it is another delegation's proposal, they do not
    hold the pen, they belong to no delegation."""


class ProposalEditConflict(ProposalRefused):
    """Someone saved the draft since the editor loaded it; ``current`` is the draft now."""

    def __init__(self, current: Proposal):
        super().__init__(
            "Someone in your delegation saved this draft while you were editing it. Your "
            "text is kept below; the newer text is shown beside it. Save again to replace it "
            "with yours.",
        )
        self.current = current


@dataclass(frozen=True)
class Standing:
    """Where ``user`` stands on a document's negotiation: whether they hold the pen, and
    the revision that superseded the document, if one did."""

    user: User
    document: Document
    pen_holder: bool
    superseded_by: Document | None


def standing(document: Document, user: User) -> Standing:
    """``user``'s standing on ``document``, in two or three queries."""
    revision = document.revisions.order_by("date", "pk").first()
    return Standing(user, document, document.is_pen_holder(user), revision)


def _superseded(standing: Standing) -> ProposalRefused | None:
    revision = standing.superseded_by
    if revision is None:
        return None
    return ProposalRefused(
        f"{standing.document.symbol} has been superseded by {revision.symbol}: proposals, "
        "stances and decisions are made on the newer version now."
    )


def _closed(proposal: Proposal) -> ProposalRefused:
    """Why nothing more is done with a proposal that is no longer open."""
    why: dict[str, str] = {
        State.WITHDRAWN: f"{proposal.delegation} has withdrawn this proposal.",
        State.ACCEPTED: "The pen holder has already accepted this proposal.",
        State.REJECTED: "The pen holder has already rejected this proposal.",
    }
    return ProposalRefused(
        why.get(proposal.state, "This proposal is tabled: it can no longer be changed.")
    )


def refusal(action: str, proposal: Proposal, standing: Standing) -> ProposalRefused | None:
    """Why ``standing.user`` may not take ``action`` on ``proposal`` as it stands now, as the
    exception the services raise (``NotAllowed`` when it is about who the user is); None
    when they may. ``action`` is one of ``ACTIONS``, ``"edit"`` or ``"table"``."""
    user = standing.user
    own = user.delegation_id is not None and user.delegation_id == proposal.delegation_id
    if action not in (*ACTIONS, "edit", "table"):
        return ProposalRefused("Choose what to do with the proposal.")
    if superseded := _superseded(standing):
        return superseded
    if action in STANCE_ACTIONS:
        if user.delegation_id is None:
            return NotAllowed(NO_DELEGATION)
        if own:
            return NotAllowed(
                f"{proposal.delegation} made this proposal: a delegation takes no stance on "
                "its own proposal."
            )
        if proposal.state == State.DRAFT:
            return ProposalRefused("This proposal is a draft: stances are taken once it is tabled.")
    elif action in ("edit", "table", "withdraw"):
        if not own:
            return NotAllowed(
                f"Only the delegation that made a proposal ({proposal.delegation}) may {action} it."
            )
        if action != "withdraw" and proposal.state != State.DRAFT:
            return _closed(proposal)
        if action == "withdraw" and proposal.state == State.DRAFT:
            return ProposalRefused(
                "This proposal is a draft, seen by your delegation only: there is nothing to "
                "withdraw yet."
            )
    elif not standing.pen_holder:
        return NotAllowed(
            f"Only the pen holders of {standing.document.symbol} accept or reject proposals."
        )
    elif proposal.state == State.DRAFT:
        return ProposalRefused("This proposal is a draft: it is decided on once it is tabled.")
    if proposal.state not in Proposal.OPEN_STATES:
        return _closed(proposal)
    return None


def _refuse(error: ProposalRefused | None) -> None:
    if error is not None:
        raise error


def _same_wording(proposed: str, current: str) -> bool:
    """Whether two wordings read the same to a delegate: line breaks and double spaces,
    typographic or straight quotes, non-breaking hyphens and spaces are no change."""
    return comparable_text(proposed) == comparable_text(current)


def _wording(kind: str, text: str, paragraph: Paragraph) -> str:
    """The proposed wording, checked against the paragraph: what an amendment or a new
    paragraph says (without white space at either end); nothing for a deletion."""
    text = text.strip()
    where = paragraph.display_label
    if kind == Kind.DELETE:
        return ""
    if kind not in (Kind.AMEND, Kind.INSERT):
        raise ProposalRefused(
            "Choose whether to amend the paragraph, delete it or insert a new one after it.",
            field="kind",
        )
    if kind == Kind.AMEND and not text:
        raise ProposalRefused(
            f"Write the new wording of {where}, or propose to delete it.", field="text"
        )
    if kind == Kind.AMEND and _same_wording(text, paragraph.text):
        raise ProposalRefused(
            f"This wording is {where} as it stands: change the words you want amended.",
            field="text",
        )
    if kind == Kind.INSERT and not text:
        raise ProposalRefused(f"Write the new paragraph to insert after {where}.", field="text")
    if kind == Kind.INSERT and _same_wording(text, paragraph.text):
        raise ProposalRefused(
            f"The new paragraph repeats {where} word for word: write the paragraph to insert "
            "after it.",
            field="text",
        )
    return text


def _circle(user: User, circle: Circle | None) -> Circle | None:
    """``circle``, when ``user``'s delegation is a member of it now."""
    if circle is None:
        return None
    if not Circle.objects.of_delegation(user.delegation_id).filter(pk=circle.pk).exists():
        raise NotAllowed(
            f"Your delegation is not a member of {circle.name}: make the proposal on behalf of "
            "a circle your delegation has joined, or of your delegation alone.",
            field="circle",
        )
    return circle


def _mark_changed(document_id: int) -> None:
    """The reading page shows proposals, stances and statuses: a write moves its document's
    cache version on. A proposal's discussion is written by the notes' service, which
    counts its notes."""
    Document.objects.filter(pk=document_id).mark_changed(notes=False)


def _proposal_changed(proposal: Proposal, *, before: events.Audience | None = None) -> None:
    """A write to ``proposal``: its paragraph's version moves on (the reading page renders
    that paragraph again; a proposal on no paragraph moves the whole document's), and the
    pages open on its paragraph are told (those who may see it now, and ``before``: those
    who could)."""
    if proposal.paragraph_id is None:
        _mark_changed(proposal.document_id)
    else:
        Paragraph.objects.filter(pk=proposal.paragraph_id).mark_changed(notes=False)
    events.proposal_changed(proposal, before=before)


def _locked(proposal: Proposal) -> Proposal:
    """The proposal as it stands in the database, locked until the transaction ends, after
    its paragraph (see the module's docstring: the order keeps two writers from waiting on
    each other)."""
    list(Paragraph.objects.select_for_update().filter(pk=proposal.paragraph_id))
    return (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("paragraph", "delegation", "document")
        .get(pk=proposal.pk)
    )


def _keep_history(proposal: Proposal, editor: User) -> None:
    """Keep the proposal as it stands before an edit or a change of state, and raise its
    version: every change is in its history."""
    ProposalRevision.objects.create(
        proposal=proposal,
        version=proposal.version,
        kind=proposal.kind,
        text=proposal.text,
        reason=proposal.reason,
        state=proposal.state,
        on_behalf_of_id=proposal.on_behalf_of_id,
        edited_by=editor,
    )
    proposal.version += 1


@transaction.atomic
def proposal_create(
    *,
    author: User,
    paragraph: Paragraph,
    kind: str,
    text: str = "",
    reason: str = "",
    state: str = State.DRAFT,
    on_behalf_of: Circle | None = None,
    submission_key: str = "",
) -> Proposal:
    """Propose to amend ``paragraph`` (``text`` is its new wording), delete it, or insert a
    new paragraph after it (``text``), for the author's delegation, and perhaps on behalf
    of a circle it is in. A ``draft`` is seen by the delegation (and the circle); a
    ``tabled`` proposal by every logged-in delegate.

    Refused (``ProposalRefused``, nothing saved): an empty amendment or new paragraph, an
    amendment that is the paragraph's current text, a document that has been superseded, an
    author in no delegation, a circle the delegation is not in. The same form sent twice
    (``submission_key``) saves once.
    """
    document = paragraph.document
    _refuse(_superseded(standing(document, author)))
    delegation_id = author.delegation_id
    if delegation_id is None:
        raise NotAllowed(NO_DELEGATION)
    if state not in (State.DRAFT, State.TABLED):
        raise ProposalRefused(
            "Save the proposal as a draft for your delegation, or table it.", field="state"
        )
    text = _wording(kind, text, paragraph)
    circle = _circle(author, on_behalf_of)
    proposal, created = create_once(
        Proposal.objects.filter(author=author),
        "submission_key",
        submission_key,
        same=lambda earlier: (
            (earlier.paragraph_id, earlier.kind, earlier.text) == (paragraph.pk, kind, text)
        ),
        create=lambda key: Proposal.objects.create(
            document=document,
            paragraph=paragraph,
            kind=kind,
            text=text,
            base_text=paragraph.text,
            reason=reason.strip(),
            author=author,
            delegation_id=delegation_id,
            on_behalf_of=circle,
            state=state,
            tabled_at=timezone.now() if state == State.TABLED else None,
            submission_key=key,
        ),
    )
    if created:
        told = proposal_mentions_notify(proposal, actor=author)
        if proposal.state == State.TABLED:
            proposal_event_notify(proposal, actor=author, told=told)
        _proposal_changed(proposal)
    return proposal


@transaction.atomic
def proposal_update(
    proposal: Proposal,
    *,
    editor: User,
    version: int,
    kind: str,
    text: str = "",
    reason: str = "",
    on_behalf_of: Circle | None = None,
    state: str = State.DRAFT,
) -> Proposal:
    """Save an edit made to ``version`` of a draft by a member of its delegation, keeping
    the version before it in the history; with ``state`` tabled, table it at once.

    Refused as ``ProposalEditConflict`` when someone saved a newer version first (the same
    edit sent twice is no conflict: it is found saved), and as ``ProposalRefused`` for what
    ``proposal_create`` refuses and for a proposal already tabled.
    """
    current = _locked(proposal)
    text = _wording(kind, text, current.paragraph)
    reason = reason.strip()
    circle_id = on_behalf_of.pk if on_behalf_of else None
    edit = (kind, text, reason, circle_id, state)
    sent_twice = current.version == version + 1 and edit == _as_edited(current)
    if sent_twice and current.revisions.filter(version=version, edited_by=editor).exists():
        return current
    _refuse(refusal("edit", current, standing(current.document, editor)))
    if current.version != version:
        raise ProposalEditConflict(current)
    if state not in (State.DRAFT, State.TABLED):
        raise ProposalRefused(
            "Keep the proposal as a draft for your delegation, or table it.", field="state"
        )
    circle = _circle(editor, on_behalf_of)
    if edit == _as_edited(current):
        return current  # nothing changed: no new version
    _keep_history(current, editor)
    heard_before = events.proposal_audience(current)
    before = f"{current.text}\n{current.reason}"
    current.kind, current.text, current.reason, current.on_behalf_of = kind, text, reason, circle
    if state == State.TABLED:
        current.state, current.tabled_at = State.TABLED, timezone.now()
    current.save()
    # Tabled, it shows the names in it to everyone: all of them are news then.
    told = proposal_mentions_notify(
        current, actor=editor, before="" if state == State.TABLED else before
    )
    if state == State.TABLED:
        proposal_event_notify(current, actor=editor, told=told)
    _proposal_changed(current, before=heard_before)
    return current


def _as_edited(proposal: Proposal) -> tuple:
    return (proposal.kind, proposal.text, proposal.reason, proposal.on_behalf_of_id, proposal.state)


@transaction.atomic
def proposal_table(proposal: Proposal, *, user: User) -> Proposal:
    """Table a draft of ``user``'s delegation: every logged-in delegate sees it from now on,
    and may take a stance on it. Tabling a tabled proposal changes nothing."""
    current = _locked(proposal)
    if current.state == State.TABLED:
        return current
    _refuse(refusal("table", current, standing(current.document, user)))
    _keep_history(current, user)
    current.state, current.tabled_at = State.TABLED, timezone.now()
    current.save()
    told = proposal_mentions_notify(current, actor=user)
    proposal_event_notify(current, actor=user, told=told)
    _proposal_changed(current)
    return current


@transaction.atomic
def proposal_withdraw(proposal: Proposal, *, user: User) -> Proposal:
    """Withdraw a tabled proposal of ``user``'s delegation; it stays on the record, as
    withdrawn. Withdrawing it again changes nothing."""
    current = _locked(proposal)
    if current.state == State.WITHDRAWN:
        return current
    _refuse(refusal("withdraw", current, standing(current.document, user)))
    _keep_history(current, user)
    current.state, current.closed_at = State.WITHDRAWN, timezone.now()
    current.save()
    _proposal_changed(current)
    return current


@transaction.atomic
def stance_record(proposal: Proposal, *, user: User, position: str) -> Stance:
    """Record ``user``'s delegation's stance on a tabled proposal (supports, can accept,
    objects), replacing the one it took before: one stance per delegation.

    Refused: a stance on a proposal of one's own delegation, on a draft or a closed
    proposal, from a user in no delegation, on a superseded document."""
    actions: dict[str, str] = {position: action for action, position in STANCE_ACTIONS.items()}
    if position not in actions:
        raise ProposalRefused("Choose whether your delegation supports, can accept or objects.")
    current = _locked(proposal)
    _refuse(refusal(actions[position], current, standing(current.document, user)))
    taken = current.stances.filter(delegation=user.delegation).values_list("position", flat=True)
    unchanged = position in taken
    stance, _ = Stance.objects.update_or_create(
        proposal=current,
        delegation_id=user.delegation_id,
        defaults={"position": position, "recorded_by": user},
    )
    if not unchanged:
        stance_notify(stance, actor=user)
    _proposal_changed(current)
    return stance


@transaction.atomic
def proposal_decide(proposal: Proposal, *, user: User, decision: str, reason: str = "") -> Proposal:
    """A pen holder accepts (``decision="accept"``) or rejects (``"reject"``, with a
    ``reason``) a tabled proposal.

    Accepting a proposal that would give its paragraph a second text (an amendment or a
    deletion, when one is accepted already) is refused with a message. Two pen holders
    deciding at once take their turns on the paragraph's lock, so they never both win. The
    same decision sent twice by the same pen holder is answered as the first.
    """
    if decision not in DECISIONS:
        raise ProposalRefused("Choose whether to accept or reject the proposal.")
    current = _locked(proposal)
    if current.state == DECISIONS[decision] and current.decided_by_id == user.pk:
        return current
    _refuse(refusal(decision, current, standing(current.document, user)))
    reason = reason.strip()
    if decision == "reject" and not reason:
        raise ProposalRefused(
            "Say why the proposal is rejected: the delegations that made and supported it "
            "will read it.",
            field="reason",
        )
    if decision == "accept" and current.kind in Proposal.REWORDING_KINDS:
        accepted = (
            Proposal.objects.filter(
                paragraph_id=current.paragraph_id,
                state=State.ACCEPTED,
                kind__in=Proposal.REWORDING_KINDS,
            )
            .select_related("delegation")
            .first()
        )
        if accepted is not None:
            what = "deletion" if accepted.kind == Kind.DELETE else "amendment"
            raise ProposalRefused(
                f"{current.paragraph.display_label} already has an accepted {what} "
                f"({accepted.delegation}'s): accepting this one too would give the paragraph "
                "two different texts. Reject it, or leave it open."
            )
    _keep_history(current, user)
    current.state = DECISIONS[decision]
    current.decided_by, current.decision_reason = user, reason
    current.closed_at = timezone.now()
    current.save()
    proposal_event_notify(current, actor=user)
    _proposal_changed(current)
    return current


@transaction.atomic
def paragraph_status_set(
    document: Document, *, user: User, statuses: Mapping[str, str]
) -> list[Paragraph]:
    """A pen holder marks paragraphs open, agreed ad ref or agreed: ``statuses`` maps
    paragraph labels (``op3``) to a status. Returns the paragraphs whose status changed;
    the others keep who set theirs, and when."""
    mine = standing(document, user)
    _refuse(_superseded(mine))
    if not mine.pen_holder:
        raise NotAllowed(f"Only the pen holders of {document.symbol} mark paragraphs agreed.")
    choices = dict(Paragraph.Status.choices)
    paragraphs = {
        paragraph.label: paragraph
        for paragraph in Paragraph.objects.select_for_update().filter(
            document=document, label__in=list(statuses)
        )
    }
    for label, status in statuses.items():
        if label not in paragraphs:
            raise ProposalRefused(f"{document.symbol} has no paragraph {label}.")
        if status not in choices:
            raise ProposalRefused(
                f"Choose open, agreed ad ref or agreed for {paragraphs[label].display_label}.",
                field="status",
            )
    now = timezone.now()
    changed = [p for label, p in paragraphs.items() if p.status != statuses[label]]
    for paragraph in changed:
        paragraph.status = statuses[paragraph.label]
        paragraph.status_changed_by, paragraph.status_changed_at = user, now
    Paragraph.objects.bulk_update(changed, ["status", "status_changed_by", "status_changed_at"])
    if changed:
        _mark_changed(document.pk)
    for paragraph in changed:
        events.paragraph_changed(paragraph)
    return sorted(changed, key=lambda paragraph: paragraph.order)


@transaction.atomic
def pen_holders_set(document: Document, *, editor: User, delegations: Iterable[Delegation]) -> None:
    """An editor names the delegations that hold the pen on ``document`` (none: the editors
    hold it)."""
    if not editor.is_editor:
        raise NotAllowed("Only editors name the pen holders of a document.")
    document.pen_holders.set(list(delegations))
    document.__dict__.pop("pen_holder_ids", None)  # read again on the next question
    _mark_changed(document.pk)
    events.document_changed(document)


@transaction.atomic
def proposal_discuss(
    proposal: Proposal, *, author: User, body: str, submission_key: str = ""
) -> Annotation:
    """Add to the discussion of a tabled (or since closed) proposal: the first words open
    its thread, a note on the paragraph seen by everyone logged in; the rest are replies in
    it, as replies to any note."""
    if not body.strip():
        raise ProposalRefused("Write something before sending it.", field="body")
    current = _locked(proposal)  # so that two first words open one thread, not two
    if current.state == State.DRAFT:
        raise ProposalRefused(
            "The discussion opens when the proposal is tabled; until then, talk it over in "
            "your delegation's notes."
        )
    thread = (
        current.discussion.filter(reply_to__isnull=True, deleted_at__isnull=True)
        .order_by("created_at", "pk")
        .first()
    )
    if thread is not None:
        return annotation_create(
            author=author,
            paragraph=current.paragraph,
            body=body,
            reply_to=thread,
            submission_key=submission_key,
        )
    return annotation_create(
        author=author,
        paragraph=current.paragraph,
        body=body,
        visibility=Annotation.Visibility.PUBLIC,
        proposal=current,
        submission_key=submission_key,
    )
