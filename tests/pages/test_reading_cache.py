"""The reading page keeps the document as rendered for each reader until the document
changes: whatever changes a note, through the site, the admin or an import, shows on the
next view, and no reader is ever shown another reader's page."""

import re
import secrets

import pytest
from django.conf import settings
from django.test import Client

from resolutions import services
from resolutions.models import Annotation, Delegation, Paragraph
from resolutions.services import annotations_carry_forward
from tests.caching import cached_keys
from tests.conftest import SEED_SLUG
from tests.factories import PASSWORD, make_annotation, make_delegate, make_document

READING_URL = f"/documents/{SEED_SLUG}/"
CREATE_URL = f"/documents/{SEED_SLUG}/paragraphs/op6/annotations/"

# Every test twice: on this process's own cache, and on the Redis that app servers share.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("each_cache")]


@pytest.fixture
def op6(seed_document):
    return Paragraph.objects.get(document=seed_document, label="op6")


def page(client) -> str:
    return client.get(READING_URL).content.decode()


def reading_pages_cached() -> int:
    """How many renderings of the reading page the cache holds: one head for each reader
    and version of the document (its paragraphs are cached beside it, one by one)."""
    return len(cached_keys("reading-head"))


def op6_form(html: str) -> dict[str, str]:
    """The hidden fields of the form that adds a note to OP6, as the page carries them."""
    start = html.index(f'action="{CREATE_URL}"')
    form = html[start : html.index("</form>", start)]
    return dict(re.findall(r'name="(csrfmiddlewaretoken|submission_key)" value="([^"]*)"', form))


def log_in(browser: Client) -> None:
    """Log in through the form, as a browser does: a new session and a new CSRF secret."""
    login = browser.get("/accounts/login/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login)[1]
    response = browser.post(
        "/accounts/login/",
        {"username": "lars", "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302


def test_a_colleagues_new_note_shows_on_the_next_view(client, lars, ingrid, op6):
    client.force_login(lars)
    assert "Our line on op6" not in page(client)  # margins now cached for lars
    colleague = Client()
    colleague.force_login(ingrid)
    colleague.post(CREATE_URL, {"body": "Our line on op6", "visibility": "delegation"})
    assert "Our line on op6" in page(client)


def test_edits_deletions_and_resolutions_show_on_the_next_view(client, lars, ingrid, op6):
    note = make_annotation(ingrid, op6, "First wording", visibility="delegation")
    client.force_login(lars)
    assert "First wording" in page(client)

    services.annotation_update(
        note,
        editor=ingrid,
        version=1,
        body="Second wording",
        visibility="delegation",
        tags=["red line"],
        quote="",
    )
    text = page(client)
    assert "Second wording" in text
    assert "First wording" not in text
    assert "red line" in text

    services.thread_set_resolved(note, True)
    assert "Reopen" in page(client)

    services.annotation_delete(note)
    assert "Second wording" not in page(client)

    services.annotation_restore(note)
    assert "Second wording" in page(client)


def test_each_reader_gets_their_own_margins(client, lars, ingrid, amina, op6):
    make_annotation(lars, op6, "Only for me", visibility="private")
    make_annotation(ingrid, op6, "For Norway", visibility="delegation")
    client.force_login(lars)
    assert "Only for me" in page(client)
    assert "For Norway" in page(client)

    for reader, hidden in [(ingrid, ["Only for me"]), (amina, ["Only for me", "For Norway"])]:
        other = Client()
        other.force_login(reader)
        text = page(other)
        assert all(words not in text for words in hidden), reader
    # Edit and delete buttons on a cached page are still only the author's.
    ingrids_view = Client()
    ingrids_view.force_login(ingrid)
    note = Annotation.objects.get(body="For Norway")
    assert f"/annotations/{note.pk}/edit/" in page(ingrids_view)
    assert f"/annotations/{note.pk}/edit/" not in page(client)


def test_a_reader_who_is_not_logged_in_never_gets_a_delegates_page(client, lars, op6):
    make_annotation(lars, op6, "Seen by Norway", visibility="public")
    client.force_login(lars)
    assert "Seen by Norway" in page(client)
    anonymous = Client()
    text = page(anonymous)
    assert "Seen by Norway" not in text
    assert "Add a note" not in text
    assert 'id="op6"' in text


def test_a_delegate_moved_to_another_delegation_sees_its_notes(client, lars, amina, op6):
    make_annotation(amina, op6, "Read in Abuja", visibility="delegation")
    client.force_login(lars)
    assert "Read in Abuja" not in page(client)
    lars.delegation = Delegation.objects.get(name="Nigeria")
    lars.save()
    assert "Read in Abuja" in page(client)


def test_notes_carried_to_a_revision_show_there(client, lars, seed_document, op6):
    revision = make_document(paragraphs=6, revision_of=seed_document)
    client.force_login(lars)
    assert "Carried along" not in client.get(revision.get_absolute_url()).content.decode()
    make_annotation(lars, op6, "Carried along", visibility="private")
    annotations_carry_forward(user=lars, source=seed_document, target=revision)
    assert "Carried along" in client.get(revision.get_absolute_url()).content.decode()


def test_an_edit_made_in_the_admin_shows_on_the_next_view(client, lars, op6):
    note = make_annotation(lars, op6, "Before the admin", visibility="delegation")
    client.force_login(lars)
    assert "Before the admin" in page(client)
    staff = make_delegate("registry", "Norway")
    staff.is_staff = staff.is_superuser = True
    staff.save()
    admin = Client()
    admin.force_login(staff)
    change_url = f"/admin/resolutions/annotation/{note.pk}/change/"
    form = admin.get(change_url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and not isinstance(value, list)
    }
    data.update(
        body="After the admin",
        paragraph=op6.pk,
        author=lars.pk,
        delegation=lars.delegation_id,
        **{
            "revisions-TOTAL_FORMS": "0",
            "revisions-INITIAL_FORMS": "0",
            "revisions-MIN_NUM_FORMS": "0",
            "revisions-MAX_NUM_FORMS": "1000",
        },
    )
    data.pop("reply_to", None)
    data.pop("deleted_at", None)
    response = admin.post(change_url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert "After the admin" in page(client)


def test_the_forms_in_a_cached_margin_work_after_logging_in_again(lars):
    browser = Client(enforce_csrf_checks=True)
    for attempt in range(2):
        login = browser.get("/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.content.decode())
        browser.post(
            "/accounts/login/",
            {"username": "lars", "password": PASSWORD, "csrfmiddlewaretoken": token[1]},
        )
        page(browser)
        text = page(browser)  # from the cache
        form_token = re.search(
            r'action="' + re.escape(CREATE_URL) + r'"[^>]*>\s*<input type="hidden" '
            r'name="csrfmiddlewaretoken" value="([^"]+)"',
            text,
        )
        response = browser.post(
            CREATE_URL,
            {
                "body": f"Saved after login {attempt + 1}",
                "visibility": "private",
                "csrfmiddlewaretoken": form_token[1],
            },
        )
        assert response.status_code == 302, f"login {attempt + 1}: {response.status_code}"
        browser.post("/accounts/logout/", {"csrfmiddlewaretoken": form_token[1]})
    assert Annotation.objects.filter(body__startswith="Saved after login").count() == 2


def test_a_refused_note_comes_back_with_its_error_and_does_not_stay(client, lars, op6):
    client.force_login(lars)
    page(client)
    refused = client.post(CREATE_URL, {"body": "   ", "visibility": "delegation"})
    assert refused.status_code == 400
    assert 'aria-invalid="true"' in refused.content.decode()
    assert 'aria-invalid="true"' not in page(client)


def test_a_note_on_one_document_leaves_other_documents_pages_cached(
    client, lars, op6, django_assert_num_queries
):
    other = make_document(paragraphs=1)
    client.force_login(lars)
    client.get(other.get_absolute_url())
    make_annotation(lars, op6, "A note on the seed draft")
    # The session, the user with the editor check, the document and its paragraphs' versions:
    # the rest is cached. One more: the header's unread count (Inbox (3)).
    with django_assert_num_queries(5):
        client.get(other.get_absolute_url())
    assert "A note on the seed draft" in page(client)


def test_a_renumbered_agenda_item_shows_in_the_documents_header(client, lars, seed_document):
    client.force_login(lars)
    number = seed_document.agenda_listing.item_number
    assert f"Agenda item {number}</p>" in page(client)
    editor = Client()
    editor.force_login(make_delegate("eve", "Ireland", editor=True))
    editor.post(
        f"/agenda/{seed_document.agenda_listing.agenda_item.slug}/sessions/",
        {"session": "76", "item_number": "199", "note": ""},
    )
    assert "Agenda item 199</p>" in page(client)


def test_cookies_a_reader_makes_up_do_not_fill_the_cache(client, lars):
    """The page is cached for the reader, not for what their browser sends: made-up CSRF
    cookies (well formed or not) neither miss the cache nor push other readers out."""
    client.force_login(lars)
    for attempt in range(50):
        made_up = secrets.token_hex(16) if attempt % 2 else f"not a secret {attempt}"
        client.cookies[settings.CSRF_COOKIE_NAME] = made_up
        assert client.get(READING_URL).status_code == 200
    assert reading_pages_cached() == 1


def test_a_page_cached_before_logging_in_again_takes_notes_after(lars):
    """Logging in again brings a new CSRF secret; the page comes from the cache, made with
    the old one, and its forms still work."""
    browser = Client(enforce_csrf_checks=True)
    log_in(browser)
    old = op6_form(page(browser))
    browser.post("/accounts/logout/", {"csrfmiddlewaretoken": old["csrfmiddlewaretoken"]})
    log_in(browser)
    fields = op6_form(page(browser))
    assert reading_pages_cached() == 1  # the same rendering, from the cache
    response = browser.post(
        CREATE_URL, {"body": "Saved from the cached page", "visibility": "private", **fields}
    )
    assert response.status_code == 302
    assert Annotation.objects.filter(body="Saved from the cached page").count() == 1


def test_every_copy_of_a_cached_page_has_forms_of_its_own(client, lars):
    """Each form shown gets a submission key of its own, cached page or not: two notes
    typed into two tabs of the page are two notes, not one form sent twice."""
    client.force_login(lars)
    first, second = page(client), page(client)
    assert reading_pages_cached() == 1
    keys = re.findall(r'name="submission_key" value="([^"]+)"', first)
    assert len(keys) == len(set(keys)) > 10  # one per paragraph, each its own
    first_tab, second_tab = op6_form(first), op6_form(second)
    assert first_tab["submission_key"] != second_tab["submission_key"]
    for words, fields in [("From the first tab", first_tab), ("From the second tab", second_tab)]:
        client.post(CREATE_URL, {"body": words, "visibility": "private", **fields})
    assert set(Annotation.objects.values_list("body", flat=True)) == {
        "From the first tab",
        "From the second tab",
    }


def paragraphs_cached() -> set[str]:
    """The keys of the paragraphs of the reading page the cache holds."""
    return set(cached_keys("reading-paragraph"))


def test_a_note_on_op3_renders_op3_again_and_keeps_op5_as_cached(
    client, lars, ingrid, seed_document, django_assert_num_queries
):
    op3, op5 = (
        Paragraph.objects.get(document=seed_document, label=label) for label in ("op3", "op5")
    )
    make_annotation(ingrid, op5, "Kept as it was on op5", visibility="delegation")
    client.force_login(lars)
    page(client)
    before = paragraphs_cached()
    services.annotation_create(
        author=ingrid, paragraph=op3, body="New line on op3", visibility="delegation"
    )
    # Warm (5: the session, the user with the editor check, the document, its paragraphs'
    # versions, the header's unread count), and OP3's margin alone: its notes (5) and its
    # proposals (2). The reader's circles, for its forms, come from the cache with the parts.
    with django_assert_num_queries(12):
        text = page(client)
    assert "New line on op3" in text
    assert "Kept as it was on op5" in text
    added = paragraphs_cached() - before
    assert len(added) == 1
    assert f".{op3.pk}." in added.pop()
    # The next view is all from the cache again.
    with django_assert_num_queries(5):
        assert "New line on op3" in page(client)


def test_rendering_more_paragraphs_again_costs_no_more_queries(
    client, lars, ingrid, seed_document, django_assert_num_queries
):
    client.force_login(lars)
    page(client)
    paragraphs = list(Paragraph.objects.filter(document=seed_document))
    services.annotation_create(
        author=ingrid, paragraph=paragraphs[0], body="On the first", visibility="delegation"
    )
    # One paragraph rendered again, then every one: the same queries.
    with django_assert_num_queries(12):
        page(client)
    for paragraph in paragraphs:
        services.annotation_create(
            author=ingrid, paragraph=paragraph, body=f"On {paragraph.label}", visibility="public"
        )
    with django_assert_num_queries(12):
        text = page(client)
    assert all(f"On {paragraph.label}" in text for paragraph in paragraphs)


def test_a_circle_joined_renders_every_paragraph_again(client, lars, seed_document):
    client.force_login(lars)
    page(client)
    before = paragraphs_cached()
    services.circle_create(creator=lars, name="Nordic group")
    text = page(client)
    # The note forms of every paragraph now offer the circle.
    assert (
        text.count(">Nordic group</option>")
        >= Paragraph.objects.filter(document=seed_document).count()
    )
    # Every paragraph rendered again, under keys of the document's new layout version.
    assert len(paragraphs_cached() - before) == len(before)
