"""The plain mistakes of issue 22 (item 3) each get one line that says what to do, a non-zero
exit and no traceback; `--debug` shows the traceback instead."""

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from entrypoints.demo.stack import free_port

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def busy_port() -> Iterator[int]:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield int(listener.getsockname()[1])


def _flowguard(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SNOWFLAKE_", "KAFKA_"))}
    clean |= {
        "FLOWGUARD_LOCAL_DIR": str(tmp_path), "FLOWGUARD_DATA_DIR": str(tmp_path / "data"),
        "FLOWGUARD_EVENT_STORE": "sqlite", "FLOWGUARD_BUS": "inprocess",
        "FLOWGUARD_WAREHOUSE": "fakesnow", **env,
    }  # fmt: skip
    command = [sys.executable, "-m", "entrypoints.cli", *args]
    return subprocess.run(
        command, cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120, check=False
    )


def _one_line(result: subprocess.CompletedProcess[str], *words: str) -> str:
    output = (result.stdout + result.stderr).strip()
    assert result.returncode != 0, output
    assert "Traceback" not in output
    assert len(output.splitlines()) == 1, output
    assert all(word in output for word in words), output
    return output


MISTAKES = {
    "simulate against nothing": (
        ("simulate", "--target", "http://127.0.0.1:1"), {}, ("127.0.0.1:1", "flowguard up")),
    "simulate without a scheme": (
        ("simulate", "--target", "127.0.0.1:8000"), {}, ("http://", "--target")),
    "postgres down": (
        ("up", "--port", "0"),
        {"FLOWGUARD_EVENT_STORE": "postgres",
         "FLOWGUARD_POSTGRES_DSN": "postgresql://flowguard:x@127.0.0.1:1/flowguard"},
        ("PostgreSQL", "FLOWGUARD_POSTGRES_DSN")),
    "kafka down": (
        ("up", "--port", "0"),
        {"FLOWGUARD_BUS": "kafka", "KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:1"},
        ("Kafka", "KAFKA_BOOTSTRAP_SERVERS")),
}  # fmt: skip


@pytest.mark.parametrize("mistake", sorted(MISTAKES))
def test_each_mistake_is_one_line_and_a_failure(tmp_path: Path, mistake: str) -> None:
    args, env, words = MISTAKES[mistake]
    _one_line(_flowguard(tmp_path, *args, **env), *words)


@pytest.mark.parametrize("command", ["up", "demo"])
def test_a_busy_port_is_one_line_before_anything_starts(
    tmp_path: Path, busy_port: int, command: str
) -> None:
    result = _flowguard(tmp_path, command, "--port", str(busy_port))
    _one_line(result, f"port {busy_port}", "--port")
    assert not (tmp_path / "data" / "events.sqlite").exists()


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    result = _flowguard(
        tmp_path, "--debug", "simulate", "--target", f"http://127.0.0.1:{free_port()}"
    )
    assert result.returncode != 0
    assert "Traceback" in result.stderr


def test_kept_good_behaviour_a_typo_and_a_bad_date_are_refused_cleanly(tmp_path: Path) -> None:
    typo = _flowguard(tmp_path, "simulate", "--target", "http://x", "--dayz", "2")
    assert typo.returncode == 2
    assert "--days" in typo.stderr
    assert "Traceback" not in typo.stderr
    date = _flowguard(tmp_path, "batch", "run", "--date", "2026-13-40")
    assert date.returncode == 2
    assert "--date" in date.stderr
    assert "Traceback" not in date.stderr
