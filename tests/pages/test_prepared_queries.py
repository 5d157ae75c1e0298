"""Queries built once per process and run with each call's values (``resolutions.prepared``):
each reader still reads only what they may see, the rows come back as Django makes them,
and a query whose key leaves out something it depends on fails instead of serving another
call's answer."""

import inspect
from unittest.mock import patch

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.db.models.sql.compiler import SQLCompiler
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from resolutions.models import Annotation, Document, NoteTally, Paragraph, User
from resolutions.pages.documents import DOCUMENT, READING, document_or_404
from resolutions.pages.reading import MARGIN_THREADS
from resolutions.prepared import READER, PreparedQuery, reader, reader_ids
from tests.factories import make_annotation, make_document


@pytest.fixture
def notes(seed_document, lars, ingrid, amina):
    """On OP1, a note of each audience by lars (Norway) and one public note by amina
    (Nigeria)."""
    op1 = Paragraph.objects.get(document=seed_document, label="op1")
    return [
        make_annotation(lars, op1, "Norway only", visibility="delegation"),
        make_annotation(lars, op1, "Lars alone", visibility="private"),
        make_annotation(lars, op1, "Everyone", visibility="public"),
        make_annotation(amina, op1, "Nigeria for all", visibility="public"),
    ]


def _visible(*, reader_pk, delegation_id, notes):
    return Annotation.objects.visible_to(reader(reader_pk, delegation_id)).filter(pk__in_ids=notes)


@pytest.mark.parametrize("ids", [[], [1], [3, 1, 2, 99]])
def test_in_ids_selects_what_in_selects(seed_document, ids):
    paragraphs = list(Paragraph.objects.filter(document=seed_document).values_list("pk", flat=True))
    wanted = [paragraphs[i] for i in ids if i < len(paragraphs)]
    assert set(Paragraph.objects.filter(pk__in_ids=wanted)) == set(
        Paragraph.objects.filter(pk__in=wanted)
    )
    assert set(Paragraph.objects.filter(document__in_ids=[seed_document.pk])) == set(
        Paragraph.objects.filter(document=seed_document)
    )


def test_each_reader_reads_their_own_notes_through_one_prepared_query(notes, lars, ingrid, amina):
    visible = PreparedQuery(_visible, values=READER, ids=("notes",))
    ids = [note.pk for note in notes]
    for delegate in (lars, amina, ingrid, lars):
        read = visible((), "default", **reader_ids(delegate), notes=ids)
        assert {note.pk for note in read} == set(
            Annotation.objects.visible_to(delegate).filter(pk__in=ids).values_list("pk", flat=True)
        )
    # Built once, for every reader with a delegation.
    assert len(visible._built) == 1
    body = {note.body for note in visible((), "default", **reader_ids(amina), notes=ids)}
    assert body == {"Everyone", "Nigeria for all"}


def test_a_prepared_query_runs_one_query_and_makes_rows_as_django_does(notes, lars):
    ids = [note.pk for note in notes]
    MARGIN_THREADS((), "default", **reader_ids(lars), threads=ids)
    with CaptureQueriesContext(connection) as ran:
        threads = MARGIN_THREADS((), "default", **reader_ids(lars), threads=ids)
    assert len(ran) == 1
    assert {thread.body for thread in threads} == {
        "Norway only",
        "Lars alone",
        "Everyone",
        "Nigeria for all",
    }
    with CaptureQueriesContext(connection) as ran:
        # Read with the rows (select_related) and annotated (for_reader), as the queryset
        # would have them: no query more.
        authors = {thread.author.username for thread in threads}
        seen = {thread.history_seen for thread in threads}
        documents = {thread.paragraph.document.slug for thread in threads}
    assert len(ran) == 0
    assert authors == {"lars", "amina"}
    assert seen == {False}
    assert documents == {"a-c1-76-l13"}


SHOWN = ["public"]


def _shown_by_a_setting(*, notes):
    # Depends on a module's value that is not in its key: what the check is there to catch.
    return Annotation.objects.filter(pk__in_ids=notes, visibility__in=list(SHOWN))


def test_a_key_that_leaves_out_what_the_query_depends_on_fails(notes, settings):
    settings.PREPARED_QUERIES_CHECK = True
    shown = PreparedQuery(_shown_by_a_setting, ids=("notes",))
    ids = [note.pk for note in notes]
    assert len(shown((), "default", notes=ids)) == 2
    SHOWN.append("private")
    try:
        with pytest.raises(AssertionError, match="leaves out something it depends on"):
            shown((), "default", notes=ids)
    finally:
        SHOWN.remove("private")


def _written_into_the_sql(*, reader_pk):
    # The value written into the SQL's text: what a prepared query must never do.
    return Annotation.objects.filter(pk__gt=RawSQL(str(reader_pk), []))  # noqa: S611


def _compared_with_a_count(*, reader_pk):
    # A count is never negative: Django drops the comparison with a negative value
    # altogether, which the first stand-in is.
    return NoteTally.objects.filter(notes=reader_pk)


def _by_the_readers_name(*, reader_pk, delegation_id):
    # Reads what the key does not carry: the reader's name.
    return Annotation.objects.filter(author__username=reader(reader_pk, delegation_id).username)


def _titled_like(*, title):
    # Django makes the text into a LIKE pattern: "%title%" is no longer the stand-in.
    return Document.objects.filter(title__contains=title)


@pytest.mark.parametrize("build", [_written_into_the_sql, _compared_with_a_count])
def test_a_value_not_passed_as_a_parameter_as_it_is_is_refused(db, build):
    with pytest.raises(ValueError, match="cannot be prepared"):
        PreparedQuery(build, values=("reader_pk",))((), "default", reader_pk=1)


def _symbol_starting(*, symbol):
    # Escaped for LIKE, then given a "%": "A/C.1/76/L.13" would match "A/C.1/76/L.13/Rev.1".
    return Document.objects.filter(symbol__startswith=symbol)


def _slug_or_title(*, slug):
    # The same text as it is, and made into a pattern: each place must hold it as it is.
    return Document.objects.filter(Q(slug=slug) | Q(title__contains=slug))


@pytest.mark.parametrize("build", [_titled_like, _symbol_starting, _slug_or_title])
def test_a_text_django_changes_on_its_way_to_the_database_is_refused(db, build):
    (name,) = inspect.signature(build).parameters
    with pytest.raises(ValueError, match="cannot be prepared"):
        PreparedQuery(build, texts=(name,))((), "default", **{name: "disarmament"})


def test_each_address_finds_its_own_document_through_one_prepared_query(seed_document):
    later = make_document(symbol="A/C.1/76/L.13/Rev.1", revision_of=seed_document)
    assert document_or_404(seed_document.slug, READING) == seed_document
    found = document_or_404(later.slug, READING)
    assert found == later
    with CaptureQueriesContext(connection) as ran:
        # Read with it: the draft it revises, as the reading page shows it.
        assert found.revision_of.symbol == seed_document.symbol
    assert len(ran) == 0
    assert len(READING._built) == 1
    # The slug is a parameter, never part of the SQL.
    for missing in ("no-such-draft", "x' OR '1'='1", ""):
        with pytest.raises(Http404):
            document_or_404(missing)
    assert document_or_404(seed_document.slug, DOCUMENT).symbol == "A/C.1/76/L.13"


def test_a_build_that_reads_more_of_the_reader_than_the_key_fails(lars):
    prepared = PreparedQuery(_by_the_readers_name, values=READER)
    with pytest.raises(User.DoesNotExist):
        prepared((), "default", **reader_ids(lars))


def test_a_visitor_has_no_prepared_query():
    with pytest.raises(ValueError, match="a visitor sees nothing"):
        reader_ids(AnonymousUser())


def test_run_again_a_prepared_query_is_not_compiled_again(notes, lars, settings):
    settings.PREPARED_QUERIES_CHECK = False
    ids = [note.pk for note in notes]
    MARGIN_THREADS((), "default", **reader_ids(lars), threads=ids)
    compile_sql = SQLCompiler.as_sql
    with patch.object(SQLCompiler, "as_sql", autospec=True, side_effect=compile_sql) as compiled:
        threads = MARGIN_THREADS((), "default", **reader_ids(lars), threads=ids[:2])
    assert compiled.call_count == 0
    assert {thread.pk for thread in threads} == set(ids[:2])


def test_a_value_of_none_is_part_of_the_key(notes, ingrid):
    visible = PreparedQuery(_visible, values=READER, ids=("notes",))
    ids = [note.pk for note in notes]
    with_delegation = visible((), "default", **reader_ids(ingrid), notes=ids)
    # ingrid as if in no delegation: a query of its own (a delegation of None is in no
    # audience, where a stand-in's value would have been compared with it).
    alone = visible((), "default", reader_pk=ingrid.pk, delegation_id=None, notes=ids)
    assert len(visible._built) == 2
    assert {note.body for note in with_delegation} - {note.body for note in alone} == {
        "Norway only"
    }
