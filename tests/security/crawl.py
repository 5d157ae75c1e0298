"""The crawl of every URL of the project, shared by the security tests: each route filled
with one delegation's objects (its notes, replies, actions, circles, a calendar address),
and every response's status and text, so that a test can look for canaries planted in that
work."""

import itertools
import secrets
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from resolutions.models import AgendaItem, Annotation
from tests.conftest import SEED_SLUG

# URLs whose POST ends the crawler's session; they are checked on their own below.
NOT_POSTED = {"logout"}


def project_urls():
    """(route, name, parameter names) of every named URL in the project's URL map."""

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = ":".join(filter(None, [namespace, pattern.namespace]))
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                yield prefix + str(pattern.pattern), name, list(pattern.pattern.regex.groupindex)
            else:
                # Only the admin's catch-all (which answers 404 or the login) has no name.
                assert prefix.startswith("admin/"), f"unnamed URL {prefix}{pattern.pattern}"

    return list(walk(get_resolver().url_patterns, "", ""))


@dataclass
class Delegation:
    """One delegation's people and the canaries hidden in its work."""

    key: str
    crawler: object
    colleague: object
    canaries: list[str] = field(default_factory=list)
    note_ids: list[int] = field(default_factory=list)
    proposal_ids: list[int] = field(default_factory=list)
    circle_ids: list[int] = field(default_factory=list)
    notification_ids: list[int] = field(default_factory=list)
    action_id: int = 0
    feed_id: int = 0
    token: str = ""
    tag: str = ""
    to_narrow: Annotation | None = None

    def canary(self, what: str) -> str:
        value = f"canary-{self.key}-{what}"
        self.canaries.append(value)
        return value


def parameter_values(route: str, name: str, world, victim: Delegation, own_token: str):
    """Test values for one path parameter: the victim delegation's objects wherever the URL
    names one. A URL with a parameter not listed here fails the test, so that a new URL
    cannot go unchecked."""
    if route.startswith("admin/"):
        admin_values = {
            "object_id": [str(victim.note_ids[0])],
            "id": [str(victim.crawler.pk)],
            "content_type_id": [ContentType.objects.get_for_model(Annotation).pk],
            "app_label": ["resolutions"],
        }
        return admin_values[name]
    if name == "slug":
        return (
            [AgendaItem.objects.get().slug] if route.startswith("agenda/") else world["documents"]
        )
    if name == "label":
        return ["op6"]
    if name == "pk" and route.startswith("annotations/"):
        return victim.note_ids
    if name == "pk" and route.startswith("proposals/"):
        return victim.proposal_ids
    if name == "pk" and route.startswith("circles/"):
        return victim.circle_ids
    if name == "pk" and route.startswith("inbox/"):
        # The victim's notifications, and one that does not exist.
        return [*victim.notification_ids, 0]
    if name == "pk" and "/actions/" in route:
        return [victim.action_id]
    if name == "pk" and "/milestones/" in route:
        return [world["milestone"]]
    if name == "pk" and route.startswith("accounts/calendar/"):
        # Revoking the victim's calendar address must answer 404 and leave it working.
        return [victim.feed_id]
    if name == "token":
        # A calendar address is a secret: the crawler knows its own, and guesses.
        return [token for token in (own_token, secrets.token_urlsafe(32)) if token]
    raise AssertionError(f"No test values for <{name}> in {route}: add some here.")


def query_variants(name: str, victim: Delegation) -> list[str]:
    """Query strings that filter by the victim's tag, author and delegation."""
    probes = [
        f"tag={victim.tag}",
        f"author={victim.crawler.username}",
        f"delegation={victim.crawler.delegation.name}",
        "visibility=private",
        "visibility=delegation",
        "visibility=circle",
        "visibility=public",
    ]
    return {
        "resolutions:annotation_list": probes,
        "resolutions:annotation_export_csv": probes,
        "resolutions:annotation_export_json": probes,
        # (Without a section named, a briefing has none; the endnotes come with the text.)
        "resolutions:document_briefing": [
            f"sections=text&notes=mine&notes=delegation&notes=circles&notes=public&tag={victim.tag}",
            "sections=text&notes=mine&notes=delegation&notes=circles&notes=public",
        ],
        "resolutions:document_compilation": [f"delegation={victim.crawler.delegation.name}"],
        "resolutions:document_compilation_json": [f"delegation={victim.crawler.delegation.name}"],
        "resolutions:document_compilation_docx": [f"delegation={victim.crawler.delegation.name}"],
        "resolutions:compare_text": [f"a={SEED_SLUG}&b=a-c1-76-l13rev1"],
        "resolutions:compare_text_json": [f"a={SEED_SLUG}&b=a-c1-76-l13rev1"],
        "resolutions:sponsors_compare": [f"documents={SEED_SLUG}"],
    }.get(name, [])


def body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def crawl(client: Client, world, victim: Delegation, own_token: str, *, post: bool = True):
    """Every URL, GET and (unless ``post`` is false) POST, filled with the victim's objects:
    (method, url, status, body)."""
    for route, name, parameters in project_urls():
        choices = [parameter_values(route, p, world, victim, own_token) for p in parameters]
        for values in itertools.product(*choices):
            url = reverse(name, kwargs=dict(zip(parameters, values, strict=True)))
            for query in ["", *query_variants(name, victim)]:
                full = f"{url}?{query}" if query else url
                response = client.get(full)
                yield "GET", full, response.status_code, body(response)
            if post and name not in NOT_POSTED and not name.startswith("admin:"):
                response = client.post(url, {})
                yield "POST", url, response.status_code, body(response)


def leaks(
    client,
    world,
    victim,
    forbidden: list[str],
    own_token: str = "",
    *,
    expected: tuple[str, ...] = (),
    post: bool = True,
) -> tuple:
    """Crawl as ``client``: (where a ``forbidden`` string was found, how many pages were
    read, which of the ``expected`` strings some page held). No page may answer 500."""
    found, pages = [], 0
    seen: set[str] = set()
    for method, url, status, text in crawl(client, world, victim, own_token, post=post):
        pages += 1
        assert status < 500, (method, url, status)
        # A value the crawler typed into the address may be shown back to it; that is no leak.
        found += [
            (method, url, canary) for canary in forbidden if canary in text and canary not in url
        ]
        seen.update(value for value in expected if value in text and value not in url)
    return found, pages, seen
