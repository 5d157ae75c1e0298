"""``make load``: the app under concurrent users, as production runs it.

Makes a PostgreSQL database of its own (``workbench_load`` on the server at 127.0.0.1:5432),
migrates it, loads the fixtures and ``seed_load``'s synthetic data, collects the static
files into a temporary directory and starts gunicorn as ``make serve`` does (ASGI, uvicorn
workers), with 2 workers on a free port of 127.0.0.1 with production settings (``DEBUG=0``;
HTTPS redirection off, since there is no proxy in front). Then wrk, a load generator from
Debian, sends 10 and then 50 concurrent users, 30 seconds each, at: a static file of the
reading page's size, the reading page (as a logged-in delegate), the sponsors page, and the
htmx note form (POST with the CSRF cookie and token). It prints requests per second, the
50th/95th/99th percentile latency and the errors (sockets, timeouts and answers other than
2xx/3xx). Then the events phase (``bench/events.py``): 500 open event streams while public
notes are written, with what every stream missed, how soon events arrive, the workers'
memory and two pages' latency with and without the streams. It writes all this as JSON to
``load-<date>-<commit>.json`` and ``load-latest.json`` in ``bench/results/local/``, which git
ignores (a result worth keeping is copied from there to ``bench/results/`` and committed),
and stops gunicorn and drops the database whatever happens.

Only 127.0.0.1 is ever sent a request. Environment: ``LOAD_DATABASE_URL`` (the database to
make; its name must end in ``_load``), ``LOAD_ANNOTATIONS`` (default 10000),
``LOAD_DURATION`` (seconds per run, default 30), ``LOAD_USERS`` (default "10,50"),
``LOAD_RESULTS`` (the folder for the JSON, default bench/results/local). Options:
``--streams`` (500), ``--notes`` (60 a round), ``--write-seconds`` (30), ``--rounds`` (2),
``--page-requests`` (200),
``--phases`` (``wrk,events``: either or both) and ``--scenarios`` (the wrk runs to make, of
``static,reading,sponsors,annotate``; all by default, and the static file always).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
# Ignored by git; the results the docs cite are copied from here to bench/results/.
RESULTS = ROOT / "bench" / "results" / "local"
PYTHON = sys.executable
HOST = "127.0.0.1"
SEED_SLUG = "a-c1-76-l13"
USERNAME = "load-00001"
PASSWORD = secrets.token_urlsafe(16)
FIXTURES = [
    str(ROOT / "fixtures" / n) for n in ("member_states.json", "agenda.json", "seed_document.json")
]
WORKERS = 2
STARTUP_SECONDS = 60


def current_commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def env_for(database_url: str, static_root: Path) -> dict:
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "0",
        "BENCH_STATIC_ROOT": str(static_root),
        "STATIC_ROOT": str(static_root),
    }


def manage(env: dict, *args: str) -> None:
    subprocess.run([PYTHON, str(ROOT / "manage.py"), *args], env=env, check=True, cwd=ROOT)


def make_database(url: str) -> None:
    """Drop and create the load database; refuses any name that does not end in _load."""
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    if not re.fullmatch(r"[a-z0-9_]+_load", name):
        raise SystemExit(f"LOAD_DATABASE_URL must name a database ending in _load, not {name!r}.")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def drop_database(url: str) -> None:
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class Gunicorn:
    """gunicorn in a process group of its own, so that stopping it stops its workers."""

    def __init__(self, env: dict, port: int, log: Path, workers: int = WORKERS):
        self.env, self.port, self.log, self.workers = env, port, log, workers
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    str(Path(PYTHON).parent / "gunicorn"),
                    "config.asgi:application",
                    "--worker-class",
                    "config.gunicorn_logging.EventWorker",
                    "--workers",
                    str(self.workers),
                    "--bind",
                    f"{HOST}:{self.port}",
                    "--timeout",
                    "60",
                    # Open event streams end only when the worker gives up waiting for them.
                    "--graceful-timeout",
                    "10",
                ],
                env=self.env,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped at start; see {self.log}")
            try:
                status, _, _ = http_request(self.port, "GET", "/accounts/login/")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"gunicorn did not answer within {STARTUP_SECONDS} s; see {self.log}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)


def http_request(port: int, method: str, path: str, *, body=None, headers=None):
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        content = response.read()
        return response.status, response.headers, content
    finally:
        connection.close()


def cookies_from(headers, jar: dict) -> dict:
    for header in headers.get_all("Set-Cookie") or []:
        parsed = SimpleCookie()
        parsed.load(header)
        for name, morsel in parsed.items():
            jar[name] = morsel.value
    return jar


def log_in(port: int) -> dict:
    """Log in through the login form, as a browser does; the cookies of the session."""
    status, headers, content = http_request(port, "GET", "/accounts/login/")
    jar = cookies_from(headers, {})
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content).group(1).decode()
    status, headers, _ = http_request(
        port,
        "POST",
        "/accounts/login/",
        body=urlencode({"username": USERNAME, "password": PASSWORD, "csrfmiddlewaretoken": token}),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookie_header(jar),
        },
    )
    cookies_from(headers, jar)
    if status != 302 or "sessionid" not in jar:
        raise RuntimeError(f"Logging in as {USERNAME} failed (HTTP {status}).")
    return jar


def cookie_header(jar: dict) -> str:
    return "; ".join(f"{name}={value}" for name, value in jar.items())


def drain(port: int, path: str, limit: float = 180) -> float:
    """Wait until the server has worked through what the last run left queued (wrk stops
    sending, but requests already accepted are still served): until a static file comes back
    within half a second, for ``limit`` seconds at most. Returns the seconds waited."""
    started = time.monotonic()
    while time.monotonic() - started < limit:
        asked = time.monotonic()
        try:
            http_request(port, "GET", path)
        except OSError:
            time.sleep(0.5)
            continue
        if time.monotonic() - asked < 0.5:
            break
    return time.monotonic() - started


def run_wrk(port: int, path: str, users: int, duration: int, extra_env: dict) -> dict:
    command = [
        "wrk",
        "--threads",
        "2",
        "--connections",
        str(users),
        "--duration",
        f"{duration}s",
        "--timeout",
        "30s",
        "--script",
        str(ROOT / "bench" / "wrk.lua"),
        f"http://{HOST}:{port}{path}",
    ]
    completed = subprocess.run(
        command,
        env={**os.environ, **extra_env},
        capture_output=True,
        text=True,
        timeout=duration + 120,
        check=True,
    )
    line = next(line for line in completed.stdout.splitlines() if line.startswith("WRKJSON "))
    numbers = json.loads(line.removeprefix("WRKJSON "))
    seconds = numbers["duration_us"] / 1e6
    errors = sum(
        numbers[key]
        for key in ("connect_errors", "read_errors", "write_errors", "status_errors", "timeouts")
    )
    return {
        "requests": numbers["requests"],
        "requests_per_second": numbers["requests"] / seconds,
        "p50_ms": numbers["p50_us"] / 1000,
        "p95_ms": numbers["p95_us"] / 1000,
        "p99_ms": numbers["p99_us"] / 1000,
        "max_ms": numbers["max_us"] / 1000,
        "errors": errors,
        "error_detail": {
            key: numbers[key]
            for key in (
                "connect_errors",
                "read_errors",
                "write_errors",
                "status_errors",
                "timeouts",
            )
        },
    }


def machine() -> dict:
    from bench.run import machine as describe

    info = describe()
    try:
        version = subprocess.run(
            ["psql", "-h", HOST, "-U", "postgres", "-tAc", "SHOW server_version"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        info["database"] = f"PostgreSQL {version}"
    except (OSError, subprocess.CalledProcessError):
        info["database"] = "PostgreSQL"
    wrk = subprocess.run(["wrk", "--version"], capture_output=True, text=True)
    info["wrk"] = (
        (wrk.stdout or wrk.stderr).splitlines()[0] if (wrk.stdout or wrk.stderr) else "wrk"
    )
    return info


def arguments(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="make load: the app under concurrent users.")
    parser.add_argument("--streams", type=int, default=500, help="Open event streams.")
    parser.add_argument("--notes", type=int, default=60, help="Public notes written.")
    parser.add_argument(
        "--write-seconds", type=float, default=30, help="Over how long the notes are written."
    )
    parser.add_argument(
        "--rounds", type=int, default=2, help="Rounds of notes, memory measured after each."
    )
    parser.add_argument(
        "--page-requests",
        type=int,
        default=200,
        help="Requests for each page, with and without the streams.",
    )
    parser.add_argument(
        "--phases", default="wrk,events", help="wrk, events or both (comma-separated)."
    )
    parser.add_argument(
        "--scenarios",
        default="static,reading,sponsors,annotate",
        help="The wrk runs to make (comma-separated); the static file is always measured, "
        "since every other run is read against it.",
    )
    return parser.parse_args(argv)


def main() -> int:
    options = arguments()
    phases = set(options.phases.split(","))
    # Stopped from outside, still stop gunicorn and drop the database (the finally below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if shutil.which("wrk") is None:
        print("make load needs wrk: apt-get install wrk (make load installs it when root).")
        return 2
    database_url = os.environ.get(
        "LOAD_DATABASE_URL", f"postgres://postgres@{HOST}:5432/workbench_load"
    )
    if urlsplit(database_url).hostname not in {"127.0.0.1", "localhost"}:
        print("The load run only uses a PostgreSQL server on 127.0.0.1.")
        return 2
    annotations = int(os.environ.get("LOAD_ANNOTATIONS", "10000"))
    duration = int(os.environ.get("LOAD_DURATION", "30"))
    user_counts = [int(n) for n in os.environ.get("LOAD_USERS", "10,50").split(",")]

    with tempfile.TemporaryDirectory(prefix="workbench-load-") as workdir:
        work = Path(workdir)
        static_root = work / "static"
        env = env_for(database_url, static_root)
        gunicorn = Gunicorn(env, free_port(), work / "gunicorn.log")
        try:
            print(f"Making the database and {annotations:,} synthetic annotations…", flush=True)
            make_database(database_url)
            manage(env, "migrate", "--noinput", "-v0")
            manage(env, "loaddata", *FIXTURES, "-v0")
            manage(
                env,
                "seed_load",
                f"--annotations={annotations}",
                "--users=50",
                "--delegations=20",
                f"--password={PASSWORD}",
                "--force",
            )
            manage(env, "collectstatic", "--noinput", "-v0")
            scenarios = {"static", *options.scenarios.split(",")} if "wrk" in phases else set()
            results = measure(gunicorn, static_root, user_counts, duration, scenarios)
            if "events" in phases:
                results["events"] = measure_events(gunicorn, env, database_url, options)
        except BaseException:
            print(f"The load run failed; gunicorn's log: {gunicorn.log}")
            if gunicorn.log.exists():
                print(gunicorn.log.read_text(errors="replace")[-3000:])
            raise
        finally:
            gunicorn.stop()
            drop_database(database_url)
    report(results, annotations, duration)
    return 0


def measure(gunicorn: Gunicorn, static_root: Path, user_counts, duration, wanted: set) -> dict:
    # The reading page's size decides the static file's; whitenoise (in production) reads
    # the static directory when it starts, so gunicorn starts again once the file is there.
    gunicorn.start()
    jar = log_in(gunicorn.port)
    reading = f"/documents/{SEED_SLUG}/"
    status, _, page = http_request(
        gunicorn.port, "GET", reading, headers={"Cookie": cookie_header(jar)}
    )
    if status != 200:
        raise RuntimeError(f"The reading page answered HTTP {status}.")
    same_size = static_root / "bench-same-size" / "reading.html"
    same_size.parent.mkdir(parents=True, exist_ok=True)
    same_size.write_bytes((b"<p>same size as the page</p>\n" * (len(page) // 29 + 1))[: len(page)])
    gunicorn.stop()
    gunicorn.start()
    jar = log_in(gunicorn.port)
    cookie = cookie_header(jar)
    scenarios = [
        ("static", "Static file, same size", "/static/bench-same-size/reading.html", {}),
        ("reading", "Reading page (logged in)", reading, {"WRK_COOKIE": cookie}),
        ("sponsors", "Sponsors page", f"/documents/{SEED_SLUG}/sponsors/", {"WRK_COOKIE": cookie}),
        (
            "annotate",
            "Annotate (htmx POST)",
            f"/documents/{SEED_SLUG}/paragraphs/op6/annotations/",
            {
                "WRK_METHOD": "POST",
                "WRK_BODY": urlencode(
                    {
                        "body": "Capital wants to keep this paragraph as agreed language.",
                        "visibility": "delegation",
                        "tags": "red line",
                    }
                ),
                "WRK_COOKIE": cookie,
                "WRK_CSRF": jar["csrftoken"],
                "WRK_HTMX": "1",
            },
        ),
    ]
    rows = []
    for key, title, path, extra in [s for s in scenarios if s[0] in wanted]:
        for users in user_counts:
            waited = drain(gunicorn.port, scenarios[0][2])
            print(f"  {title}, {users} users, {duration} s…", flush=True)
            rows.append(
                {
                    "scenario": key,
                    "title": title,
                    "path": path,
                    "users": users,
                    **run_wrk(gunicorn.port, path, users, duration, extra),
                    "drained_before_seconds": round(waited, 1),
                }
            )
    return {"page_bytes": len(page), "rows": rows}


def measure_events(gunicorn: Gunicorn, env: dict, database_url: str, options) -> dict:
    """The events phase (``bench/events.py``), on the running gunicorn."""
    from bench import events

    drain(gunicorn.port, "/accounts/login/")
    made = subprocess.run(
        [PYTHON, str(ROOT / "bench" / "events.py"), "sessions", str(options.streams), "3"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    sessions = json.loads(made.stdout.strip().splitlines()[-1])
    return asyncio.run(
        events.run(
            gunicorn.port,
            gunicorn.process.pid,
            database_url,
            sessions,
            options.notes,
            options.write_seconds,
            options.page_requests,
            options.rounds,
        )
    )


def report(results: dict, annotations: int, duration: int) -> None:
    from bench import events

    rows = results["rows"]
    static = {
        row["users"]: row["requests_per_second"] for row in rows if row["scenario"] == "static"
    }
    for row in rows:
        row["share_of_static"] = row["requests_per_second"] / static[row["users"]]
    head = (
        f"{'scenario':<26} {'users':>5} {'req/s':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
        f"{'errors':>7} {'÷ static':>9}"
    )
    lines = [head, "-" * len(head)] if rows else []
    for row in rows:
        lines.append(
            f"{row['title']:<26} {row['users']:>5} {row['requests_per_second']:>9.1f} "
            f"{row['p50_ms']:>8.1f} {row['p95_ms']:>8.1f} {row['p99_ms']:>8.1f} "
            f"{row['errors']:>7} {row['share_of_static']:>9.3f}"
        )
    info = machine()
    targets: dict = {}
    if rows:
        most = max(static)
        reading = next((r for r in rows if r["scenario"] == "reading" and r["users"] == most), None)
        targets = {
            "zero_errors_at_most_users": all(r["errors"] == 0 for r in rows if r["users"] == most),
        }
        if reading is not None:
            targets["reading_share_of_static_at_most_users"] = round(reading["share_of_static"], 3)
            targets["reading_at_least_a_fifth_of_static"] = reading["share_of_static"] >= 0.2
    lines.append("")
    lines.append(
        f"gunicorn {WORKERS} uvicorn workers, PostgreSQL, {annotations:,} annotations, "
        f"{duration} s per run, reading page {results['page_bytes']:,} bytes; "
        f"{info.get('nproc')} CPUs ({info.get('cpu')}), {info.get('ram_gib')} GiB RAM; "
        f"{info.get('wrk')}"
    )
    if rows:
        line = f"Targets: zero errors at {most} users: "
        line += "yes" if targets["zero_errors_at_most_users"] else "NO"
        if reading is not None:
            line += (
                f"; reading page throughput {targets['reading_share_of_static_at_most_users']} "
                "of the static file's (target ≥ 0.2)"
            )
        lines.append(line)
    if "events" in results:
        targets["events_missed"] = results["events"]["missing"]
        lines.append("")
        lines += events.report_lines(results["events"])
    print()
    print("\n".join(lines))
    result = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "command": "make load",
        "machine": info,
        "server": f"gunicorn, {WORKERS} uvicorn workers (EventWorker, ASGI), DEBUG off, 127.0.0.1",
        "load_generator": "wrk, --threads 2, --timeout 30s",
        "commit": current_commit(),
        "annotations": annotations,
        "duration_seconds": duration,
        "page_bytes": results["page_bytes"],
        "rows": rows,
        "events": results.get("events"),
        "targets": targets,
    }
    folder = Path(os.environ.get("LOAD_RESULTS", RESULTS))
    folder.mkdir(parents=True, exist_ok=True)
    text = json.dumps(result, indent=1, ensure_ascii=False) + "\n"
    stamp = datetime.date.today().isoformat() + (f"-{result['commit']}" if result["commit"] else "")
    (folder / f"load-{stamp}.json").write_text(text, encoding="utf-8")
    (folder / "load-latest.json").write_text(text, encoding="utf-8")
    print(f"\nWritten to {folder / f'load-{stamp}.json'} and {folder / 'load-latest.json'}")


if __name__ == "__main__":
    sys.exit(main())
