"""The years the workbench keeps, and how a date outside them is refused."""

import datetime

import pytest

from resolutions.un.dates import date_refusal, within_range


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
