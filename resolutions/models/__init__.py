"""The resolution as data: one module per concern."""

from .accounts import Delegation, User
from .agenda import AgendaItem, AgendaListing
from .annotations import Annotation, AnnotationRevision, Tag
from .documents import Citation, Document, Footnote, Paragraph, SponsorList, Sponsorship
from .follow_up import CalendarFeed, FollowUp, FollowUpAction, Milestone, TimelineEntry
from .states import MemberState, RegionalGroup

__all__ = [
    "Annotation",
    "AnnotationRevision",
    "Tag",
    "AgendaItem",
    "AgendaListing",
    "CalendarFeed",
    "Citation",
    "Delegation",
    "Document",
    "FollowUp",
    "FollowUpAction",
    "Footnote",
    "MemberState",
    "Milestone",
    "Paragraph",
    "RegionalGroup",
    "SponsorList",
    "Sponsorship",
    "TimelineEntry",
    "User",
]
