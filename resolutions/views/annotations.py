"""Annotating paragraphs: create, reply, edit with history, delete with undo, resolve,
list with filters, and export.

Every view finds annotations through ``Annotation.objects.visible_to(user)``: a note one may
not see answers 404, never 403, so its existence does not leak.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from resolutions import services
from resolutions.formats.annotations import annotations_csv_response, web_annotation_collection
from resolutions.forms import AnnotationEditForm, AnnotationForm, ReplyForm
from resolutions.models import Annotation, Document, Paragraph
from resolutions.pages.annotation_list import AnnotationFilter
from resolutions.pages.reading import attach_replies, mark_permissions, notes_by_paragraph
from resolutions.views.documents import document_detail


def _paragraph_url(paragraph: Paragraph) -> str:
    return f"{paragraph.document.get_absolute_url()}#{paragraph.label}"


def _visible(request, pk: int) -> Annotation:
    return get_object_or_404(
        Annotation.objects.visible_to(request.user).select_related("paragraph__document"), pk=pk
    )


def _own(request, pk: int) -> Annotation:
    return get_object_or_404(
        Annotation.objects.visible_to(request.user)
        .filter(author=request.user)
        .select_related("paragraph__document"),
        pk=pk,
    )


def _paragraph_notes_partial(request, paragraph: Paragraph, *, form=None, status=200):
    notes = notes_by_paragraph(paragraph.document, request.user, [paragraph])[paragraph.pk]
    notes.open = True
    if form is not None:
        notes.form = form
    return render(
        request,
        "resolutions/document_detail.html#paragraph-notes",
        {"notes": notes, "document": paragraph.document},
        status=status,
    )


@login_required
@require_POST
def annotation_create(request, slug: str, label: str):
    """Adds a note to a paragraph. htmx gets the paragraph's notes back; a plain POST is
    redirected to the paragraph (or, with errors, gets the page with the form kept)."""
    paragraph = get_object_or_404(
        Paragraph.objects.select_related("document"), document__slug=slug, label=label
    )
    form = AnnotationForm(request.POST, paragraph=paragraph, auto_id=f"id_{label}_%s")
    if not form.is_valid():
        if request.htmx:
            return _paragraph_notes_partial(request, paragraph, form=form)
        return document_detail(request, slug, bound_form=(paragraph.pk, form), status=400)
    services.annotation_create(author=request.user, paragraph=paragraph, **form.cleaned_data)
    if request.htmx:
        return _paragraph_notes_partial(request, paragraph)
    messages.success(request, f"Your note on {paragraph.display_label} is saved.")
    return redirect(_paragraph_url(paragraph))


@login_required
@require_POST
def annotation_reply(request, pk: int):
    """Adds a reply to a thread; the reply is seen by whoever sees the thread."""
    thread = _visible(request, pk)
    if thread.reply_to_id:
        thread = _visible(request, thread.reply_to_id)
    form = ReplyForm(request.POST)
    if form.is_valid():
        services.annotation_create(
            author=request.user, paragraph=thread.paragraph, reply_to=thread, **form.cleaned_data
        )
    elif not request.htmx:
        return render(
            request,
            "resolutions/annotation_detail.html",
            _thread_context(request, thread, reply_form=form),
            status=400,
        )
    if request.htmx:
        return render(
            request,
            "resolutions/annotation_detail.html#thread",
            _thread_context(request, thread, reply_form=None if form.is_valid() else form),
        )
    return redirect(_paragraph_url(thread.paragraph))


def _thread_context(request, thread: Annotation, *, reply_form=None):
    thread = Annotation.objects.for_display().get(pk=thread.pk)
    attach_replies([thread], request.user)
    return {"annotation": thread, "reply_form": reply_form}


@login_required
@require_GET
def annotation_detail(request, pk: int):
    """One thread: the note, its replies, and a reply form."""
    thread = _visible(request, pk)
    if thread.reply_to_id:
        return redirect("resolutions:annotation_detail", thread.reply_to_id)
    return render(request, "resolutions/annotation_detail.html", _thread_context(request, thread))


@login_required
@require_http_methods(["GET", "POST"])
def annotation_edit(request, pk: int):
    """The edit form for the author. A save based on an older version is refused as a
    conflict: the delegate's text stays in the form, the newer text is shown beside it."""
    annotation = _own(request, pk)
    paragraph = annotation.paragraph
    conflict = None
    if request.method == "POST":
        form = AnnotationEditForm(request.POST, paragraph=paragraph)
        if form.is_valid():
            try:
                services.annotation_update(annotation, editor=request.user, **form.cleaned_data)
            except services.EditConflict as error:
                conflict = error.current
                form = _conflicted_form(request, paragraph, conflict)
            else:
                if request.htmx:
                    return _annotation_partial(request, annotation)
                messages.success(request, "Your changes are saved.")
                return redirect(_paragraph_url(paragraph))
    else:
        form = AnnotationEditForm(
            paragraph=paragraph,
            initial={
                "body": annotation.body,
                "quote": annotation.quote,
                "visibility": annotation.visibility,
                "tags": ", ".join(tag.name for tag in annotation.tags.all()),
                "version": annotation.version,
            },
        )
    template = "resolutions/annotation_edit.html"
    if request.htmx:
        template += "#edit-form"
    context = {"annotation": annotation, "form": form, "conflict": conflict}
    return render(request, template, context, status=409 if conflict and not request.htmx else 200)


def _conflicted_form(request, paragraph, current: Annotation) -> AnnotationEditForm:
    """The delegate's own text, ready to save again over the newer version."""
    data = request.POST.copy()
    data["version"] = str(current.version)
    form = AnnotationEditForm(data, paragraph=paragraph)
    form.is_valid()
    form.add_error(
        None,
        "Someone saved this note while you were editing it. Your text is kept below; the "
        "newer text is shown beside it. Save again to replace it with yours.",
    )
    return form


def _annotation_partial(request, annotation: Annotation, *, with_count: bool = False):
    annotation = Annotation.objects.for_display().get(pk=annotation.pk)
    annotation.thread_replies = []
    if annotation.reply_to_id is None:
        attach_replies([annotation], request.user)
    else:
        mark_permissions([annotation], request.user)
    context = {"annotation": annotation}
    if with_count:
        context["notes_count"] = _visible_count(request, annotation.paragraph)
    return render(request, "resolutions/_annotation.html", context)


def _visible_count(request, paragraph: Paragraph) -> int:
    """How many notes on ``paragraph`` the user sees: the margin's count is updated with it
    when a note is deleted or restored in place."""
    return Annotation.objects.visible_to(request.user).filter(paragraph=paragraph).count()


@login_required
@require_POST
def annotation_delete(request, pk: int):
    """Soft-deletes the author's note and offers to undo."""
    annotation = _own(request, pk)
    services.annotation_delete(annotation)
    if request.htmx:
        return render(
            request,
            "resolutions/annotation_deleted.html#undo",
            {
                "annotation": annotation,
                "notes_count": _visible_count(request, annotation.paragraph),
            },
        )
    return redirect("resolutions:annotation_deleted", annotation.pk)


@login_required
@require_GET
def annotation_deleted(request, pk: int):
    """After a plain-HTTP delete: the note is gone, with an undo button."""
    annotation = get_object_or_404(
        Annotation.objects.filter(author=request.user, deleted_at__isnull=False).select_related(
            "paragraph__document"
        ),
        pk=pk,
    )
    return render(request, "resolutions/annotation_deleted.html", {"annotation": annotation})


@login_required
@require_POST
def annotation_restore(request, pk: int):
    """Undo a delete."""
    annotation = get_object_or_404(
        Annotation.objects.filter(author=request.user, deleted_at__isnull=False).select_related(
            "paragraph__document"
        ),
        pk=pk,
    )
    services.annotation_restore(annotation)
    if request.htmx:
        return _annotation_partial(request, annotation, with_count=True)
    messages.success(request, "The note is back.")
    return redirect(_paragraph_url(annotation.paragraph))


@login_required
@require_POST
def annotation_resolve(request, pk: int):
    """Marks a thread resolved (or open again): its author or the author's delegation."""
    thread = _visible(request, pk)
    mark_permissions([thread], request.user)
    if thread.reply_to_id or not thread.resolvable:
        raise Http404("No such thread")
    services.thread_set_resolved(thread, resolved=request.POST.get("resolved") != "0")
    if request.htmx:
        return _annotation_partial(request, thread)
    return redirect(_paragraph_url(thread.paragraph))


@login_required
@require_GET
def annotation_history(request, pk: int):
    """Every earlier version of a note, newest first."""
    annotation = _visible(request, pk)
    return render(
        request,
        "resolutions/annotation_history.html",
        {"annotation": annotation, "revisions": annotation.revisions.select_related("edited_by")},
    )


@require_GET
def annotation_list(request, slug: str):
    """Every note the user can see on the document, filterable through the query string."""
    document = get_object_or_404(Document, slug=slug)
    filters = AnnotationFilter(document, request.user, request.GET)
    context = {"document": document, "filters": filters, "page": filters.page()}
    template = "resolutions/annotation_list.html"
    if request.htmx:
        template += "#results"
    response = render(request, template, context)
    response["Vary"] = "HX-Request"
    return response


@require_GET
def annotation_export_csv(request, slug: str):
    document = get_object_or_404(Document, slug=slug)
    filters = AnnotationFilter(document, request.user, request.GET)
    return annotations_csv_response(filters.queryset(), f"{slug}-annotations.csv")


@require_GET
def annotation_export_json(request, slug: str):
    """The notes as a W3C Web Annotation collection (JSON-LD)."""
    document = get_object_or_404(Document, slug=slug)
    filters = AnnotationFilter(document, request.user, request.GET)
    collection = web_annotation_collection(
        filters.queryset(), request.build_absolute_uri(document.get_absolute_url()), request
    )
    response = JsonResponse(collection, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Type"] = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
    return response
