"""The comparison of sponsor lists is the same for every reader but editors: it is built once
per change to the documents compared and served from the cache until then. A sponsor list
recorded on one of them shows on the next view; a comparison that cannot be made says why
every time, and never stands in the way of the answer once it can be made."""

import datetime

import pytest
from django.test import Client

from resolutions import services
from resolutions.models import Document
from tests.caching import cached_keys
from tests.conftest import SEED_SLUG
from tests.factories import make_delegate, make_document

PAGE = "/compare/sponsors/"
OTHER_SLUG = "a-c1-77-l99"

# Every test twice: on this process's own cache, and on the Redis that app servers share.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("each_cache")]


def record(document: Document, names: list[tuple[str, str]], label: str, additional=False):
    return services.sponsor_list_record(
        document=document,
        label=label,
        as_of=datetime.date(2030, 1, 1),
        source="",
        names=names,
        additional=additional,
    )


def text(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status
    return response.content.decode()


def main(html: str) -> str:
    """The page without its header, whose CSRF token is new on every response."""
    return html[html.index("<main") : html.index("</main>")]


def only_on(html: str, label: str) -> str:
    """The states the page says are only on the list ``label``."""
    start = html.index(f"Only on {label} (")
    return html[start : html.index("</p>", start)]


@pytest.fixture
def other(db) -> Document:
    document = make_document(symbol="A/C.1/77/L.99", paragraphs=1)
    record(document, [("Australia", "AUS"), ("Norway", "NOR"), ("China", "CHN")], "As printed")
    return document


def test_the_comparison_is_built_once_for_every_reader(client, other, django_assert_num_queries):
    url = f"{PAGE}?documents={SEED_SLUG}&documents={OTHER_SLUG}"
    # Cold: the documents compared (for the key), the comparison's four (documents, lists,
    # sponsorships, Member States), and the form's documents with their lists.
    with django_assert_num_queries(7):
        first = text(client, url)
    # Warm: the documents compared, whose versions name the cached comparison, and the form.
    with django_assert_num_queries(3):
        again = text(client, url)
    assert main(again) == main(first)
    assert "Only on A/C.1/77/L.99 (1)" in again
    # The lists in the other order are shown in that order: a comparison of its own.
    with django_assert_num_queries(7):
        swapped = text(client, f"{PAGE}?documents={OTHER_SLUG}&documents={SEED_SLUG}")
    assert swapped.index("Only on A/C.1/77/L.99") < swapped.index("Only on A/C.1/76/L.13")
    assert len(cached_keys("sponsors-compare")) == 2


def test_a_list_recorded_on_one_document_shows_on_the_next_view(client, other):
    url = f"{PAGE}?documents={SEED_SLUG}&documents={OTHER_SLUG}"
    assert "China" in only_on(text(client, url), "A/C.1/77/L.99")
    assert "Bhutan" not in text(client, url)
    record(other, [("Bhutan", "BTN")], "Announced in the room", additional=True)
    html = text(client, url)
    assert "Only on A/C.1/77/L.99 (2)" in html
    assert "Bhutan" in only_on(html, "A/C.1/77/L.99")
    # A state joining the seed draft's list too moves it to both.
    record(Document.objects.get(slug=SEED_SLUG), [("Bhutan", "BTN")], "Later", additional=True)
    html = text(client, url)
    assert "Bhutan" not in only_on(html, "A/C.1/77/L.99")
    assert "Only on A/C.1/77/L.99 (1)" in html


def test_an_unknown_document_is_refused_every_time_until_it_is_held(client, db):
    url = f"{PAGE}?documents={SEED_SLUG}&documents={OTHER_SLUG}"
    for _ in range(2):
        text(client, url, status=404)
    assert cached_keys("sponsors-compare") == []
    document = make_document(symbol="A/C.1/77/L.99", paragraphs=1)
    record(document, [("China", "CHN")], "As printed")
    assert "Only on A/C.1/77/L.99 (1)" in text(client, url)


def test_a_snapshot_not_yet_recorded_gives_way_to_the_comparison_once_it_is(client, other):
    url = f"{PAGE}?documents={OTHER_SLUG}&documents={OTHER_SLUG}%40Revised"
    for _ in range(2):
        text(client, url, status=404)
    record(other, [("Chile", "CHL")], "Revised", additional=True)
    assert "Only on A/C.1/77/L.99 (Revised) (0)" in text(client, url)
    assert "Only on A/C.1/77/L.99 (1)" not in text(client, url)


def test_one_list_and_no_paste_asks_for_input_each_time_and_is_not_kept(client, other):
    for _ in range(2):
        assert "Paste a sponsor list to compare" in text(client, f"{PAGE}?documents={OTHER_SLUG}")
    assert cached_keys("sponsors-compare") == []
    html = text(client, f"{PAGE}?documents={OTHER_SLUG}&pasted=Chile")
    assert "Paste a sponsor list to compare" not in html
    assert "Only on Pasted list (1)" in html


def test_editors_and_others_each_get_their_own_copy(client, db):
    editor = Client()
    editor.force_login(make_delegate("amina", "Nigeria", editor=True))
    url = f"{PAGE}?documents={SEED_SLUG}&pasted=Chile%2C+Colombia"
    offer = "Record them on"
    assert offer not in text(client, url)
    assert offer in text(editor, url)
    client.force_login(make_delegate("lars", "Norway"))
    assert offer not in text(client, url)
    assert offer in text(editor, url)


def test_the_htmx_fragment_comes_from_the_same_cached_comparison(client, other):
    url = f"{PAGE}?documents={SEED_SLUG}&documents={OTHER_SLUG}"
    page = text(client, url)
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<div id="comparison">')
    assert "<h1>" not in fragment
    assert fragment.strip() in page
