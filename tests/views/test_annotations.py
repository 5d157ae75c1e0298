"""Annotating paragraphs: creating, replying, editing with history and conflicts, deleting
with undo, resolving; each htmx view both as a full page and as an htmx fragment."""

import csv
import io
import json
import re

import pytest
from django.urls import reverse

from resolutions import services
from resolutions.models import Annotation, AnnotationRevision, Document, Paragraph
from tests.conftest import SEED_SLUG
from tests.factories import make_annotation

READING_URL = f"/documents/{SEED_SLUG}/"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def op6(db):
    return Paragraph.objects.get(document__slug=SEED_SLUG, label="op6")


def create_url(label="op6"):
    return reverse("resolutions:annotation_create", args=[SEED_SLUG, label])


def post_note(client, label="op6", **data):
    fields = {"body": "Check with capital", "visibility": "delegation", "tags": ""}
    fields.update(data)
    return client.post(create_url(label), fields)


# Creating ------------------------------------------------------------------------------


def test_reading_page_offers_a_note_form_in_each_paragraph_when_logged_in(client, lars):
    client.force_login(lars)
    html = client.get(READING_URL).content.decode()
    for label in ["pp1", "op6", "op6-a", "op7"]:
        start = html.index(f'id="{label}"')
        assert "data-annotation-form" in html[start : html.index("</aside>", start)]
    assert 'name="csrfmiddlewaretoken"' in html


def test_anonymous_readers_see_no_note_forms(client, db):
    html = client.get(READING_URL).content.decode()
    assert "data-annotation-form" not in html


def test_plain_post_saves_the_note_and_returns_to_the_paragraph(client, lars, op6):
    client.force_login(lars)
    response = post_note(client, body="Line one\nline two", tags="red line, capital")
    assert response.status_code == 302
    assert response["Location"] == f"{READING_URL}#op6"
    note = Annotation.objects.get()
    assert (note.paragraph, note.author, note.delegation) == (op6, lars, lars.delegation)
    assert note.visibility == "delegation"
    assert sorted(t.name for t in note.tags.all()) == ["capital", "red line"]
    html = client.get(READING_URL).content.decode()
    op6_start = html.index('id="op6"')
    assert html.index(f'data-annotation-id="{note.pk}"') > op6_start
    assert html.index(f'data-annotation-id="{note.pk}"') < html.index('id="op6-a"')
    assert "Line one<br>line two" in html


def test_htmx_post_returns_only_the_paragraphs_notes(client, lars):
    client.force_login(lars)
    response = client.post(
        create_url(), {"body": "Quick note", "visibility": "private", "tags": ""}, **HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<aside class="notes" id="notes-op6"')
    assert "Quick note" in html
    assert "<html" not in html
    assert "1 note" in html


def test_default_visibility_is_the_delegation(client, lars):
    client.force_login(lars)
    html = client.get(READING_URL).content.decode()
    assert '<option value="delegation" selected>' in html


def test_anonymous_post_is_sent_to_log_in_and_saves_nothing(client, db):
    response = post_note(client)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not Annotation.objects.exists()


def test_creating_needs_post(client, lars):
    client.force_login(lars)
    assert client.get(create_url()).status_code == 405


def test_creating_needs_the_csrf_token(lars):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(lars)
    assert post_note(client).status_code == 403
    assert not Annotation.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"body": ""}, "Write something in the note"),
        ({"body": "   \n  "}, "Write something in the note"),
        ({"body": "x" * 10_001}, "at most 10,000 characters"),
        ({"tags": ", ".join(f"t{i}" for i in range(21))}, "at most 20 tags"),
        ({"tags": "y" * 51}, "at most 50 characters"),
        ({"visibility": "everyone"}, "Choose who can see the note"),
        ({"quote": "words that are not there"}, "These words are not in OP6"),
    ],
)
def test_bad_input_is_refused_at_the_field_and_nothing_is_saved(client, lars, data, message):
    client.force_login(lars)
    response = post_note(client, **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Annotation.objects.exists()
    # htmx gets the same message in the fragment.
    fields = {"body": "ok", "visibility": "delegation", "tags": "", **data}
    fragment = client.post(create_url(), fields, **HTMX).content.decode()
    assert message in fragment
    assert not Annotation.objects.exists()


def test_a_failed_plain_post_keeps_the_delegates_text(client, lars):
    client.force_login(lars)
    response = post_note(client, body="My careful wording", tags="z" * 60)
    assert "My careful wording" in response.content.decode()


def test_a_quote_from_the_paragraph_is_kept(client, lars):
    client.force_login(lars)
    post_note(client, quote="inform the  Secretary-General")
    assert Annotation.objects.get().quote == "inform the Secretary-General"


def test_unknown_paragraph_is_404(client, lars):
    client.force_login(lars)
    assert post_note(client, label="op99").status_code == 404


# Showing -----------------------------------------------------------------------------


def test_html_in_a_body_or_tag_is_shown_as_text(client, lars, op6):
    client.force_login(lars)
    post_note(client, body='<script>alert("x")</script> <b>bold</b>', tags="<img src=x>")
    html = client.get(READING_URL).content.decode()
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;" in html
    assert "<img src=x>" not in html


def test_every_name_a_note_shows_is_shown_as_text(client, lars, op6):
    """A note's delegation, circle, tags, folded line and the version it was carried from
    are written out as text, on the reading page, the notes list and the thread page."""
    from tests.factories import make_circle

    lars.delegation.name = "Norway <b>mission</b>"
    lars.delegation.save()
    circle = make_circle('Nordic <group> & "friends"', lars, lars.delegation)
    note = make_annotation(
        lars, op6, "On the circle", visibility="circle", circle=circle, tags=["a&b", "c d"]
    )
    Annotation.objects.filter(pk=note.pk).update(orphaned_since="A/<i>L.12</i>", resolved=True)
    make_annotation(lars, op6, "A reply", reply_to=note)
    carried = make_annotation(lars, op6, "Carried")
    Annotation.objects.filter(pk=carried.pk).update(
        orphaned_since="A/<i>L.11</i>",
        orphan_reason="paragraph_changed",
        orphan_label="OP<b>6</b>",
        orphan_text="Old words",
    )
    client.force_login(lars)
    notes_list = f"/documents/{SEED_SLUG}/annotations/"
    for url in (READING_URL, notes_list, f"/annotations/{note.pk}/"):
        html = client.get(url).content.decode()
        assert "<b>mission</b>" not in html
        assert "Resolved: On the circle — lars (Norway &lt;b&gt;mission&lt;/b&gt;), 1 reply" in html
        assert " · Norway &lt;b&gt;mission&lt;/b&gt;" in html
        assert "Nordic <group>" not in html
        assert "My circle: Nordic &lt;group&gt; &amp; &quot;friends&quot;" in html
        assert "Orphaned since A/&lt;i&gt;L.12&lt;/i&gt;" in html
        assert "?tag=a%26b" in html
        assert "?tag=c%20d" in html
    for url in (notes_list, f"/annotations/{carried.pk}/"):
        html = client.get(url).content.decode()
        assert "From OP&lt;b&gt;6&lt;/b&gt; of A/&lt;i&gt;L.11&lt;/i&gt;" in html


def test_urls_in_a_body_become_links(client, lars):
    client.force_login(lars)
    post_note(client, body="See https://undocs.org/A/76/135 for the GGE report")
    html = client.get(READING_URL).content.decode()
    assert '<a href="https://undocs.org/A/76/135" rel="nofollow">' in html


# Replies and resolving --------------------------------------------------------------


def test_reply_joins_the_thread_and_takes_its_audience(client, lars, ingrid, op6):
    thread = make_annotation(lars, op6, "Shall we co-sponsor?", visibility="delegation")
    client.force_login(ingrid)
    url = reverse("resolutions:annotation_reply", args=[thread.pk])
    assert client.post(url, {"body": "Yes, after capital agrees"}).status_code == 302
    reply = Annotation.objects.get(reply_to=thread)
    assert (reply.visibility, reply.paragraph) == ("delegation", op6)
    fragment = client.post(url, {"body": "And a second"}, **HTMX).content.decode()
    assert "Yes, after capital agrees" in fragment
    assert "And a second" in fragment
    assert "<html" not in fragment


def test_a_reply_offers_no_choice_of_audience_and_says_which_it_has(client, lars, amina, op6):
    thread = make_annotation(lars, op6, "For everyone", visibility="public")
    client.force_login(amina)
    page = client.get(reverse("resolutions:annotation_detail", args=[thread.pk])).content.decode()
    form = page[page.index('<form method="post" action="/annotations/') :]
    form = form[: form.index("</form>")]
    assert 'name="visibility"' not in form
    assert "Seen by the thread's audience: everyone logged in" in form
    assert "shared more widely" not in form  # it cannot be
    # An audience sent anyway is not used: the reply has the thread's.
    url = reverse("resolutions:annotation_reply", args=[thread.pk])
    client.post(url, {"body": "Agreed", "visibility": "private"})
    reply = Annotation.objects.get(reply_to=thread)
    assert reply.visibility == "public"
    edit_page = client.get(edit_url(reply)).content.decode()
    assert 'name="visibility"' not in edit_page
    assert "show_earlier_versions" not in edit_page
    assert "Everyone logged in (the thread&#x27;s audience)" in edit_page


def test_a_reply_shows_its_threads_audience_wherever_an_audience_is_shown(client, lars, amina, op6):
    """The reply's edit form once offered "Only me", saved it and showed it, while everyone
    still read the reply."""
    thread = make_annotation(lars, op6, "For everyone", visibility="public", tags=["key"])
    reply = make_annotation(amina, op6, "A reply", reply_to=thread)
    client.force_login(amina)
    data = {"body": "A reply, edited", "version": 1, "visibility": "private", "tags": ""}
    assert client.post(edit_url(reply), data).status_code == 302
    label = "Everyone logged in (the thread&#x27;s audience)"
    client.force_login(lars)
    for path in (READING_URL, thread.get_absolute_url(), f"{READING_URL}annotations/"):
        page = client.get(path).content.decode()
        assert "A reply, edited" in page
        assert f'<span class="visibility visibility-public">{label}</span>' in page, path
        assert "visibility-private" not in page, path
    csv_text = b"".join(client.get(f"{READING_URL[:-1]}/annotations.csv").streaming_content)
    rows = {row["body"]: row for row in csv.DictReader(io.StringIO(csv_text.decode()))}
    reply_row = rows["A reply, edited"]
    assert (reply_row["visibility"], reply_row["audience"]) == (
        "public",
        "Everyone logged in (the thread's audience)",
    )
    items = json.loads(client.get(f"{READING_URL[:-1]}/annotations.json").content)
    reply_item = next(
        item for item in items["first"]["items"] if item["body"][0]["value"] == "A reply, edited"
    )
    assert reply_item["audience"] == "public"
    assert reply_item["audienceLabel"] == "Everyone logged in (the thread's audience)"
    briefing = client.get(f"{READING_URL}briefing/").content.decode()
    assert "A reply, edited" in briefing
    assert "everyone logged in (the thread&#x27;s audience)" in briefing


def test_an_empty_reply_is_refused(client, lars, op6):
    thread = make_annotation(lars, op6)
    client.force_login(lars)
    url = reverse("resolutions:annotation_reply", args=[thread.pk])
    response = client.post(url, {"body": " "})
    assert response.status_code == 400
    assert "Write something in the reply" in response.content.decode()
    assert not Annotation.objects.filter(reply_to=thread).exists()


def test_thread_can_be_marked_resolved_and_reopened(client, lars, ingrid, op6):
    thread = make_annotation(lars, op6)
    client.force_login(ingrid)
    url = reverse("resolutions:annotation_resolve", args=[thread.pk])
    assert client.post(url, {"resolved": "1"}).status_code == 302
    thread.refresh_from_db()
    assert thread.resolved
    fragment = client.post(url, {"resolved": "0"}, **HTMX).content.decode()
    thread.refresh_from_db()
    assert not thread.resolved
    assert "Mark resolved" in fragment


def test_another_delegation_cannot_resolve_a_public_thread(client, lars, amina, op6):
    thread = make_annotation(lars, op6, visibility="public")
    client.force_login(amina)
    url = reverse("resolutions:annotation_resolve", args=[thread.pk])
    assert client.post(url, {"resolved": "1"}).status_code == 404
    thread.refresh_from_db()
    assert not thread.resolved


# Editing -------------------------------------------------------------------------------


def edit_url(note):
    return reverse("resolutions:annotation_edit", args=[note.pk])


def test_author_sees_an_edit_link_that_works_without_htmx(client, lars, op6):
    note = make_annotation(lars, op6, "First wording")
    client.force_login(lars)
    html = client.get(READING_URL).content.decode()
    assert f'href="{edit_url(note)}" data-annotation-edit' in html
    page = client.get(edit_url(note)).content.decode()
    assert 'name="body"' in page
    assert 'name="version" value="1"' in page
    assert "First wording" in page


def test_edit_form_comes_as_a_fragment_for_htmx(client, lars, op6):
    note = make_annotation(lars, op6)
    client.force_login(lars)
    fragment = client.get(edit_url(note), **HTMX).content.decode()
    assert fragment.lstrip().startswith('<div class="annotation editing"')
    assert "<html" not in fragment


def test_an_edit_keeps_the_previous_version(client, lars, op6):
    note = make_annotation(lars, op6, "First wording", tags=["a"])
    client.force_login(lars)
    response = client.post(
        edit_url(note),
        {"body": "Second wording", "version": 1, "visibility": "public", "tags": "b"},
    )
    assert response.status_code == 302
    note.refresh_from_db()
    assert (note.body, note.version, note.visibility) == ("Second wording", 2, "public")
    revision = AnnotationRevision.objects.get(annotation=note)
    assert (revision.body, revision.version, revision.tags) == ("First wording", 1, "a")
    history = client.get(reverse("resolutions:annotation_history", args=[note.pk]))
    assert "First wording" in history.content.decode()


def test_htmx_edit_returns_the_updated_note(client, lars, op6):
    note = make_annotation(lars, op6, "Old")
    client.force_login(lars)
    fragment = client.post(
        edit_url(note),
        {"body": "New", "version": 1, "visibility": "delegation", "tags": ""},
        **HTMX,
    ).content.decode()
    assert f'data-annotation-id="{note.pk}"' in fragment
    assert "New" in fragment


def test_a_stale_edit_is_a_conflict_that_keeps_the_delegates_text(client, lars, op6):
    note = make_annotation(lars, op6, "Original")
    client.force_login(lars)
    data = {"visibility": "delegation", "tags": "", "version": 1}
    client.post(edit_url(note), {**data, "body": "Saved first"})
    response = client.post(edit_url(note), {**data, "body": "Typed in another tab"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone saved this note while you were editing it" in html
    assert "Typed in another tab" in html
    assert "Saved first" in html
    assert 'name="version" value="2"' in html
    note.refresh_from_db()
    assert (note.body, note.version) == ("Saved first", 2)


def test_only_the_author_may_edit(client, lars, ingrid, op6):
    note = make_annotation(lars, op6, visibility="delegation")
    client.force_login(ingrid)
    assert client.get(edit_url(note)).status_code == 404
    data = {"body": "hijack", "version": 1, "visibility": "public", "tags": ""}
    assert client.post(edit_url(note), data).status_code == 404
    note.refresh_from_db()
    assert note.body == "A note"


# Deleting ------------------------------------------------------------------------------


def test_delete_is_soft_and_can_be_undone(client, lars, op6):
    note = make_annotation(lars, op6, "Keep me")
    client.force_login(lars)
    response = client.post(reverse("resolutions:annotation_delete", args=[note.pk]))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Undo" in page
    assert "Keep me" not in client.get(READING_URL).content.decode()
    assert Annotation.objects.filter(pk=note.pk, deleted_at__isnull=False).exists()
    client.post(reverse("resolutions:annotation_restore", args=[note.pk]))
    assert "Keep me" in client.get(READING_URL).content.decode()


def test_htmx_delete_offers_undo_in_place(client, lars, op6):
    note = make_annotation(lars, op6)
    client.force_login(lars)
    fragment = client.post(
        reverse("resolutions:annotation_delete", args=[note.pk]), **HTMX
    ).content.decode()
    assert "Undo" in fragment
    assert reverse("resolutions:annotation_restore", args=[note.pk]) in fragment
    restored = client.post(
        reverse("resolutions:annotation_restore", args=[note.pk]), **HTMX
    ).content.decode()
    assert f'data-annotation-id="{note.pk}"' in restored


def test_others_cannot_delete_or_restore(client, lars, ingrid, op6):
    note = make_annotation(lars, op6)
    client.force_login(ingrid)
    assert client.post(reverse("resolutions:annotation_delete", args=[note.pk])).status_code == 404
    note.refresh_from_db()
    assert note.deleted_at is None
    note.deleted_at = note.created_at
    note.save()
    assert client.post(reverse("resolutions:annotation_restore", args=[note.pk])).status_code == (
        404
    )


def test_delete_needs_post(client, lars, op6):
    note = make_annotation(lars, op6)
    client.force_login(lars)
    assert client.get(reverse("resolutions:annotation_delete", args=[note.pk])).status_code == 405


# Performance ---------------------------------------------------------------------------


def test_reading_page_query_count_is_the_same_with_many_notes(
    client, lars, ingrid, amina, op6, django_assert_num_queries
):
    """Thirteen queries, and one more for the circles of the reader's delegation (read once
    for every paragraph's note form); five once the page is cached, circles or not."""
    nordic = services.circle_create(creator=lars, name="Nordic group")
    client.force_login(lars)
    # Thirteen for the text and the notes, three for the proposals (those the reader sees,
    # their stances counted, the circles the reader's delegation may propose for), one for
    # the document's pen holders (whether to offer the next revision), one for the chain of
    # versions. From the cache: 4. The header adds its unread count to each.
    # One more: the header's unread count (Inbox (3)); one more, the paragraphs' versions.
    with django_assert_num_queries(20) as empty:
        client.get(READING_URL)
    # One more: the header's unread count (Inbox (3)); one more, the paragraphs' versions.
    with django_assert_num_queries(5) as cached:
        client.get(READING_URL)
    for n in range(20):
        services.circle_create(creator=ingrid, name=f"Core group {n}")
    paragraphs = list(Paragraph.objects.filter(document__slug=SEED_SLUG))
    notes = [
        Annotation(
            paragraph=paragraphs[i % len(paragraphs)],
            author=author,
            body=f"n{i}",
            delegation=author.delegation,
            visibility=vis,
            circle=nordic if vis == "circle" else None,
        )
        for i, (author, vis) in enumerate(
            [(lars, "private"), (ingrid, "delegation"), (ingrid, "circle"), (amina, "public")] * 300
        )
    ]
    Annotation.objects.bulk_create(notes)
    threads = list(Annotation.objects.all()[:50])
    Annotation.objects.bulk_create(
        [
            Annotation(
                paragraph=t.paragraph,
                author=lars,
                body="r",
                reply_to=t,
                visibility=t.visibility,
                circle=t.circle,
                delegation=lars.delegation,
            )
            for t in threads
        ]
    )
    # Bulk writes pass by the services, so they say themselves that the notes changed.
    Document.objects.filter(slug=SEED_SLUG).mark_changed()
    with django_assert_num_queries(len(empty.captured_queries)):
        response = client.get(READING_URL)
    assert "more on OP6" in response.content.decode()
    assert "My circle: Nordic group" in response.content.decode()
    assert "Core group 19</option>" in response.content.decode()
    with django_assert_num_queries(len(cached.captured_queries)):
        again = client.get(READING_URL)
    shown = re.compile(rb'data-annotation-id="(\d+)"')
    assert shown.findall(again.content) == shown.findall(response.content)


def test_htmx_delete_and_restore_update_the_paragraphs_count(client, lars, op6):
    keep = make_annotation(lars, op6, "stays")
    note = make_annotation(lars, op6, "goes")
    client.force_login(lars)
    deleted = client.post(
        reverse("resolutions:annotation_delete", args=[note.pk]), **HTMX
    ).content.decode()
    assert '<span id="notes-count-op6" hx-swap-oob="true">1 note</span>' in deleted
    restored = client.post(
        reverse("resolutions:annotation_restore", args=[note.pk]), **HTMX
    ).content.decode()
    assert '<span id="notes-count-op6" hx-swap-oob="true">2 notes</span>' in restored
    assert Annotation.objects.filter(pk=keep.pk, deleted_at__isnull=True).exists()


def test_the_standalone_edit_page_posts_without_htmx(client, lars, op6):
    note = make_annotation(lars, op6)
    client.force_login(lars)
    page = client.get(edit_url(note)).content.decode()
    form = page[page.index('<form method="post"') : page.index("</form>")]
    assert "hx-post" not in form


def test_the_margin_shows_the_newest_replies_and_links_to_the_rest(client, lars, ingrid, op6):
    thread = make_annotation(lars, op6, "A thread with many replies")
    for i in range(5):
        make_annotation(ingrid, op6, f"reply number {i}", reply_to=thread)
    client.force_login(lars)
    html = client.get(READING_URL).content.decode()
    assert "reply number 0" not in html
    assert "reply number 1" not in html
    assert "reply number 2" in html
    assert "reply number 4" in html
    assert "2 earlier replies" in html
    thread_page = client.get(reverse("resolutions:annotation_detail", args=[thread.pk]))
    assert "reply number 0" in thread_page.content.decode()
