"""The dashboard's read endpoints: only known GOLD tables, one day or all, empty before GOLD."""

from datetime import date
from decimal import Decimal
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from snowflake.connector.errors import OperationalError, ProgrammingError

from entrypoints.web.router import install_web


class FakeWarehouse:
    """A DB-API connection factory that answers every SELECT with fixed rows."""

    def __init__(
        self, rows: list[tuple[Any, ...]], columns: list[str], failure: Exception | None = None
    ) -> None:
        self.rows, self.columns, self.failure = rows, columns, failure
        self.statements: list[tuple[str, tuple[Any, ...]]] = []

    def connect(self) -> "FakeWarehouse":
        return self

    def cursor(self) -> "FakeWarehouse":
        return self

    def execute(self, sql: str, params: tuple[Any, ...] = ()) -> None:
        self.statements.append((sql, params))
        if self.failure is not None:
            raise self.failure
        self.description = [(name,) for name in self.columns]

    def fetchall(self) -> list[tuple[Any, ...]]:
        return self.rows

    def close(self) -> None:
        pass


class FakeContainer:
    def __init__(self, warehouse: FakeWarehouse) -> None:
        self.warehouse = warehouse

    def warehouse_connect(self) -> Any:
        return self.warehouse.connect


def _client(warehouse: FakeWarehouse) -> TestClient:
    app = FastAPI()
    install_web(app, FakeContainer(warehouse))
    return TestClient(app)


def test_a_day_of_a_gold_table_comes_back_as_json_rows() -> None:
    warehouse = FakeWarehouse(
        [(date(2026, 11, 20), Decimal("13660.00"), 39)], ["METRIC_DATE", "GMV", "TOTAL_ORDERS"]
    )
    answer = _client(warehouse).get(
        "/api/v1/metrics/gold/daily_gmv_metrics", params={"date": "2026-11-20"}
    )
    assert answer.status_code == 200
    assert answer.json()["rows"] == [
        {"METRIC_DATE": "2026-11-20", "GMV": 13660.0, "TOTAL_ORDERS": 39}
    ]
    sql, params = warehouse.statements[0]
    assert "FROM GOLD.DAILY_GMV_METRICS WHERE METRIC_DATE = %s" in sql
    assert params == ("2026-11-20",)


def test_an_unknown_table_is_refused_and_never_reaches_the_warehouse() -> None:
    warehouse = FakeWarehouse([], [])
    answer = _client(warehouse).get("/api/v1/metrics/gold/bronze.orders_raw;drop")
    assert answer.status_code == 422  # the description lists the GOLD tables a URL may name
    assert _client(warehouse).get("/api/v1/metrics/live", params={"date": "0"}).status_code == 422
    assert warehouse.statements == []


def test_before_the_first_pipeline_run_there_are_no_days_and_no_rows() -> None:
    missing = ProgrammingError(msg="Table with name DAILY_GMV_METRICS does not exist!")
    client = _client(FakeWarehouse([], [], failure=missing))
    days = client.get("/api/v1/metrics/days").json()
    assert (days["days"], days["partial"]) == ([], [])
    assert client.get("/api/v1/metrics/gold/hourly_order_patterns").json()["rows"] == []


def test_an_unreachable_warehouse_is_a_503_to_retry() -> None:
    client = _client(FakeWarehouse([], [], failure=OperationalError(msg="connection refused")))
    answer = client.get("/api/v1/metrics/gold/user_funnel_metrics")
    assert answer.status_code == 503
    assert answer.headers["Retry-After"] == "5"


def test_the_pages_and_their_assets_are_served() -> None:
    client = _client(FakeWarehouse([], []))
    for path in ("/storefront", "/dashboard", "/web/charts.js", "/web/style.css"):
        assert client.get(path).status_code == 200
    assert client.get("/web/router.py").status_code == 404


def test_the_pages_forbid_scripts_of_other_origins_and_inline_code() -> None:
    client = _client(FakeWarehouse([], []))
    for path in ("/storefront", "/dashboard", "/web/dashboard.js"):
        policy = client.get(path).headers["content-security-policy"]
        assert "script-src 'self';" in policy
        assert "unsafe-inline" not in policy
        assert "default-src 'none'" in policy
