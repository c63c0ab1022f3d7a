"""docs/metrics.md and docs/contracts.md describe the tables as application/tables declares
them: every table has one column table in the docs, with the same columns, in the same order,
with the same types and nullability."""

import re
from pathlib import Path

import pytest

from application.tables import ALL_TABLES, Table

DOCS = Path(__file__).resolve().parents[3] / "docs"
TABLE_NAME = re.compile(r"\b(?:BRONZE|SILVER|GOLD)\.[A-Z_]+\b|\bflowguard_failed_events\b")
DocColumns = list[tuple[str, str]]


def _column_table(lines: list[str]) -> DocColumns | None:
    """The (name, type) rows of the first `| column | type | ... |` table in `lines`."""
    rows = [line for line in lines if line.startswith("|")]
    if not rows or [c.strip() for c in rows[0].strip("|").split("|")][:2] != ["column", "type"]:
        return None
    columns: DocColumns = []
    for row in rows[2:]:
        cells = [c.strip() for c in row.strip("|").split("|")]
        names = re.findall(r"`(\w+)`", cells[0])
        types = cells[1].split(", ") if len(cells[1].split(", ")) == len(names) else [cells[1]]
        columns += [(name, types[min(i, len(types) - 1)]) for i, name in enumerate(names)]
    return columns


def documented() -> dict[str, list[DocColumns]]:
    """Table name -> every column table found under a heading naming it."""
    found: dict[str, list[DocColumns]] = {}
    for page in ("metrics.md", "contracts.md"):
        sections = re.split(r"^(?=#+ )", (DOCS / page).read_text(), flags=re.MULTILINE)
        for section in sections:
            heading, *body = section.splitlines() or [""]
            if not heading.startswith("#"):
                continue
            columns = next(filter(None, map(_column_table, _tables(body))), None)
            for name in TABLE_NAME.findall(heading) if columns is not None else []:
                found.setdefault(name, []).append(columns)  # type: ignore[arg-type]
    return found


def _tables(lines: list[str]) -> list[list[str]]:
    """Every markdown table in `lines`, as its rows."""
    tables: list[list[str]] = []
    for previous, line in zip(["", *lines], lines, strict=False):
        if line.startswith("|"):
            if not previous.startswith("|"):
                tables.append([])
            tables[-1].append(line)
    return tables


@pytest.mark.parametrize("declared", ALL_TABLES, ids=lambda t: t.qualified_name)
def test_the_docs_show_each_table_as_declared(declared: Table) -> None:
    tables = documented().get(declared.qualified_name, [])
    assert len(tables) == 1, f"{declared.qualified_name}: {len(tables)} column tables in docs/"
    assert tables[0] == [(c.name, c.doc_type) for c in declared.columns]


def test_the_docs_document_no_table_that_is_not_declared() -> None:
    assert set(documented()) <= {t.qualified_name for t in ALL_TABLES}


def test_the_docs_name_the_declaration_as_the_source_of_the_shapes() -> None:
    for page in ("metrics.md", "contracts.md"):
        assert "application/tables" in (DOCS / page).read_text(), page
