"""The driver JVM trains its ahead-of-time cache on a first run and starts from it afterwards
(JDK 25+, which infra/system-deps.sh provides)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from adapters.spark.aot import MIN_FEATURE, feature_version, java_release
from adapters.spark.session import JVM_OPTIONS

ROOT = Path(__file__).resolve().parents[2]
RUN = """
import json, sys
from pathlib import Path
from adapters.spark.session import JVM_OPTIONS, SparkConfig, build_session
config = SparkConfig("local[1]", 1, "aot-test", java_home=Path(sys.argv[1]),
                     aot_cache_dir=Path(sys.argv[2]))
spark = build_session(config)
total = spark.range(100_000).selectExpr("sum(id)").first()[0]
jvm = spark._jvm
arguments = jvm.java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()
print(json.dumps({
    "total": total,
    "aot": [a for a in arguments if a.startswith(("-XX:AOT", "-Xlog:aot"))],
    "tuning": [a for a in arguments if a in JVM_OPTIONS.split()],
    "call_sites": spark.conf.get("spark.python.sql.dataFrameDebugging.enabled"),
    "vm_info": jvm.java.lang.System.getProperty("java.vm.info"),
}))
"""


def _modern_jdk() -> Path:
    for home in sorted(Path("/usr/lib/jvm").glob("*")):
        release = java_release(home)
        if release and feature_version(release) >= MIN_FEATURE:
            return home
    raise AssertionError(f"no JDK {MIN_FEATURE}+ in /usr/lib/jvm: run infra/system-deps.sh")


@pytest.fixture(scope="module")
def jdk() -> Path:
    return _modern_jdk()


def _run(jdk: Path, cache_dir: Path) -> tuple[dict, str]:
    # A process of its own: the JVM writes the cache when it exits.
    done = subprocess.run(
        [sys.executable, "-c", RUN, str(jdk), str(cache_dir)],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    # The JVM also prints to stdout as it assembles the cache.
    [report] = [line for line in done.stdout.splitlines() if line.startswith('{"total"')]
    return json.loads(report), done.stdout + done.stderr


def test_the_first_run_trains_the_cache_and_the_next_starts_from_it(
    jdk: Path, tmp_path: Path
) -> None:
    first, output = _run(jdk, tmp_path)
    assert first["total"] == 4_999_950_000
    # The driver JVM runs with the pipeline's tuning, every option as written.
    assert first["tuning"] == JVM_OPTIONS.split()
    assert first["call_sites"] == "false"
    # Recording's warnings about skipped classes go to a log file, not to the user's screen.
    assert "[warning][aot]" not in output
    [training] = [a for a in first["aot"] if a.startswith("-XX:AOTCacheOutput=")]
    cache = Path(training.split("=", 1)[1])
    assert cache.is_file()
    assert cache.stat().st_size > 0

    second, output = _run(jdk, tmp_path)
    assert second["total"] == 4_999_950_000
    assert second["aot"] == [f"-XX:AOTCache={cache}"]
    # A cache the JVM cannot map is dropped with "[aot]" errors, and the JVM runs unshared.
    assert "[error  ][aot]" not in output
    assert "[warning][aot]" not in output
    assert "sharing" in second["vm_info"]
