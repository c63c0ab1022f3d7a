"""The embedded default path in one process, as `flowguard stream` runs it: SQLite store ->
relay -> in-process bus -> consumer -> fakesnow in-process. No services needed. BRONZE holds
each event once under the server's id, with the client's id beside it."""

import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest

from application.bronze_loader import ConsumerSettings
from application.commands import ClickEventInput, RecordClickEvents
from entrypoints.bootstrap import create_container
from entrypoints.consumer import run_consumer
from entrypoints.relay import run_relay
from entrypoints.settings import Settings
from tests.faults.harness import wait_until


def test_the_embedded_pipeline_loads_every_event_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FLOWGUARD_DATA_DIR", str(tmp_path))
    for name in ("FLOWGUARD_EVENT_STORE", "FLOWGUARD_BUS", "FLOWGUARD_WAREHOUSE"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    container = create_container(settings)
    app = container.flowguard_app()
    events = tuple(
        ClickEventInput(session_id=f"emb-{n // 4}", event_type="impression",
                        restaurant_id="rst_001", item_id="itm_0001", page="menu", position=n,
                        event_id=uuid4())
        for n in range(120)
    )  # fmt: skip
    result = app.record_click_events(RecordClickEvents(events, datetime.now(UTC)))
    assert result.accepted == 120

    warehouse = container.bronze_warehouse()
    warehouse.create_schema()  # before the consumer connects: see SnowflakeBronzeWarehouse._open
    stop = threading.Event()
    relay = threading.Thread(target=run_relay, args=(container, stop))
    consumer = threading.Thread(
        target=run_consumer, args=(container, stop, ConsumerSettings(50, 0.1))
    )
    relay.start()
    consumer.start()
    try:
        wait_until(lambda: len(warehouse.ingestion_ids("CLICKS_RAW")) >= 120, 30, "BRONZE")
    finally:
        stop.set()
        relay.join()
        consumer.join()
    ids = warehouse.ingestion_ids("CLICKS_RAW")
    assert len(ids) == len(set(ids)) == 120
    assert set(ids) == {str(event_id) for event_id in result.event_ids.values()}  # the server's
    assert sorted(_client_ids(container)) == sorted(str(e.event_id) for e in events)
    bus = container.in_process_bus()
    committed = sum(bus.committed("flowguard-bronze", "raw.clicks.v1", p) for p in range(3))
    assert committed == len(bus.messages("raw.clicks.v1")) == 120
    app.close()


def _client_ids(container: Any) -> list[str]:
    connection = container.warehouse_connect()()
    try:
        cursor = connection.cursor()
        cursor.execute("SELECT CLIENT_EVENT_ID FROM BRONZE.CLICKS_RAW")
        return [row[0] for row in cursor.fetchall()]
    finally:
        connection.close()
