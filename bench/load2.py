"""``make load2``: two app servers behind nginx, one PostgreSQL, one Redis, the mixed run
through the proxy, and one app server stopped and started again in the middle of it.

Makes a PostgreSQL database of its own (``workbench_nginx_load`` on 127.0.0.1:5432) with the
fixtures and ``seed_load``'s 10,000 synthetic notes, as ``make load`` does, and starts two
app servers as ``make serve`` does (gunicorn, one uvicorn worker each, ``WEB_CONCURRENCY``'s
default) on two free ports, sharing the database and the Redis at 127.0.0.1:6379
(``CACHE_URL=redis://127.0.0.1:6379/0``, under a key prefix of the run's own, whose keys it
deletes at the end). Sessions stay in the database (``SESSION_STORE=db``, the default the
README recommends): a Redis restart logs nobody out, and each request's session is one
primary-key read. Debian's nginx runs ``deploy/nginx/workbench.conf`` in front of them,
rendered for their ports by ``tests/serving_nginx.py``, as any user.

Through nginx: wrk measures a static file of the reading page's size (50 connections), then
the mixed run (``bench/mixed.py``): 50 readers on the reading page, 10 writers saving public
notes, delegation notes and draft proposals through the page's forms, 200 open event
streams, for 60 s. A third of the way in, the first app server is stopped (SIGTERM: gunicorn
finishes what it has begun) and started again once it has stopped. Afterwards every write
that answered success is looked for in the database by its submission key. It prints a
table and writes the JSON as ``load2-<date>-<commit>.json`` and ``load2-latest.json`` in
``bench/results/local/`` (``LOAD_RESULTS``), and stops everything and drops the database
whatever happens.

``--servers 1`` runs the same mixed run on one app server with two workers, directly, with
nothing stopped: the same two cores' worth of workers without the proxy.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import load, mixed  # noqa: E402

HOST = load.HOST
REDIS_URL = "redis://127.0.0.1:6379/0"
# nginx holds two connections for each open stream (the client's and the app server's).
NGINX_CONNECTIONS = 4096
STATIC_USERS = 50
STATIC_SECONDS = 15


def arguments(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="make load2: two app servers behind nginx.")
    parser.add_argument("--servers", type=int, choices=(1, 2), default=2)
    parser.add_argument("--readers", type=int, default=50)
    parser.add_argument("--writers", type=int, default=10)
    parser.add_argument("--streams", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60, help="How long the mixed run lasts.")
    parser.add_argument(
        "--write-every", type=float, default=10.0, help="Seconds between one writer's writes."
    )
    parser.add_argument(
        "--read-every",
        type=float,
        default=0.0,
        help="Seconds between one reader's reads (default 0: again as soon as answered).",
    )
    parser.add_argument(
        "--no-restart", action="store_true", help="Leave both app servers running throughout."
    )
    return parser.parse_args(argv)


class Nginx:
    """Debian's nginx with the production site in front of ``upstreams``, as any user."""

    def __init__(self, folder: Path, upstreams: list[str]):
        from tests.serving_nginx import NGINX, render_site, write_config

        self.port = load.free_port()
        self.folder = folder
        self.config = write_config(
            folder, render_site(self.port, upstreams), worker_connections=NGINX_CONNECTIONS
        )
        self.command = [NGINX, "-c", str(self.config), "-p", str(folder), "-g", "daemon off;"]
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            self.command,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError((self.folder / "error.log").read_text())
            try:
                load.http_request(self.port, "GET", "/accounts/login/")
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("nginx did not answer")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=10)


def restart(server: load.Gunicorn, at: float):
    """A ``during`` for the mixed run: ``at`` seconds in, stop ``server`` (SIGTERM, as
    systemd or a deploy would) and start it again once it has stopped."""

    async def during(started: float) -> dict:
        await asyncio.sleep(max(0.0, started + at - time.monotonic()))
        stopping = time.monotonic()
        print(f"  Stopping the app server on port {server.port}…", flush=True)
        await asyncio.to_thread(server.stop)
        stopped = time.monotonic()
        await asyncio.to_thread(server.start)
        answering = time.monotonic()
        print(f"  …started again after {answering - stopping:.1f} s.", flush=True)
        return {
            "port": server.port,
            "stopped_at_seconds": round(stopping - started, 1),
            "stopping_took_seconds": round(stopped - stopping, 1),
            "answering_again_at_seconds": round(answering - started, 1),
        }

    return during


def saved_in_database(database_url: str, keys: list[str]) -> dict:
    """How many of the writes answered as saved are in the database, by submission key."""
    import psycopg

    with psycopg.connect(database_url) as connection:
        notes = connection.execute(
            "SELECT count(*) FROM resolutions_annotation WHERE submission_key = ANY(%s)", [keys]
        ).fetchone()[0]
        proposals = connection.execute(
            "SELECT count(*) FROM resolutions_proposal WHERE submission_key = ANY(%s)", [keys]
        ).fetchone()[0]
    return {"answered_saved": len(keys), "found": notes + proposals, "missing": 0}


def delete_cache_keys(prefix: str) -> int:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match=f"{prefix}*", count=1000))
    for start in range(0, len(keys), 500):
        client.delete(*keys[start : start + 500])
    return len(keys)


def main(argv=None) -> int:
    options = arguments(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    from tests.serving_nginx import nginx_missing

    if shutil.which("wrk") is None or (options.servers == 2 and nginx_missing()):
        print("make load2 needs wrk and nginx: apt-get install wrk nginx.")
        return 2
    database_url = os.environ.get(
        "LOAD_DATABASE_URL", f"postgres://postgres@{HOST}:5432/workbench_nginx_load"
    )
    if urlsplit(database_url).hostname not in {"127.0.0.1", "localhost"}:
        print("The load run only uses a PostgreSQL server on 127.0.0.1.")
        return 2
    annotations = int(os.environ.get("LOAD_ANNOTATIONS", "10000"))
    prefix = f"workbench-load2-{secrets.token_hex(4)}"

    with tempfile.TemporaryDirectory(prefix="workbench-load2-") as workdir:
        work = Path(workdir)
        static_root = work / "static"
        env = {
            **load.env_for(database_url, static_root),
            "CACHE_URL": REDIS_URL,
            "CACHE_KEY_PREFIX": prefix,
            "SESSION_STORE": "db",
            "TRUSTED_PROXY_COUNT": "1",
        }
        workers = 2 if options.servers == 1 else 1
        servers = [
            load.Gunicorn(env, load.free_port(), work / f"gunicorn-{n}.log", workers=workers)
            for n in range(options.servers)
        ]
        nginx: Nginx | None = None
        try:
            print(f"Making the database and {annotations:,} synthetic annotations…", flush=True)
            load.make_database(database_url)
            load.manage(env, "migrate", "--noinput", "-v0")
            load.manage(env, "loaddata", *load.FIXTURES, "-v0")
            load.manage(
                env,
                "seed_load",
                f"--annotations={annotations}",
                "--users=50",
                "--delegations=20",
                f"--password={load.PASSWORD}",
                "--force",
            )
            load.manage(env, "collectstatic", "--noinput", "-v0")
            made = subprocess.run(
                [
                    load.PYTHON,
                    str(ROOT / "bench" / "events.py"),
                    "sessions",
                    str(max(options.streams, options.readers)),
                    str(options.writers),
                ],
                env=env,
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            )
            sessions = json.loads(made.stdout.strip().splitlines()[-1])
            page_bytes = same_size_static_file(servers[0], static_root, sessions)
            for server in servers:
                server.start()
            port = servers[0].port
            if options.servers == 2:
                nginx = Nginx(work / "nginx", [f"{HOST}:{s.port}" for s in servers])
                nginx.start()
                port = nginx.port
            static_path = "/static/bench-same-size/reading.html"
            print(f"  Static file, {STATIC_USERS} users, {STATIC_SECONDS} s…", flush=True)
            static = load.run_wrk(port, static_path, STATIC_USERS, STATIC_SECONDS, {})
            load.drain(port, static_path)
            during = None
            if options.servers == 2 and not options.no_restart:
                during = restart(servers[0], options.seconds / 3)
            load_before = [round(n, 2) for n in os.getloadavg()]
            result = asyncio.run(
                mixed.run(
                    port,
                    sessions,
                    readers=options.readers,
                    writers=options.writers,
                    streams=options.streams,
                    seconds=options.seconds,
                    write_every=options.write_every,
                    read_every=options.read_every,
                    during=during,
                )
            )
            result["load_average_before"] = load_before
            keys = result.pop("saved_keys")
            checked = saved_in_database(database_url, keys)
            checked["missing"] = len(keys) - checked["found"]
            result["writes_in_database"] = checked
            if nginx is not None:
                result["nginx_errors_logged"] = nginx_upstream_errors(nginx.folder)
        except BaseException:
            for server in servers:
                if server.log.exists():
                    print(f"{server.log}:\n{server.log.read_text(errors='replace')[-3000:]}")
            raise
        finally:
            if nginx is not None:
                nginx.stop()
            for server in servers:
                server.stop()
            keep_logs(work, Path(os.environ.get("LOAD_RESULTS", load.RESULTS)) / "load2-logs")
            load.drop_database(database_url)
            delete_cache_keys(prefix)
    report(options, result, static, page_bytes, annotations)
    return 0


def same_size_static_file(server: load.Gunicorn, static_root: Path, sessions: dict) -> int:
    """A static file of the reading page's size, as a logged-in delegate gets the page;
    whitenoise reads the static files when it starts, so the server stops again after."""
    server.start()
    try:
        status, _, page = load.http_request(
            server.port,
            "GET",
            mixed.READING,
            headers={"Cookie": f"sessionid={sessions['streams'][0]}"},
        )
    finally:
        server.stop()
    if status != 200:
        raise RuntimeError(f"The reading page answered HTTP {status}.")
    same_size = static_root / "bench-same-size" / "reading.html"
    same_size.parent.mkdir(parents=True, exist_ok=True)
    same_size.write_bytes((b"<p>same size as the page</p>\n" * (len(page) // 29 + 1))[: len(page)])
    return len(page)


def keep_logs(work: Path, folder: Path) -> None:
    """The app servers' logs and nginx's error log of the last run, kept beside the JSON."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for log in [*work.glob("gunicorn-*.log"), work / "nginx" / "error.log"]:
        if log.exists():
            shutil.copy(log, folder / log.name.replace("error.log", "nginx-error.log"))


def nginx_upstream_errors(folder: Path) -> list[str]:
    """The lines of nginx's error log about the app servers (refused, reset), shortened."""
    log = folder / "error.log"
    if not log.exists():
        return []
    lines = [line for line in log.read_text(errors="replace").splitlines() if "upstream" in line]
    return [line.split("] ", 1)[-1][:200] for line in lines][:20]


def table_lines(result: dict, static: dict) -> list[str]:
    """The mixed run as a table, with the static file's throughput beside it."""
    head = (
        f"{'requests':<24} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
        f"{'errors':>7} {'÷ static':>9}"
    )
    lines = [head, "-" * len(head)]
    rows = [
        ("Static file, same size", static),
        ("Reading page", result["reads"]),
        ("Writes (notes, drafts)", result["writes"]),
        ("All of the mixed run", result["all"]),
    ]
    for title, row in rows:
        share = row["requests_per_second"] / static["requests_per_second"]
        lines.append(
            f"{title:<24} {row['requests_per_second']:>8.1f} {row['p50_ms']:>8.1f} "
            f"{row['p95_ms']:>8.1f} {row['p99_ms']:>8.1f} {row['errors']:>7} {share:>9.3f}"
        )
    return lines


def report(options, result: dict, static: dict, page_bytes: int, annotations: int) -> None:
    info = load.machine()
    streams, writes = result["streams"], result["writes_in_database"]
    failed_writes = result["writes"]["errors"]
    lines = table_lines(result, static)
    lines.append("")
    behind = (
        "two app servers (gunicorn, 1 uvicorn worker each) behind nginx"
        if options.servers == 2
        else "one app server (gunicorn, 2 uvicorn workers), no proxy"
    )
    every = result["read_every_seconds"]
    pace = f"each every {every:g} s" if every else "each again as soon as answered"
    lines.append(
        f"{behind}; PostgreSQL, Redis cache, sessions in the database; {annotations:,} notes; "
        f"reading page {page_bytes:,} bytes; {result['readers']} readers ({pace}), "
        f"{result['writers']} writers (one write each every {result['write_every_seconds']} s), "
        f"{streams['streams']} streams, {result['seconds']} s; {info.get('nproc')} CPUs "
        f"({info.get('cpu')}), load average before {result['load_average_before'][0]}"
    )
    if result["during"]:
        during = result["during"]
        lines.append(
            f"App server on port {during['port']} stopped at {during['stopped_at_seconds']} s "
            f"(took {during['stopping_took_seconds']} s), answering again at "
            f"{during['answering_again_at_seconds']} s"
        )
    lines.append(
        f"Writes: {writes['answered_saved']} answered saved "
        f"({', '.join(f'{n} {k}' for k, n in result['writes_by_kind'].items())}), "
        f"{writes['found']} found in the database, {writes['missing']} missing; "
        f"{failed_writes} failed {result['writes']['error_kinds'] or ''}"
    )
    lines.append(
        f"Streams: {streams['opened']} opened ({streams['ended_by_server']} ended by a server "
        f"and opened again), {streams['errors']} refused {streams['error_kinds'] or ''}, "
        f"{streams['events_received']:,} events received"
    )
    targets = {
        "zero_errors": result["all"]["errors"] == 0 and streams["errors"] == 0,
        "zero_failed_writes": failed_writes == 0 and writes["missing"] == 0,
        "p95_under_300_ms": result["all"]["p95_ms"] < 300,
    }
    lines.append(
        "Targets: 0 errors "
        + ("yes" if targets["zero_errors"] else "NO")
        + "; 0 failed or lost writes "
        + ("yes" if targets["zero_failed_writes"] else "NO")
        + f"; p95 under 300 ms {'yes' if targets['p95_under_300_ms'] else 'NO'} "
        f"({result['all']['p95_ms']} ms)"
    )
    print()
    print("\n".join(lines))
    output = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "command": "make load2"
        + ("" if options.servers == 2 else " --servers 1")
        + (f" --read-every {options.read_every:g}" if options.read_every else ""),
        "machine": info,
        "servers": behind,
        "commit": load.current_commit(),
        "annotations": annotations,
        "page_bytes": page_bytes,
        "static": {"users": STATIC_USERS, "seconds": STATIC_SECONDS, **static},
        "mixed": result,
        "targets": targets,
    }
    folder = Path(os.environ.get("LOAD_RESULTS", load.RESULTS))
    folder.mkdir(parents=True, exist_ok=True)
    text = json.dumps(output, indent=1, ensure_ascii=False) + "\n"
    stamp = datetime.date.today().isoformat() + (f"-{output['commit']}" if output["commit"] else "")
    name = f"load2-{stamp}" + ("" if options.servers == 2 else "-one-server")
    (folder / f"{name}.json").write_text(text, encoding="utf-8")
    (folder / "load2-latest.json").write_text(text, encoding="utf-8")
    print(f"\nWritten to {folder / f'{name}.json'}")


if __name__ == "__main__":
    sys.exit(main())
