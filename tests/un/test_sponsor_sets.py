"""Tests for comparing sponsor lists and breaking them down by regional group (no database)."""

import csv

import pytest
from hypothesis import given
from hypothesis import strategies as st

from resolutions.un.reference import MEMBER_STATES_CSV
from resolutions.un.sponsor_sets import (
    NOT_IN_A_REGIONAL_GROUP,
    compare_lists,
    group_breakdown,
)

REGIONAL_GROUPS = [
    "African States",
    "Asia-Pacific States",
    "Eastern European States",
    "Latin American and Caribbean States",
    "Western European and other States",
]


def test_two_lists_show_who_is_on_both_and_who_only_on_one():
    comparison = compare_lists(
        {"A/C.1/76/L.13": ["FRA", "DEU", "CHL"], "Pasted list": ["CHL", "FRA", "JPN"]}
    )
    assert comparison.labels == ["A/C.1/76/L.13", "Pasted list"]
    assert comparison.in_all == ["CHL", "FRA"]
    assert comparison.only == {"A/C.1/76/L.13": ["DEU"], "Pasted list": ["JPN"]}
    assert comparison.in_some == []
    assert comparison.union == ["CHL", "DEU", "FRA", "JPN"]


def test_three_lists_show_who_is_on_all_some_or_only_one():
    comparison = compare_lists(
        {
            "L.13": ["FRA", "DEU", "CHL", "PER"],
            "L.13/Rev.1": ["FRA", "DEU", "CHL", "JPN"],
            "Pasted list": ["FRA", "PER", "MLI"],
        }
    )
    assert comparison.in_all == ["FRA"]
    assert comparison.in_some == ["CHL", "DEU", "PER"]
    assert comparison.only == {"L.13": [], "L.13/Rev.1": ["JPN"], "Pasted list": ["MLI"]}
    assert comparison.lists_with["PER"] == ["L.13", "Pasted list"]
    assert comparison.lists_with["FRA"] == ["L.13", "L.13/Rev.1", "Pasted list"]


def test_results_are_sorted_whatever_the_order_given():
    comparison = compare_lists({"a": ["ZWE", "AUS", "MLI", "BEL"], "b": ["MLI", "ZWE", "AUS"]})
    assert comparison.in_all == ["AUS", "MLI", "ZWE"]
    assert comparison.only["a"] == ["BEL"]


def test_labels_keep_the_order_given():
    comparison = compare_lists({"z": ["FRA"], "a": ["FRA"], "m": ["FRA"]})
    assert comparison.labels == ["z", "a", "m"]
    assert list(comparison.only) == ["z", "a", "m"]


def test_a_state_listed_twice_on_one_list_counts_once():
    comparison = compare_lists({"a": ["FRA", "FRA", "CHL"], "b": ["CHL"], "c": ["CHL"]})
    assert comparison.only["a"] == ["FRA"]
    assert comparison.in_some == []
    assert comparison.lists_with["FRA"] == ["a"]


def test_an_empty_list_can_be_compared():
    comparison = compare_lists({"a": ["FRA"], "b": []})
    assert comparison.in_all == []
    assert comparison.only == {"a": ["FRA"], "b": []}


@pytest.mark.parametrize("lists", [{}, {"A/C.1/76/L.13": ["FRA", "CHL"]}])
def test_fewer_than_two_lists_are_refused(lists):
    with pytest.raises(ValueError, match="at least two sponsor lists"):
        compare_lists(lists)


def test_large_lists_are_compared():
    many = [f"S{number:06d}" for number in range(100_000)]
    comparison = compare_lists({"a": many, "b": many[::2], "c": many[::-1]})
    assert len(comparison.in_all) == 50_000
    assert len(comparison.in_some) == 50_000


@given(
    st.dictionaries(
        st.text(min_size=1, max_size=5),
        st.lists(st.sampled_from(["AUS", "BEL", "CHL", "DEU", "FRA", "JPN", "MLI"])),
        min_size=2,
        max_size=5,
    )
)
def test_every_state_is_in_exactly_one_part_of_the_comparison(lists):
    comparison = compare_lists(lists)
    parts = [comparison.in_all, comparison.in_some, *comparison.only.values()]
    everyone = [key for part in parts for key in part]
    assert sorted(everyone) == comparison.union
    assert set(comparison.union) == {key for keys in lists.values() for key in keys}
    for label, keys in comparison.only.items():
        assert all(comparison.lists_with[key] == [label] for key in keys)


def test_group_breakdown_counts_each_group_with_zero_for_groups_not_on_the_list():
    group_of = {"FRA": "WEOG", "DEU": "WEOG", "MLI": "African States"}
    breakdown = group_breakdown(
        ["FRA", "MLI", "DEU"], group_of, ["African States", "GRULAC", "WEOG"]
    )
    assert breakdown == {"African States": 1, "GRULAC": 0, "WEOG": 2}
    assert list(breakdown) == ["African States", "GRULAC", "WEOG"]


def test_group_breakdown_counts_a_state_once():
    breakdown = group_breakdown(["FRA", "FRA"], {"FRA": "WEOG"}, ["WEOG"])
    assert breakdown == {"WEOG": 1}


def test_group_breakdown_counts_states_without_a_group_apart_rather_than_dropping_them():
    breakdown = group_breakdown(["FRA", "XXX"], {"FRA": "WEOG"}, ["WEOG"])
    assert breakdown == {"WEOG": 1, NOT_IN_A_REGIONAL_GROUP: 1}
    assert group_breakdown([], {}, ["WEOG"]) == {"WEOG": 0}


def test_group_breakdown_of_all_member_states_gives_the_published_group_sizes():
    with MEMBER_STATES_CSV.open(newline="", encoding="utf-8") as csv_file:
        group_of = {row["iso3"]: row["regional_group"] for row in csv.DictReader(csv_file)}
    assert group_breakdown(group_of, group_of, REGIONAL_GROUPS) == {
        "African States": 54,
        "Asia-Pacific States": 54,
        "Eastern European States": 23,
        "Latin American and Caribbean States": 33,
        "Western European and other States": 29,
    }
