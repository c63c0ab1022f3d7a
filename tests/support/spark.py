"""The one small local Spark session the test suite shares (getOrCreate: every caller gets it)."""

from pyspark.sql import SparkSession


def local_spark() -> SparkSession:
    session = (
        SparkSession.builder.master("local[2]")
        .appName("flowguard-tests")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.memory", "1g")
        # Tiny inputs: planning, code generation and JIT warm-up dominate, not data, so skip
        # adaptive re-planning and whole-stage codegen and stay on the quick C1 compiler.
        .config("spark.sql.adaptive.enabled", "false")
        .config("spark.sql.codegen.wholeStage", "false")
        # As in production (adapters/spark/session.py): the next day reuses a day's classes.
        .config("spark.sql.codegen.cache.maxEntries", "1000")
        .config("spark.driver.extraJavaOptions", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    return session
