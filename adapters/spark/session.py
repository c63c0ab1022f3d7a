"""SparkSession resource: one local (or cluster) session per process, configured from settings."""

import os
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import pyspark
from pyspark import SparkContext
from pyspark.sql import SparkSession

from adapters.spark.aot import cache_option, resolve_java_home

# Tuned for 2 cores; docs/batch.md (sessions 7 to 11) has the measurements.
# - Parallel GC with the young generation half the heap: a day's garbage is short-lived (Spark's
#   JSON functions allocate a reader buffer per value).
# - JIT call counts halved, so a long-running process is warm by its second day.
# - C2's call-count thresholds raised, keeping its one thread off Spark's lukewarm planner code
#   (loops still reach it as early), and shallower C2 inlining, so each compile costs less.
JVM_OPTIONS = (
    "-XX:+UseParallelGC -XX:NewRatio=1 -XX:CompileThresholdScaling=0.5"
    " -XX:Tier4InvocationThreshold=20000 -XX:Tier4MinInvocationThreshold=2400"
    " -XX:Tier4CompileThreshold=60000"
    " -XX:FreqInlineSize=150 -XX:MaxInlineLevel=9 -XX:InlineSmallCode=1500"
)
# For days of a few thousand rows (the demo's, the tests'): compiling is most of a cold JVM's
# work there, and C1 alone compiles far less for code that runs only a few times.
SMALL_DAYS_JVM_OPTIONS = "-XX:+UseParallelGC -XX:TieredStopAtLevel=1"
# Planning and code generation cost more than such days' data: no adaptive re-planning and no
# whole-stage code generation.
SMALL_DAYS_OPTIONS = {
    "spark.sql.codegen.wholeStage": "false",
    "spark.sql.adaptive.enabled": "false",
}


@dataclass(frozen=True)
class SparkConfig:
    master: str = "local[*]"
    # Small by default: the default of 200 partitions makes a small day crawl on 2 cores.
    shuffle_partitions: int = 4
    app_name: str = "flowguard-batch"
    # Extra Spark options, e.g. tests turn whole-stage codegen off: tiny days pay mostly for
    # compiling generated code in a cold JVM.
    options: Mapping[str, str] = field(default_factory=dict)
    # The driver JVM's heap. In local mode it runs every task too, so Spark's default of 1g (sized
    # for a cluster's driver) is small; 3g is what the batch benchmark measures (docs/batch.md).
    driver_memory: str = "3g"
    # The driver JVM's tuning (GC and JIT).
    jvm_options: str = JVM_OPTIONS
    # The JDK for the driver JVM (default: JAVA_HOME, else `java` on PATH).
    java_home: Path | None = None
    # Where the driver JVM's ahead-of-time cache lives (JDK 25+; adapters/spark/aot.py).
    aot_cache_dir: Path | None = None
    # PySpark records the Python line of every column expression, for error messages: about 0.3 s
    # of a 1M day's planning (docs/batch.md). On, errors name the line again.
    python_call_sites: bool = False
    # On a cluster: the address executors reach the driver at, each executor's heap, and the
    # cores this application may take (None: Spark's defaults).
    driver_host: str | None = None
    executor_memory: str | None = None
    cores_max: int | None = None

    def for_small_days(self) -> "SparkConfig":
        """This configuration tuned for days of a few thousand rows per table (the demo's): one
        shuffle partition, C1 only, no adaptive planning or whole-stage code generation."""
        return replace(
            self, shuffle_partitions=1, jvm_options=SMALL_DAYS_JVM_OPTIONS,
            options={**self.options, **SMALL_DAYS_OPTIONS},
        )  # fmt: skip

    def cluster_options(self) -> dict[str, str]:
        """What a cluster master needs beyond local mode; nothing for local[...]."""
        if self.master.startswith("local"):
            return {}
        options = {
            # Executors run Python (if ever) with the driver's interpreter, the venv's.
            "spark.pyspark.python": sys.executable,
            "spark.driver.host": self.driver_host,
            "spark.executor.memory": self.executor_memory,
            "spark.cores.max": str(self.cores_max) if self.cores_max else None,
        }
        return {key: value for key, value in options.items() if value}


def build_session(config: SparkConfig) -> SparkSession:
    """Get or create the process's session; the metrics contract needs UTC days."""
    if config.java_home is not None:
        os.environ["JAVA_HOME"] = str(config.java_home)
    driver_options = f"-Duser.timezone=UTC {config.jvm_options} {_aot_option(config)}".rstrip()
    builder = (
        SparkSession.builder.master(config.master)
        .appName(config.app_name)
        .config("spark.driver.memory", config.driver_memory)
        .config("spark.sql.shuffle.partitions", str(config.shuffle_partitions))
        .config("spark.default.parallelism", str(config.shuffle_partitions))
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.sources.partitionOverwriteMode", "static")
        .config(
            "spark.python.sql.dataFrameDebugging.enabled", str(config.python_call_sites).lower()
        )
        # A day's SILVER and GOLD compile ~175 classes; with the default cache of 100 a
        # long-running process compiled every one of them again for each day it built.
        .config("spark.sql.codegen.cache.maxEntries", "1000")
        # Parallel GC: a batch job wants throughput, and G1's concurrent threads took ~5% of
        # the CPU of a 1M-click day on 2 cores (benchmarks/batch.py, docs/batch.md).
        .config("spark.driver.extraJavaOptions", driver_options)
        .config("spark.executor.extraJavaOptions", "-Duser.timezone=UTC")
    )
    for key, value in {**config.cluster_options(), **config.options}.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def _aot_option(config: SparkConfig) -> str:
    # Only a process that launches its JVM now can use or train the cache.
    if config.aot_cache_dir is None or SparkContext._gateway is not None:
        return ""
    jars = Path(os.environ.get("SPARK_HOME") or Path(pyspark.__file__).parent) / "jars"
    java_home = resolve_java_home(config.java_home)
    return cache_option(config.aot_cache_dir, java_home, config.jvm_options, jars)


def spark_session(
    config: SparkConfig, build: Callable[[SparkConfig], SparkSession] = build_session
) -> Iterator[SparkSession]:
    """dependency-injector Resource: start the session, stop it on shutdown_resources()."""
    session = build(config)
    try:
        yield session
    except GeneratorExit:
        # Collected without shutdown_resources(): getOrCreate shares one session per process,
        # and another owner may still be using it, so only an explicit shutdown stops it.
        raise
    session.stop()
