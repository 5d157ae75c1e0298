from django.urls import path

from resolutions.views import (
    accounts,
    agenda,
    annotations,
    briefing,
    circles,
    compare,
    compilation,
    documents,
    events,
    exports,
    importing,
    inbox,
    proposals,
    revising,
    search,
    sponsors,
)

app_name = "resolutions"

urlpatterns = [
    path("", documents.home, name="home"),
    path("accounts/", accounts.account, name="account"),
    path(
        "accounts/notifications/",
        accounts.notification_preferences,
        name="notification_preferences",
    ),
    path(
        "accounts/calendar/<int:pk>/revoke/",
        accounts.calendar_feed_revoke,
        name="calendar_feed_revoke",
    ),
    path("documents/<slug:slug>/", documents.document_detail_view, name="document_detail"),
    path("documents/<slug:slug>/go/", documents.document_go_to, name="document_go_to"),
    path(
        "documents/<slug:slug>/paragraphs/<slug:label>/",
        documents.paragraph_detail,
        name="paragraph_detail",
    ),
    path(
        "documents/<slug:slug>.akn.xml", importing.document_export_akn, name="document_export_akn"
    ),
    path("documents/<slug:slug>.json", importing.document_export_json, name="document_export_json"),
    path(
        "documents/<slug:slug>/annotations/carry-forward/",
        compare.annotations_carry_forward,
        name="annotations_carry_forward",
    ),
    path("documents/<slug:slug>/revise/", revising.document_revise, name="document_revise"),
    path("import/", importing.document_import, name="document_import"),
    path("search/", search.search, name="search"),
    path("compare/text/", compare.compare_text, name="compare_text"),
    path("compare/text.json", compare.compare_text_json, name="compare_text_json"),
    path("documents/<slug:slug>/briefing/", briefing.document_briefing, name="document_briefing"),
    path(
        "documents/<slug:slug>/compilation/",
        compilation.document_compilation,
        name="document_compilation",
    ),
    path(
        "documents/<slug:slug>/compilation.json",
        compilation.document_compilation_json,
        name="document_compilation_json",
    ),
    path(
        "documents/<slug:slug>/compilation.docx",
        compilation.document_compilation_docx,
        name="document_compilation_docx",
    ),
    path("documents/<slug:slug>/sponsors/", sponsors.sponsor_list, name="sponsor_list"),
    path(
        "documents/<slug:slug>/sponsors.json", sponsors.sponsor_list_json, name="sponsor_list_json"
    ),
    path("documents/<slug:slug>/sponsors.csv", sponsors.sponsor_list_csv, name="sponsor_list_csv"),
    path(
        "documents/<slug:slug>/sponsors/lists/new/",
        sponsors.sponsor_list_create,
        name="sponsor_list_create",
    ),
    path("compare/sponsors/", sponsors.sponsors_compare, name="sponsors_compare"),
    path("compare/sponsors.json", sponsors.sponsors_compare_json, name="sponsors_compare_json"),
    path(
        "documents/<slug:slug>/paragraphs/<slug:label>/annotations/",
        annotations.annotation_create,
        name="annotation_create",
    ),
    path(
        "documents/<slug:slug>/paragraphs/<slug:label>/mentionable/",
        annotations.mentionable,
        name="mentionable",
    ),
    path("documents/<slug:slug>/annotations/", annotations.annotation_list, name="annotation_list"),
    path(
        "documents/<slug:slug>/annotations.csv",
        annotations.annotation_export_csv,
        name="annotation_export_csv",
    ),
    path(
        "documents/<slug:slug>/annotations.json",
        annotations.annotation_export_json,
        name="annotation_export_json",
    ),
    path("annotations/<int:pk>/", annotations.annotation_detail, name="annotation_detail"),
    path("annotations/<int:pk>/edit/", annotations.annotation_edit, name="annotation_edit"),
    path("annotations/<int:pk>/delete/", annotations.annotation_delete, name="annotation_delete"),
    path(
        "annotations/<int:pk>/deleted/", annotations.annotation_deleted, name="annotation_deleted"
    ),
    path(
        "annotations/<int:pk>/restore/", annotations.annotation_restore, name="annotation_restore"
    ),
    path("annotations/<int:pk>/replies/", annotations.annotation_reply, name="annotation_reply"),
    path(
        "annotations/<int:pk>/mentionable/",
        annotations.note_mentionable,
        name="note_mentionable",
    ),
    path(
        "annotations/<int:pk>/resolve/", annotations.annotation_resolve, name="annotation_resolve"
    ),
    path(
        "annotations/<int:pk>/history/", annotations.annotation_history, name="annotation_history"
    ),
    path(
        "documents/<slug:slug>/paragraphs/<slug:label>/proposals/",
        proposals.proposal_create,
        name="proposal_create",
    ),
    path(
        "documents/<slug:slug>/paragraphs/<slug:label>/proposals/mentionable/",
        proposals.new_proposal_mentionable,
        name="new_proposal_mentionable",
    ),
    path(
        "documents/<slug:slug>/proposals/",
        proposals.document_proposals,
        name="document_proposals",
    ),
    path(
        "documents/<slug:slug>/proposals.json",
        proposals.document_proposals_json,
        name="document_proposals_json",
    ),
    path(
        "documents/<slug:slug>/paragraph-status/",
        proposals.paragraph_status,
        name="paragraph_status",
    ),
    path("documents/<slug:slug>/pen-holders/", proposals.pen_holders, name="pen_holders"),
    path("proposals/<int:pk>/actions/", proposals.proposal_action, name="proposal_action"),
    path("proposals/<int:pk>/edit/", proposals.proposal_edit, name="proposal_edit"),
    path("proposals/<int:pk>/discussion/", proposals.proposal_discuss, name="proposal_discuss"),
    path(
        "proposals/<int:pk>/mentionable/",
        proposals.proposal_mentionable,
        name="proposal_mentionable",
    ),
    path("agenda/", agenda.agenda_item_list, name="agenda_item_list"),
    path("agenda/<slug:slug>/", agenda.agenda_item_detail, name="agenda_item_detail"),
    path("agenda/<slug:slug>/actions/", agenda.action_create, name="action_create"),
    path("agenda/<slug:slug>/actions/<int:pk>/edit/", agenda.action_edit, name="action_edit"),
    path("agenda/<slug:slug>/actions/<int:pk>/status/", agenda.action_status, name="action_status"),
    path("agenda/<slug:slug>/actions/<int:pk>/delete/", agenda.action_delete, name="action_delete"),
    path("agenda/<slug:slug>/milestones/", agenda.milestone_create, name="milestone_create"),
    path("agenda/<slug:slug>/sessions/", agenda.listing_save, name="listing_save"),
    path(
        "agenda/<slug:slug>/milestones/<int:pk>/edit/",
        agenda.milestone_edit,
        name="milestone_edit",
    ),
    path("agenda/<slug:slug>/calendar.ics", agenda.agenda_calendar, name="agenda_calendar"),
    path(
        "agenda/<slug:slug>/calendar/<slug:token>.ics",
        agenda.agenda_calendar_feed,
        name="agenda_calendar_feed",
    ),
    path(
        "agenda/<slug:slug>/calendar/address/",
        agenda.calendar_feed_reset,
        name="calendar_feed_reset",
    ),
    path("circles/", circles.circle_list, name="circle_list"),
    path("circles/<int:pk>/", circles.circle_detail, name="circle_detail"),
    path("circles/<int:pk>/invitations/", circles.circle_invite, name="circle_invite"),
    path("circles/<int:pk>/accept/", circles.circle_accept, name="circle_accept"),
    path("circles/<int:pk>/decline/", circles.circle_decline, name="circle_decline"),
    path("circles/<int:pk>/leave/", circles.circle_leave, name="circle_leave"),
    path("events/", events.events, name="events"),
    path("inbox/", inbox.inbox, name="inbox"),
    path("inbox.json", inbox.inbox_json, name="inbox_json"),
    path("inbox/link/", inbox.inbox_link, name="inbox_link"),
    path("inbox/read/", inbox.inbox_mark_all_read, name="inbox_mark_all_read"),
    path("inbox/<int:pk>/", inbox.inbox_open, name="inbox_open"),
    path("inbox/<int:pk>/read/", inbox.inbox_mark_read, name="inbox_mark_read"),
    path("exports/", exports.exports, name="exports"),
    path("exports/notes.csv", exports.exports_notes_csv, name="exports_notes_csv"),
    path("exports/notes.jsonld", exports.exports_notes_json, name="exports_notes_json"),
    path("exports/actions.csv", exports.exports_actions_csv, name="exports_actions_csv"),
    path("exports/actions.json", exports.exports_actions_json, name="exports_actions_json"),
]
