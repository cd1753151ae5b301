"""DSR result → JSON contract (SPEC §3) and labelled tables."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tmallcli.metrics.dsr import DIMENSIONS, DsrResult, format_threshold
from tmallcli.render.document import ABOVE, BAD, BELOW, GOOD, Cell, Column, Document, Section, cell
from tmallcli.render.labels import label
from tmallcli.render.serialise import Shape, many, to_json
from tmallcli.timeframe import AsOf

# JSON shape (SPEC §3): a dimension's score with what it needs and how it compares.
DIMENSION = Shape(
    keys=("score", "count", "flags", "five_star_needed", "industry", "vs_industry_percent")
)


def _score_text(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


@dataclass
class DsrReport:
    result: DsrResult
    as_of: AsOf
    category: str

    @property
    def flagged(self) -> bool:
        return any(d.flags for d in self.result.dimensions.values())

    def to_json(self) -> dict[str, Any]:
        r = self.result
        return {
            "as_of": self.as_of.date,
            "as_of_instant": r.as_of,
            "category": self.category,
            "window": {"start": r.window_start, "end": r.window_end},
            "counted": r.events,
            "dimensions": {key: to_json(d, DIMENSION) for key, d in r.dimensions.items()},
            "excluded": r.excluded,
            "rolloff": many(r.rolloff),
            "items": many(r.items),
        }

    def document(self, lang: str) -> Document:
        r = self.result
        doc = Document(label("dsr.title", lang))
        doc.line(
            f"{label('as_of', lang)} {self.as_of.date}  ·  {label('category', lang)} {self.category}"
            f"  ·  {r.window_start:%Y-%m-%d %H:%M} … {r.window_end:%Y-%m-%d %H:%M}"
        )
        flagged = [(key, d) for key, d in r.dimensions.items() if d.flags]
        if flagged:
            for key, d in flagged:
                reasons = ", ".join(
                    f"< {format_threshold(d.thresholds[f])} {label('flag.' + f, lang)}"
                    for f in d.flags
                )
                doc.line(f"⚠ {label('dsr.' + key, lang)} {_score_text(d.score)}: {reasons}", BAD)
        elif r.events:
            doc.line(f"✓ {label('dsr.no_flags', lang)}", GOOD)
        excluded = ", ".join(f"{label('excluded.' + k, lang)} {v}" for k, v in r.excluded.items())
        doc.line(f"{label('excluded', lang)}: {excluded}", "dim")
        thresholds = (
            list(next(iter(r.dimensions.values())).five_star_needed) if r.dimensions else []
        )
        columns = [
            Column("dimension", label("dimension", lang)),
            Column("score", label("score", lang), numeric=True),
            Column("count", label("count", lang), numeric=True),
            Column("industry", label("industry", lang), numeric=True),
            Column("vs_industry", label("vs_industry", lang), numeric=True),
            Column("flags", label("flags", lang)),
            *(
                Column(f"five_star_{t}", f"{label('five_star_needed', lang)} ≥{t}", numeric=True)
                for t in thresholds
            ),
        ]
        rows = []
        for key, d in r.dimensions.items():
            diff = d.vs_industry_percent
            if diff is None:
                diff_cell = cell(None)
            else:
                # 飘红 above the industry, 飘绿 below (SPEC §1 colour convention).
                direction = label("above" if diff > 0 else "below", lang) if diff else ""
                diff_cell = Cell(
                    f"{direction}{abs(diff):.2f}%",
                    ABOVE if diff > 0 else BELOW if diff < 0 else None,
                    diff,
                )
            flags = d.flags
            rows.append(
                [
                    Cell(label(f"dsr.{key}", lang), raw=key),
                    Cell(_score_text(d.score), BAD if flags else GOOD, d.score),
                    cell(d.count),
                    cell(None if d.industry is None else f"{float(d.industry):.2f}"),
                    diff_cell,
                    Cell(
                        ", ".join(label(f"flag.{f}", lang) for f in flags) or "—",
                        BAD if flags else None,
                        ";".join(flags),
                    ),
                    *(cell(n) for n in d.five_star_needed.values()),
                ]
            )
        doc.sections.append(Section("dimensions", label("dsr.title", lang), columns, rows))
        if r.rolloff:
            roll_columns = [
                Column("days", label("rolloff.days", lang), numeric=True),
                Column("leaving", label("rolloff.leaving", lang), numeric=True),
                *(Column(k, label(f"dsr.{k}", lang), numeric=True) for k in DIMENSIONS),
            ]
            roll_rows = [
                [
                    cell(f.days),
                    cell(f.leaving),
                    *(Cell(_score_text(f.scores[k]), raw=f.scores[k]) for k in DIMENSIONS),
                ]
                for f in r.rolloff
            ]
            doc.sections.append(Section("rolloff", label("rolloff", lang), roll_columns, roll_rows))
        if r.items:
            item_columns = [
                Column("item_id", label("item_id", lang)),
                Column("item_title", label("item_title", lang)),
                Column("count", label("count", lang), numeric=True),
                Column("description", label("dsr.description", lang), numeric=True),
                Column("low_share", label("low_share", lang), numeric=True),
            ]
            item_rows = [
                [
                    cell(i.item_id),
                    cell(i.item_title),
                    cell(i.count),
                    Cell(f"{i.description:.2f}", raw=i.description),
                    Cell(f"{i.low_share:.0%}", raw=i.low_share),
                ]
                for i in r.items
            ]
            doc.sections.append(
                Section("items", label("items.title", lang), item_columns, item_rows)
            )
        return doc
