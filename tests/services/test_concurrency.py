"""Many delegates at once: no acknowledged note is lost, and of concurrent edits to one
version exactly one wins while every other editor gets a conflict with their text kept.

These run real threads, each with its own database connection, against the test database
(PostgreSQL in CI's second run, where row locking matters most)."""

import threading

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse

from resolutions.models import Annotation, AnnotationRevision, Paragraph
from tests.conftest import SEED_SLUG, load_seed_fixtures
from tests.factories import make_annotation, make_delegate


def run_in_threads(count, work):
    """Run ``work(index)`` in ``count`` threads started together; return their results."""
    barrier = threading.Barrier(count)
    results = [None] * count
    errors = []

    def target(index):
        try:
            barrier.wait(timeout=30)
            results[index] = work(index)
        except Exception as error:  # noqa: BLE001 -- reported to the test below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return results


@pytest.fixture
def delegates(transactional_db):
    load_seed_fixtures()
    return [make_delegate(f"delegate{i}", "Norway") for i in range(20)]


def test_fifty_concurrent_creates_are_all_saved_and_acknowledged(delegates):
    url = reverse("resolutions:annotation_create", args=[SEED_SLUG, "op6"])

    def create(index):
        client = Client()
        client.force_login(delegates[index % len(delegates)])
        response = client.post(
            url, {"body": f"note {index}", "visibility": "delegation", "tags": "load"}
        )
        return response.status_code

    statuses = run_in_threads(50, create)
    assert statuses == [302] * 50
    bodies = set(Annotation.objects.values_list("body", flat=True))
    assert bodies == {f"note {i}" for i in range(50)}


def test_one_form_sent_ten_times_at_once_saves_one_note(delegates):
    """A form sent again and again while the first request is still running (a delegate
    clicking on a slow connection): every copy is answered as saved, and there is one note.
    Copies that looked before any was saved meet the database's unique key."""
    url = reverse("resolutions:annotation_create", args=[SEED_SLUG, "op6"])
    sent = {"body": "Sent at once", "visibility": "delegation", "submission_key": "one-form"}

    def send(index):
        client = Client()
        client.force_login(delegates[0])
        return client.post(url, sent).status_code

    assert run_in_threads(10, send) == [302] * 10
    assert Annotation.objects.filter(body="Sent at once").count() == 1


def test_twenty_concurrent_edits_of_one_version_let_exactly_one_win(delegates):
    author = delegates[0]
    op6 = Paragraph.objects.get(document__slug=SEED_SLUG, label="op6")
    note = make_annotation(author, op6, "original")
    url = reverse("resolutions:annotation_edit", args=[note.pk])

    def edit(index):
        client = Client()
        client.force_login(author)
        response = client.post(
            url,
            {"body": f"edit {index}", "version": 1, "visibility": "delegation", "tags": ""},
        )
        return response.status_code, response.content.decode()

    results = run_in_threads(20, edit)
    winners = [i for i, (status, _) in enumerate(results) if status == 302]
    losers = [(i, html) for i, (status, html) in enumerate(results) if status == 409]
    assert len(winners) == 1
    assert len(losers) == 19
    for index, html in losers:
        assert f"edit {index}" in html  # the loser's own text is kept in the form
        assert "Someone saved this note while you were editing it" in html
    note.refresh_from_db()
    assert (note.body, note.version) == (f"edit {winners[0]}", 2)
    assert list(
        AnnotationRevision.objects.filter(annotation=note).values_list("body", "version")
    ) == [("original", 1)]
