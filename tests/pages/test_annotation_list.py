"""The annotations page: filters in the query string, counts, htmx fragment, exports."""

import re

import pytest
from django.db.models import Count
from django.test import Client

from resolutions.models import Paragraph, User
from resolutions.pages.annotation_list import (
    AnnotationFilter,
    ListCounts,
    NoteGroup,
    Tally,
)
from tests.conftest import SEED_SLUG
from tests.factories import make_annotation, make_circle, make_delegate
from tests.note_counts import groups_of

LIST_URL = f"/documents/{SEED_SLUG}/annotations/"


@pytest.fixture
def setup(db):
    lars = make_delegate("lars", "Norway")
    ingrid = make_delegate("ingrid", "Norway")
    amina = make_delegate("amina", "Nigeria")
    paragraphs = {p.label: p for p in Paragraph.objects.filter(document__slug=SEED_SLUG)}
    make_annotation(lars, paragraphs["op6"], "lars on op6", tags=["red line"])
    make_annotation(lars, paragraphs["pp1"], "lars on pp1", tags=["history"])
    make_annotation(ingrid, paragraphs["op6"], "ingrid on op6", visibility="public")
    make_annotation(
        amina, paragraphs["op7"], "amina on op7", visibility="public", tags=["red line"]
    )
    return lars


def body(client, query=""):
    return client.get(LIST_URL + query).content.decode()


def test_lists_every_visible_note_with_counts(client, setup):
    client.force_login(setup)
    html = body(client)
    for text in ["lars on op6", "lars on pp1", "ingrid on op6", "amina on op7"]:
        assert text in html
    assert ">4 notes" in html


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("?tag=red+line", ["lars on op6", "amina on op7"], ["lars on pp1", "ingrid on op6"]),
        ("?author=ingrid", ["ingrid on op6"], ["lars on op6", "amina on op7"]),
        ("?delegation=Nigeria", ["amina on op7"], ["lars on op6"]),
        ("?visibility=public", ["ingrid on op6", "amina on op7"], ["lars on op6"]),
        ("?paragraph=op6", ["lars on op6", "ingrid on op6"], ["lars on pp1", "amina on op7"]),
        ("?paragraph=op6&tag=red+line", ["lars on op6"], ["ingrid on op6"]),
    ],
)
def test_filters_narrow_the_list(client, setup, query, shown, hidden):
    client.force_login(setup)
    html = body(client, query)
    for text in shown:
        assert text in html
    for text in hidden:
        assert text not in html


def test_facets_count_each_value_and_link_with_the_other_filters_kept(client, setup):
    client.force_login(setup)
    html = body(client, "?tag=red+line")
    assert 'href="?tag=red+line&amp;paragraph=op6"' in html or (
        'href="?paragraph=op6&amp;tag=red+line"' in html
    )
    assert '>OP7</a> <span class="count">1</span>' in html


def test_unknown_filter_value_is_explained_and_ignored(client, setup):
    client.force_login(setup)
    response = client.get(LIST_URL + "?visibility=secret")
    assert response.status_code == 200
    html = response.content.decode()
    assert "The filter was ignored" in html
    assert "lars on op6" in html


def test_htmx_gets_the_results_fragment(client, setup):
    client.force_login(setup)
    response = client.get(LIST_URL + "?paragraph=op7", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results"')
    assert "amina on op7" in html
    assert "<html" not in html
    assert response["Vary"].count("HX-Request") == 1


def test_exports_apply_the_filters(client, setup):
    client.force_login(setup)
    csv_text = b"".join(
        client.get(f"/documents/{SEED_SLUG}/annotations.csv?paragraph=op7").streaming_content
    ).decode()
    assert "amina on op7" in csv_text
    assert "lars on op6" not in csv_text
    assert csv_text.splitlines()[0].startswith("id,document,paragraph")


def test_list_query_count_is_fixed(client, setup, django_assert_max_num_queries):
    client.force_login(setup)
    with django_assert_max_num_queries(16):
        client.get(LIST_URL)


def test_replies_follow_their_note_and_say_what_they_answer(client, setup):
    from resolutions.models import Annotation

    thread = Annotation.objects.get(body="lars on op6")
    make_annotation(setup, thread.paragraph, "a reply to my op6 note", reply_to=thread)
    client.force_login(setup)
    html = body(client, "?paragraph=op6")
    assert html.index("lars on op6") < html.index("a reply to my op6 note")
    assert "Reply to a note by lars" in html


def test_list_query_count_is_the_same_with_no_notes_and_with_many(
    client, lars, django_assert_num_queries
):
    client.force_login(lars)
    # The session, the user (with the menu's editor check) and the document; the paragraphs'
    # versions, and the notes of those not counted yet grouped by paragraph, audience,
    # delegation, author and state in one query, and by tag in another; the page's ids, its
    # rows and their tags; the chain of versions the top of the page names; the header's
    # unread count (Inbox (3)).
    with django_assert_num_queries(11) as empty:
        client.get(LIST_URL)
    # Shown again, the counts (the notes' and those beside the filters) and the page of
    # notes (here none) come from the cache, held to the paragraphs' versions: the two
    # queries of groups and the three of the page's notes are not run.
    with django_assert_num_queries(len(empty.captured_queries) - 5):
        client.get(LIST_URL)
    paragraphs = list(Paragraph.objects.filter(document__slug=SEED_SLUG))
    for i in range(60):
        make_annotation(lars, paragraphs[i % len(paragraphs)], f"n{i}", tags=[f"t{i % 7}"])
    with django_assert_num_queries(len(empty.captured_queries)):
        response = client.get(LIST_URL + "?page=2")
    assert "Page 2 of 2" in response.content.decode()
    # And with many.
    with django_assert_num_queries(len(empty.captured_queries) - 5):
        client.get(LIST_URL + "?page=2")


def test_the_list_as_it_opens_pages_through_every_note_once_in_its_order(client, lars):
    """With no filter, a page's notes are picked by a query prepared once per process, by
    page: the two pages hold every note once, paragraph by paragraph, newest thread
    first, as the same notes filtered by paragraph (built afresh) are ordered."""
    client.force_login(lars)
    paragraphs = list(Paragraph.objects.filter(document__slug=SEED_SLUG).order_by("order"))
    for i in range(60):
        make_annotation(lars, paragraphs[i % len(paragraphs)], f"note n{i:02}.")
    listed = [re.findall(r"note (n\d\d)\.", body(client, f"?page={n}")) for n in (1, 2)]
    assert len(listed[0]) == 50
    assert sorted(listed[0] + listed[1]) == [f"n{i:02}" for i in range(60)]
    opened = listed[0] + listed[1]
    for paragraph in paragraphs[:3]:
        filtered = re.findall(r"note (n\d\d)\.", body(client, f"?paragraph={paragraph.label}"))
        assert filtered == [note for note in opened if note in filtered]
        assert len(filtered) == len(range(paragraphs.index(paragraph), 60, len(paragraphs)))


@pytest.mark.usefixtures("each_cache")
def test_the_counts_beside_the_filters_follow_each_new_note(client, lars, ingrid):
    op6 = Paragraph.objects.get(document__slug=SEED_SLUG, label="op6")
    make_annotation(lars, op6, "First", tags=["red line"])
    client.force_login(lars)
    count = re.compile(r'>red line</a> <span class="count">(\d+)</span>')
    assert count.findall(body(client)) == ["1"]
    assert count.findall(body(client, "?author=lars")) == ["1"]
    make_annotation(ingrid, op6, "Second", tags=["red line"], visibility="delegation")
    assert count.findall(body(client)) == ["2"]
    assert count.findall(body(client, "?author=lars")) == ["1"]
    assert count.findall(body(client, "?author=ingrid")) == ["1"]


@pytest.mark.usefixtures("each_cache")
def test_the_number_of_notes_follows_each_new_note_and_reply(client, lars, ingrid):
    """The count above the list is kept with the counts beside the filters: a new note or
    reply shows in it at once."""
    op6 = Paragraph.objects.get(document__slug=SEED_SLUG, label="op6")
    thread = make_annotation(lars, op6, "First")
    client.force_login(lars)
    assert ">1 note</h2>" in body(client)
    make_annotation(ingrid, op6, "Second")
    assert ">2 notes</h2>" in body(client)
    make_annotation(ingrid, op6, "An answer", reply_to=thread)
    assert ">2 notes, 1 reply</h2>" in body(client)


@pytest.mark.usefixtures("each_cache")
def test_filters_a_reader_makes_up_do_not_fill_the_cache(client, lars, django_assert_num_queries):
    """The filters are in the address, which a reader writes as they like: fifty made-up
    tags keep one cache entry of counts for the reader, with the latest filters in it."""
    from django.core.cache import caches

    from resolutions.pages.annotation_list import FILTERED_PLACES, FILTERS_CACHED
    from tests.caching import cached_keys

    client.force_login(lars)
    for n in range(50):
        assert client.get(f"{LIST_URL}?tag=made-up-{n}").status_code == 200
    entries = cached_keys("facets.")
    assert len(entries) == 1
    assert len(caches["default"].get(entries[0])) == FILTERS_CACHED
    # Their pages (of no note) take the few places filtered pages share.
    assert len(cached_keys("notes-page.")) <= FILTERED_PLACES
    # The counts and the page of the latest filters: from the cache (the paragraphs'
    # versions are one query). One more: the header's unread count (Inbox (3)).
    with django_assert_num_queries(6):
        client.get(f"{LIST_URL}?tag=made-up-49")


def test_notes_are_filtered_open_resolved_or_orphaned_with_their_counts(client, setup):
    from resolutions import services
    from resolutions.models import Annotation, Document

    thread = Annotation.objects.get(body="lars on op6")
    services.thread_set_resolved(thread, True)
    make_annotation(setup, thread.paragraph, "a reply in the settled thread", reply_to=thread)
    Annotation.objects.filter(body="lars on pp1").update(orphaned_since="A/C.1/76/L.12")
    # Changed without its service, as the admin changes a note: the admin marks the
    # document changed, which counts its notes again.
    Document.objects.filter(slug=SEED_SLUG).mark_changed()
    client.force_login(setup)
    html = body(client)
    counts = dict(re.findall(r'\?notes=(\w+)"[^>]*>\w+</a> <span class="count">(\d+)', html))
    assert counts == {"open": "3", "resolved": "2", "orphaned": "1"}
    resolved = body(client, "?notes=resolved")
    assert "lars on op6" in resolved
    assert "a reply in the settled thread" in resolved
    assert "lars on pp1" not in resolved
    assert "amina on op7" not in resolved
    orphaned = body(client, "?notes=orphaned")
    assert "lars on pp1" in orphaned
    assert ">1 note matching the filters" in orphaned
    assert "Notes are open, resolved or orphaned." in body(client, "?notes=lost")


@pytest.mark.usefixtures("each_cache")
def test_a_note_on_one_paragraph_has_only_that_paragraphs_notes_counted_again(
    client, setup, django_assert_num_queries
):
    """The counts are kept paragraph by paragraph under each paragraph's version: after
    ingrid's note on OP6, lars's list counts OP6's notes again and takes the others'
    counts as they were, and every count says the new note."""
    from tests.caching import cached_keys

    client.force_login(setup)
    body(client)
    before = set(cached_keys("note-groups."))
    assert len(before) == Paragraph.objects.filter(document__slug=SEED_SLUG).count()
    op6 = Paragraph.objects.get(document__slug=SEED_SLUG, label="op6")
    ingrid = op6.annotations.get(body="ingrid on op6").author
    make_annotation(ingrid, op6, "ingrid again on op6", visibility="delegation", tags=["new"])
    html = body(client)
    added = set(cached_keys("note-groups.")) - before
    assert len(added) == 1
    assert f".{op6.pk}." in added.pop()
    assert re.search(r"<h2 id=\"results-heading\">([^<]*)</h2>", html).group(1) == "5 notes"
    counts = dict(re.findall(r'\?paragraph=(\w+)"[^>]*>[^<]+</a> <span class="count">(\d+)', html))
    assert counts == {"pp1": "1", "op6": "3", "op7": "1"}
    assert re.search(r'\?tag=new"[^>]*>new</a> <span class="count">1<', html)


FILTER_SETS = [
    "",
    "?paragraph=op6",
    "?visibility=public",
    "?visibility=delegation",
    "?delegation=Norway",
    "?author=lars",
    "?notes=open",
    "?notes=resolved",
    "?paragraph=op6&author=lars",
    "?tag=red+line",
    "?tag=red+line&visibility=public",
    "?tag=red+line&paragraph=op6",
    "?notes=orphaned",
    "?visibility=circle",
    "?visibility=private",
]


def counted_whole(chosen: AnnotationFilter) -> ListCounts:
    """The counts of the notes ``chosen`` selects, read whole from the database: what the
    list's counts summed from each paragraph's groups must equal."""
    selected = chosen.queryset().with_audience().order_by()
    tags = (
        selected.values_list("tags__name")
        .annotate(n=Count("id", distinct=True))
        .order_by("tags__name")
    )
    tally = Tally().add([NoteGroup(*row) for row in groups_of(selected)], [])
    tally.tags.update({name: n for name, n in tags if name})
    return tally.counts()


@pytest.mark.parametrize("query", FILTER_SETS)
def test_counts_summed_from_paragraph_groups_are_the_notes_counted_whole(setup, query):
    """Every count beside the filters, as summed from the paragraphs' groups, is the count
    of the notes the filters select read whole from the database: replies, a resolved
    thread, a note carried from an earlier version, a circle's note, a private one, a
    deleted note and a deleted reply, and notes of another delegation included, for a
    reader in the circle and one outside it."""
    from django.http import QueryDict
    from django.utils import timezone

    from resolutions.models import Annotation, Document

    document = Document.objects.get(slug=SEED_SLUG)
    thread = Annotation.objects.get(body="ingrid on op6")
    amina = Annotation.objects.get(body="amina on op7").author
    make_annotation(setup, thread.paragraph, "lars answers", reply_to=thread, tags=["red line"])
    make_annotation(amina, thread.paragraph, "amina answers", reply_to=thread)
    gone = make_annotation(amina, thread.paragraph, "amina takes it back", reply_to=thread)
    Annotation.objects.filter(pk=gone.pk).update(deleted_at=timezone.now())
    deleted = make_annotation(setup, thread.paragraph, "withdrawn", visibility="public")
    Annotation.objects.filter(pk=deleted.pk).update(deleted_at=timezone.now())
    Annotation.objects.filter(body="lars on pp1").update(resolved=True)
    Annotation.objects.filter(body="amina on op7").update(
        orphaned_since="A/C.1/76/L.12", orphan_reason="paragraph_deleted", orphan_label="op9"
    )
    circle = make_circle("Friends of OP6", amina, amina.delegation)
    make_annotation(
        amina,
        thread.paragraph,
        "for the friends",
        visibility="circle",
        circle=circle,
        tags=["red line"],
    )
    make_annotation(setup, thread.paragraph, "mine alone", visibility="private", tags=["red line"])
    # The notes changed above without their services, as the admin changes them: the
    # admin marks the document changed, which counts its notes again.
    Document.objects.filter(pk=document.pk).mark_changed()
    insider = make_delegate("sade", "Nigeria")
    for reader in (setup, amina, insider):
        params = QueryDict(query.lstrip("?"))
        summed = AnnotationFilter(document, reader, params)._count()
        whole = counted_whole(AnnotationFilter(document, reader, params))
        assert summed == whole


def _listed(html: str) -> list[str]:
    return re.findall(r"note (n\d\d)\.", html)


def _notes_in_order(author, count: int, per_paragraph: int) -> list[Paragraph]:
    """``count`` notes by ``author``, "note n00." to "note n<count - 1>.", ``per_paragraph``
    on each paragraph in order; the paragraphs, in order. The list shows each paragraph's
    newest first."""
    paragraphs = list(Paragraph.objects.filter(document__slug=SEED_SLUG).order_by("order"))
    for i in range(count):
        make_annotation(author, paragraphs[i // per_paragraph], f"note n{i:02}.")
    return paragraphs


@pytest.fixture
def sixty_notes(lars):
    """Sixty of lars's notes, three on each of the first twenty paragraphs: the first page
    holds those of the first sixteen paragraphs and two of the seventeenth's (n50 and n49),
    the second the rest. The paragraphs, in order."""
    return _notes_in_order(lars, 60, 3)


@pytest.mark.usefixtures("each_cache")
def test_a_page_of_the_list_is_kept_until_a_paragraph_it_shows_or_follows_changes(
    client, lars, sixty_notes, django_assert_num_queries
):
    """With no filter, a page's notes are kept for the reader: a note on a paragraph after
    the page leaves it as it was, served without reading a note; a note on one of its
    paragraphs, or before them, shows at once."""
    paragraphs = sixty_notes
    client.force_login(lars)
    first = _listed(body(client))
    assert len(first) == 50
    last_on_first = paragraphs[16]  # n50 and n49 end the first page, n48 opens the second
    after = paragraphs[19]
    make_annotation(lars, after, "note n60.")
    # The counts are counted again for the paragraph written on (two queries); the page of
    # notes comes from the cache: no query for its ids, rows or tags.
    with django_assert_num_queries(8) as served:
        html = body(client)
    read = [q["sql"] for q in served.captured_queries]
    assert not [sql for sql in read if sql.startswith('SELECT "resolutions_annotation')]
    assert _listed(html) == first
    assert ">61 notes</h2>" in html
    make_annotation(lars, last_on_first, "note n61.")
    html = body(client)
    assert "n61" in _listed(html)
    assert len(_listed(html)) == 50
    make_annotation(lars, paragraphs[0], "note n62.")
    assert _listed(body(client))[0] == "n62"


@pytest.mark.usefixtures("each_cache")
def test_the_last_page_of_the_list_shows_a_note_on_any_later_paragraph(client, lars, sixty_notes):
    client.force_login(lars)
    assert len(_listed(body(client, "?page=2"))) == 10
    last = Paragraph.objects.filter(document__slug=SEED_SLUG).order_by("order").last()
    make_annotation(lars, last, "note n60.")
    assert _listed(body(client, "?page=2"))[-1] == "n60"


@pytest.mark.usefixtures("each_cache")
def test_a_page_in_the_middle_of_the_list_moves_on_with_a_note_before_it(client, lars):
    """A note on the first paragraph pushes the first page's last note onto the second
    page: the second page, kept, depends on the paragraphs before its own notes too."""
    paragraphs = _notes_in_order(lars, 110, 5)  # pages of 50, 50 and 10
    client.force_login(lars)
    first, second = (_listed(body(client, f"?page={n}")) for n in (1, 2))
    assert len(first) == len(second) == 50
    assert _listed(body(client, "?page=2")) == second  # kept
    make_annotation(lars, paragraphs[0], "note n99.")
    assert _listed(body(client, "?page=2")) == [first[-1], *second[:-1]]


@pytest.mark.usefixtures("each_cache")
def test_a_filtered_page_is_kept_for_its_filters_until_a_paragraph_before_it_changes(
    client, lars, ingrid, django_assert_num_queries
):
    """Each filter set has its pages kept: the first page of lars's sixty notes is served
    again without reading a note after ingrid's note on the last paragraph, which shows
    at once on the one page of hers; a note of lars's on the first paragraph shows on
    his first page at once, and not on hers."""
    paragraphs = _notes_in_order(lars, 60, 3)
    for i in range(4):
        make_annotation(ingrid, paragraphs[i], f"note i{i}.", visibility="delegation")
    client.force_login(lars)
    mine = _listed(body(client, "?author=lars"))
    theirs = re.findall(r"note (i\d)\.", body(client, "?author=ingrid"))
    assert len(mine) == 50
    assert theirs == ["i0", "i1", "i2", "i3"]
    make_annotation(ingrid, paragraphs[-1], "note i4.", visibility="delegation")
    with django_assert_num_queries(8) as served:
        html = body(client, "?author=lars")
    read = [q["sql"] for q in served.captured_queries]
    assert not [sql for sql in read if sql.startswith('SELECT "resolutions_annotation')]
    assert _listed(html) == mine
    assert re.findall(r"note (i\d)\.", body(client, "?author=ingrid"))[-1] == "i4"
    make_annotation(lars, paragraphs[0], "note n60.")
    assert _listed(body(client, "?author=lars"))[0] == "n60"
    assert "n60" not in body(client, "?author=ingrid")


@pytest.mark.usefixtures("each_cache")
def test_one_paragraphs_notes_are_kept_until_that_paragraph_changes(
    client, setup, django_assert_num_queries
):
    """The notes of OP6 alone depend on OP6 alone: a note on PP1, before it, leaves them
    kept; a note on OP6 shows at once."""
    paragraphs = {p.label: p for p in Paragraph.objects.filter(document__slug=SEED_SLUG)}
    client.force_login(setup)
    assert "lars on op6" in body(client, "?paragraph=op6")
    make_annotation(setup, paragraphs["pp1"], "lars again on pp1")
    with django_assert_num_queries(8) as served:
        html = body(client, "?paragraph=op6")
    read = [q["sql"] for q in served.captured_queries]
    assert not [sql for sql in read if sql.startswith('SELECT "resolutions_annotation')]
    assert "lars on op6" in html
    make_annotation(setup, paragraphs["op6"], "lars again on op6")
    assert "lars again on op6" in body(client, "?paragraph=op6")


@pytest.mark.usefixtures("each_cache")
def test_after_a_change_further_down_the_list_makes_as_many_queries_with_notes_as_without(
    client, lars, django_assert_num_queries
):
    """A paragraph changed after the page's notes (as a note written there, or resolved,
    moves its version on) leaves the page kept, with no notes or with many: the empty page
    is kept until a note is counted on a paragraph after its own."""
    paragraphs = list(Paragraph.objects.filter(document__slug=SEED_SLUG).order_by("order"))
    client.force_login(lars)
    body(client)
    Paragraph.objects.filter(pk=paragraphs[19].pk).mark_changed()
    # The paragraph's counts read again (two queries); the page from the cache.
    with django_assert_num_queries(8):
        assert "No notes to show." in body(client)
    _notes_in_order(lars, 60, 3)
    body(client)
    Paragraph.objects.filter(pk=paragraphs[19].pk).mark_changed()
    with django_assert_num_queries(8):
        assert len(_listed(body(client))) == 50


@pytest.mark.usefixtures("each_cache")
def test_a_reader_paging_and_filtering_at_will_keeps_a_few_pages(client, lars):
    """The first pages of the list are kept, and those of a few filter sets: a reader
    paging through every note, then trying twelve filters that each find notes, leaves no
    more than that in the cache, and each filter set still gets its own notes."""
    from resolutions.pages.annotation_list import FILTERED_PLACES, KEPT_PAGES
    from tests.caching import cached_keys

    paragraphs = list(Paragraph.objects.filter(document__slug=SEED_SLUG).order_by("order"))
    for i in range(160):  # four pages
        make_annotation(lars, paragraphs[i // 8], f"note n{i:03}.", tags=[f"t{i % 12}"])
    client.force_login(lars)
    for number in range(1, 5):
        assert "note n" in body(client, f"?page={number}")
    assert len(cached_keys("notes-page.")) == KEPT_PAGES
    for n in range(12):
        html = body(client, f"?tag=t{n}")
        assert re.findall(r"note n(\d\d\d)\.", html) == [
            f"{i:03}" for i in sorted(range(n, 160, 12), key=lambda i: (i // 8, -i))
        ]
    assert len(cached_keys("notes-page.")) <= KEPT_PAGES + FILTERED_PLACES


@pytest.mark.usefixtures("each_cache")
def test_a_short_page_is_kept_as_the_last_whatever_the_count_said(
    client, lars, sixty_notes, monkeypatch
):
    """The count beside the filters is read before the page's notes, and a write may come
    between: a page that turns out shorter than fifty notes is the last, and a note on any
    later paragraph joins it, even when the count said more pages follow."""
    counts = AnnotationFilter.counts

    def behind(self):
        counted = counts(self)
        notes = counted.notes
        return ListCounts(type(notes)(notes.threads + 60, notes.replies), counted.facets)

    monkeypatch.setattr(AnnotationFilter, "counts", behind)
    client.force_login(lars)
    assert "Page 2 of 3" in body(client, "?page=2")
    make_annotation(lars, sixty_notes[-1], "note n60.")
    assert _listed(body(client, "?page=2"))[-1] == "n60"


@pytest.mark.usefixtures("each_cache")
def test_a_kept_page_of_the_list_is_the_readers_own_with_fresh_forms(client, setup):
    """The page kept for lars is never amina's: she sees her delegation's notes and
    those shared, not lars's own, and may not edit his; each response's forms carry its
    own CSRF token, kept page or not."""
    client.force_login(setup)
    body(client)
    html = client.get(LIST_URL).content.decode()  # the kept page
    assert "lars on pp1" in html
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))
    assert len(tokens) == 1
    assert tokens != {"NOTPROVIDED"}
    amina = Client()
    amina.force_login(User.objects.get(username="amina"))
    theirs = amina.get(LIST_URL).content.decode()
    assert "lars on pp1" not in theirs
    assert "ingrid on op6" in theirs
    # Logged in again, lars has a new CSRF secret: his kept page leaves with a token of it.
    client.logout()
    client.force_login(setup)
    again = client.get(LIST_URL).content.decode()
    assert "lars on pp1" in again
    fresh = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', again))
    assert len(fresh) == 1
    assert fresh != tokens
