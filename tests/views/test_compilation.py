"""The compilation text (`/documents/<slug>/compilation/`) and its JSON twin: every paragraph
with its status, every tabled proposal under it as a tracked change with its proposer,
circle, reason and stances; a status board; filters in the query string.

Proposals, stances and statuses are made directly in the database: the compilation reads
them, whoever wrote them."""

import datetime
import io

import docx
import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from resolutions.models import Paragraph, Proposal
from resolutions.services import importing
from resolutions.un.reference import TEXTS_DIR
from tests.conftest import SEED_SLUG
from tests.factories import (
    make_circle_of_delegates,
    make_delegate,
    make_negotiation,
    make_proposal_directly,
)

PAGE = f"/documents/{SEED_SLUG}/compilation/"
JSON = f"/documents/{SEED_SLUG}/compilation.json"
DOCX = f"/documents/{SEED_SLUG}/compilation.docx"


def paragraphs(document) -> dict[str, Paragraph]:
    return {p.label: p for p in document.paragraphs.all()}


@pytest.fixture
def negotiation(seed_document, lars, amina):
    return make_negotiation(seed_document, lars, amina)


def section(html: str, element_id: str) -> str:
    """The compiled paragraph with ``element_id``, up to the next one."""
    start = html.index(f'id="{element_id}"')
    end = html.find('class="compiled-paragraph', start + 1)
    return html[start : end if end != -1 else len(html)]


# Who may read it -----------------------------------------------------------------------------


@pytest.mark.parametrize("url", [PAGE, JSON, DOCX])
def test_an_anonymous_visitor_is_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "next=" in response["Location"]


@pytest.mark.parametrize("suffix", ["compilation/", "compilation.json", "compilation.docx"])
def test_an_unknown_document_answers_404(client, lars, suffix):
    client.force_login(lars)
    assert client.get(f"/documents/a-c1-99-l999/{suffix}").status_code == 404


def test_the_url_names_are_the_contract(seed_document):
    assert reverse("resolutions:document_compilation", args=[SEED_SLUG]) == PAGE
    assert reverse("resolutions:document_compilation_json", args=[SEED_SLUG]) == JSON
    assert reverse("resolutions:document_compilation_docx", args=[SEED_SLUG]) == DOCX


def test_drafts_never_reach_the_compilation_not_even_their_own_delegations(client, negotiation):
    for user in (negotiation.people.lars, negotiation.people.amina):
        client.force_login(user)
        for url in (PAGE, JSON):
            text = client.get(url).content.decode()
            assert "Nordic draft wording never tabled" not in text
            assert "Draft reason canary" not in text
            assert f"proposal-{negotiation.draft.pk}" not in text


# The page ------------------------------------------------------------------------------------


def test_the_status_board_sums_up_where_the_text_stands(client, negotiation):
    client.force_login(negotiation.people.amina)
    html = client.get(PAGE).content.decode()
    assert "1 of 22 paragraphs agreed and 12 agreed ad ref; 4 proposals open." in html
    board = html[html.index('class="status-board"') : html.index("compilation-filters")]
    assert "<dt>Open</dt><dd><strong>9</strong> of 22 paragraphs</dd>" in board
    assert "<dt>Agreed ad ref</dt><dd><strong>12</strong> of 22 paragraphs</dd>" in board
    assert "<dt>Rejected</dt><dd><strong>1</strong> proposal</dd>" in board


def test_with_nothing_agreed_the_board_reads_as_the_pen_holder_says_it(client, seed_document, lars):
    Paragraph.objects.filter(document=seed_document, label__in=["pp1", "pp2"]).update(
        status="agreed_ad_ref"
    )
    client.force_login(lars)
    assert (
        "2 of 22 paragraphs agreed ad ref; 0 proposals open." in client.get(PAGE).content.decode()
    )


def test_each_paragraph_shows_its_label_words_and_status_in_words(client, negotiation):
    client.force_login(negotiation.people.lars)
    html = client.get(PAGE).content.decode()
    pp1 = section(html, "pp1")
    assert ">PP1</a>" in pp1
    assert '<span class="visually-hidden">Status: </span>Agreed ad ref' in pp1
    assert "marked by Nigeria" in pp1
    assert '<em class="lead">Recalling</em> its resolutions 43/78 H' in pp1
    assert '<span class="visually-hidden">Status: </span>Agreed</span>' in section(html, "op1")
    assert '<span class="visually-hidden">Status: </span>Open</span>' in section(html, "op7")
    # Every paragraph of the document, in reading order.
    order = [html.index(f'id="{label}"') for label in ["pp1", "pp13", "op1", "op6", "op6-a", "op7"]]
    assert order == sorted(order)


def test_a_tabled_amendment_is_a_tracked_change_with_its_proposer_circle_and_reason(
    client, negotiation
):
    client.force_login(negotiation.people.amina)
    op3 = section(client.get(PAGE).content.decode(), "op3")
    norway = op3[op3.index(f'id="proposal-{negotiation.norway.pk}"') :]
    assert '<del><span class="visually-hidden">[deleted: </span>Calls upon</del>' in norway
    assert '<ins><span class="visually-hidden">[inserted: </span>Encourages</ins>' in norway
    assert "[inserted: </span>guided, as appropriate,</ins>" in norway
    assert '<strong class="proposer">Norway</strong>' in norway
    assert 'on behalf of <span class="circle-name">Nordic group</span>' in norway
    assert "Softer language agreed in the Nordic group." in norway
    assert '<span class="proposal-state proposal-state-tabled">Open</span>' in norway
    # Japan's amendment of the same paragraph is shown on its own, against the same words.
    japan = op3[op3.index(f'id="proposal-{negotiation.japan.pk}"') :]
    assert "report thereon;</ins>" in japan
    assert op3.index("Norway") < op3.index("Japan")


def test_a_tracked_change_follows_the_paragraphs_words_once_they_change(client, negotiation):
    """The word changes are kept under both texts: the paragraph's new words give a new
    change at once, never the one worked out against the old words."""
    client.force_login(negotiation.people.amina)
    before = section(client.get(PAGE).content.decode(), "op3")
    assert "[deleted: </span>Calls upon</del>" in before
    op3 = Paragraph.objects.get(document=negotiation.document, label="op3")
    op3.text = op3.text.replace("Calls upon", "Urges", 1)
    op3.save(update_fields=["text"])
    Paragraph.objects.filter(pk=op3.pk).mark_changed()
    after = section(client.get(PAGE).content.decode(), "op3")
    assert "[deleted: </span>Calls upon</del>" not in after
    assert "[deleted: </span>Urges</del>" in after
    assert "[inserted: </span>Encourages</ins>" in after


def test_a_proposals_words_reason_and_decision_are_escaped(client, negotiation):
    """What delegates typed reaches the page as text, markup and quotes included: in the
    words it inserts, its reason and the reason it was decided."""
    op6 = Paragraph.objects.get(document=negotiation.document, label="op6")
    typed = make_proposal_directly(
        negotiation.people.amina,
        op6,
        text=op6.text + ' <script>alert("x")</script> & "more"',
        reason="Because <b>bold</b> & 'quoted'",
        state=Proposal.State.REJECTED,
        decision_reason='Not <i>now</i> & "later"',
    )
    client.force_login(negotiation.people.amina)
    page = client.get(PAGE).content.decode()
    item = page[page.index(f'id="proposal-{typed.pk}"') :]
    item = item[: item.index("</li>")]
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in item
    assert "&amp; &quot;more&quot;</ins>" in item
    assert "Because &lt;b&gt;bold&lt;/b&gt; &amp; &#x27;quoted&#x27;" in item
    assert "Not &lt;i&gt;now&lt;/i&gt; &amp; &quot;later&quot;" in item
    assert "<script>alert" not in page
    assert "<b>bold" not in page
    assert "<i>now" not in page


@override_settings(TIME_ZONE="America/New_York")
def test_a_proposals_day_is_printed_in_the_sites_time_zone(client, negotiation):
    """Tabled at 02:00 UTC on 30 November, Norway's amendment was tabled on 29 November in
    New York: on the page and in the Word file's comment."""
    tabled = datetime.datetime(2026, 11, 30, 2, 0, tzinfo=datetime.UTC)
    Proposal.objects.filter(pk=negotiation.norway.pk).update(tabled_at=tabled)
    client.force_login(negotiation.people.amina)
    page = client.get(PAGE).content.decode()
    norway = page[page.index(f'id="proposal-{negotiation.norway.pk}"') :]
    assert "29 Nov 2026</time>" in norway[: norway.index("</li>")]
    word = docx.Document(io.BytesIO(client.get(DOCX).content))
    assert any(
        comment.text.startswith(
            "Amendment by Norway on behalf of Nordic group, tabled 29 November 2026."
        )
        for comment in word.comments
    )


def test_stances_are_counted_by_regional_group_and_named(client, negotiation):
    client.force_login(negotiation.people.amina)
    op3 = section(client.get(PAGE).content.decode(), "op3")
    assert (
        '<dt>Supported by 5 <span class="tally">(WEOG 3, African Group 1, EEG 1)</span></dt>'
        "<dd>Finland, Germany, Ghana, Poland, Sweden</dd>"
    ) in op3
    assert '<dt>Acceptable to 1 <span class="tally">(GRULAC 1)</span></dt><dd>Chile</dd>' in op3
    assert '<dt>Objected by 1 <span class="tally">(Asia-Pacific 1)</span></dt><dd>Japan</dd>' in (
        op3
    )


def test_a_deletion_strikes_the_whole_paragraph(client, negotiation):
    client.force_login(negotiation.people.lars)
    op5 = section(client.get(PAGE).content.decode(), "op5")
    text = Paragraph.objects.get(document=negotiation.document, label="op5").text
    assert f'<del><span class="visually-hidden">[deleted: </span>{text}</del>' in op5
    assert "<strong>Deletion</strong> by" in op5
    assert "Core group on ICT" in op5


def test_a_new_paragraph_follows_its_paragraph_and_its_sub_paragraphs_as_bis(client, negotiation):
    client.force_login(negotiation.people.lars)
    html = client.get(PAGE).content.decode()
    new = section(html, f"new-paragraph-{negotiation.brazil.pk}")
    assert ">OP6 bis</h3>" in new
    assert "Proposed new paragraph after OP6" in new
    assert "[inserted: </span>Encourages Member States to support capacity-building" in new
    place = html.index(f'id="new-paragraph-{negotiation.brazil.pk}"')
    assert html.index('id="op6-b"') < place < html.index('id="op7"')


def test_decided_and_withdrawn_proposals_are_shown_as_such(client, negotiation):
    client.force_login(negotiation.people.lars)
    html = client.get(PAGE).content.decode()
    op6a = section(html, "op6-a")
    assert '<span class="proposal-state proposal-state-rejected">Rejected</span>' in op6a
    assert "Rejected by Nigeria: No support in the room." in op6a
    pp4 = section(html, "pp4")
    assert '<span class="proposal-state proposal-state-withdrawn">Withdrawn</span>' in pp4


def test_sub_paragraphs_at_every_depth_and_section_headings(client, lars):
    """A/C.6/80/L.10 has ten section headings and sub-sub-paragraphs (OP6(d)(i))."""
    text = (TEXTS_DIR / "real" / "A-C.6-80-L.10.txt").read_text(encoding="utf-8")
    document = importing.import_document(importing.prepare_import(text))
    deepest = Paragraph.objects.get(document=document, label="op6-d-i")
    make_proposal_directly(lars, deepest, "amend", deepest.text.rstrip(";") + ", as appropriate;")
    client.force_login(lars)
    html = client.get(reverse("resolutions:document_compilation", args=[document.slug])).content
    html = html.decode()
    assert '<h2 class="section-heading">I Legislative activities</h2>' in html
    assert html.count('class="section-heading"') == 10
    heading = html.index("I Legislative activities")
    first_under = Paragraph.objects.get(
        document=document, headings=[{"number": "I", "title": "Legislative activities"}]
    )
    assert heading < html.index(f'id="{first_under.label}"')
    assert 'class="compiled-paragraph depth-2 is-open" id="op6-d-i"' in html
    assert ">OP6(d)(i)</a>" in html
    assert "as appropriate;</ins>" in section(html, "op6-d-i")


def test_the_reading_page_links_to_the_compilation_and_its_downloads(client, lars):
    client.force_login(lars)
    html = client.get(f"/documents/{SEED_SLUG}/").content.decode()
    assert f'href="{PAGE}">Compilation text</a>' in html
    assert f'href="{DOCX}">Word with tracked changes</a>' in html
    assert f'href="{JSON}">JSON</a>' in html


def test_the_compilation_links_its_downloads(client, negotiation):
    client.force_login(negotiation.people.lars)
    html = client.get(PAGE).content.decode()
    assert f'href="{DOCX}">Word, with tracked changes (.docx)</a>' in html
    assert f'href="{JSON}">JSON</a>' in html


# Filters -------------------------------------------------------------------------------------


def test_the_filters_are_a_get_form_with_labelled_selects(client, negotiation):
    client.force_login(negotiation.people.lars)
    html = client.get(PAGE).content.decode()
    start = html.rindex("<form", 0, html.index('class="compilation-filters'))
    form = html[start : html.index("</form>", start)]
    assert f'action="{PAGE}"' in form
    for name, label in [("status", "Paragraphs"), ("delegation", "Proposals by")]:
        assert f'<label for="compilation-{name}">{label}:</label>' in form
        assert f'<select name="{name}" id="compilation-{name}">' in form
    assert '<label for="compilation-circle">On behalf of:</label>' in form
    # The delegations and circles offered are those with proposals in the compilation.
    assert '<option value="Japan">Japan</option>' in form
    assert f'<option value="{negotiation.nordic.pk}">Nordic group</option>' in form
    assert "Nigeria</option>" not in form


def test_open_paragraphs_only(client, negotiation):
    client.force_login(negotiation.people.lars)
    html = client.get(PAGE, {"status": "open"}).content.decode()
    assert 'id="pp1"' not in html
    assert 'id="op1"' not in html
    assert 'id="pp4"' in html
    assert 'id="op3"' in html
    assert f'id="new-paragraph-{negotiation.brazil.pk}"' in html
    assert "Showing 9 paragraphs and 6 proposals matching the filters." in html
    # The board still sums up the whole text, and the downloads keep the filter.
    assert "1 of 22 paragraphs agreed and 12 agreed ad ref" in html
    assert f'href="{DOCX}?status=open"' in html


def test_proposals_by_one_delegation(client, negotiation):
    client.force_login(negotiation.people.amina)
    html = client.get(PAGE, {"delegation": "Japan"}).content.decode()
    assert f'id="proposal-{negotiation.japan.pk}"' in html
    assert f'id="proposal-{negotiation.norway.pk}"' not in html
    assert f'id="new-paragraph-{negotiation.brazil.pk}"' not in html
    assert 'id="pp1"' in html  # the text stays whole
    assert "Showing 22 paragraphs and 1 proposal matching the filters." in html


def test_proposals_on_behalf_of_one_circle(client, negotiation):
    client.force_login(negotiation.people.amina)
    html = client.get(PAGE, {"circle": negotiation.core.pk}).content.decode()
    assert f'id="proposal-{negotiation.ghana.pk}"' in html
    assert f'id="new-paragraph-{negotiation.brazil.pk}"' in html
    assert f'id="proposal-{negotiation.norway.pk}"' not in html
    assert f'id="proposal-{negotiation.japan.pk}"' not in html


def test_a_filter_naming_nothing_known_is_ignored_with_a_message(client, negotiation):
    client.force_login(negotiation.people.lars)
    response = client.get(PAGE, {"delegation": "Atlantis", "circle": "999999", "status": "x"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "No delegation of that name has tabled a proposal on this text." in html
    assert "No proposal on this text is made on behalf of that circle." in html
    assert "Choose all paragraphs, open ones, agreed ad ref or agreed." in html
    assert f'id="proposal-{negotiation.norway.pk}"' in html


def test_htmx_gets_the_filtered_text_alone(client, negotiation):
    client.force_login(negotiation.people.lars)
    full = client.get(PAGE, {"status": "open"})
    partial = client.get(PAGE, {"status": "open"}, headers={"HX-Request": "true"})
    assert "<html" in full.content.decode()
    html = partial.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith('<div id="compilation-text"')
    assert 'id="pp1"' not in html
    assert 'id="op3"' in html
    assert "HX-Request" in partial["Vary"]
    assert "HX-Request" in full["Vary"]


# The JSON twin -------------------------------------------------------------------------------


def test_json_holds_the_same_paragraphs_proposals_stances_and_word_changes(client, negotiation):
    client.force_login(negotiation.people.amina)
    data = client.get(JSON).json()
    assert data["document"]["symbol"] == "A/C.1/76/L.13"
    assert (
        data["status"]["summary"]
        == "1 of 22 paragraphs agreed and 12 agreed ad ref; 4 proposals open"
    )
    assert data["status"]["paragraphs_by_status"] == {"open": 9, "agreed_ad_ref": 12, "agreed": 1}
    assert data["status"]["proposals_by_state"] == {
        "tabled": 4,
        "accepted": 0,
        "rejected": 1,
        "withdrawn": 1,
    }
    by_label = {p["label"]: p for p in data["paragraphs"]}
    assert len(by_label) == 22
    assert by_label["pp1"]["status"] == "agreed_ad_ref"
    assert by_label["pp1"]["status_changed_by"] == "Nigeria"
    assert by_label["op6-a"]["parent"] == "op6"
    assert by_label["op6-a"]["depth"] == 1
    norway, japan = by_label["op3"]["proposals"]
    assert norway == {
        **norway,
        "id": negotiation.norway.pk,
        "label": "OP3",
        "kind": "amend",
        "delegation": "Norway",
        "on_behalf_of": {"id": negotiation.nordic.pk, "name": "Nordic group"},
        "state": "tabled",
        "reason": "Softer language agreed in the Nordic group.",
        "stance_summary": "supported by 5: WEOG 3, African Group 1, EEG 1; "
        "acceptable to 1: GRULAC 1; objected by 1: Asia-Pacific 1",
    }
    assert norway["text"].startswith("Encourages Member States to be guided, as appropriate,")
    assert {"delegation": "Japan", "position": "objects", "regional_group": "asia-pacific"} in (
        norway["stances"]
    )
    assert norway["stance_counts"]["supports"] == {
        "total": 5,
        "by_group": {"WEOG": 3, "African Group": 1, "EEG": 1},
    }
    assert norway["changes"][:2] == [
        {"op": "delete", "text": "Calls upon"},
        {"op": "insert", "text": "Encourages"},
    ]
    assert japan["delegation"] == "Japan"
    assert japan["on_behalf_of"] is None
    new = by_label["op6"]["proposals"][0]
    assert (new["label"], new["kind"]) == ("OP6 bis", "insert")
    assert by_label["op6-a"]["proposals"][0]["decision_reason"] == "No support in the room."
    assert by_label["op1"]["proposals"] == []  # the draft is not there


def test_json_takes_the_same_filters(client, negotiation):
    client.force_login(negotiation.people.lars)
    data = client.get(JSON, {"status": "open", "delegation": "Norway"}).json()
    assert data["filters"] == {"status": "open", "delegation": "Norway"}
    labels = [p["label"] for p in data["paragraphs"]]
    assert "pp1" not in labels
    assert "op3" in labels
    proposals = [q for p in data["paragraphs"] for q in p["proposals"]]
    assert [q["delegation"] for q in proposals] == ["Norway"]


# A fixed number of queries --------------------------------------------------------------------


def many_proposals(document, count: int, authors, *, first: int = 0, decided: bool = False):
    """``count`` tabled proposals spread over the paragraphs and kinds, half on behalf of a
    circle, each with a stance from every author but its own; with ``decided``, a quarter
    of them accepted and a quarter rejected, by another author."""
    text = list(document.paragraphs.all())
    circle = make_circle_of_delegates("Core group", authors[0], *authors[1:])
    kinds = ["amend", "delete", "insert"]
    numbers = range(first, first + count)
    proposals = Proposal.objects.bulk_create(
        [
            Proposal(
                document=document,
                paragraph=text[i % len(text)],
                kind=kinds[i % 3],
                text=f"{text[i % len(text)].text} variant {i}",
                base_text=text[i % len(text)].text,
                author=authors[i % len(authors)],
                delegation=authors[i % len(authors)].delegation,
                on_behalf_of=circle if i % 2 else None,
                state=("tabled", "accepted", "tabled", "rejected")[i % 4] if decided else "tabled",
                decided_by=authors[(i + 1) % len(authors)] if decided and i % 2 else None,
                decision_reason=f"Decided {i}" if decided and i % 2 else "",
                tabled_at=timezone.now(),
                reason=f"Reason {i}",
            )
            for i in numbers
        ]
    )
    from resolutions.models import Stance

    Stance.objects.bulk_create(
        [
            Stance(
                proposal=proposal,
                delegation=author.delegation,
                position=["supports", "can_accept", "objects"][n % 3],
                recorded_by=author,
            )
            for proposal in proposals
            for n, author in enumerate(authors)
            if author.delegation_id != proposal.delegation_id
        ]
    )


# Session, user (with the menu's editor check); the document, its paragraphs, the proposals
# and the stances; the header's unread count.
PAGE_QUERIES = 7
JSON_QUERIES = 6
DOCX_QUERIES = 6


@pytest.mark.parametrize(
    ("url", "queries"), [(PAGE, PAGE_QUERIES), (JSON, JSON_QUERIES), (DOCX, DOCX_QUERIES)]
)
def test_the_query_count_is_the_same_for_5_and_200_proposals(
    client, seed_document, lars, amina, django_assert_num_queries, url, queries
):
    authors = [lars, amina, make_delegate("kwame", "Ghana"), make_delegate("yuki", "Japan")]
    client.force_login(lars)
    many_proposals(seed_document, 5, authors, decided=True)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
    many_proposals(seed_document, 195, authors, first=5, decided=True)
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200
    if url != DOCX:  # the Word file is zipped
        assert "Reason 199" in response.content.decode()
        assert "Decided 199" in response.content.decode()
