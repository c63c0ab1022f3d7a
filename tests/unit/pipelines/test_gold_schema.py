"""The warehouse DDL and the transforms' schema contracts describe the same tables."""

from adapters.snowflake.gold_schema import TABLE_COLUMNS
from pipelines.jobs.restatements import RESTATEMENT_COLUMNS
from pipelines.tasks.runlog import RUN_COLUMNS
from pipelines.transforms.schemas import GOLD_TABLES, SILVER_TABLES

SQL_TYPES = {
    "StringType()": "VARCHAR",
    "DateType()": "DATE",
    "TimestampNTZType()": "TIMESTAMP_NTZ",
    "BooleanType()": "BOOLEAN",
    "LongType()": "NUMBER(38,0)",
    "IntegerType()": "INTEGER",
    "DoubleType()": "FLOAT",
    "DecimalType(18,2)": "NUMBER(18,2)",
}


def test_every_silver_and_gold_table_has_ddl_with_the_transform_columns_and_types() -> None:
    for spec in (*SILVER_TABLES, *GOLD_TABLES):
        expected = tuple((f.name, SQL_TYPES[repr(f.dataType)]) for f in spec.schema.fields)
        assert TABLE_COLUMNS[spec.name] == expected, spec.name


def test_the_run_log_and_restatement_columns_match_their_ddl() -> None:
    assert tuple(name for name, _ in TABLE_COLUMNS["GOLD.PIPELINE_RUNS"]) == RUN_COLUMNS
    assert tuple(name for name, _ in TABLE_COLUMNS["GOLD.RESTATEMENTS"]) == RESTATEMENT_COLUMNS
