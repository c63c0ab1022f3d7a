"""Ahead-of-time cache for the Spark driver JVM (JDK 25+, JEPs 483 and 515).

The first process on a given JDK, jar set and JVM options records its run and writes the cache
when its JVM exits; later processes start from it, with Spark's classes loaded and linked and
their method profiles known. On 2 cores the session came up in 4.2-5.1 s instead of 6.3-7.4 s
(JDK 17) and a 1M-click first day took 46-49 s instead of 54-57 s (docs/batch.md, session 8
round). Older JDKs get no option, so nothing changes for them.
"""

import hashlib
import os
import re
import shutil
import time
from pathlib import Path

MIN_FEATURE = 25
# A claim older than this belongs to a trainer that died before writing the cache.
STALE_CLAIM_SECONDS = 6 * 3600


def resolve_java_home(configured: Path | None) -> Path | None:
    """The JDK Spark will launch: the setting, else JAVA_HOME, else the `java` on PATH."""
    if configured is not None:
        return configured
    if os.environ.get("JAVA_HOME"):
        return Path(os.environ["JAVA_HOME"])
    java = shutil.which("java")
    return Path(java).resolve().parent.parent if java else None


def java_release(java_home: Path) -> str | None:
    """JAVA_VERSION from the JDK's `release` file, e.g. "25.0.3"."""
    try:
        text = (java_home / "release").read_text()
    except OSError:
        return None
    found = re.search(r'^JAVA_VERSION="([^"]+)"', text, re.MULTILINE)
    return found.group(1) if found else None


def feature_version(release: str) -> int:
    """25 for "25.0.3", 26 for "26-ea"; 1 for the old "1.8.0_402" scheme."""
    return int(re.split(r"[.\-+_]", release)[0])


def cache_option(cache_dir: Path, java_home: Path | None, jvm_options: str, jars: Path) -> str:
    """The JVM option that uses the cache, or trains it, or "" (old JDK, or another process is
    training it now). The cache's name digests what it is only valid for (JDK, options, jar
    folder and jars), so an upgrade trains a new cache instead of the JVM refusing the old one."""
    release = java_release(java_home) if java_home else None
    if release is None or feature_version(release) < MIN_FEATURE:
        return ""
    key = "\n".join([release, jvm_options, str(jars), *sorted(p.name for p in jars.glob("*.jar"))])
    cache = cache_dir / f"spark-{hashlib.sha256(key.encode()).hexdigest()[:16]}.aot"
    if cache.exists():
        return f"-XX:AOTCache={cache}"
    cache_dir.mkdir(parents=True, exist_ok=True)
    # Two trainers would write the same file when their JVMs exit: one claims it, the others
    # run without a cache until it exists.
    if not _claim(cache.with_suffix(".training")):
        return ""
    # Recording warns of every class it skips (signed jars, ...): to a file, not the user's screen.
    quiet = f"-Xlog:aot*=off -Xlog:aot*=warning:file={cache.with_suffix('.log')}"
    return f"-XX:AOTCacheOutput={cache} {quiet}"


def _claim(claim: Path) -> bool:
    try:
        os.close(os.open(claim, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        return True
    except FileExistsError:
        if time.time() - claim.stat().st_mtime < STALE_CLAIM_SECONDS:
            return False
        claim.unlink(missing_ok=True)
        return _claim(claim)
