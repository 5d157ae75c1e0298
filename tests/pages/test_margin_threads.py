"""Which threads a margin shows: of those the reader may see, each paragraph's five newest
(the latest id first among notes written at the same moment), and every note carried from
an earlier version that stays by it. PostgreSQL reads them down an index, a paragraph at a
time, SQLite ranks them with a window function (``reading._shown_threads``); both are
held here to the same choice made in Python."""

import datetime

import pytest
from django.utils import timezone

from resolutions.models import Annotation, Paragraph
from resolutions.pages.reading import THREADS_PER_PARAGRAPH, notes_by_paragraph
from tests.factories import make_annotation

AUDIENCES = ["public", "delegation", "private"]


@pytest.fixture
def margins(seed_document, lars, ingrid, amina):
    """On OP3 and OP6, twelve threads each by three delegates in every audience, three at a
    time written at the same moment, with replies; a note carried to stay by OP3."""
    paragraphs = list(Paragraph.objects.filter(document=seed_document, label__in=["op3", "op6"]))
    moment = timezone.now() - datetime.timedelta(days=1)
    for paragraph in paragraphs:
        for n in range(12):
            author = (lars, ingrid, amina)[n % 3]
            note = make_annotation(
                author, paragraph, f"{paragraph.label} {n}", visibility=AUDIENCES[n % 3]
            )
            make_annotation(lars, None, f"Reply to {n}", reply_to=note, visibility="public")
            # Three notes at a time written at the same moment, so that the fifth newest a
            # reader sees ties with the sixth: the latest id comes first.
            written = moment + datetime.timedelta(minutes=n // 3)
            Annotation.objects.filter(pk=note.pk).update(created_at=written)
    carried = make_annotation(lars, paragraphs[0], "Carried here", visibility="public")
    Annotation.objects.filter(pk=carried.pk).update(
        orphan_reason=Annotation.OrphanReason.PARAGRAPH_DELETED, orphan_label="OP4"
    )
    return paragraphs, carried


def chosen_in_python(reader, paragraph) -> list[int]:
    seen = Annotation.objects.visible_to(reader).in_margin()
    threads = seen.filter(paragraph=paragraph, reply_to__isnull=True)
    newest = sorted(threads, key=lambda note: (note.created_at, note.pk), reverse=True)
    return [note.pk for note in newest[:THREADS_PER_PARAGRAPH]]


@pytest.mark.parametrize("reader", ["lars", "amina"])
@pytest.mark.parametrize("how_many", [1, 2])
def test_each_margin_shows_its_five_newest_threads_and_its_carried_notes(
    margins, seed_document, request, reader, how_many
):
    paragraphs, carried = margins
    reader = request.getfixturevalue(reader)
    shown = notes_by_paragraph(seed_document, reader, paragraphs[:how_many])
    for paragraph in paragraphs[:how_many]:
        margin = shown[paragraph.pk]
        assert [view.annotation.pk for view in margin.threads] == chosen_in_python(
            reader, paragraph
        )
        assert all(view.replies for view in margin.threads)
    op3 = shown[paragraphs[0].pk]
    assert [view.annotation.pk for view in op3.orphans] == [carried.pk]
