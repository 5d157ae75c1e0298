"""The compilation text as JSON: the same paragraphs, statuses, proposals, stances and word
changes as the page (``resolutions.pages.compilation``), for other programs."""

from __future__ import annotations

from resolutions.pages.compilation import Compilation, CompiledParagraph, CompiledProposal


def compilation_record(compilation: Compilation, document_url: str) -> dict:
    """The compilation as one JSON object. ``paragraphs`` are those the filters show, in
    reading order; a new paragraph proposed after a paragraph is listed among that
    paragraph's proposals, with the label it has until a revision numbers it ("OP3 bis")."""
    document = compilation.document
    board = compilation.board
    return {
        "document": {
            "symbol": document.symbol,
            "title": document.title,
            "date": document.date.isoformat(),
            "url": document_url,
        },
        "generated": compilation.generated_at.isoformat(),
        "filters": compilation.active_filters,
        "status": {
            "summary": board.summary,
            "paragraphs": board.paragraphs,
            "paragraphs_by_status": {value: count for value, _, count in board.paragraph_counts()},
            "proposals_by_state": {value: count for value, _, count in board.proposal_counts()},
        },
        "paragraphs": [_paragraph(item) for item in compilation.shown_paragraphs],
    }


def _paragraph(item: CompiledParagraph) -> dict:
    paragraph = item.paragraph
    return {
        "label": paragraph.label,
        "display_label": paragraph.display_label,
        "part": paragraph.part,
        "number": paragraph.number,
        "parent": item.parent_label,
        "depth": item.depth,
        "heading": paragraph.heading,
        "text": paragraph.text,
        "status": paragraph.status,
        "status_label": paragraph.get_status_display(),
        "status_changed_by": item.status_changed_by or None,
        "status_changed_at": (
            paragraph.status_changed_at.isoformat() if paragraph.status_changed_at else None
        ),
        "proposals": [_proposal(entry) for entry in [*item.proposals, *item.inserts]],
    }


def _proposal(entry: CompiledProposal) -> dict:
    proposal = entry.proposal
    circle = proposal.on_behalf_of
    return {
        "id": proposal.pk,
        "label": entry.label,
        "kind": proposal.kind,
        "delegation": proposal.delegation.name,
        "on_behalf_of": {"id": circle.pk, "name": circle.name} if circle else None,
        "state": proposal.state,
        "text": proposal.text,
        "reason": proposal.reason,
        "tabled_at": proposal.tabled_at.isoformat() if proposal.tabled_at else None,
        "decided_by": entry.decided_by or None,
        "decision_reason": proposal.decision_reason,
        "stances": [
            {
                "delegation": stance.delegation,
                "position": stance.position,
                "regional_group": stance.regional_group,
            }
            for stance in entry.stances
        ],
        "stance_summary": entry.stance_summary,
        "stance_counts": {
            position.position: {"total": position.count, "by_group": dict(position.tally)}
            for position in entry.positions
        },
        "changes": [{"op": run.op, "text": run.text} for run in entry.changes],
    }
