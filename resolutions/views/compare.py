"""Comparing two versions of a document paragraph by paragraph, and bringing a delegation's
notes from a document to its revision."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET, require_POST

from resolutions.models import Document, Paragraph
from resolutions.services import importing
from resolutions.un.text_comparison import STATUSES, AlignedPair

STATUS_LABELS = {
    "unchanged": "Unchanged",
    "changed": "Changed",
    "added": "Added",
    "removed": "Removed",
    "moved": "Moved",
}


@dataclass
class ComparedParagraph:
    """One row of the comparison: a paragraph of A, of B, or both, and the word diff."""

    status: str
    a: Paragraph | None
    b: Paragraph | None
    html: SafeString
    part_heading: str = ""  # set on the first row of the preamble and of the operative part

    @property
    def status_label(self) -> str:
        if self.status == "unchanged" and self.renumbered:
            # Same words, new number: a delegate quoting the old number would be wrong.
            return "Renumbered"
        return STATUS_LABELS[self.status]

    @property
    def renumbered(self) -> bool:
        return self.a is not None and self.b is not None and self.a.label != self.b.label

    @property
    def is_subparagraph(self) -> bool:
        return (self.b or self.a).parent_id is not None

    @property
    def number(self) -> str:
        return (self.b or self.a).number


def diff_html(pair: AlignedPair) -> SafeString:
    """The pair's words with deletions in ``<del>`` and insertions in ``<ins>``; each run
    of changed words is announced to screen readers, which do not voice the elements."""
    pieces = []
    for run in pair.words:
        if run.op == "insert":
            pieces.append(
                format_html('<ins><span class="visually-hidden">[added: </span>{}</ins>', run.text)
            )
            pieces.append(mark_safe('<span class="visually-hidden">]</span>'))
        elif run.op == "delete":
            pieces.append(
                format_html(
                    '<del><span class="visually-hidden">[deleted: </span>{}</del>', run.text
                )
            )
            pieces.append(mark_safe('<span class="visually-hidden">]</span>'))
        else:
            pieces.append(escape(run.text))
    return mark_safe(" ".join(piece for piece in pieces))  # noqa: S308 -- escaped above


def _rows(
    comparison: importing.DocumentComparison, *, only_changes: bool
) -> list[ComparedParagraph]:
    """The rows to show, in the later version's reading order, each part headed once."""
    rows = []
    part = None
    for pair in comparison.result.pairs:
        if only_changes and pair.status == "unchanged" and pair.a == pair.b:
            continue
        a = comparison.a_paragraphs.get(pair.a) if pair.a else None
        b = comparison.b_paragraphs.get(pair.b) if pair.b else None
        html = escape((b or a).text) if pair.status == "unchanged" else diff_html(pair)
        row = ComparedParagraph(pair.status, a, b, html)
        if (b or a).part != part:
            part = (b or a).part
            row.part_heading = (
                "Preamble" if part == Paragraph.Part.PREAMBULAR else "Operative paragraphs"
            )
        rows.append(row)
    return rows


def _documents_from_query(request) -> tuple[Document, Document] | None:
    """The two documents named by ``?a=&b=``; None when one is missing; 404 when unknown."""
    a_slug = request.GET.get("a", "").strip()
    b_slug = request.GET.get("b", "").strip()
    if not a_slug or not b_slug:
        return None
    documents = {d.slug: d for d in Document.objects.filter(slug__in=[a_slug, b_slug])}
    if a_slug not in documents or b_slug not in documents:
        raise Http404("No such document")
    return documents[a_slug], documents[b_slug]


@require_GET
def compare_text(request):
    """Two versions side by side in one column: each paragraph of the later version with the
    words inserted and deleted since the earlier one, the paragraphs only in one, and the
    counts. ``?show=changes`` hides the unchanged paragraphs. Without two documents, a form
    to choose them."""
    documents = Document.objects.order_by("symbol").only("symbol", "slug", "title")
    chosen = _documents_from_query(request)
    context = {
        "documents": documents,
        "chosen_a": request.GET.get("a", ""),
        "chosen_b": request.GET.get("b", ""),
    }
    if chosen is None:
        return render(request, "resolutions/compare_text.html", context)
    a, b = chosen
    comparison = importing.compare_documents(a, b)
    only_changes = request.GET.get("show") == "changes"
    can_carry = request.user.is_authenticated and b.revision_of_id == a.pk
    context.update(
        a=a,
        b=b,
        rows=_rows(comparison, only_changes=only_changes),
        only_changes=only_changes,
        summary=[
            (status, STATUS_LABELS[status], comparison.result.summary[status])
            for status in STATUSES
        ],
        total=len(comparison.result.pairs),
        renumbered=sum(
            1 for pair in comparison.result.pairs if pair.a and pair.b and pair.a != pair.b
        ),
        can_carry=can_carry,
        notes_to_carry=(
            importing.carried_annotations(request.user, a).filter(reply_to__isnull=True).count()
            if can_carry
            else 0
        ),
    )
    return render(request, "resolutions/compare_text.html", context)


@require_GET
def compare_text_json(request):
    """``{"summary": {...}, "pairs": [{"a": label, "b": label, "status": ...}]}``: every
    paragraph and sub-paragraph of either version in exactly one pair."""
    a_slug = request.GET.get("a", "").strip()
    b_slug = request.GET.get("b", "").strip()
    if not a_slug or not b_slug:
        return JsonResponse(
            {"error": "Name the two documents to compare: ?a=<slug>&b=<slug>."}, status=400
        )
    try:
        a, b = _documents_from_query(request)
    except Http404:
        return JsonResponse({"error": "No document has that slug."}, status=404)
    result = importing.compare_documents(a, b).result
    return JsonResponse(
        {
            "summary": result.summary,
            "pairs": [{"a": p.a, "b": p.b, "status": p.status} for p in result.pairs],
        }
    )


@login_required
@require_POST
def annotations_carry_forward(request, slug: str):
    """Brings the user's delegation's notes from the document this one revises onto this
    one (see ``importing.annotations_carry_forward``), then shows this document."""
    target = get_object_or_404(Document.objects.select_related("revision_of"), slug=slug)
    source = target.revision_of
    if source is None:
        raise Http404("This document revises no other")
    result = importing.annotations_carry_forward(user=request.user, source=source, target=target)
    if result.copied:
        text = f"{result.copied} note{'s' if result.copied != 1 else ''} brought from "
        text += f"{source.symbol}: {len(result.landed)} on their paragraphs"
        if result.orphaned:
            text += (
                f", {len(result.orphaned)} marked “Orphaned since {source.symbol}” because "
                "their paragraph changed: check where they belong"
            )
        messages.success(request, text + ".")
    elif result.already_there:
        messages.info(request, f"Your notes from {source.symbol} are already here.")
    else:
        messages.info(request, f"You have no notes on {source.symbol} to bring across.")
    return redirect(target)
