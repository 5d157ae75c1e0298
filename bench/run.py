"""``make bench``: how the pages behave as the notes pile up.

For each page family, in this one process through Django's test client and as a logged-in
delegate, at 0, 1,000 and 100,000 annotations: the median and 95th percentile of the server
time, the number of SQL queries and the size of the response; and the time whitenoise takes
to serve a static file of the same size through the same client, with the ratio page /
static. The reading page and the annotation list are measured twice: as a reader sees them
again (from the cache) and as the first reader after a change to the notes sees them (the
cache emptied before each request, untimed); the reading page also as the first reader after
a note on one paragraph sees it (OP3's version moved on before each request, untimed, as
the note's write does: the other paragraphs stay cached); and the login form, the smallest
page there is, gives the floor any page starts from. It also times the parser and the
version alignment, and adds up what a first visit to the reading page downloads, compressed.

It prints one table and writes the same as JSON to ``bench-<date>-<commit>.json`` and
``latest.json`` in ``bench/results/local/``, which git ignores (``--results`` names another
folder), so a run changes no tracked file; a result worth keeping is copied from there to
``bench/results/`` and committed. It exits 1 when a page's query count differs between data
sizes or a page does not answer as it should.

The data live in a database of the benchmark's own: a temporary SQLite file, or, when
``DATABASE_URL`` names a PostgreSQL database, a database ``<name>_bench`` beside it, made
and dropped as Django's test runner does. The settings are production's (``DEBUG`` off,
manifest static files served by whitenoise), with static files collected into a temporary
directory.

The negotiation is measured apart, with no notes: the compilation text (page, JSON and
Word file) and the reading page at 0 and 1,000 tabled proposals on the seed draft, with 100
circles of delegations and the delegations' stances (``--proposals``, ``--circles``); their
query counts must not change with the number of proposals either.

    python bench/run.py [--sizes 0,1000,100000] [--runs 30] [--warmup 5] [--budget 60]
                        [--pages reading,annotations] [--profile reading,annotations]
                        [--proposals 0,1000] [--circles 100]
                        [--results bench/results/local]
"""

from __future__ import annotations

import argparse
import datetime
import gzip
import json
import os
import platform
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]
# Ignored by git; the results the docs cite are copied from here to bench/results/.
RESULTS = ROOT / "bench" / "results" / "local"
SEED_SLUG = "a-c1-76-l13"
AGENDA_SLUG = "ict-international-security"
BENCH_USER = "load-00001"
USERS = 50
DELEGATIONS = 20
SEED = 76
MIN_RUNS = 5
FIRST_VIEW_TARGET = 100 * 1024
STATIC_RATIO_TARGET = 5
# Pages that are cached until the notes change, measured also as the first reader after a
# change gets them.
AFTER_A_CHANGE = {"reading": "Reading, notes changed", "annotations": "List, notes changed"}
# The negotiation's pages, measured at each number of proposals (with no notes); the
# compilation's, and the reading page's a second time, with the cache emptied before each
# request (COLD_NEGOTIATION_PAGES), as their first reader after a change gets them.
NEGOTIATION_PAGES = [
    ("compilation", "Compilation text", "resolutions:document_compilation"),
    ("compilation-json", "Compilation JSON", "resolutions:document_compilation_json"),
    ("compilation-docx", "Compilation .docx", "resolutions:document_compilation_docx"),
    ("reading-proposals", "Reading, proposals", "resolutions:document_detail"),
    (
        "reading-proposals-changed",
        "Reading, proposals, cache emptied",
        "resolutions:document_detail",
    ),
]
COLD_NEGOTIATION_PAGES = {
    "compilation",
    "compilation-json",
    "compilation-docx",
    "reading-proposals-changed",
}


def configure_environment(workdir: Path) -> None:
    """Production settings, a database and a static root of the run's own; before Django
    is imported."""
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ["DEBUG"] = "0"
    os.environ["SECRET_KEY"] = secrets.token_urlsafe(50)
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["SECURE_SSL_REDIRECT"] = "0"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["BENCH_STATIC_ROOT"] = str(workdir / "static")
    # The cold pages empty the cache: never a Redis that app servers share.
    os.environ["CACHE_URL"] = "locmem://"
    os.environ.pop("SESSION_STORE", None)
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        os.environ["BENCH_DATABASE_NAME"] = urlsplit(url).path.lstrip("/") + "_bench"
    else:
        os.environ["BENCH_DATABASE_NAME"] = str(workdir / "bench.sqlite3")


@dataclass
class Page:
    key: str
    title: str
    path: str
    method: str = "GET"
    data: dict | None = None
    headers: dict = field(default_factory=dict)
    # Empty the cache before each request: the page as the first reader after a change to
    # the notes gets it.
    cold: bool = False
    # Before each request, move this paragraph's version on, as a note written on it does:
    # the reading page as its first reader after a note on one paragraph gets it.
    noted_on: str = ""


def page_families() -> tuple[list[Page], list[str]]:
    """The pages to measure, and notes on those that do not exist yet."""
    from django.urls import NoReverseMatch, reverse

    from resolutions.management.commands.seed_load import SYNTHETIC_SYMBOLS
    from resolutions.un.symbols import slug_for_symbol

    compared = [SEED_SLUG, *(slug_for_symbol(symbol) for symbol in SYNTHETIC_SYMBOLS)]
    wanted = [
        ("reading", "Reading page", "resolutions:document_detail", [SEED_SLUG], ""),
        ("annotations", "Annotation list", "resolutions:annotation_list", [SEED_SLUG], ""),
        ("sponsors", "Sponsors, WEOG", "resolutions:sponsor_list", [SEED_SLUG], "group=weog"),
        (
            "compare",
            "Compare 5 lists",
            "resolutions:sponsors_compare",
            [],
            urlencode([("documents", slug) for slug in compared]),
        ),
        ("briefing", "Briefing", "resolutions:document_briefing", [SEED_SLUG], ""),
        ("agenda", "Agenda tracker", "resolutions:agenda_item_detail", [AGENDA_SLUG], ""),
    ]
    pages, notes = [], []
    for key, title, name, args, query in wanted:
        try:
            path = reverse(name, args=args)
        except NoReverseMatch:
            notes.append(f"{title}: no such page yet ({name}); skipped.")
            continue
        pages.append(Page(key, title, f"{path}?{query}" if query else path))
        if key in AFTER_A_CHANGE:
            pages.append(Page(f"{key}-changed", AFTER_A_CHANGE[key], pages[-1].path, cold=True))
        if key in ("reading", "annotations"):
            title = "Reading" if key == "reading" else "List"
            pages.append(Page(f"{key}-noted", f"{title}, a note on OP3", path, noted_on="op3"))
    pages.append(
        Page(
            "annotate",
            "Annotate (htmx POST)",
            reverse("resolutions:annotation_create", args=[SEED_SLUG, "op6"]),
            method="POST",
            data={
                "body": "Capital wants to keep this paragraph as agreed language.",
                "visibility": "delegation",
                "tags": "red line, capital to confirm",
                "quote": "",
            },
            headers={"HX-Request": "true"},
        )
    )
    # The smallest page the app serves a logged-in delegate: what the framework, the
    # session and the site's layout cost before a page does anything of its own.
    pages.append(Page("floor", "Login form (floor)", reverse("login")))
    return pages, notes


def negotiation_pages() -> tuple[list[Page], list[str]]:
    """The pages measured against the number of proposals, and notes on missing ones; the
    floor again, for their ratios."""
    from django.urls import NoReverseMatch, reverse

    pages, notes = [], []
    for key, title, name in NEGOTIATION_PAGES:
        try:
            path = reverse(name, args=[SEED_SLUG])
            pages.append(Page(key, title, path, cold=key in COLD_NEGOTIATION_PAGES))
        except NoReverseMatch:
            notes.append(f"{title}: no such page yet ({name}); skipped.")
    pages.append(Page("floor", "Login form (floor)", reverse("login")))
    return pages, notes


# The targets, per page, for the pages measured cold (the cache emptied, or a
# paragraph's version moved on, before each request): within FLOOR_RATIO × the login form's
# median in the same run, or for a page whose size grows with what it shows, within
# STATIC_RATIO × a static file of its size; the reading page and the compilation within
# TIGHT_FLOOR_RATIO × the floor.
FLOOR_RATIO = 10
TIGHT_FLOOR_RATIO = 5
STATIC_RATIO = 20
GROWS_WITH_CONTENT = {"briefing", "compilation", "compilation-json", "compilation-docx"}
TIGHT = {"reading-changed", "reading-noted", "reading-proposals-changed", "compilation"}
COLD = {
    "reading-changed",
    "reading-noted",
    "reading-proposals-changed",
    "annotations-changed",
    "annotations-noted",
}


def page_targets(rows: list[dict]) -> list[dict]:
    """Each page at the largest data size against its target: the ratio to the floor
    measured in the same run at the same size (and to the static file), and whether it
    meets it. Pages cached for every reader (sponsors, comparisons, the tracker) are judged
    by make load's throughput, not here; the pages that are cold by nature (the briefing,
    the compilation, the note saved) are judged as they are measured."""
    floors = {
        (row.get("proposals"), row["annotations"]): row["median_ms"]
        for row in rows
        if row["page"] == "floor"
    }
    if not rows:
        return []
    largest_notes = max(row["annotations"] for row in rows)
    largest_proposals = max((row.get("proposals") or 0) for row in rows)
    judged = []
    for row in rows:
        key = row["page"]
        at_largest = (
            row.get("proposals") == largest_proposals
            if "proposals" in row
            else row["annotations"] == largest_notes
        )
        if not at_largest or key not in COLD | GROWS_WITH_CONTENT | {"annotate"}:
            continue
        floor = floors.get((row.get("proposals"), row["annotations"]))
        if floor is None:  # the floor was not measured (--pages without it)
            continue
        floor_ratio = row["median_ms"] / floor
        limit = TIGHT_FLOOR_RATIO if key in TIGHT else FLOOR_RATIO
        met = floor_ratio <= limit
        if not met and key in GROWS_WITH_CONTENT:
            met = row["ratio"] <= STATIC_RATIO
        judged.append(
            {
                "page": key,
                "title": row["title"],
                "median_ms": round(row["median_ms"], 1),
                "floor_ms": round(floor, 1),
                "floor_ratio": round(floor_ratio, 1),
                "static_ratio": round(row["ratio"], 1),
                "target": f"≤ {limit}× floor"
                + (f" or ≤ {STATIC_RATIO}× static" if key in GROWS_WITH_CONTENT else ""),
                "met": met,
            }
        )
    return judged


def prepare(page: Page) -> None:
    """What happens before each request of ``page``, untimed: the change it is measured after."""
    if page.cold:
        from django.core.cache import cache

        from resolutions.pages.shared import forget_what_this_process_keeps

        cache.clear()
        forget_what_this_process_keeps()
    if page.noted_on:
        from resolutions.models import Paragraph

        Paragraph.objects.filter(document__slug=SEED_SLUG, label=page.noted_on).mark_changed()


def request(client, page: Page, *, prepared: bool = False):
    if not prepared:
        prepare(page)
    if page.method == "POST":
        return client.post(page.path, page.data, headers=page.headers)
    return client.get(page.path, headers=page.headers)


def body_of(response) -> bytes:
    """The whole body, read as a server would send it (static files stream)."""
    if response.streaming:
        content = b"".join(response.streaming_content)
        response.close()
        return content
    return response.content


def timed(call, *, runs: int, warmup: int, budget: float, before=None) -> list[float]:
    """Milliseconds per call, ``runs`` times after ``warmup`` untimed calls, stopping early
    (after at least MIN_RUNS) once ``budget`` seconds have gone; ``before``, when given, is
    called untimed before each call."""
    for _ in range(warmup):
        if before is not None:
            before()
        call()
    samples: list[float] = []
    deadline = time.perf_counter() + budget
    while len(samples) < runs and (len(samples) < MIN_RUNS or time.perf_counter() < deadline):
        if before is not None:
            before()
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def p95(samples: list[float]) -> float:
    if len(samples) < 2:
        return samples[0]
    return statistics.quantiles(samples, n=20, method="inclusive")[-1]


def measure_page(client, page: Page, args) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = request(client, page)  # also warms the caches
    ok = response.status_code == 200
    size = len(body_of(response))
    prepare(page)  # the change measured after is not the page's: its queries are not counted
    with CaptureQueriesContext(connection) as queries:
        body_of(request(client, page, prepared=True))
    # Read now: the next request empties the connection's log of queries.
    query_count = len(queries.captured_queries)
    samples = timed(
        lambda: body_of(request(client, page, prepared=True)),
        runs=args.runs,
        warmup=args.warmup,
        budget=args.budget,
        before=lambda: prepare(page),
    )
    return {
        "status": response.status_code,
        "ok": ok,
        "bytes": size,
        "queries": query_count,
        "runs": len(samples),
        "median_ms": statistics.median(samples),
        "p95_ms": p95(samples),
        "html": response.content if page.key == "reading" else None,
    }


def profile_page(client, page: Page, size: int) -> Path:
    """Where five requests of ``page`` spend their time (pyinstrument), as a text file."""
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.001)
    profiler.start()
    for _ in range(5):
        body_of(request(client, page))
    profiler.stop()
    path = Path(tempfile.gettempdir()) / f"workbench-profile-{page.key}-{size}.txt"
    path.write_text(profiler.output_text(unicode=True), encoding="utf-8")
    return path


def measure_static(client, static_root: Path, name: str, size: int, args) -> float:
    """Median milliseconds for whitenoise to serve a file of ``size`` bytes."""
    from django.conf import settings
    from django.test import Client

    path = static_root / "bench-same-size" / f"{name}.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes((b"<p>same size as the page</p>\n" * (size // 29 + 1))[:size])
    # A new client: whitenoise finds the files in STATIC_ROOT when its middleware starts.
    static_client = Client()
    static_client.cookies = client.cookies
    url = f"{settings.STATIC_URL}bench-same-size/{name}.html"
    response = static_client.get(url)
    served = body_of(response)
    if response.status_code != 200 or len(served) != size:
        raise RuntimeError(f"whitenoise did not serve {url} ({response.status_code})")
    samples = timed(
        lambda: body_of(static_client.get(url)),
        runs=args.runs,
        warmup=args.warmup,
        budget=args.budget,
    )
    return statistics.median(samples)


def first_view(client, html: bytes) -> dict:
    """What a first visit to the reading page downloads: the HTML (gzip level 6, as a proxy
    would send it) and every stylesheet and script it links (as whitenoise sends them to a
    browser that accepts gzip)."""
    text = html.decode()
    assets = re.findall(r'<link[^>]+rel="stylesheet"[^>]*href="([^"]+)"', text)
    assets += re.findall(r'<script[^>]+src="([^"]+)"', text)
    items = [{"url": "reading page HTML", "bytes": len(html), "gzip": len(gzip.compress(html, 6))}]
    for url in assets:
        response = client.get(url, headers={"Accept-Encoding": "gzip"})
        content = body_of(response)
        compressed = response.get("Content-Encoding") == "gzip"
        raw = gzip.decompress(content) if compressed else content
        items.append(
            {
                "url": url,
                "status": response.status_code,
                "bytes": len(raw),
                "gzip": len(content) if compressed else len(gzip.compress(content, 6)),
                "served_compressed": compressed,
            }
        )
    total = sum(item["gzip"] for item in items)
    return {
        "items": items,
        "total_gzip": total,
        "target": FIRST_VIEW_TARGET,
        "met": total < FIRST_VIEW_TARGET,
    }


# Parsing and aligning ------------------------------------------------------------------------


def edited_copy(paragraphs):
    """A revision as delegations produce one: words changed in every third paragraph, one
    paragraph dropped, one added, one moved, and the paragraphs renumbered."""
    from resolutions.un.text_comparison import ParagraphVersion

    rows = [(p.label, p.text) for p in paragraphs]
    edited = []
    for i, (label, text) in enumerate(rows):
        if i == 4:
            continue
        if i % 3 == 0:
            words = text.split()
            words.insert(min(4, len(words)), "inter alia,")
            if len(words) > 9:
                del words[8]
            text = " ".join(words)
        edited.append((label, text))
        if i == 8:
            edited.append(("pp99", "Welcoming the contributions of regional organizations,"))
    edited.insert(0, edited.pop(len([r for r in edited if r[0].startswith("pp")]) - 1))
    numbers = {"pp": 0, "op": 0}
    heads: dict[str, str] = {}
    result = []
    for label, text in edited:
        head, *subs = label.split("-")
        if not subs:
            numbers[head[:2]] += 1
            heads[head] = f"{head[:2]}{numbers[head[:2]]}"
        result.append(ParagraphVersion("-".join([heads[head], *subs]), text))
    return result


def measure_domain(args) -> dict:
    from resolutions.un.parsing import parse_resolution
    from resolutions.un.reference import SEED_TEXT, TEXTS_DIR
    from resolutions.un.text_comparison import ParagraphVersion, compare_versions

    texts = {
        "seed A/C.1/76/L.13": SEED_TEXT,
        "A/RES/80/44": TEXTS_DIR / "A-RES-80-44.txt",
    }
    results = {}
    for name, path in texts.items():
        text = path.read_text(encoding="utf-8")
        parsed = parse_resolution(text)
        a = [ParagraphVersion(p.label, p.text) for p in parsed.paragraphs]
        b = edited_copy(parsed.paragraphs)
        parse = timed(lambda text=text: parse_resolution(text), runs=20, warmup=2, budget=30)
        align = timed(lambda a=a, b=b: compare_versions(a, b), runs=20, warmup=2, budget=30)
        summary = compare_versions(a, b).summary
        results[name] = {
            "characters": len(text),
            "paragraphs": len(a),
            "parse_median_ms": statistics.median(parse),
            "align_median_ms": statistics.median(align),
            "align_summary": summary,
        }
    return results


# The machine ---------------------------------------------------------------------------------


def machine() -> dict:
    from django import get_version

    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor()
    ram_gib = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram_gib = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass

    def git(*command):
        try:
            return subprocess.run(
                ["git", *command], cwd=ROOT, capture_output=True, text=True, check=True
            ).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            return ""

    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gib": ram_gib,
        "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
        "python": platform.python_version(),
        "django": get_version(),
        "commit": git("rev-parse", "--short", "HEAD"),
        "uncommitted_changes": bool(git("status", "--porcelain", "--untracked-files=no")),
    }


def database_version() -> str:
    from django.db import connection

    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0]}"


# The run -------------------------------------------------------------------------------------


def seed(size: int, *, proposals: int = 0, circles: int = 0) -> float:
    from django.core.management import call_command

    start = time.perf_counter()
    call_command(
        "seed_load",
        annotations=size,
        proposals=proposals,
        circles=circles,
        users=USERS,
        delegations=DELEGATIONS,
        seed=SEED,
        force=True,
        verbosity=0,
        stdout=open(os.devnull, "w"),  # noqa: SIM115 -- closed with the process
    )
    return time.perf_counter() - start


def logged_in_client():
    from django.test import Client

    from resolutions.models import User

    client = Client()
    client.force_login(
        User.objects.get(username=BENCH_USER), backend="resolutions.backends.DelegateBackend"
    )
    return client


def run(args) -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    print("Creating the benchmark database and collecting static files…", flush=True)
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        call_command(
            "loaddata",
            *(
                ROOT / "fixtures" / n
                for n in ("member_states.json", "agenda.json", "seed_document.json")
            ),
            verbosity=0,
        )
        call_command("collectstatic", interactive=False, verbosity=0)
        return measure_all(args, Path(settings.STATIC_ROOT))
    finally:
        connection.creation.destroy_test_db(
            settings.DATABASES["default"]["NAME"], verbosity=0, keepdb=False
        )


def measure_all(args, static_root: Path) -> int:
    pages, notes = page_families()
    if args.pages:
        pages = [page for page in pages if page.key in args.pages]
    rows = []
    seeding = {}
    first_views = {}
    html_by_size = {}
    for size in args.sizes:
        print(f"Seeding {size:,} annotations…", flush=True)
        seeding[size] = round(seed(size), 1)
        client = logged_in_client()
        for page in pages:
            print(f"  {page.title} at {size:,}…", flush=True)
            result = measure_page(client, page, args)
            if page.key in args.profile:
                print(f"    profile: {profile_page(client, page, size)}", flush=True)
            html = result.pop("html")
            if html is not None:
                html_by_size[size] = html
            result["static_median_ms"] = measure_static(
                client, static_root, f"{page.key}-{size}", result["bytes"], args
            )
            result["ratio"] = result["median_ms"] / result["static_median_ms"]
            rows.append(
                {
                    "page": page.key,
                    "title": page.title,
                    "path": page.path,
                    "annotations": size,
                    **result,
                }
            )
        if size in html_by_size:
            first_views[size] = first_view(client, html_by_size[size])
    rows += measure_negotiation(args, static_root, seeding, notes)
    print("Timing the parser and the alignment…", flush=True)
    domain = measure_domain(args)

    unstable = unstable_query_counts(rows)
    failed = [
        f"{row['title']} at {row['annotations']:,}: HTTP {row['status']}"
        for row in rows
        if not row["ok"]
    ]
    largest = max(args.sizes)
    reading = next(
        (r for r in rows if r["page"] == "reading" and r["annotations"] == largest), None
    )
    targets = {
        "query_counts_identical": not unstable,
        "reading_ratio_at_largest": reading and round(reading["ratio"], 1),
        "reading_within_5x_static": bool(reading) and reading["ratio"] <= STATIC_RATIO_TARGET,
        "first_view_gzip_at_largest": first_views.get(largest, {}).get("total_gzip"),
        "first_view_under_100kb": first_views.get(largest, {}).get("met"),
        "pages": page_targets(rows),
    }
    result = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "command": "make bench  (python bench/run.py " + " ".join(sys.argv[1:]) + ")",
        "machine": {**machine(), "database": database_version()},
        "settings": "production (DEBUG off, manifest static files, whitenoise), test client",
        "bench_user": BENCH_USER,
        "data": {
            "users": USERS,
            "delegations": DELEGATIONS,
            "seed": SEED,
            "circles": args.circles,
            "seed_load_seconds": seeding,
        },
        "runs": args.runs,
        "warmup": args.warmup,
        "pages": rows,
        "first_view": first_views,
        "parsing_and_alignment": domain,
        "query_counts_unstable": unstable,
        "failed": failed,
        "targets": targets,
        "notes": notes,
    }
    print()
    print(render_table(result))
    write_results(result, args.results)
    if unstable or failed:
        for item in unstable:
            print(f"FAIL: {item['page']}: query count differs with the data: {item['queries']}")
        for item in failed:
            print(f"FAIL: {item}")
        return 1
    return 0


def measure_negotiation(args, static_root: Path, seeding: dict, notes: list[str]) -> list[dict]:
    """The negotiation's pages at each number of tabled proposals (``--proposals``), with
    ``--circles`` circles and no notes: a row per page and size, keyed by ``proposals``."""
    pages, missing = negotiation_pages()
    notes += missing
    if args.pages:
        pages = [page for page in pages if page.key in args.pages]
    rows: list[dict] = []
    if not pages:
        return rows
    for count in args.proposals:
        print(f"Seeding {count:,} proposals and {args.circles} circles…", flush=True)
        seeding[f"{count} proposals"] = round(seed(0, proposals=count, circles=args.circles), 1)
        client = logged_in_client()
        for page in pages:
            print(f"  {page.title} at {count:,} proposals…", flush=True)
            result = measure_page(client, page, args)
            result.pop("html")
            if page.key in args.profile:
                print(f"    profile: {profile_page(client, page, count)}", flush=True)
            result["static_median_ms"] = measure_static(
                client, static_root, f"{page.key}-{count}", result["bytes"], args
            )
            result["ratio"] = result["median_ms"] / result["static_median_ms"]
            rows.append(
                {
                    "page": page.key,
                    "title": page.title,
                    "path": page.path,
                    "annotations": 0,
                    "proposals": count,
                    **result,
                }
            )
    return rows


def size_label(row: dict) -> str:
    """What a row was measured at: notes, or proposals for the negotiation's pages."""
    if "proposals" in row:
        return f"{row['proposals']:,} proposals"
    return f"{row['annotations']:,} notes"


def unstable_query_counts(rows: list[dict]) -> list[dict]:
    """The pages whose query count is not the same at every data size (notes, or proposals
    for the negotiation's pages), with their counts."""
    by_page: dict[str, dict] = {}
    for row in rows:
        size = row["proposals"] if "proposals" in row else row["annotations"]
        by_page.setdefault(row["page"], {})[size] = row["queries"]
    return [
        {"page": page, "queries": counts}
        for page, counts in by_page.items()
        if len(set(counts.values())) > 1
    ]


def render_table(result: dict) -> str:
    head = (
        f"{'page':<22} {'data':>15} {'median ms':>10} {'p95 ms':>8} {'queries':>8} "
        f"{'bytes':>9} {'static ms':>10} {'ratio':>7}"
    )
    lines = [head, "-" * len(head)]
    for row in result["pages"]:
        lines.append(
            f"{row['title']:<22} {size_label(row):>15} {row['median_ms']:>10.1f} "
            f"{row['p95_ms']:>8.1f} {row['queries']:>8} {row['bytes']:>9,} "
            f"{row['static_median_ms']:>10.2f} {row['ratio']:>6.1f}×"
            + ("" if row["ok"] else f"  HTTP {row['status']}")
        )
    lines.append("")
    for size, view in result["first_view"].items():
        parts = ", ".join(f"{Path(i['url']).name or i['url']} {i['gzip']:,}" for i in view["items"])
        lines.append(
            f"First view at {int(size):,} notes, gzip: {view['total_gzip']:,} bytes "
            f"(target < {FIRST_VIEW_TARGET:,}): {parts}"
        )
    lines.append("")
    for name, numbers in result["parsing_and_alignment"].items():
        if "note" in numbers:
            lines.append(f"{name}: {numbers['note']}")
            continue
        lines.append(
            f"{name} ({numbers['characters']:,} characters, {numbers['paragraphs']} paragraphs): "
            f"parse {numbers['parse_median_ms']:.1f} ms, align with an edited copy "
            f"{numbers['align_median_ms']:.1f} ms (median)"
        )
    lines.append("")
    machine_info = result["machine"]
    lines.append(
        f"Machine: {machine_info['nproc']} CPUs ({machine_info['cpu']}), "
        f"{machine_info['ram_gib']} GiB RAM, load {machine_info['load_average']}, "
        f"{machine_info['database']}, Python {machine_info['python']}, "
        f"Django {machine_info['django']}, commit {machine_info['commit']}"
    )
    for note in result["notes"]:
        lines.append(f"Note: {note}")
    targets = result["targets"]
    lines.append(
        f"Targets: query counts identical: {'yes' if targets['query_counts_identical'] else 'NO'}; "
        f"reading page / static at the largest size: {targets['reading_ratio_at_largest']}× "
        f"(target ≤ {STATIC_RATIO_TARGET}×); first view: {targets['first_view_gzip_at_largest']} "
        f"bytes gzip (target < {FIRST_VIEW_TARGET:,})"
    )
    if targets.get("pages"):
        lines.append("")
        lines.append(
            "Cold pages at the largest size against their targets (floor in the same run):"
        )
        for judged in targets["pages"]:
            lines.append(
                f"  {judged['title']:<22} {judged['median_ms']:>8.1f} ms = "
                f"{judged['floor_ratio']:>5.1f}× floor, {judged['static_ratio']:>6.1f}× static "
                f"(target {judged['target']}): {'met' if judged['met'] else 'NOT MET'}"
            )
    return "\n".join(lines)


def write_results(result: dict, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    commit = result["machine"]["commit"]
    stamp = datetime.date.today().isoformat() + (f"-{commit}" if commit else "")
    text = json.dumps(result, indent=1, ensure_ascii=False, default=str) + "\n"
    (folder / f"bench-{stamp}.json").write_text(text, encoding="utf-8")
    (folder / "latest.json").write_text(text, encoding="utf-8")
    print(f"\nWritten to {folder / f'bench-{stamp}.json'} and {folder / 'latest.json'}")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        default="0,1000,100000",
        type=lambda value: [int(v) for v in value.split(",")],
        help="Numbers of annotations to measure at (default 0,1000,100000).",
    )
    parser.add_argument("--runs", type=int, default=30, help="Timed runs per page (default 30).")
    parser.add_argument("--warmup", type=int, default=5, help="Untimed runs first (default 5).")
    parser.add_argument(
        "--budget", type=float, default=60, help="Seconds of timed runs per page at most."
    )
    parser.add_argument(
        "--results",
        type=Path,
        default=RESULTS,
        help="Where to write the JSON (default bench/results/local, ignored by git).",
    )
    parser.add_argument(
        "--pages",
        default="",
        type=lambda value: [v for v in value.split(",") if v],
        help="Only these page families, e.g. reading,annotations (default all).",
    )
    parser.add_argument(
        "--proposals",
        default="0,1000",
        type=lambda value: [int(v) for v in value.split(",") if v],
        help="Numbers of tabled proposals to measure the negotiation's pages at "
        "(default 0,1000; empty to skip them).",
    )
    parser.add_argument(
        "--circles",
        type=int,
        default=100,
        help="Circles of delegations made with the proposals (default 100).",
    )
    parser.add_argument(
        "--profile",
        default="",
        type=lambda value: [v for v in value.split(",") if v],
        help="Pages to profile with pyinstrument at each size, e.g. reading,annotations.",
    )
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="workbench-bench-") as workdir:
        configure_environment(Path(workdir))
        return run(args)


if __name__ == "__main__":
    sys.exit(main())
