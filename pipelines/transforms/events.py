"""BRONZE rows to deduplicated, parsed events: the first step of every SILVER transform."""

from pyspark.sql import DataFrame, Window
from pyspark.sql import functions as F
from pyspark.sql.types import ArrayType, StringType, StructField, StructType

from pipelines.transforms.common import utc_ntz

_S = StringType()


def _struct(*names: str) -> StructType:
    return StructType([StructField(name, _S, True) for name in names])


# Numbers are read as text and cast with try_cast, so a malformed field never fails the job.
LINE_SCHEMA = _struct("item_id", "name", "unit_price", "quantity", "line_total")
ORDER_PAYLOAD = StructType(
    [
        *_struct("user_id", "restaurant_id", "session_id").fields,
        StructField("lines", ArrayType(LINE_SCHEMA), True),
        *_struct("total_amount", "currency", "payment_method", "status", "reason").fields,
    ]
)
CLICK_PAYLOAD = _struct(
    "session_id", "user_id", "item_id", "restaurant_id", "page", "position", "quantity"
)


def dedup_events(bronze: DataFrame) -> DataFrame:
    """One row per fact. Rows sharing an INGESTION_ID share (AGGREGATE_ID, AGGREGATE_VERSION),
    so one pass over the latter removes both kinds of duplicate; the earliest ingested copy wins."""
    frame = bronze.select(
        "INGESTION_ID",
        "EVENT_TYPE",
        "AGGREGATE_ID",
        F.col("AGGREGATE_VERSION").cast("bigint").alias("AGGREGATE_VERSION"),
        utc_ntz("EVENT_TIME"),
        F.col("EVENT_DATE").cast("date").alias("EVENT_DATE"),
        utc_ntz("RECEIVED_AT"),
        "PAYLOAD",
        utc_ntz("INGESTED_AT"),
    )
    first = Window.partitionBy("AGGREGATE_ID", "AGGREGATE_VERSION").orderBy(
        "INGESTED_AT", "INGESTION_ID"
    )
    # Partitioned by aggregate alone, so per-aggregate work downstream needs no second shuffle.
    ranked = frame.repartition("AGGREGATE_ID").withColumn("_RANK", F.row_number().over(first))
    return ranked.filter(F.col("_RANK") == 1).drop("_RANK")


def parse_payload(events: DataFrame, schema: StructType) -> DataFrame:
    """Replace PAYLOAD by a struct column P; a payload that is not a JSON object gives NULLs."""
    return events.withColumn("P", F.from_json("PAYLOAD", schema)).drop("PAYLOAD")
