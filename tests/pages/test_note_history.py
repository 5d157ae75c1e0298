"""A note's history: each version's body, quote and tags as a word diff against the
version before it that the reader may read, never against one they may not."""

import pytest
from django.urls import reverse

from resolutions import services
from resolutions.models import Annotation, Paragraph
from tests.conftest import SEED_SLUG
from tests.factories import make_annotation


@pytest.fixture
def op6(db):
    return Paragraph.objects.get(document__slug=SEED_SLUG, label="op6")


def edit(note, editor, **changes):
    note = Annotation.objects.get(pk=note.pk)
    fields = {
        "body": note.body,
        "tags": [tag.name for tag in note.tags.all()],
        "quote": note.quote,
    }
    fields.update(changes)
    return services.annotation_update(note, editor=editor, version=note.version, **fields)


def history(client, note) -> str:
    return client.get(reverse("resolutions:annotation_history", args=[note.pk])).content.decode()


def test_each_version_shows_its_changes_as_words_inserted_and_deleted(client, lars, op6):
    note = make_annotation(
        lars, op6, "Support the paragraph as drafted.", tags=["support"], quote="Invites"
    )
    edit(note, lars, body="Support the paragraph with one change.", tags=["support", "dates"])
    edit(note, lars, body="Support the paragraph with two changes.", quote="Invites all")
    client.force_login(lars)
    html = history(client, note)
    now = html[html.index("Now (version 3)") : html.index("Earlier versions")]
    assert "Changes from version 2" in now
    assert '<del><span class="visually-hidden">[deleted: </span>one change.</del>' in now
    assert '<ins><span class="visually-hidden">[added: </span>two changes.</ins>' in now
    assert 'Invites <ins><span class="visually-hidden">[added: </span>all</ins>' in now
    version_2 = html[html.index('id="version-2"') : html.index('id="version-1"')]
    assert "Changes from version 1" in version_2
    assert '<del><span class="visually-hidden">[deleted: </span>as drafted.</del>' in version_2
    tags = version_2[version_2.index('class="history-tags"') :].split("</p>")[0]
    assert "[added: </span>dates" in tags
    assert "support" in tags
    assert "<del>" not in tags
    version_1 = html[html.index('id="version-1"') :]
    assert "Changes from" not in version_1
    assert "<ins>" not in version_1
    assert "<del>" not in version_1
    assert "Support the paragraph as drafted." in version_1


def test_a_note_written_with_markup_is_shown_as_text(client, lars, op6):
    note = make_annotation(lars, op6, "Fine <b>as is</b>")
    edit(note, lars, body="Fine <script>alert(1)</script> as is")
    client.force_login(lars)
    html = history(client, note)
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;as" in html


def test_a_version_is_never_compared_with_one_the_reader_may_not_read(client, lars, ingrid, op6):
    note = make_annotation(lars, op6, "Private: the capital distrusts them", visibility="private")
    edit(note, lars, body="Ask the capital about them", visibility="delegation")
    edit(note, lars, body="Ask the capital about them today", visibility="delegation")
    client.force_login(ingrid)
    html = history(client, note)
    assert "distrusts" not in html
    assert "1 earlier version was written for a narrower audience" in html
    version_2 = html[html.index('id="version-2"') :]
    assert "Changes from" not in version_2
    assert "<del>" not in version_2
    now = html[html.index("Now (version 3)") : html.index("Earlier versions")]
    assert '<ins><span class="visually-hidden">[added: </span>today</ins>' in now


def test_the_history_page_costs_the_same_whatever_the_versions(
    client, lars, op6, django_assert_num_queries
):
    note = make_annotation(lars, op6, "One", tags=["a"])
    edit(note, lars, body="Two")
    client.force_login(lars)
    url = reverse("resolutions:annotation_history", args=[note.pk])
    client.get(url)  # the session and the user, read once
    # One more: the header's unread count (Inbox (3)).
    with django_assert_num_queries(7) as one_edit:
        client.get(url)
    for words in ["Three", "Four", "Five"]:
        edit(note, lars, body=words, tags=["a", words.lower()])
    with django_assert_num_queries(len(one_edit.captured_queries)):
        client.get(url)
