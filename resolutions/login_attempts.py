"""How django-axes names a login attempt: the account it was for (``AXES_USERNAME_CALLABLE``)
and the address it came from (``AXES_CLIENT_IP_CALLABLE``)."""

import ipaddress

from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpRequest


def attempted_username(request, credentials: dict | None) -> str | None:
    """The username typed into the login form, cut to the longest a username can be.

    Django's login form does not refuse an over-long username; django-axes records it in a
    255-character column, which PostgreSQL enforces: a stuffed login form would answer 500
    and the attempt would not count towards the lockout. No account has a longer name, so
    the cut changes nothing else.
    """
    field = get_user_model().USERNAME_FIELD
    if credentials:
        username = credentials.get(field)
    else:
        username = getattr(request, "data", request.POST).get(field)
    if not username:
        return username
    return username[: get_user_model()._meta.get_field(field).max_length]


def client_address(request: HttpRequest) -> str | None:
    """The address a request came from, as far as it can be trusted; for IPv6, the /64
    network it belongs to (written as its first address).

    Behind ``settings.TRUSTED_PROXY_COUNT`` proxies, each proxy appends the address it was
    reached from to ``X-Forwarded-For``, so the client's address is that many entries from
    the right. Entries further left were sent by the client itself and prove nothing: reading
    them would let anyone dodge a lockout by changing them, or lock a delegate out by naming
    the delegate's address. With no proxy configured (0) the header is never read, and a
    request that did not pass through every proxy (too few entries) or whose proxy wrote
    something that is not an address is taken to come from the connection's own address.

    One IPv6 subscriber is given a whole /64 network, 18 billion billion addresses: locking
    one of them would let an attacker try five passwords from each of the others.
    """
    connection_address = request.META.get("REMOTE_ADDR")
    proxies = settings.TRUSTED_PROXY_COUNT
    address = connection_address
    if proxies:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [hop for hop in hops if hop]
        if len(hops) >= proxies:
            address = hops[-proxies]
    try:
        parsed = ipaddress.ip_address(address or "")
    except ValueError:
        return connection_address
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False).network_address)
    return str(parsed)
