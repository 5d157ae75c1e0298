"""``{% layout_url name %}``: the address of a page that takes no arguments (the inbox, the
account, logging out), for the layout that every page renders.

Django's ``{% url %}`` resolves the name on each render, reading the active language and
the URL configuration from the request's context as it goes: under ASGI a twentieth of a
page served from the cache went on the header's four addresses. These are the same for
every request with the same script prefix, so the process keeps them per prefix."""

from functools import lru_cache

from django import template
from django.urls import get_script_prefix, reverse

register = template.Library()


@lru_cache(maxsize=64)
def _address(name: str, prefix: str) -> str:
    # ``reverse`` reads the script prefix itself; ``prefix`` is in the key for that.
    return reverse(name)


def layout_url(name: str) -> str:
    """``reverse(name)``, kept by the process for each script prefix."""
    return _address(name, get_script_prefix())


def forget_addresses() -> None:
    """Forget the addresses kept, for a test that changes the URL configuration."""
    _address.cache_clear()


register.simple_tag(layout_url, name="layout_url")
