"""A timed figure against its target: printed, and the benchmark fails when it is over."""

import sys


def judge(what: str, seconds: float, target: float, decimals: int = 1) -> None:
    verdict = "ok" if seconds <= target else "OVER"
    print(f"{what}: {seconds:.{decimals}f} s against the {target:g} s target: {verdict}")
    if seconds > target:
        sys.exit(1)
