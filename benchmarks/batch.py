"""Batch layer: wall time to build one day's SILVER and GOLD at 100k, 1M and 5M click events
(orders about 10% of clicks) on local[2], per stage, against DuckDB computing the same GOLD
(tests/reference) in the same run.

Usage: python -m benchmarks.batch [--quick] [--sizes 100000,1000000] [--through jobs|transforms]
       [--conf spark.some.setting=value ...]  (override a production session setting, for A/Bs)
       [--first-day CLICKS] [--java-home JDK] [--aot-cache-dir DIR]
       [--master spark://HOST:PORT [--executor-memory 2g]]  (a cluster instead of local[2],
       e.g. the one `flowguard services up spark` starts; its SPARK_MASTER is in services.env)

The process first builds the day before at --first-day clicks (default 1M) in its fresh JVM and
reports it apart: that is a one-off `flowguard batch run`. Each size is then built as the next
day, in the JVM that built the days before, as the long-running `flowguard batch schedule` (and
`backfill`) build every day after their first. The targets are judged on those days.

`jobs` (default) runs pipelines/jobs over generated BRONZE Parquet in a scratch lake, as the
Luigi tasks do (SILVER written and read back, one GOLD job per table); `transforms` runs the
pure transforms over the same Parquet and forces them with the `noop` sink.
Targets: 1M in <= 60 s, <= 4x DuckDB, growth 1M -> 5M no worse than linear.
"""

import argparse
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from pyspark.sql import DataFrame, SparkSession

from adapters.spark.session import SparkConfig, build_session
from pipelines.jobs.catalog import CatalogRows
from pipelines.jobs.gold import GOLD_NAMES, build_gold_day
from pipelines.jobs.lake import Lake
from pipelines.jobs.local_frames import local_frame
from pipelines.jobs.silver import build_silver_day
from pipelines.transforms import (
    Silver,
    build_gold,
    clicks_clean,
    order_events,
    order_lines,
    orders_clean,
    user_first_orders,
)
from pipelines.transforms.schemas import USER_FIRST_ORDERS
from tests.reference.duckdb_gold import reference_gold
from tests.support.bronze_datagen import Catalog, Mix, generate_day, load_catalog

DAY = date(2026, 11, 20)
SIZES = (100_000, 1_000_000, 5_000_000)
FIRST_DAY_CLICKS = 1_000_000
SOURCES = {"orders": "BRONZE.ORDERS_RAW", "clicks": "BRONZE.CLICKS_RAW"}
FIRST_ORDERS = pa.schema(
    [("USER_ID", pa.string()), ("FIRST_ORDER_ID", pa.string()),
     ("FIRST_ORDER_AT", pa.timestamp("us")), ("FIRST_ORDER_DATE", pa.date32())]
)  # fmt: skip


def session(
    partitions: int,
    driver_memory: str,
    overrides: list[str],
    java_home: Path | None = None,
    aot_cache_dir: Path | None = None,
    *,
    master: str = "local[2]",
    executor_memory: str | None = None,
) -> SparkSession:
    """The pipeline's own session settings (adapters/spark/session.py), on local[2] or `master`;
    `overrides` (KEY=VALUE, from --conf) are for A/B runs of a setting against the production
    one. On a cluster on this host, executors reach the driver over the loopback."""
    options = dict(o.split("=", 1) for o in overrides)
    config = SparkConfig(
        master, partitions, "flowguard-bench-batch", options, driver_memory=driver_memory,
        java_home=java_home, aot_cache_dir=aot_cache_dir, executor_memory=executor_memory,
        driver_host=None if master.startswith("local") else "127.0.0.1",
    )  # fmt: skip
    return build_session(config)


def timed(stages: dict[str, float], name: str, work: Callable[[], object]) -> None:
    started = time.perf_counter()
    work()
    stages[name] = time.perf_counter() - started


def through_jobs(spark: SparkSession, lake: Lake, catalog: Catalog, day: date) -> dict[str, float]:
    rows = CatalogRows(catalog.restaurants.to_pylist(), catalog.items.to_pylist())
    stages: dict[str, float] = {}
    timed(stages, "silver", lambda: build_silver_day(spark, lake, rows, day))
    for table in GOLD_NAMES:
        name = table.removeprefix("GOLD.").lower()
        timed(stages, name, lambda t=table: build_gold_day(spark, lake, t, day))  # type: ignore[misc]
    return stages


def through_transforms(
    spark: SparkSession, lake: Lake, catalog: Catalog, day: date
) -> dict[str, float]:
    paths = {k: lake.spark_path(lake.day_dir(t, day)) for k, t in SOURCES.items()}
    read = {k: spark.read.parquet(path) for k, path in paths.items()}
    shops, items = (spark.createDataFrame(t) for t in (catalog.restaurants, catalog.items))
    prior = local_frame(spark, [], USER_FIRST_ORDERS.schema)  # as the jobs build it
    # As the silver job does: parsed order events are cached, they feed two SILVER tables.
    events = order_events(read["orders"], day).cache()
    orders = orders_clean(events, shops, items, prior, day).cache()
    silver = Silver(
        orders_clean=orders,
        order_lines=order_lines(events, items, orders, day),
        user_first_orders=user_first_orders(orders),
        clicks_clean=clicks_clean(read["clicks"], shops, items, day),
    )
    stages: dict[str, float] = {}
    for name, frame in vars(silver).items():
        # Cached as the jobs persist SILVER, so GOLD does not recompute it from BRONZE.
        timed(stages, name, _forcing(frame.cache()))
    for name, frame in build_gold(silver, prior, day).items():
        timed(stages, name.removeprefix("GOLD.").lower(), _forcing(frame))
    spark.catalog.clearCache()
    return stages


def _forcing(frame: DataFrame) -> Callable[[], None]:
    return lambda: frame.write.format("noop").mode("overwrite").save()


def duckdb_seconds(lake: Lake, catalog: Catalog, day: date) -> float:
    """The baseline: read the same Parquet and compute every GOLD table, on 2 threads."""
    started = time.perf_counter()
    inputs = {
        "bronze_orders": pq.read_table(lake.day_dir(SOURCES["orders"], day)),
        "bronze_clicks": pq.read_table(lake.day_dir(SOURCES["clicks"], day)),
        "restaurants": catalog.restaurants,
        "items": catalog.items,
        "prior_first_orders": FIRST_ORDERS.empty_table(),
    }
    reference_gold(inputs, [day], threads=2)
    return time.perf_counter() - started


def prepare(root: Path, catalog: Catalog, clicks: int, day: date) -> tuple[Lake, int, int]:
    bronze = generate_day(day, catalog, Mix(clicks_per_day=clicks), seed=clicks)
    lake = Lake(root)
    lake.write_arrow(SOURCES["orders"], day, bronze.orders)
    lake.write_arrow(SOURCES["clicks"], day, bronze.clicks)
    return lake, bronze.orders.num_rows, bronze.clicks.num_rows


def run_size(
    spark: SparkSession, catalog: Catalog, clicks: int, mode: str, root: Path, *, day: date
) -> dict:
    lake, order_rows, click_rows = prepare(root / str(clicks), catalog, clicks, day)
    runner = through_jobs if mode == "jobs" else through_transforms
    stages = runner(spark, lake, catalog, day)
    spark_total = sum(stages.values())
    duck = duckdb_seconds(lake, catalog, day)
    shutil.rmtree(root / str(clicks), ignore_errors=True)
    return {
        "clicks": clicks, "bronze_clicks": click_rows, "bronze_orders": order_rows,
        "stages": stages, "spark": spark_total, "duckdb": duck, "ratio": spark_total / duck,
    }  # fmt: skip


def print_runs(results: list[dict]) -> None:
    for r in results:
        print(
            f"{r['clicks']:>9,} clicks ({r['bronze_clicks']:,} click rows, {r['bronze_orders']:,} "
            f"order rows): spark {r['spark']:7.1f} s   duckdb {r['duckdb']:6.1f} s   "
            f"ratio {r['ratio']:4.1f}x"
        )
        print("    " + "  ".join(f"{k} {v:.1f}s" for k, v in r["stages"].items()))


def report(results: list[dict]) -> None:
    """The runs, then the targets judged on them."""
    print_runs(results)
    by_size = {r["clicks"]: r for r in results}
    if 1_000_000 in by_size:
        one = by_size[1_000_000]
        print(f"target 1M <= 60 s: {one['spark']:.1f} s -> {_verdict(one['spark'] <= 60)}")
        print(f"target <= 4x DuckDB: {one['ratio']:.1f}x -> {_verdict(one['ratio'] <= 4)}")
    if {1_000_000, 5_000_000} <= by_size.keys():
        growth = by_size[5_000_000]["spark"] / by_size[1_000_000]["spark"]
        print(f"growth 1M -> 5M: {growth:.2f}x for 5x the data -> {_verdict(growth <= 5)}")


def _verdict(met: bool) -> str:
    return "met" if met else "MISSED"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="benchmarks.batch", description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help="100k click events only, after a 20k first day"
    )
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--through", choices=("jobs", "transforms"), default="jobs")
    parser.add_argument("--partitions", type=int, default=4)
    parser.add_argument(
        "--driver-memory", default=SparkConfig.driver_memory, help="default: the pipeline's own"
    )
    parser.add_argument("--conf", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument(
        "--first-day", type=int, default=FIRST_DAY_CLICKS, metavar="CLICKS",
        help="size of the day built first, in the fresh JVM (reported apart; 0: none)",
    )  # fmt: skip
    parser.add_argument("--java-home", type=Path, help="JDK for Spark (SPARK_JAVA_HOME)")
    parser.add_argument(
        "--aot-cache-dir", type=Path, metavar="DIR",
        help="JDK 25+: the JVM's AOT cache (the first run trains it, later runs start from it)",
    )  # fmt: skip
    parser.add_argument("--master", default="local[2]", help="Spark master URL (default local[2])")
    parser.add_argument("--executor-memory", help="on a cluster: each executor's heap")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    sizes = [100_000] if args.quick else [int(s) for s in args.sizes.split(",")]
    first_day = min(args.first_day, 20_000) if args.quick else args.first_day
    catalog = load_catalog()
    started = time.perf_counter()
    spark = session(
        args.partitions, args.driver_memory, args.conf, args.java_home, args.aot_cache_dir,
        master=args.master, executor_memory=args.executor_memory,
    )  # fmt: skip
    print(f"... Spark session (a fresh JVM) up in {time.perf_counter() - started:.1f} s")
    root = Path(tempfile.mkdtemp(prefix="fg-bench-batch-"))
    try:
        fresh = None
        if first_day:
            # The day before, as a long-running scheduler built it before today's run.
            fresh = run_size(spark, catalog, first_day, args.through, root, day=DAY - timedelta(1))
            print(f"... first day in a fresh JVM: {fresh['spark']:.1f} s", flush=True)
        results = []
        for n, clicks in enumerate(sizes):
            day = DAY + timedelta(n)
            results.append(run_size(spark, catalog, clicks, args.through, root, day=day))
            print(f"... {clicks:,} click events: {results[-1]['spark']:.1f} s", flush=True)
        where = f"{args.master}, {args.partitions} partitions"
        print(f"\nbatch benchmark, through {args.through}, {where}")
        if fresh is not None:
            print("first day in a fresh JVM (as `flowguard batch run`):")
            print_runs([fresh])
            print("each next day (as `flowguard batch schedule` and `backfill` run them):")
        report(results)
    finally:
        shutil.rmtree(root, ignore_errors=True)
        spark.stop()


if __name__ == "__main__":
    main()
