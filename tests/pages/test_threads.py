"""Threads as a delegate reads them: counts that tell notes from replies ("2 notes, 3
replies"), and a resolved thread folded to one line on the reading page, the notes list and
(unfolded) its own page."""

import re

import pytest
from django.urls import reverse

from resolutions import services
from resolutions.models import Paragraph
from resolutions.pages.notes import NoteCount
from tests.conftest import SEED_SLUG
from tests.factories import make_annotation

READING_URL = f"/documents/{SEED_SLUG}/"
LIST_URL = f"/documents/{SEED_SLUG}/annotations/"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def op6(db):
    return Paragraph.objects.get(document__slug=SEED_SLUG, label="op6")


def summary_of(html: str, label: str) -> str:
    return re.search(rf'<span id="notes-count-{label}">([^<]*)</span>', html).group(1)


@pytest.mark.parametrize(
    ("threads", "replies", "read"),
    [
        (1, 0, "1 note"),
        (2, 0, "2 notes"),
        (1, 1, "1 note, 1 reply"),
        (2, 3, "2 notes, 3 replies"),
        (0, 0, "0 notes"),
    ],
)
def test_a_count_tells_notes_from_replies(threads, replies, read):
    count = NoteCount(threads, replies)
    assert str(count) == read
    assert bool(count) == bool(threads or replies)


def test_the_margin_counts_notes_and_replies_apart(client, lars, ingrid, op6):
    thread = make_annotation(lars, op6, "Keep the 2021 wording")
    for body in ["Agreed", "The facilitator agrees", "Done"]:
        make_annotation(ingrid, op6, body, reply_to=thread)
    make_annotation(ingrid, op6, "Ask Geneva")
    client.force_login(lars)
    assert summary_of(client.get(READING_URL).content.decode(), "op6") == "2 notes, 3 replies"


def test_a_single_note_reads_1_note(client, lars, op6):
    make_annotation(lars, op6, "Alone")
    client.force_login(lars)
    assert summary_of(client.get(READING_URL).content.decode(), "op6") == "1 note"


def test_deleting_in_place_updates_the_count_with_its_replies(client, lars, ingrid, op6):
    thread = make_annotation(lars, op6, "Thread")
    make_annotation(ingrid, op6, "A reply", reply_to=thread)
    other = make_annotation(lars, op6, "Goes")
    client.force_login(lars)
    deleted = client.post(
        reverse("resolutions:annotation_delete", args=[other.pk]), **HTMX
    ).content.decode()
    assert '<span id="notes-count-op6" hx-swap-oob="true">1 note, 1 reply</span>' in deleted


def test_the_notes_list_counts_notes_and_replies(client, lars, ingrid, op6):
    thread = make_annotation(lars, op6, "Thread", visibility="delegation")
    make_annotation(ingrid, op6, "First reply", reply_to=thread)
    make_annotation(ingrid, op6, "Second reply", reply_to=thread)
    client.force_login(lars)
    html = client.get(LIST_URL).content.decode()
    assert '<h2 id="results-heading">1 note, 2 replies</h2>' in html


def resolved_thread(lars, ingrid, op6):
    thread = make_annotation(
        lars, op6, "Keep the reference to the Secretary-General's report as it stands in 2021"
    )
    for body in ["Agreed", "The facilitator agrees", "Closed in the informals"]:
        make_annotation(ingrid, op6, body, reply_to=thread)
    services.thread_set_resolved(thread, True)
    return thread


FOLDED = (
    "<summary>Resolved: Keep the reference to the Secretary-General&#x27;s report as …"
    " — lars (Norway), 3 replies</summary>"
)


def test_a_resolved_thread_folds_to_one_line_in_the_margin(client, lars, ingrid, op6):
    thread = resolved_thread(lars, ingrid, op6)
    open_one = make_annotation(lars, op6, "Still open")
    client.force_login(lars)
    html = client.get(READING_URL).content.decode()
    article = html[html.index(f'id="annotation-{thread.pk}"') :]
    assert article.index('<details class="thread-fold">') < article.index(FOLDED)
    assert article.index(FOLDED) < article.index("Closed in the informals")
    still_open = html[html.index(f'id="annotation-{open_one.pk}"') :]
    assert still_open.index("Still open") < still_open.index("thread-fold")


def test_a_resolved_thread_folds_in_the_notes_list_with_its_replies_inside(
    client, lars, ingrid, op6
):
    thread = resolved_thread(lars, ingrid, op6)
    client.force_login(lars)
    html = client.get(LIST_URL).content.decode()
    assert FOLDED in html
    fold = html[html.index(FOLDED) : html.index("</details>", html.index(FOLDED))]
    assert "Closed in the informals" in fold
    assert "↳ Reply to a note" not in fold  # inside its thread, no need to say whose
    assert html.count(f'data-annotation-id="{thread.pk}"') == 1


def test_a_resolved_thread_is_unfolded_on_its_own_page(client, lars, ingrid, op6):
    thread = resolved_thread(lars, ingrid, op6)
    client.force_login(lars)
    html = client.get(reverse("resolutions:annotation_detail", args=[thread.pk])).content.decode()
    assert '<details class="thread-fold" open>' + FOLDED in html


def test_marking_resolved_in_place_returns_the_folded_thread(client, lars, ingrid, op6):
    thread = make_annotation(lars, op6, "Short one")
    make_annotation(ingrid, op6, "Only reply", reply_to=thread)
    client.force_login(lars)
    fragment = client.post(
        reverse("resolutions:annotation_resolve", args=[thread.pk]), {"resolved": "1"}, **HTMX
    ).content.decode()
    assert "<summary>Resolved: Short one — lars (Norway), 1 reply</summary>" in fragment
    assert "Reopen" in fragment
