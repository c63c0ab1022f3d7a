"""`flowguard up` serves the API, pages, relay and consumer, and stops cleanly on Ctrl-C."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx

from entrypoints.demo.stack import free_port
from tests.e2e.browser_support import eventually

ROOT = Path(__file__).resolve().parents[2]


def _embedded_env(local_dir: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SNOWFLAKE_", "FAKESNOW_", "KAFKA_"))
    }
    return env | {
        "FLOWGUARD_LOCAL_DIR": str(local_dir),
        "FLOWGUARD_EVENT_STORE": "sqlite",
        "FLOWGUARD_BUS": "inprocess",
        "FLOWGUARD_WAREHOUSE": "fakesnow",
        "FLOWGUARD_DATA_DIR": str(local_dir / "data"),
    }


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.TransportError:
        return False


def test_up_serves_everything_and_stops_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    port = free_port()
    command = [sys.executable, "-m", "entrypoints.cli", "up", "--port", str(port)]
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=_embedded_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        eventually(
            lambda: _answers(f"{base}/readyz"), timeout=90, what="flowguard up answering /readyz"
        )
        assert _answers(f"{base}/storefront")
        assert httpx.get(f"{base}/api/v1/metrics/days").json() == {"days": []}
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, output
    assert "Stopping: API, relay and consumer" in output
