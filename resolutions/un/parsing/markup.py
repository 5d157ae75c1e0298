"""Text cleaning: markdown syntax removed, whitespace normalised, every word kept."""

from __future__ import annotations

import re

from resolutions.un.symbols import normalise_space

# Each pattern stops at the next character that could open another match ("[" or "(" for a
# link, "*" for bold), so the work is linear in the text: a span that may run to the end of
# the line from every opening mark takes quadratic time on a text full of unclosed marks.
_LINK = re.compile(r"\[([^\[\]\n]*)\]\([^()\[\]\n]*\)")
_STRONG = re.compile(r"\*\*(?!\s)([^*\n]+?)(?<!\s)\*\*")
_EMPHASIS = re.compile(r"(?<![\w*])\*(?!\s)([^*\n]+?)(?<!\s)\*(?![\w*])")
_UNDERSCORE_EMPHASIS = re.compile(r"(?<![\w_])_(?!\s)([^_\n]+?)(?<!\s)_(?![\w_])")
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!])")
# PDF extraction turns a hyphen at a line end into "decision- making"; rejoin, but keep the
# suspended hyphens of "small- and medium-sized" or "medium- to long-term" ("end- to-end"
# is "end-to-end" broken at the line, "COVID- 19" is "COVID-19", "10- Year" is "10-Year").
_BROKEN_HYPHEN = re.compile(r"(?<=[^\W_])- (?!(?:and|or|to|nor)\b(?!-))(?=[^\W_])")
_HTML_SUPERSCRIPT = re.compile(r"<sup>\s*(\d{1,3})\s*</sup>")

_SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_FROM_SUPERSCRIPT = str.maketrans(_SUPERSCRIPT_DIGITS, "0123456789")


def _strip_markup(text: str) -> str:
    """Markdown syntax removed, whitespace normalised; every word and mark kept."""
    # The checks skip the substitutions on plain PDF text, which has no markdown.
    if "](" in text:
        text = _LINK.sub(r"\1", text)
    if "*" in text:
        text = _EMPHASIS.sub(r"\1", _STRONG.sub(r"\1", text))
    if "_" in text:
        text = _UNDERSCORE_EMPHASIS.sub(r"\1", text)
    if "\\" in text:
        text = _ESCAPED.sub(r"\1", text)
    text = normalise_space(text)
    return _BROKEN_HYPHEN.sub("-", text) if "- " in text else text
