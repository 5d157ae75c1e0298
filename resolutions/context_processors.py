"""What every page's header needs: the logged-in delegate's unread count."""

from resolutions.pages.inbox import InboxCount


def inbox(request) -> dict:
    """``inbox.unread``, counted in one query when (and only when) the header shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"inbox": InboxCount(user)}
