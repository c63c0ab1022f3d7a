"""Gateway throughput over real HTTP (not a test): `python -m benchmarks.gateway [--quick]`.

Starts `flowguard serve` (uvicorn) on the PostgreSQL store, in a fresh database of the server at
FLOWGUARD_POSTGRES_DSN with synchronous_commit on, drives it with a lean asyncio HTTP client, and
reports events/s and latency p50/p99 for (a) single POST /clicks from 64 connections,
(b) POST /clicks/batch of 100 events, (c) POST /orders; then the same number of rows written
straight into PostgreSQL (one commit per row, and COPY) as a baseline, and the ratios.
"""

import argparse
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import psycopg
from psycopg.conninfo import make_conninfo

from benchmarks import _pg_baseline as baseline
from benchmarks._gateway_loads import batch_load, order_load, single_click_load
from benchmarks._http_load import LoadResult, drive, machine_busy_seconds, process_cpu_seconds
from entrypoints.settings import LOCAL_DIR

TARGETS = {"clicks": (3000, 50.0), "batch": (30000, None), "orders": (2000, None)}


@contextmanager
def fresh_database(dsn: str) -> Iterator[str]:
    name = f"fg_bench_{uuid4().hex[:10]}"
    with psycopg.connect(dsn, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        # Durable commits whatever the server default is: the figures must be honest.
        admin.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = on')
    try:
        yield make_conninfo(dsn, dbname=name)
    finally:
        try:
            with psycopg.connect(dsn, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        except psycopg.Error as error:  # e.g. an autovacuum worker in it: keep the figures
            print(f"could not drop the benchmark database {name}: {error}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve_command(port: int, workers: int) -> list[str]:
    command = [sys.executable, "-m", "entrypoints.cli", "serve", "--port", str(port)]
    return [*command, "--workers", str(workers)]


def floor_command(port: int, workers: int) -> list[str]:
    command = [sys.executable, "-m", "uvicorn", "benchmarks._floor_app:app", "--port", str(port)]
    options = ["--no-access-log", "--log-level", "warning", "--timeout-worker-healthcheck", "60"]
    return [*command, "--workers", str(workers), *options]


@contextmanager
def server(
    command: Callable[[int, int], list[str]], workers: int, dsn: str, log_path: Path
) -> Iterator[tuple[str, int]]:
    """A server process of its own; yields (base URL, pid) once /readyz is 200."""
    port = free_port()
    env = {**os.environ, "FLOWGUARD_EVENT_STORE": "postgres", "FLOWGUARD_POSTGRES_DSN": dsn}
    env["FLOWGUARD_API_KEYS"] = "[]"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            command(port, workers), env=env, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            base_url = f"http://127.0.0.1:{port}"
            wait_ready(base_url, process)
            yield base_url, process.pid
        finally:
            process.terminate()
            process.wait(timeout=30)


def wait_ready(base_url: str, process: subprocess.Popen[bytes], timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"flowguard serve exited with {process.returncode}")
        try:
            if httpx.get(f"{base_url}/readyz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError("flowguard serve did not become ready")


def postmaster_pid(dsn: str) -> int | None:
    """The local PostgreSQL server's main process (its backends are its children), if it runs
    on this machine: the parent of this connection's backend."""
    with psycopg.connect(dsn) as connection:
        row = connection.execute("SELECT pg_backend_pid()").fetchone()
    try:
        with open(f"/proc/{row[0] if row else 0}/stat") as stat:
            return int(stat.read().rsplit(")", 1)[1].split()[1])
    except OSError:
        return None  # a remote server


def measure(  # noqa: PLR0917
    base_url: str, pid: int, path: str, load: list[list[bytes]], events: int, pg_pid: int | None
) -> dict[str, Any]:
    cpu_before, (busy_before, total_before) = process_cpu_seconds(pid), machine_busy_seconds()
    pg_before = process_cpu_seconds(pg_pid) if pg_pid else 0.0
    result: LoadResult = drive(base_url, path, load, events)
    busy_after, total_after = machine_busy_seconds()
    pg_cpu = process_cpu_seconds(pg_pid) - pg_before if pg_pid else None
    bad = {s: n for s, n in result.statuses.items() if s >= 300}
    if bad:
        print(f"  non-2xx answers on {path}: {bad} e.g. {result.errors[:2]}")
    return {
        "events": events,
        "requests": result.requests,
        "seconds": round(result.seconds, 2),
        "events_per_s": round(result.events_per_second),
        "requests_per_s": round(result.requests_per_second),
        "p50_ms": round(result.p50_ms, 1),
        "p99_ms": round(result.p99_ms, 1),
        "non_2xx": sum(bad.values()),
        "server_cpu_s": round(process_cpu_seconds(pid) - cpu_before, 1),
        "server_cpu_ms_per_request": round(
            1000 * (process_cpu_seconds(pid) - cpu_before) / result.requests, 2
        ),
        "client_cpu_s": round(result.client_cpu_seconds, 1),
        # PostgreSQL's share of the work (its backends, WAL writer, ...), when it runs here.
        "postgres_cpu_ms_per_request": (
            round(1000 * pg_cpu / result.requests, 2) if pg_cpu is not None else None
        ),
        "machine_busy_pct": round(100 * (busy_after - busy_before) / (total_after - total_before)),
    }


def commit_batches(base_url: str) -> tuple[float, float]:
    """(sum, count) of the group-commit batch-size histogram (of the worker that answers)."""
    text = httpx.get(f"{base_url}/metrics", timeout=5).text
    values = dict.fromkeys(("sum", "count"), 0.0)
    for line in text.splitlines():
        for kind in values:
            if line.startswith(f"flowguard_group_commit_batch_size_{kind} "):
                values[kind] = float(line.split()[1])
    return values["sum"], values["count"]


def scenario(  # noqa: PLR0917
    base_url: str,
    pid: int,
    path: str,
    load: list[list[bytes]],
    events: int,
    workers: int,
    pg_pid: int | None,
) -> dict[str, Any]:
    sum_before, count_before = commit_batches(base_url)
    figures = measure(base_url, pid, path, load, events, pg_pid)
    sum_after, count_after = commit_batches(base_url)
    batches = count_after - count_before
    # With several workers /metrics shows one worker's histogram: no honest mean then.
    mean = (sum_after - sum_before) / batches if batches > 0 and workers == 1 else None
    figures["mean_commit_batch"] = round(mean, 1) if mean is not None else None
    return figures


def run(args: argparse.Namespace, dsn: str) -> dict[str, Any]:
    sizes = (3000, 10_000, 1500) if args.quick else (args.clicks, args.batch_events, args.orders)
    clicks, batch_events, orders = sizes
    log_path = LOCAL_DIR / "bench" / "gateway-server.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    report: dict[str, Any] = {
        "durability": baseline.durability_settings(dsn),
        "workers": args.workers,
    }
    pg_pid = postmaster_pid(dsn)
    with server(serve_command, args.workers, dsn, log_path) as (url, pid):
        # Warm-up: tables, pools, caches and code paths, so the timings are steady state.
        drive(url, "/api/v1/clicks", single_click_load(1280, args.concurrency, "warm"), 1280)
        drive(url, "/api/v1/orders", order_load(256, args.concurrency, "warm"), 256)
        warm_batches = batch_load(2000, 100, args.batch_concurrency, "warm-batch")
        drive(url, "/api/v1/clicks/batch", warm_batches, 2000)
        loads = {
            "a_clicks": ("clicks", single_click_load(clicks, args.concurrency, "a"), clicks),
            "b_batch": (
                "clicks/batch",
                batch_load(batch_events, 100, args.batch_concurrency, "b"),
                batch_events,
            ),
            "c_orders": ("orders", order_load(orders, args.concurrency, "c"), orders),
        }
        for key, (path, load, events) in loads.items():
            if args.only and key[2:] not in args.only:
                continue
            report[key] = scenario(url, pid, f"/api/v1/{path}", load, events, args.workers, pg_pid)
    floor_log = log_path.with_name("floor-server.log")
    with server(floor_command, args.workers, dsn, floor_log) as (url, pid):
        drive(url, "/api/v1/clicks", single_click_load(1280, args.concurrency, "warm"), 1280)
        load = single_click_load(clicks, args.concurrency, "floor")
        report["http_floor"] = measure(url, pid, "/api/v1/clicks", load, clicks, None)
    report["baseline_commit_per_row_rows_per_s"] = round(baseline.commit_per_row(dsn, clicks))
    report["baseline_copy_rows_per_s"] = round(baseline.copy_all(dsn, batch_events))
    return report


def print_report(report: dict[str, Any]) -> None:
    print(f"PostgreSQL: {report['durability']}; uvicorn workers: {report['workers']}")
    per_row, copy = report["baseline_commit_per_row_rows_per_s"], report["baseline_copy_rows_per_s"]
    print(f"baseline psycopg: one commit per row {per_row} rows/s; COPY {copy} rows/s")
    floor = report["http_floor"]
    print(
        f"HTTP floor (FastAPI def route, same click bodies, stores nothing): "
        f"{floor['requests_per_s']} req/s, {floor['server_cpu_ms_per_request']} ms CPU/request"
    )
    header = f"{'scenario':<22}{'events/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'batch':>7}"
    columns = f"{'ms cpu/req':>11}{'pg ms/req':>10}{'cli cpu':>9}{'busy%':>7}"
    print(header + columns + f"{'vs row':>8}{'vs COPY':>9}  target")
    for key, name, target in (
        ("a_clicks", "(a) POST /clicks x64", TARGETS["clicks"]),
        ("b_batch", "(b) /clicks/batch 100", TARGETS["batch"]),
        ("c_orders", "(c) POST /orders x64", TARGETS["orders"]),
    ):
        f = report.get(key)
        if f is None:  # not run (--only)
            continue
        rate, p99 = f["events_per_s"], f["p99_ms"]
        met = rate >= target[0] and (target[1] is None or p99 <= target[1])
        goal = f">={target[0]}/s" + (f", p99<={target[1]:.0f}ms" if target[1] else "")
        print(
            f"{name:<22}{rate:>10}{f['p50_ms']:>9}{p99:>9}{f['mean_commit_batch'] or '-':>7}"
            f"{f['server_cpu_ms_per_request']:>11}{f['postgres_cpu_ms_per_request'] or '-':>10}"
            f"{f['client_cpu_s']:>9}{f['machine_busy_pct']:>7}"
            f"{rate / per_row:>8.2f}{rate / copy:>9.3f}  {goal} {'met' if met else 'MISSED'}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small runs (a smoke check)")
    parser.add_argument("--clicks", type=int, default=20_000)
    parser.add_argument("--batch-events", type=int, default=100_000)
    parser.add_argument("--orders", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--batch-concurrency", type=int, default=8)
    parser.add_argument(
        "--only",
        nargs="+",
        choices=("clicks", "batch", "orders"),
        help="run only these scenarios (the baselines and the HTTP floor always run)",
    )
    # One process per core: the GIL holds one worker to one core (measured: +30 to 60 %).
    # The mean group-commit batch is shown only with --workers 1 (metrics are per process).
    workers = os.cpu_count() or 1
    parser.add_argument("--workers", type=int, default=workers, help="uvicorn worker processes")
    args = parser.parse_args()
    dsn = os.environ.get("FLOWGUARD_POSTGRES_DSN")
    if not dsn:
        sys.exit("FLOWGUARD_POSTGRES_DSN is not set: run `make bench` or `flowguard services up`")
    with fresh_database(dsn) as database:
        report = run(args, database)
    print_report(report)
    out = LOCAL_DIR / "bench" / "gateway.json"
    out.write_text(json.dumps(report, indent=2))
    print(f"figures: {out}")


if __name__ == "__main__":
    main()
