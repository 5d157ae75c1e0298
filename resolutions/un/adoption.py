"""What an adopted resolution prints about its adoption, and how it is matched to the draft
it was adopted from.

A resolution prints "Resolution adopted by the General Assembly on 15 December 2025" under
its heading and closes with the meeting that adopted it ("64th plenary meeting" over
"15 December 2025"). Its title is the draft's title, but the typesetting of the adopted
text differs in small ways (non-breaking hyphens, curly quotes, a dash for a hyphen), so
titles are compared without their typography.
"""

from __future__ import annotations

import datetime
import re
import unicodedata

from resolutions.un.parsing import MONTHS
from resolutions.un.parsing.heading import _COMMITTEE
from resolutions.un.symbols import normalise_space

_DATE = re.compile(rf"\b(\d{{1,2}})\s+({'|'.join(MONTHS)})\s+(\d{{4}})\b")
_MONTH_NUMBERS = {name: number for number, name in enumerate(MONTHS, start=1)}

# Every dash and hyphen as "-", every quotation mark and apostrophe as "'".
_DASHES = dict.fromkeys(
    map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"), "-"
)
_QUOTES = dict.fromkeys(
    map(ord, '\u2018\u2019\u201a\u201b\u2032\u0060\u00b4"\u201c\u201d\u201e'), "'"
)
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)


def date_spans(text: str) -> list[tuple[int, int, datetime.date]]:
    """Every date written out in ``text`` ("1 December 2025") with its offsets, in order;
    impossible ones ("31 February 2025") are skipped."""
    found = []
    for match in _DATE.finditer(text or ""):
        day, month, year = match.groups()
        try:
            date = datetime.date(int(year), _MONTH_NUMBERS[month], int(day))
        except ValueError:
            continue
        found.append((match.start(), match.end(), date))
    return found


def dates_in(text: str) -> list[datetime.date]:
    """Every date written out in ``text``, in order."""
    return [date for _, _, date in date_spans(text)]


def reporting_committee(committee_report: str) -> str:
    """The Main Committee whose report the resolution was adopted on: "Sixth Committee" for
    "[on the report of the Sixth Committee (A/80/448, para. 10)]"; "" without one."""
    match = _COMMITTEE.search(committee_report)
    return match.group(1) if match else ""


def adoption_date(adoption: str, closing: str = "") -> datetime.date | None:
    """The day the General Assembly adopted the resolution: the date of the adoption line
    ("Resolution adopted by the General Assembly on 1 December 2025"), else the last date of
    the closing lines ("52nd plenary meeting / 1 December 2025"); None when neither has one."""
    for text, pick in ((adoption, 0), (closing, -1)):
        found = dates_in(text)
        if found:
            return found[pick]
    return None


def comparable_title(title: str) -> str:
    """``title`` without its typography, for telling whether two documents carry the same
    title: compatibility forms unfolded, every dash and hyphen alike, every quotation mark
    alike, soft hyphens dropped, white space as one space, case ignored."""
    text = unicodedata.normalize("NFKC", title or "")
    text = text.translate(_INVISIBLE).translate(_DASHES).translate(_QUOTES)
    text = re.sub(r"\s*-\s*", "-", text)
    return normalise_space(text).casefold().rstrip(" .")


def same_agenda_item(a: str, b: str) -> bool:
    """Whether two agenda item numbers as printed are the same item: "99 (y)" and "99(y)"."""
    return re.sub(r"\s+", "", a or "").casefold() == re.sub(r"\s+", "", b or "").casefold()
