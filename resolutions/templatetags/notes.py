"""``{% note_html %}``: the note in the context (``note``, a ``NoteView``) with its replies,
as ``rendering.note_html`` writes it, told by the context where it stands."""

from django import template

from resolutions import rendering

register = template.Library()


@register.simple_tag(takes_context=True)
def note_html(context):
    """The note of the context (``note``) as ``rendering.note_html`` writes it, with the
    page's CSRF token and what the context says of where it stands."""
    return rendering.note_html(
        context["note"],
        csrf_token=context.get("csrf_token"),
        notes_count=context.get("notes_count"),
        in_list=bool(context.get("in_list")),
        open_thread=bool(context.get("open_thread")),
        in_proposal=bool(context.get("in_proposal")),
    )
