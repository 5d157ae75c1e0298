"""Every write that spans rows or moves ``Document.cache_version`` or
``AgendaItem.cache_version``, each in one transaction.

Views and commands call these by name (``services.annotation_create``); a write to one
row with no side effect stays a model or queryset method.
"""

from resolutions.services.accounts import password_change
from resolutions.services.agenda import (
    action_create,
    agenda_listing_record,
    milestone_create,
    milestone_update,
)
from resolutions.services.annotations import (
    EditConflict,
    annotation_create,
    annotation_delete,
    annotation_restore,
    annotation_update,
    thread_set_resolved,
)
from resolutions.services.circles import (
    CircleRefused,
    circle_create,
    circle_invitation_accept,
    circle_invitation_decline,
    circle_invite,
    circle_leave,
)
from resolutions.services.mail import (
    DigestRun,
    MailServerUnreachable,
    digests_send,
    notifications_email_at_once,
)
from resolutions.services.notifications import inbox_mark_read, notification_preferences_set
from resolutions.services.proposals import (
    NotAllowed,
    ProposalEditConflict,
    ProposalRefused,
    paragraph_status_set,
    pen_holders_set,
    proposal_create,
    proposal_decide,
    proposal_discuss,
    proposal_table,
    proposal_update,
    proposal_withdraw,
    stance_record,
)
from resolutions.services.revising import (
    IssuedRevision,
    RevisionPlan,
    RevisionRefused,
    issue_revision,
    plan_revision,
)
from resolutions.services.revisions import CarryResult, annotations_carry_forward
from resolutions.services.sponsors import SponsorListLabelTaken, sponsor_list_record

__all__ = [
    "inbox_mark_read",
    "notification_preferences_set",
    "DigestRun",
    "MailServerUnreachable",
    "digests_send",
    "notifications_email_at_once",
    "CarryResult",
    "CircleRefused",
    "EditConflict",
    "IssuedRevision",
    "RevisionPlan",
    "NotAllowed",
    "ProposalEditConflict",
    "ProposalRefused",
    "RevisionRefused",
    "SponsorListLabelTaken",
    "action_create",
    "annotations_carry_forward",
    "agenda_listing_record",
    "milestone_update",
    "annotation_create",
    "annotation_delete",
    "annotation_restore",
    "annotation_update",
    "circle_create",
    "circle_invitation_accept",
    "circle_invitation_decline",
    "circle_invite",
    "circle_leave",
    "issue_revision",
    "plan_revision",
    "milestone_create",
    "paragraph_status_set",
    "password_change",
    "pen_holders_set",
    "proposal_create",
    "proposal_decide",
    "proposal_discuss",
    "proposal_table",
    "proposal_update",
    "proposal_withdraw",
    "sponsor_list_record",
    "stance_record",
    "thread_set_resolved",
]
