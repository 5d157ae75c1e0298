"""The dates the workbench keeps: from the founding of the United Nations to 2200.

A year typed as 9999 or 0001 is a slip, never a meeting or a deadline, and the very ends of
the calendar break whatever counts days from them (a calendar feed adds a day to the last
day of each event). Every form and the importer refuse a date outside this range with
``date_refusal``; what shows stored dates skips one with ``within_range``.
"""

import datetime

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
