"""A delegate's account page: who they are, their delegation, and the private calendar
addresses that open their delegation's actions without a password. Three queries beyond
the session and the user, whatever the number of agenda items."""

from dataclasses import dataclass

from resolutions.formats.calendar_feed import webcal_address
from resolutions.models import AgendaItem, CalendarFeed, Delegation


@dataclass
class FeedAddress:
    """The private calendar address of one agenda item."""

    agenda_item: AgendaItem
    url: str

    @property
    def webcal_url(self) -> str:
        """The same address as a calendar app opens it when clicked: ``webcal://``."""
        return webcal_address(self.url)


@dataclass
class AccountPage:
    delegation: Delegation | None
    feed: CalendarFeed | None
    addresses: list[FeedAddress]


def account_page(request) -> AccountPage:
    """The account of ``request.user``; the request makes the addresses absolute, as a
    calendar app needs them."""
    user = request.user
    feed = CalendarFeed.objects.filter(user=user).first()
    addresses = (
        [
            FeedAddress(item, request.build_absolute_uri(feed.url_for(item)))
            for item in AgendaItem.objects.all()
        ]
        if feed
        else []
    )
    return AccountPage(delegation=user.delegation, feed=feed, addresses=addresses)
