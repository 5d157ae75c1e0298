"""The compilation as a Word document (`/documents/<slug>/compilation.docx`): the current
text with every tabled proposal as a real tracked revision (``w:ins``/``w:del`` with the
proposing delegation as ``w:author`` and ``w:date``), statuses and reasons as comments.
Opened with python-docx, and converted by LibreOffice as a capital's desk officer would
open it."""

import io
import shutil
import subprocess

import docx
import pytest
from docx.oxml.ns import qn
from pypdf import PdfReader

from resolutions.formats.word import CONTENT_TYPE, word_date
from resolutions.models import Paragraph, Proposal
from tests.conftest import SEED_SLUG
from tests.factories import make_delegate, make_negotiation, make_proposal_directly
from tests.views.test_compilation import JSON_QUERIES, many_proposals

DOCX = f"/documents/{SEED_SLUG}/compilation.docx"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture
def negotiation(seed_document, lars, amina):
    return make_negotiation(seed_document, lars, amina)


def word_file(client, user, **query) -> docx.document.Document:
    client.force_login(user)
    response = client.get(DOCX, query)
    assert response.status_code == 200
    assert response["Content-Type"] == CONTENT_TYPE
    assert response["Content-Disposition"] == f'attachment; filename="{SEED_SLUG}-compilation.docx"'
    return docx.Document(io.BytesIO(response.content))


def body_paragraphs(word) -> list:
    return list(word.element.body.iter(qn("w:p")))


def text_of(element, *, accept: bool | None = None) -> str:
    """A paragraph's words: as shown (``None``: inserted and deleted words both), with every
    change accepted, or with every change rejected."""
    pieces = []
    for node in element.iter(qn("w:t"), qn("w:delText")):
        inserted = any(a.tag == qn("w:ins") for a in node.iterancestors())
        deleted = node.tag == qn("w:delText")
        if (accept is True and deleted) or (accept is False and inserted):
            continue
        pieces.append(node.text or "")
    return "".join(pieces)


def after_label(word, label: str):
    """The text paragraph under the label line ``label``."""
    paragraphs = body_paragraphs(word)
    for index, element in enumerate(paragraphs):
        if text_of(element) == label:
            return paragraphs[index + 1]
    raise AssertionError(f"No paragraph labelled {label!r}")


def marks(element) -> list:
    return list(element.iter(qn("w:ins"), qn("w:del")))


def test_each_tabled_proposal_is_a_revision_by_its_delegation_dated_when_tabled(
    client, negotiation
):
    word = word_file(client, negotiation.people.amina)
    norway = after_label(word, "OP3 — proposal by Norway on behalf of Nordic group")
    revisions = marks(norway)
    assert {mark.get(qn("w:author")) for mark in revisions} == {"Norway"}
    assert {mark.get(qn("w:date")) for mark in revisions} == {
        word_date(negotiation.norway.tabled_at)
    }
    assert len({mark.get(qn("w:id")) for mark in marks(word.element.body)}) == len(
        marks(word.element.body)
    )
    deleted = [text_of(m).strip() for m in revisions if m.tag == qn("w:del")]
    inserted = [text_of(m).strip() for m in revisions if m.tag == qn("w:ins")]
    assert deleted == ["Calls upon", "guided"]
    assert inserted == ["Encourages", "guided, as appropriate,"]
    # Accepted, the copy reads as Norway's proposal; rejected, as the paragraph stands.
    op3 = Paragraph.objects.get(document=negotiation.document, label="op3")
    assert text_of(norway, accept=True) == f"3. {negotiation.norway.text}"
    assert text_of(norway, accept=False) == f"3. {op3.text}"


def test_two_proposals_on_one_paragraph_are_two_copies_each_a_revision_of_its_own(
    client, negotiation
):
    word = word_file(client, negotiation.people.lars)
    japan = after_label(word, "OP3 — proposal by Japan")
    assert {mark.get(qn("w:author")) for mark in marks(japan)} == {"Japan"}
    assert text_of(japan, accept=True).endswith("and to report thereon;")
    labels = [text_of(p) for p in body_paragraphs(word)]
    assert labels.count("OP3 — proposal by Norway on behalf of Nordic group") == 1
    assert labels.count("OP3 — proposal by Japan") == 1
    assert "OP3" not in labels  # no third, untracked copy


def test_a_deletion_strikes_the_paragraph_and_a_new_paragraph_is_inserted_after_its_own(
    client, negotiation
):
    word = word_file(client, negotiation.people.lars)
    op5 = after_label(word, "OP5 — deletion by Ghana on behalf of Core group on ICT")
    text = Paragraph.objects.get(document=negotiation.document, label="op5").text
    assert text_of(op5, accept=False) == f"5. {text}"
    assert text_of(op5, accept=True) == "5. "
    assert {mark.tag for mark in marks(op5)} == {qn("w:del")}
    new = after_label(word, "OP6 bis — new paragraph by Brazil on behalf of Core group on ICT")
    assert text_of(new, accept=True) == negotiation.brazil.text
    assert text_of(new, accept=False) == ""
    labels = [text_of(p) for p in body_paragraphs(word)]
    place = labels.index("OP6 bis — new paragraph by Brazil on behalf of Core group on ICT")
    assert labels.index("OP6(b)") < place < labels.index("OP7")


def test_rejected_withdrawn_and_draft_proposals_make_no_revision(client, negotiation):
    word = word_file(client, negotiation.people.lars)
    authors = {mark.get(qn("w:author")) for mark in marks(word.element.body)}
    assert authors == {"Norway", "Japan", "Ghana", "Brazil"}
    everything = text_of(word.element.body)
    assert "Nordic draft wording never tabled" not in everything
    assert "including lessons learned" not in everything


def test_statuses_reasons_and_stances_are_comments(client, negotiation):
    word = word_file(client, negotiation.people.lars)
    comments = {comment.text: comment.author for comment in word.comments}
    marked = negotiation.document.paragraphs.get(label="pp1").status_changed_at
    day = f"{marked.day} {marked:%B %Y}"
    assert comments[f"PP1: agreed ad ref (marked by Nigeria, {day})."] == "Nigeria"
    assert comments[f"OP1: agreed (marked by Nigeria, {day})."] == "Nigeria"
    assert comments["OP3: open."] == "Resolution workbench"
    assert "OP6(a): open.\nRejected: OP6(a) — proposal by Germany: No support in the room." in (
        comments
    )
    assert "PP4: open.\nWithdrawn: PP4 — proposal by Poland." in comments
    tabled = negotiation.norway.tabled_at
    norway = next(text for text, author in comments.items() if author == "Norway")
    assert norway == (
        f"Amendment by Norway on behalf of Nordic group, tabled {tabled.day} {tabled:%B %Y}.\n"
        "Reason: Softer language agreed in the Nordic group.\n"
        "Supported by 5: WEOG 3, African Group 1, EEG 1; acceptable to 1: GRULAC 1; "
        "objected by 1: Asia-Pacific 1."
    )
    # Each comment is anchored on its paragraph's label.
    label = next(
        p
        for p in body_paragraphs(word)
        if text_of(p) == "OP3 — proposal by Norway on behalf of Nordic group"
    )
    assert len(list(label.iter(qn("w:commentRangeStart")))) == 2  # the status and Norway's


def test_the_header_carries_the_symbol_and_the_date(client, negotiation):
    word = word_file(client, negotiation.people.lars)
    header = word.sections[0].header.paragraphs[0].text
    assert header.startswith("A/C.1/76/L.13\tCompilation text as of ")
    assert word.core_properties.title == "A/C.1/76/L.13 — compilation text"


def test_the_filters_of_the_page_choose_what_the_file_holds(client, negotiation):
    word = word_file(client, negotiation.people.lars, delegation="Japan", status="open")
    assert {mark.get(qn("w:author")) for mark in marks(word.element.body)} == {"Japan"}
    labels = [text_of(p) for p in body_paragraphs(word)]
    assert "PP1" not in labels
    assert "OP2" in labels
    assert "Filtered (delegation: Japan, status: open)." in labels


def test_words_an_xml_file_cannot_hold_are_left_out_rather_than_failing(
    client, seed_document, lars
):
    op2 = seed_document.paragraphs.get(label="op2")
    make_proposal_directly(
        lars, op2, "amend", "Welcomes\x01 the report\x07;", reason="Bell\x0b and escape\x1b typed"
    )
    word = word_file(client, lars)
    proposal = after_label(word, "OP2 — proposal by Norway")
    assert text_of(proposal, accept=True) == "2. Welcomes the report;"
    assert any(comment.text.startswith("Amendment by Norway") for comment in word.comments)
    reasons = [c.text.split("\n")[1] for c in word.comments if "Bell" in c.text]
    assert reasons == ["Reason: Bell and escape typed"]


def test_the_word_file_costs_the_same_queries_for_5_and_200_proposals(
    client, seed_document, lars, amina, django_assert_num_queries
):
    authors = [lars, amina, make_delegate("kwame", "Ghana")]
    client.force_login(lars)
    many_proposals(seed_document, 5, authors)
    with django_assert_num_queries(JSON_QUERIES):
        assert client.get(DOCX).status_code == 200
    many_proposals(seed_document, 195, authors, first=5)
    with django_assert_num_queries(JSON_QUERIES):
        response = client.get(DOCX)
    word = docx.Document(io.BytesIO(response.content))
    live = Proposal.objects.filter(document=seed_document, state="tabled").count()
    labelled = [p for p in body_paragraphs(word) if " — " in text_of(p)]
    assert len(labelled) == live == 200


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_it_and_shows_the_proposed_words(client, negotiation, tmp_path):
    """What a desk officer sees: LibreOffice converts the file to PDF with the tracked
    changes shown (inserted and deleted words both), under each proposal's label."""
    client.force_login(negotiation.people.lars)
    source = tmp_path / "compilation.docx"
    source.write_bytes(client.get(DOCX).content)
    subprocess.run(
        [
            SOFFICE,
            # A profile of its own: another LibreOffice running on the machine keeps its lock.
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    reader = PdfReader(tmp_path / "compilation.pdf")
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "A/C.1/76/L.13" in text
    assert "OP3 — proposal by Norway on behalf of Nordic group" in text
    assert "guided, as appropriate," in text
    assert "Encourages" in text
    assert "and to report thereon;" in text
    assert "OP6 bis — new paragraph by Brazil on behalf of Core group on ICT" in text
    assert "capacity-building for developing countries;" in text
    assert "Compilation text as of" in text
    assert 2 <= len(reader.pages) <= 6
