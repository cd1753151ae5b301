"""DSR result → JSON contract (SPEC §3) and labelled tables."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tmallcli.metrics.dsr import DIMENSIONS, format_threshold
from tmallcli.render.document import ABOVE, BAD, BELOW, GOOD, Cell, Column, Document, Section, cell
from tmallcli.render.labels import LABELS
from tmallcli.render.serialise import Shape, many, to_json

if TYPE_CHECKING:
    from tmallcli.metrics.dsr import DsrResult
    from tmallcli.metrics.dsr_stars import PageDsr
    from tmallcli.render.labels import Labels
    from tmallcli.timeframe import AsOf

# JSON shape (SPEC §3): a dimension's score with what it needs and how it compares.
DIMENSION = Shape(
    keys=("score", "count", "flags", "five_star_needed", "industry", "vs_industry_percent")
)


def _score_text(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


@dataclass
class DsrReport:
    """The DSR from per-rating exports (:class:`DsrResult`) or from the shop page's star
    counts (:class:`PageDsr`, rendered by :mod:`tmallcli.render.dsr_page`)."""

    result: DsrResult | PageDsr
    as_of: AsOf
    category: str
    threshold_source: str | None = None  # of the flags' thresholds 4.4 / 4.6 (SPEC §14)

    @property
    def flagged(self) -> bool:
        return any(d.flags for d in self.result.dimensions.values())

    def to_json(self) -> dict[str, Any]:
        from tmallcli.metrics.dsr_stars import PageDsr

        if isinstance(self.result, PageDsr):
            from tmallcli.render.dsr_page import page_json

            return {
                **page_json(self.result, self.as_of, self.category),
                "threshold_source": self.threshold_source,
            }
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
            "threshold_source": self.threshold_source,
        }

    def document(self, labels: Labels) -> Document:
        from tmallcli.metrics.dsr_stars import PageDsr

        if isinstance(self.result, PageDsr):
            from tmallcli.render.dsr_page import page_document

            doc = page_document(self.result, self.as_of, self.category, labels)
            if self.result.ratings is not None:
                # The roll-off and the items come from the per-rating export.
                ratings = DsrReport(self.result.ratings, self.as_of, self.category)
                doc.sections += [
                    s for s in ratings.document(labels).sections if s.key in ("rolloff", "items")
                ]
            return doc
        t = labels.of(LABELS)
        r = self.result
        doc = Document(t("dsr.title"))
        doc.line(
            f"{t('as_of')} {self.as_of.date}  ·  {t('category')} {self.category}"
            f"  ·  {r.window_start:%Y-%m-%d %H:%M} … {r.window_end:%Y-%m-%d %H:%M}"
        )
        flagged = [(key, d) for key, d in r.dimensions.items() if d.flags]
        if flagged:
            for key, d in flagged:
                reasons = ", ".join(
                    f"< {format_threshold(d.thresholds[f])} {t('flag.' + f)}" for f in d.flags
                )
                doc.line(f"⚠ {t('dsr.' + key)} {_score_text(d.score)}: {reasons}", BAD)
        elif r.events:
            doc.line(f"✓ {t('dsr.no_flags')}", GOOD)
        excluded = ", ".join(f"{t('excluded.' + k)} {v}" for k, v in r.excluded.items())
        doc.line(f"{t('excluded')}: {excluded}", "dim")
        thresholds = (
            list(next(iter(r.dimensions.values())).five_star_needed) if r.dimensions else []
        )
        columns = [
            Column("dimension", t("dimension")),
            Column("score", t("score"), numeric=True),
            Column("count", t("count"), numeric=True),
            Column("industry", t("industry"), numeric=True),
            Column("vs_industry", t("vs_industry"), numeric=True),
            Column("flags", t("flags")),
            *(
                Column(f"five_star_{at}", f"{t('five_star_needed')} ≥{at}", numeric=True)
                for at in thresholds
            ),
        ]
        rows = []
        for key, d in r.dimensions.items():
            diff = d.vs_industry_percent
            if diff is None:
                diff_cell = cell(None)
            else:
                # 飘红 above the industry, 飘绿 below (SPEC §1 colour convention).
                direction = t("above" if diff > 0 else "below") if diff else ""
                diff_cell = Cell(
                    f"{direction}{abs(diff):.2f}%",
                    ABOVE if diff > 0 else BELOW if diff < 0 else None,
                    diff,
                )
            flags = d.flags
            rows.append(
                [
                    Cell(t(f"dsr.{key}"), raw=key),
                    Cell(_score_text(d.score), BAD if flags else GOOD, d.score),
                    cell(d.count),
                    cell(None if d.industry is None else f"{float(d.industry):.2f}"),
                    diff_cell,
                    Cell(
                        ", ".join(t(f"flag.{f}") for f in flags) or "—",
                        BAD if flags else None,
                        ";".join(flags),
                    ),
                    *(cell(n) for n in d.five_star_needed.values()),
                ]
            )
        doc.sections.append(Section("dimensions", t("dsr.title"), columns, rows))
        if r.rolloff:
            roll_columns = [
                Column("days", t("rolloff.days"), numeric=True),
                Column("leaving", t("rolloff.leaving"), numeric=True),
                *(Column(k, t(f"dsr.{k}"), numeric=True) for k in DIMENSIONS),
            ]
            roll_rows = [
                [
                    cell(f.days),
                    cell(f.leaving),
                    *(Cell(_score_text(f.scores[k]), raw=f.scores[k]) for k in DIMENSIONS),
                ]
                for f in r.rolloff
            ]
            doc.sections.append(Section("rolloff", t("rolloff"), roll_columns, roll_rows))
        if r.items:
            item_columns = [
                Column("item_id", t("item_id")),
                Column("item_title", t("item_title")),
                Column("count", t("count"), numeric=True),
                Column("description", t("dsr.description"), numeric=True),
                Column("low_share", t("low_share"), numeric=True),
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
            doc.sections.append(Section("items", t("items.title"), item_columns, item_rows))
        return doc
