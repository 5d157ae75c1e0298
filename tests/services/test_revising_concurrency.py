"""Two pen holders issuing the next revision of one version at once: one revision is
issued, and the other pen holder is told the version has been superseded by it.

Real threads, each with its own connection (on PostgreSQL the document's row lock decides;
on SQLite the write transactions queue)."""

import pytest
from django.test import Client

from resolutions.models import Document, Paragraph
from tests.conftest import SEED_SLUG, load_seed_fixtures
from tests.factories import make_delegate
from tests.services.test_concurrency import run_in_threads

REVISE_URL = f"/documents/{SEED_SLUG}/revise/"


@pytest.fixture
def pen_holders(transactional_db):
    load_seed_fixtures()
    return [make_delegate(f"pen{i}", "Mexico", editor=True) for i in range(2)]


def test_two_pen_holders_issuing_at_once_never_both_win(pen_holders):
    symbols = ["A/C.1/76/L.13/Rev.1", "A/C.1/76/L.13/Rev.2"]

    def issue(index):
        client = Client()
        client.force_login(pen_holders[index])
        response = client.post(REVISE_URL, {"symbol": symbols[index]})
        return response.status_code, response.content.decode()

    results = run_in_threads(2, issue)
    assert sorted(status for status, _ in results) == [302, 400]
    revisions = list(Document.objects.filter(revision_of__slug=SEED_SLUG))
    assert len(revisions) == 1
    refused = next(html for status, html in results if status == 400)
    assert f"has already been superseded by {revisions[0].symbol}" in refused
    assert Paragraph.objects.filter(document=revisions[0]).count() == 22
