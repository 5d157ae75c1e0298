"""The processes the tests start beside themselves (app servers, nginx): each in a session of
its own, waited for until it answers, and stopped with whatever it started when the block
ends, however it ends."""

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT


def listening(port: int) -> Callable[[], None]:
    """Raises OSError until something accepts connections on 127.0.0.1:``port``."""

    def accepts() -> None:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()

    return accepts


@contextlib.contextmanager
def running(
    command: list[str],
    *,
    name: str,
    answers: Callable[[], object],
    log: Path | None = None,
    env: dict | None = None,
    seconds: float = 60,
    stop_seconds: float = 30,
    says: Callable[[], str] | None = None,
) -> Iterator[subprocess.Popen]:
    """``command`` running, once ``answers()`` no longer raises OSError, what it prints going
    to ``log``. A process that stops or does not answer within ``seconds`` fails the test
    with what it said (``says``, by default its log)."""

    def said() -> str:
        if says is not None:
            return says()
        return log.read_text() if log is not None else ""

    output = log.open("w") if log is not None else subprocess.DEVNULL
    try:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    finally:
        if log is not None:
            output.close()
    try:
        deadline = time.monotonic() + seconds
        while True:
            if process.poll() is not None:
                pytest.fail(f"{name} stopped:\n{said()}")
            try:
                answers()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"{name} did not answer:\n{said()}")
                time.sleep(0.05)
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=stop_seconds)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=stop_seconds)
