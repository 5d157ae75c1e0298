"""The revise page: pen holders see what the next revision will hold and issue it; the
revision's reading page follows, one click from the comparison with the old version."""

import re

import pytest
from django.urls import reverse

from resolutions.models import Delegation, Document, Paragraph, Proposal
from tests.conftest import SEED_SLUG
from tests.factories import make_delegate, make_document, make_proposal_on

REVISE_URL = f"/documents/{SEED_SLUG}/revise/"
READING_URL = f"/documents/{SEED_SLUG}/"
REV1 = "A/C.1/76/L.13/Rev.1"
REV1_URL = "/documents/a-c1-76-l13-rev1/"
REFUSAL = "Only the pen holder of this document issues its next revision"


@pytest.fixture
def seed(db):
    return Document.objects.get(slug=SEED_SLUG)


@pytest.fixture
def editor(db):
    return make_delegate("editor", "Mexico", editor=True)


def accept(document, label, kind, text="", *, by):
    return make_proposal_on(
        document, label, kind, text, by=by, reason="Closer to the agreed language."
    )


def revise_form(html: str) -> str:
    found = re.search(r"<form[^>]*data-revise-form.*?</form>", html, re.S)
    assert found, "no form[data-revise-form]"
    return found.group(0)


def test_the_url_is_named():
    assert reverse("resolutions:document_revise", args=[SEED_SLUG]) == REVISE_URL


# Who may -----------------------------------------------------------------------------------


def test_a_visitor_is_asked_to_log_in(client, seed):
    response = client.get(REVISE_URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_while_no_pen_holder_is_named_editors_hold_the_pen(client, seed, editor, lars):
    client.force_login(lars)
    refused = client.get(REVISE_URL)
    assert refused.status_code == 403
    assert REFUSAL in refused.content.decode()
    assert client.post(REVISE_URL, {"symbol": REV1}).status_code == 403
    assert not Document.objects.filter(symbol=REV1).exists()
    client.force_login(editor)
    assert client.get(REVISE_URL).status_code == 200


def test_named_pen_holders_hold_the_pen_and_editors_no_longer_do(client, seed, editor, lars):
    seed.pen_holders.add(Delegation.objects.get(name="Norway"))
    client.force_login(editor)
    assert client.get(REVISE_URL).status_code == 403
    client.force_login(lars)
    assert client.get(REVISE_URL).status_code == 200


def test_an_unknown_document_is_not_found(client, editor):
    client.force_login(editor)
    assert client.get("/documents/a-c1-99-l999/revise/").status_code == 404


def test_other_methods_are_refused(client, seed, editor):
    client.force_login(editor)
    assert client.put(REVISE_URL).status_code == 405


# The page ----------------------------------------------------------------------------------


def test_the_page_offers_the_next_symbol_and_warns_when_nothing_is_accepted(client, seed, editor):
    client.force_login(editor)
    html = client.get(REVISE_URL).content.decode()
    form = revise_form(html)
    assert 'method="post"' in form
    assert f'action="{REVISE_URL}"' in form
    assert re.search(r'<input type="text" name="symbol"[^>]*value="A/C.1/76/L.13/Rev.1"', form)
    assert '<label for="revise-symbol">' in form
    assert "No proposal has been accepted yet" in html
    assert "The revision will read as the current text of A/C.1/76/L.13" in html


def test_the_page_lists_the_changes_and_the_renumbering(client, seed, editor, amina):
    accept(seed, "op3", Proposal.Kind.AMEND, "Calls upon all Member States to act;", by=amina)
    accept(seed, "op3", Proposal.Kind.INSERT, "Encourages regional organizations to act;", by=amina)
    accept(seed, "op1", Proposal.Kind.DELETE, by=amina)
    client.force_login(editor)
    html = client.get(REVISE_URL).content.decode()
    assert "No proposal has been accepted yet" not in html
    assert "<strong>3</strong> accepted proposals" in html
    assert "<strong>22 → 22</strong> paragraphs" in html
    assert "Amends OP3" in html
    assert "→ OP2 in the revision" in html
    assert "Inserts after OP3" in html
    assert "Deletes OP1" in html
    assert "proposed by Nigeria" in html
    # The amendment as a tracked change, announced to screen readers.
    assert 'Calls upon <ins><span class="visually-hidden">[added: </span>all</ins>' in html
    assert '<del><span class="visually-hidden">[deleted: </span>be guided in' in html
    assert "<li>OP2 becomes OP1</li>" in html
    assert "<li>OP3 becomes OP2</li>" in html
    assert "OP4 becomes" not in html  # the deletion and the insertion even out
    assert "The 55 sponsors of “As printed”" in html
    assert "2 footnotes, numbered again in order; 1 dropped" in html


def test_a_superseded_version_offers_no_form(client, seed, editor):
    client.force_login(editor)
    client.post(REVISE_URL, {"symbol": REV1})
    response = client.get(REVISE_URL)
    html = response.content.decode()
    assert "data-revise-form" not in html
    assert "A/C.1/76/L.13 has already been superseded by A/C.1/76/L.13/Rev.1" in html
    again = client.post(REVISE_URL, {"symbol": "A/C.1/76/L.13/Rev.7"})
    assert again.status_code == 400
    assert "has already been superseded" in again.content.decode()
    assert not Document.objects.filter(symbol="A/C.1/76/L.13/Rev.7").exists()


def test_the_page_costs_the_same_whatever_the_number_of_proposals(
    client, seed, editor, amina, django_assert_num_queries
):
    client.force_login(editor)
    # The session and the user (and whether they are an editor); the document and its pen
    # holders; the plan (plan_revision).
    # One more: the header's unread count (Inbox (3)).
    with django_assert_num_queries(13) as few:
        client.get(REVISE_URL)
    for label in ("op1", "op2", "op3", "op4", "op5", "op6-a", "pp2"):
        accept(seed, label, Proposal.Kind.INSERT, f"New words after {label};", by=amina)
    with django_assert_num_queries(len(few.captured_queries)):
        html = client.get(REVISE_URL).content.decode()
    assert "Inserts after OP6(a)" in html


# Issuing -----------------------------------------------------------------------------------


def test_issuing_leads_to_the_revision_one_click_from_the_comparison(client, seed, editor, amina):
    op3 = Paragraph.objects.get(document=seed, label="op3").text
    amended = op3.replace("to be guided", "to be guided, as appropriate,")
    accept(seed, "op3", Proposal.Kind.AMEND, amended, by=amina)
    client.force_login(editor)
    response = client.post(REVISE_URL, {"symbol": f"  {REV1} "})
    assert response.status_code == 302
    assert response["Location"] == REV1_URL

    page = client.get(REV1_URL).content.decode()
    assert "Issued A/C.1/76/L.13/Rev.1: 1 accepted proposal applied (1 amended)" in page
    compare_url = f"/compare/text/?a={SEED_SLUG}&amp;b=a-c1-76-l13-rev1"
    assert f'<a href="{compare_url}">see what changed from A/C.1/76/L.13</a>' in page
    assert "as appropriate" in page

    comparison = client.get(compare_url.replace("&amp;", "&")).content.decode()
    rows = re.findall(r'<li class="compare-row status-(\w+)[^"]*" id="([\w-]+)"', comparison)
    assert [(label, status) for status, label in rows if status != "unchanged"] == [
        ("op3", "changed")
    ]
    assert len(rows) == 22


def test_the_old_version_names_its_revision_and_no_longer_offers_one(client, seed, editor):
    client.force_login(editor)
    before = client.get(READING_URL).content.decode()
    assert f'<a href="{REVISE_URL}">Issue the next revision</a>' in before
    client.post(REVISE_URL, {"symbol": REV1})
    after = client.get(READING_URL).content.decode()
    assert "Issue the next revision" not in after
    assert f'Revised as <a href="{REV1_URL}">{REV1}</a>' in after
    assert "Issue the next revision" in client.get(REV1_URL).content.decode()


def test_only_pen_holders_are_offered_the_revision(client, seed, lars):
    client.force_login(lars)
    assert "Issue the next revision" not in client.get(READING_URL).content.decode()
    client.logout()
    assert "Issue the next revision" not in client.get(READING_URL).content.decode()


def test_the_delegations_notes_come_across_when_asked(client, seed, editor):
    from tests.factories import make_annotation

    make_annotation(editor, Paragraph.objects.get(document=seed, label="op2"), "Mexico's note")
    client.force_login(editor)
    response = client.post(REVISE_URL, {"symbol": REV1, "carry_notes": "on"}, follow=True)
    html = response.content.decode()
    assert "1 note of your delegation brought across: 1 on its paragraph." in html
    assert "Mexico&#x27;s note" in html


@pytest.mark.parametrize(
    ("symbol", "message"),
    [
        ("", "Give the revision its symbol, e.g. A/C.1/76/L.13/Rev.1."),
        ("L.13 revised", "“L.13revised” is not a UN document symbol."),
        ("A/C.1/99/L.1", "A/C.1/99/L.1 is already in the workbench."),
    ],
)
def test_a_bad_symbol_is_refused_with_a_message_and_nothing_issued(
    client, seed, editor, symbol, message
):
    make_document(symbol="A/C.1/99/L.1")
    client.force_login(editor)
    count = Document.objects.count()
    response = client.post(REVISE_URL, {"symbol": symbol})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nothing was issued." in html
    assert message in html
    assert 'aria-invalid="true"' in revise_form(html)
    assert Document.objects.count() == count
