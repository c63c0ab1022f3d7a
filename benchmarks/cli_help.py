"""`flowguard --help` start-up time (target: 0.5 s or less), against `python -c pass` measured in
the same run (the interpreter's own start-up, the floor no CLI can beat).

Usage: python -m benchmarks.cli_help [--quick]
Each command runs as a whole new process, as a person's shell runs it; figures are medians.
"""

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks._verdict import judge

TARGET_S = 0.5
FLOWGUARD = Path(sys.executable).with_name("flowguard")
COMMANDS = {
    "python -c pass (baseline)": [sys.executable, "-c", "pass"],
    "flowguard --help": [str(FLOWGUARD), "--help"],
    "flowguard batch --help": [str(FLOWGUARD), "batch", "--help"],
    "flowguard --version": [str(FLOWGUARD), "--version"],
}


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="5 runs instead of 15")
    runs = 5 if parser.parse_args(sys.argv[1:]).quick else 15
    for command in COMMANDS.values():
        timed(command)  # warm the file cache, as a second invocation would find it
    medians = {
        name: statistics.median(timed(c) for _ in range(runs)) for name, c in COMMANDS.items()
    }
    baseline = medians["python -c pass (baseline)"]
    for name, seconds in medians.items():
        print(f"{name:28} median {seconds * 1000:6.0f} ms  ({seconds / baseline:4.1f}x baseline)")
    judge("flowguard --help", medians["flowguard --help"], TARGET_S, decimals=3)


if __name__ == "__main__":
    main()
