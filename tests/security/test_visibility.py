"""Who sees what: author / same delegation / a delegation in the author's circle / one in
another of the author's circles / one only invited to the circle / one that left it /
another delegation / anonymous, against private / delegation / circle / public notes, on
every page and export that shows notes; and what happens when a note's audience changes
(private → public, delegation → public, public → private, and to, from and between
circles), with their earlier versions and the replies written before."""

import datetime
import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from resolutions import live, services
from resolutions.models import (
    AgendaItem,
    Annotation,
    AnnotationRevision,
    Document,
    FollowUpAction,
    LiveEvent,
    Milestone,
    Notification,
    Paragraph,
    Proposal,
)
from resolutions.models.annotations import audience_members, note_readers
from resolutions.models.negotiation import proposal_audience_members
from resolutions.services import events
from tests.conftest import SEED_SLUG
from tests.factories import make_annotation, make_delegate
from tests.security.crawl import Delegation, leaks

T, F = True, False
EXPECTED = {
    # audience: (author, colleague, member, core member, invited, left, outsider, anonymous)
    "private": (T, F, F, F, F, F, F, F),
    "delegation": (T, T, F, F, F, F, F, F),
    "circle": (T, T, T, F, F, F, F, F),  # the Nordic group: Norway and Sweden
    "core-circle": (T, T, F, T, F, F, F, F),  # the core group: Norway and Japan
    "public": (T, T, T, T, T, T, T, F),
}
VIEWERS = [
    "author",  # Norway, in both circles
    "colleague",  # Norway
    "member",  # Sweden, in the Nordic group
    "core-member",  # Japan, in the core group
    "invited",  # Denmark, invited to the Nordic group, not (yet) in it
    "left",  # Finland, in the Nordic group until it left
    "outsider",  # Nigeria
    "anonymous",
]
CIRCLE_NAMES = {"circle": "canary-name-nordic", "core-circle": "canary-name-core"}


@pytest.fixture
def people(db):
    return {
        "author": make_delegate("author", "Norway"),
        "colleague": make_delegate("colleague", "Norway"),
        "member": make_delegate("member", "Sweden"),
        "core-member": make_delegate("core-member", "Japan"),
        "invited": make_delegate("invited", "Denmark"),
        "left": make_delegate("left", "Finland"),
        "outsider": make_delegate("outsider", "Nigeria"),
        "anonymous": None,
    }


def join(circle, person) -> None:
    services.circle_invite(
        circle=circle, inviter=circle.created_by, delegation_name=person.delegation.name
    )
    services.circle_invitation_accept(user=person, circle=circle)


@pytest.fixture
def circles(people):
    """The author's two circles, as the table above says; Finland was in the Nordic group
    and left it."""
    author = people["author"]
    nordic = services.circle_create(creator=author, name=CIRCLE_NAMES["circle"])
    core = services.circle_create(creator=author, name=CIRCLE_NAMES["core-circle"])
    join(nordic, people["member"])
    join(nordic, people["left"])
    services.circle_leave(user=people["left"], circle=nordic)
    services.circle_invite(circle=nordic, inviter=author, delegation_name="Denmark")
    join(core, people["core-member"])
    return {"circle": nordic, "core-circle": core}


def audience(name: str, circles) -> dict:
    """The fields that give a note the audience ``name`` (a key of ``EXPECTED``)."""
    if name in CIRCLE_NAMES:
        return {"visibility": "circle", "circle": circles[name]}
    return {"visibility": name}


@pytest.fixture
def notes(people, circles):
    op6 = Paragraph.objects.get(document__slug=SEED_SLUG, label="op6")
    return {
        name: make_annotation(
            people["author"],
            op6,
            f"canary-{name}-body",
            tags=[f"canary-{name}-tag"],
            quote="Secretary-General",
            **audience(name, circles),
        )
        for name in EXPECTED
    }


def client_for(person) -> Client:
    client = Client()
    if person is not None:
        client.force_login(person)
    return client


def pages(client):
    base = f"/documents/{SEED_SLUG}"
    return {
        "reading page": client.get(f"{base}/").content.decode(),
        "paragraph page": client.get(f"{base}/paragraphs/op6/").content.decode(),
        "paragraph for htmx": client.get(
            f"{base}/paragraphs/op6/", headers={"HX-Request": "true"}
        ).content.decode(),
        "annotations list": client.get(f"{base}/annotations/").content.decode(),
        "CSV export": b"".join(client.get(f"{base}/annotations.csv").streaming_content).decode(),
        "JSON export": client.get(f"{base}/annotations.json").content.decode(),
    }


CASES = [
    (visibility, viewer_index, viewer)
    for visibility in EXPECTED
    for viewer_index, viewer in enumerate(VIEWERS)
]


@pytest.mark.parametrize(("visibility", "viewer_index", "viewer"), CASES)
def test_notes_reach_exactly_their_audience_on_every_page(
    people, notes, visibility, viewer_index, viewer
):
    client = client_for(people[viewer])
    should_see = EXPECTED[visibility][viewer_index]
    for page_name, body in pages(client).items():
        assert (f"canary-{visibility}-body" in body) is should_see, (page_name, viewer)
        assert (f"canary-{visibility}-tag" in body) is should_see, (page_name, viewer)


@pytest.mark.parametrize(("visibility", "viewer_index", "viewer"), CASES)
def test_thread_and_history_pages_are_404_to_those_who_may_not_see(
    people, notes, visibility, viewer_index, viewer
):
    client = client_for(people[viewer])
    note = notes[visibility]
    should_see = EXPECTED[visibility][viewer_index]
    for name in ("annotation_detail", "annotation_history"):
        response = client.get(reverse(f"resolutions:{name}", args=[note.pk]))
        if viewer == "anonymous":
            assert response.status_code == 302
            assert response["Location"].startswith("/accounts/login/")
        else:
            assert response.status_code == (200 if should_see else 404)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_counts_include_only_what_the_viewer_may_see(people, notes, viewer):
    body = client_for(people[viewer]).get(f"/documents/{SEED_SLUG}/annotations/")
    html = body.content.decode()
    visible = {
        "author": 5,
        "colleague": 4,
        "member": 2,
        "core-member": 2,
        "invited": 1,
        "left": 1,
        "outsider": 1,
        "anonymous": 0,
    }[viewer]
    assert f">{visible} note{'s' if visible != 1 else ''}" in html
    if viewer != "anonymous":
        reading = client_for(people[viewer]).get(f"/documents/{SEED_SLUG}/").content.decode()
        assert f">{visible} note{'s' if visible != 1 else ''}</span>" in reading


def test_replies_follow_the_visibility_of_their_thread(people, notes):
    colleague = people["colleague"]
    thread = notes["delegation"]
    make_annotation(colleague, thread.paragraph, "canary-reply", reply_to=thread)
    assert "canary-reply" in pages(client_for(colleague))["annotations list"]
    for page_name, body in pages(client_for(people["outsider"])).items():
        assert "canary-reply" not in body, page_name


def test_replies_in_a_circle_thread_reach_the_circle_only(people, notes):
    thread = notes["circle"]
    make_annotation(people["member"], thread.paragraph, "canary-circle-reply", reply_to=thread)
    for viewer in VIEWERS:
        should_see = EXPECTED["circle"][VIEWERS.index(viewer)] or viewer == "member"
        for page_name, body in pages(client_for(people[viewer])).items():
            assert ("canary-circle-reply" in body) is should_see, (page_name, viewer)


def test_making_a_thread_private_hides_its_replies_from_all_but_their_authors(
    people, notes, client
):
    """Before, the reply's own author lost it too (this test asserted so); now a reply's
    author keeps their reply, and everyone else left out loses thread and reply alike."""
    author, colleague = people["author"], people["colleague"]
    other_colleague = make_delegate("other-colleague", "Norway")
    thread = notes["delegation"]
    make_annotation(colleague, thread.paragraph, "canary-reply", reply_to=thread)
    client.force_login(author)
    client.post(
        reverse("resolutions:annotation_edit", args=[thread.pk]),
        {"body": "now private", "version": 1, "visibility": "private", "tags": ""},
    )
    left_out = pages(client_for(other_colleague))["annotations list"]
    assert "canary-reply" not in left_out
    assert "now private" not in left_out
    replier = pages(client_for(colleague))["annotations list"]
    assert "canary-reply" in replier
    assert "now private" not in replier


def test_deleted_notes_are_seen_by_no_one(people, notes):
    Annotation.objects.filter(pk=notes["public"].pk).update(deleted_at=notes["public"].created_at)
    for viewer in VIEWERS:
        for page_name, body in pages(client_for(people[viewer])).items():
            assert "canary-public-body" not in body, (page_name, viewer)


def test_web_annotation_export_targets_the_paragraph(people, notes):
    client = client_for(people["author"])
    data = json.loads(client.get(f"/documents/{SEED_SLUG}/annotations.json").content)
    assert data["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert data["type"] == "AnnotationCollection"
    assert data["total"] == 5
    item = data["first"]["items"][0]
    assert item["type"] == "Annotation"
    assert item["target"]["source"] == f"http://testserver/documents/{SEED_SLUG}/"
    selectors = {s["type"]: s for s in item["target"]["selector"]}
    assert selectors["FragmentSelector"]["value"] == "op6"
    assert selectors["TextQuoteSelector"]["exact"] == "Secretary-General"
    bodies = {b["purpose"]: b["value"] for b in item["body"]}
    assert bodies["commenting"].startswith("canary-")
    assert bodies["tagging"].startswith("canary-")


def test_csv_export_guards_against_spreadsheet_formulas(people, db):
    author = people["author"]
    op6 = Paragraph.objects.get(document__slug=SEED_SLUG, label="op6")
    make_annotation(author, op6, '=HYPERLINK("http://evil")')
    csv_text = b"".join(
        client_for(author).get(f"/documents/{SEED_SLUG}/annotations.csv").streaming_content
    ).decode()
    assert "'=HYPERLINK" in csv_text


# Audiences that change ------------------------------------------------------------------
# A note's author may widen or narrow who sees it. Each earlier version stays with the
# audience it was written for (unless the author shows it to the new audience), each reply
# by someone else stays with the audience it was written for, and no reply is taken from
# its author.

TRANSITIONS = {
    "private-to-public": ("private", "public"),
    "delegation-to-public": ("delegation", "public"),
    "public-to-private": ("public", "private"),
    "delegation-to-circle": ("delegation", "circle"),
    "circle-to-public": ("circle", "public"),
    "public-to-circle": ("public", "circle"),
    "circle-to-private": ("circle", "private"),
    "circle-to-core-circle": ("circle", "core-circle"),
}
LOGGED_IN = VIEWERS[:-1]


def sees(audience: str, viewer: str) -> bool:
    return EXPECTED[audience][VIEWERS.index(viewer)]


def change_audience(note, visibility: str, body: str, *, circle=None, tags=(), show_earlier=False):
    """The author's edit of ``note``, as the edit form saves it."""
    choice = {"show_earlier_versions": True} if show_earlier else {}
    return services.annotation_update(
        note,
        editor=note.author,
        version=note.version,
        body=body,
        visibility=visibility,
        circle=circle,
        tags=list(tags),
        quote="",
        **choice,
    )


def written_by_a_delegation_that_left(people, circles, op6) -> dict[str, dict[str, bool]]:
    """Finland joins the Nordic group again, writes a note for it and a reply in one of its
    threads, and leaves: its delegate keeps what they wrote, and sees nothing else of the
    circle; the circle keeps reading what Finland wrote. Returns who sees each canary."""
    nordic, left = circles["circle"], people["left"]
    join(nordic, left)
    thread = make_annotation(
        people["author"], op6, "canary-nordic-thread", **audience("circle", circles)
    )
    make_annotation(left, op6, "canary-note-by-left", **audience("circle", circles))
    make_annotation(left, op6, "canary-reply-by-left", reply_to=thread)
    services.circle_leave(user=left, circle=nordic)
    in_circle = {viewer: sees("circle", viewer) for viewer in LOGGED_IN}
    own = in_circle | {"left": True}
    return {
        "canary-nordic-thread": in_circle,
        "canary-note-by-left": own,
        "canary-reply-by-left": own,
        # The circles' names: on the circles' pages for those in them or invited, in the note
        # form for those in them, and in the label of a note shared with one.
        CIRCLE_NAMES["circle"]: in_circle | {"invited": True, "left": True},
        CIRCLE_NAMES["core-circle"]: {viewer: sees("core-circle", viewer) for viewer in LOGGED_IN},
    }


@pytest.fixture
def changed(people, circles):
    """For each transition, a note by the author whose audience went from the first to the
    second, with canaries in its first version (body and tag) and in replies written before
    the change by each person who could then see it; the earlier version is not shown to
    the new audience. And what a delegation wrote in a circle before it left. Returns
    ``{canary: {viewer: should see}}`` and what the crawl needs."""
    author = people["author"]
    op6 = Paragraph.objects.get(document__slug=SEED_SLUG, label="op6")
    expected: dict[str, dict[str, bool]] = {}
    note_ids = []
    for name, (before, after) in TRANSITIONS.items():
        note = make_annotation(
            author,
            op6,
            f"canary-{name}-v1-body",
            tags=[f"canary-{name}-v1"],
            **audience(before, circles),
        )
        repliers = [person for person in LOGGED_IN if sees(before, person)]
        replies = [
            make_annotation(people[person], op6, f"canary-{name}-reply-by-{person}", reply_to=note)
            for person in repliers
        ]
        change_audience(
            note,
            body=f"canary-{name}-v2-body",
            tags=[f"canary-{name}-v2"],
            **audience(after, circles),
        )
        note_ids += [note.pk, *(reply.pk for reply in replies)]
        for viewer in LOGGED_IN:
            now, then = sees(after, viewer), sees(before, viewer)
            expected.setdefault(f"canary-{name}-v2-body", {})[viewer] = now
            expected.setdefault(f"canary-{name}-v2", {})[viewer] = now
            expected.setdefault(f"canary-{name}-v1-body", {})[viewer] = now and then
            expected.setdefault(f"canary-{name}-v1", {})[viewer] = now and then
            for person in repliers:
                # The thread's author's own replies follow the thread (the edit form says
                # so); anyone else's keep the audience they were written for.
                own_thread = person == "author"
                reader = now if own_thread else viewer == person or (now and then)
                expected.setdefault(f"canary-{name}-reply-by-{person}", {})[viewer] = reader
    expected |= written_by_a_delegation_that_left(people, circles, op6)
    note_ids += Annotation.objects.filter(
        body__in=["canary-note-by-left", "canary-reply-by-left"]
    ).values_list("pk", flat=True)
    action = FollowUpAction.objects.create(
        agenda_item=AgendaItem.objects.get(),
        delegation=author.delegation,
        title="An action",
        due_date=datetime.date(2022, 5, 31),
        created_by=author,
    )
    milestone = Milestone.objects.create(
        agenda_item=AgendaItem.objects.get(),
        title="A milestone",
        start_date=datetime.date(2022, 3, 28),
        sources="A/76/135",
    )
    victim = Delegation(
        "changed",
        crawler=author,
        colleague=people["colleague"],
        note_ids=note_ids,
        circle_ids=[circle.pk for circle in circles.values()],
        notification_ids=list(
            Notification.objects.filter(recipient=author).values_list("pk", flat=True)
        ),
        action_id=action.pk,
        tag="canary-delegation-to-public-v1",
    )
    world = {"documents": [SEED_SLUG], "milestone": milestone.pk}
    return expected, world, victim


@pytest.mark.parametrize("viewer", LOGGED_IN)
def test_changed_audiences_reach_exactly_their_audience_on_every_page(people, changed, viewer):
    """Every URL (pages, exports, feeds, JSON twins), filled with the notes, their replies
    and their history: each canary reaches exactly who it should."""
    expected, world, victim = changed
    should_see = tuple(canary for canary, who in expected.items() if who[viewer])
    must_not = [canary for canary, who in expected.items() if not who[viewer]]
    client = client_for(people[viewer])
    found, pages_read, seen = leaks(
        client, world, victim, must_not, expected=should_see, post=False
    )
    assert found == [], viewer
    assert pages_read > 200
    assert seen == set(should_see), viewer
    # Not vacuous: every viewer reads some canaries (the author all of them).
    assert should_see


def history(client, note) -> str:
    response = client.get(reverse("resolutions:annotation_history", args=[note.pk]))
    assert response.status_code == 200
    return response.content.decode()


def history_link(note) -> str:
    return f'href="{reverse("resolutions:annotation_history", args=[note.pk])}"'


def test_earlier_versions_stay_with_the_audience_they_were_written_for(people, db):
    op6 = Paragraph.objects.get(document__slug=SEED_SLUG, label="op6")
    note = make_annotation(
        people["author"], op6, "canary-first-private", visibility="private", tags=["canary-tag"]
    )
    change_audience(note, "public", "Now for everyone")
    outsider = client_for(people["outsider"])
    page = history(outsider, note)
    assert "Now for everyone" in page
    assert "canary-first-private" not in page
    assert "canary-tag" not in page
    assert "1 earlier version was written for a narrower audience" in page
    # The "edited" link leads nowhere the reader may go, so it is not offered.
    for name, text in pages(outsider).items():
        assert "Now for everyone" in text, name
        assert history_link(note) not in text, name
    author = client_for(people["author"])
    assert "canary-first-private" in history(author, note)
    assert "canary-tag" in history(author, note)
    assert "narrower audience" not in history(author, note)
    assert history_link(note) in pages(author)["annotations list"]


def test_the_author_may_show_the_earlier_versions_to_the_new_audience(people, client, db):
    op6 = Paragraph.objects.get(document__slug=SEED_SLUG, label="op6")
    note = make_annotation(people["author"], op6, "First, for Norway", tags=["early"])
    client.force_login(people["author"])
    form = client.get(reverse("resolutions:annotation_edit", args=[note.pk])).content.decode()
    assert "Also show the earlier versions to the new audience" in form
    assert 'type="checkbox" name="show_earlier_versions"' in form
    assert "each earlier version (with its tags) stays with the audience it was written" in form
    response = client.post(
        reverse("resolutions:annotation_edit", args=[note.pk]),
        {
            "body": "Now for everyone",
            "version": 1,
            "visibility": "public",
            "tags": "",
            "show_earlier_versions": "on",
        },
    )
    assert response.status_code == 302
    outsider = client_for(people["outsider"])
    page = history(outsider, note)
    assert "First, for Norway" in page
    assert "early" in page
    assert "narrower audience" not in page
    assert "shown to everyone logged in when the note was widened" in page
    assert history_link(note) in pages(outsider)["annotations list"]


def test_narrowing_withdraws_earlier_versions_shown_to_a_wider_audience(people, db):
    op6 = Paragraph.objects.get(document__slug=SEED_SLUG, label="op6")
    note = make_annotation(people["author"], op6, "canary-v1", visibility="private")
    change_audience(note, "public", "v2 for everyone", show_earlier=True)
    change_audience(note, "delegation", "v3 for Norway")
    assert "canary-v1" in history(client_for(people["colleague"]), note)
    # Widened again without showing the earlier versions: the first stays the author's.
    change_audience(note, "public", "v4 for everyone")
    page = history(client_for(people["outsider"]), note)
    assert "canary-v1" not in page
    assert "v2 for everyone" in page  # written for everyone
    assert "v3 for Norway" not in page
    assert "2 earlier versions were written for a narrower audience" in page


def test_the_history_page_costs_the_same_however_long_the_history(
    people, django_assert_num_queries
):
    op6 = Paragraph.objects.get(document__slug=SEED_SLUG, label="op6")
    short = make_annotation(people["author"], op6, "short", visibility="public")
    change_audience(short, "public", "edited once")
    long = make_annotation(people["author"], op6, "long", visibility="private")
    for n, visibility in enumerate(["delegation", "public", "private", "public"] * 3):
        change_audience(long, visibility, f"edit {n}", tags=[f"t{n}"])
    client = client_for(people["outsider"])
    # The note's current tags are read too: each version's tags are marked against the next.
    # One more: the header's unread count (Inbox (3)).
    with django_assert_num_queries(7) as first:
        history(client, short)
    with django_assert_num_queries(len(first.captured_queries)):
        assert "narrower audience" in history(client, long)


def test_the_history_page_never_fails_on_a_damaged_version(people, db):
    op6 = Paragraph.objects.get(document__slug=SEED_SLUG, label="op6")
    note = make_annotation(people["author"], op6, "kept", visibility="public")
    change_audience(note, "public", "edited")
    AnnotationRevision.objects.filter(annotation=note).update(visibility="", shown_to="everyone")
    assert "1 earlier version was written for a narrower audience" in history(
        client_for(people["outsider"]), note
    )
    assert "Written for its author only" in history(client_for(people["author"]), note)


def test_widening_a_thread_shows_others_replies_to_no_one_new(people, notes):
    thread = notes["delegation"]
    reply = make_annotation(people["colleague"], thread.paragraph, "canary-reply", reply_to=thread)
    change_audience(thread, "public", "Now for everyone")
    outsider = client_for(people["outsider"])
    for name, text in [*pages(outsider).items(), *exports(outsider).items()]:
        assert "canary-reply" not in text, name
    thread_page = outsider.get(reverse("resolutions:annotation_detail", args=[thread.pk]))
    assert "Now for everyone" in thread_page.content.decode()
    assert "canary-reply" not in thread_page.content.decode()
    assert (
        outsider.get(reverse("resolutions:annotation_detail", args=[reply.pk])).status_code == 404
    )
    for person in ("author", "colleague"):
        text = client_for(people[person]).get(thread.get_absolute_url()).content.decode()
        assert "canary-reply" in text
        assert "The thread&#x27;s delegation (written before the thread was widened)" in text


def test_the_threads_authors_own_replies_follow_the_thread(people, db):
    op6 = Paragraph.objects.get(document__slug=SEED_SLUG, label="op6")
    thread = make_annotation(people["author"], op6, "A thought", visibility="private")
    make_annotation(people["author"], op6, "My own follow-up", reply_to=thread)
    change_audience(thread, "public", "A thought for everyone")
    text = client_for(people["outsider"]).get(thread.get_absolute_url()).content.decode()
    assert "My own follow-up" in text
    assert "Everyone logged in (the thread&#x27;s audience)" in text


def exports(client) -> dict[str, str]:
    return {
        "notes CSV": b"".join(client.get("/exports/notes.csv").streaming_content).decode(),
        "notes JSON": client.get("/exports/notes.jsonld").content.decode(),
    }


def test_narrowing_never_takes_a_reply_from_its_author(people, notes):
    thread = notes["public"]
    outsider, colleague = client_for(people["outsider"]), client_for(people["colleague"])
    reply = make_annotation(people["outsider"], thread.paragraph, "My reply", reply_to=thread)
    change_audience(thread, "private", "canary-now-private")

    def url(name):
        return reverse(f"resolutions:{name}", args=[reply.pk])

    alone = outsider.get(url("annotation_detail"))
    assert alone.status_code == 200
    text = alone.content.decode()
    assert "My reply" in text
    assert "in a thread you can no longer see" in text
    assert "canary-now-private" not in text
    assert 'name="body"' not in text  # no reply form to a thread one cannot see
    listed = pages(outsider)["annotations list"]
    assert "My reply" in listed
    assert "Your reply, in a thread you can no longer see" in listed
    assert "canary-now-private" not in listed
    for name, text in exports(outsider).items():
        assert "My reply" in text, name
    assert outsider.get(url("annotation_edit")).status_code == 200
    assert outsider.get(url("annotation_history")).status_code == 200
    edited = {"body": "My reply, corrected", "version": 1, "tags": ""}
    assert outsider.post(url("annotation_edit"), edited).status_code == 302
    assert "My reply, corrected" in pages(outsider)["annotations list"]
    # Others left out see neither the thread nor the reply.
    assert colleague.get(url("annotation_detail")).status_code == 404
    assert "My reply" not in pages(colleague)["annotations list"]
    assert outsider.post(url("annotation_delete")).status_code == 302
    assert Annotation.objects.get(pk=reply.pk).deleted_at is not None


def test_the_edit_form_says_what_happens_to_the_replies(people, notes, client):
    thread = notes["delegation"]
    make_annotation(people["colleague"], thread.paragraph, "A reply", reply_to=thread)
    make_annotation(people["author"], thread.paragraph, "My own reply", reply_to=thread)
    client.force_login(people["author"])
    form = client.get(reverse("resolutions:annotation_edit", args=[thread.pk])).content.decode()
    assert "1 reply by others is in this thread. If you widen who can see your note" in form
    assert "each reply stays with the audience it was written for" in form
    assert "each reply's author still sees their own reply" in form
    assert "Your own reply in this thread follows it" in form
    # The reply form says it too: to others, not to the author, whose replies follow.
    stays = "If the thread is later shared more widely, your reply stays with this audience."
    assert stays not in client.get(thread.get_absolute_url()).content.decode()
    colleague = client_for(people["colleague"])
    assert stays in colleague.get(thread.get_absolute_url()).content.decode()


def test_pages_cost_the_same_with_changed_audiences(people, changed, django_assert_num_queries):
    """The rule lives in the queries (joins and sub-queries), never in a query per note."""
    client = client_for(people["outsider"])
    counts = {}
    for path in (f"/documents/{SEED_SLUG}/", f"/documents/{SEED_SLUG}/annotations/"):
        Document.objects.filter(slug=SEED_SLUG).mark_changed()
        with CaptureQueriesContext(connection) as measured:
            client.get(path)
        counts[path] = len(measured.captured_queries)
    Annotation.objects.all().delete()
    for path, count in counts.items():
        Document.objects.filter(slug=SEED_SLUG).mark_changed()
        with django_assert_num_queries(count):
            client.get(path)


# The inbox ----------------------------------------------------------------------------------

EVERYONE = " ".join(f"@{name}" for name in VIEWERS if name != "anonymous")


def inbox_mentions(person) -> int:
    data = client_for(person).get("/inbox.json").json()
    assert data["unread"] == len(data["items"])
    return sum(item["kind"] == "mention" for item in data["items"])


def test_a_mention_reaches_the_inbox_only_of_those_who_may_read_the_note(people, circles):
    """A note of each audience mentions everyone: each delegate is told of exactly the
    notes they may read, and of none once the notes are made private."""
    op6 = Paragraph.objects.get(document__slug=SEED_SLUG, label="op6")
    written = [
        make_annotation(people["author"], op6, f"{EVERYONE} look", **audience(name, circles))
        for name in EXPECTED
    ]
    for viewer in VIEWERS[1:-1]:
        expected = sum(sees(name, viewer) for name in EXPECTED)
        assert inbox_mentions(people[viewer]) == expected, viewer
    assert inbox_mentions(people["author"]) == 0  # nobody is told what they did
    for note in written:
        change_audience(note, "private", note.body)
    for viewer in VIEWERS[1:-1]:
        assert inbox_mentions(people[viewer]) == 0, viewer
        # Nor may one open another's notification, nor one about a note now hidden.
        for notification in Notification.objects.filter(recipient=people[viewer], kind="mention"):
            response = client_for(people[viewer]).get(f"/inbox/{notification.pk}/")
            assert response.status_code == 404
    assert client_for(None).get("/inbox.json").status_code == 302


@pytest.mark.parametrize("name", list(EXPECTED))
def test_who_can_be_mentioned_is_who_could_read_the_note(people, circles, name):
    """The note form's suggestions (``audience_members``) are exactly the readers
    ``visible_to`` lets see a note of that audience."""
    fields = audience(name, circles)
    circle_id = fields["circle"].pk if "circle" in fields else None
    offered = audience_members(people["author"], fields["visibility"], circle_id)
    op6 = Paragraph.objects.get(document__slug=SEED_SLUG, label="op6")
    note = make_annotation(people["author"], op6, "A note", **fields)
    readers = {
        person.username
        for person in people.values()
        if person is not None and Annotation.objects.visible_to(person).filter(pk=note.pk)
    }
    assert set(offered.values_list("username", flat=True)) & set(people) == readers


def readers_of(note, people) -> set[str]:
    """Who of ``people`` ``visible_to`` lets read ``note``."""
    return {
        person.username
        for person in people.values()
        if person is not None and Annotation.objects.visible_to(person).filter(pk=note.pk)
    }


@pytest.mark.parametrize("written_for", list(EXPECTED))
def test_who_can_be_mentioned_in_a_reply_is_who_reads_it(people, circles, written_for):
    """A reply form offers the thread's readers, a reply's edit form the reply's
    (``note_readers``): exactly whom ``visible_to`` lets read them, after the thread moves
    to every other audience too."""
    op6 = Paragraph.objects.get(document__slug=SEED_SLUG, label="op6")
    for now in EXPECTED:
        thread = make_annotation(
            people["author"], op6, "A thread", **audience(written_for, circles)
        )
        replier = people["author" if written_for == "private" else "colleague"]
        reply = make_annotation(replier, op6, "A reply", reply_to=thread)
        assert set(note_readers(thread).values_list("username", flat=True)) == readers_of(
            thread, people
        )
        fields = audience(now, circles)
        change_audience(thread, fields["visibility"], "Moved", circle=fields.get("circle"))
        thread.refresh_from_db()
        reply.refresh_from_db()
        for note in (thread, reply):
            offered = set(note_readers(note).values_list("username", flat=True))
            assert offered == readers_of(note, people), (written_for, now, note.is_reply)


@pytest.mark.parametrize("state", ["draft", "tabled"])
@pytest.mark.parametrize("on_behalf_of", [None, "circle", "core-circle"])
def test_who_can_be_mentioned_in_a_proposal_is_who_sees_it(people, circles, state, on_behalf_of):
    """The proposal forms offer ``proposal_audience_members``: exactly whom
    ``Proposal.objects.visible_to`` lets see it."""
    op6 = Paragraph.objects.get(document__slug=SEED_SLUG, label="op6")
    circle = circles[on_behalf_of] if on_behalf_of else None
    proposal = services.proposal_create(
        author=people["author"],
        paragraph=op6,
        kind="delete",
        state=state,
        on_behalf_of=circle,
    )
    offered = proposal_audience_members(
        people["author"].delegation_id, state, circle.pk if circle else None
    )
    seeing = {
        person.username
        for person in people.values()
        if person is not None and Proposal.objects.visible_to(person).filter(pk=proposal.pk)
    }
    assert set(offered.values_list("username", flat=True)) & set(people) == seeing


def hearers(event, people) -> set[str]:
    """Who of ``people`` an open page of the seed document would tell of ``event``."""
    seed = Document.objects.get(slug=SEED_SLUG)
    message = live.Message.from_event(event)
    return {
        person.username
        for person in people.values()
        if person is not None
        and message.reaches(live.Reader(person.pk, person.delegation_id, seed.pk))
    }


@pytest.mark.parametrize("written_for", list(EXPECTED))
def test_an_open_page_hears_of_a_note_exactly_when_its_reader_may_read_it(
    people, circles, written_for
):
    """The event a note or reply sends to the pages open on its paragraph reaches exactly
    those ``visible_to`` lets read it; when its thread moves to another audience, those who
    could read it and those who now can (so that it appears, or goes, on their pages)."""
    op6 = Paragraph.objects.get(document__slug=SEED_SLUG, label="op6")
    for now in EXPECTED:
        thread = make_annotation(
            people["author"], op6, "A thread", **audience(written_for, circles)
        )
        assert hearers(LiveEvent.objects.filter(name="op6").latest("pk"), people) == readers_of(
            thread, people
        )
        replier = people["author" if written_for == "private" else "colleague"]
        reply = make_annotation(replier, op6, "A reply", reply_to=thread)
        assert hearers(LiveEvent.objects.filter(name="op6").latest("pk"), people) == readers_of(
            reply, people
        )
        could = readers_of(thread, people) | readers_of(reply, people)
        fields = audience(now, circles)
        change_audience(thread, fields["visibility"], "Moved", circle=fields.get("circle"))
        thread.refresh_from_db()
        reply.refresh_from_db()
        moved = hearers(LiveEvent.objects.filter(name="op6").latest("pk"), people)
        assert moved >= readers_of(thread, people) | (could & readers_of(thread, people))
        assert moved <= could | readers_of(thread, people) | readers_of(reply, people)
        for note in (thread, reply):
            event = LiveEvent(
                document_id=op6.document_id,
                name="op6",
                audience=events.note_audience(note).as_json(),
            )
            assert hearers(event, people) == readers_of(note, people), (written_for, now)


@pytest.mark.parametrize("state", ["draft", "tabled"])
@pytest.mark.parametrize("on_behalf_of", [None, "circle", "core-circle"])
def test_an_open_page_hears_of_a_proposal_exactly_when_its_reader_may_see_it(
    people, circles, state, on_behalf_of
):
    op6 = Paragraph.objects.get(document__slug=SEED_SLUG, label="op6")
    proposal = services.proposal_create(
        author=people["author"],
        paragraph=op6,
        kind="delete",
        state=state,
        on_behalf_of=circles[on_behalf_of] if on_behalf_of else None,
    )
    seeing = {
        person.username
        for person in people.values()
        if person is not None and Proposal.objects.visible_to(person).filter(pk=proposal.pk)
    }
    assert hearers(LiveEvent.objects.filter(name="op6").latest("pk"), people) == seeing
