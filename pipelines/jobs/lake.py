"""The lake: Parquet per table and day under the lake URI, each day replaced as a whole.

Layout: `<root>/<layer>/<table>/day=YYYY-MM-DD/` (layer bronze/silver/gold), markers under
`<root>/_markers/`, work in progress under `<root>/_staging/` (ignored by Spark readers).

Spark's driver and executors reach it by URI (`file:///...`), so a cluster whose hosts share a
mount at the same path works as one machine does. The driver's own files (the Arrow extract,
markers, the day swap) are POSIX operations, so the lake is a `file://` URI (docs/batch.md)."""

import shutil
import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pyarrow as pa
import pyarrow.parquet as pq
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql.types import StructType

from pipelines.jobs.local_frames import local_frame

# Row groups are the unit Spark splits a Parquet file by: one group per file makes the whole scan
# (and the shuffle write after it) a single task. 128k rows gives every core a share of a day.
ROW_GROUP_ROWS = 128 * 1024

# Columns written without a dictionary: near-unique per row (ids, timestamps) or with more values
# than a 1 MB dictionary page holds, so Parquet builds a dictionary per file only to drop it.
# For CLICKS_CLEAN that was ~30% of its write CPU (1M rows: 5.9 -> 4.2 s, files 2% larger).
PLAIN_COLUMNS = {
    "SILVER.CLICKS_CLEAN": (
        "EVENT_ID", "EVENT_TIME", "RECEIVED_AT", "INGESTED_AT", "SESSION_ID", "USER_ID",
    ),
}  # fmt: skip


@dataclass(frozen=True)
class Lake:
    root: Path

    @classmethod
    def from_uri(cls, uri: str) -> "Lake":
        """`file:///srv/lake` (or a plain absolute path); other schemes are refused by name."""
        parts = urlsplit(uri)
        if parts.scheme in ("", "file") and not parts.netloc:
            return cls(Path(unquote(parts.path)))
        raise ValueError(
            f"FLOWGUARD_LAKE_URI={uri}: the lake must be a file:// URI on a file system the "
            "driver and every executor mount at the same path (NFS, EFS, ...); the driver's "
            "markers and day swaps do not run on s3a:// or gs:// yet (docs/batch.md, 'The lake')"
        )

    @property
    def uri(self) -> str:
        return self.spark_path(self.root)

    @staticmethod
    def spark_path(path: Path) -> str:
        """What Spark reads or writes: a file:// URI, whatever the cluster's default file system.
        Not percent-encoded (as Path.as_uri would): Hadoop takes `day%3D...` literally."""
        return f"file://{path.absolute()}"

    def table_dir(self, table: str) -> Path:
        """`SILVER.ORDERS_CLEAN` -> <root>/silver/orders_clean."""
        layer, name = table.lower().split(".")
        return self.root / layer / name

    def day_dir(self, table: str, day: date) -> Path:
        return self.table_dir(table) / f"day={day.isoformat()}"

    def marker(self, task: str, day: date) -> Path:
        return self.root / "_markers" / day.isoformat() / f"{task}.json"

    def markers(self, day: date) -> Path:
        return self.root / "_markers" / day.isoformat()

    def write_arrow(self, table: str, day: date, rows: pa.Table) -> None:
        staging = self._staging()
        staging.mkdir(parents=True)
        pq.write_table(rows, staging / "part-0.parquet", row_group_size=ROW_GROUP_ROWS)
        self._swap(staging, self.day_dir(table, day))

    def write_frame(self, table: str, day: date, frame: DataFrame) -> int:
        """Write one day's frame (one file per partition) and return its row count."""
        staging = self._staging()
        # No coalesce(1): it would run the frame's whole last stage (parsing, joins) in one task.
        writer = frame.write.mode("overwrite")
        for column in PLAIN_COLUMNS.get(table, ()):
            writer = writer.option(f"parquet.enable.dictionary#{column}", "false")
        writer.parquet(self.spark_path(staging))
        self._swap(staging, self.day_dir(table, day))
        return self.count(table, day)

    def count(self, table: str, day: date) -> int:
        """Rows stored for the day, from the Parquet footers (no Spark job)."""
        files = self.day_dir(table, day).glob("*.parquet")
        return sum(pq.ParquetFile(path).metadata.num_rows for path in files)

    def read_rows(self, table: str, day: date) -> list[dict[str, Any]]:
        """The day's rows as Python values (Decimal, date, datetime), read with pyarrow."""
        rows: list[dict[str, Any]] = pq.read_table(self.day_dir(table, day)).to_pylist()
        return rows

    def read_day(self, spark: SparkSession, table: str, day: date, schema: StructType) -> DataFrame:
        return spark.read.schema(schema).parquet(self.spark_path(self.day_dir(table, day)))

    def read_days_before(
        self, spark: SparkSession, table: str, day: date, schema: StructType
    ) -> DataFrame:
        """Every stored day of `table` before `day` (empty when there is none)."""
        paths = sorted(
            self.spark_path(path)
            for path in self.table_dir(table).glob("day=*")
            if date.fromisoformat(path.name.removeprefix("day=")) < day
        )
        if not paths:
            return local_frame(spark, [], schema)
        return spark.read.schema(schema).parquet(*paths)

    def _staging(self) -> Path:
        return self.root / "_staging" / uuid.uuid4().hex

    @staticmethod
    def _swap(staging: Path, final: Path) -> None:
        # Not atomic as a whole (a directory cannot replace a non-empty one): the task's marker
        # is invalidated before and written after, so a crash in between leaves it incomplete.
        final.parent.mkdir(parents=True, exist_ok=True)
        if final.exists():
            trash = staging.with_name(staging.name + ".old")
            final.rename(trash)
            shutil.rmtree(trash)
        staging.rename(final)
