"""Spark settings from the environment reach the one SparkConfig, and bad values are refused."""

import sys
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


def test_a_cluster_master_gets_the_cluster_options_and_local_mode_none(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SPARK_MASTER", "spark://10.1.2.3:7077")
    monkeypatch.setenv("SPARK_DRIVER_HOST", "10.1.2.4")
    monkeypatch.setenv("SPARK_EXECUTOR_MEMORY", "2g")
    monkeypatch.setenv("SPARK_CORES_MAX", "4")
    options = Container().spark_config().cluster_options()
    assert options["spark.driver.host"] == "10.1.2.4"
    assert options["spark.executor.memory"] == "2g"
    assert options["spark.cores.max"] == "4"
    assert options["spark.pyspark.python"] == sys.executable  # the venv's, on every executor
    assert SparkConfig("local[2]", driver_host="10.1.2.4").cluster_options() == {}
