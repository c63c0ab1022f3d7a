"""The CLI's conventions: one-line errors, a version, the running-stack file, 80-column tables."""

import errno
import os
from datetime import date
from pathlib import Path

import httpx
from rich.console import Console
from typer.testing import CliRunner

from application.errors import StoreUnavailable
from entrypoints import cli
from entrypoints.commands.batch_status import status_table
from entrypoints.commands.errors import Refusal, explain
from entrypoints.commands.running import announced, find_running
from entrypoints.demo.summary import print_gold, print_quality, print_reconciliation
from entrypoints.report.data import QualityFigure, ReconciledDay
from tests.unit.report.sample_gold import sample_gold


def test_every_explained_error_is_one_line_with_an_exit_status() -> None:
    request = httpx.Request("GET", "http://127.0.0.1:1/healthz")
    errors = [
        Refusal("nothing here:\nsay it on one line", code=2),
        httpx.ConnectError("[Errno 111] Connection refused", request=request),
        OSError(errno.EADDRINUSE, "Address already in use"),
        StoreUnavailable("could not connect to server"),
        RuntimeError('IO Error: Could not set lock on file "x.db": Conflicting lock (PID 42)'),
        ValueError("something\nnobody expected"),
    ]
    for error in errors:
        message, code = explain(error)
        assert "\n" not in message, message
        assert code != 0, message
    assert explain(errors[0]) == ("nothing here: say it on one line", 2)
    assert "127.0.0.1:1" in explain(errors[1])[0]
    assert "process 42" in explain(errors[4])[0]
    assert "--debug" in explain(errors[5])[0]


def test_version_and_help_answer() -> None:
    runner = CliRunner()
    assert runner.invoke(cli.app, ["--version"]).output.startswith("flowguard ")
    shown = runner.invoke(cli.app, ["--help"]).output
    assert "--help" in shown
    assert "<bool>" not in shown
    assert "up " in shown


def test_a_running_stack_is_found_while_announced_and_not_after(tmp_path: Path) -> None:
    with announced(tmp_path, "up", "http://127.0.0.1:8000") as me:
        assert me.pid == os.getpid()
        assert find_running(tmp_path) is None  # this process never talks to itself
        (tmp_path / "flowguard-running.json").write_text(
            (tmp_path / "flowguard-running.json").read_text().replace(str(me.pid), "1")
        )
        assert find_running(tmp_path) is not None  # pid 1 is alive: another process
    (tmp_path / "flowguard-running.json").write_text(
        '{"pid": 999999999, "command": "up", "url": "u", "started_at": "t"}'
    )
    assert find_running(tmp_path) is None  # a file left by a dead process


def _rendered(draw: object) -> list[str]:
    console = Console(width=80, record=True, force_terminal=False)
    draw(console)  # type: ignore[operator]
    return console.export_text().splitlines()


def test_the_demo_tables_fit_80_columns_without_cutting_a_figure() -> None:
    gold = sample_gold()
    figures = {"orders": "1,234", "delivered": "1,200", "gmv": "1756912.00"}
    days = [ReconciledDay("2026-11-21", figures, figures)]
    quality = [
        QualityFigure("API (event store)", "click retries stored once (duplicates caught)", 3)
    ]
    names = {"rst_001": "A restaurant with a rather long name indeed"}
    lines = _rendered(lambda c: print_gold(c, gold, names))
    lines += _rendered(lambda c: print_quality(c, quality))
    lines += _rendered(lambda c: print_reconciliation(c, days))
    assert all(len(line) <= 80 for line in lines)
    assert not any("…" in line for line in lines), "\n".join(lines)
    text = "\n".join(lines)
    assert "2026-11-21" in text
    assert "1756912.00 / 1756912.00" in text


def test_the_batch_status_table_fits_80_columns() -> None:
    task = {"state": "failed", "duration_s": 1234.0, "error": None}
    days = [{"day": date(2026, 11, 21).isoformat(), "not_over": True,
             "tasks": {name: task for name in ("extract", "silver", "gmv", "items", "funnel",
                                                "hourly", "cohorts", "publish")}}]  # fmt: skip
    lines = _rendered(lambda c: c.print(status_table(days)))
    assert all(len(line) <= 80 for line in lines)
    assert "11-21*" in "\n".join(lines)
    assert not any("…" in line for line in lines), "\n".join(lines)
