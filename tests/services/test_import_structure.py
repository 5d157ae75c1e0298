"""What real texts add to a draft's shape, saved by the import: the section headings of the
operative part, a resolution's adoption, committee report and closing lines, the note on a
draft's sponsor line; and the draft a resolution was adopted from, proposed when both are
held.

The texts are read as their expected readings say (``tests/real_texts.py``), so these tests
hold whatever the parser reads of them today.
"""

import dataclasses
import datetime
import io

import pytest
from django.core.management import call_command

from resolutions.models import Document, Paragraph
from resolutions.services import importing
from resolutions.un.parsing import SectionHeading
from resolutions.un.reference import REAL_TEXTS_DIR
from tests.real_texts import as_expected, real_text

G77 = (
    "On behalf of the States Members of the United Nations that are members of the Group of 77 "
    "and China."
)


def plan_for(name: str, **changes) -> importing.ImportPlan:
    parsed = dataclasses.replace(as_expected(name), **changes)
    return importing.plan_import(real_text(name), parsed)


def imported(name: str, **changes) -> Document:
    return importing.import_document(plan_for(name, **changes))


# Section headings, adoption and closing lines ------------------------------------------------


def test_a_resolution_keeps_its_section_headings_before_their_paragraphs(db):
    document = imported("A-RES-80-161")
    headed = {
        p.label: p.headings
        for p in Paragraph.objects.filter(document=document).exclude(headings=[])
    }
    assert headed["op2"] == [{"number": "I", "title": "Legislative activities"}]
    assert headed["op25"] == [
        {
            "number": "X",
            "title": "Role of the Commission in achieving the broader agenda of the United Nations",
        }
    ]
    assert list(headed) == [
        "op2",
        "op9",
        "op10",
        "op12",
        "op14",
        "op15",
        "op16",
        "op19",
        "op21",
        "op25",
    ]
    # The heading is not part of any paragraph's words.
    op1 = Paragraph.objects.get(document=document, label="op1")
    assert "Legislative activities" not in op1.text


def test_a_resolution_keeps_its_adoption_report_and_closing_lines(db):
    document = imported("A-RES-80-161")
    document.refresh_from_db()
    assert document.adoption == "Resolution adopted by the General Assembly on 15 December 2025"
    assert (
        document.committee_report == "[on the report of the Sixth Committee (A/80/448, para. 10)]"
    )
    assert document.closing == "64th plenary meeting\n15 December 2025"
    assert document.closing_lines == ["64th plenary meeting", "15 December 2025"]
    assert document.adopted_on == datetime.date(2025, 12, 15)
    assert document.resolution_number == "80/161"


def test_a_draft_has_none_of_a_resolutions_lines(db):
    document = imported("A-C.1-80-L.9")
    assert (document.adoption, document.committee_report, document.closing) == ("", "", "")
    assert document.adopted_on is None
    assert document.resolution_number == ""


def test_the_summary_counts_the_section_headings(db):
    plan = plan_for("A-RES-80-161")
    assert plan.section_count == 10
    assert "28 operative paragraphs, 21 sub-paragraphs, 10 section headings" in plan.summary()
    assert "section heading" not in plan_for("A-RES-80-46").summary()


def test_a_draft_keeps_the_note_on_its_sponsor_line(db):
    document = imported("A-C.2-80-L.28", sponsors=["Iraq"], sponsors_note=G77)
    assert document.sponsors_note == G77


def test_a_heading_before_a_paragraph_the_text_lacks_is_named_and_not_saved(db):
    parsed = as_expected("A-RES-80-161")
    sections = [*parsed.sections, SectionHeading("XI", "Programme budget", "op99")]
    plan = plan_for("A-RES-80-161", sections=sections)
    assert (
        "The heading “XI Programme budget” will not be saved: the paragraph after it (op99) "
        "was not found."
    ) in plan.warnings
    assert plan.section_count == 10


def test_a_footnote_whose_marker_was_not_found_is_named_with_its_words(db):
    parsed = as_expected("A-RES-80-46")
    lost = dataclasses.replace(parsed.footnotes[3], paragraph_label=None, marker_position=None)
    footnotes = [*parsed.footnotes[:3], lost, *parsed.footnotes[4:]]
    plan = plan_for("A-RES-80-46", footnotes=footnotes)
    assert (
        "Footnote 4 (“A/78/111, annex.”) will not be saved: its marker was not found in any "
        "paragraph."
    ) in plan.warnings


def test_the_parsers_warnings_reach_the_plan_word_for_word(db):
    said = "Text after the closing line was not read: “Annex I Model clauses”"
    plan = plan_for("A-RES-80-161", warnings=[said])
    assert plan.warnings[0] == said


def test_a_line_too_long_for_its_column_is_refused_in_a_delegates_words(db):
    with pytest.raises(importing.ImportRefused, match="The adoption line is 240 characters long"):
        plan_for("A-RES-80-46", adoption="x" * 240)


# The draft a resolution was adopted from ---------------------------------------------------


def test_the_held_draft_is_proposed_for_the_resolution_adopted_from_it(db):
    draft = imported("A-C.1-80-L.9")
    plan = plan_for("A-RES-80-46")
    assert plan.revision_of == draft
    assert plan.revision_proposed
    version = Document.objects.get(pk=draft.pk).cache_version

    resolution = importing.import_document(plan)
    assert resolution.revision_of == draft
    draft = Document.objects.with_adoption().get(pk=draft.pk)
    # The draft's cached page is dropped: it now names the resolution.
    assert draft.cache_version != version
    assert draft.adopted_as.symbol == "A/RES/80/46"
    assert draft.adopted_as.on == datetime.date(2025, 12, 1)
    assert draft.adopted_as.get_absolute_url() == "/documents/a-res-80-46/"
    assert resolution.adopted_from == draft


def test_the_titles_need_only_read_the_same(db):
    draft = imported(
        "A-C.6-80-L.10",
        title="Report of the United Nations Commission on "
        "International Trade Law on the work of its fifty-eighth session",
    )
    plan = plan_for(
        "A-RES-80-161",
        title="Report of the United Nations Commission on International Trade Law on the work "
        "of its fifty\u2011eighth session",
    )
    assert plan.revision_of == draft


@pytest.mark.parametrize(
    "change",
    [
        {"title": "An Arms Trade Treaty"},
        {"agenda_item": "99 (w)"},
        {"session": 79, "date": datetime.date(2024, 12, 2)},
    ],
)
def test_no_draft_is_proposed_when_title_agenda_item_or_session_differ(db, change):
    imported("A-C.1-80-L.9")
    plan = plan_for("A-RES-80-46", **change)
    assert plan.revision_of is None
    assert not plan.revision_proposed


def test_of_a_draft_and_its_revision_the_revision_is_proposed(db):
    draft = imported("A-C.1-80-L.9")
    revision = importing.import_document(
        importing.plan_import(
            real_text("A-C.1-80-L.9"),
            dataclasses.replace(
                as_expected("A-C.1-80-L.9"),
                symbol="A/C.1/80/L.9/Rev.1",
                kind="revision",
                date=datetime.date(2025, 10, 20),
                sponsors=["Norway"],
            ),
            revision_of=draft,
        )
    )
    assert plan_for("A-RES-80-46").revision_of == revision


def test_a_draft_already_adopted_is_not_proposed_again(db):
    imported("A-C.1-80-L.9")
    imported("A-RES-80-46")
    # Another resolution of the same title (a space apart, or the import would take it for
    # the same text imported twice).
    plan = plan_for("A-RES-80-46", symbol="A/RES/80/47", title="The Arms Trade Treaty ")
    assert plan.revision_of is None


def test_the_delegates_choice_stands(db, seed_document):
    imported("A-C.1-80-L.9")
    chosen = importing.plan_import(
        real_text("A-RES-80-46"), as_expected("A-RES-80-46"), revision_of=seed_document
    )
    assert chosen.revision_of == seed_document
    assert not chosen.revision_proposed
    none = importing.plan_import(
        real_text("A-RES-80-46"), as_expected("A-RES-80-46"), propose_draft=False
    )
    assert none.revision_of is None


def test_the_command_links_a_resolution_to_its_draft_unless_told_not_to(db):
    out = io.StringIO()
    call_command("import_resolution", str(REAL_TEXTS_DIR / "A-C.1-80-L.9.txt"), stdout=out)
    out = io.StringIO()
    call_command(
        "import_resolution", str(REAL_TEXTS_DIR / "A-RES-80-46.txt"), "--dry-run", stdout=out
    )
    assert "Adopted from A/C.1/80/L.9: a held draft of the same session and agenda item" in (
        out.getvalue()
    )
    out = io.StringIO()
    call_command(
        "import_resolution", str(REAL_TEXTS_DIR / "A-RES-80-46.txt"), "--no-revision-of", stdout=out
    )
    assert "Adopted from" not in out.getvalue()
    assert Document.objects.get(symbol="A/RES/80/46").revision_of is None


# The import page ------------------------------------------------------------------------------


@pytest.fixture
def editor(db):
    from tests.factories import make_delegate

    return make_delegate("erik", "Norway", editor=True)


@pytest.fixture
def read_as_expected(monkeypatch):
    """The page reads each real text as its expected reading says (the parser's own reading
    of section headings and adoption lines is tested with the parser)."""

    def use(*names, **changes):
        readings = {
            real_text(name): dataclasses.replace(as_expected(name), **changes) for name in names
        }

        def parse(text, symbol=None):
            return readings[text]

        monkeypatch.setattr(importing, "parse_resolution", parse)

    return use


def preview_page(client, name: str, **data) -> str:
    response = client.post("/import/", {"text": real_text(name), **data})
    assert response.status_code == 200
    return response.content.decode()


def test_the_preview_shows_the_sections_in_the_outline(client, editor, read_as_expected):
    read_as_expected("A-RES-80-161")
    client.force_login(editor)
    page = preview_page(client, "A-RES-80-161")
    assert "<strong>10</strong> section headings" in page
    section = (
        '<tr class="outline-section"><th scope="colgroup" colspan="4">'
        '<span class="outline-section-number">I</span> Legislative activities</th></tr>'
    )
    assert page.index(">OP1</th>") < page.index(section) < page.index(">OP2</th>")
    assert page.count('class="outline-section"') == 10


def test_the_preview_shows_the_adoption_report_and_closing_lines(client, editor, read_as_expected):
    read_as_expected("A-RES-80-161")
    client.force_login(editor)
    page = preview_page(client, "A-RES-80-161")
    assert (
        '<p class="un-adoption-line">Resolution adopted by the General Assembly on 15 December '
        "2025</p>"
    ) in page
    assert 'href="https://undocs.org/A/80/448"' in page
    assert "64th plenary meeting<br>15 December 2025" in page
    assert "80/161. Report of the United Nations Commission" in page


def test_the_preview_shows_the_sponsors_note(client, editor, read_as_expected):
    read_as_expected("A-C.2-80-L.28", sponsors=["Iraq"], sponsors_note=G77)
    client.force_login(editor)
    page = preview_page(client, "A-C.2-80-L.28")
    assert f'<p class="un-sponsors-note">* {G77}</p>' in page


def test_the_preview_lists_the_readers_warnings_first_and_word_for_word(
    client, editor, read_as_expected
):
    said = [
        "Footnote 31 has a note but no marker in the text: “https://newyorkconvention1958.org/.”",
        "Text after the closing line was not read: “_______________ 38 Resolution 79/323”",
    ]
    read_as_expected("A-RES-80-161", warnings=said)
    client.force_login(editor)
    page = preview_page(client, "A-RES-80-161")
    assert "Check 2 things before importing" in page
    warnings = page.index('class="preview-warnings"')
    # Before the document's facts, the counts and the button.
    assert warnings < page.index('class="preview-heading-card"') < page.index("Import A/RES/80/161")
    for warning in said:
        assert f"<li>{warning}</li>" in page


def test_the_preview_proposes_the_held_draft_and_the_delegate_may_choose_none(
    client, editor, read_as_expected
):
    read_as_expected("A-C.1-80-L.9", "A-RES-80-46")
    client.force_login(editor)
    client.post("/import/", {"text": real_text("A-C.1-80-L.9"), "save": "1"})
    draft = Document.objects.get(symbol="A/C.1/80/L.9")

    page = preview_page(client, "A-RES-80-46")
    assert '<label for="preview-revision-of">Adopted from</label>' in page
    assert (
        f'<option value="{draft.slug}" selected>'
        "A/C.1/80/L.9 · draft resolution of 8 October 2025</option>"
    ) in page
    assert "Proposed: A/C.1/80/L.9 is a draft of the same session and agenda item" in page

    # The delegate chooses "no draft held here": none it is, not the proposal again.
    response = client.post(
        "/import/", {"text": real_text("A-RES-80-46"), "revision_of": "", "save": "1"}
    )
    assert response.status_code == 302
    assert Document.objects.get(symbol="A/RES/80/46").revision_of is None


def test_confirming_the_proposal_links_the_resolution_to_its_draft(
    client, editor, read_as_expected
):
    read_as_expected("A-C.1-80-L.9", "A-RES-80-46")
    client.force_login(editor)
    client.post("/import/", {"text": real_text("A-C.1-80-L.9"), "save": "1"})
    response = client.post(
        "/import/", {"text": real_text("A-RES-80-46"), "revision_of": "a-c1-80-l9", "save": "1"}
    )
    assert response.status_code == 302
    resolution = Document.objects.get(symbol="A/RES/80/46")
    assert resolution.revision_of.symbol == "A/C.1/80/L.9"
