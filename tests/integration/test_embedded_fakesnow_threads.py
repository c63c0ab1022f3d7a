"""The embedded warehouse serves threads that connect at the same moment (as `flowguard up`'s API,
relay and consumer do at startup)."""

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from adapters.snowflake.connection import EmbeddedFakesnow

THREADS = 8


@pytest.mark.parametrize("attempt", range(5))
def test_threads_connecting_at_once_to_a_new_warehouse_all_connect(
    attempt: int, tmp_path: Path
) -> None:
    warehouse = EmbeddedFakesnow(tmp_path / f"fakesnow-{attempt}")
    start = threading.Barrier(THREADS)

    def connect_and_read() -> int:
        start.wait()
        connection = warehouse.connect(schema="GOLD")
        try:
            [(one,)] = connection.cursor().execute("SELECT 1").fetchall()
            return int(one)
        finally:
            connection.close()

    with ThreadPoolExecutor(THREADS) as pool:
        results = [pool.submit(connect_and_read) for _ in range(THREADS)]
        assert [r.result(timeout=60) for r in results] == [1] * THREADS
