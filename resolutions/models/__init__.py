"""The resolution as data: one module per concern."""

from resolutions.models.accounts import Delegation, User
from resolutions.models.agenda import AgendaItem, AgendaListing
from resolutions.models.annotations import (
    AUDIENCES,
    Annotation,
    AnnotationRevision,
    NoteListTally,
    NoteState,
    NoteTally,
    Tag,
    is_wider,
)
from resolutions.models.documents import (
    Citation,
    Document,
    Footnote,
    Paragraph,
    SponsorList,
    Sponsorship,
)
from resolutions.models.follow_up import (
    CalendarFeed,
    FollowUp,
    FollowUpAction,
    Milestone,
    TimelineEntry,
)
from resolutions.models.live import LiveEvent
from resolutions.models.negotiation import (
    Circle,
    CircleMembership,
    Proposal,
    ProposalRevision,
    Stance,
)
from resolutions.models.notifications import (
    DEFAULT_DELIVERY,
    TOLD_OF,
    Delivery,
    Digest,
    Notification,
    NotificationPreference,
)
from resolutions.models.states import MemberState, RegionalGroup

__all__ = [
    "AUDIENCES",
    "Annotation",
    "AnnotationRevision",
    "NoteState",
    "NoteListTally",
    "NoteTally",
    "Tag",
    "AgendaItem",
    "AgendaListing",
    "CalendarFeed",
    "Circle",
    "CircleMembership",
    "Citation",
    "Delegation",
    "Document",
    "FollowUp",
    "FollowUpAction",
    "LiveEvent",
    "Footnote",
    "MemberState",
    "DEFAULT_DELIVERY",
    "Delivery",
    "Digest",
    "Notification",
    "NotificationPreference",
    "TOLD_OF",
    "Milestone",
    "Paragraph",
    "Proposal",
    "ProposalRevision",
    "RegionalGroup",
    "SponsorList",
    "Sponsorship",
    "Stance",
    "TimelineEntry",
    "User",
    "is_wider",
]
