"""Reading the plain text of General Assembly draft and adopted resolutions.

Delegates bring texts from two kinds of source:

* markdown copies of drafts, where the italics (``*Decides*``), links to cited resolutions
  (``[75/240](#)``) and superscript footnote markers (``¹``) survive as markup, and the
  footnotes stand wherever a page of the original ended;
* text extracted from the official PDFs, where running page headers (the title again, the
  symbol, ``2/5``) land in the middle of paragraphs, footnote numbers are glued to words
  (``security1``), heading lines run together and long titles are cut at a line break.

``parse_resolution`` turns either into the document's heading, its preambular and operative
paragraphs (clean text, the italic opening phrase, the documents each one cites), and the
footnotes. Whatever it had to decide on thin evidence is reported in
``ParsedDocument.warnings`` in words a delegate can act on; it never fails on odd input except
with ``ParseError``.

Standard library only, so it runs outside Django too (management commands, scripts, tests).

The rules live in one module each:

* ``document``: what the parser returns (``ParsedDocument``, ``Paragraph``, ``Footnote``,
  ``Citation``), ``ParseError``, the month names;
* ``citations``: the document symbols a text cites (``find_citations``);
* ``markup``: markdown syntax and extra whitespace removed, every word kept;
* ``footnotes``: footnote markers in the text, how a note starts, markers matched to notes;
* ``leads``: the italic opening phrase of a paragraph;
* ``heading``: symbol, date, session, committee, agenda item, sponsors and title;
* ``body``: where the body starts, page furniture, its blocks sorted into paragraphs and notes;
* ``reader``: ``parse_resolution``, which puts them together.
"""

from __future__ import annotations

from resolutions.un.parsing.citations import find_citations
from resolutions.un.parsing.document import (
    MONTHS,
    Citation,
    Footnote,
    Paragraph,
    ParsedDocument,
    ParseError,
    SectionHeading,
)
from resolutions.un.parsing.leads import lead_of
from resolutions.un.parsing.reader import parse_resolution

__all__ = [
    "Citation",
    "Footnote",
    "MONTHS",
    "ParseError",
    "Paragraph",
    "ParsedDocument",
    "SectionHeading",
    "find_citations",
    "lead_of",
    "parse_resolution",
]
