"""The dates the workbench keeps: from the founding of the United Nations to 2200.

A year typed as 9999 or 0001 is a slip, never a meeting or a deadline, and the very ends of
the calendar break whatever counts days from them (a calendar feed adds a day to the last
day of each event). Every form and the importer refuse a date outside this range with
``date_refusal``; what shows stored dates skips one with ``within_range``.
"""

import datetime
import re

from resolutions.un.symbols import session_title

EARLIEST = datetime.date(1945, 1, 1)
LATEST = datetime.date(2200, 12, 31)
GIVE_A_DATE = f"Give a date between {EARLIEST.year} and {LATEST.year}."


def within_range(day: datetime.date) -> bool:
    return EARLIEST <= day <= LATEST


def date_refusal(day: datetime.date, what: str) -> str | None:
    """Why ``day`` cannot be kept, naming the field (``what``: "the due date"), or None when
    it can: "The due date (9999-12-31) is too far in the future. Give a date between 1945
    and 2200." """
    if within_range(day):
        return None
    direction = "in the future" if day > LATEST else "in the past"
    return f"{what[:1].upper()}{what[1:]} ({day.isoformat()}) is too far {direction}. {GIVE_A_DATE}"


# The regular sessions of the General Assembly ------------------------------------------------

# The days the sessions opened, as the Assembly met. Rule 1 of its rules of procedure opens a
# session "on the Tuesday of the third week in September, counting from the first week that
# contains at least one working day"; the seventy-sixth and seventy-seventh sessions opened so,
# and from the seventy-eighth on the Assembly has opened a week earlier, on the Tuesday of the
# second such week.
KNOWN_OPENINGS = {
    76: datetime.date(2021, 9, 14),
    77: datetime.date(2022, 9, 13),
    78: datetime.date(2023, 9, 5),
    79: datetime.date(2024, 9, 10),
    80: datetime.date(2025, 9, 9),
}
_FIRST_SESSION_YEAR = 1946  # The first regular session opened in 1946: session n opens in 1945 + n.


def september_tuesday(year: int, week: int) -> datetime.date:
    """The Tuesday of the ``week``-th week (Monday to Sunday) of September of ``year``,
    counting from the first week that holds at least one working day of September: the week
    of 1 September, unless 1 September falls on a Saturday or a Sunday."""
    first = datetime.date(year, 9, 1)
    monday = first - datetime.timedelta(days=first.weekday())
    if first.weekday() >= 5:
        monday += datetime.timedelta(weeks=1)
    return monday + datetime.timedelta(weeks=week - 1, days=1)


def rule_one_opening(session: int) -> datetime.date:
    """The opening of ``session`` as rule 1 of the rules of procedure reckons it: the Tuesday
    of the third week of September."""
    return september_tuesday(1945 + session, 3)


def session_opening(session: int) -> datetime.date:
    """The day regular session ``session`` of the General Assembly opens (or opened): the
    known day for the sessions in ``KNOWN_OPENINGS``; after them, the Tuesday of the second
    week of September, as the Assembly has opened since its seventy-eighth session (the
    eighty-first: 8 September 2026); before them, rule 1's third week."""
    if session in KNOWN_OPENINGS:
        return KNOWN_OPENINGS[session]
    if session > max(KNOWN_OPENINGS):
        return september_tuesday(1945 + session, 2)
    return rule_one_opening(max(session, _FIRST_SESSION_YEAR - 1945))


# "seventy-seventh" -> 77, for every session the workbench can name; longest first, so that
# "seventy-seventh" is not read as "seventh".
_SESSION_WORDS = {
    session_title(number).removesuffix(" session").lower(): number for number in range(1, 200)
}
_SESSION_NAMED = re.compile(
    r"\b(?:at|of|during|to)\s+its\s+("
    + "|".join(re.escape(words) for words in sorted(_SESSION_WORDS, key=len, reverse=True))
    + r")\s+session\b",
    re.IGNORECASE,
)


def sessions_named(text: str) -> list[int]:
    """The sessions of the Assembly a paragraph asks something for, in the order it names
    them: "to submit a report … at its seventy-seventh session", "the provisional agenda of
    its seventy-seventh session" give 77. Typographic hyphens and line breaks are read as the
    plain ones."""
    plain = " ".join(text.replace("\u2011", "-").replace("\u2010", "-").split())
    found = []
    for match in _SESSION_NAMED.finditer(plain):
        number = _SESSION_WORDS[match.group(1).lower()]
        if number not in found:
            found.append(number)
    return found
