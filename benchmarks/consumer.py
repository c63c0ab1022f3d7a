"""Consumer throughput: rows/s into BRONZE through the loader (validate, stage, MERGE) at
batches of 1k and 10k, fakesnow in-process and fakesnow server; the baseline is a raw bulk
insert of the same rows on the same warehouse (executemany / DataFrame insert), same run.
The baseline stages plain tuples through a DataFrame of Python objects, as the loader did
before it staged typed Arrow columns, so ratios stay comparable with earlier runs. It is
short and swings 2-3x on a loaded machine: compare versions by alternating runs as well.

Usage: python -m benchmarks.consumer [--quick]   (the server case needs SNOWFLAKE_HOST/PORT)
"""

import argparse
import os
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
from snowflake.sqlalchemy import snowdialect
from sqlalchemy.schema import CreateTable

from adapters.snowflake.bronze_warehouse import SnowflakeBronzeWarehouse, raw_tuple
from adapters.snowflake.connection import EmbeddedFakesnow, SnowflakeConfig, connect_snowflake
from adapters.snowflake.schema import stage_table
from adapters.snowflake.staging import FakesnowPandasStager, InsertStager, Stager
from application.bronze_loader import BronzeLoader, prepare_batch, utc_now
from application.ports import FailedMessage, InboundMessage
from application.tables import CLICKS_RAW


class NoDeadLetters:
    def send(self, failures: list[FailedMessage]) -> None:
        raise AssertionError("benchmark messages are all valid")


def messages(count: int) -> list[InboundMessage]:
    def envelope(n: int) -> bytes:
        return orjson.dumps({
            "event_id": str(uuid.uuid4()), "event_type": "click.impression",
            "aggregate_id": str(uuid.uuid4()), "aggregate_version": 2,
            "event_time": "2026-11-25T12:30:01.123456Z", "received_at": "2026-11-25T12:30:01.2Z",
            "schema_version": 1, "payload": {"session_id": f"s-{n}", "item_id": "itm_0001"},
        })  # fmt: skip

    return [InboundMessage("raw.clicks.v1", n % 3, n, b"k", envelope(n)) for n in range(count)]


def loader_rate(connect: Callable[[], Any], stager: Stager, batch: int, total: int) -> float:
    warehouse = SnowflakeBronzeWarehouse(connect, stager)
    loader = BronzeLoader(warehouse, NoDeadLetters())
    batches = [messages(batch) for _ in range(max(1, total // batch))]
    warehouse.create_schema()
    started = time.perf_counter()
    for chunk in batches:
        loader.load(chunk)
    rate = sum(map(len, batches)) / (time.perf_counter() - started)
    warehouse.close()
    return rate


def baseline_rate(connect: Callable[[], Any], stager: Stager, batch: int, total: int) -> float:
    """Stage the same rows into a plain table, no validation and no MERGE."""
    connection = connect()
    connection.cursor().execute("USE SCHEMA BRONZE")
    baseline = CreateTable(stage_table(CLICKS_RAW, "BASELINE"))
    connection.cursor().execute(str(baseline.compile(dialect=snowdialect.dialect())))
    rows = [[raw_tuple(r) for r in prepare_batch(messages(batch), utc_now()).rows["CLICKS_RAW"]]
            for _ in range(max(1, total // batch))]  # fmt: skip
    started = time.perf_counter()
    for chunk in rows:
        stager.stage(connection, "BASELINE", _names(), chunk)
    rate = sum(map(len, rows)) / (time.perf_counter() - started)
    connection.close()
    return rate


def _names() -> list[str]:
    return list(CLICKS_RAW.column_names)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    total = 20_000 if args.quick else 100_000
    with tempfile.TemporaryDirectory() as tmp:
        embedded = EmbeddedFakesnow(Path(tmp) / "fs", database="BENCH")
        cases: list[tuple[str, Callable[[], Any], Stager]] = [
            ("fakesnow in-process", embedded.connect, FakesnowPandasStager())
        ]
        if os.environ.get("SNOWFLAKE_HOST"):
            config = SnowflakeConfig(
                database=f"BENCH_{uuid.uuid4().hex[:6].upper()}",
                host=os.environ["SNOWFLAKE_HOST"],
                port=int(os.environ["SNOWFLAKE_PORT"]),
                protocol=os.environ.get("SNOWFLAKE_PROTOCOL", "http"),
            )
            cases.append(("fakesnow server", lambda: connect_snowflake(config), InsertStager()))
        for name, connect, stager in cases:
            # The server parses every multi-row INSERT with sqlglot: ~100x slower, fewer rows.
            case_total = total if name.endswith("in-process") else total // 50
            # The server case may be smaller than a batch: measure each size once.
            for batch in sorted({min(wanted, case_total) for wanted in (1_000, 10_000)}):
                rate = loader_rate(connect, stager, batch, case_total)
                base = baseline_rate(connect, stager, batch, case_total)
                print(
                    f"consumer {name}, batch {batch}: {rate:,.0f} rows/s; raw bulk insert "
                    f"{base:,.0f} rows/s; ratio {rate / base:.2f}"
                )
    print("target: 20,000 rows/s into fakesnow in-process")


if __name__ == "__main__":
    main()
