"""The resolution as data: one module per concern."""

from .accounts import Delegation, User
from .agenda import AgendaItem, AgendaListing
from .annotations import Annotation, AnnotationRevision, Tag
from .documents import Citation, Document, Footnote, Paragraph, SponsorList, Sponsorship
from .states import MemberState, RegionalGroup

__all__ = [
    "Annotation",
    "AnnotationRevision",
    "Tag",
    "AgendaItem",
    "AgendaListing",
    "Citation",
    "Delegation",
    "Document",
    "Footnote",
    "MemberState",
    "Paragraph",
    "RegionalGroup",
    "SponsorList",
    "Sponsorship",
    "User",
]
