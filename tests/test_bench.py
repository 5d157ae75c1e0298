"""``make bench`` fails when a page's query count changes with the data."""

from bench.run import unstable_query_counts


def row(page: str, annotations: int, queries: int) -> dict:
    return {"page": page, "annotations": annotations, "queries": queries}


def test_a_page_whose_query_count_grows_with_the_notes_is_reported():
    rows = [
        row("reading", 0, 4),
        row("reading", 1000, 4),
        row("reading", 100000, 4),
        row("annotations", 0, 10),
        row("annotations", 1000, 12),
        row("annotations", 100000, 12),
    ]
    assert unstable_query_counts(rows) == [
        {"page": "annotations", "queries": {0: 10, 1000: 12, 100000: 12}}
    ]


def test_steady_query_counts_report_nothing():
    assert unstable_query_counts([row("reading", 0, 4), row("reading", 100000, 4)]) == []
