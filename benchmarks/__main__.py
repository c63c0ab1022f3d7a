"""`python -m benchmarks [--quick] [name ...]` (what `make bench` runs): every benchmark in turn.

A benchmark is any module `benchmarks/<name>.py` not starting with "_" that defines `main()`.
`main()` reads its options from `sys.argv`; the runner hands it `[name]`, plus `--quick` when
the runner was given `--quick`. One failing benchmark does not stop the others; the exit status
says whether any failed.
"""

import argparse
import importlib
import pkgutil
import sys
import time
import traceback
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def discover() -> list[str]:
    return sorted(
        module.name
        for module in pkgutil.iter_modules([str(PACKAGE_DIR)])
        if not module.name.startswith("_")
    )


def run(name: str, quick: bool) -> bool:
    module = importlib.import_module(f"benchmarks.{name}")
    if not callable(getattr(module, "main", None)):
        print(f"== {name}: no main(), skipped")
        return True
    print(f"\n== benchmark {name}{' (quick)' if quick else ''}", flush=True)
    saved, sys.argv = sys.argv, [name, *(["--quick"] if quick else [])]
    started = time.perf_counter()
    try:
        module.main()
        ok = True
    except SystemExit as exit_:
        ok = exit_.code in (None, 0)
    # A broken benchmark is reported, and the others still run.
    except Exception:
        traceback.print_exc()
        ok = False
    finally:
        sys.argv = saved
    print(f"== {name}: {'ok' if ok else 'FAILED'} in {time.perf_counter() - started:.1f} s")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small runs, for a smoke check")
    parser.add_argument("names", nargs="*", help=f"default: all of {', '.join(discover())}")
    args = parser.parse_args()
    names = args.names or discover()
    unknown = set(names) - set(discover())
    if unknown:
        parser.error(f"unknown benchmarks: {', '.join(sorted(unknown))}")
    failed = [name for name in names if not run(name, args.quick)]
    if failed:
        print(f"\nfailed benchmarks: {', '.join(failed)}")
        sys.exit(1)


if __name__ == "__main__":
    main()
