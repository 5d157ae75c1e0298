"""The compilation text as a Word document with real tracked changes: what delegations send
to their capitals, generated.

The document holds the current text. Every tabled (or accepted) proposal is a tracked
revision: its inserted words in ``w:ins``, its deleted words in ``w:del``, each with
``w:author`` the proposing delegation and ``w:date`` when it was tabled, so that Word's and
LibreOffice's review tools show, accept and reject them by delegation. A paragraph with
proposals is shown once per proposal ("OP3 — proposal by Norway"), so that each proposal
stays a revision of its own that can be accepted or rejected without touching another's.
A new paragraph follows the paragraph it is proposed after ("OP3 bis — proposal by Ghana"),
its words inserted. Each paragraph's status, and each proposal's reason and stances, are
Word comments. The page header carries the symbol and the date.

The document is built with python-docx; the revision marks, which it has no API for, are
written as WordprocessingML elements through its ``oxml`` layer.
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Callable, Iterable
from copy import deepcopy
from functools import cache
from typing import NamedTuple

from django.utils import timezone
from docx import Document as new_word_document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from resolutions.pages.compilation import (
    Compilation,
    CompiledParagraph,
    CompiledProposal,
    Entry,
)
from resolutions.rendering import printed_day
from resolutions.un.text_comparison import WordChange
from resolutions.un.tracked_changes import spaced_runs

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
WORKBENCH = "Resolution workbench"

INDENT = Mm(16)
SUB_INDENT = Mm(8)

# XML 1.0 allows no other characters; a delegate's text may hold any (a pasted control
# character), and lxml refuses to write them.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """``text`` without the characters an XML document cannot hold."""
    return _NOT_XML.sub("", text)


def word_date(moment: datetime.datetime) -> str:
    """A revision's ``w:date``: UTC, to the second, as Word writes it."""
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _long_date(moment: datetime.datetime | datetime.date) -> str:
    if isinstance(moment, datetime.datetime):
        moment = timezone.localtime(moment).date()
    return printed_day(moment, "j F Y")


class _Revisions:
    """Numbers the revision marks: each ``w:ins`` and ``w:del`` needs an id of its own.
    They start far above the comments' ids, which python-docx counts from 0."""

    def __init__(self) -> None:
        self.next_id = 100_000

    def mark(self, tag: str, author: str, date: str):
        element = OxmlElement(tag)
        element.set(qn("w:id"), str(self.next_id))
        element.set(qn("w:author"), xml_text(author))
        element.set(qn("w:date"), date)
        self.next_id += 1
        return element


def _run_element(text: str, *, deleted: bool = False, italic: bool = False, size=None):
    """A ``w:r`` holding ``text``: in ``w:delText`` inside a deletion, else ``w:t``."""
    run = OxmlElement("w:r")
    if italic or size:
        properties = OxmlElement("w:rPr")
        if italic:
            properties.append(OxmlElement("w:i"))
        if size:
            half_points = OxmlElement("w:sz")
            half_points.set(qn("w:val"), str(int(size.pt * 2)))
            properties.append(half_points)
        run.append(properties)
    piece = OxmlElement("w:delText" if deleted else "w:t")
    piece.set(qn("xml:space"), "preserve")
    piece.text = xml_text(text)
    run.append(piece)
    return run


def _with_lead(runs: list[WordChange], lead: str) -> list[tuple[str, str, bool]]:
    """(op, text, italic) pieces: the paragraph's opening phrase in italics, as printed,
    wherever the runs keep it at the start (unchanged, or struck out by the proposal)."""
    pieces: list[tuple[str, str, bool]] = []
    at_start = True
    for run in runs:
        if at_start and lead and run.op != "insert" and run.text.startswith(lead):
            pieces.append((run.op, lead, True))
            if run.text[len(lead) :]:
                pieces.append((run.op, run.text[len(lead) :], False))
        else:
            pieces.append((run.op, run.text, False))
        if run.op != "insert":
            at_start = False
    return pieces


class _WordCompilation:
    def __init__(self, compilation: Compilation) -> None:
        self.compilation = compilation
        self.word = new_word_document()
        self.revisions = _Revisions()
        # New paragraphs go straight before the section's properties, the body's last
        # element: python-docx's add_paragraph looks for it among every paragraph so far,
        # which grows with the square of a long compilation.
        self.end_of_body = self.word.element.body.find(qn("w:sectPr"))
        # The first paragraph of each kind and indent, copied for the rest (``_formatted``).
        self.made: dict[tuple, object] = {}
        # Comments are written into python-docx's comments part directly, numbered here:
        # its add_comment looks through every comment so far for the next free id.
        self.word.comments  # noqa: B018 -- makes the comments part
        self.comments = self.word.part.part_related_by(RT.COMMENTS).element
        self.next_comment_id = len(self.comments)
        self.comment_date = word_date(compilation.generated_at)

    def _add_paragraph(self, text: str = "") -> Paragraph:
        element = OxmlElement("w:p")
        self.end_of_body.addprevious(element)
        paragraph = Paragraph(element, self.word)
        if text:
            paragraph.add_run(text)
        return paragraph

    # The page ------------------------------------------------------------------------------

    def build(self) -> bytes:
        document = self.compilation.document
        self._page_setup()
        properties = self.word.core_properties
        properties.title = xml_text(f"{document.symbol} — compilation text")
        properties.author = WORKBENCH
        properties.subject = xml_text(document.title)[:255]
        self._title_block()
        intro_done = False
        for entry in self.compilation.entries:
            if not intro_done and entry.paragraph.paragraph.part == "preambular":
                self._intro()
                intro_done = True
            self._entry(entry)
        buffer = io.BytesIO()
        self.word.save(buffer)
        return buffer.getvalue()

    def _page_setup(self) -> None:
        normal = self.word.styles["Normal"]
        normal.font.name = "Times New Roman"
        normal.font.size = Pt(11)
        normal.paragraph_format.space_after = Pt(6)
        section = self.word.sections[0]
        # A4, with margins that leave US Letter room too.
        section.page_width, section.page_height = Mm(210), Mm(297)
        for side in ("left_margin", "right_margin"):
            setattr(section, side, Mm(20))
        section.top_margin = section.bottom_margin = Mm(20)
        header = section.header.paragraphs[0]
        width = section.page_width - section.left_margin - section.right_margin
        # The Header style's own stops (centre, right) are set for US Letter; one right stop
        # at this page's margin instead.
        self.word.styles["Header"].paragraph_format.tab_stops.clear_all()
        header.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
        symbol = header.add_run(xml_text(self.compilation.document.symbol))
        symbol.bold = True
        header.add_run(
            f"\tCompilation text as of {_long_date(self.compilation.generated_at)}"
        ).font.size = Pt(9)
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        footer.add_run("Page ").font.size = Pt(9)
        page_number = OxmlElement("w:fldSimple")
        page_number.set(qn("w:instr"), "PAGE")
        page_number.append(_run_element("1", size=Pt(9)))
        footer._p.append(page_number)

    def _title_block(self) -> None:
        document = self.compilation.document
        organ = self._add_paragraph()
        organ.add_run("General Assembly").bold = True
        organ.add_run(f"\t{xml_text(document.symbol)}").bold = True
        organ.paragraph_format.tab_stops.add_tab_stop(Mm(170), WD_TAB_ALIGNMENT.RIGHT)
        session = self._add_paragraph(
            xml_text(
                ", ".join(part for part in (document.session_title, document.committee) if part)
            )
        )
        session.runs[0].font.size = Pt(9)
        title = self._add_paragraph()
        title_run = title.add_run(xml_text(document.title))
        title_run.bold = True
        title_run.font.size = Pt(13)
        heading = self._add_paragraph()
        heading.add_run(
            f"Compilation text as of {_long_date(self.compilation.generated_at)}"
        ).bold = True
        self._add_paragraph(xml_text(self.compilation.board.summary) + ".")
        filters = self.compilation.active_filters
        if filters:
            shown = ", ".join(f"{name}: {value}" for name, value in sorted(filters.items()))
            self._add_paragraph(xml_text(f"Filtered ({shown})."))
        note = self._add_paragraph(
            "Each tabled proposal is a tracked change by the proposing delegation; a paragraph "
            "with several proposals is shown once for each. Paragraph statuses, reasons and "
            "stances are comments."
        )
        note.runs[0].italic = True
        note.runs[0].font.size = Pt(9)

    def _intro(self) -> None:
        intro = self._add_paragraph()
        intro.add_run("The General Assembly").italic = True
        intro.add_run(",")

    # Paragraphs ----------------------------------------------------------------------------

    def _entry(self, entry: Entry) -> None:
        if entry.kind == "heading":
            heading = self._add_paragraph()
            heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
            heading.paragraph_format.keep_with_next = True
            heading.add_run(xml_text(entry.heading)).bold = True
        elif entry.kind == "paragraph":
            self._paragraph(entry.paragraph)
        elif entry.proposal is not None and entry.proposal.is_live:
            self._new_paragraph(entry.paragraph, entry.proposal)

    def _paragraph(self, item: CompiledParagraph) -> None:
        live = [proposal for proposal in item.proposals if proposal.is_live]
        if not live:
            label, text = self._labelled(item, item.display_label)
            self._add_runs(text, [WordChange("equal", item.paragraph.text)], item, None)
            self._status_comment(label, item)
            return
        for number, proposal in enumerate(live):
            label, text = self._labelled(item, f"{item.display_label} — {_by(proposal)}")
            self._add_runs(text, spaced_runs(proposal.changes), item, proposal)
            if number == 0:
                self._status_comment(label, item)
            self._proposal_comment(label, proposal)

    def _new_paragraph(self, item: CompiledParagraph, proposal: CompiledProposal) -> None:
        label, text = self._labelled(item, f"{proposal.label} — {_by(proposal)}", numbered=False)
        self._add_runs(text, spaced_runs(proposal.changes), None, proposal)
        self._proposal_comment(label, proposal)

    def _labelled(self, item: CompiledParagraph, label: str, *, numbered: bool = True):
        """The label line (its run is where comments are anchored) and the paragraph for the
        text under it, indented by depth, with the number as printed."""
        indent = INDENT + SUB_INDENT * item.depth
        head = self._formatted(("label", indent), lambda head: _format_label(head, indent))
        label_run = Run(head._p.r_lst[0], head)
        label_run.text = xml_text(label)
        text = self._formatted(("text", indent), lambda text: _format_text(text, indent))
        if numbered and item.number:
            text.add_run(f"{item.number} ")
        return label_run, text

    def _formatted(self, kind: tuple, make: Callable[[Paragraph], None]) -> Paragraph:
        """A new paragraph at the end of the body, made by ``make`` the first time for each
        ``kind`` and copied from that one afterwards: python-docx's setters look through the
        paragraph's XML for each property they set, for each of a thousand proposals."""
        made = self.made.get(kind)
        if made is None:
            paragraph = self._add_paragraph()
            make(paragraph)
            self.made[kind] = deepcopy(paragraph._p)
            return paragraph
        element = deepcopy(made)
        self.end_of_body.addprevious(element)
        return Paragraph(element, self.word)

    def _add_runs(
        self,
        paragraph,
        runs: Iterable[WordChange],
        item: CompiledParagraph | None,
        proposal: CompiledProposal | None,
    ) -> None:
        lead = item.paragraph.lead if item is not None else ""
        author = proposal.proposal.delegation.name if proposal else ""
        date = word_date(proposal.when) if proposal else ""
        for op, text, italic in _with_lead(list(runs), lead):
            if op == "equal":
                paragraph._p.append(_run_element(text, italic=italic))
                continue
            tag = "w:ins" if op == "insert" else "w:del"
            mark = self.revisions.mark(tag, author, date)
            mark.append(_run_element(text, deleted=op == "delete", italic=italic))
            paragraph._p.append(mark)

    # Comments ------------------------------------------------------------------------------

    def _comment(self, run, lines: list[str], author: str) -> None:
        """A comment of ``lines`` (a paragraph each) by ``author``, anchored on ``run``: the
        ``w:comment`` Word writes, with its annotation mark in the first paragraph. Its
        elements are copied from those ``_comment_elements`` made once: a compilation
        writes a comment for each of a thousand proposals."""
        made = _comment_elements()
        comment_id = str(self.next_comment_id)
        self.next_comment_id += 1
        comment = deepcopy(made.comment)
        comment.set(qn("w:id"), comment_id)
        comment.set(qn("w:author"), xml_text(author))
        comment.set(qn("w:initials"), _initials(author))
        comment.set(qn("w:date"), self.comment_date)
        for number, line in enumerate(lines):
            paragraph = deepcopy(made.first_line if number == 0 else made.line)
            paragraph[-1][-1].text = xml_text(line)  # the last run's w:t
            comment.append(paragraph)
        self.comments.append(comment)
        # What python-docx's Run.mark_comment_range writes: the range around ``run``, then
        # the run that holds the reference.
        start, end, reference = (
            deepcopy(element) for element in (made.start, made.end, made.reference)
        )
        start.set(qn("w:id"), comment_id)
        end.set(qn("w:id"), comment_id)
        reference[-1].set(qn("w:id"), comment_id)
        run._r.addprevious(start)
        run._r.addnext(reference)
        run._r.addnext(end)

    def _status_comment(self, run, item: CompiledParagraph) -> None:
        paragraph = item.paragraph
        status = f"{item.display_label}: {paragraph.get_status_display().lower()}"
        if item.status_changed_by and paragraph.status_changed_at:
            status += (
                f" (marked by {item.status_changed_by}, {_long_date(paragraph.status_changed_at)})"
            )
        lines = [status + "."]
        for proposal in [*item.proposals, *item.inserts]:
            if not proposal.is_live:
                closed = f"{proposal.proposal.get_state_display()}: {proposal.label} — "
                closed += _by(proposal)
                if proposal.proposal.decision_reason:
                    closed += f": {proposal.proposal.decision_reason}"
                lines.append(_sentence(closed))
        self._comment(run, lines, item.status_changed_by or WORKBENCH)

    def _proposal_comment(self, run, proposal: CompiledProposal) -> None:
        record = proposal.proposal
        lines = [
            f"{proposal.kind_words} by {proposal.proposer}, tabled {_long_date(proposal.when)}."
        ]
        if record.reason:
            lines.append(f"Reason: {record.reason}")
        if proposal.stance_summary:
            summary = proposal.stance_summary
            lines.append(summary[0].upper() + summary[1:] + ".")
        if record.state == record.State.ACCEPTED:
            accepted = "Accepted"
            if proposal.decided_by:
                accepted += f" by {proposal.decided_by}"
            if record.decision_reason:
                accepted += f": {record.decision_reason}"
            lines.append(_sentence(accepted))
        self._comment(run, lines, record.delegation.name)


class _CommentElements(NamedTuple):
    comment: object
    first_line: object
    line: object
    start: object
    end: object
    reference: object


@cache
def _comment_elements() -> _CommentElements:
    """The elements of a comment as Word writes it, made once to be copied: the comment;
    its first paragraph, with the annotation mark, and any other, each ending in a run for
    its words; the start and end of the range it comments on, and the run that holds the
    reference (as ``Run.mark_comment_range`` writes them)."""

    def line(*, marked: bool):
        paragraph = OxmlElement("w:p")
        properties = OxmlElement("w:pPr")
        properties.append(OxmlElement("w:pStyle", attrs={qn("w:val"): "CommentText"}))
        paragraph.append(properties)
        if marked:
            mark = OxmlElement("w:r")
            mark_properties = OxmlElement("w:rPr")
            mark_properties.append(OxmlElement("w:rStyle", attrs={qn("w:val"): "CommentReference"}))
            mark.append(mark_properties)
            mark.append(OxmlElement("w:annotationRef"))
            paragraph.append(mark)
        paragraph.append(_run_element(""))
        return paragraph

    reference = OxmlElement("w:r")
    reference.get_or_add_rPr().style = "CommentReference"
    reference.append(OxmlElement("w:commentReference", attrs={qn("w:id"): "0"}))
    return _CommentElements(
        comment=OxmlElement(
            "w:comment",
            attrs={qn("w:id"): "0", qn("w:author"): "", qn("w:initials"): "", qn("w:date"): ""},
        ),
        first_line=line(marked=True),
        line=line(marked=False),
        start=OxmlElement("w:commentRangeStart", attrs={qn("w:id"): "0"}),
        end=OxmlElement("w:commentRangeEnd", attrs={qn("w:id"): "0"}),
        reference=reference,
    )


def _format_label(head: Paragraph, indent) -> None:
    """A label line: kept with the text under it, indented as it, in small bold letters,
    its run holding the label (set for each copy)."""
    head.paragraph_format.keep_with_next = True
    head.paragraph_format.space_after = Pt(0)
    head.paragraph_format.left_indent = indent
    label_run = head.add_run()
    label_run.bold = True
    label_run.font.size = Pt(8.5)


def _format_text(text: Paragraph, indent) -> None:
    text.paragraph_format.left_indent = indent


def _by(proposal: CompiledProposal) -> str:
    """ "proposal by Norway on behalf of Nordic group" (or "deletion by …")."""
    kind = {"amend": "proposal", "delete": "deletion", "insert": "new paragraph"}
    return f"{kind.get(proposal.proposal.kind, 'proposal')} by {proposal.proposer}"


def _sentence(text: str) -> str:
    """``text`` ending with a full stop, unless it ends with punctuation already."""
    return text if text.rstrip().endswith((".", "!", "?", ";", ":")) else f"{text}."


def _initials(name: str) -> str:
    return "".join(word[0] for word in name.split() if word[:1].isalpha())[:4].upper()


def compilation_docx(compilation: Compilation) -> bytes:
    """The compilation as a .docx file (bytes)."""
    return _WordCompilation(compilation).build()
