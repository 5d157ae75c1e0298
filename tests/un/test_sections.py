"""Section headings placed in the structure: how deep each sits, and its anchor."""

from resolutions.un.sections import arrange_headings


def flat(arranged):
    return [(h.number, h.level, h.anchor) for placed in arranged for h in placed]


def test_roman_headings_are_one_level_with_anchors_in_reading_order():
    arranged = arrange_headings(
        [[], [{"number": "I", "title": "Legislative activities"}], [], [{"number": "II"}]]
    )
    assert [len(placed) for placed in arranged] == [0, 1, 0, 1]
    assert flat(arranged) == [("I", 0, "sec1"), ("II", 0, "sec2")]
    heading = arranged[1][0]
    assert heading.text == "I Legislative activities"
    assert heading.tag == "h2"
    assert heading.tag_in_section == "h3"


def test_letters_inside_roman_numerals_sit_one_level_in():
    numbers = ["I", "A", "B", "C", "II", "A", "B", "III", "IV", "V"]
    arranged = arrange_headings([[{"number": n, "title": f"Title {n}"}] for n in numbers])
    assert [h.level for placed in arranged for h in placed] == [0, 1, 1, 1, 0, 1, 1, 0, 0, 0]
    assert arranged[1][0].tag == "h3"


def test_a_paragraph_may_stand_under_two_headings_at_once():
    arranged = arrange_headings([[{"number": "I", "title": "General"}, {"number": "A"}]])
    assert flat(arranged) == [("I", 0, "sec1"), ("A", 1, "sec2")]


def test_letters_that_are_roman_numerals_follow_the_letters_before_them():
    numbers = ["A", "B", "C", "D", "E", "F", "G", "H", "I", "J"]
    arranged = arrange_headings([[{"number": n}] for n in numbers])
    assert {h.level for placed in arranged for h in placed} == {0}
    # ... and a lettered section inside roman ones: "C" after "B" is a letter, not 100.
    arranged = arrange_headings([[{"number": n}] for n in ["I", "A", "B", "C", "D", "II"]])
    assert [h.level for placed in arranged for h in placed] == [0, 1, 1, 1, 1, 0]


def test_headings_with_only_a_title_keep_it():
    arranged = arrange_headings([[{"number": "", "title": "Programme budget implications"}]])
    heading = arranged[0][0]
    assert (heading.number, heading.title, heading.text) == (
        "",
        "Programme budget implications",
        "Programme budget implications",
    )


def test_deep_headings_stop_at_h4():
    numbers = ["I", "A", "1"]
    arranged = arrange_headings([[{"number": n} for n in numbers]])
    assert [h.tag for h in arranged[0]] == ["h2", "h3", "h4"]
