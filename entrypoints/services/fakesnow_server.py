"""Local services: runs fakesnow's HTTP server with one on-disk instance shared by all sessions.

`fakesnow -s` keeps data in memory, or, when a login sends FAKESNOW_DB_PATH, opens a new DuckDB
instance per session, and a second session on the same files fails ("file handle conflict").
One shared instance on a directory gives both: data on disk and any number of sessions.
Usage: python -m entrypoints.services.fakesnow_server HOST PORT DB_PATH
"""

import importlib
import sys
from typing import Any

import uvicorn
from fakesnow.instance import FakeSnow


def main(host: str, port: int, db_path: str) -> None:
    # `fakesnow.server` is also a function in fakesnow's package namespace: ask for the module.
    server: Any = importlib.import_module("fakesnow.server")
    server.shared_fs = FakeSnow(db_path=db_path)
    uvicorn.run(server.app, host=host, port=port, log_level="info")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3])
