"""Pages that are the same for every reader (the sponsors page and its CSV and JSON twins, a
document's exports) are built once per change and served from the cache until then: the
second view runs fewer queries, and a sponsor recorded, a version issued or an edit in the
admin shows on the very next view. A delegate's sponsors page is kept whole for them, with
their header and tokens of each response's own."""

import datetime
import re

import pytest
from asgiref.sync import async_to_sync
from django.contrib.auth.models import Group
from django.db import connection
from django.http import QueryDict
from django.test import AsyncClient, Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from resolutions import services
from resolutions.models import Document, MemberState, Notification, Paragraph, User
from resolutions.pages.shared import shared_key
from tests.caching import cached_keys
from tests.conftest import SEED_SLUG
from tests.factories import admin_save, make_annotation, make_delegate

SPONSORS = f"/documents/{SEED_SLUG}/sponsors/"
SPONSORS_JSON = f"/documents/{SEED_SLUG}/sponsors.json"
SPONSORS_CSV = f"/documents/{SEED_SLUG}/sponsors.csv"
AKN = f"/documents/{SEED_SLUG}.akn.xml"
EXPORT_JSON = f"/documents/{SEED_SLUG}.json"

# Every test twice: on this process's own cache, and on the Redis that app servers share.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("each_cache")]


def text(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def main(html: str) -> str:
    """The page without its header, whose CSRF token is new on every response."""
    return html[html.index("<main") : html.index("</main>")]


def record_sponsor(document: Document, name: str, iso3: str) -> None:
    services.sponsor_list_record(
        document=document,
        label="Announced in the room",
        as_of=datetime.date(2030, 1, 1),
        source="",
        names=[(name, iso3)],
        additional=True,
    )


def test_the_sponsors_page_is_built_once_for_every_reader(
    client, seed_document, django_assert_num_queries
):
    # Cold: the document, its sponsor lists, their sponsorships and the Member States.
    with django_assert_num_queries(4):
        first = text(client, SPONSORS + "?group=weog&region=Europe")
    # Warm: the document alone, whose version names the cached body.
    with django_assert_num_queries(1):
        again = text(client, SPONSORS + "?region=Europe&group=weog")
    assert main(again) == main(first)
    assert len(cached_keys("sponsors-page")) == 1


def test_each_filter_is_a_page_of_its_own(client, seed_document):
    assert "21 of 55 sponsors shown" in text(client, SPONSORS + "?group=weog")
    assert "5 of 55 sponsors shown" in text(client, SPONSORS + "?group=asia-pacific")
    assert "21 of 55 sponsors shown" in text(client, SPONSORS + "?group=weog")


def test_editors_and_others_each_get_their_own_copy(client, seed_document):
    editor = Client()
    editor.force_login(make_delegate("ed", "Japan", editor=True))
    record = "Record a later sponsor list"
    assert record in text(editor, SPONSORS)
    assert record not in text(client, SPONSORS)
    client.force_login(make_delegate("lars", "Norway"))
    assert record not in text(client, SPONSORS)
    assert record in text(editor, SPONSORS)


def test_the_htmx_table_and_the_page_are_cached_apart(client, seed_document):
    page = text(client, SPONSORS + "?group=weog")
    table = client.get(SPONSORS + "?group=weog", headers={"HX-Request": "true"}).content.decode()
    assert "<h1>" in page
    assert "<h1>" not in table
    assert 'hx-swap-oob="true"' in table
    assert 'hx-swap-oob="true"' not in page
    assert "<h1>" in text(client, SPONSORS + "?group=weog")


def test_a_sponsor_recorded_shows_on_the_next_view_of_each(client, seed_document):
    def sponsors_json() -> list[str]:
        return [row["iso3"] for row in client.get(SPONSORS_JSON).json()["sponsors"]]

    assert "55 of 55 sponsors" in text(client, SPONSORS)
    assert "BTN" not in sponsors_json()
    assert ",BTN," not in text(client, SPONSORS_CSV)
    record_sponsor(seed_document, "Bhutan", "BTN")
    assert "56 of 56 sponsors" in text(client, SPONSORS)
    assert "BTN" in sponsors_json()
    assert ",BTN," in text(client, SPONSORS_CSV)


def test_the_twins_are_built_once(client, seed_document, django_assert_num_queries):
    for url in (SPONSORS_JSON + "?group=weog", SPONSORS_CSV + "?group=weog"):
        with django_assert_num_queries(4):
            first = client.get(url)
        with django_assert_num_queries(1):
            again = client.get(url)
        assert again.content == first.content
        assert again["Content-Type"] == first["Content-Type"]
    assert client.get(SPONSORS_CSV)["Content-Disposition"].startswith("attachment;")


def test_a_refused_filter_stays_refused_from_the_cache(client, seed_document):
    for _ in range(2):
        response = client.get(SPONSORS_JSON + "?group=nowhere")
        assert response.status_code == 400
        assert "not a UN regional group" in response.json()["error"]


def test_a_states_name_changed_in_the_admin_shows_on_the_next_view(client, staff, seed_document):
    assert "Kingdom of Norway" not in text(client, SPONSORS)
    norway = MemberState.objects.get(iso3="NOR")
    change_url = reverse("admin:resolutions_memberstate_change", args=[norway.pk])
    admin_save(staff, change_url, name="Kingdom of Norway")
    assert "Kingdom of Norway" in text(client, SPONSORS)


def test_the_exports_are_built_once_per_version(client, seed_document, django_assert_num_queries):
    for url, cold in ((AKN, 5), (EXPORT_JSON, 6)):
        with django_assert_num_queries(cold):
            first = client.get(url)
        # Warm: the document (with its agenda listing and earlier version) alone.
        with django_assert_num_queries(1):
            again = client.get(url)
        assert again.content == first.content
        assert again["Content-Type"] == first["Content-Type"]
    assert client.get(AKN)["Content-Disposition"] == f'inline; filename="{SEED_SLUG}.akn.xml"'


def test_a_paragraph_edited_in_the_admin_shows_in_the_exports(client, staff, seed_document):
    for url in (AKN, EXPORT_JSON):
        assert "the admin" not in text(client, url)
    op6 = Paragraph.objects.get(document=seed_document, label="op6")
    change_url = reverse("admin:resolutions_paragraph_change", args=[op6.pk])
    admin_save(staff, change_url, lead="Welcomes", text="Welcomes the admin", headings="[]")
    for url in (AKN, EXPORT_JSON):
        assert "the admin" in text(client, url)


def test_the_json_export_names_the_site_it_was_asked_from(client, seed_document, settings):
    settings.ALLOWED_HOSTS = ["testserver", "workbench.example"]
    client.get(EXPORT_JSON)
    other = client.get(EXPORT_JSON, HTTP_HOST="workbench.example").content.decode()
    assert "http://workbench.example/documents/" in other


def test_a_shared_page_is_kept_under_a_short_key_whatever_its_address_says(seed_document):
    """A cache key longer than 250 characters is refused by some caches: five compared
    documents with their query string, or any long address, are kept under a digest."""
    long_query = QueryDict("&".join(f"documents=a-c1-76-l{n}" for n in range(900, 950)))
    key = shared_key("sponsors-compare", [seed_document] * 5, long_query, True)
    assert len(key) < 100
    assert key.startswith("shared.sponsors-compare.")
    reordered = QueryDict("region=Europe&group=weog")
    assert shared_key("sponsors", [seed_document], reordered) == shared_key(
        "sponsors", [seed_document], QueryDict("group=weog&region=Europe")
    )
    assert shared_key("sponsors", [seed_document], reordered, True) != shared_key(
        "sponsors", [seed_document], reordered, False
    )


# The sponsors page kept whole for each delegate (``pages.shared.reader_page``) -----------

PASSWORD = "a-long-enough-password-76"
HTMX_TOKEN = re.compile(r'"X-CSRFToken": "([^"]+)"')
FORM_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def delegate(username: str, state: str = "Norway", **fields):
    user = make_delegate(username, state, **fields)
    user.set_password(PASSWORD)
    user.save()
    return user


def test_a_delegate_is_served_their_kept_page_in_four_queries(
    client, seed_document, django_assert_num_queries
):
    client.force_login(delegate("lars"))
    first = text(client, SPONSORS)
    # The session, the delegate, the document's version and their unread count: no
    # template is rendered and the shared cache is not asked.
    with django_assert_num_queries(4):
        again = text(client, SPONSORS)
    assert main(again) == main(first)
    assert ">lars<" in again
    assert HTMX_TOKEN.search(again)[1] != HTMX_TOKEN.search(first)[1]
    assert FORM_TOKEN.search(again)[1] != FORM_TOKEN.search(first)[1]


def test_the_unread_count_a_page_is_kept_under_is_the_one_it_shows(client, seed_document):
    """Counted once a request: a notification arriving between a second count and the first
    would keep a page showing one count under the other."""
    client.force_login(delegate("lars"))
    with CaptureQueriesContext(connection) as queries:
        text(client, SPONSORS)
    counts = [q["sql"] for q in queries if '"resolutions_notification"' in q["sql"]]
    assert len(counts) == 1, counts


def test_each_delegate_gets_their_own_header_and_editor_s_page(client, seed_document):
    lars, amina = delegate("lars"), delegate("amina", "Nigeria")
    for _ in range(2):
        for reader, other in ((lars, "amina"), (amina, "lars")):
            client.force_login(reader)
            page = text(client, SPONSORS)
            assert f">{reader.username}<" in page
            assert f">{other}<" not in page
            assert "/import/" not in page
    lars.groups.add(Group.objects.get_or_create(name=User.EDITOR_GROUP)[0])
    client.force_login(lars)
    assert 'href="/import/">Import</a>' in text(client, SPONSORS)
    User.objects.filter(pk=lars.pk).update(username="lars.n")
    assert ">lars.n<" in text(client, SPONSORS)


def test_a_notification_shows_in_the_header_of_the_kept_page(client, seed_document):
    lars, amina = delegate("lars"), delegate("amina", "Nigeria")
    client.force_login(lars)
    assert "Inbox (" not in text(client, SPONSORS)
    op6 = Paragraph.objects.get(document=seed_document, label="op6")
    make_annotation(amina, op6, "@lars can Norway agree?", visibility="public")
    assert "Inbox (1)" in text(client, SPONSORS)
    Notification.objects.filter(recipient=lars).update(read_at=timezone.now())
    assert "Inbox (" not in text(client, SPONSORS)


def test_a_message_waiting_is_shown_on_the_page_not_the_kept_copy(client, seed_document):
    client.force_login(delegate("lars"))
    text(client, SPONSORS)
    text(client, SPONSORS)
    choices = dict.fromkeys(Notification.Kind.values, "inbox")
    assert client.post("/accounts/notifications/", choices).status_code == 302
    assert "Saved: you are told as shown below." in text(client, SPONSORS)
    assert "Saved: you are told" not in text(client, SPONSORS)


def test_the_kept_page_s_tokens_are_of_the_reader_s_secret_after_logging_in_again(
    seed_document,
):
    """Logging in gives the reader a new CSRF secret: the copy kept from before carries
    tokens of the old one, and a form or an htmx request sent with those would be refused."""
    delegate("lars")
    browser = Client(enforce_csrf_checks=True)

    def log_in() -> None:
        token = FORM_TOKEN.search(text(browser, "/accounts/login/"))[1]
        answer = browser.post(
            "/accounts/login/",
            {"username": "lars", "password": PASSWORD, "csrfmiddlewaretoken": token},
        )
        assert answer.status_code == 302

    log_in()
    text(browser, SPONSORS)
    log_in()
    page = text(browser, SPONSORS)
    assert (
        browser.post("/accounts/logout/", HTTP_X_CSRFTOKEN=HTMX_TOKEN.search(page)[1]).status_code
        == 302
    )
    log_in()
    page = text(browser, SPONSORS)
    answer = browser.post("/accounts/logout/", {"csrfmiddlewaretoken": FORM_TOKEN.search(page)[1]})
    assert answer.status_code == 302
    assert "Log in</a>" in text(browser, SPONSORS)


def test_a_page_kept_for_a_plain_request_is_not_served_to_one_that_listens_live(seed_document):
    """Under ASGI the page listens for live events (``sse-connect``); a copy kept from a
    WSGI request has no such attribute and is not the one served."""
    client = Client()
    client.force_login(delegate("lars"))
    assert "sse-connect" not in text(client, SPONSORS)
    listening = AsyncClient()
    listening.cookies = client.cookies
    page = async_to_sync(listening.get)(SPONSORS)
    assert page.status_code == 200
    assert 'sse-connect="/events/?document=a-c1-76-l13"' in page.content.decode()
    assert "sse-connect" not in text(client, SPONSORS)
