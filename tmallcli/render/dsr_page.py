"""The DSR from the shop page's star counts → JSON (SPEC §3's keys) and tables, with the score
recomputed from a per-rating export beside it when there is one."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tmallcli.metrics.dsr import DIMENSIONS, DimensionScore, format_threshold
from tmallcli.metrics.dsr_stars import STARS
from tmallcli.render.document import ABOVE, BAD, BELOW, GOOD, WARN, Cell, Column, Document, Section
from tmallcli.render.document import cell as plain_cell
from tmallcli.render.serialise import many

if TYPE_CHECKING:
    from tmallcli.metrics.dsr_stars import PageDimension, PageDsr
    from tmallcli.render.labels import Labels
    from tmallcli.timeframe import AsOf

LABELS: dict[str, tuple[str, str]] = {
    "page.source.stars": (
        "来源: 店铺动态评分页面的星级人数",
        "From the shop's DSR page (star counts)",
    ),
    "page.source.stars+ratings": (
        "来源: 店铺动态评分页面, 并与逐条评价导出重算的评分对照",
        "From the shop's DSR page, beside the score recomputed from the per-rating export",
    ),
    "page.unknown": (
        "未计入明细与宝贝明细需逐条评价导出 (页面只给出计入后的星级人数)",
        "What the rules excluded and the items need a per-rating export (the page gives only "
        "the counted stars)",
    ),
    "page.not_given": ("未提供", "not given"),
    "page.from": ("数据", "Figures"),
    "page.from.counts": ("星级人数", "star counts"),
    "page.from.percent": ("由占比推算", "from percentages"),
    "page.from.score": ("仅评分", "score only"),
    "page.approximate": ("(约)", "(approx.)"),
    "page.ratings": ("逐条评价重算", "Recomputed from ratings"),
    "page.ratings_count": ("重算评分数", "Ratings counted"),
    "page.difference": ("差值", "Difference"),
    "what_if": ("假设新增评分", "What-if: new ratings"),
    "what_if.added": ("新增 (5★…1★)", "Added (5★…1★)"),
    "what_if.before": ("当前", "Now"),
}


def _threshold_keys(page: PageDsr) -> list[str]:
    first = next(iter(page.dimensions.values()))
    return [format_threshold(t) for t in first.thresholds.values()]


def _needed(d: PageDimension, keys: list[str]) -> dict[str, int | None]:
    needed = d.five_star_needed
    return {k: needed.get(k) for k in keys}


def dimension_json(d: PageDimension, keys: list[str]) -> dict[str, Any]:
    f = d.figures
    return {
        "score": d.score if d.given else None,
        "count": d.count if d.given else None,
        "flags": d.flags,
        "five_star_needed": _needed(d, keys),
        "industry": d.industry,
        "vs_industry_percent": d.vs_industry_percent,
        "stars": None
        if f is None or f.stars is None
        else dict(zip(map(str, STARS), f.stars, strict=True)),
        "figures": None if f is None else f.source,
        "approximate": None if f is None else f.approximate,
        "origin": None if f is None else f.origin,
    }


def page_json(page: PageDsr, as_of: AsOf, category: str) -> dict[str, Any]:
    keys = _threshold_keys(page)
    data: dict[str, Any] = {
        "as_of": as_of.date,
        "as_of_instant": page.as_of,
        "category": category,
        "source": page.source,
        "dimensions": {k: dimension_json(d, keys) for k, d in page.dimensions.items()},
        # From the page alone these are unknown (null), never guessed: the page's counts are
        # after the counting rules and carry no item.
        "excluded": page.excluded,
        "items": many(page.items),
        "what_if": {
            k: {
                "added": dict(zip(map(str, STARS), w.added, strict=True)),
                **{
                    name: value
                    for name, value in dimension_json(w.dimension, keys).items()
                    if name in ("score", "count", "flags", "five_star_needed")
                },
            }
            for k, w in page.what_if.items()
        },
        "ratings": None,
        "notes": page.notes,
    }
    r = page.ratings
    if r is not None:
        data["ratings"] = {
            "window": {"start": r.window_start, "end": r.window_end},
            "counted": r.events,
            "dimensions": {
                k: {
                    "score": rd.score,
                    "count": rd.count,
                    "page_score": page.dimensions[k].score if page.dimensions[k].given else None,
                    "difference": _difference(page.dimensions[k], rd),
                }
                for k, rd in r.dimensions.items()
            },
            "rolloff": many(r.rolloff),
        }
    return data


def _difference(page: PageDimension, ratings: DimensionScore) -> float | None:
    """Recomputed minus the page's score, in full (what the counting rules change)."""
    if not page.given or page.exact is None or ratings.exact is None:
        return None
    diff = ratings.exact - page.exact
    return float(diff)


def _text(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def page_document(page: PageDsr, as_of: AsOf, category: str, t: Labels) -> Document:
    t = t.of(LABELS)
    doc = Document(t("dsr.title"))
    doc.line(f"{t('as_of')} {as_of.date}  ·  {t('category')} {category}")
    doc.line(t(f"page.source.{page.source}"), "dim")
    given = {k: d for k, d in page.dimensions.items() if d.given}
    flagged = [(k, d) for k, d in given.items() if d.flags]
    for key, d in flagged:
        reasons = ", ".join(
            f"< {format_threshold(d.thresholds[f])} {t('flag.' + f)}" for f in d.flags
        )
        doc.line(f"⚠ {t('dsr.' + key)} {_text(d.score)}: {reasons}", BAD)
    if given and not flagged:
        doc.line(f"✓ {t('dsr.no_flags')}", GOOD)
    if page.ratings is None:
        doc.line(t("page.unknown"), "dim")
    keys = _threshold_keys(page)
    columns = [
        Column("dimension", t("dimension")),
        Column("score", t("score"), numeric=True),
        Column("count", t("count"), numeric=True),
        *(Column(f"star{s}", f"{s}★", numeric=True) for s in STARS),
        Column("figures", t("page.from")),
        Column("industry", t("industry"), numeric=True),
        Column("vs_industry", t("vs_industry"), numeric=True),
        Column("flags", t("flags")),
        *(Column(f"five_star_{k}", f"{t('five_star_needed')} ≥{k}", numeric=True) for k in keys),
    ]
    if page.ratings is not None:
        columns += [
            Column("ratings_score", t("page.ratings"), numeric=True),
            Column("ratings_count", t("page.ratings_count"), numeric=True),
            Column("difference", t("page.difference"), numeric=True),
        ]
    rows = []
    for key, d in page.dimensions.items():
        f = d.figures
        stars = (None,) * len(STARS) if f is None or f.stars is None else f.stars
        flags = d.flags
        figures = (
            t("page.not_given")
            if f is None
            else t(f"page.from.{f.source}") + (t("page.approximate") if f.approximate else "")
        )
        diff = d.vs_industry_percent
        row = [
            Cell(t(f"dsr.{key}"), raw=key),
            Cell(_text(d.score if d.given else None), BAD if flags else GOOD, d.score),
            plain_cell(d.count if d.given else None),
            *(plain_cell(n) for n in stars),
            Cell(
                figures,
                WARN if f is not None and f.approximate else None,
                None if f is None else f.source,
            ),
            plain_cell(None if d.industry is None else f"{float(d.industry):.2f}"),
            plain_cell(None)
            if diff is None
            else Cell(
                f"{t('above' if diff > 0 else 'below') if diff else ''}{abs(diff):.2f}%",
                ABOVE if diff > 0 else BELOW if diff < 0 else None,
                diff,
            ),
            Cell(
                ", ".join(t(f"flag.{x}") for x in flags) or "—",
                BAD if flags else None,
                ";".join(flags),
            ),
            *(plain_cell(n) for n in _needed(d, keys).values()),
        ]
        if page.ratings is not None:
            rd = page.ratings.dimensions[key]
            difference = _difference(d, rd)
            row += [
                Cell(_text(rd.score), raw=rd.score),
                plain_cell(rd.count),
                Cell("—" if difference is None else f"{difference:+.4f}", raw=difference),
            ]
        rows.append(row)
    doc.sections.append(Section("dimensions", t("dsr.title"), columns, rows))
    if page.what_if:
        what_columns = [
            Column("dimension", t("dimension")),
            Column("added", t("what_if.added")),
            Column("before", t("what_if.before"), numeric=True),
            Column("score", t("score"), numeric=True),
            Column("count", t("count"), numeric=True),
            Column("flags", t("flags")),
            *(
                Column(f"five_star_{k}", f"{t('five_star_needed')} ≥{k}", numeric=True)
                for k in keys
            ),
        ]
        what_rows = []
        for key, w in page.what_if.items():
            d = w.dimension
            what_rows.append(
                [
                    Cell(t(f"dsr.{key}"), raw=key),
                    Cell(",".join(map(str, w.added)), raw=",".join(map(str, w.added))),
                    Cell(_text(page.dimensions[key].score), raw=page.dimensions[key].score),
                    Cell(_text(d.score), BAD if d.flags else GOOD, d.score),
                    plain_cell(d.count),
                    Cell(
                        ", ".join(t(f"flag.{x}") for x in d.flags) or "—",
                        BAD if d.flags else None,
                        ";".join(d.flags),
                    ),
                    *(plain_cell(n) for n in _needed(d, keys).values()),
                ]
            )
        doc.sections.append(Section("what_if", t("what_if"), what_columns, what_rows))
    assert set(page.dimensions) == set(DIMENSIONS)
    return doc
