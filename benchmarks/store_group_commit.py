"""App-level write throughput on PostgreSQL, with and without group commit (not a test).

`python -m benchmarks.store_group_commit [--clicks N] [--orders N] [--threads T]`: drives
FlowGuardApp directly (no HTTP) from T threads against a fresh database on
FLOWGUARD_POSTGRES_DSN, single-event click requests and single orders, and prints events/s,
latency p50/p99, the mean group-commit batch and the ratio of group commit to one transaction
per request.
"""

import argparse
import statistics
import threading
import time
from collections.abc import Callable

from adapters.catalog.file_catalog import FileCatalog
from adapters.memory.failed_event_store import MemoryFailedEventStore
from adapters.postgres.event_store import postgres_event_store_env
from application.app import FlowGuardApp
from application.commands import ClickEventInput, OrderLineRequest, PlaceOrder, RecordClickEvents
from entrypoints.settings import PROJECT_ROOT, load_settings
from tests.fixtures.services import postgres_database


def drive(calls: list[Callable[[], object]], threads: int) -> tuple[float, list[float]]:
    """Run the calls from `threads` workers; return elapsed seconds and per-call latencies."""
    latencies: list[float] = []
    lock = threading.Lock()
    queue = iter(calls)

    def worker() -> None:
        while True:
            with lock:
                call = next(queue, None)
            if call is None:
                return
            started = time.perf_counter()
            call()
            latencies.append(time.perf_counter() - started)

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    started = time.perf_counter()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return time.perf_counter() - started, latencies


def click_calls(app: FlowGuardApp, n: int) -> list[Callable[[], object]]:
    def one(i: int) -> Callable[[], object]:
        event = ClickEventInput(f"ses_{i}", "impression", "rst_001", "home", item_id="itm_0001")
        return lambda: app.record_click_events(RecordClickEvents((event,), _now()))

    return [one(i) for i in range(n)]


def order_calls(app: FlowGuardApp, n: int) -> list[Callable[[], object]]:
    line = (OrderLineRequest("itm_0001", 2),)

    def one(i: int) -> Callable[[], object]:
        return lambda: app.place_order(PlaceOrder(f"usr_{i}", "rst_001", line, "upi", _now()))

    return [one(i) for i in range(n)]


def _now():  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    return datetime.now(UTC)


def measure(dsn: str, group_commit: bool, workload: str, n: int, threads: int) -> dict[str, float]:
    with postgres_database(dsn, "fg_bench") as db:
        app = FlowGuardApp(
            {**postgres_event_store_env(db, pool_size=16), "AGGREGATE_CACHE_MAXSIZE": "10000"},
            catalog=FileCatalog(PROJECT_ROOT / "data"),
            failed_events=MemoryFailedEventStore(),
            group_commit=group_commit,
        )
        batches: list[int] = []
        app.add_batch_observer(batches.append)
        make = click_calls if workload == "clicks" else order_calls
        elapsed, latencies = drive(make(app, n), threads)
        app.close()
    q = statistics.quantiles(latencies, n=100)
    return {
        "per_s": n / elapsed,
        "p50_ms": q[49] * 1000,
        "p99_ms": q[98] * 1000,
        "batch": statistics.mean(batches) if batches else 1.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clicks", type=int, default=3000)
    parser.add_argument("--orders", type=int, default=1500)
    parser.add_argument("--threads", type=int, default=64)
    parser.add_argument("--quick", action="store_true", help="a tenth of the requests")
    args = parser.parse_args()
    if args.quick:
        args.clicks, args.orders = args.clicks // 10, args.orders // 10
    dsn = load_settings().postgres_dsn
    if dsn is None:
        raise SystemExit("FLOWGUARD_POSTGRES_DSN is not set: run `flowguard services up postgres`")
    for workload, n in (("clicks", args.clicks), ("orders", args.orders)):
        results = {
            gc: measure(dsn.get_secret_value(), gc, workload, n, args.threads)
            for gc in (False, True)
        }
        for gc, r in results.items():
            label = "group commit" if gc else "one tx/request"
            print(
                f"{workload:6} {label:14} {r['per_s']:8.0f}/s  p50 {r['p50_ms']:6.1f} ms"
                f"  p99 {r['p99_ms']:6.1f} ms  mean batch {r['batch']:5.1f}"
            )
        print(f"{workload:6} ratio {results[True]['per_s'] / results[False]['per_s']:.1f}x")


if __name__ == "__main__":
    main()
