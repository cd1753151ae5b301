"""The shop's DSR page written down as a small file (``--summary FILE``, SPEC §3).

A CSV (or Excel sheet) with one line per dimension::

    维度,评分人数,5星,4星,3星,2星,1星        counts
    描述相符,50,30,10,5,3,2
    维度,评分人数,5星占比,4星占比,…         percentages as the page shows them
    服务态度,50,60.00%,20.00%,10.00%,6.00%,4.00%
    维度,评分,评分人数                        the score and the raters
    物流服务,4.82,50

or a YAML file::

    description: [30, 10, 5, 3, 2]                        # counts of 5 … 1 stars
    service: {raters: 50, percent: [60, 20, 10, 6, 4]}    # the page's percentages
    logistics: {score: 4.82, raters: 50}

The headers and the dimension names are listed once in :mod:`tmallcli.exports.kinds`
(``DSR_SUMMARY_COLUMNS``, ``DSR_DIMENSION_NAMES``). A bad cell is an error naming the file,
line, column and value. The figures are checked and turned into scores by
:mod:`tmallcli.metrics.dsr_stars`.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tmallcli.errors import InputError
from tmallcli.exports.headers import normalize_header
from tmallcli.exports.kinds import DSR_DIMENSION_NAMES, DSR_SUMMARY_COLUMNS
from tmallcli.exports.paths import os_problem
from tmallcli.i18n import tr

if TYPE_CHECKING:
    from tmallcli.exports.reader import ExportReader

YAML_SUFFIXES = (".yaml", ".yml")
STAR_KEYS = tuple(f"star{s}" for s in (5, 4, 3, 2, 1))
MISSING = {"", "-", "--", "无", "null", "nan"}
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


@dataclass(frozen=True)
class SummaryLine:
    """One dimension's figures as written (not yet checked against each other)."""

    dimension: str  # description / service / logistics
    origin: str  # file:line (a YAML file: file:dimension)
    counts: tuple[int, ...] | None = None  # 5 … 1 stars
    percents: tuple[Fraction, ...] | None = None  # 5 … 1 stars, 0–100
    decimals: int = 0  # the percentages' shown precision (digits after the point)
    raters: int | None = None
    score: Fraction | None = None


def dimension_key(text: str) -> str | None:
    """description / service / logistics for an English or Chinese dimension name."""
    wanted = normalize_header(text)
    for key, names in DSR_DIMENSION_NAMES.items():
        if wanted in {normalize_header(n) for n in names}:
            return key
    return None


def summary_columns(headers: list[str]) -> dict[str, str] | None:
    """canonical name → header, when ``headers`` are those of a DSR summary (a dimension
    column and the five star columns, or the score and the raters); else None."""
    by_norm: dict[str, str] = {}
    for header in headers:
        by_norm.setdefault(normalize_header(header), header)
    found: dict[str, str] = {}
    for name, aliases in DSR_SUMMARY_COLUMNS.items():
        for alias in aliases:
            match = by_norm.get(normalize_header(alias))
            if match is not None and match not in found.values():
                found[name] = match
                break
    stars = all(k in found or f"{k}_percent" in found for k in STAR_KEYS)
    if "dimension" in found and (stars or {"score", "raters"} <= found.keys()):
        return found
    return None


def is_dsr_summary(headers: list[str]) -> bool:
    return summary_columns(headers) is not None


def read_summary(path: Path, reader: ExportReader) -> list[SummaryLine]:
    """The lines of a summary file (CSV / Excel through ``reader``, or YAML)."""
    if path.suffix.lower() in YAML_SUFFIXES:
        return _read_yaml(path)
    source = reader.source(path)
    try:
        with open(source.csv_path, encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputError(
            source.display, tr("cannot read the DSR summary ({exc})", exc=exc)
        ) from None
    if not rows:
        raise InputError(source.display, tr("the DSR summary is empty"))
    columns = summary_columns(rows[0])
    if columns is None:
        raise InputError(
            source.display,
            tr(
                "not a DSR summary: needs a 维度 column and 5星 … 1星 (counts or 占比), or 评分 and 评分人数"
            ),
            hint=tr("columns found: {columns}", columns=", ".join(h.strip() for h in rows[0])),
        )
    index = {name: rows[0].index(header) for name, header in columns.items()}
    lines = []
    for number, row in enumerate(rows[1:], start=2):
        line = number + source.line_offset

        def cell(name: str, row: list[str] = row) -> str | None:
            at = index.get(name)
            if at is None or at >= len(row):
                return None
            text = _clean(row[at])
            return None if text.lower() in MISSING else text

        def bad(name: str, problem: str, value: str | None, line: int = line) -> InputError:
            return InputError(
                source.display, problem, line=line, column=columns[name].strip(), value=value
            )

        if all(cell(name) is None for name in index):
            continue  # a blank line
        name = cell("dimension")
        key = None if name is None else dimension_key(name)
        if key is None:
            raise bad("dimension", tr("not a DSR dimension ({hint})", hint=_DIMENSIONS_HINT), name)
        lines.append(_line(key, f"{source.display}:{line}", cell, bad))
    return lines


_DIMENSIONS_HINT = "description / service / logistics, or 描述相符 / 服务态度 / 物流服务"


def _clean(text: str) -> str:
    """A cell as typed: Excel's ``="…"`` and leading ``'`` off, full-width digits folded."""
    text = unicodedata.normalize("NFKC", text).strip()
    if text.startswith('="') and text.endswith('"'):
        text = text[2:-1]
    return text.lstrip("'").strip().replace(",", "")


def _line(key: str, origin: str, cell: Any, bad: Any) -> SummaryLine:
    raters = _whole(cell("raters"), lambda v: bad("raters", tr("not a whole number of raters"), v))
    score = _number(cell("score"), lambda v: bad("score", tr("not a score"), v))
    counts: list[int] = []
    percents: list[Fraction] = []
    decimals = 0
    present = 0
    for star in STAR_KEYS:
        percent_text = cell(f"{star}_percent")
        text = cell(star)
        if percent_text is None and text is None:
            continue
        present += 1
        name = f"{star}_percent" if percent_text is not None else star
        value = percent_text if percent_text is not None else text
        assert value is not None
        if percent_text is not None or value.endswith("%"):
            number = value.removesuffix("%").strip()
            parsed = _number(number, lambda v, n=name: bad(n, tr("not a percentage"), v))
            assert parsed is not None
            percents.append(parsed)
            decimals = max(decimals, len(number.partition(".")[2]))
        else:
            counts.append(
                _whole(
                    value,
                    lambda v, n=name: bad(
                        n,
                        tr(
                            "not a whole count of ratings (write a percentage with a % sign "
                            "or in a 5星占比 column)"
                        ),
                        v,
                    ),
                )
                or 0
            )
    if present and present < len(STAR_KEYS):
        raise bad("dimension", tr("give all five star columns (5星 … 1星) or none"), None)
    if percents and counts:
        raise bad("dimension", tr("mixes counts and percentages on one line"), None)
    if percents:
        if raters is None:
            raise bad("dimension", tr("percentages need the number of raters (评分人数)"), None)
        return SummaryLine(key, origin, None, tuple(percents), decimals, raters, score)
    if counts:
        return SummaryLine(key, origin, tuple(counts), None, 0, raters, score)
    if score is None or raters is None:
        raise bad(
            "dimension",
            tr(
                "needs the five star counts, or the raters and the five percentages, "
                "or the score and the raters"
            ),
            None,
        )
    return SummaryLine(key, origin, None, None, 0, raters, score)


def _number(text: str | None, error: Any) -> Fraction | None:
    if text is None:
        return None
    if not _NUMBER.match(text):
        raise error(text)
    return Fraction(text)


def _whole(text: str | None, error: Any) -> int | None:
    number = _number(text, error)
    if number is None:
        return None
    if number.denominator != 1 or number < 0:
        raise error(text)
    return int(number)


def _read_yaml(path: Path) -> list[SummaryLine]:
    import yaml

    display = str(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise InputError(display, os_problem(exc)) from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise InputError(
            display, tr("not a YAML file ({value})", value=str(exc).splitlines()[0])
        ) from None
    if isinstance(data, dict) and isinstance(data.get("dsr"), dict):
        data = data["dsr"]
    if not isinstance(data, dict) or not data:
        raise InputError(
            display,
            tr(
                "a DSR summary in YAML maps each dimension to its figures, e.g. description: [30, 10, 5, 3, 2]"
            ),
        )
    lines = []
    for name, figures in data.items():
        key = dimension_key(str(name))
        if key is None:
            raise InputError(
                display,
                tr(
                    "{name}: not a DSR dimension ({hint})",
                    name=name,
                    hint=_DIMENSIONS_HINT,
                ),
            )
        origin = f"{display}:{name}"
        if isinstance(figures, list):
            figures = {"stars": figures}
        if not isinstance(figures, dict):
            raise InputError(
                display, tr("{name}: expected a list of 5 counts or a mapping", name=name)
            )
        lines.append(_yaml_line(key, origin, display, str(name), figures))
    return lines


def _yaml_line(
    key: str, origin: str, display: str, name: str, figures: dict[str, Any]
) -> SummaryLine:
    def bad(field: str, problem: str, value: Any) -> InputError:
        return InputError(
            display,
            tr(
                "{name}.{field}: {problem} (value {value!r})",
                name=name,
                field=field,
                problem=problem,
                value=value,
            ),
        )

    known = {"stars", "counts", "percent", "percents", "percentages", "raters", "score"}
    unknown = set(map(str, figures)) - known
    if unknown:
        raise InputError(
            display,
            tr(
                "{name}: unknown key {key} (use {known})",
                name=name,
                key=sorted(unknown)[0],
                known=", ".join(sorted(known)),
            ),
        )
    raters = figures.get("raters")
    raters_n = _whole(
        None if raters is None else str(raters),
        lambda v: bad("raters", tr("not a whole number"), v),
    )
    score = figures.get("score")
    score_n = _number(
        None if score is None else str(score), lambda v: bad("score", tr("not a score"), v)
    )
    counts = figures.get("stars", figures.get("counts"))
    percents = figures.get("percent", figures.get("percents", figures.get("percentages")))
    if counts is not None:
        if not isinstance(counts, list) or len(counts) != len(STAR_KEYS):
            raise bad("stars", tr("expected 5 counts (5★ … 1★)"), counts)
        values = tuple(
            _whole(str(c), lambda v: bad("stars", tr("not a whole count"), v)) or 0 for c in counts
        )
        return SummaryLine(key, origin, values, None, 0, raters_n, score_n)
    if percents is not None:
        if not isinstance(percents, list) or len(percents) != len(STAR_KEYS):
            raise bad("percent", tr("expected 5 percentages (5★ … 1★)"), percents)
        if raters_n is None:
            raise bad("raters", tr("percentages need the number of raters"), None)
        texts = [_clean(str(p)).removesuffix("%").strip() for p in percents]
        parsed = tuple(
            _number(t, lambda v: bad("percent", tr("not a percentage"), v)) or Fraction(0)
            for t in texts
        )
        decimals = max(len(t.partition(".")[2]) for t in texts)
        return SummaryLine(key, origin, None, parsed, decimals, raters_n, score_n)
    if score_n is None or raters_n is None:
        raise InputError(
            display,
            tr(
                "{name}: needs stars (5 counts), or raters and percent (5 percentages), or score and raters",
                name=name,
            ),
        )
    return SummaryLine(key, origin, None, None, 0, raters_n, score_n)
