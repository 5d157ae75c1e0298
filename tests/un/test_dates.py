"""The years the workbench keeps, and how a date outside them is refused."""

import datetime

import pytest

from resolutions.un.dates import (
    date_refusal,
    rule_one_opening,
    september_tuesday,
    session_opening,
    sessions_named,
    within_range,
)


@pytest.mark.parametrize(
    "day", [datetime.date(1945, 1, 1), datetime.date(2021, 10, 8), datetime.date(2200, 12, 31)]
)
def test_dates_from_1945_to_2200_are_kept(day):
    assert within_range(day)
    assert date_refusal(day, "the due date") is None


def test_a_date_outside_says_which_field_and_which_way():
    assert date_refusal(datetime.date(2201, 1, 1), "the due date") == (
        "The due date (2201-01-01) is too far in the future. Give a date between 1945 and 2200."
    )
    assert date_refusal(datetime.date(1944, 12, 31), "the last day") == (
        "The last day (1944-12-31) is too far in the past. Give a date between 1945 and 2200."
    )
    assert not within_range(datetime.date.max)
    assert not within_range(datetime.date.min)


# The opening of a regular session of the General Assembly ----------------------------------


@pytest.mark.parametrize(
    ("session", "opening"),
    [
        (76, datetime.date(2021, 9, 14)),
        (77, datetime.date(2022, 9, 13)),
        (78, datetime.date(2023, 9, 5)),
        (79, datetime.date(2024, 9, 10)),
        (80, datetime.date(2025, 9, 9)),
        (81, datetime.date(2026, 9, 8)),
        (82, datetime.date(2027, 9, 7)),
    ],
)
def test_each_session_opens_on_its_tuesday_in_september(session, opening):
    assert session_opening(session) == opening
    assert opening.weekday() == 1


def test_rule_one_gives_the_76th_and_77th_and_the_assembly_opened_a_week_earlier_since():
    """Rule 1's third week holds for 2021 and 2022; from 2023 on the Assembly opened on the
    Tuesday of the second week, which is what the workbench reckons beyond the known days."""
    assert [rule_one_opening(s) for s in (76, 77)] == [session_opening(76), session_opening(77)]
    for session in (78, 79, 80):
        assert rule_one_opening(session) - session_opening(session) == datetime.timedelta(weeks=1)
        assert september_tuesday(1945 + session, 2) == session_opening(session)


def test_a_week_starting_on_a_weekend_day_of_september_does_not_count():
    # 1 September 2024 was a Sunday: the first week counted starts on Monday 2 September.
    assert september_tuesday(2024, 1) == datetime.date(2024, 9, 3)
    # 1 September 2023 was a Friday, a working day: its week counts.
    assert september_tuesday(2023, 1) == datetime.date(2023, 8, 29)


@pytest.mark.parametrize(
    ("text", "sessions"),
    [
        (
            "Decides to include in the provisional agenda of its seventy-seventh session the item",
            [77],
        ),
        (
            "Requests the Secretary-General to submit a report to the General Assembly at its "
            "eighty\u2011first session",
            [81],
        ),
        ("to report at its seventh session and at its one hundred and first session", [7, 101]),
        ("Recalling its resolution 75/240 of 31 December 2020,", []),
        ("the seventy-seventh session of the Assembly", []),
    ],
)
def test_the_sessions_a_paragraph_asks_something_for(text, sessions):
    assert sessions_named(text) == sessions
