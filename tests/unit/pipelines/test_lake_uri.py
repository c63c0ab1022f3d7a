"""The lake is addressed by a URI: file:// (or a plain path); other schemes are refused by name."""

from datetime import date
from pathlib import Path

import pytest

from entrypoints.settings import Settings
from pipelines.jobs.lake import Lake


def test_a_file_uri_and_a_plain_path_address_the_same_lake(tmp_path: Path) -> None:
    assert Lake.from_uri(f"file://{tmp_path}/lake").root == tmp_path / "lake"
    assert Lake.from_uri(str(tmp_path / "lake")).root == tmp_path / "lake"


def test_spark_reads_unencoded_file_uris_of_the_day_directories(tmp_path: Path) -> None:
    lake = Lake(tmp_path)
    day_dir = lake.day_dir("SILVER.ORDERS_CLEAN", date(2026, 11, 20))
    assert lake.spark_path(day_dir) == f"file://{tmp_path}/silver/orders_clean/day=2026-11-20"


def test_the_default_lake_is_under_the_data_dir(tmp_path: Path) -> None:
    settings = Settings(FLOWGUARD_DATA_DIR=tmp_path / "data")
    assert Lake.from_uri(settings.lake_uri).root == tmp_path / "data" / "lake"
    assert Settings(FLOWGUARD_LAKE_URI="file:///srv/lake").lake_uri == "file:///srv/lake"


@pytest.mark.parametrize("uri", ["s3a://bucket/lake", "gs://bucket/lake", "file://host/lake"])
def test_a_lake_the_driver_cannot_open_as_files_is_refused_by_name(uri: str) -> None:
    with pytest.raises(ValueError, match=r"FLOWGUARD_LAKE_URI=.*file://"):
        Lake.from_uri(uri)
