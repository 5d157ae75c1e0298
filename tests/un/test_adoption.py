"""An adopted resolution's adoption date, and titles compared without their typography."""

import datetime

import pytest

from resolutions.un.adoption import (
    adoption_date,
    comparable_title,
    date_spans,
    dates_in,
    same_agenda_item,
)


def test_the_adoption_date_is_read_from_the_adoption_line():
    line = "Resolution adopted by the General Assembly on 15 December 2025"
    assert adoption_date(line, "64th plenary meeting\n16 December 2025") == datetime.date(
        2025, 12, 15
    )


def test_without_an_adoption_line_the_closing_lines_give_the_date():
    assert adoption_date("", "52nd plenary meeting\n1 December 2025") == datetime.date(2025, 12, 1)


def test_no_date_anywhere_is_none():
    assert adoption_date("", "") is None
    assert adoption_date("Resolution adopted by the General Assembly", "") is None


def test_impossible_dates_are_skipped_and_offsets_point_at_the_words():
    text = "on 31 February 2025, then 1 March 2025"
    assert dates_in(text) == [datetime.date(2025, 3, 1)]
    [(start, end, _)] = date_spans(text)
    assert text[start:end] == "1 March 2025"


@pytest.mark.parametrize(
    ("draft", "resolution"),
    [
        ("The Arms Trade Treaty", "The Arms Trade Treaty"),
        ("Sustainable and resilient tourism", "Sustainable\u00a0and resilient tourism"),
        # U+2011, the non-breaking hyphen the adopted text prints where the draft has "-".
        ("capacity-building", "capacity\u2011building"),
        ("“Zero draft” of the text", '"Zero draft" of the text'),
        ("Follow-up to the  World Summit", "Follow – up to the World Summit"),
        ("Oceans and the law of the sea.", "Oceans and the Law of the Sea"),
        ("Women\u00ad's rights", "Women’s rights"),
    ],
)
def test_titles_that_differ_only_in_typography_compare_equal(draft, resolution):
    assert comparable_title(draft) == comparable_title(resolution)


def test_titles_that_differ_in_words_do_not():
    assert comparable_title("The Arms Trade Treaty") != comparable_title("An Arms Trade Treaty")
    assert comparable_title("Oceans and the law of the sea") != comparable_title(
        "Sustainable fisheries"
    )


def test_agenda_item_numbers_compare_without_spaces():
    assert same_agenda_item("99 (y)", "99(y)")
    assert same_agenda_item("", "")
    assert not same_agenda_item("99 (y)", "99 (w)")
    assert not same_agenda_item("94", "")
