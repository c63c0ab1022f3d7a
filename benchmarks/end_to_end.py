"""End-to-end latency: gateway 2xx -> row visible in BRONZE, at a fixed offered load.

Real processes for the gateway (uvicorn) and the relay (PostgreSQL store -> Kafka); the consumer
runs in this process on fakesnow in-process (DuckDB allows one process per file, and this is
the process that watches BRONZE). Click batches carry client-side event ids (unique here), so
each event's 2xx time can be matched with the moment its CLIENT_EVENT_ID first shows in BRONZE
(polled every 100 ms); INGESTION_ID is the server's own id for the event. Baseline, same run:
the gateway's own 2xx latency for the same requests.

Usage: python -m benchmarks.end_to_end [--quick]   (needs the services: flowguard services up)
"""

import argparse
import statistics
import tempfile
import threading
import time
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

from application.bronze_loader import ConsumerSettings
from entrypoints.bootstrap import create_container
from entrypoints.consumer import run_consumer
from tests.faults.harness import Pipeline, wait_until
from tests.faults.seeder import environment

BATCH = 100  # events per HTTP request


def offered_load(base_url: str, rate: int, seconds: float, acked: dict[str, float]) -> list[float]:
    """POST click batches at `rate` events/s; returns the per-request 2xx latencies."""
    latencies: list[float] = []
    interval = BATCH / rate
    with httpx.Client(base_url=base_url, timeout=30) as client:
        start = time.monotonic()
        for n in range(int(seconds * rate / BATCH)):
            time.sleep(max(0.0, start + n * interval - time.monotonic()))
            ids = [str(uuid.uuid4()) for _ in range(BATCH)]
            events = [
                {"event_id": i, "session_id": f"bench-{n}", "event_type": "impression",
                 "restaurant_id": "rst_001", "item_id": "itm_0001", "page": "menu"}
                for i in ids
            ]  # fmt: skip
            sent = time.monotonic()
            response = client.post("/api/v1/clicks/batch", json={"events": events})
            done = time.monotonic()
            if response.status_code == 202:
                latencies.append(done - sent)
                acked.update(dict.fromkeys(ids, done))
    return latencies


def watch_bronze(connection: Any, seen: dict[str, float], stop: threading.Event) -> None:
    cursor = connection.cursor()
    newest = datetime(1970, 1, 1)
    while not stop.wait(0.1):
        try:
            # One consumer writes batches in sequence, so new rows have INGESTED_AT >= newest.
            cursor.execute(
                "SELECT CLIENT_EVENT_ID, INGESTED_AT FROM BRONZE.CLICKS_RAW "
                "WHERE INGESTED_AT >= %s",
                (newest,),
            )
        except Exception:  # tables not created yet by the consumer
            continue
        now = time.monotonic()
        for client_event_id, ingested_at in cursor.fetchall():
            seen.setdefault(str(client_event_id), now)
            newest = max(newest, ingested_at)


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] if len(values) > 1 else values[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    rate, seconds = (500, 10.0) if args.quick else (2000, 60.0)
    from tests.fixtures.services import service_env

    env = service_env()
    host, port = env["SNOWFLAKE_HOST"], int(env["SNOWFLAKE_PORT"])
    with tempfile.TemporaryDirectory() as tmp:
        pipeline = Pipeline(
            env["FLOWGUARD_POSTGRES_DSN"], env["KAFKA_BOOTSTRAP_SERVERS"], host, port, Path(tmp)
        )
        try:
            run(pipeline, rate, seconds)
        finally:
            pipeline.stop_all()


def run(pipeline: Pipeline, rate: int, seconds: float) -> None:
    api_port = 18000 + int(pipeline.suffix[:3], 16) % 1000
    pipeline.start("api", "uvicorn", "entrypoints.api.main:build", "--factory",
                   "--port", str(api_port))  # fmt: skip
    pipeline.start_relay()
    with environment(pipeline.env(FLOWGUARD_WAREHOUSE="fakesnow")):
        container = create_container()
    stop = threading.Event()
    # Connect the watcher first: concurrent first connections race to ATTACH the DuckDB file.
    watch_connection = container.warehouse_connect()()
    consumer = threading.Thread(
        target=run_consumer, args=(container, stop, ConsumerSettings(5000, 0.2))
    )
    consumer.start()
    acked: dict[str, float] = {}
    seen: dict[str, float] = {}
    watcher = threading.Thread(target=watch_bronze, args=(watch_connection, seen, stop))
    watcher.start()
    base_url = f"http://127.0.0.1:{api_port}"
    wait_until(lambda: _ready(base_url), 60, "the gateway")
    started = time.monotonic()
    request_latencies = offered_load(base_url, rate, seconds, acked)
    achieved = len(acked) / (time.monotonic() - started)
    print(f"offered {rate} ev/s, achieved {achieved:,.0f} ev/s (acked by the gateway)")
    try:
        wait_until(lambda: all(i in seen for i in acked), 120, "every event in BRONZE", 0.2)
    finally:
        stop.set()
        consumer.join()
        watcher.join()
    report(rate, seconds, acked, seen, request_latencies)
    report_duplicates(watch_connection)


def report(rate: int, seconds: float, acked: dict[str, float], seen: dict[str, float],
           request_latencies: list[float]) -> None:  # fmt: skip
    latencies = [seen[i] - t for i, t in acked.items()]
    p50, p99 = percentile(latencies, 50), percentile(latencies, 99)
    g50, g99 = percentile(request_latencies, 50), percentile(request_latencies, 99)
    print(f"end to end at {rate} ev/s offered for {seconds:.0f} s: {len(acked)} events acked")
    print(f"2xx -> visible in BRONZE: p50 {p50:.2f} s, p99 {p99:.2f} s (target p99 <= 5 s)")
    print(f"baseline gateway 2xx latency per request: p50 {g50:.3f} s, p99 {g99:.3f} s; "
          f"ratio p99 {p99 / g99:.1f}x")  # fmt: skip


def report_duplicates(connection: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("SELECT COUNT(*), COUNT(DISTINCT INGESTION_ID) FROM BRONZE.CLICKS_RAW")
    rows, distinct = cursor.fetchone()
    print(f"BRONZE.CLICKS_RAW: {rows} rows, {distinct} distinct ids, {rows - distinct} duplicates")


def _ready(base_url: str) -> bool:
    try:
        return httpx.get(f"{base_url}/readyz", timeout=2).status_code == 200
    except httpx.TransportError:
        return False


if __name__ == "__main__":
    main()
