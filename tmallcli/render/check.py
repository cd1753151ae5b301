"""``tmall data check`` result → JSON and tables."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tmallcli.render.document import BAD, GOOD, Cell, Column, Document, Section, cell
from tmallcli.render.labels import LABELS
from tmallcli.render.serialise import many

if TYPE_CHECKING:
    from tmallcli.exports.check import FileCheck
    from tmallcli.render.labels import Labels


@dataclass
class CheckReport:
    checks: list[FileCheck]

    @property
    def problem_count(self) -> int:
        return sum(p.count for c in self.checks for p in c.problems)

    def to_json(self) -> dict[str, Any]:
        return {
            "files": [
                {
                    "file": c.file,
                    "kind": c.kind,
                    "encoding": c.encoding,
                    "rows": c.rows,
                    "date_range": {"start": c.date_range[0], "end": c.date_range[1]},
                    "columns": {col.name: col.header for col in c.columns},
                    "missing_required": [
                        col.name for col in c.columns if col.required and col.header is None
                    ],
                    "missing_expected": c.missing_expected,
                    "closest_kind": c.closest,
                    "unmapped_headers": c.unmapped,
                    "suggested_columns": c.suggestion,
                    "problems": many(c.problems),
                }
                for c in self.checks
            ],
            "problems": self.problem_count,
        }

    def document(self, labels: Labels) -> Document:
        t = labels.of(LABELS)
        doc = Document(t("check.title"))
        for c in self.checks:
            start, end = c.date_range
            span = f"{start:%Y-%m-%d} … {end:%Y-%m-%d}" if start and end else "—"
            doc.line(
                f"{c.file}: {t('check.kind')} {c.kind or '?'} · {t('check.encoding')} "
                f"{c.encoding} · {t('check.rows')} {c.rows} · {t('check.dates')} {span}",
                "bold",
            )
            rows = [
                [
                    Cell(col.name),
                    Cell(
                        col.header.strip() if col.header else f"({t('check.missing')})",
                        None if col.header else (BAD if col.required else "dim"),
                    ),
                    Cell("✓" if col.required else "", raw=col.required),
                ]
                for col in c.columns
            ]
            if rows:
                doc.sections.append(
                    Section(
                        "columns",
                        f"{c.file} — {c.kind}",
                        [
                            Column("column", t("check.canonical")),
                            Column("header", t("check.header")),
                            Column("required", t("check.required")),
                        ],
                        rows,
                        (
                            [f"missing (the commands fall back): {', '.join(c.missing_expected)}"]
                            if c.missing_expected
                            else []
                        )
                        + (
                            [f"unmapped: {', '.join(h.strip() for h in c.unmapped)}"]
                            if c.unmapped
                            else []
                        ),
                    )
                )
            problem_rows = [
                [
                    cell(p.column),
                    Cell(p.problem, BAD),
                    cell(p.count),
                    cell(
                        "; ".join(f"line {e['line']}: {e['value']!r}" for e in p.examples) or None
                    ),
                ]
                for p in c.problems
            ]
            doc.sections.append(
                Section(
                    "problems",
                    f"{c.file} — {t('check.problems')}",
                    [
                        Column("column", "column"),
                        Column("problem", "problem"),
                        Column("count", "count", True),
                        Column("examples", "examples"),
                    ],
                    problem_rows or [[Cell("—"), Cell("no problems", GOOD), cell(0), cell(None)]],
                    [c.suggestion] if c.suggestion else [],
                )
            )
        return doc
