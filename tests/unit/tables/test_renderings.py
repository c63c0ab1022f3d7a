"""Every rendering of the table declaration (application/tables) says the same thing: the
Snowflake, PostgreSQL and SQLite DDL, the Spark schemas, the Arrow schemas, BronzeRow, and the
column lists the batch code fills."""

import re

import pytest
from snowflake.sqlalchemy import snowdialect
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.schema import CreateTable

from adapters.snowflake.schema import METADATA, arrow_schema, table
from adapters.sql.failed_event_store import TABLE as GATEWAY_TABLE
from application import tables
from application.ports import BronzeRow
from application.tables import ALL_TABLES, WAREHOUSE_TABLES, Column, Table
from application.tables.declaration import MONEY
from pipelines.jobs.restatements import RESTATEMENT_COLUMNS
from pipelines.tasks.runlog import RUN_COLUMNS
from pipelines.transforms import schemas

SNOWFLAKE_TYPES = {
    "VARCHAR": "VARCHAR", "BIGINT": "BIGINT", "INT": "INTEGER", "DOUBLE": "DOUBLE",
    "BOOLEAN": "BOOLEAN", "DATE": "DATE", "TIMESTAMP_NTZ": "TIMESTAMP_NTZ",
    "DECIMAL": "NUMERIC",
}  # fmt: skip
SPARK_TYPES = {
    "VARCHAR": "StringType()", "BIGINT": "LongType()", "INT": "IntegerType()",
    "DOUBLE": "DoubleType()", "BOOLEAN": "BooleanType()", "DATE": "DateType()",
    "TIMESTAMP_NTZ": "TimestampNTZType()", "DECIMAL(18,2)": "DecimalType(18,2)",
}  # fmt: skip


def _ddl_columns(ddl: str) -> list[tuple[str, str]]:
    return re.findall(r'^\s+"(\w+)" ([A-Z_]+)', ddl, flags=re.MULTILINE)


@pytest.mark.parametrize("declared", WAREHOUSE_TABLES, ids=lambda t: t.qualified_name)
def test_the_snowflake_ddl_has_every_declared_column_in_order_with_its_type(declared: Table):
    ddl = str(CreateTable(table(declared)).compile(dialect=snowdialect.dialect()))
    expected = [(c.name, SNOWFLAKE_TYPES[c.type.kind.value]) for c in declared.columns]
    assert _ddl_columns(ddl) == expected
    not_null = {c.name for c in declared.columns if not c.nullable}
    assert set(re.findall(r'"(\w+)" [^,\n]* NOT NULL', ddl)) == not_null


def test_the_warehouse_tables_carry_no_constraints_snowflake_would_not_enforce() -> None:
    assert all(not t.constraints - {t.primary_key} for t in METADATA.tables.values())
    assert all(not t.primary_key.columns for t in METADATA.tables.values())


@pytest.mark.parametrize(
    "dialect", [postgresql.dialect(), sqlite.dialect()], ids=["postgresql", "sqlite"]
)
def test_the_gateway_table_renders_with_its_unique_key_on_both_databases(dialect: object):
    ddl = str(CreateTable(GATEWAY_TABLE).compile(dialect=dialect))  # type: ignore[arg-type]
    assert "UNIQUE (failed_id)" in ddl
    assert re.findall(r"^\t(\w+) ", ddl, flags=re.MULTILINE)[:6] == list(
        tables.GATEWAY_FAILED_EVENTS.column_names
    )


def test_the_gateway_table_stores_payloads_as_text_on_postgresql_not_jsonb() -> None:
    ddl = str(CreateTable(GATEWAY_TABLE).compile(dialect=postgresql.dialect()))
    assert "payload VARCHAR NOT NULL" in ddl
    assert "JSON" not in ddl.upper()


def test_every_transform_output_is_its_declaration_rendered_for_spark() -> None:
    by_name = {t.qualified_name: t for t in ALL_TABLES}
    for spec in (*schemas.SILVER_TABLES, *schemas.GOLD_TABLES):
        declared = by_name[spec.name]
        rendered = [(f.name, repr(f.dataType)) for f in spec.schema.fields]
        assert rendered == [(c.name, SPARK_TYPES[str(c.type)]) for c in declared.columns]
        assert spec.day_column == declared.day_column
        assert spec.key == tuple(c for c in declared.key if c != declared.day_column)


def test_a_column_added_to_a_declaration_reaches_spark_and_the_ddl() -> None:
    grown = tables.DAILY_GMV_METRICS.with_columns(Column("NEW_FIGURE", MONEY, "x"))
    assert schemas.struct_type(grown).fieldNames()[-1] == "NEW_FIGURE"
    assert arrow_schema(grown).names[-1] == "NEW_FIGURE"


def test_bronze_rows_have_the_raw_tables_columns_in_order() -> None:
    assert tables.ORDERS_RAW.columns == tables.CLICKS_RAW.columns
    assert tuple(f.upper() for f in BronzeRow._fields) == tables.ORDERS_RAW.column_names
    assert arrow_schema(tables.ORDERS_RAW).names == list(tables.ORDERS_RAW.column_names)


def test_the_client_event_id_is_the_last_raw_column_nullable_and_never_the_key() -> None:
    for raw in (tables.ORDERS_RAW, tables.CLICKS_RAW):
        last = raw.columns[-1]
        assert (last.name, last.nullable) == ("CLIENT_EVENT_ID", True)
        assert raw.key == ("INGESTION_ID",)


def test_the_batch_code_fills_the_run_log_and_restatement_columns_as_declared() -> None:
    assert tables.PIPELINE_RUNS.column_names == RUN_COLUMNS
    assert tables.RESTATEMENTS.column_names == RESTATEMENT_COLUMNS


def test_a_declaration_refuses_a_key_or_day_column_it_does_not_have() -> None:
    with pytest.raises(ValueError, match="NOPE"):
        Table("GOLD", "T", "t", (Column("A", MONEY, "a"),), key=("NOPE",))
