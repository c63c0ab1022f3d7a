"""Which ahead-of-time cache option the driver JVM gets: use, train, or none."""

import os
import time
from pathlib import Path

import pytest

from adapters.spark.aot import STALE_CLAIM_SECONDS, cache_option, java_release, resolve_java_home

OPTIONS = "-XX:+UseParallelGC"


def jdk(root: Path, version: str) -> Path:
    home = root / f"jdk-{version}"
    home.mkdir()
    (home / "release").write_text(f'IMPLEMENTOR="Test"\nJAVA_VERSION="{version}"\n')
    return home


@pytest.fixture
def jars(tmp_path: Path) -> Path:
    folder = tmp_path / "jars"
    folder.mkdir()
    for name in ("spark-core.jar", "spark-sql.jar"):
        (folder / name).touch()
    return folder


def _cache_of(option: str) -> Path:
    return Path(option.split(maxsplit=1)[0].split("=", 1)[1])


def test_the_release_file_gives_the_version(tmp_path: Path) -> None:
    assert java_release(jdk(tmp_path, "25.0.3")) == "25.0.3"
    assert java_release(tmp_path / "missing") is None


def test_an_older_jdk_gets_no_option(tmp_path: Path, jars: Path) -> None:
    for version in ("17.0.15", "21.0.2", "1.8.0_402"):
        assert cache_option(tmp_path / "cache", jdk(tmp_path, version), OPTIONS, jars) == ""
    assert cache_option(tmp_path / "cache", None, OPTIONS, jars) == ""


def test_the_first_process_trains_and_the_next_one_waits(tmp_path: Path, jars: Path) -> None:
    home, cache_dir = jdk(tmp_path, "25.0.3"), tmp_path / "cache"
    first = cache_option(cache_dir, home, OPTIONS, jars)
    assert first.startswith("-XX:AOTCacheOutput=")
    assert _cache_of(first).parent == cache_dir
    # Two JVMs writing one file when they exit would spoil it.
    assert cache_option(cache_dir, home, OPTIONS, jars) == ""


def test_once_written_every_process_uses_the_cache(tmp_path: Path, jars: Path) -> None:
    home, cache_dir = jdk(tmp_path, "25.0.3"), tmp_path / "cache"
    cache = _cache_of(cache_option(cache_dir, home, OPTIONS, jars))
    cache.write_bytes(b"written by the JVM at exit")
    assert cache_option(cache_dir, home, OPTIONS, jars) == f"-XX:AOTCache={cache}"


def test_a_dead_trainers_claim_expires(tmp_path: Path, jars: Path) -> None:
    home, cache_dir = jdk(tmp_path, "25.0.3"), tmp_path / "cache"
    cache = _cache_of(cache_option(cache_dir, home, OPTIONS, jars))
    long_ago = time.time() - STALE_CLAIM_SECONDS - 60
    os.utime(cache.with_suffix(".training"), (long_ago, long_ago))
    assert cache_option(cache_dir, home, OPTIONS, jars).startswith(f"-XX:AOTCacheOutput={cache} ")


def test_a_new_jdk_jar_set_or_option_set_gets_its_own_cache(tmp_path: Path, jars: Path) -> None:
    cache_dir = tmp_path / "cache"
    names = {cache_option(cache_dir, jdk(tmp_path, "25.0.3"), OPTIONS, jars)}
    names.add(cache_option(cache_dir, jdk(tmp_path, "25.0.4"), OPTIONS, jars))
    names.add(cache_option(cache_dir, jdk(tmp_path, "26"), OPTIONS, jars))
    names.add(cache_option(cache_dir, tmp_path / "jdk-25.0.3", "-XX:+UseG1GC", jars))
    (jars / "spark-core.jar").rename(jars / "spark-core-4.4.jar")
    names.add(cache_option(cache_dir, tmp_path / "jdk-25.0.3", OPTIONS, jars))
    assert len(names) == 5
    assert all(n.startswith("-XX:AOTCacheOutput=") for n in names)


def test_the_java_home_is_the_setting_then_java_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JAVA_HOME", str(tmp_path / "from-env"))
    assert resolve_java_home(tmp_path / "set") == tmp_path / "set"
    assert resolve_java_home(None) == tmp_path / "from-env"
