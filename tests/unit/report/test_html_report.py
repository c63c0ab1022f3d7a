"""The report is one self-contained file: data embedded, charts drawn offline, mismatches loud."""

import json
import re
from pathlib import Path

from entrypoints.report.data import QualityFigure, ReconciledDay, ReportData
from entrypoints.report.html import render_report, write_report
from tests.unit.report.sample_gold import sample_gold

AGREE = ReconciledDay("2026-11-20", {"orders": "100", "delivered": "94", "gmv": "30150.00"},
                      {"orders": "100", "delivered": "94", "gmv": "30150.00"})  # fmt: skip
DISAGREE = ReconciledDay("2026-11-21", {"orders": "120", "delivered": "114", "gmv": "36180.00"},
                         {"orders": "119", "delivered": "114", "gmv": "35878.50"})  # fmt: skip


def _report() -> ReportData:
    quality = [QualityFigure("API", "click retries answered as duplicates", 384)]
    return ReportData("FlowGuard demo", sample_gold(), quality, [AGREE, DISAGREE], {"seed": "7"})


def _embedded(page: str) -> dict:
    match = re.search(
        r'<script id="report-data" type="application/json">(.*?)</script>', page, re.S
    )
    assert match
    return json.loads(match.group(1))


def test_the_report_embeds_every_gold_table_and_figure() -> None:
    data = _embedded(render_report(_report()))
    assert data["gold"] == sample_gold()
    assert data["quality"] == [
        {"stage": "API", "label": "click retries answered as duplicates", "value": 384}
    ]
    assert data["facts"] == {"seed": "7"}


def test_a_reconciliation_mismatch_is_marked() -> None:
    data = _embedded(render_report(_report()))
    assert [r["matches"] for r in data["reconciliation"]] == [True, False]


def test_the_report_needs_no_network() -> None:
    page = render_report(_report())
    assert "http://" not in page.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in page
    assert "<script src" not in page
    for chart in ("daily-gmv", "hourly", "funnel", "top-items", "cohorts", "quality"):
        assert f'id="{"panel" if chart == "quality" else "chart"}-{chart}"' in page


def test_text_that_looks_like_a_closing_script_tag_stays_data(tmp_path: Path) -> None:
    report = _report()
    report.facts["note"] = "</script><script>alert(1)</script>"
    page = write_report(report, tmp_path / "report.html").read_text()
    assert _embedded(page)["facts"]["note"] == "</script><script>alert(1)</script>"
