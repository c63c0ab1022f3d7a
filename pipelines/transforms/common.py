"""Column helpers shared by the pure transforms: schema conformance, rates, money, days."""

from datetime import date

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from pipelines.transforms.schemas import MONEY, TableSpec


def conform(frame: DataFrame, spec: TableSpec) -> DataFrame:
    """Select exactly the spec's columns, cast to its types: the transform's output contract."""
    return frame.select(*[F.col(f.name).cast(f.dataType).alias(f.name) for f in spec.schema])


def rate(numerator: Column, denominator: Column) -> Column:
    """A ratio rounded to 4 places, NULL when the denominator is 0 (docs/metrics.md)."""
    return F.round(F.try_divide(numerator.cast("double"), denominator.cast("double")), 4)


def money_sum(column: Column) -> Column:
    return F.coalesce(F.sum(column), F.lit(0)).cast(MONEY)


def average_money(total: Column, count: Column) -> Column:
    return F.try_divide(total, count).cast(MONEY)


def count_where(condition: Column) -> Column:
    return F.count(F.when(condition, True))


def utc_ntz(name: str) -> Column:
    # BRONZE timestamps are UTC; the session time zone must be UTC for LTZ inputs.
    return F.col(name).cast("timestamp_ntz").alias(name)


def on_days(column: Column, *days: date) -> Column:
    """`column` is one of `days`. Spark compiles a date literal into the Java of its stage, so
    `column == day` makes every new day compile and JIT-warm its stages afresh; an array literal
    reaches the code by reference, and a long-running process reuses the day before's classes."""
    return F.array_contains(F.lit(list(days)), column)


def before(column: Column, day: date) -> Column:
    """`column` < `day`, by reference as in on_days: a one-element array orders as its element."""
    return column.isNotNull() & (F.array(column) < F.lit([day]))


def up_to(column: Column, day: date) -> Column:
    """`column` <= `day`, by reference as in on_days."""
    return column.isNotNull() & (F.array(column) <= F.lit([day]))
