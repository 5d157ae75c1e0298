"""Annotating paragraphs: create, reply, edit with history, delete with undo, resolve,
list with filters, and export.

Every view finds annotations through ``Annotation.objects.visible_to(user)``: a note one may
not see answers 404, never 403, so its existence does not leak.
"""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from resolutions import services
from resolutions.formats.annotations import annotations_csv_response, web_annotation_collection
from resolutions.forms import AnnotationEditForm, AnnotationForm, ReplyForm
from resolutions.htmx import HtmxHttpRequest, partial_renderer, render_page
from resolutions.models import Annotation, Circle, Paragraph
from resolutions.models.annotations import audience_members, note_readers
from resolutions.pages.annotation_list import AnnotationFilter
from resolutions.pages.documents import document_or_404
from resolutions.pages.mentions import mention_choices
from resolutions.pages.notes import (
    NoteCount,
    edit_audience,
    note_count,
    note_history,
    note_view,
)
from resolutions.pages.reading import (
    ReadingParagraph,
    highlighted_text,
    notes_by_paragraph,
    with_fresh_forms,
)
from resolutions.pages.versions import document_versions
from resolutions.views.documents import document_detail

THREAD = "resolutions/annotation_detail.html"
MENTIONABLE = "resolutions/mentionable.html"
LIST = "resolutions/annotation_list.html"


def _paragraph_url(paragraph: Paragraph) -> str:
    return f"{paragraph.document.get_absolute_url()}#{paragraph.label}"


# What a note's page shows it with: its document and its audience (thread and circles).
WITH_AUDIENCE = ("paragraph__document", "circle", "reply_to")


def _visible(request: HtmxHttpRequest, pk: int) -> Annotation:
    """A note the user may see; any other answers 404."""
    return get_object_or_404(
        Annotation.objects.visible_to(request.user).select_related(*WITH_AUDIENCE), pk=pk
    )


def _own(request: HtmxHttpRequest, pk: int) -> Annotation:
    """A note the user wrote and may see; any other answers 404."""
    return get_object_or_404(
        Annotation.objects.visible_to(request.user)
        .filter(author=request.user)
        .select_related(*WITH_AUDIENCE),
        pk=pk,
    )


def _circles(request: HtmxHttpRequest) -> list[Circle]:
    """The circles of the user's delegation: what a note form offers for "My circle"."""
    return list(Circle.objects.of_delegation(request.user.delegation_id))


def _own_deleted_or_not(request: HtmxHttpRequest, pk: int) -> Annotation:
    """A note the user wrote, deleted or not: a delete or an undo sent twice (a double
    click) finds the first one done, and answers as it did."""
    return get_object_or_404(
        Annotation.objects.filter(author=request.user).select_related("paragraph__document"),
        pk=pk,
    )


def _own_deleted(request: HtmxHttpRequest, pk: int) -> Annotation:
    """A note the user wrote and deleted: what undo brings back."""
    return get_object_or_404(
        Annotation.objects.filter(author=request.user, deleted_at__isnull=False).select_related(
            "paragraph__document"
        ),
        pk=pk,
    )


def _paragraph_notes(
    request: HtmxHttpRequest,
    paragraph: Paragraph,
    circles: list[Circle],
    form: AnnotationForm | None = None,
    saved: Annotation | None = None,
) -> HttpResponse:
    """The paragraph's margin, open, for htmx: its notes, marking the note just ``saved``,
    and the form (unfolded with its errors), which offers ``circles``; and the paragraph's
    text with their quoted words highlighted, swapped in out of band."""
    notes = notes_by_paragraph(paragraph.document, request.user, [paragraph], circles)[paragraph.pk]
    notes.open = True
    if form is not None:
        notes.form = form
        notes.form_open = True
    if saved is not None:
        notes.saved_pk = saved.pk
    text = ReadingParagraph(paragraph, highlighted_text(paragraph, notes.threads))
    return render_page(
        request,
        "resolutions/document_detail.html",
        {"notes": notes, "document": paragraph.document, "item": text, "oob": True},
        partial="paragraph-notes",
    )


@login_required
@require_POST
def annotation_create(request: HtmxHttpRequest, slug: str, label: str) -> HttpResponse:
    """Adds a note to a paragraph. htmx gets the paragraph's notes back; a plain POST is
    redirected to the paragraph (or, with errors, gets the page with the form kept)."""
    paragraph = get_object_or_404(
        Paragraph.objects.select_related("document"), document__slug=slug, label=label
    )
    circles = _circles(request)
    form = AnnotationForm(
        request.POST, paragraph=paragraph, circles=circles, auto_id=f"id_{label}_%s"
    )
    note = None
    if form.is_valid():
        try:
            note = services.annotation_create(
                author=request.user, paragraph=paragraph, **form.cleaned_data
            )
        except services.CircleRefused as refused:
            # The delegation left the circle since the form was checked.
            form.add_error(refused.field, refused.message)
    if not form.is_valid():
        if request.htmx:
            return _paragraph_notes(request, paragraph, circles, form)
        return document_detail(request, slug, bound_form=(paragraph.pk, form), status=400)
    if request.htmx:
        return _paragraph_notes(request, paragraph, circles, saved=note)
    messages.success(request, f"Your note on {paragraph.display_label} is saved.")
    return redirect(_paragraph_url(paragraph))


def _thread_page(
    request: HtmxHttpRequest, thread: Annotation, reply_form: ReplyForm | None = None
) -> HttpResponse:
    """The thread page, or for htmx the thread and its reply form: ``reply_form`` with its
    errors, or an empty one with a new submission key. For the reader's own reply in a
    thread they can no longer see, the reply alone, saying so."""
    note = note_view(thread.pk, request.user)
    context = {
        "annotation": note.annotation,
        "note": note,
        "reply_form": reply_form or ReplyForm(),
        # Others' replies stay with the audience they were written for if the thread is
        # widened; its author's own follow it.
        "reply_may_stay_behind": note.annotation.audience != Annotation.Visibility.PUBLIC
        and not note.annotation.editable_by(request.user),
    }
    return render_page(
        request, THREAD, context, partial="thread", failed=bool(reply_form and reply_form.errors)
    )


@login_required
@require_POST
def annotation_reply(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Adds a reply to a thread; the reply is seen by whoever sees the thread."""
    thread = _visible(request, pk)
    if thread.reply_to_id:
        thread = _visible(request, thread.reply_to_id)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        return _thread_page(request, thread, form)
    services.annotation_create(
        author=request.user, paragraph=thread.paragraph, reply_to=thread, **form.cleaned_data
    )
    if request.htmx:
        return _thread_page(request, thread)
    return redirect(_paragraph_url(thread.paragraph))


@login_required
@require_safe
def annotation_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """One thread: the note, its replies, and a reply form. A reply's address leads to its
    thread, or shows the reply alone to its author when the thread was narrowed since."""
    note = _visible(request, pk)
    if note.reply_to_id and _sees_thread(request, note.reply_to_id):
        return redirect("resolutions:annotation_detail", note.reply_to_id)
    return _thread_page(request, note)


def _sees_thread(request: HtmxHttpRequest, pk: int) -> bool:
    return Annotation.objects.visible_to(request.user).filter(pk=pk).exists()


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def annotation_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The edit form for the author. A save based on an older version is refused as a
    conflict: the delegate's text stays in the form, the newer text is shown beside it."""
    annotation = _own(request, pk)
    paragraph = annotation.paragraph
    circles = _circles(request)
    conflict = None
    if request.method == "POST":
        form = AnnotationEditForm(
            request.POST, paragraph=paragraph, annotation=annotation, circles=circles
        )
        if form.is_valid():
            try:
                services.annotation_update(annotation, editor=request.user, **form.cleaned_data)
            except services.EditConflict as error:
                conflict = error.current
                form = _conflicted_form(request, annotation, conflict, circles)
            except services.CircleRefused as refused:
                form.add_error(refused.field, refused.message)
            else:
                if request.htmx:
                    return _note(request, annotation)
                messages.success(request, "Your changes are saved.")
                return redirect(_paragraph_url(paragraph))
    else:
        form = AnnotationEditForm(
            paragraph=paragraph,
            annotation=annotation,
            circles=circles,
            initial={
                "body": annotation.body,
                "quote": annotation.quote,
                "visibility": annotation.visibility,
                "circle": annotation.circle_id,
                "tags": ", ".join(tag.name for tag in annotation.tags.all()),
                "version": annotation.version,
            },
        )
    context = {
        "annotation": annotation,
        "form": form,
        "conflict": conflict,
        "audience": edit_audience(annotation),
    }
    return render_page(
        request,
        "resolutions/annotation_edit.html",
        context,
        partial="edit-form",
        failed=conflict is not None,
        failure_status=409,
    )


def _conflicted_form(
    request: HtmxHttpRequest, annotation: Annotation, current: Annotation, circles: list[Circle]
) -> AnnotationEditForm:
    """The delegate's own text, ready to save again over the newer version."""
    data = request.POST.copy()
    data["version"] = str(current.version)
    form = AnnotationEditForm(
        data, paragraph=annotation.paragraph, annotation=current, circles=circles
    )
    form.is_valid()
    form.add_error(
        None,
        "Someone saved this note while you were editing it. Your text is kept below; the "
        "newer text is shown beside it. Save again to replace it with yours.",
    )
    return form


def _note(request: HtmxHttpRequest, annotation: Annotation, *, with_count: bool = False):
    """One note, in place, for htmx; with the paragraph's count of notes when a delete is
    undone, so the margin's count follows."""
    context: dict = {"note": note_view(annotation.pk, request.user)}
    if with_count:
        context["notes_count"] = _visible_count(request, annotation.paragraph)
    return render(request, "resolutions/_annotation.html", context)


def _visible_count(request: HtmxHttpRequest, paragraph: Paragraph) -> NoteCount:
    """How many notes and replies on ``paragraph`` the user sees: the margin's count is
    updated with it when a note is deleted or restored in place."""
    return note_count(Annotation.objects.visible_to(request.user).filter(paragraph=paragraph))


@login_required
@require_POST
def annotation_delete(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Soft-deletes the author's note and offers to undo."""
    annotation = _own_deleted_or_not(request, pk)
    if annotation.deleted_at is None:
        services.annotation_delete(annotation)
    if request.htmx:
        return render_page(
            request,
            "resolutions/annotation_deleted.html",
            {
                "annotation": annotation,
                "notes_count": _visible_count(request, annotation.paragraph),
            },
            partial="undo",
        )
    return redirect("resolutions:annotation_deleted", annotation.pk)


@login_required
@require_safe
def annotation_deleted(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """After a plain-HTTP delete: the note is gone, with an undo button."""
    annotation = _own_deleted(request, pk)
    return render(request, "resolutions/annotation_deleted.html", {"annotation": annotation})


@login_required
@require_POST
def annotation_restore(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Undo a delete."""
    annotation = _own_deleted_or_not(request, pk)
    if annotation.deleted_at is not None:
        services.annotation_restore(annotation)
    if request.htmx:
        return _note(request, annotation, with_count=True)
    messages.success(request, "The note is back.")
    return redirect(_paragraph_url(annotation.paragraph))


@login_required
@require_POST
def annotation_resolve(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Marks a thread resolved (or open again): its author or the author's delegation."""
    thread = _visible(request, pk)
    if thread.reply_to_id or not thread.resolvable_by(request.user):
        raise Http404("No such thread")
    services.thread_set_resolved(thread, resolved=request.POST.get("resolved") != "0")
    if request.htmx:
        return _note(request, thread)
    return redirect(_paragraph_url(thread.paragraph))


@login_required
@require_safe
def annotation_history(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The earlier versions of a note the user may read, newest first, and how many more
    were written for an audience they are not in."""
    annotation = _visible(request, pk)
    return render(
        request,
        "resolutions/annotation_history.html",
        {"annotation": annotation, "history": note_history(annotation, request.user)},
    )


def _notes_renderer(request: HtmxHttpRequest, document) -> Callable[[Page], str]:
    """Renders a page of the notes list's notes (the template's ``notes`` partial) for the
    reader of ``request``: a page kept in the cache is served to the same reader only,
    with this response's CSRF token put in (``with_fresh_forms``)."""
    render_partial = partial_renderer(request, LIST)
    return lambda page: render_partial("notes", {"page": page, "document": document})


@require_safe
def annotation_list(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """Every note the user can see on the document, filterable through the query string."""
    document = document_or_404(slug)
    filters = AnnotationFilter(document, request.user, request.GET)
    response = render_page(
        request,
        LIST,
        {
            "document": document,
            "filters": filters,
            "page": filters.page(_notes_renderer(request, document)),
            # Above the results: the htmx swap of the results never shows it.
            "versions": None if request.htmx else document_versions(document),
        },
        partial="results",
    )
    return with_fresh_forms(request, response)


@require_safe
def annotation_export_csv(request: HtmxHttpRequest, slug: str) -> StreamingHttpResponse:
    document = document_or_404(slug)
    filters = AnnotationFilter(document, request.user, request.GET)
    return annotations_csv_response(filters.queryset(), f"{slug}-annotations.csv")


@require_safe
def annotation_export_json(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """The notes as a W3C Web Annotation collection (JSON-LD)."""
    document = document_or_404(slug)
    filters = AnnotationFilter(document, request.user, request.GET)
    collection = web_annotation_collection(
        filters.queryset(), request.build_absolute_uri(document.get_absolute_url()), request
    )
    response = JsonResponse(collection, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Type"] = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
    return response


@login_required
@require_safe
def mentionable(request: HtmxHttpRequest, slug: str, label: str) -> HttpResponse:
    """Who could read a note on the paragraph written for ``visibility`` (and ``circle``):
    the people an ``@`` in it may mention, whose username starts with ``q``. For htmx, a
    few as buttons under the note's text; without, the whole list with the form to choose
    the audience. A note's edit form asks with the audience chosen in it."""
    paragraph = get_object_or_404(Paragraph, document__slug=slug, label=label)
    circles = _circles(request)
    visibility = request.GET.get("visibility", Annotation.Visibility.DELEGATION)
    if visibility not in Annotation.Visibility.values:
        visibility = Annotation.Visibility.DELEGATION
    chosen = request.GET.get("circle", "")
    circle = next((c for c in circles if str(c.pk) == chosen), circles[0] if circles else None)
    readers = audience_members(request.user, visibility, circle.pk if circle else None)
    context = {
        "paragraph": paragraph,
        "visibility": visibility,
        "visibility_choices": Annotation.Visibility.choices,
        "circles": circles,
        "circle": circle,
        **mention_choices(
            readers, request.user, request.GET.get("q", ""), suggestions=bool(request.htmx)
        ),
    }
    return render_page(request, MENTIONABLE, context, partial="suggestions")


@login_required
@require_safe
def note_mentionable(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Who could read a reply to the thread ``pk``, or the reply ``pk`` as it stands (its
    edit form asks): the people an ``@`` in it may mention, whose username starts with
    ``q``; as ``mentionable``. A note the user may not see answers 404."""
    note = _visible(request, pk)
    context = {
        "note": note,
        "paragraph": note.paragraph,
        **mention_choices(
            note_readers(note),
            request.user,
            request.GET.get("q", ""),
            suggestions=bool(request.htmx),
        ),
    }
    return render_page(request, MENTIONABLE, context, partial="suggestions")
