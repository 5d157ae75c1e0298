"""Who can be mentioned: of the people who could read a text (a note, a reply, a proposal),
those whose username starts with what was typed after an @, as a few buttons under the text
or as a page of their own."""

from django.db.models import QuerySet

# Whom the suggestions under a text offer at once; the page lists everyone (up to LISTED).
SUGGESTED = 8
LISTED = 500


def mention_choices(readers: QuerySet, user, typed: str, *, suggestions: bool) -> dict:
    """What a "who can be mentioned" page or its suggestions show: ``readers`` but ``user``
    (nobody mentions themselves) whose username starts with ``typed`` (an @ before it is
    read past), by username, with their delegations; the first ``SUGGESTED`` as buttons
    that write the name in when ``suggestions``, else up to ``LISTED`` to read."""
    start = typed.strip().lstrip("@")
    people = (
        readers.exclude(pk=user.pk)
        .filter(username__istartswith=start)
        .select_related("delegation")
        .order_by("username")
    )
    return {
        "people": people[:SUGGESTED] if suggestions else people[:LISTED],
        "q": start,
        # Under the text, a button writes the name in; on the page, it is read.
        "choosable": suggestions,
    }
