"""Faults: the database going away gives a page that says to retry, and the app recovers by
itself when it is back; a failure half-way through a save leaves the database as it was.

(Concurrent creates and edits are in test_concurrency.py.)"""

import contextlib
import socket
import time

import pytest
from django.db import connection, connections
from django.test import Client

from resolutions.models import (
    Annotation,
    AnnotationRevision,
    Citation,
    Document,
    Footnote,
    Paragraph,
    SponsorList,
    Sponsorship,
)
from resolutions.services import importing
from resolutions.un.reference import TEXTS_DIR
from tests.conftest import SEED_SLUG
from tests.factories import make_annotation, make_delegate, make_document

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="terminates a PostgreSQL server process"
)


@pytest.fixture
def committed(transactional_db):
    """Rows another connection can see (these tests cut and reopen connections, which a
    test wrapped in one transaction could not survive)."""
    return make_document(paragraphs=2, symbol="A/C.1/99/L.503")


def quiet_client() -> Client:
    return Client(raise_request_exception=False)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def database_unreachable():
    """For as long as the block runs, the app's next connection fails as it does when the
    database server is down: a closed port on PostgreSQL, a file that cannot be opened on
    SQLite."""
    key, value = (
        ("PORT", str(free_port()))
        if connection.vendor == "postgresql"
        else ("NAME", "/nonexistent/workbench/db.sqlite3")
    )
    saved = connection.settings_dict[key]
    connection.close()
    connection.settings_dict[key] = value
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict[key] = saved


def assert_retry_page(response):
    assert response.status_code == 503
    html = response.content.decode()
    assert "try again" in html
    assert "Traceback" not in html
    assert response["Retry-After"]


def test_database_down_gives_the_retry_page_and_the_next_request_works(committed):
    client = quiet_client()
    assert client.get("/").status_code == 200
    with database_unreachable():
        assert_retry_page(client.get("/"))
        assert_retry_page(client.get(f"/documents/{committed.slug}/"))
    # The database is back: the same process serves the next request, no restart.
    recovered = client.get(f"/documents/{committed.slug}/")
    assert recovered.status_code == 200
    assert committed.symbol in recovered.content.decode()


def terminate_backend(pid: int) -> None:
    """What a database restart or a failover does to a connection: from a second
    connection, end the server process that serves the first, and wait until it is gone."""
    default = connections["default"]
    killer = type(default)(dict(default.settings_dict), alias="killer")
    try:
        with killer.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            for _ in range(100):
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
                if cursor.fetchone()[0] == 0:
                    break
                time.sleep(0.05)
    finally:
        killer.close()


@on_postgresql
def test_connection_cut_in_the_middle_of_a_request_gives_the_retry_page(committed, monkeypatch):
    """The page has already read from the database when its connection is cut; the rest of
    the page then fails. The user gets the retry page and the next request reconnects."""
    from resolutions.views import documents

    client = quiet_client()
    assert client.get(f"/documents/{committed.slug}/").status_code == 200
    real_render = documents.render

    def render_after_the_cut(request, *args, **kwargs):
        with connection.cursor() as cursor:  # the request is using its connection...
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        terminate_backend(pid)  # ...when the server ends it
        return real_render(request, *args, **kwargs)

    monkeypatch.setattr(documents, "render", render_after_the_cut)
    assert_retry_page(client.get("/"))
    monkeypatch.setattr(documents, "render", real_render)

    recovered = client.get("/")
    assert recovered.status_code == 200
    assert committed.symbol in recovered.content.decode()


# A failure half-way through a save ---------------------------------------------------------


def boom(*args, **kwargs):
    raise RuntimeError("the disk is full")


def test_a_sponsor_list_that_fails_half_way_saves_nothing(client, db, monkeypatch):
    client.raise_request_exception = False
    client.force_login(make_delegate("amina", "Nigeria", editor=True))
    before = (SponsorList.objects.count(), Sponsorship.objects.count())
    # The list row is written first; its sponsorships fail.
    monkeypatch.setattr(Sponsorship.objects, "bulk_create", boom)
    response = client.post(
        f"/documents/{SEED_SLUG}/sponsors/lists/new/",
        {
            "label": "Additional sponsors at action",
            "as_of": "2021-11-03",
            "source": "A/C.1/76/PV.25",
            "names": "Brazil, Chile and Peru",
            "additional": "on",
        },
    )
    assert response.status_code == 500
    assert (SponsorList.objects.count(), Sponsorship.objects.count()) == before


def test_an_import_that_fails_half_way_through_the_page_saves_nothing(client, db, monkeypatch):
    client.raise_request_exception = False
    client.force_login(make_delegate("amina", "Nigeria", editor=True))
    models = (Document, Paragraph, Footnote, Citation, SponsorList, Sponsorship)
    before = {model: model.objects.count() for model in models}
    # Document, sponsors, paragraphs and footnotes are written; the citations fail.
    monkeypatch.setattr(importing, "_save_citations", boom)
    text = (TEXTS_DIR / "A-RES-80-22.txt").read_text(encoding="utf-8")
    response = client.post("/import/", {"text": text, "save": "1"})
    assert response.status_code == 500
    assert {model: model.objects.count() for model in models} == before


def test_an_edit_that_fails_half_way_keeps_the_note_as_it_was(client, db, monkeypatch):
    client.raise_request_exception = False
    lars = make_delegate("lars")
    op6 = Paragraph.objects.get(document__slug=SEED_SLUG, label="op6")
    note = make_annotation(lars, op6, "The words agreed with capital", tags=["red line"])
    client.force_login(lars)
    # The new text is written; keeping the old one as history fails.
    monkeypatch.setattr(AnnotationRevision.objects, "create", boom)
    response = client.post(
        f"/annotations/{note.pk}/edit/",
        {"body": "Half-saved text", "version": 1, "visibility": "delegation", "tags": "new"},
    )
    assert response.status_code == 500
    note.refresh_from_db()
    assert (note.body, note.version) == ("The words agreed with capital", 1)
    assert [tag.name for tag in note.tags.all()] == ["red line"]
    assert not AnnotationRevision.objects.filter(annotation=note).exists()
    assert Annotation.objects.filter(body="Half-saved text").count() == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting")
def test_postgresql_compiles_no_query_just_in_time(db):
    """Compiling a query the planner thinks costly took seconds for a margin that reads in a
    quarter of one; the app's connections turn it off."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL settings")
def test_postgresql_plans_for_data_in_memory_and_short_queries(db):
    """Random reads priced as on an SSD (a paragraph's notes joined to their threads by id,
    not by hashing every note) and no parallel workers for one request's query."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert float(cursor.fetchone()[0]) == 1.1
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] == "0"


@pytest.mark.skipif(
    not connection.settings_dict["OPTIONS"].get("server_side_binding"),
    reason="PostgreSQL keeping plans (DATABASE_PREPARE_THRESHOLD, not off)",
)
def test_postgresql_plans_a_query_the_app_repeats_once_per_connection(db):
    """The header's unread count, on every page a delegate opens, took 5.7 ms to plan and
    0.4 ms to run: once a connection has run it a few times, it keeps one plan for it,
    with the reader's values sent apart from the text, so that any reader's runs reuse it."""
    from resolutions.models import Notification

    threshold = connection.settings_dict["OPTIONS"]["prepare_threshold"]
    readers = [make_delegate("lars"), make_delegate("amina", "Kenya")]
    # PostgreSQL plans a prepared query's first five runs with their values, then keeps
    # one plan if it costs no more.
    for turn in range(threshold + 5 + 3):
        assert Notification.objects.unread_count(readers[turn % 2]) == 0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans FROM pg_prepared_statements WHERE statement LIKE %s",
            ['%FROM "resolutions_notification"%'],
        )
        [(kept_plan_runs,)] = cursor.fetchall()
        assert kept_plan_runs >= 1


@pytest.mark.parametrize(
    ("threshold", "expected"),
    [("", "True 5"), ("2", "True 2"), (" OFF ", "None None"), ("off", "None None")],
)
def test_the_environment_chooses_whether_postgresql_keeps_plans(threshold, expected):
    """``DATABASE_PREPARE_THRESHOLD=off`` sends values inside the query's text and prepares
    nothing, as a PgBouncer without prepared statements needs; by default a query is
    prepared after 5 runs."""
    result = _settings_with_threshold(threshold)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == expected.split()


@pytest.mark.parametrize("threshold", ["0", "-1", "no", "2.5"])
def test_a_threshold_that_is_no_number_of_runs_stops_the_app_saying_what_is_allowed(threshold):
    """0 would prepare every query at once (psycopg's meaning), the opposite of off."""
    result = _settings_with_threshold(threshold)
    assert result.returncode != 0
    assert "DATABASE_PREPARE_THRESHOLD must be a whole number of runs, 1 or more, or off" in (
        result.stderr
    )


def _settings_with_threshold(threshold: str):
    from tests.security.serving import manage

    return manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; options = settings.DATABASES['default']['OPTIONS']; "
        "print(options.get('server_side_binding'), options.get('prepare_threshold'))",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/workbench",
        DATABASE_PREPARE_THRESHOLD=threshold,
    )
