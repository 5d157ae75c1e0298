"""The revise page: what the next revision of a document will hold, before the pen holder
issues it: each accepted proposal as a tracked change with where it lands, the paragraphs
renumbered, and what is carried across."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.safestring import SafeString

from resolutions.forms import RevisionForm
from resolutions.models import Document, Proposal
from resolutions.rendering import word_diff_html
from resolutions.services.revising import RevisionPlan, plan_revision
from resolutions.un.revising import display_label
from resolutions.un.text_comparison import word_diff


@dataclass
class AppliedProposal:
    """An accepted proposal as the revision applies it."""

    proposal: Proposal
    label: str  # the paragraph it was made on, now: "OP3"
    lands_as: str  # the revision's paragraph it writes ("OP4"); "" for a deletion
    html: SafeString  # the tracked change against the current words

    @property
    def action(self) -> str:
        """ "Amends OP3", "Deletes OP5", "Inserts after OP3"."""
        verb = {
            Proposal.Kind.AMEND: "Amends",
            Proposal.Kind.DELETE: "Deletes",
            Proposal.Kind.INSERT: "Inserts after",
        }[self.proposal.kind]
        return f"{verb} {self.label}"


@dataclass
class RevisePage:
    document: Document
    plan: RevisionPlan
    applied: list[AppliedProposal]
    form: RevisionForm

    @property
    def paragraphs_now(self) -> int:
        return len(self.plan.current)

    @property
    def paragraphs_after(self) -> int:
        return len(self.plan.paragraphs)


def revise_page(document: Document, data=None) -> RevisePage:
    """The plan of the next revision of ``document`` and the form to issue it, bound to
    ``data`` when the pen holder sent it; the symbol offered is the next free one."""
    plan = plan_revision(document)
    written = {p.change: p.label for p in plan.paragraphs if p.change is not None}
    applied = []
    for proposal in plan.accepted:
        current = proposal.paragraph.text
        if proposal.kind == Proposal.Kind.AMEND:
            words = word_diff(current, proposal.text)
        elif proposal.kind == Proposal.Kind.DELETE:
            words = word_diff(current, "")
        else:
            words = word_diff("", proposal.text)
        lands = written.get(proposal.pk)
        applied.append(
            AppliedProposal(
                proposal=proposal,
                label=display_label(proposal.paragraph.label),
                lands_as=display_label(lands) if lands else "",
                html=word_diff_html(words),
            )
        )
    form = RevisionForm(
        data, initial={"symbol": plan.suggested_symbol, "carry_notes": True}, auto_id="revise-%s"
    )
    return RevisePage(document, plan, applied, form)
