"""Issuing the next revision of a draft from the proposals its pen holder accepted.

``plan_revision`` works out, without writing, what ``<symbol>/Rev.1`` will hold: the current
text with every accepted proposal applied and numbered again (``resolutions.un.revising``),
the footnotes and sponsors it carries, and why it cannot be issued, if it cannot. The revise
page shows the plan; ``issue_revision`` saves it in one transaction, or saves nothing.

What stays on the current version: the proposals still open (drafts and tabled ones), every
proposal's discussion, the decisions taken, and the notes, which each delegation brings
across itself (``services.annotations_carry_forward``), as for an imported revision.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone

from resolutions.models import (
    Citation,
    Document,
    Footnote,
    Paragraph,
    Proposal,
    SponsorList,
    Sponsorship,
    User,
)
from resolutions.services import events
from resolutions.services.importing import ImportRefused, check_symbol, column_limit
from resolutions.services.notifications import revision_notify
from resolutions.services.revisions import CarryResult, annotations_carry_forward
from resolutions.un.parsing import Citation as ParsedCitation
from resolutions.un.parsing import find_citations
from resolutions.un.revising import (
    AcceptedChange,
    ChangesConflict,
    ParagraphAfter,
    ParagraphBefore,
    display_label,
    next_revision_symbol,
    position_after_edit,
    revised_paragraphs,
)
from resolutions.un.symbols import slug_for_symbol

#: How many later revision numbers are tried for a free symbol to suggest.
_SUGGESTIONS = 9


class RevisionRefused(ValueError):
    """The revision cannot be issued; ``message`` says why in a delegate's words, and
    ``field`` names the form field that can fix it, when one can."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass
class CarriedFootnote:
    """A footnote of the current text as the revision prints it."""

    paragraph_label: str  # the revision's
    number: int  # the revision's: the footnotes are numbered again in reading order
    position: int
    source: Footnote


@dataclass
class RevisionPlan:
    """What the next revision of ``document`` holds, worked out from the current text."""

    document: Document
    accepted: list[Proposal]
    paragraphs: list[ParagraphAfter]  # empty when ``problems``
    current: dict[str, Paragraph]  # the current text by label, with footnotes and citations
    problems: list[str]  # accepted proposals that cannot all stand
    later_version: Document | None
    open_proposals: int  # tabled and not decided: they stay on the current version
    sponsor_list: SponsorList | None
    sponsor_count: int
    suggested_symbol: str
    footnotes: list[CarriedFootnote] = field(default_factory=list)

    @property
    def refusal(self) -> str:
        """Why the revision cannot be issued from this version; "" when it can."""
        document = self.document
        if document.is_resolution:
            return f"{document.symbol} is an adopted resolution: only drafts are revised."
        if self.later_version is not None:
            later = self.later_version
            return (
                f"{document.symbol} has already been superseded by {later.symbol}: issue the "
                f"next revision from {later.symbol}."
            )
        if self.problems:
            return (
                "The accepted proposals cannot all stand: "
                + " ".join(self.problems)
                + " Reject one of them before issuing the revision."
            )
        return ""

    @property
    def nothing_accepted(self) -> bool:
        return not self.accepted

    def count(self, kind: str) -> int:
        return sum(1 for proposal in self.accepted if proposal.kind == kind)

    @property
    def amended(self) -> int:
        return self.count(Proposal.Kind.AMEND)

    @property
    def deleted(self) -> int:
        return self.count(Proposal.Kind.DELETE)

    @property
    def inserted(self) -> int:
        return self.count(Proposal.Kind.INSERT)

    @property
    def renumbered(self) -> list[tuple[str, str]]:
        """(label now, label in the revision) of each paragraph that moves: ("OP4", "OP5")."""
        return [
            (display_label(p.was), display_label(p.label))
            for p in self.paragraphs
            if p.renumbered and p.was is not None
        ]

    @property
    def footnotes_dropped(self) -> int:
        return sum(len(p.footnotes.all()) for p in self.current.values()) - len(self.footnotes)

    def summary(self) -> str:
        """One sentence: "3 accepted proposals applied (1 amended paragraph, 1 deleted, 1
        inserted); 4 paragraphs renumbered"."""
        if self.nothing_accepted:
            return "no accepted proposal, so it reads as the current text"
        parts = [
            f"{n} {what}"
            for n, what in (
                (self.amended, "amended"),
                (self.deleted, "deleted"),
                (self.inserted, "inserted"),
            )
            if n
        ]
        text = f"{_plural(len(self.accepted), 'accepted proposal')} applied ({', '.join(parts)})"
        if self.renumbered:
            text += f"; {_plural(len(self.renumbered), 'paragraph')} renumbered"
        return text


@dataclass
class IssuedRevision:
    document: Document
    plan: RevisionPlan
    carried: CarryResult | None  # the issuing delegation's notes, when brought across


def plan_revision(document: Document) -> RevisionPlan:
    """What the next revision of ``document`` holds, without writing anything: in eight
    queries whatever the length of the text and the number of proposals."""
    current = {p.label: p for p in Paragraph.objects.for_reading(document)}
    accepted = list(
        Proposal.objects.filter(
            document=document, paragraph__document=document, state=Proposal.State.ACCEPTED
        ).select_related("paragraph", "delegation", "on_behalf_of")
    )
    later_version = Document.objects.filter(revision_of=document).order_by("date", "pk").first()
    open_proposals = Proposal.objects.filter(document=document, state=Proposal.State.TABLED).count()
    sponsor_list = (
        document.sponsor_lists.annotate(size=Count("sponsorships")).order_by("as_of", "pk").last()
    )
    plan = RevisionPlan(
        document=document,
        accepted=accepted,
        paragraphs=[],
        current=current,
        problems=[],
        later_version=later_version,
        open_proposals=open_proposals,
        sponsor_list=sponsor_list,
        sponsor_count=sponsor_list.size if sponsor_list is not None else 0,
        suggested_symbol=suggested_symbol(document),
    )
    labels = {paragraph.pk: paragraph.label for paragraph in current.values()}
    try:
        plan.paragraphs = revised_paragraphs(
            [_before(paragraph, labels) for paragraph in current.values()],
            [AcceptedChange(p.kind, p.paragraph.label, p.text, key=p.pk) for p in accepted],
        )
    except ChangesConflict as conflict:
        plan.problems = conflict.problems
    plan.footnotes = _carried_footnotes(plan)
    return plan


def suggested_symbol(document: Document) -> str:
    """The symbol offered for the next revision: the next free ``/Rev.n`` of the document's
    symbol (Rev.2 after Rev.1), in one query."""
    candidates = [next_revision_symbol(document.symbol)]
    for _ in range(_SUGGESTIONS - 1):
        candidates.append(next_revision_symbol(candidates[-1]))
    taken = set(
        Document.objects.filter(slug__in=[slug_for_symbol(s) for s in candidates]).values_list(
            "slug", flat=True
        )
    )
    return next((s for s in candidates if slug_for_symbol(s) not in taken), candidates[0])


def check_revision_symbol(symbol: str) -> str:
    """The symbol as UN documents print it, refused with ``RevisionRefused`` (field
    "symbol") when it is empty, is not a UN symbol, or another document holds it (or one
    whose address would be the same: A/C.1/76/L.13/Rev.1 and a/c.1/76/l.13/rev.1)."""
    if not symbol.strip():
        raise RevisionRefused(
            "Give the revision its symbol, e.g. A/C.1/76/L.13/Rev.1.", field="symbol"
        )
    try:
        symbol = check_symbol(symbol)
    except ImportRefused as refused:
        raise RevisionRefused(refused.message, field="symbol") from None
    holder = Document.objects.filter(slug=slug_for_symbol(symbol)).only("symbol").first()
    if holder is not None:
        raise RevisionRefused(
            f"{holder.symbol} is already in the workbench. Give the revision another symbol.",
            field="symbol",
        )
    return symbol


def issue_revision(
    document: Document, user: User, symbol: str, *, carry_notes: bool = False
) -> IssuedRevision:
    """Issue the next revision of ``document`` under ``symbol`` for ``user``, a pen holder
    (the view checks that): a new document of kind "revision", ``revision_of`` the current
    one, of the same session, committee, agenda item and title, dated today, whose text is
    the current text with every accepted proposal applied and numbered again, with its
    footnotes, citations and section headings, every paragraph open again, its sponsor list
    (the latest recorded) and its pen holders. With ``carry_notes`` the notes of ``user``'s
    delegation come across too (``annotations_carry_forward``).

    All or nothing, in one transaction that moves both documents' cache versions. Raises
    ``RevisionRefused`` when the symbol is empty, malformed or taken, when ``document`` is a
    resolution or already has a later version, or when accepted proposals conflict. Two pen
    holders issuing at once: the document's row is locked, so the second finds the first's
    revision and is refused.
    """
    symbol = check_revision_symbol(symbol)
    try:
        with transaction.atomic():
            # Locked so that two pen holders never both revise one version, and so that a
            # proposal decided meanwhile (its row is locked by the decision) is either in
            # this plan or decided after the version is superseded.
            document = Document.objects.select_for_update().get(pk=document.pk)
            list(
                Proposal.objects.select_for_update()
                .filter(document=document)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            plan = plan_revision(document)
            if plan.refusal:
                raise RevisionRefused(plan.refusal)
            revision = Document.objects.create(
                symbol=symbol,
                kind=Document.Kind.REVISION,
                revision_of=document,
                title=document.title,
                date=timezone.localdate(),
                session=document.session,
                committee=document.committee,
                distribution=document.distribution,
                original_language=document.original_language,
                agenda_listing_id=document.agenda_listing_id,
                sponsors_note=document.sponsors_note,
            )
            revision.pen_holders.set(document.pen_holders.all())
            _save_text(revision, plan)
            _save_sponsors(revision, plan)
            # Every version's page names the latest one, so all of them change.
            Document.objects.in_version_chain(revision).mark_changed(notes=False)
            for version in Document.objects.in_version_chain(revision):
                events.document_changed(version)
            carried = (
                annotations_carry_forward(user=user, source=document, target=revision)
                if carry_notes
                else None
            )
            revision_notify(revision, actor=user)
    except IntegrityError as error:
        # Another document took the symbol between the check and the save.
        raise RevisionRefused(
            f"{symbol} was taken by another document a moment ago, so nothing was issued. "
            "Give the revision another symbol.",
            field="symbol",
        ) from error
    return IssuedRevision(revision, plan, carried)


# --- From rows to the plan and back ----------------------------------------------------------


def _before(paragraph: Paragraph, labels: dict[int, str]) -> ParagraphBefore:
    return ParagraphBefore(
        label=paragraph.label,
        part=paragraph.part,
        number=paragraph.number,
        parent_label=labels[paragraph.parent_id] if paragraph.parent_id else None,
        text=paragraph.text,
        lead=paragraph.lead,
        headings=tuple(paragraph.headings),
    )


def _carried_footnotes(plan: RevisionPlan) -> list[CarriedFootnote]:
    """The footnotes of the paragraphs the revision keeps, each where its marker now
    stands, numbered again in reading order; those of deleted paragraphs are dropped."""
    carried = []
    for paragraph in plan.paragraphs:
        if paragraph.was is None:
            continue
        before = plan.current[paragraph.was]
        for footnote in sorted(before.footnotes.all(), key=lambda f: (f.position, f.number)):
            position = footnote.position
            if paragraph.amended:
                position = position_after_edit(before.text, paragraph.text, position)
            carried.append(
                CarriedFootnote(paragraph.label, 0, min(position, len(paragraph.text)), footnote)
            )
    return [
        dataclasses.replace(footnote, number=number)
        for number, footnote in enumerate(carried, start=1)
    ]


def _save_text(revision: Document, plan: RevisionPlan) -> None:
    lead_limit = column_limit(Paragraph._meta.get_field("lead"))
    saved: dict[str, Paragraph] = {}
    deepest = max((p.depth for p in plan.paragraphs), default=0)
    orders = {p.label: order for order, p in enumerate(plan.paragraphs, start=1)}
    # A level at a time: a sub-paragraph needs its parent's id.
    for depth in range(1, deepest + 1):
        level = [
            Paragraph(
                document=revision,
                part=p.part,
                label=p.label,
                number=p.number,
                order=orders[p.label],
                parent=saved[p.parent_label] if p.parent_label else None,
                lead=p.lead if len(p.lead) <= lead_limit else "",
                text=p.text,
                headings=p.headings,
            )
            for p in plan.paragraphs
            if p.depth == depth
        ]
        for paragraph in Paragraph.objects.bulk_create(level):
            saved[paragraph.label] = paragraph

    footnotes = Footnote.objects.bulk_create(
        Footnote(
            document=revision,
            paragraph=saved[carried.paragraph_label],
            number=carried.number,
            position=carried.position,
            text=carried.source.text,
        )
        for carried in plan.footnotes
    )
    new_footnote = {
        carried.source.pk: footnote
        for carried, footnote in zip(plan.footnotes, footnotes, strict=True)
    }

    citations = []
    for p in plan.paragraphs:
        paragraph = saved[p.label]
        before = plan.current[p.was] if p.was is not None else None
        found: list[Citation] | list[ParsedCitation]
        if before is not None and not p.amended:
            found = [c for c in before.citations.all() if c.footnote_id is None]
        else:
            found = find_citations(p.text)
        citations += [
            Citation(
                paragraph=paragraph,
                kind=c.kind,
                text=c.text,
                symbol=c.symbol,
                start=c.start,
                end=c.end,
            )
            for c in found
        ]
        if before is not None:
            citations += [
                Citation(
                    paragraph=paragraph,
                    footnote=new_footnote[c.footnote_id],
                    kind=c.kind,
                    text=c.text,
                    symbol=c.symbol,
                    start=c.start,
                    end=c.end,
                )
                for c in before.citations.all()
                if c.footnote_id is not None and c.footnote_id in new_footnote
            ]
    Citation.objects.bulk_create(citations)


def _save_sponsors(revision: Document, plan: RevisionPlan) -> None:
    """The revision prints the sponsors of the current version as last recorded (the list as
    printed, or a later one with the states that joined since)."""
    if plan.sponsor_list is None:
        return
    printed = SponsorList.objects.create(
        document=revision,
        label=SponsorList.PRINTED_LABEL,
        as_of=revision.date,
        source=revision.symbol,
    )
    Sponsorship.objects.bulk_create(
        Sponsorship(
            sponsor_list=printed,
            state_id=sponsorship.state_id,
            position=sponsorship.position,
            name_as_printed=sponsorship.name_as_printed,
        )
        for sponsorship in plan.sponsor_list.sponsorships.order_by("position")
    )


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
