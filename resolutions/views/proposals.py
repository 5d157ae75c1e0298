"""Negotiating the text: proposing on a paragraph (from the reading page), the proposals page
and its buttons (stances, withdrawal, the pen holder's decisions), editing a draft, the
discussion of a proposal, paragraph status, pen holders, and the JSON twin.

Every view finds proposals through ``Proposal.objects.visible_to(user)``: one the user may
not see answers 404, never 403, so that a draft's existence does not leak. What a user may
do with a proposal is decided by the services (``services.proposals.refusal``): a refused
write comes back with its reason, as 403 when it is about who the user is, 409 for an edit
that came too late, 400 otherwise; nothing is saved.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from resolutions import services
from resolutions.forms import (
    PROPOSAL_STATES,
    ParagraphStatusForm,
    PenHoldersForm,
    ProposalActionForm,
    ReplyForm,
)
from resolutions.htmx import HtmxHttpRequest, render_page
from resolutions.models import Circle, Document, Paragraph, Proposal, User
from resolutions.models.negotiation import proposal_audience_members
from resolutions.pages.documents import document_or_404
from resolutions.pages.mentions import mention_choices
from resolutions.pages.proposals import (
    ProposalsPage,
    edit_form,
    proposal_form,
    proposals_data,
    proposals_page,
)
from resolutions.permissions import delegation_required, editor_required
from resolutions.services.proposals import DECISIONS, STANCE_ACTIONS
from resolutions.views.documents import document_detail

PAGE = "resolutions/proposals.html"


def _failure_status(refused: services.ProposalRefused) -> int:
    if isinstance(refused, services.ProposalEditConflict):
        return 409
    return 403 if isinstance(refused, services.NotAllowed) else 400


def _visible(request: HtmxHttpRequest, pk: int) -> Proposal:
    """A proposal the user may see; any other answers 404."""
    return get_object_or_404(
        Proposal.objects.visible_to(request.user).select_related(
            "document", "paragraph", "delegation", "on_behalf_of"
        ),
        pk=pk,
    )


def _circles(request: HtmxHttpRequest) -> list[Circle]:
    return list(Circle.objects.of_delegation(request.user.delegation_id))


def _proposals_url(document: Document, anchor: str = "") -> str:
    url = reverse("resolutions:document_proposals", args=[document.slug])
    return f"{url}#{anchor}" if anchor else url


def _page(
    request: HtmxHttpRequest,
    page: ProposalsPage,
    *,
    status: int = 200,
    focus: int | None = None,
) -> HttpResponse:
    """The proposals page; for htmx, the proposal ``focus`` alone (the element its forms
    swap). With ``status`` other than 200, what was sent came back refused."""
    context = {"document": page.document, "page": page}
    if focus is None:
        return render(request, PAGE, context, status=status)
    context["view"] = page.view(focus)
    return render_page(
        request, PAGE, context, partial="proposal", failed=status != 200, failure_status=status
    )


# Proposing -----------------------------------------------------------------------------


@delegation_required
@require_POST
def proposal_create(request: HtmxHttpRequest, slug: str, label: str) -> HttpResponse:
    """Proposes to amend the paragraph, delete it or insert a new one after it, as a draft
    or tabled. Redirects to the paragraph; refused, the reading page comes back with the
    form, its errors and what the delegate typed."""
    paragraph = get_object_or_404(
        Paragraph.objects.select_related("document"), document__slug=slug, label=label
    )
    form = proposal_form(paragraph, _circles(request), request.POST)
    status = 400
    if form.is_valid():
        try:
            proposal = services.proposal_create(
                author=request.user,
                paragraph=paragraph,
                submission_key=form.cleaned_data["submission_key"],
                **form.proposal(),
            )
        except services.ProposalRefused as refused:
            form.refuse(refused)
            status = _failure_status(refused)
        else:
            messages.success(request, _proposed(proposal))
            return redirect(paragraph.get_absolute_url())
    return document_detail(request, slug, bound_proposal_form=(paragraph.pk, form), status=status)


def _proposed(proposal: Proposal) -> str:
    if proposal.state == Proposal.State.TABLED:
        return f"Your proposal “{proposal.heading}” is tabled: every delegate sees it."
    audience = f"{proposal.on_behalf_of}" if proposal.on_behalf_of else "your delegation"
    return f"Your draft “{proposal.heading}” is saved, seen by {audience} only."


# Who can be mentioned -----------------------------------------------------------------


def _audience_asked(
    request: HtmxHttpRequest, circles: list[Circle], state: str, circle: Circle | None
) -> tuple[str, Circle | None]:
    """The audience a proposal's form says it will have: ``state`` (draft or tabled) and
    ``circle`` (on whose behalf, one of ``circles``, or none: the delegation alone), each
    as given unless the request asks for another."""
    asked = request.GET.get("state", state)
    if asked in (Proposal.State.DRAFT, Proposal.State.TABLED):
        state = asked
    if "circle" in request.GET:
        circle = next((c for c in circles if str(c.pk) == request.GET["circle"]), None)
    return state, circle


def _mentionable_page(
    request: HtmxHttpRequest,
    context: dict,
    delegation_id: int | None,
    circles: list[Circle] | None,
) -> HttpResponse:
    """Who could see a proposal of ``delegation_id`` with the audience in ``context``
    (``state``, ``circle``), whose username starts with ``q``: for htmx, a few as buttons
    under the text; without, the whole list, with the form to choose the audience when
    ``circles`` (the user's) is not None."""
    circle = context["circle"]
    readers = proposal_audience_members(
        delegation_id, context["state"], circle.pk if circle else None
    )
    context |= {
        "circles": circles,
        "state_choices": PROPOSAL_STATES,
        **mention_choices(
            readers, request.user, request.GET.get("q", ""), suggestions=bool(request.htmx)
        ),
    }
    return render_page(request, "resolutions/mentionable.html", context, partial="suggestions")


@login_required
@require_safe
def new_proposal_mentionable(request: HtmxHttpRequest, slug: str, label: str) -> HttpResponse:
    """Who could see a proposal the user's delegation makes on the paragraph, as a
    ``state`` (draft by default) and on behalf of a ``circle`` (none by default): the
    people an ``@`` in its wording or reason may mention."""
    paragraph = get_object_or_404(Paragraph, document__slug=slug, label=label)
    circles = _circles(request)
    state, circle = _audience_asked(request, circles, Proposal.State.DRAFT, None)
    context = {"paragraph": paragraph, "proposing": True, "state": state, "circle": circle}
    return _mentionable_page(request, context, request.user.delegation_id, circles)


@login_required
@require_safe
def proposal_mentionable(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Who could see the proposal ``pk``: the people an ``@`` in its wording, its reason or
    its discussion may mention. A draft of the user's delegation, which its edit form may
    table or put on behalf of another circle, is read as ``state`` and ``circle`` ask; any
    other as it stands. A proposal the user may not see answers 404."""
    proposal = _visible(request, pk)
    state, circle = proposal.state, proposal.on_behalf_of
    circles = None
    if state == Proposal.State.DRAFT and proposal.delegation_id == request.user.delegation_id:
        circles = _circles(request)
        state, circle = _audience_asked(request, circles, state, circle)
    context = {
        "proposal": proposal,
        "paragraph": proposal.paragraph,
        "state": state,
        "circle": circle,
    }
    return _mentionable_page(request, context, proposal.delegation_id, circles)


# The proposals page --------------------------------------------------------------------


@login_required
@require_safe
def document_proposals(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """Every proposal the user may see on the document, by paragraph, each with the buttons
    the user may press, its history and its discussion; the pen holders; for a pen holder,
    the paragraphs' status to set."""
    document = document_or_404(slug)
    page = proposals_page(document, request.user)
    return render(request, PAGE, {"document": document, "page": page})


@login_required
@require_safe
def document_proposals_json(request: HtmxHttpRequest, slug: str) -> JsonResponse:
    """The proposals page as JSON: every proposal the user may see, with its paragraph,
    kind, delegation, circle, state, wording, reason and each delegation's stance."""
    document = document_or_404(slug)
    data = proposals_data(
        document,
        request.user,
        document_url=request.build_absolute_uri(document.get_absolute_url()),
        page_url=request.build_absolute_uri(_proposals_url(document)),
    )
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})


@login_required
@require_POST
def proposal_action(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """One button of a proposal (``action``): a stance (``support``, ``accept_stance``,
    ``object``), ``withdraw``, or the pen holder's ``accept`` or ``reject`` (with a
    ``reason``). Redirects to the proposal; htmx gets the proposal back, in place."""
    proposal = _visible(request, pk)
    form = ProposalActionForm(request.POST)
    try:
        if not form.is_valid():
            errors = [message for field in form.errors.values() for message in field]
            raise services.ProposalRefused(" ".join(errors))
        done = _act(request.user, proposal, **form.cleaned_data)
    except services.ProposalRefused as refused:
        page = proposals_page(proposal.document, request.user, only=pk if request.htmx else None)
        page.view(pk).error = refused.message
        return _page(request, page, status=_failure_status(refused), focus=pk)
    if request.htmx:
        return _page(request, proposals_page(proposal.document, request.user, only=pk), focus=pk)
    messages.success(request, done)
    return redirect(proposal.get_absolute_url())


def _act(user: User, proposal: Proposal, *, action: str, reason: str) -> str:
    """Do ``action`` as ``user``; what was done, in a sentence."""
    if action in STANCE_ACTIONS:
        stance = services.stance_record(proposal, user=user, position=STANCE_ACTIONS[action])
        return (
            f"Your delegation’s stance on “{proposal.heading}” is recorded: "
            f"{stance.get_position_display().lower()}."
        )
    if action == "withdraw":
        services.proposal_withdraw(proposal, user=user)
        return f"“{proposal.heading}” is withdrawn."
    decided = services.proposal_decide(proposal, user=user, decision=action, reason=reason)
    return f"“{decided.heading}” is {DECISIONS[action].label.lower()}."


@delegation_required
@require_http_methods(["GET", "HEAD", "POST"])
def proposal_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The edit form of a draft, for its delegation, which may also table it. A save based
    on an older version is refused as a conflict: the delegate's text stays in the form,
    the newer text is shown beside it."""
    proposal = get_object_or_404(
        Proposal.objects.visible_to(request.user)
        .filter(delegation_id=request.user.delegation_id)
        .select_related("document", "paragraph", "delegation", "on_behalf_of"),
        pk=pk,
    )
    circles = _circles(request)
    form = edit_form(proposal, circles, request.POST if request.method == "POST" else None)
    conflict, status = None, 200
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.proposal_update(
                proposal,
                editor=request.user,
                version=form.cleaned_data["version"],
                **form.proposal(),
            )
        except services.ProposalEditConflict as refused:
            conflict, status = refused.current, 409
            data = request.POST.copy()
            data["version"] = str(conflict.version)
            form = edit_form(conflict, circles, data)
            form.is_valid()
            form.refuse(refused)
        except services.ProposalRefused as refused:
            form.refuse(refused)
            status = _failure_status(refused)
        else:
            messages.success(request, _edited(saved))
            return redirect(saved.get_absolute_url())
    elif request.method == "POST":
        status = 400
    context = {
        "proposal": conflict or proposal,
        "form": form,
        "conflict": conflict,
        "state_choices": PROPOSAL_STATES,
    }
    return render(request, "resolutions/proposal_edit.html", context, status=status)


def _edited(proposal: Proposal) -> str:
    if proposal.state == Proposal.State.TABLED:
        return f"Your proposal “{proposal.heading}” is tabled: every delegate sees it."
    return f"Your draft “{proposal.heading}” is saved."


@login_required
@require_POST
def proposal_discuss(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Adds to the discussion of a tabled proposal: the first words open its thread (a note
    on the paragraph everyone logged in reads), the rest reply in it."""
    proposal = _visible(request, pk)
    form = ReplyForm(request.POST, auto_id=f"id_discussion_{pk}_%s")
    status = 400
    if form.is_valid():
        try:
            services.proposal_discuss(
                proposal,
                author=request.user,
                body=form.cleaned_data["body"],
                submission_key=form.cleaned_data["submission_key"],
            )
        except services.ProposalRefused as refused:
            form.add_error("body", refused.message)
            status = _failure_status(refused)
        else:
            if request.htmx:
                page = proposals_page(proposal.document, request.user, only=pk)
                return _page(request, page, focus=pk)
            return redirect(f"{_proposals_url(proposal.document, f'discussion-{pk}')}")
    page = proposals_page(proposal.document, request.user, only=pk if request.htmx else None)
    page.view(pk).discussion_form = form
    return _page(request, page, status=status, focus=pk)


# The pen holder ------------------------------------------------------------------------


@login_required
@require_POST
def paragraph_status(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """A pen holder marks paragraphs open, agreed ad ref or agreed (a field for each,
    named by its label: ``op3=agreed_ad_ref``)."""
    document = document_or_404(slug)
    paragraphs = list(document.paragraphs.order_by("order"))
    form = ParagraphStatusForm(request.POST, paragraphs=paragraphs)
    status = 400
    if form.is_valid():
        try:
            changed = services.paragraph_status_set(
                document, user=request.user, statuses=form.statuses()
            )
        except services.ProposalRefused as refused:
            form.refuse(refused)
            status = _failure_status(refused)
        else:
            messages.success(request, _statuses_saved(changed))
            return redirect(_proposals_url(document, "paragraph-status"))
    page = proposals_page(document, request.user)
    page.status_form = form
    return _page(request, page, status=status)


def _statuses_saved(changed: list[Paragraph]) -> str:
    if not changed:
        return "No paragraph's status changed."
    return "Status saved: " + "; ".join(
        f"{paragraph.display_label} {paragraph.get_status_display().lower()}"
        for paragraph in changed
    )


@editor_required("Only editors name the pen holders of a document.")
@require_POST
def pen_holders(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """An editor names the delegations that hold the pen on the document."""
    document = document_or_404(slug)
    form = PenHoldersForm(request.POST)
    if form.is_valid():
        chosen = list(form.cleaned_data["delegations"])
        services.pen_holders_set(document, editor=request.user, delegations=chosen)
        names = ", ".join(delegation.name for delegation in chosen)
        messages.success(
            request,
            f"Pen holders of {document.symbol}: {names}."
            if names
            else f"{document.symbol} has no pen holder named: the editors hold the pen.",
        )
        return redirect(_proposals_url(document, "pen-holders"))
    page = proposals_page(document, request.user)
    page.pen_holders_form = form
    return _page(request, page, status=400)
