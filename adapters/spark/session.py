"""SparkSession resource: one local (or cluster) session per process, configured from settings."""

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

from pyspark.sql import SparkSession

# CompileThresholdScaling=0.5: the JIT compiles hot code at half the usual call counts, so a
# long-running process is warm by its second day (1M-click next day ~30 -> ~27 s on 2 cores;
# docs/batch.md, 27 Nov).
JVM_OPTIONS = "-XX:+UseParallelGC -XX:CompileThresholdScaling=0.5"


@dataclass(frozen=True)
class SparkConfig:
    master: str = "local[*]"
    # Small by default: the default of 200 partitions makes a small day crawl on 2 cores.
    shuffle_partitions: int = 4
    app_name: str = "flowguard-batch"
    # Extra Spark options, e.g. tests turn whole-stage codegen off: tiny days pay mostly for
    # compiling generated code in a cold JVM.
    options: Mapping[str, str] = field(default_factory=dict)


def build_session(config: SparkConfig) -> SparkSession:
    """Get or create the process's session; the metrics contract needs UTC days."""
    builder = (
        SparkSession.builder.master(config.master)
        .appName(config.app_name)
        .config("spark.sql.shuffle.partitions", str(config.shuffle_partitions))
        .config("spark.default.parallelism", str(config.shuffle_partitions))
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.sources.partitionOverwriteMode", "static")
        # A day's SILVER and GOLD compile ~175 classes; with the default cache of 100 a
        # long-running process compiled every one of them again for each day it built.
        .config("spark.sql.codegen.cache.maxEntries", "1000")
        # Parallel GC: a batch job wants throughput, and G1's concurrent threads took ~5% of
        # the CPU of a 1M-click day on 2 cores (benchmarks/batch.py, docs/batch.md).
        .config("spark.driver.extraJavaOptions", f"-Duser.timezone=UTC {JVM_OPTIONS}")
        .config("spark.executor.extraJavaOptions", "-Duser.timezone=UTC")
    )
    for key, value in config.options.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


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
