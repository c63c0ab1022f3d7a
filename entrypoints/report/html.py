"""Renders a report to one self-contained HTML file: data as JSON, charts drawn by inlined JS."""

import html
import json
from pathlib import Path

from entrypoints.report.data import ReportData

STATIC = Path(__file__).parent / "static"
WEB_STATIC = Path(__file__).resolve().parent.parent / "web" / "static"


def render_report(data: ReportData) -> str:
    template = (STATIC / "report.html").read_text(encoding="utf-8")
    # "</" inside a script would end it early; JSON allows the escaped form.
    payload = json.dumps(data.as_json(), default=str).replace("</", "<\\/")
    return (
        template.replace("{{title}}", html.escape(data.title))
        .replace("{{style}}", (WEB_STATIC / "style.css").read_text(encoding="utf-8"))
        .replace("{{charts_js}}", (WEB_STATIC / "charts.js").read_text(encoding="utf-8"))
        .replace("{{report_js}}", (STATIC / "report.js").read_text(encoding="utf-8"))
        .replace("{{data}}", payload)
    )


def write_report(data: ReportData, path: Path) -> Path:
    """Write atomically, so a reader never sees half a report."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".tmp")
    partial.write_text(render_report(data), encoding="utf-8")
    partial.replace(path)
    return path
