"""No page reveals another delegation's work: every URL of the project is requested (GET and
POST, anonymous and as members of two delegations, with its path filled with the other
delegation's objects), and no response may contain a canary planted in the other
delegation's private notes, delegation notes, tags, replies, history or actions.

Also: the login is throttled, the session key changes at login, and logout is POST-only."""

import datetime
import itertools
import secrets
from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from resolutions import services
from resolutions.models import (
    AgendaItem,
    Annotation,
    CalendarFeed,
    Document,
    FollowUpAction,
    Milestone,
    Paragraph,
)
from tests.conftest import SEED_SLUG
from tests.factories import PASSWORD, make_annotation, make_delegate, make_document

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
    action_id: int = 0
    feed_id: int = 0
    token: str = ""
    tag: str = ""

    def canary(self, what: str) -> str:
        value = f"canary-{self.key}-{what}"
        self.canaries.append(value)
        return value


def plant(key: str, state: str, *, editor: bool, revision: Document) -> Delegation:
    delegation = Delegation(
        key,
        crawler=make_delegate(f"crawler-{key}", state, editor=editor),
        colleague=make_delegate(f"colleague-{key}", state),
    )
    author, colleague = delegation.crawler, delegation.colleague
    op6 = Paragraph.objects.get(document__slug=SEED_SLUG, label="op6")
    delegation.tag = delegation.canary("tag")
    private = make_annotation(author, op6, delegation.canary("private"), visibility="private")
    shared = make_annotation(
        author, op6, delegation.canary("delegation-note"), tags=[delegation.tag, "shared-tag"]
    )
    reply = make_annotation(colleague, op6, delegation.canary("reply"), reply_to=shared)
    edited = make_annotation(author, op6, delegation.canary("history"))
    services.annotation_update(
        edited,
        editor=author,
        version=1,
        body=delegation.canary("edited"),
        visibility="delegation",
        tags=[],
        quote="",
    )
    deleted = make_annotation(author, op6, delegation.canary("deleted"))
    services.annotation_delete(deleted)
    colleague_private = make_annotation(
        colleague, op6, delegation.canary("colleague-private"), visibility="private"
    )
    # Public notes are everyone's: no canary, but the crawl must see them (not vacuous).
    make_annotation(author, op6, f"public-from-{key}", visibility="public")
    services.annotations_carry_forward(user=author, source=op6.document, target=revision)
    action = FollowUpAction.objects.create(
        agenda_item=AgendaItem.objects.get(),
        delegation=author.delegation,
        title=delegation.canary("action"),
        note=delegation.canary("action-note"),
        due_date=datetime.date(2022, 5, 31),
        owner=colleague,
        paragraph=op6,
        created_by=author,
    )
    feed = CalendarFeed.objects.reset_for(author)
    delegation.token, delegation.feed_id = feed.token, feed.pk
    delegation.note_ids = [n.pk for n in (private, shared, reply, edited, deleted)]
    delegation.note_ids.append(colleague_private.pk)
    delegation.action_id = action.pk
    return delegation


@pytest.fixture
def world(db):
    seed = Document.objects.get(slug=SEED_SLUG)
    revision = make_document(symbol="A/C.1/76/L.13/Rev.1", revision_of=seed)
    milestone = Milestone.objects.create(
        agenda_item=AgendaItem.objects.get(),
        title="Shared milestone",
        start_date=datetime.date(2022, 3, 28),
        sources="A/76/135",
    )
    return {
        "a": plant("a", "Norway", editor=True, revision=revision),
        "b": plant("b", "Nigeria", editor=False, revision=revision),
        "documents": [SEED_SLUG, revision.slug],
        "milestone": milestone.pk,
    }


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
    ]
    return {
        "resolutions:annotation_list": probes,
        "resolutions:annotation_export_csv": probes,
        "resolutions:annotation_export_json": probes,
        "resolutions:document_briefing": [
            f"notes=mine&notes=delegation&notes=public&tag={victim.tag}",
            "notes=mine&notes=delegation&notes=public",
        ],
        "resolutions:compare_text": [f"a={SEED_SLUG}&b=a-c1-76-l13rev1"],
        "resolutions:compare_text_json": [f"a={SEED_SLUG}&b=a-c1-76-l13rev1"],
        "resolutions:sponsors_compare": [f"documents={SEED_SLUG}"],
    }.get(name, [])


def body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def crawl(client: Client, world, victim: Delegation, own_token: str):
    """Every URL, GET and POST, filled with the victim's objects: (method, url, status, body)."""
    for route, name, parameters in project_urls():
        choices = [parameter_values(route, p, world, victim, own_token) for p in parameters]
        for values in itertools.product(*choices):
            url = reverse(name, kwargs=dict(zip(parameters, values, strict=True)))
            for query in ["", *query_variants(name, victim)]:
                full = f"{url}?{query}" if query else url
                response = client.get(full)
                yield "GET", full, response.status_code, body(response)
            if name not in NOT_POSTED and not name.startswith("admin:"):
                response = client.post(url, {})
                yield "POST", url, response.status_code, body(response)


def leaks(client, world, victim, forbidden: list[str], own_token: str = "") -> tuple:
    found, pages = [], 0
    seen_public = False
    for method, url, status, text in crawl(client, world, victim, own_token):
        pages += 1
        assert status < 500, (method, url, status)
        # A value the crawler typed into the address may be shown back to it; that is no leak.
        found += [
            (method, url, canary) for canary in forbidden if canary in text and canary not in url
        ]
        seen_public = seen_public or f"public-from-{victim.key}" in text
    return found, pages, seen_public


def feed_token(delegation: Delegation) -> str:
    return CalendarFeed.objects.get(user=delegation.crawler).token


def test_no_page_reveals_another_delegations_work(world):
    """One world, three crawls (they share the set-up, the slow part): each delegation's
    member against the other's objects, then an anonymous visitor."""
    for crawler, victim in (("a", "b"), ("b", "a")):
        me, them = world[crawler], world[victim]
        client = Client()
        client.force_login(me.crawler)
        # The crawl resets the crawler's own calendar address; read both as they are now.
        me.token, them.token = (feed_token(person) for person in (me, them))
        forbidden = [*them.canaries, them.token, f"canary-{crawler}-colleague-private"]
        found, pages, seen_public = leaks(client, world, them, forbidden, own_token=me.token)
        assert found == [], crawler
        assert pages > 300
        # The crawl does read notes: the other's public note, and our own shared work.
        assert seen_public
        own_page = body(client.get(f"/documents/{SEED_SLUG}/"))
        assert f"canary-{crawler}-delegation-note" in own_page
        # None of the POSTs changed the other delegation's work.
        alive = Annotation.objects.filter(pk__in=them.note_ids, deleted_at__isnull=True)
        assert alive.count() == len(them.note_ids) - 1  # all but the one they deleted
        assert FollowUpAction.objects.filter(pk=them.action_id).exists()
        assert CalendarFeed.objects.get(user=them.crawler).token == them.token

    tokens = [feed_token(world[key]) for key in ("a", "b")]
    forbidden = world["a"].canaries + world["b"].canaries + tokens
    found, pages, _ = leaks(Client(), world, world["b"], forbidden)
    assert found == [], "anonymous"
    assert pages > 300


# Sessions and logins ------------------------------------------------------------------------


def test_the_session_key_changes_at_login(client, db):
    make_delegate("lars")
    planted = client.session  # a session an attacker could have planted before login
    planted["planted"] = True
    planted.save()
    before = planted.session_key
    response = client.post("/accounts/login/", {"username": "lars", "password": PASSWORD})
    assert response.status_code == 302
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before
    # The planted key no longer opens anything.
    attacker = Client()
    attacker.cookies[settings.SESSION_COOKIE_NAME] = before
    assert not attacker.get("/").context["user"].is_authenticated


def test_logout_is_post_only_and_ends_the_session_for_good(client, db):
    make_delegate("lars")
    client.post("/accounts/login/", {"username": "lars", "password": PASSWORD})
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.get("/accounts/logout/").status_code == 405
    assert client.get("/").context["user"].is_authenticated  # a GET (a link, an image) did nothing
    client.post("/accounts/logout/")
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = key
    assert not replay.get("/").context["user"].is_authenticated


def test_brute_force_is_locked_out_even_with_the_right_password(db):
    make_delegate("lars")
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    statuses = [
        attacker.post("/accounts/login/", {"username": "lars", "password": f"guess{n}"}).status_code
        for n in range(5)
    ]
    assert statuses == [200, 200, 200, 200, 429]
    locked = attacker.post("/accounts/login/", {"username": "lars", "password": PASSWORD})
    assert locked.status_code == 429
    assert settings.SESSION_COOKIE_NAME not in locked.cookies
    # The lock is on the account from that address: the delegate elsewhere still gets in.
    delegate = Client(REMOTE_ADDR="198.51.100.7")
    assert (
        delegate.post("/accounts/login/", {"username": "lars", "password": PASSWORD}).status_code
        == 302
    )


def test_a_stuffed_login_form_is_refused_and_counted_towards_the_lockout(db):
    """Django's login form takes a username of any length; the lockout must still count it
    (on PostgreSQL an unchecked 100,000-character name used to fail the attempt's record)."""
    stuffed = {"username": "x" * 100_000, "password": "guess"}
    attacker = Client(REMOTE_ADDR="203.0.113.10")
    statuses = [attacker.post("/accounts/login/", stuffed).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
