"""Shared by the demo and browser tests: an embedded stack on a temporary directory, Debian's
Chromium (never a downloaded browser), and polling without timed assertions."""

import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import pytest
from dependency_injector import providers

from adapters.spark.session import SparkConfig
from entrypoints.bootstrap import create_container
from entrypoints.demo.stack import Stack
from entrypoints.settings import Settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
# As the batch tests run Spark: tiny days pay mostly for code generation in a cold JVM.
SPARK_FOR_TESTS = SparkConfig("local[2]", 1, options={"spark.sql.codegen.wholeStage": "false"})
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
T = TypeVar("T")


def embedded_container(data_dir: Path) -> Any:
    """The embedded adapter set on `data_dir`, whatever services the environment names."""
    settings = Settings(
        FLOWGUARD_EVENT_STORE="sqlite", FLOWGUARD_BUS="inprocess", FLOWGUARD_WAREHOUSE="fakesnow",
        FLOWGUARD_DATA_DIR=str(data_dir), FAKESNOW_DB_PATH=None, FLOWGUARD_API_KEYS=[],
    )  # type: ignore[call-arg]  # fmt: skip
    container = create_container(settings)
    container.spark_config.override(providers.Object(SPARK_FOR_TESTS))
    return container


@contextmanager
def running_stack(data_dir: Path, streaming: bool = True) -> Iterator[tuple[Any, Stack]]:
    container = embedded_container(data_dir)
    stack = Stack(container, streaming=streaming).start()
    try:
        yield container, stack
    finally:
        stack.stop()
        container.flowguard_app().close()


def chromium_browser(playwright: Any) -> Any:
    if not CHROMIUM.exists() or shutil.which("chromium") is None:
        pytest.fail(
            "Debian's chromium is missing: run `bash infra/system-deps.sh` "
            "(it runs apt-get install chromium)"
        )
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def eventually(probe: Callable[[], T | None], timeout: float = 60, what: str = "condition") -> T:
    """Poll until `probe` returns something truthy; fail (not skip) with `what` otherwise."""
    deadline = time.monotonic() + timeout
    while True:
        found = probe()
        if found:
            return found
        if time.monotonic() > deadline:
            pytest.fail(f"{what} did not happen within {timeout:.0f}s")
        time.sleep(0.2)


def screenshot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=True)
    return path
