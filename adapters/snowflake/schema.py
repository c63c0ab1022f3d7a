"""BRONZE DDL (docs/contracts.md): the same statements run on Snowflake and on fakesnow."""

from collections.abc import Iterable

RAW_COLUMNS = """(
    INGESTION_ID VARCHAR(36) NOT NULL,
    EVENT_TYPE VARCHAR(64) NOT NULL,
    AGGREGATE_ID VARCHAR(36) NOT NULL,
    AGGREGATE_VERSION NUMBER(38,0) NOT NULL,
    EVENT_TIME TIMESTAMP_NTZ NOT NULL,
    EVENT_DATE DATE NOT NULL,
    RECEIVED_AT TIMESTAMP_NTZ NOT NULL,
    SCHEMA_VERSION NUMBER(38,0) NOT NULL,
    PAYLOAD VARCHAR NOT NULL,
    SOURCE_TOPIC VARCHAR(255),
    SOURCE_PARTITION NUMBER(38,0),
    SOURCE_OFFSET NUMBER(38,0),
    INGESTED_AT TIMESTAMP_NTZ NOT NULL,
    CLIENT_EVENT_ID VARCHAR(36)
)"""

RAW_COLUMN_NAMES = (
    "INGESTION_ID",
    "EVENT_TYPE",
    "AGGREGATE_ID",
    "AGGREGATE_VERSION",
    "EVENT_TIME",
    "EVENT_DATE",
    "RECEIVED_AT",
    "SCHEMA_VERSION",
    "PAYLOAD",
    "SOURCE_TOPIC",
    "SOURCE_PARTITION",
    "SOURCE_OFFSET",
    "INGESTED_AT",
    "CLIENT_EVENT_ID",
)

FAILED_COLUMNS = """(
    FAILED_ID VARCHAR(300) NOT NULL,
    RAW_VALUE VARCHAR,
    RAW_KEY VARCHAR,
    ERROR VARCHAR NOT NULL,
    SOURCE_TOPIC VARCHAR(255),
    SOURCE_PARTITION NUMBER(38,0),
    SOURCE_OFFSET NUMBER(38,0),
    FAILED_AT TIMESTAMP_NTZ NOT NULL
)"""

FAILED_COLUMN_NAMES = (
    "FAILED_ID",
    "RAW_VALUE",
    "RAW_KEY",
    "ERROR",
    "SOURCE_TOPIC",
    "SOURCE_PARTITION",
    "SOURCE_OFFSET",
    "FAILED_AT",
)

BRONZE_DDL = (
    "CREATE SCHEMA IF NOT EXISTS BRONZE",
    f"CREATE TABLE IF NOT EXISTS BRONZE.ORDERS_RAW {RAW_COLUMNS}",
    f"CREATE TABLE IF NOT EXISTS BRONZE.CLICKS_RAW {RAW_COLUMNS}",
    f"CREATE TABLE IF NOT EXISTS BRONZE.FAILED_EVENTS {FAILED_COLUMNS}",
)


def run_ddl(connection: object, statements: Iterable[str]) -> None:
    """Run idempotent DDL statements in order on one cursor."""
    cursor = connection.cursor()  # type: ignore[attr-defined]
    try:
        for statement in statements:
            cursor.execute(statement)
    finally:
        cursor.close()


def init_bronze(connection: object) -> None:
    """Create the BRONZE schema and tables; safe to run any number of times."""
    run_ddl(connection, BRONZE_DDL)
