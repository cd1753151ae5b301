"""店铺动态评分 from the shop's DSR page: the star counts the seller sees (SPEC §3).

The ratings behind the DSR are anonymous: the seller cannot tell which buyer gave which stars
(the review exports carry no per-order DSR, SPEC §2.1). What the seller center shows is, per
dimension, the score, the number of raters over the 180 days and the share of each star
(5 … 1). The page's counts already follow the platform's counting rules (one rating per
order, 3 per buyer per month, 180 days), so the score is their mean: Σ stars × count / raters.

Three ways the page's figures come in, each kept as exact as it is:

* the five counts: the score is exact;
* the raters and the five percentages as the page shows them (rounded): the counts are
  raters × percentage, each rounded to the nearest whole rating (:func:`counts_from_percent`);
* the score and the raters: the counts are unknown; the score is taken as exact, so the sum of
  stars is score × raters (a Fraction).

Everything is exact arithmetic (:class:`~fractions.Fraction`): a count landing exactly on a
threshold is at the threshold, not a float's width below it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from fractions import Fraction
from typing import TYPE_CHECKING

from tmallcli.i18n import N_, tr
from tmallcli.metrics.dsr import DIMENSIONS, DimensionScore, DsrRules

if TYPE_CHECKING:
    from tmallcli.metrics.dsr import DsrResult, ItemScore

STARS = (5, 4, 3, 2, 1)  # the order of the page's columns and of every counts tuple here

# Where the page's figures came from.
COUNTS = "counts"
PERCENT = "percent"
SCORE = "score"


class StarsError(ValueError):
    """Figures that cannot be a DSR page (the caller names where they came from)."""


@dataclass(frozen=True)
class PageFigures:
    """One dimension as the shop's DSR page gives it (after percentages became counts)."""

    key: str  # description / service / logistics
    origin: str  # where the figures were given: "--stars", "summary.csv:3"
    source: str  # COUNTS, PERCENT or SCORE
    stars: tuple[int, ...] | None  # counts of 5 … 1 stars; None when only the score is known
    raters: int
    total: Fraction  # Σ stars (exact from counts; score × raters when only the score is known)
    approximate: bool = False  # counts derived from rounded percentages may be off by a rating
    shown_score: Fraction | None = None  # the score the page printed, when given
    notes: tuple[str, ...] = ()


def total_stars(counts: tuple[int, ...]) -> int:
    """Σ stars of counts of 5 … 1 stars: 30,10,5,3,2 → 150 + 40 + 15 + 6 + 2 = 213."""
    return sum(star * n for star, n in zip(STARS, counts, strict=True))


def _check_counts(counts: tuple[int, ...] | list[int]) -> tuple[int, ...]:
    if len(counts) != len(STARS):
        raise StarsError(
            tr("expected 5 counts (5★ 4★ 3★ 2★ 1★), got {n_counts}", n_counts=len(counts))
        )
    if any(n < 0 for n in counts):
        raise StarsError(tr("a star count cannot be negative"))
    return tuple(counts)


def from_counts(
    key: str,
    origin: str,
    counts: tuple[int, ...] | list[int],
    *,
    raters: int | None = None,
    shown_score: Fraction | None = None,
) -> PageFigures:
    """The five counts: everything follows exactly. ``raters`` and ``shown_score``, when the
    page's line gives them too, are checked against the counts."""
    stars = _check_counts(counts)
    if raters is not None and raters != sum(stars):
        raise StarsError(
            tr(
                "the counts add up to {sum} ratings, not the {raters} raters given",
                sum=sum(stars),
                raters=raters,
            )
        )
    total = Fraction(total_stars(stars))
    notes = _score_differs(key, total, sum(stars), shown_score)
    return PageFigures(
        key, origin, COUNTS, stars, sum(stars), total, shown_score=shown_score, notes=notes
    )


def _score_differs(
    key: str, total: Fraction, raters: int, shown: Fraction | None
) -> tuple[str, ...]:
    """A note when the page's shown score is not the counts' score at the page's 2 decimals."""
    if shown is None or not raters:
        return ()
    derived = round_half_up_fraction(total / raters, 2)
    if derived == round_half_up_fraction(shown, 2):
        return ()
    return (
        f"{key}: the star counts give {float(derived):.2f}, the page's score is "
        f"{float(shown):.2f} (the counts are used)",
    )


def from_score(key: str, origin: str, score: Fraction, raters: int) -> PageFigures:
    """Only the score and the raters: the sum of stars is taken as score × raters, exactly."""
    if not 1 <= score <= 5:
        raise StarsError(tr("a DSR score is between 1 and 5 (got {score:g})", score=float(score)))
    if raters <= 0:
        raise StarsError(tr("the score needs the number of raters (评分人数) above 0"))
    return PageFigures(
        key,
        origin,
        SCORE,
        None,
        raters,
        score * raters,
        shown_score=score,
        notes=(
            f"{key}: only the score and the raters are known; the score {float(score):g} is "
            "taken as exact (the page rounds it), the star counts are unknown",
        ),
    )


def counts_from_percent(
    raters: int, percents: list[Fraction], decimals: int
) -> tuple[tuple[int, ...], bool, list[str]]:
    """Counts of 5 … 1 stars from the raters and the percentages as the page shows them.

    Each count is raters × percentage / 100 rounded to the nearest whole rating (half up).
    When those add up to the raters they are used; when they do not (the page rounds each
    share on its own), the ratings left over or short are given to, or taken from, the stars
    whose exact share was rounded the most (the largest remainders), so the counts add up to
    the raters the page states — and a note says so.

    The counts are exact only when the page's precision resolves a single rating: a shown
    percentage is within half its last digit of the truth, i.e. within raters × 0.5·10^-d %
    ratings; below half a rating the nearest count is the true one. Otherwise they are
    approximate (said in the notes, and ``approximate`` is True).
    """
    if raters < 0:
        raise StarsError(tr("the number of raters cannot be negative"))
    if len(percents) != len(STARS):
        raise StarsError(
            tr(
                "expected 5 percentages (5★ 4★ 3★ 2★ 1★), got {n_percents}",
                n_percents=len(percents),
            )
        )
    if any(p < 0 or p > 100 for p in percents):
        raise StarsError(tr("a percentage is between 0 and 100"))
    exact = [raters * p / 100 for p in percents]
    counts = [math.floor(x + Fraction(1, 2)) for x in exact]
    notes: list[str] = []
    off = raters - sum(counts)
    if off:
        template = (
            N_(
                "the percentages give {ratings} ratings, not the {raters} raters the page "
                "states (each share is rounded); {off} rating(s) added to the stars rounded "
                "the most"
            )
            if off > 0
            else N_(
                "the percentages give {ratings} ratings, not the {raters} raters the page "
                "states (each share is rounded); {off} rating(s) taken from the stars rounded "
                "the most"
            )
        )
        notes.append(tr(template, ratings=sum(counts), raters=raters, off=abs(off)))
        # The stars whose rounding moved furthest from the exact share in the direction
        # that needs correcting; ties: the higher star first (the page's order).
        order = sorted(
            range(len(STARS)),
            key=lambda i: (-(exact[i] - counts[i]) if off > 0 else (exact[i] - counts[i]), i),
        )
        step = 1 if off > 0 else -1
        while off:
            movable = [i for i in order if step > 0 or counts[i] > 0]
            if not movable:
                raise StarsError(tr("the percentages cannot give the number of raters"))
            for i in movable[: abs(off)]:
                counts[i] += step
                off -= step
    error = Fraction(raters, 2 * 100 * 10**decimals)  # half the last shown digit, in ratings
    approximate = error >= Fraction(1, 2) or bool(notes)
    if approximate:
        notes.append(
            tr(
                "counts derived from percentages shown with {decimals} decimal(s): each may be off by up to {value} rating(s)",
                decimals=decimals,
                value=math.ceil(error),
            )
        )
    return tuple(counts), approximate, notes


def from_percent(
    key: str,
    origin: str,
    raters: int,
    percents: list[Fraction],
    decimals: int,
    shown_score: Fraction | None = None,
) -> PageFigures:
    counts, approximate, notes = counts_from_percent(raters, percents, decimals)
    notes = [f"{key}: {n}" for n in notes]
    total = Fraction(total_stars(counts))
    notes += _score_differs(key, total, raters, shown_score)
    return PageFigures(
        key,
        origin,
        PERCENT,
        counts,
        raters,
        total,
        approximate,
        shown_score,
        tuple(notes),
    )


def round_half_up_fraction(value: Fraction, digits: int) -> Fraction:
    scale = 10**digits
    return Fraction(math.floor(value * scale + Fraction(1, 2)), scale)


def with_counts(figures: PageFigures, counts: tuple[int, ...], origin: str) -> PageFigures:
    """The page's figures with more ratings (the ``--add`` what-if)."""
    added = _check_counts(counts)
    return PageFigures(
        figures.key,
        origin,
        figures.source,
        None
        if figures.stars is None
        else tuple(a + b for a, b in zip(figures.stars, added, strict=True)),
        figures.raters + sum(added),
        figures.total + total_stars(added),
        figures.approximate,
    )


@dataclass
class PageDimension(DimensionScore):
    """A dimension's score from the page's figures; ``figures`` None: the page's figures for
    this dimension were not given (no score, nothing needed, no flag)."""

    figures: PageFigures | None = None

    @property
    def given(self) -> bool:
        return self.figures is not None

    @property
    def five_star_needed(self) -> dict[str, int]:
        if not self.given:
            return {}
        return super().five_star_needed


def page_dimension(key: str, figures: PageFigures | None, rules: DsrRules) -> PageDimension:
    # DimensionScore keeps an int total for ratings; from the page it may be score × raters.
    total = Fraction(0) if figures is None else figures.total
    count = 0 if figures is None else figures.raters
    return PageDimension(
        key,
        total,
        count,
        rules.industry.get(key),
        rules.thresholds,
        figures,
    )


@dataclass
class WhatIf:
    """A dimension after hypothetical new ratings (``--add description=0,0,0,0,3``)."""

    added: tuple[int, ...]  # counts of 5 … 1 stars added
    dimension: PageDimension


@dataclass
class PageDsr:
    """The DSR from the shop page's figures; ``ratings``: the score recomputed from a
    per-rating export, when one was given too (shown side by side)."""

    as_of: datetime
    dimensions: dict[str, PageDimension]
    what_if: dict[str, WhatIf] = field(default_factory=dict)
    ratings: DsrResult | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def items(self) -> list[ItemScore]:
        """The page has no per-item stars: the drill-down comes from the ratings, if any."""
        return [] if self.ratings is None else self.ratings.items

    @property
    def excluded(self) -> dict[str, int | None]:
        """What the counting rules left out: known from a per-rating export only (the page's
        counts are after the rules, it does not say what they excluded)."""
        if self.ratings is not None:
            return dict(self.ratings.excluded)
        return {"duplicate_order": None, "over_monthly_cap": None, "outside_window": None}

    @property
    def source(self) -> str:
        return "stars" if self.ratings is None else "stars+ratings"


def compute_page_dsr(
    figures: dict[str, PageFigures],
    rules: DsrRules,
    as_of: datetime,
    *,
    added: dict[str, tuple[int, ...]] | None = None,
    ratings: DsrResult | None = None,
) -> PageDsr:
    """Score, flags, 5-star ratings needed and industry comparison of each dimension the page's
    figures give, with the ``added`` what-if (counts of 5 … 1 stars per dimension)."""
    dimensions = {key: page_dimension(key, figures.get(key), rules) for key in DIMENSIONS}
    what_if: dict[str, WhatIf] = {}
    for key, counts in (added or {}).items():
        base = figures.get(key)
        if base is None:
            raise StarsError(
                tr("{key}: no star counts to add to (give the page's figures for it)", key=key)
            )
        after = with_counts(base, counts, f"{base.origin} + --add")
        what_if[key] = WhatIf(tuple(counts), page_dimension(key, after, rules))
    notes = [note for f in figures.values() for note in f.notes]
    return PageDsr(as_of, dimensions, what_if, ratings, notes)
