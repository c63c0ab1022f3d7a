"""`flowguard demo` at its default size, as `make demo` runs it (target: 60 s or less after the
install), on a fresh data directory and the embedded defaults.

The baseline, measured in the same run, is the demo's own traffic step: the time its simulated
shoppers take to send three days through HTTP, which no build or streaming work can shorten. The
ratio says how much streaming, building and reporting add after it.

Usage: python -m benchmarks.demo [--quick]   (--quick: one day of 500 shoppers, no verdict)
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks._verdict import judge

TARGET_S = 60.0
ROOT = Path(__file__).resolve().parent.parent
# The demo's adapters are the embedded ones whatever services this shell points at.
SERVICE_PREFIXES = ("FLOWGUARD_", "KAFKA_", "SNOWFLAKE_", "LUIGI_", "SPARK_", "FAKESNOW_")


def demo_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(SERVICE_PREFIXES)}
    return env | {"FLOWGUARD_DATA_DIR": str(data_dir)}


def step_seconds(report: Path) -> dict[str, int]:
    """The demo's own timings, from its report ("simulate 30s, stream 0s, pipeline 18s")."""
    found = re.search(r'"timings": "([^"]*)"', report.read_text())
    pairs = re.findall(r"(\w+) (\d+)s", found.group(1)) if found else []
    return {step: int(seconds) for step, seconds in pairs}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="one day of 500 shoppers")
    quick = parser.parse_args(sys.argv[1:]).quick
    size = ["--days", "1", "--users", "500"] if quick else []
    with tempfile.TemporaryDirectory(prefix="flowguard-demo-bench-") as scratch:
        data_dir = Path(scratch) / "data"
        command = [sys.executable, "-m", "entrypoints.cli", "demo", *size]
        started = time.perf_counter()
        env = demo_env(data_dir)
        done = subprocess.run(command, check=False, cwd=ROOT, env=env, capture_output=True)
        wall = time.perf_counter() - started
        if done.returncode != 0:
            sys.stdout.write(done.stdout.decode()[-3000:] + done.stderr.decode()[-3000:])
            sys.exit(f"the demo failed (exit {done.returncode})")
        steps = step_seconds(data_dir / "demo-report.html")
    traffic = steps.get("simulate", 0)
    print(f"flowguard demo {' '.join(size) or '(3 days, 2,000 shoppers)'}: {wall:.1f} s wall")
    print("  steps: " + ", ".join(f"{step} {seconds} s" for step, seconds in steps.items()))
    if traffic:
        print(f"  baseline, its traffic alone: {traffic} s; the demo is {wall / traffic:.2f}x")
    if quick:
        return
    judge("make demo", wall, TARGET_S)


if __name__ == "__main__":
    main()
