"""Renders a report to one self-contained HTML file: data as JSON, charts drawn by inlined JS."""

import base64
import hashlib
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
    charts_js = (WEB_STATIC / "charts.js").read_text(encoding="utf-8")
    report_js = (STATIC / "report.js").read_text(encoding="utf-8")
    style = _style(template)
    return (
        template.replace("{{title}}", html.escape(data.title))
        .replace("{{csp}}", _policy(style, charts_js, report_js))
        .replace("{{style}}", (WEB_STATIC / "style.css").read_text(encoding="utf-8"))
        .replace("{{charts_js}}", charts_js)
        .replace("{{report_js}}", report_js)
        .replace("{{data}}", payload)
    )


def _style(template: str) -> str:
    """The page's one <style> block as it will be written, for its hash."""
    inline = template.split("<style>", 1)[1].split("</style>", 1)[0]
    return inline.replace("{{style}}", (WEB_STATIC / "style.css").read_text(encoding="utf-8"))


def _policy(style: str, *scripts: str) -> str:
    """The report is a file with inline code: only these exact scripts and style may run, by
    hash; it loads nothing and sends nothing (the data is JSON, never code)."""
    script_hashes = " ".join(_sha256(script) for script in scripts)
    return (
        f"default-src 'none'; script-src {script_hashes}; style-src {_sha256(style)}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )


def _sha256(source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def write_report(data: ReportData, path: Path) -> Path:
    """Write atomically, so a reader never sees half a report."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".tmp")
    partial.write_text(render_report(data), encoding="utf-8")
    partial.replace(path)
    return path
