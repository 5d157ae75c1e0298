"""The search box in the header and its results page, /search/?q=<words>."""

import re

import pytest
from django.urls import reverse

from resolutions.models import Annotation, Paragraph
from tests.conftest import SEED_SLUG
from tests.factories import make_annotation, make_delegate

SEARCH = reverse("resolutions:search")


@pytest.fixture
def op6(db):
    return Paragraph.objects.get(document__slug=SEED_SLUG, label="op6")


@pytest.fixture
def lars(db):
    return make_delegate("lars", "Norway")


def page(client, **params) -> str:
    response = client.get(SEARCH, params)
    assert response.status_code in (200, 400), response.status_code
    return response.content.decode()


def heading(html: str) -> str:
    return re.search(r'<h2 id="search-results-heading">(.*?)</h2>', html, re.S)[1]


@pytest.mark.parametrize("url", ["/", f"/documents/{SEED_SLUG}/", "/agenda/", "/no-such-page/"])
def test_every_page_has_the_labelled_search_box_in_its_header(client, db, url):
    html = client.get(url).content.decode()
    header = html[html.index('<header class="site-header">') : html.index("</header>")]
    # Named apart from the search page's own form: two search landmarks, two names.
    assert (
        f'<form role="search" class="site-search" aria-label="Search the workbench" '
        f'method="get" action="{SEARCH}">'
    ) in header
    assert '<label for="site-search-words">Search</label>' in header
    assert 'id="site-search-words" name="q"' in header


def test_results_by_document_link_to_the_paragraph_with_the_words_marked(client, db):
    html = page(client, q='"Member States"')
    assert heading(html) == "2 results for “&quot;Member States&quot;”"
    assert '<h3 id="search-document-' in html
    assert ">A/C.1/76/L.13</a></h3>" in html
    assert f'<a href="/documents/{SEED_SLUG}/#op6">OP6</a>' in html
    assert "<mark>Member States</mark>" in html
    # What was typed stays in the box, in the header and on the page.
    assert 'id="site-search-words" name="q" value="&quot;Member States&quot;"' in html
    assert 'id="search-words" name="q" value="&quot;Member States&quot;"' in html


def test_a_note_found_links_to_itself_and_says_whose_it_is(client, lars, op6):
    note = make_annotation(lars, op6, "Check the quokka figures", visibility="delegation")
    client.force_login(lars)
    html = page(client, q="quokka")
    assert heading(html) == "1 result for “quokka”"
    link = reverse("resolutions:annotation_detail", args=[note.pk]) + f"#annotation-{note.pk}"
    assert f'<a href="{link}">Note on OP6</a> by lars · Norway' in html
    assert "Check the <mark>quokka</mark> figures" in html


def test_no_results_says_so_plainly(client, db):
    html = page(client, q="xyzzy")
    assert heading(html) == "No results for “xyzzy”"


def test_an_empty_search_asks_for_words(client, db):
    response = client.get(SEARCH, {"q": "  "})
    assert response.status_code == 200
    assert "Type words to find them in the text of every document" in response.content.decode()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "?!... ///"}, "Type at least one word or number to search for."),
        ({"q": "word " * 100 + "words"}, "Your search is 505 characters long"),
        ({"q": "text", "notes": "bogus"}, "Show all notes, or only open, resolved or orphaned"),
    ],
)
def test_a_search_that_cannot_be_made_says_why_beside_the_box(client, lars, params, message):
    client.force_login(lars)
    response = client.get(SEARCH, params)
    assert response.status_code == 400
    html = response.content.decode()
    assert re.search(r'role="alert">' + re.escape(message), html)
    assert 'aria-invalid="true"' in html or "notes" in params
    assert 'id="search-notes"' in html  # the filter stays beside the box


def test_a_delegation_only_note_of_another_delegation_is_never_found(client, lars, op6):
    amina = make_delegate("amina", "Nigeria")
    ingrid = make_delegate("ingrid", "Norway")
    make_annotation(amina, op6, "Zanzibar fallback secretline", visibility="delegation")
    make_annotation(ingrid, op6, "Zanzibar privateword", visibility="private")
    deleted = make_annotation(lars, op6, "Zanzibar deletedword")
    Annotation.objects.filter(pk=deleted.pk).update(deleted_at="2026-01-01T00:00Z")
    client.force_login(lars)
    for typed in ["zanzibar", "fallback", '"zanzibar fallback"']:
        html = page(client, q=typed)
        assert heading(html).startswith("No results"), typed
        for word in ["secretline", "privateword", "deletedword", "amina", "ingrid"]:
            assert word not in html


def test_a_colleagues_delegation_note_and_a_public_one_are_found(client, lars, op6):
    make_annotation(make_delegate("ingrid", "Norway"), op6, "Zanzibar colleagues")
    make_annotation(make_delegate("amina", "Nigeria"), op6, "Zanzibar for all", visibility="public")
    client.force_login(lars)
    html = page(client, q="zanzibar")
    assert heading(html) == "2 results for “zanzibar”"


def test_visitors_search_the_text_only(client, lars, op6):
    make_annotation(lars, op6, "Zanzibar for everyone logged in", visibility="public")
    html = page(client, q="zanzibar")
    assert heading(html).startswith("No results")
    assert "everyone logged in" not in html
    assert "to search your delegation's notes" in html
    assert heading(page(client, q="information")).startswith("16 results")


def test_a_note_with_markup_is_shown_as_text(client, lars, op6):
    make_annotation(lars, op6, '<script>alert("owned")</script> <b>bold</b> plan')
    client.force_login(lars)
    html = page(client, q="plan script")
    assert "<script>alert" not in html
    assert "<b>bold" not in html
    assert "&lt;<mark>script</mark>&gt;alert(&quot;owned&quot;)" in html
    assert "&lt;b&gt;bold&lt;/b&gt; <mark>plan</mark>" in html


def test_notes_are_filtered_open_resolved_or_orphaned(client, lars, op6):
    open_note = make_annotation(lars, op6, "Zanzibar still open")
    resolved = make_annotation(lars, op6, "Zanzibar settled")
    orphan = make_annotation(lars, op6, "Zanzibar orphan")
    Annotation.objects.filter(pk=resolved.pk).update(resolved=True)
    Annotation.objects.filter(pk=orphan.pk).update(orphaned_since="A/C.1/76/L.12")
    reply = make_annotation(lars, op6, "Zanzibar reply in a settled thread", reply_to=resolved)
    client.force_login(lars)

    def notes_found(state: str) -> set[int]:
        html = page(client, q="zanzibar", notes=state)
        return {int(pk) for pk in re.findall(r'href="/annotations/(\d+)/#annotation-\d+"', html)}

    assert notes_found("") == {open_note.pk, resolved.pk, orphan.pk, reply.pk}
    assert notes_found("open") == {open_note.pk, orphan.pk}
    assert notes_found("resolved") == {resolved.pk, reply.pk}
    assert notes_found("orphaned") == {orphan.pk}
    html = page(client, q="zanzibar", notes="orphaned")
    assert heading(html) == "1 result for “zanzibar” in orphaned notes"
    assert "Orphaned since A/C.1/76/L.12" in html
    assert '<option value="orphaned" selected>' in html
    # With a filter, only notes: the paragraphs' text is left out.
    assert 'href="/documents/a-c1-76-l13/#' not in page(client, q="information", notes="open")


def test_the_query_count_stays_the_same_as_the_notes_grow(
    client, lars, op6, django_assert_num_queries
):
    client.force_login(lars)
    # The session, the user (and whether they are an editor), the paragraphs, the notes.
    # One more: the header's unread count (Inbox (3)).
    with django_assert_num_queries(5) as empty:
        page(client, q="information")
    for n in range(60):
        make_annotation(lars, op6, f"Information note {n}", visibility="public")
    with django_assert_num_queries(len(empty.captured_queries)):
        html = page(client, q="information")
    assert heading(html) == "76 results for “information”"
    assert "Showing the 50 notes that match best of 60" in html
