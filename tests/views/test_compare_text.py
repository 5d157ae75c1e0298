"""Comparing two versions paragraph by paragraph (page and JSON), and carrying a
delegation's notes from a document to its revision."""

import pytest
from django.urls import reverse

from resolutions import services
from resolutions.models import Annotation, Paragraph
from resolutions.services import importing, revisions
from tests.conftest import SEED_SLUG, SEED_TEXT_PATH
from tests.factories import make_annotation, make_document, make_real_document

SEED_SYMBOL = "A/C.1/76/L.13"
REVISION_SYMBOL = "A/C.1/76/L.13/Rev.1"
REVISION_SLUG = "a-c1-76-l13-rev1"
COMPARE_URL = f"/compare/text/?a={SEED_SLUG}&b={REVISION_SLUG}"
JSON_URL = f"/compare/text.json?a={SEED_SLUG}&b={REVISION_SLUG}"


def revised_seed_text() -> str:
    """L.13 as a revision might read it: a few words edited in PP4 and OP3, PP8 dropped,
    a new operative paragraph 5 inserted and the paragraphs after it renumbered."""
    text = SEED_TEXT_PATH.read_text(encoding="utf-8")
    for old, new in [
        ("7. *Decides*", "8. *Decides*"),
        ("6. *Invites*", "7. *Invites*"),
        (
            "5. *Underlines further*",
            "5. *Encourages* Member States to support capacity-building in the security of "
            "information and communications technologies;\n\n6. *Underlines further*",
        ),
        ("to be guided in their use", "to be guided, as appropriate, in their use"),
        ("Noting that considerable progress", "Noting that significant progress"),
        (
            "Underlining the importance of respect for human rights and fundamental freedoms "
            "in the use of information and communications technologies,\n\n",
            "",
        ),
    ]:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


# Where each paragraph of L.13 is in the revision, and how it fares.
EXPECTED_PAIRS = [
    *[(f"pp{n}", f"pp{n}", "unchanged") for n in (1, 2, 3)],
    ("pp4", "pp4", "changed"),
    *[(f"pp{n}", f"pp{n}", "unchanged") for n in (5, 6, 7)],
    ("pp8", None, "removed"),
    *[(f"pp{n}", f"pp{n - 1}", "unchanged") for n in range(9, 14)],
    ("op1", "op1", "unchanged"),
    ("op2", "op2", "unchanged"),
    ("op3", "op3", "changed"),
    ("op4", "op4", "unchanged"),
    (None, "op5", "added"),
    ("op5", "op6", "unchanged"),
    ("op6", "op7", "unchanged"),
    ("op6-a", "op7-a", "unchanged"),
    ("op6-b", "op7-b", "unchanged"),
    ("op7", "op8", "unchanged"),
]


@pytest.fixture
def revision(seed_document):
    plan = importing.prepare_import(
        revised_seed_text(), symbol=REVISION_SYMBOL, revision_of=seed_document
    )
    return importing.import_document(plan)


def paragraph(document, label):
    return Paragraph.objects.get(document=document, label=label)


# The JSON twin -----------------------------------------------------------------------------


def test_json_gives_the_summary_and_every_pair(client, revision):
    response = client.get(JSON_URL)
    data = response.json()
    assert response.status_code == 200
    assert set(data) == {"summary", "pairs", "sponsors"}
    assert data["summary"] == {"unchanged": 19, "changed": 2, "added": 1, "removed": 1, "moved": 0}
    assert [(p["a"], p["b"], p["status"]) for p in data["pairs"]] == EXPECTED_PAIRS
    for pair in data["pairs"]:
        assert set(pair) == {"a", "b", "status"}


def test_json_counts_every_paragraph_and_subparagraph_once(client, seed_document, revision):
    pairs = client.get(JSON_URL).json()["pairs"]
    a_labels = [p["a"] for p in pairs if p["a"]]
    b_labels = [p["b"] for p in pairs if p["b"]]
    assert sorted(a_labels) == sorted(seed_document.paragraphs.values_list("label", flat=True))
    assert sorted(b_labels) == sorted(revision.paragraphs.values_list("label", flat=True))
    assert len(a_labels) == len(set(a_labels)) == 22
    assert len(b_labels) == len(set(b_labels)) == 22
    assert sum(client.get(JSON_URL).json()["summary"].values()) == len(pairs)


def test_a_document_compared_with_itself_is_unchanged(client, seed_document):
    data = client.get(f"/compare/text.json?a={SEED_SLUG}&b={SEED_SLUG}").json()
    assert data["summary"] == {"unchanged": 22, "changed": 0, "added": 0, "removed": 0, "moved": 0}


def test_json_without_two_documents_is_a_400_with_a_message(client, db):
    response = client.get(f"/compare/text.json?a={SEED_SLUG}")
    assert response.status_code == 400
    assert "Name the two documents" in response.json()["error"]


def test_json_with_an_unknown_document_is_a_404(client, db):
    response = client.get(f"/compare/text.json?a={SEED_SLUG}&b=a-res-99-999")
    assert response.status_code == 404
    assert response.json() == {"error": "No document has that slug."}


# The page ----------------------------------------------------------------------------------


def test_the_page_shows_word_level_changes(client, revision):
    response = client.get(COMPARE_URL)
    page = response.content.decode()
    assert response.status_code == 200
    assert "What changed from" in page
    assert '<del><span class="visually-hidden">[deleted: </span>considerable</del>' in page
    assert '<ins><span class="visually-hidden">[added: </span>significant</ins>' in page
    assert "as appropriate," in page
    assert "<strong>19</strong> unchanged" in page
    assert "<strong>2</strong> changed" in page
    assert "<strong>1</strong> added" in page
    assert "<strong>1</strong> removed" in page
    assert "<strong>0</strong> moved" in page


def test_the_page_shows_paragraphs_only_in_one_version_and_the_new_numbers(client, revision):
    page = client.get(COMPARE_URL).content.decode()
    # The removed preambular paragraph, struck through, linked to where it stood.
    assert f'href="/documents/{SEED_SLUG}/#pp8"' in page
    assert "Underlining the importance of respect for human rights" in page
    # The inserted operative paragraph, and the renumbered ones with both labels.
    assert f'href="/documents/{REVISION_SLUG}/#op5"' in page
    assert "Encourages</ins>" not in page  # the whole paragraph is one insertion
    assert "Encourages Member States to support capacity-building" in page
    assert f'href="/documents/{SEED_SLUG}/#op6-a"' in page
    assert f'href="/documents/{REVISION_SLUG}/#op7-a"' in page
    assert ">OP6(a)</a>" in page
    assert ">OP7(a)</a>" in page


def test_only_the_changes_can_be_shown(client, revision):
    page = client.get(COMPARE_URL + "&show=changes").content.decode()
    # The 4 edited, added or removed paragraphs, and the 10 whose number changed.
    assert page.count('class="compare-row status-') == 4 + 10
    assert page.count(">Renumbered<") == 10
    assert "Recalling its resolutions" not in page
    assert "Show all 23 paragraphs" in page
    assert "Preamble</h2>" in page
    assert "Operative paragraphs</h2>" in page


def test_without_two_documents_the_page_offers_a_choice(client, seed_document):
    response = client.get("/compare/text/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose two versions of a resolution" in page
    assert f'<option value="{SEED_SLUG}">A/C.1/76/L.13</option>' in page
    one = client.get(f"/compare/text/?a={SEED_SLUG}")
    assert one.status_code == 200
    assert f'<option value="{SEED_SLUG}" selected>' in one.content.decode()


def test_an_unknown_document_is_a_404(client, db):
    assert client.get(f"/compare/text/?a={SEED_SLUG}&b=a-res-99-999").status_code == 404
    assert client.get(f"/compare/text/?a=nothing&b={SEED_SLUG}").status_code == 404


def test_the_page_prints_without_its_controls(client, revision):
    page = client.get(COMPARE_URL).content.decode()
    assert 'class="compare-chooser no-print"' in page
    assert 'class="compare-show no-print"' in page


def test_a_revision_links_to_its_comparison(client, revision):
    page = client.get(revision.get_absolute_url()).content.decode()
    assert f'href="/compare/text/?a={SEED_SLUG}&amp;b={REVISION_SLUG}"' in page
    assert "see what changed from A/C.1/76/L.13" in page


def test_a_document_that_revises_nothing_links_to_no_comparison(client, seed_document):
    page = client.get(seed_document.get_absolute_url()).content.decode()
    assert "see what changed" not in page


def test_the_nav_offers_the_comparison(client, db):
    assert 'href="/compare/text/">Compare versions</a>' in client.get("/").content.decode()


def test_the_compare_page_query_count_is_fixed(client, seed_document, django_assert_num_queries):
    small = make_document(paragraphs=2, symbol="A/C.1/99/L.1")
    big = make_document(paragraphs=40, symbol="A/C.1/99/L.1/Rev.1", revision_of=small)
    # The documents for the chooser, the two documents, each one's paragraphs, the sponsors.
    with django_assert_num_queries(5):
        client.get(f"/compare/text/?a={small.slug}&b={big.slug}")
    with django_assert_num_queries(5):
        client.get(f"/compare/text/?a={SEED_SLUG}&b={big.slug}")
    with django_assert_num_queries(4):
        client.get(f"/compare/text.json?a={SEED_SLUG}&b={big.slug}")


def test_the_compare_page_query_count_for_a_delegate_is_fixed(
    client, lars, revision, django_assert_num_queries
):
    client.force_login(lars)
    # Session, user (and whether an editor); the five above; the notes they may carry across.
    # One more: the header's unread count (Inbox (3)).
    with django_assert_num_queries(9):
        client.get(COMPARE_URL)
    for label in ("pp1", "op3", "op6-a"):
        make_annotation(lars, paragraph(revision.revision_of, label), f"note on {label}")
    # One more: the header's unread count (Inbox (3)).
    with django_assert_num_queries(9):
        response = client.get(COMPARE_URL)
    assert "<strong>3 notes</strong>" in response.content.decode()


# The sponsors between the two versions -----------------------------------------------------


def later_list(document, add=(), drop=()):
    """A later sponsor list on ``document``: its latest list with ``add`` and without ``drop``
    (ISO3 codes)."""
    import datetime

    from resolutions.models import MemberState, SponsorList, Sponsorship

    latest = SponsorList.objects.filter(document=document).order_by("as_of", "pk").last()
    iso3s = [s.state.iso3 for s in latest.sponsorships.order_by("position")]
    iso3s = [k for k in iso3s if k not in drop] + list(add)
    states = {s.iso3: s for s in MemberState.objects.filter(iso3__in=iso3s)}
    later = SponsorList.objects.create(
        document=document, label="At action", as_of=latest.as_of + datetime.timedelta(days=30)
    )
    Sponsorship.objects.bulk_create(
        Sponsorship(sponsor_list=later, state=states[k], position=i, name_as_printed=states[k].name)
        for i, k in enumerate(iso3s, start=1)
    )


def page_text(response) -> str:
    import html
    import re

    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", response.content.decode())))


def test_the_page_shows_the_sponsors_added_and_withdrawn(client, revision):
    later_list(revision, add=["CHL", "CIV", "TUR"], drop=["ZWE"])
    text = page_text(client.get(COMPARE_URL))
    assert f"55 on {SEED_SYMBOL} → 57 on {REVISION_SYMBOL}." in text
    assert "3 added: Chile, Côte d'Ivoire, Türkiye." in text
    assert "1 withdrawn: Zimbabwe." in text
    data = client.get(JSON_URL).json()
    assert data["sponsors"] == {
        "a": 55,
        "b": 57,
        "added": ["CHL", "CIV", "TUR"],
        "withdrawn": ["ZWE"],
    }
    assert {"summary", "pairs"} <= set(data)


def test_the_same_sponsors_are_said_to_be_the_same(client, revision):
    text = page_text(client.get(COMPARE_URL))
    assert f"55 on {SEED_SYMBOL} → 55 on {REVISION_SYMBOL}: the same states." in text
    assert " added:" not in text
    assert "withdrawn:" not in text
    assert client.get(JSON_URL).json()["sponsors"]["added"] == []


def test_a_version_without_sponsors_is_said_to_list_none(client, seed_document):
    bare = make_document(paragraphs=2, symbol="A/C.1/99/L.7")
    text = page_text(client.get(f"/compare/text/?a={SEED_SLUG}&b={bare.slug}"))
    assert f"55 on {SEED_SYMBOL}; A/C.1/99/L.7 lists no sponsors." in text
    data = client.get(f"/compare/text.json?a={SEED_SLUG}&b={bare.slug}").json()
    assert data["sponsors"] == {"a": 55, "b": None, "added": [], "withdrawn": []}


# Carrying notes forward --------------------------------------------------------------------


def carry(client, target=REVISION_SLUG):
    return client.post(reverse("resolutions:annotations_carry_forward", args=[target]))


def copies_on(document):
    return Annotation.objects.filter(paragraph__document=document).select_related("paragraph")


def test_the_compare_page_offers_to_carry_notes_to_the_revision(client, lars, revision):
    make_annotation(lars, paragraph(revision.revision_of, "op3"), "Capital says fine")
    client.force_login(lars)
    page = client.get(COMPARE_URL).content.decode()
    assert f'action="/documents/{REVISION_SLUG}/annotations/carry-forward/"' in page
    assert "Bring our notes to A/C.1/76/L.13/Rev.1" in page
    # Not offered backwards, nor to anonymous readers.
    assert (
        "carry-forward"
        not in client.get(f"/compare/text/?a={REVISION_SLUG}&b={SEED_SLUG}").content.decode()
    )
    client.logout()
    assert "carry-forward/" not in client.get(COMPARE_URL).content.decode()


def test_a_note_whose_quote_still_matches_lands_on_the_aligned_paragraph(
    client, lars, seed_document, revision
):
    make_annotation(
        lars, paragraph(seed_document, "op3"), "Keep this", quote="the 2021 report", tags=["red"]
    )
    client.force_login(lars)
    response = carry(client)
    assert response.status_code == 302
    assert response["Location"] == revision.get_absolute_url()
    (copy,) = copies_on(revision)
    assert copy.paragraph.label == "op3"
    assert copy.orphaned_since == ""
    assert copy.quote == "the 2021 report"
    assert [tag.name for tag in copy.tags.all()] == ["red"]
    assert copy.author == lars


def test_a_note_on_an_unchanged_renumbered_paragraph_follows_it(
    client, lars, seed_document, revision
):
    make_annotation(lars, paragraph(seed_document, "op6-a"), "National efforts")
    make_annotation(lars, paragraph(seed_document, "op7"), "Agenda item next year")
    client.force_login(lars)
    carry(client)
    landed = {copy.body: copy for copy in copies_on(revision)}
    assert landed["National efforts"].paragraph.label == "op7-a"
    assert landed["Agenda item next year"].paragraph.label == "op8"
    assert not any(copy.orphaned_since for copy in landed.values())


def test_a_note_on_a_changed_paragraph_without_its_quote_stays_where_the_paragraph_was(
    client, lars, seed_document, revision
):
    make_annotation(lars, paragraph(seed_document, "pp4"), "Too weak", quote="considerable")
    make_annotation(lars, paragraph(seed_document, "op3"), "Whole paragraph: fine")
    client.force_login(lars)
    response = carry(client)
    copies = {copy.body: copy for copy in copies_on(revision)}
    # Each stays after the paragraph that preceded its own, marked with the reason.
    assert copies["Too weak"].paragraph.label == "pp3"
    assert copies["Too weak"].orphan_reason == Annotation.OrphanReason.QUOTE_CHANGED
    assert copies["Too weak"].orphaned_since == SEED_SYMBOL
    assert copies["Whole paragraph: fine"].paragraph.label == "op2"
    assert copies["Whole paragraph: fine"].orphan_reason == "paragraph_changed"
    message = client.get(response["Location"]).content.decode()
    assert (
        "2 notes brought from A/C.1/76/L.13: 0 on their paragraphs, 2 kept where their "
        "paragraph was" in message
    )
    assert "PP4 of A/C.1/76/L.13 — quoted words changed in A/C.1/76/L.13/Rev.1" in message
    assert "OP3 of A/C.1/76/L.13 — changed in A/C.1/76/L.13/Rev.1" in message


def test_a_note_on_a_removed_paragraph_stays_after_the_paragraph_before_it(
    client, lars, seed_document, revision
):
    make_annotation(lars, paragraph(seed_document, "pp8"), "Human rights language")
    client.force_login(lars)
    carry(client)
    (copy,) = copies_on(revision)
    assert copy.paragraph.label == "pp7"
    assert copy.orphaned_since == SEED_SYMBOL
    assert copy.orphan_reason == Annotation.OrphanReason.PARAGRAPH_DELETED
    assert copy.orphan_label == "PP8"


def test_the_orphaned_note_is_shown_as_such_on_the_revision(client, lars, seed_document, revision):
    make_annotation(lars, paragraph(seed_document, "pp8"), "Human rights language")
    client.force_login(lars)
    carry(client)
    page = client.get(revision.get_absolute_url()).content.decode()
    assert "Human rights language" in page
    assert "PP8 of A/C.1/76/L.13 — deleted in A/C.1/76/L.13/Rev.1" in page


def test_only_the_users_delegations_notes_are_carried(
    client, lars, ingrid, amina, seed_document, revision
):
    op1 = paragraph(seed_document, "op1")
    make_annotation(lars, op1, "lars private", visibility="private")
    make_annotation(lars, op1, "lars public", visibility="public")
    make_annotation(ingrid, op1, "ingrid for Norway", visibility="delegation")
    make_annotation(ingrid, op1, "ingrid private", visibility="private")
    make_annotation(amina, op1, "amina public", visibility="public")
    make_annotation(amina, op1, "amina for Nigeria", visibility="delegation")
    deleted = make_annotation(lars, op1, "lars deleted")
    Annotation.objects.filter(pk=deleted.pk).update(deleted_at="2021-11-01T00:00:00Z")
    client.force_login(lars)
    carry(client)
    carried = copies_on(revision)
    assert sorted(carried.values_list("body", flat=True)) == [
        "ingrid for Norway",
        "lars private",
        "lars public",
    ]
    # Each copy keeps its author, delegation and audience.
    private = carried.get(body="lars private")
    assert private.visibility == "private"
    assert private.author == lars
    assert carried.get(body="ingrid for Norway").author == ingrid


def test_the_delegations_replies_come_with_their_thread(
    client, lars, ingrid, amina, seed_document, revision
):
    thread = make_annotation(lars, paragraph(seed_document, "op2"), "Welcome or note?")
    make_annotation(ingrid, None, "Welcome", reply_to=thread)
    make_annotation(lars, None, "Agreed", reply_to=thread)
    public = make_annotation(lars, paragraph(seed_document, "op2"), "Public", visibility="public")
    make_annotation(amina, None, "Nigeria's reply", reply_to=public)
    client.force_login(lars)
    carry(client)
    copied_thread = copies_on(revision).get(body="Welcome or note?")
    assert sorted(copied_thread.replies.values_list("body", flat=True)) == ["Agreed", "Welcome"]
    assert not copies_on(revision).filter(body="Nigeria's reply").exists()


def test_carrying_twice_does_not_duplicate(client, lars, seed_document, revision):
    make_annotation(lars, paragraph(seed_document, "op3"), "Keep this", quote="the 2021 report")
    make_annotation(lars, paragraph(seed_document, "pp8"), "Gone")
    client.force_login(lars)
    carry(client)
    response = carry(client)
    assert copies_on(revision).count() == 2
    assert (
        "Your notes from A/C.1/76/L.13 are already here."
        in client.get(response["Location"]).content.decode()
    )


def test_a_user_without_notes_is_told_so(client, lars, revision):
    client.force_login(lars)
    response = carry(client)
    assert "You have no notes on A/C.1/76/L.13" in client.get(response["Location"]).content.decode()


def test_carrying_needs_a_login_and_a_post(client, lars, revision):
    response = carry(client)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    client.force_login(lars)
    url = reverse("resolutions:annotations_carry_forward", args=[REVISION_SLUG])
    assert client.get(url).status_code == 405


def test_a_document_that_revises_nothing_has_nothing_to_carry(client, lars, seed_document):
    client.force_login(lars)
    assert carry(client, SEED_SLUG).status_code == 404
    assert carry(client, "no-such-document").status_code == 404


def test_a_carry_that_fails_halfway_copies_nothing(lars, seed_document, revision, monkeypatch):
    make_annotation(lars, paragraph(seed_document, "op1"), "first")
    make_annotation(lars, paragraph(seed_document, "op2"), "second")
    calls = []
    original = revisions._copy

    def failing_copy(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("connection lost")
        return original(*args, **kwargs)

    monkeypatch.setattr(revisions, "_copy", failing_copy)
    with pytest.raises(RuntimeError):
        services.annotations_carry_forward(user=lars, source=seed_document, target=revision)
    assert not copies_on(revision).exists()


def test_renumbered_paragraphs_are_named_and_stay_in_the_changes_view(client, revision):
    html = client.get(
        f"/compare/text/?a={revision.revision_of.slug}&b={revision.slug}&show=changes"
    ).content.decode()
    assert "renumbered</strong>: quote the new numbers" in html
    assert ">Renumbered<" in html


# Versions that differ only in typography ----------------------------------------------------


@pytest.fixture
def arms_trade_treaty(db):
    """A/C.1/80/L.9 and A/RES/80/46, which sets three of its hyphens as U+2011."""
    draft = make_real_document("A-C.1-80-L.9")
    return draft, make_real_document("A-RES-80-46", revision_of=draft)


def test_a_resolution_that_differs_from_its_draft_only_in_hyphens_reads_unchanged(
    client, arms_trade_treaty
):
    draft, resolution = arms_trade_treaty
    assert "non\u2011proliferation" in paragraph(resolution, "pp2").text
    assert "non-proliferation" in paragraph(draft, "pp2").text

    data = client.get(f"/compare/text.json?a={draft.slug}&b={resolution.slug}").json()
    assert data["summary"] == {"unchanged": 37, "changed": 0, "added": 0, "removed": 0, "moved": 0}
    assert all(pair["a"] == pair["b"] for pair in data["pairs"])

    page = client.get(f"/compare/text/?a={draft.slug}&b={resolution.slug}").content.decode()
    assert "[added: " not in page
    assert "[deleted: " not in page
    assert ">Renumbered<" not in page
    # The text shown is the resolution's, as issued.
    assert "non\u2011governmental organizations, industry" in page
    only_changes = client.get(
        f"/compare/text/?a={draft.slug}&b={resolution.slug}&show=changes"
    ).content.decode()
    assert "Nothing changed: every paragraph reads the same in both." in only_changes


def test_a_word_changed_beside_a_typeset_hyphen_is_the_only_word_marked(client, arms_trade_treaty):
    draft, resolution = arms_trade_treaty
    op19 = paragraph(resolution, "op19")
    op19.text = op19.text.replace("strengthen their cooperation", "deepen their cooperation")
    op19.save()

    page = client.get(f"/compare/text/?a={draft.slug}&b={resolution.slug}").content.decode()

    assert page.count("[deleted: ") == page.count("[added: ") == 1
    assert "[deleted: </span>strengthen</del>" in page
    assert "[added: </span>deepen</ins>" in page


def test_a_note_quoting_the_drafts_hyphen_lands_on_the_resolutions_paragraph(
    client, lars, arms_trade_treaty
):
    draft, resolution = arms_trade_treaty
    op19 = paragraph(resolution, "op19")
    op19.text = op19.text.replace("strengthen their cooperation", "deepen their cooperation")
    op19.save()
    make_annotation(
        lars,
        paragraph(draft, "op19"),
        "Industry too",
        quote="civil society, including non-governmental organizations",
    )
    make_annotation(lars, paragraph(draft, "pp14"), "Civil society's role")
    client.force_login(lars)

    carry(client, resolution.slug)

    copies = {copy.body: copy for copy in copies_on(resolution)}
    assert copies["Industry too"].paragraph.label == "op19"
    assert copies["Industry too"].orphaned_since == ""
    assert copies["Civil society's role"].paragraph.label == "pp14"
    assert copies["Civil society's role"].orphaned_since == ""
