"""Schema contracts of the pure transforms: the input columns they read, and every SILVER/GOLD table
they produce, with its day column and key, rendered as Spark schemas from the one declaration of
the tables (application/tables; docs/metrics.md)."""

from dataclasses import dataclass

from pyspark.sql.types import (
    BooleanType,
    DataType,
    DateType,
    DecimalType,
    DoubleType,
    IntegerType,
    LongType,
    StringType,
    StructField,
    StructType,
    TimestampNTZType,
    TimestampType,
)

from application import tables
from application.tables import Kind, SqlType, Table

# Lifecycle events of an order count up to ORDER_DATE + LOOKAHEAD_DAYS (docs/metrics.md).
LOOKAHEAD_DAYS = 1
MONEY = DecimalType(18, 2)

# The BRONZE columns the transforms read (application/tables/bronze.py has them all).
BRONZE_COLUMNS = (
    "INGESTION_ID",
    "EVENT_TYPE",
    "AGGREGATE_ID",
    "AGGREGATE_VERSION",
    "EVENT_TIME",
    "EVENT_DATE",
    "RECEIVED_AT",
    "PAYLOAD",
    "INGESTED_AT",
)
# Catalog inputs, already conformed to these names by the job that reads data/.
RESTAURANT_COLUMNS = ("RESTAURANT_ID", "RESTAURANT_NAME", "CITY", "CUISINE")
ITEM_COLUMNS = ("ITEM_ID", "RESTAURANT_ID", "ITEM_NAME", "CATEGORY", "CUISINE", "IS_VEG", "PRICE")

_SPARK: dict[Kind, DataType] = {
    Kind.TEXT: StringType(),
    Kind.UUID: StringType(),
    Kind.INT: IntegerType(),
    Kind.BIGINT: LongType(),
    Kind.SERIAL: LongType(),
    Kind.DOUBLE: DoubleType(),
    Kind.BOOLEAN: BooleanType(),
    Kind.DATE: DateType(),
    Kind.TIMESTAMP: TimestampNTZType(),
    Kind.TIMESTAMP_TZ: TimestampType(),
}


def spark_type(sql_type: SqlType) -> DataType:
    if sql_type.kind is Kind.DECIMAL:
        return DecimalType(sql_type.precision or 38, sql_type.scale or 0)
    return _SPARK[sql_type.kind]


def struct_type(table: Table) -> StructType:
    """Every column nullable: a transform's output is checked by its select, not by Spark."""
    return StructType([StructField(c.name, spark_type(c.type), True) for c in table.columns])


@dataclass(frozen=True)
class TableSpec:
    """One output table: its schema, the column holding its day, and its key within the day."""

    name: str
    schema: StructType
    day_column: str
    key: tuple[str, ...]

    @property
    def columns(self) -> list[str]:
        return [field.name for field in self.schema.fields]


def _spec(table: Table) -> TableSpec:
    day = table.day_column or ""
    key = tuple(column for column in table.key if column != day)
    return TableSpec(table.qualified_name, struct_type(table), day, key)


SILVER_TABLES = tuple(_spec(table) for table in tables.SILVER_TABLES)
GOLD_TABLES = tuple(_spec(table) for table in tables.GOLD_TABLES)
ORDERS_CLEAN, ORDER_LINES, USER_FIRST_ORDERS, CLICKS_CLEAN = SILVER_TABLES
(
    DAILY_GMV_METRICS,
    FOOD_ITEM_PERFORMANCE,
    USER_FUNNEL_METRICS,
    HOURLY_ORDER_PATTERNS,
    USER_COHORT_METRICS,
) = GOLD_TABLES
