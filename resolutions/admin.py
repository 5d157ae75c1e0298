from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from resolutions.models import (
    AgendaItem,
    AgendaListing,
    Annotation,
    AnnotationRevision,
    Circle,
    CircleMembership,
    Citation,
    Delegation,
    Document,
    FollowUp,
    FollowUpAction,
    Footnote,
    MemberState,
    Milestone,
    Paragraph,
    SponsorList,
    Sponsorship,
    Tag,
    TimelineEntry,
    User,
)


class RefreshesTrackers:
    """The tracker caches what it shows every reader (sessions, history, milestones,
    follow-ups) under the agenda item's cache version. Edits made here move every item's
    version on, so no tracker is read stale; every item, for the same reasons as below."""

    def refresh(self) -> None:
        AgendaItem.objects.mark_changed()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        self.refresh()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        self.refresh()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        self.refresh()


class RefreshesReadingPages(RefreshesTrackers):
    """The reading page caches each document as rendered for each reader under the
    document's cache version. Edits made here to anything it shows (text, footnotes,
    citations, sponsors, follow-ups, agenda titles, notes, tags, names) move every
    document's version on, so nothing stale is read. Every document, deliberately: a tag, a
    delegation's or a delegate's name can appear on any of them, admin edits are rare, and
    the cost is each page rendered once more. The trackers show documents too (their
    symbols, dates and adoption), so their versions move on as well. Only the notes' own
    admin counts the notes again (``counts_notes``): nothing else here changes a note or
    who may read one."""

    counts_notes = False

    def refresh(self) -> None:
        Document.objects.mark_changed(notes=self.counts_notes)
        super().refresh()


@admin.register(MemberState)
class MemberStateAdmin(RefreshesReadingPages, admin.ModelAdmin):
    """A state's name, regional group and region show on every sponsor list, and the
    sponsors page, its twins and the exports are cached under the documents' versions."""

    list_display = ["name", "iso3", "regional_group", "group_observer", "m49_region"]
    list_filter = ["regional_group", "m49_region", "group_observer"]
    search_fields = ["name", "iso3", "iso2", "aliases"]


class ParagraphInline(admin.TabularInline):
    model = Paragraph
    fields = ["order", "label", "part", "number", "parent", "lead", "text"]
    extra = 0
    show_change_link = True


class SponsorListInline(admin.TabularInline):
    model = SponsorList
    extra = 0
    show_change_link = True


@admin.register(Document)
class DocumentAdmin(RefreshesReadingPages, admin.ModelAdmin):
    list_display = ["symbol", "kind", "date", "session", "committee"]
    list_filter = ["kind", "session", "committee"]
    search_fields = ["symbol", "title"]
    readonly_fields = ["slug"]
    inlines = [SponsorListInline, ParagraphInline]


class CitationInline(admin.TabularInline):
    model = Citation
    extra = 0


@admin.register(Paragraph)
class ParagraphAdmin(RefreshesReadingPages, admin.ModelAdmin):
    list_display = ["__str__", "part", "order"]
    list_filter = ["document", "part"]
    search_fields = ["text", "label"]
    inlines = [CitationInline]


@admin.register(Footnote)
class FootnoteAdmin(RefreshesReadingPages, admin.ModelAdmin):
    list_display = ["__str__", "paragraph", "text"]
    list_filter = ["document"]


@admin.register(Citation)
class CitationAdmin(RefreshesReadingPages, admin.ModelAdmin):
    list_display = ["symbol", "kind", "paragraph", "footnote"]
    list_filter = ["kind", "paragraph__document"]
    search_fields = ["symbol", "text"]


class SponsorshipInline(admin.TabularInline):
    model = Sponsorship
    extra = 0
    autocomplete_fields = ["state"]


@admin.register(SponsorList)
class SponsorListAdmin(RefreshesReadingPages, admin.ModelAdmin):
    list_display = ["__str__", "as_of", "source"]
    inlines = [SponsorshipInline]


class AgendaListingInline(admin.TabularInline):
    model = AgendaListing
    extra = 0


@admin.register(AgendaItem)
class AgendaItemAdmin(RefreshesReadingPages, admin.ModelAdmin):
    list_display = ["title", "slug"]
    inlines = [AgendaListingInline]


@admin.register(Delegation)
class DelegationAdmin(RefreshesReadingPages, admin.ModelAdmin):
    list_display = ["name", "state"]
    search_fields = ["name"]
    autocomplete_fields = ["state"]


@admin.register(User)
class DelegateAdmin(RefreshesReadingPages, UserAdmin):
    list_display = ["username", "delegation", "is_staff", "is_active"]
    list_filter = ["delegation", "groups", "is_staff"]
    fieldsets = [
        *UserAdmin.fieldsets,
        ("Delegation", {"fields": ["delegation"]}),
    ]


class AnnotationRevisionInline(admin.TabularInline):
    model = AnnotationRevision
    extra = 0
    readonly_fields = [
        "version",
        "body",
        "quote",
        "tags",
        "visibility",
        "shown_to",
        "edited_by",
        "created_at",
    ]
    can_delete = False


@admin.register(Annotation)
class AnnotationAdmin(RefreshesReadingPages, admin.ModelAdmin):
    counts_notes = True  # an edit here may change a note's audience, or delete it
    list_display = ["__str__", "author", "delegation", "visibility", "created_at", "deleted_at"]
    list_filter = ["visibility", "delegation", "resolved"]
    raw_id_fields = ["paragraph", "reply_to", "author"]
    inlines = [AnnotationRevisionInline]


@admin.register(Tag)
class TagAdmin(RefreshesReadingPages, admin.ModelAdmin):
    search_fields = ["name"]


# The follow-up tracker


@admin.register(TimelineEntry)
class TimelineEntryAdmin(RefreshesTrackers, admin.ModelAdmin):
    list_display = ["text", "kind", "date", "stage", "reported", "agenda_item"]
    list_filter = ["stage", "kind", "agenda_item"]
    raw_id_fields = ["source_paragraph"]


@admin.register(Milestone)
class MilestoneAdmin(RefreshesTrackers, admin.ModelAdmin):
    list_display = ["title", "start_date", "end_date", "agenda_item", "updated_by"]
    list_filter = ["agenda_item"]
    readonly_fields = ["updated_by", "updated_at"]


@admin.register(FollowUp)
class FollowUpAdmin(RefreshesReadingPages, admin.ModelAdmin):
    list_display = ["title", "paragraph", "agenda_item", "order"]
    raw_id_fields = ["paragraph"]


@admin.register(FollowUpAction)
class FollowUpActionAdmin(admin.ModelAdmin):
    list_display = ["title", "delegation", "due_date", "status", "owner"]
    list_filter = ["status", "delegation", "agenda_item"]
    raw_id_fields = ["owner", "paragraph", "created_by"]


class CircleMembershipInline(admin.TabularInline):
    model = CircleMembership
    fk_name = "circle"
    fields = ["delegation", "invited_by", "invited_at", "joined_at", "declined_at", "left_at"]
    readonly_fields = ["invited_at"]
    autocomplete_fields = ["delegation"]
    extra = 0


@admin.register(Circle)
class CircleAdmin(RefreshesReadingPages, admin.ModelAdmin):
    """Who is in a circle decides who reads its notes: a change here moves every document's
    cache version on, as the circle services do."""

    list_display = ["name", "created_by", "created_at"]
    search_fields = ["name"]
    inlines = [CircleMembershipInline]
