"""No page reveals another delegation's work: every URL of the project is requested (GET and
POST, anonymous and as members of two delegations, with its path filled with the other
delegation's objects), and no response may contain a canary planted in the other
delegation's private notes, delegation notes, tags, replies, history, actions or circle
(its name, its notes, their replies and history: each delegation was in the other's circle
and left it), nor in its draft proposals (its own, its circle's, one for a circle the
crawler's delegation has left) and the words a proposal had before it was tabled; also once
notes have been made public (their earlier versions and others' replies stay with the
audience they were written for) or private (others' replies stay with their authors).

Also: the login is throttled, the session key changes at login, and logout is POST-only."""

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from resolutions import services
from resolutions.models import (
    AgendaItem,
    Annotation,
    CalendarFeed,
    Circle,
    CircleMembership,
    Document,
    FollowUpAction,
    Milestone,
    Paragraph,
    Proposal,
)
from tests.conftest import SEED_SLUG
from tests.factories import (
    PASSWORD,
    make_annotation,
    make_circle,
    make_delegate,
    make_document,
    make_proposal,
)
from tests.security.crawl import Delegation, body, leaks


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
    # Audiences that changed. A private note made public: its first version and tags stay
    # the author's. A delegation note made public: its first version and the colleague's
    # reply stay the delegation's.
    widened_private = make_annotation(
        author,
        op6,
        delegation.canary("private-v1"),
        visibility="private",
        tags=[delegation.canary("private-v1-tag")],
    )
    widen(widened_private, f"public-widened-from-{key}")
    widened_shared = make_annotation(
        author, op6, delegation.canary("delegation-v1"), tags=[delegation.canary("v1-tag")]
    )
    reply_before_widening = make_annotation(
        colleague, op6, delegation.canary("widened-thread-reply"), reply_to=widened_shared
    )
    widen(widened_shared, f"public-widened-shared-from-{key}")
    services.annotations_carry_forward(user=author, source=op6.document, target=revision)
    # A public note that is made private once the other delegation has replied (see
    # ``narrow_after_replies``): the colleague's reply then stays with the delegation. (Made
    # after the notes were carried to the revision, where a copy would have stayed public.)
    delegation.to_narrow = make_annotation(
        author, op6, f"public-soon-private-from-{key}", visibility="public"
    )
    reply_in_narrowed = make_annotation(
        colleague, op6, delegation.canary("narrowed-thread-reply"), reply_to=delegation.to_narrow
    )
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
    circle = services.circle_create(creator=author, name=delegation.canary("circle-name"))
    in_circle = {"visibility": "circle", "circle": circle}
    circle_note = make_annotation(
        author,
        op6,
        delegation.canary("circle-note"),
        tags=[delegation.canary("circle-tag")],
        **in_circle,
    )
    circle_reply = make_annotation(
        colleague, op6, delegation.canary("circle-reply"), reply_to=circle_note
    )
    circle_edited = make_annotation(author, op6, delegation.canary("circle-history"), **in_circle)
    services.annotation_update(
        circle_edited,
        editor=author,
        version=1,
        body=delegation.canary("circle-edited"),
        tags=[],
        quote="",
        **in_circle,
    )
    delegation.circle_ids = [circle.pk]
    feed = CalendarFeed.objects.reset_for(author)
    delegation.token, delegation.feed_id = feed.token, feed.pk
    delegation.note_ids = [n.pk for n in (private, shared, reply, edited, deleted)]
    delegation.note_ids += [colleague_private.pk, circle_note.pk, circle_reply.pk, circle_edited.pk]
    delegation.note_ids += [
        note.pk
        for note in (
            widened_private,
            widened_shared,
            reply_before_widening,
            delegation.to_narrow,
            reply_in_narrowed,
        )
    ]
    delegation.action_id = action.pk
    plant_proposals(delegation, revision)
    return delegation


def plant_proposals(delegation: Delegation, revision: Document) -> None:
    """The delegation's drafts (its own, and one on behalf of its circle), and a proposal
    drafted with other words than those it was tabled with: the drafts and the earlier
    words are the delegation's. Proposals are made on the revision (the seed is superseded
    by it); one draft was left on the seed from before."""
    author, colleague = delegation.crawler, delegation.colleague
    op1 = Paragraph.objects.get(document=revision, label="op1")
    draft = make_proposal(
        author,
        op1,
        delegation.canary("proposal-draft"),
        kind="insert",
        state="draft",
        reason=delegation.canary("proposal-draft-reason"),
    )
    circle = make_circle(delegation.canary("circle"), author, author.delegation)
    for_circle = make_proposal(
        colleague,
        op1,
        delegation.canary("circle-draft"),
        kind="insert",
        state="draft",
        on_behalf_of=circle,
    )
    redrafted = make_proposal(
        author,
        op1,
        delegation.canary("proposal-v1"),
        kind="insert",
        state="draft",
        reason=delegation.canary("proposal-v1-reason"),
    )
    services.proposal_update(
        redrafted,
        editor=colleague,
        version=1,
        kind="insert",
        text=f"tabled-proposal-from-{delegation.key}",
        reason="Tabled reason",
        state="tabled",
    )
    seed_op6 = Paragraph.objects.get(document__slug=SEED_SLUG, label="op6")
    left_on_the_seed = Proposal.objects.create(
        document=seed_op6.document,
        paragraph=seed_op6,
        kind="amend",
        text=delegation.canary("draft-on-the-seed"),
        author=author,
        delegation=author.delegation,
    )
    delegation.proposal_ids = [p.pk for p in (draft, for_circle, redrafted, left_on_the_seed)]


def circle_left_behind(owner: Delegation, other: Delegation, revision: Document) -> int:
    """A circle of both delegations, which ``other`` has left, and a draft made on its
    behalf by ``owner`` since: leaving ends ``other``'s access at once."""
    circle = make_circle(
        f"circle-of-{owner.key}-and-{other.key}",
        owner.crawler,
        owner.crawler.delegation,
        other.crawler.delegation,
    )
    CircleMembership.objects.filter(circle=circle, delegation=other.crawler.delegation).update(
        left_at=timezone.now()
    )
    op2 = Paragraph.objects.get(document=revision, label="op2")
    draft = make_proposal(
        owner.crawler,
        op2,
        owner.canary("draft-for-a-circle-left"),
        kind="insert",
        state="draft",
        on_behalf_of=circle,
    )
    owner.proposal_ids.append(draft.pk)
    return draft.pk


def widen(note: Annotation, body: str) -> None:
    """The author makes the note public, without showing its earlier versions."""
    services.annotation_update(
        note,
        editor=note.author,
        version=note.version,
        body=body,
        visibility="public",
        tags=["widened"],
        quote="",
    )


def narrow_after_replies(delegation: Delegation, other: Delegation) -> str:
    """The other delegation replies to the delegation's public note, which its author then
    makes private: the other's reply stays theirs (its text is returned), the note's new
    text is the delegation's alone."""
    own_reply = f"reply-of-{other.key}-in-a-thread-{delegation.key}-narrowed"
    note = delegation.to_narrow
    make_annotation(other.crawler, note.paragraph, own_reply, reply_to=note)
    services.annotation_update(
        note,
        editor=note.author,
        version=note.version,
        body=delegation.canary("narrowed"),
        visibility="private",
        tags=[delegation.canary("narrowed-tag")],
        quote="",
    )
    return own_reply


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
    a = plant("a", "Norway", editor=True, revision=revision)
    b = plant("b", "Nigeria", editor=False, revision=revision)
    circle_left_behind(a, b, revision)
    circle_left_behind(b, a, revision)
    # Each delegation was in the other's circle, and left it.
    for member, other in ((a, b), (b, a)):
        circle = Circle.objects.get(pk=other.circle_ids[0])
        services.circle_invite(
            circle=circle, inviter=other.crawler, delegation_name=member.crawler.delegation.name
        )
        services.circle_invitation_accept(user=member.colleague, circle=circle)
        services.circle_leave(user=member.colleague, circle=circle)
    return {
        "a": a,
        "b": b,
        "documents": [SEED_SLUG, revision.slug],
        "milestone": milestone.pk,
        # Each delegation's own reply in the other's thread that was narrowed since.
        "replies in narrowed threads": {
            "a": narrow_after_replies(b, a),
            "b": narrow_after_replies(a, b),
        },
    }


def memberships(delegation: Delegation) -> dict[str, str]:
    """Where each delegation stands in ``delegation``'s circle."""
    rows = CircleMembership.objects.filter(circle_id__in=delegation.circle_ids)
    return {row.delegation.name: row.state for row in rows.select_related("delegation")}


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
        # The crawl does read notes: the other's public notes (two of them widened since),
        # and our own reply in the thread they narrowed.
        expected = (
            f"public-from-{victim}",
            f"public-widened-from-{victim}",
            f"public-widened-shared-from-{victim}",
            world["replies in narrowed threads"][crawler],
            f"tabled-proposal-from-{victim}",
        )
        found, pages, seen = leaks(
            client, world, them, forbidden, own_token=me.token, expected=expected
        )
        assert found == [], (crawler, found)
        assert pages > 300
        assert seen == set(expected)
        # (The notes list: the reading page's margin holds the newest five threads only.)
        own_page = body(client.get(f"/documents/{SEED_SLUG}/annotations/"))
        assert f"canary-{crawler}-delegation-note" in own_page
        # None of the POSTs changed the other delegation's work.
        alive = Annotation.objects.filter(pk__in=them.note_ids, deleted_at__isnull=True)
        assert alive.count() == len(them.note_ids) - 1  # all but the one they deleted
        assert FollowUpAction.objects.filter(pk=them.action_id).exists()
        assert sorted(
            Proposal.objects.filter(pk__in=them.proposal_ids).values_list("state", flat=True)
        ) == ["draft"] * 4 + ["tabled"]
        # Nor the memberships of its circle: ours is still one that left.
        assert memberships(them) == {
            them.crawler.delegation.name: "member",
            me.crawler.delegation.name: "left",
        }
        assert CalendarFeed.objects.get(user=them.crawler).token == them.token

    tokens = [feed_token(world[key]) for key in ("a", "b")]
    forbidden = world["a"].canaries + world["b"].canaries + tokens
    forbidden += world["replies in narrowed threads"].values()
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
