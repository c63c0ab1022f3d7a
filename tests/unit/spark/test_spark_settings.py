"""Spark settings from the environment reach the one SparkConfig, and bad values are refused."""

from pathlib import Path

import pytest
from pydantic import ValidationError

from adapters.spark.session import SparkConfig
from entrypoints.bootstrap import Container
from entrypoints.settings import Settings


def test_settings_reach_the_spark_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLOWGUARD_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SPARK_JAVA_HOME", str(tmp_path / "jdk-25"))
    monkeypatch.setenv("SPARK_DRIVER_MEMORY", "6g")
    config = Container().spark_config()
    assert config.java_home == tmp_path / "jdk-25"
    assert config.driver_memory == "6g"
    assert config.aot_cache_dir == tmp_path / "data" / "jvm"
    assert not config.python_call_sites
    monkeypatch.setenv("SPARK_PYTHON_CALL_SITES", "true")
    assert Container().spark_config().python_call_sites
    monkeypatch.setenv("SPARK_AOT_CACHE", "false")
    assert Container().spark_config().aot_cache_dir is None


@pytest.mark.parametrize("size", ["3 GB", "0g", "-1g", "3gb", ""])
def test_a_driver_memory_that_is_not_a_jvm_size_is_refused_by_name(
    size: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SPARK_DRIVER_MEMORY", size)
    with pytest.raises(ValidationError, match="SPARK_DRIVER_MEMORY"):
        Settings()


def test_the_settings_default_to_what_the_benchmark_measures() -> None:
    assert Settings.model_fields["spark_driver_memory"].default == SparkConfig.driver_memory
    assert Settings.model_fields["spark_python_call_sites"].default == SparkConfig.python_call_sites
