"""Negotiating the text: circles of delegations, proposals on paragraphs as tracked changes,
delegations' stances on them, and the pen holder's decisions.

A proposal starts as a draft seen by its delegation (or by the circle it is made on behalf
of), is tabled for every logged-in delegate, and is then withdrawn by its delegation or
accepted or rejected by a pen holder. The pen holder's accepted proposals become the next
revision of the document.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from resolutions.models.accounts import Delegation, User
from resolutions.models.documents import Document, Paragraph
from resolutions.un.text_comparison import WordChange
from resolutions.un.tracked_changes import proposal_changes


class CircleQuerySet(models.QuerySet):
    def of_delegation(self, delegation_id: int | None):
        """The circles ``delegation_id`` is a member of now (invited and accepted, not
        left)."""
        if delegation_id is None:
            return self.none()
        return self.filter(
            memberships__delegation_id=delegation_id,
            memberships__joined_at__isnull=False,
            memberships__left_at__isnull=True,
        )

    def visible_to(self, user):
        """The circles ``user`` may look at: those their delegation is a member of or has an
        open invitation to. A circle the delegation left or declined is gone from its view,
        as is every other."""
        if not user.is_authenticated or user.delegation_id is None:
            return self.none()
        # One filter() call: both conditions hold for the same membership row.
        return self.filter(
            memberships__delegation_id=user.delegation_id,
            memberships__left_at__isnull=True,
            memberships__declined_at__isnull=True,
        )


class Circle(models.Model):
    """A negotiating group of delegations: "Nordic group", "EU", "Core group on ICT"."""

    name = models.CharField(max_length=100)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="circles_created"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submission_key = models.CharField(
        max_length=64,
        blank=True,
        editable=False,
        help_text="The key of the form the circle was created from: sent twice, it saves once.",
    )

    objects = CircleQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["created_by", "submission_key"],
                condition=~Q(submission_key=""),
                name="circle_submitted_once",
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("resolutions:circle_detail", args=[self.pk])


class CircleMembershipQuerySet(models.QuerySet):
    def active(self):
        """Members now: invited, accepted, not left."""
        return self.filter(joined_at__isnull=False, left_at__isnull=True)

    def pending(self):
        """Open invitations: neither accepted nor declined (nor ended by leaving)."""
        return self.filter(joined_at__isnull=True, declined_at__isnull=True, left_at__isnull=True)


class CircleMembership(models.Model):
    """A delegation's place in a circle: invited, then joined when it accepts (or declined);
    leaving ends its access to the circle's notes and draft proposals at once. A delegation
    that declined or left may be invited again: the same row starts over."""

    class State(models.TextChoices):
        INVITED = "invited", "Invited"
        MEMBER = "member", "Member"
        DECLINED = "declined", "Declined"
        LEFT = "left", "Left"

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="memberships")
    delegation = models.ForeignKey(
        Delegation, on_delete=models.CASCADE, related_name="circle_memberships"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="circle_invitations_sent",
    )
    invited_at = models.DateTimeField(auto_now_add=True)
    joined_at = models.DateTimeField(null=True, blank=True, help_text="When it accepted.")
    declined_at = models.DateTimeField(
        null=True, blank=True, help_text="When it declined the invitation."
    )
    left_at = models.DateTimeField(null=True, blank=True)
    submission_key = models.CharField(
        max_length=64,
        blank=True,
        editable=False,
        help_text="The key of the form the invitation was sent from: sent twice, it saves once.",
    )

    objects = CircleMembershipQuerySet.as_manager()

    class Meta:
        ordering = ["circle", "delegation"]
        constraints = [
            models.UniqueConstraint(
                fields=["circle", "delegation"], name="one_membership_per_circle_and_delegation"
            ),
            models.UniqueConstraint(
                fields=["invited_by", "submission_key"],
                condition=~Q(submission_key=""),
                name="circle_invitation_submitted_once",
            ),
        ]

    def __str__(self):
        return f"{self.delegation} in {self.circle}"

    @property
    def is_active(self) -> bool:
        return self.joined_at is not None and self.left_at is None

    @property
    def state(self) -> str:
        """Where the delegation stands: invited, member, declined or left."""
        if self.left_at is not None:
            return self.State.LEFT
        if self.joined_at is not None:
            return self.State.MEMBER
        if self.declined_at is not None:
            return self.State.DECLINED
        return self.State.INVITED


def _in_draft_audience(user, proposal: str = "") -> Q:
    """Whether ``user`` is among those who read a draft proposal: the members of its
    delegation and, when it is made on behalf of a circle, the members of the delegations in
    that circle now. ``proposal`` is the path to the proposal (``"proposal__"`` from its
    history)."""
    if not user.is_authenticated or user.delegation_id is None:
        return Q(pk__in=[])
    circles = Circle.objects.of_delegation(user.delegation_id).values("pk")
    return Q(**{f"{proposal}delegation_id": user.delegation_id}) | Q(
        **{f"{proposal}on_behalf_of__in": circles}
    )


def proposal_audience_members(delegation_id: int | None, state: str, circle_id: int | None):
    """The active delegates who would see a proposal of ``delegation_id`` in ``state``, made
    on behalf of ``circle_id``, as ``_in_draft_audience`` decides seen from the proposal's
    side: everyone once it is tabled (or closed); for a draft, the members of its delegation
    and of the delegations in the circle now. Whom a proposal's form offers to mention; a
    test holds it to ``Proposal.objects.visible_to``."""
    users = User.objects.filter(is_active=True)
    if state != Proposal.State.DRAFT:
        return users
    if delegation_id is None:
        return users.none()
    readers = Q(delegation_id=delegation_id)
    if circle_id:
        members = CircleMembership.objects.active().filter(circle_id=circle_id)
        readers |= Q(delegation__in=members.values("delegation_id"))
    return users.filter(readers)


class ProposalQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The proposals ``user`` may see; the only place the rule lives.

        - a draft: the members of its delegation and, when it is made on behalf of a circle,
          of every delegation in the circle now (one that left sees it no more);
        - tabled, withdrawn, accepted or rejected: every logged-in user, as in the room.

        Anonymous visitors see none.
        """
        if not user.is_authenticated:
            return self.none()
        return self.filter(~Q(state=Proposal.State.DRAFT) | _in_draft_audience(user))

    def on_document(self, document):
        return self.filter(document=document)

    def in_reading_order(self):
        """By paragraph as the document reads; on one paragraph, what changes it before the
        new paragraphs that follow it (OP3, then OP3 bis), each oldest first."""
        follows = models.Case(
            models.When(kind=Proposal.Kind.INSERT, then=models.Value(1)),
            default=models.Value(0),
        )
        return self.order_by("paragraph__order", follows, "created_at", "pk")

    def for_display(self):
        """With what a proposal is shown with: its paragraph, author, delegation (and its
        state, for the regional group), circle and the pen holder who decided it."""
        return self.select_related(
            "paragraph", "author", "delegation__state", "on_behalf_of", "decided_by"
        )


class Proposal(models.Model):
    """Proposed language on one paragraph: new wording for it, its deletion, or a new
    paragraph inserted after it."""

    class Kind(models.TextChoices):
        AMEND = "amend", "Amend"
        DELETE = "delete", "Delete"
        INSERT = "insert", "Insert after"

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        TABLED = "tabled", "Tabled"
        WITHDRAWN = "withdrawn", "Withdrawn"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="proposals")
    paragraph = models.ForeignKey(
        Paragraph,
        on_delete=models.CASCADE,
        related_name="proposals",
        help_text="The paragraph amended or deleted, or the one a new paragraph follows.",
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.TextField(blank=True, help_text="The proposed wording; empty for a deletion.")
    base_text = models.TextField(
        blank=True, help_text="The paragraph's words when the proposal was made."
    )
    reason = models.TextField(blank=True, help_text="A short justification.")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="proposals"
    )
    delegation = models.ForeignKey(Delegation, on_delete=models.PROTECT, related_name="proposals")
    on_behalf_of = models.ForeignKey(
        Circle,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals",
        help_text="The circle the proposal is made on behalf of; its draft is seen by the circle.",
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    version = models.PositiveIntegerField(
        default=1, help_text="Raised by every edit; an edit based on an older version conflicts."
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals_decided",
    )
    decision_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    tabled_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(
        null=True, blank=True, help_text="When it was withdrawn, accepted or rejected."
    )
    submission_key = models.CharField(max_length=64, blank=True, editable=False)

    objects = ProposalQuerySet.as_manager()

    # What the pen holder may still decide, and what a delegation may still take a stance on.
    OPEN_STATES = (State.DRAFT, State.TABLED)
    # Two of these accepted on one paragraph would say two different things of it.
    REWORDING_KINDS = (Kind.AMEND, Kind.DELETE)

    class Meta:
        ordering = ["paragraph__order", "created_at", "pk"]
        indexes = [
            models.Index(fields=["document", "state"]),
            models.Index(fields=["delegation", "state"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "submission_key"],
                condition=~Q(submission_key=""),
                name="proposal_submitted_once",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.paragraph} by {self.delegation}"

    def get_absolute_url(self):
        return reverse("resolutions:document_proposals", args=[self.document.slug]) + (
            f"#proposal-{self.pk}"
        )

    @property
    def display_label(self) -> str:
        """The paragraph as delegates name it; a new paragraph is "OP3 bis" until a
        revision numbers it. Needs the paragraph loaded."""
        label = self.paragraph.display_label
        return f"{label} bis" if self.kind == self.Kind.INSERT else label

    @property
    def heading(self) -> str:
        """What the proposal does, in a line: "Amend OP3", "Delete OP5", "Insert OP3 bis"."""
        verb = {self.Kind.AMEND: "Amend", self.Kind.DELETE: "Delete", self.Kind.INSERT: "Insert"}
        return f"{verb.get(self.kind, self.get_kind_display())} {self.display_label}"

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES

    def word_changes(self) -> tuple[WordChange, ...]:
        """The proposal as a tracked change against the paragraph's current words: an
        amendment word by word, a deletion as the whole paragraph struck out, a new
        paragraph as inserted words. Needs the paragraph loaded."""
        return proposal_changes(self.kind, self.paragraph.text, self.text)


class ProposalRevisionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The earlier versions ``user`` may read: of a proposal they can see, and, for a
        version written while the proposal was a draft, only if they are among those who
        read its drafts (``Proposal.objects.visible_to``): tabling a proposal shows what it
        says now, never the wording its delegation weighed before."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(proposal__in=Proposal.objects.visible_to(user).values("pk")).filter(
            ~Q(state=Proposal.State.DRAFT) | _in_draft_audience(user, "proposal__")
        )


class ProposalRevision(models.Model):
    """A proposal as it stood before an edit or a change of state."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=Proposal.Kind.choices)
    text = models.TextField(blank=True)
    reason = models.TextField(blank=True)
    state = models.CharField(max_length=10, choices=Proposal.State.choices)
    on_behalf_of = models.ForeignKey(
        Circle, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProposalRevisionQuerySet.as_manager()

    class Meta:
        ordering = ["proposal", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "version"], name="one_proposal_revision_per_version"
            )
        ]

    def __str__(self):
        return f"{self.proposal} v{self.version}"


class Stance(models.Model):
    """A delegation's position on a tabled proposal: one per delegation, changeable."""

    class Position(models.TextChoices):
        SUPPORTS = "supports", "Supports"
        CAN_ACCEPT = "can_accept", "Can accept"
        OBJECTS = "objects", "Objects"

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="stances")
    delegation = models.ForeignKey(Delegation, on_delete=models.CASCADE, related_name="stances")
    position = models.CharField(max_length=12, choices=Position.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="stances"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["proposal", "delegation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "delegation"], name="one_stance_per_delegation"
            )
        ]

    def __str__(self):
        return f"{self.delegation} {self.get_position_display().lower()} {self.proposal}"
