"""The home page says what the workbench is and what logging in adds."""

from django.urls import reverse

WHAT_IT_IS = (
    "The Resolution workbench holds General Assembly drafts and resolutions exactly as "
    "issued: read them paragraph by paragraph, compare versions and sponsor lists, follow "
    "the agenda item and print a briefing."
)


def test_the_home_page_says_what_the_workbench_is_and_what_logging_in_adds(client, db):
    html = client.get(reverse("resolutions:home")).content.decode()
    assert WHAT_IT_IS in html
    assert (
        '<a href="/accounts/login/?next=/">Log in</a> and your delegation can also annotate '
        "paragraphs, propose wording and track its own follow-up actions."
    ) in html


def test_a_logged_in_delegate_reads_what_their_delegation_can_do(client, lars):
    client.force_login(lars)
    html = client.get(reverse("resolutions:home")).content.decode()
    assert WHAT_IT_IS in html
    assert "Logged in, your delegation can also annotate paragraphs" in html
