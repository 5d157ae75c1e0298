"""``make bench`` fails when a page's query count changes with the data."""

from pathlib import Path

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


def test_the_negotiations_pages_are_compared_across_numbers_of_proposals():
    rows = [
        {**row("compilation", 0, 7), "proposals": 0},
        {**row("compilation", 0, 8), "proposals": 1000},
        {**row("compilation-json", 0, 6), "proposals": 0},
        {**row("compilation-json", 0, 6), "proposals": 1000},
    ]
    assert unstable_query_counts(rows) == [{"page": "compilation", "queries": {0: 7, 1000: 8}}]


def test_steady_query_counts_report_nothing():
    assert unstable_query_counts([row("reading", 0, 4), row("reading", 100000, 4)]) == []


def test_results_are_written_where_git_ignores_them():
    """Running ``make bench`` or ``make load`` leaves no tracked file changed: their results
    go to a folder git ignores, and a result is committed only when chosen."""
    import subprocess

    from bench import load, run

    root = Path(__file__).resolve().parents[1]
    for folder in (run.RESULTS, load.RESULTS):
        result = folder / "bench-2026-01-01-0000000.json"
        ignored = subprocess.run(
            ["git", "check-ignore", "-q", str(result.relative_to(root))], cwd=root, check=False
        )
        assert ignored.returncode == 0, f"{folder} is not ignored by git"


def test_parser_accuracy_prints_a_row_a_real_text_and_their_sum(capsys):
    """``make accuracy``: per real text, paragraphs, footnotes and links read right out of
    all the expected reading has, and the wrong links; the last row adds them up."""
    import re

    from bench import parser_accuracy
    from resolutions.un.reading_accuracy import read_expected_reading, real_text_names

    assert parser_accuracy.main([]) == 0
    header, *rows, total = capsys.readouterr().out.strip().split("\n")
    assert re.split(r"\s{2,}", header) == ["text", *parser_accuracy.COLUMNS]
    names = real_text_names()
    assert [row.split()[0] for row in rows] == [read_expected_reading(n)["symbol"] for n in names]
    counts = [[int(n) for cell in row.split()[1:] for n in cell.split("/")] for row in rows]
    for name, row in zip(names, counts, strict=True):
        expected = read_expected_reading(name)
        assert row[1::2][:3] == [
            len(expected["paragraphs"]),
            len(expected["footnotes"]),
            len(expected["citations_seen"]),
        ]
        assert all(0 <= right <= of for right, of in zip(row[0:6:2], row[1:6:2], strict=True))
    assert total.split()[0] == "all"
    assert [int(n) for cell in total.split()[1:] for n in cell.split("/")] == [
        sum(column) for column in zip(*counts, strict=True)
    ]


def test_the_load_runs_event_streams_are_read_as_a_browser_reads_them():
    """``make load``'s events phase counts an event once its blank line comes, by the id
    given last, however the bytes are cut; comments are heartbeats, and an id alone (the
    stream's opening) is no event."""
    from bench.events import SseEvent, SseParser

    text = (
        "retry: 2000\n\nid: 41\n\n: still here\n\n"
        "id: 42\nevent: op3\ndata: paragraph op3 changed\n\n"
        "id: 43\r\nevent: inbox\r\ndata: inbox changed\r\n\r\n"
        "event: op4\rdata:two\rdata: lines\r\r"
    )
    expected = [
        SseEvent("42", "op3", "paragraph op3 changed"),
        SseEvent("43", "inbox", "inbox changed"),
        SseEvent("43", "op4", "two\nlines"),
    ]
    for size in (1, 2, 7, len(text)):
        parser = SseParser()
        events = []
        for start in range(0, len(text), size):
            events += parser.feed(text[start : start + size])
        assert events == expected, size
        assert (parser.retry, parser.comments, parser.last_id) == (2000, 1, "43")


def test_an_event_is_not_counted_before_its_blank_line():
    from bench.events import SseParser

    parser = SseParser()
    assert parser.feed("id: 7\nevent: op1\ndata: paragraph op1 changed\n") == []
    assert [event.id for event in parser.feed("\n")] == ["7"]


def test_percentiles_are_the_nearest_rank():
    from bench.mixed import percentile

    values = [float(n) for n in range(100, 0, -1)]  # 1 to 100, unordered
    assert percentile(values, 0.50) == 50
    assert percentile(values, 0.95) == 95
    assert percentile(values, 0.99) == 99
    assert percentile(values, 1.0) == 100
    assert percentile([0.2], 0.95) == 0.2
    assert percentile([], 0.95) == 0


def test_the_mixed_run_adds_up_readers_and_writers_with_their_errors_by_kind():
    """``make load2``'s row for the whole mixed run: every answered request's latency and
    every error, over the run's length."""
    from collections import Counter

    from bench.mixed import merged, summary

    reads = {"seconds": [0.010] * 90, "errors": Counter({"HTTP 502": 1})}
    writes = {"seconds": [0.200] * 10, "errors": Counter({"proposal: HTTP 502": 2})}
    assert merged([reads, writes], duration=10.0) == {
        "requests": 100,
        "requests_per_second": 10.0,
        "p50_ms": 10.0,
        "p95_ms": 200.0,
        "p99_ms": 200.0,
        "max_ms": 200.0,
        "errors": 3,
        "error_kinds": {"HTTP 502": 1, "proposal: HTTP 502": 2},
    }
    assert summary([], Counter(), 10.0)["requests_per_second"] == 0.0


def test_cold_pages_are_judged_against_the_floor_of_their_own_run():
    from bench.run import page_targets

    def timed(page, median, *, ratio=1.0, annotations=100000, **extra):
        return {
            "page": page,
            "title": page,
            "annotations": annotations,
            "median_ms": median,
            "ratio": ratio,
            **extra,
        }

    rows = [
        timed("floor", 4.0),
        timed("reading-noted", 18.0),  # 4.5× the floor: within 5×
        timed("annotations-changed", 60.0),  # 15×: over 10×
        timed("briefing", 200.0, ratio=12.0),  # 50× the floor but 12× static
        timed("reading-noted", 500.0, annotations=0),  # not the largest size
        timed("floor", 8.0, annotations=0, proposals=1000),
        timed("compilation", 48.0, annotations=0, proposals=1000, ratio=30.0),  # 6×, 30×
    ]
    judged = {row["page"]: row for row in page_targets(rows)}
    assert set(judged) == {"reading-noted", "annotations-changed", "briefing", "compilation"}
    assert judged["reading-noted"]["met"]
    assert judged["reading-noted"]["floor_ratio"] == 4.5
    assert not judged["annotations-changed"]["met"]
    assert judged["briefing"]["met"]
    assert judged["compilation"]["floor_ms"] == 8.0
    assert not judged["compilation"]["met"]


def test_a_paced_reader_reads_at_its_pace_and_an_eager_one_as_fast_as_answered():
    """``make load2 --read-every``: a reader reads the page every that many seconds; without
    it, again as soon as it has the page."""
    import asyncio
    import time

    from bench.mixed import Tally, read_pages

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while await reader.readuntil(b"\r\n\r\n"):
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()

    async def reads(every: float) -> Tally:
        server = await asyncio.start_server(answer, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        tally = Tally()
        now = time.monotonic()
        async with server:
            await read_pages(port, "s", now + 1.0, tally, every=every, first=now)
        return tally

    paced, eager = asyncio.run(reads(0.25)), asyncio.run(reads(0.0))
    assert len(paced.seconds) == 4  # at 0, 0.25, 0.5 and 0.75 s
    assert len(eager.seconds) > 40
    assert not paced.errors
    assert not eager.errors


def test_the_compilation_and_the_reading_page_are_measured_cold_and_judged_by_their_targets():
    """The compilation keeps each proposal's word changes in the cache, and the reading page
    each paragraph with its proposals: measured warm only, they would not be the cold pages
    the targets are about."""
    from bench.run import negotiation_pages, page_targets

    pages, _ = negotiation_pages()
    cold = {page.key for page in pages if page.cold}
    assert cold == {
        "compilation",
        "compilation-json",
        "compilation-docx",
        "reading-proposals-changed",
    }
    rows = [
        {**row(key, 0, 9), "title": key, "proposals": 1000, "median_ms": ms, "ratio": 100.0}
        for key, ms in (("reading-proposals-changed", 30.0), ("floor", 5.0))
    ]
    # Judged against the reading page's own target: within 5× the floor, not 10×.
    assert page_targets(rows) == [
        {
            "page": "reading-proposals-changed",
            "title": "reading-proposals-changed",
            "median_ms": 30.0,
            "floor_ms": 5.0,
            "floor_ratio": 6.0,
            "static_ratio": 100.0,
            "target": "≤ 5× floor",
            "met": False,
        }
    ]
