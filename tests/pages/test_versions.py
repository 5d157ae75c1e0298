"""A document's versions: the banner at the top of a version that is no longer the latest,
and the chain listed oldest first, on the reading page, the notes, the briefing and the JSON."""

import datetime
import json
import re

import pytest

from resolutions.models import Document
from resolutions.pages.versions import document_versions
from resolutions.services.revising import issue_revision
from tests.conftest import SEED_SLUG
from tests.factories import make_delegate, make_document

READING = f"/documents/{SEED_SLUG}/"


def banner(html: str) -> str:
    """The text of the banner (tags and runs of space dropped), or "" when there is none."""
    match = re.search(r'<div class="version-banner" role="note".*?</div>', html, re.S)
    return " ".join(re.sub(r"<[^>]+>", "", match.group(0)).split()) if match else ""


def versions_list(html: str) -> list[str]:
    match = re.search(r'<nav class="version-list[^"]*".*?</nav>', html, re.S)
    items = re.findall(r"<li.*?</li>", match.group(0), re.S)
    return [" ".join(re.sub(r"<[^>]+>", "", item).split()) for item in items]


@pytest.fixture
def revisions(seed_document):
    """A/C.1/76/L.13, then Rev.1 of 25 October 2021 and Rev.2 of 1 November 2021."""
    rev1 = make_document(
        symbol="A/C.1/76/L.13/Rev.1",
        kind=Document.Kind.REVISION,
        date=datetime.date(2021, 10, 25),
        session=76,
        revision_of=seed_document,
    )
    rev2 = make_document(
        symbol="A/C.1/76/L.13/Rev.2",
        kind=Document.Kind.REVISION,
        date=datetime.date(2021, 11, 1),
        session=76,
        revision_of=rev1,
    )
    return rev1, rev2


def test_a_superseded_draft_names_the_latest_version_and_the_next_one(client, revisions):
    html = client.get(READING).content.decode()
    assert banner(html) == (
        "Superseded by A/C.1/76/L.13/Rev.2 of 1 November 2021, the latest version. "
        "See what changed in A/C.1/76/L.13/Rev.2. "
        "Next after this version: A/C.1/76/L.13/Rev.1 of 25 October 2021 (see what changed)."
    )
    assert 'href="/documents/a-c1-76-l13-rev2/"' in html
    assert "/compare/text/?a=a-c1-76-l13&amp;b=a-c1-76-l13-rev2" in html
    assert "/compare/text/?a=a-c1-76-l13&amp;b=a-c1-76-l13-rev1" in html


def test_every_version_lists_the_chain_oldest_first_with_dates(client, revisions):
    rev1, _ = revisions
    html = client.get(rev1.get_absolute_url()).content.decode()
    assert versions_list(html) == [
        "A/C.1/76/L.13 Draft, issued 8 October 2021",
        "A/C.1/76/L.13/Rev.1 Revised draft, issued 25 October 2021 (this version) · "
        "compare with A/C.1/76/L.13",
        "A/C.1/76/L.13/Rev.2 Revised draft, issued 1 November 2021 · "
        "compare with A/C.1/76/L.13/Rev.1",
    ]
    assert '<li aria-current="page" class="this-version">' in html
    # Rev.2 is what came right after Rev.1: the banner names it once.
    assert banner(html) == (
        "Superseded by A/C.1/76/L.13/Rev.2 of 1 November 2021. "
        "See what changed in A/C.1/76/L.13/Rev.2."
    )


def test_the_latest_version_has_no_banner(client, revisions):
    _, rev2 = revisions
    html = client.get(rev2.get_absolute_url()).content.decode()
    assert banner(html) == ""
    assert "(this version)" in versions_list(html)[-1]


def test_a_document_alone_lists_itself(client, seed_document):
    html = client.get(READING).content.decode()
    assert banner(html) == ""
    assert versions_list(html) == ["A/C.1/76/L.13 Draft, issued 8 October 2021 (this version)"]


def test_a_draft_adopted_after_a_revision_says_adopted_and_names_the_revision(client, revisions):
    _, rev2 = revisions
    make_document(
        symbol="A/RES/76/19",
        kind=Document.Kind.RESOLUTION,
        date=datetime.date(2021, 12, 8),
        adopted_on=datetime.date(2021, 12, 6),
        session=76,
        revision_of=rev2,
    )
    html = client.get(READING).content.decode()
    assert banner(html).startswith(
        "Adopted as A/RES/76/19 on 6 December 2021, the latest version. "
        "See what changed in A/RES/76/19. Next after this version: A/C.1/76/L.13/Rev.1"
    )
    assert versions_list(html)[-1] == (
        "A/RES/76/19 Resolution, adopted 6 December 2021 · compare with A/C.1/76/L.13/Rev.2"
    )


def test_the_notes_and_the_briefing_carry_the_banner(client, lars, revisions):
    client.force_login(lars)
    notes = client.get(f"/documents/{SEED_SLUG}/annotations/").content.decode()
    assert banner(notes).startswith("Superseded by A/C.1/76/L.13/Rev.2 of 1 November 2021")
    briefing = client.get(f"/documents/{SEED_SLUG}/briefing/").content.decode()
    cover = briefing[briefing.index('class="briefing-cover"') :]
    assert banner(cover).startswith("Superseded by A/C.1/76/L.13/Rev.2 of 1 November 2021")


def test_the_json_export_lists_the_versions(client, revisions):
    data = json.loads(client.get(f"/documents/{SEED_SLUG}.json").content)
    assert [(v["symbol"], v["date"], v["this_version"]) for v in data["versions"]] == [
        ("A/C.1/76/L.13", "2021-10-08", True),
        ("A/C.1/76/L.13/Rev.1", "2021-10-25", False),
        ("A/C.1/76/L.13/Rev.2", "2021-11-01", False),
    ]
    assert data["versions"][1]["url"] == "http://testserver/documents/a-c1-76-l13-rev1/"


def test_the_chain_is_one_query_however_long(seed_document, django_assert_num_queries):
    earlier = seed_document
    for n in range(1, 7):
        earlier = make_document(
            symbol=f"A/C.1/76/L.13/Rev.{n}", kind=Document.Kind.REVISION, revision_of=earlier
        )
    make_document(symbol="A/C.1/76/L.99")  # not in the chain
    with django_assert_num_queries(1):
        versions = document_versions(seed_document)
    assert len(versions.versions) == 7
    assert versions.latest.document.symbol == "A/C.1/76/L.13/Rev.6"
    assert versions.successor.document.symbol == "A/C.1/76/L.13/Rev.1"


def test_issuing_a_revision_moves_every_earlier_versions_cached_page(client, revisions):
    """The draft's page, cached while Rev.2 was the latest, names Rev.3 once it is issued."""
    _, rev2 = revisions
    assert "Rev.2 of 1 November 2021" in banner(client.get(READING).content.decode())
    issue_revision(rev2, make_delegate("eve", "Ireland", editor=True), "A/C.1/76/L.13/Rev.3")
    assert banner(client.get(READING).content.decode()).startswith(
        "Superseded by A/C.1/76/L.13/Rev.3"
    )
