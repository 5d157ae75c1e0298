"""nginx in front of app servers the tests start, with the production site
(deploy/nginx/workbench.conf) on a port of the test's choosing and no root privileges: the
pid file, the logs and the temporary files in a folder of the test's own."""

import contextlib
import os
import re
import shutil
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.processes import listening, running

SITE = ROOT / "deploy" / "nginx" / "workbench.conf"
TEMPLATE = ROOT / "deploy" / "nginx" / "unprivileged.conf.template"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

_UPSTREAM_SERVERS = re.compile(r"^(\s*)server 127\.0\.0\.1:800[12] [^;]*;\n", re.MULTILINE)
_UPSTREAM_BLOCK = re.compile(r"^upstream \w+ \{\n.*?^\}\n", re.MULTILINE | re.DOTALL)
_LISTEN = re.compile(r"^(\s*)listen (?:\[::\]:)?80;\n", re.MULTILINE)


def nginx_missing() -> str:
    """Why nginx cannot be run here, or "" when it can."""
    if not Path(NGINX).is_file():
        return "nginx is not installed (make nginx installs it: apt-get install nginx)"
    return ""


def render_site(port: int, upstreams: list[str]) -> str:
    """The production site listening on 127.0.0.1:``port`` and passing requests to
    ``upstreams`` ("127.0.0.1:8123", ...) instead of 80 and 8001/8002, in each of its
    upstream blocks (pages, and event streams); the rest as it is."""
    site = SITE.read_text()
    blocks = _UPSTREAM_BLOCK.findall(site)
    assert len(blocks) == 2, "the site's upstream blocks moved"
    assert len(_LISTEN.findall(site)) == 2, "the site's listen lines moved"
    for block in blocks:
        assert len(_UPSTREAM_SERVERS.findall(block)) == 2, "the site's upstream servers moved"
        first = _UPSTREAM_SERVERS.search(block)
        servers = "".join(f"{first[1]}server {address};\n" for address in upstreams)
        rest = _UPSTREAM_SERVERS.sub("", block)
        site = site.replace(block, rest[: first.start()] + servers + rest[first.start() :])
    site = _LISTEN.sub(lambda line: f"{line[1]}listen 127.0.0.1:{port};\n", site, count=1)
    return _LISTEN.sub("", site)


def write_config(folder: Path, site: str, worker_connections: int = 256) -> Path:
    """The main configuration in ``folder``, with ``site`` written beside it and included;
    each open event stream takes two of nginx's ``worker_connections``."""
    folder.mkdir(parents=True, exist_ok=True)
    site_path = folder / "site.conf"
    site_path.write_text(site)
    # As root nginx would run its workers as nobody, who may not enter a private folder.
    user = "user root;" if os.geteuid() == 0 else ""
    config = (
        TEMPLATE.read_text()
        .replace("@USER@", user)
        .replace("@PREFIX@", str(folder))
        .replace("@SITE@", str(site_path))
        .replace("@WORKER_CONNECTIONS@", str(worker_connections))
    )
    path = folder / "nginx.conf"
    path.write_text(config)
    return path


def check(config: Path) -> subprocess.CompletedProcess:
    """``nginx -t`` on ``config``."""
    return subprocess.run(
        [NGINX, "-t", "-c", str(config), "-p", str(config.parent)],
        capture_output=True,
        text=True,
        timeout=30,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def serving_nginx(folder: Path, upstreams: list[str]) -> Iterator[int]:
    """nginx with the production site in front of ``upstreams``, its files in ``folder``;
    yields the port it listens on once it accepts connections, and stops it when the block
    ends, however it ends."""
    if reason := nginx_missing():
        pytest.skip(reason)
    port = free_port()
    config = write_config(folder, render_site(port, upstreams))
    command = [NGINX, "-c", str(config), "-p", str(folder), "-g", "daemon off;"]
    error_log = folder / "error.log"
    with running(
        command,
        name="nginx",
        answers=listening(port),
        seconds=20,
        stop_seconds=10,
        says=lambda: error_log.read_text() if error_log.exists() else "",
    ):
        yield port
