"""DSR from the shop page's star counts (SPEC §3): exact scores, flags, 5-star ratings needed,
percentages turned into counts, the what-if."""

from __future__ import annotations

import math
from datetime import datetime
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tmallcli.config import load_config
from tmallcli.metrics.dsr import DsrRules, five_star_needed
from tmallcli.metrics.dsr_stars import (
    StarsError,
    compute_page_dsr,
    counts_from_percent,
    from_counts,
    from_percent,
    from_score,
    total_stars,
)

CONFIG = load_config()
RULES = DsrRules.from_config(CONFIG, CONFIG.category("默认"))
AS_OF = datetime(2026, 11, 20, 23, 59, 59)
T44, T46 = Fraction("4.4"), Fraction("4.6")


def page(**counts: tuple[int, ...]):  # type: ignore[no-untyped-def]
    figures = {k: from_counts(k, "--stars", v) for k, v in counts.items()}
    return compute_page_dsr(figures, RULES, AS_OF)


def test_the_spec_example() -> None:
    # 30×5 + 10×4 + 5×3 + 3×2 + 2×1 = 150 + 40 + 15 + 6 + 2 = 213 over 50 raters = 4.26.
    # For 4.4: (4.4·50 − 213) / (5 − 4.4) = 7 / 0.6 = 11.67 → 12; for 4.6: 17 / 0.4 = 42.5 → 43.
    d = page(description=(30, 10, 5, 3, 2)).dimensions["description"]
    assert d.exact == Fraction(213, 50) and d.score == 4.26 and d.count == 50
    assert d.five_star_needed == {"4.4": 12, "4.6": 43}
    assert d.flags == ["search_demotion", "activity_ineligible"]
    # 12 more 5-star: 273/62 = 4.403 ≥ 4.4; 11 more: 268/61 = 4.393 < 4.4.
    assert Fraction(213 + 60, 62) >= T44 > Fraction(213 + 55, 61)
    assert d.vs_industry_percent == -11.25  # (4.26 − 4.8) / 4.8 = −11.25 %


def test_a_count_landing_exactly_on_46() -> None:
    # 4,4,2,0,0 → 20 + 16 + 6 = 42 over 10 = 4.2; for 4.6: (46 − 42) / 0.4 = 10 exactly, and
    # (42 + 50) / 20 = 92/20 = 4.6 exactly: ten, not eleven (a float quotient 9.999… or
    # 10.000…1 would be off by one either way).
    d = page(logistics=(4, 4, 2, 0, 0)).dimensions["logistics"]
    assert d.five_star_needed["4.6"] == 10
    assert Fraction(42 + 5 * 10, 10 + 10) == T46
    assert Fraction(42 + 5 * 9, 10 + 9) < T46
    # After the ten 5-star ratings the score IS 4.6: not below it, so no flag.
    after = page(logistics=(14, 4, 2, 0, 0)).dimensions["logistics"]
    assert after.exact == T46 and "activity_ineligible" not in after.flags
    assert after.five_star_needed["4.6"] == 0
    # A page exactly on 4.6 (3,2,0,0,0 → 23/5): eligible, nothing needed.
    on = page(service=(3, 2, 0, 0, 0)).dimensions["service"]
    assert on.exact == T46 and on.flags == [] and on.five_star_needed["4.6"] == 0


def test_the_exact_boundary_where_floats_go_wrong() -> None:
    # 1,3,0,0,0 → 5 + 12 = 17 over 4; for 4.4: (17.6 − 17) / 0.6 = 1 exactly. In floats
    # (4.4·4 − 17) / (5 − 4.4) = 1.0000000000000018 → ceil 2.
    assert math.ceil((4.4 * 4 - 17) / (5 - 4.4)) == 2
    d = page(description=(1, 3, 0, 0, 0)).dimensions["description"]
    assert d.five_star_needed["4.4"] == 1
    assert Fraction(17 + 5, 5) == T44


@given(
    counts=st.tuples(*[st.integers(0, 400)] * 5).filter(lambda c: sum(c) > 0),
    threshold=st.sampled_from([T44, T46]),
)
@settings(max_examples=300, deadline=None)
def test_five_star_needed_is_the_least_n(counts: tuple[int, ...], threshold: Fraction) -> None:
    total, raters = total_stars(counts), sum(counts)
    n = five_star_needed(total, raters, threshold)
    assert Fraction(total + 5 * n, raters + n) >= threshold
    if n:
        assert Fraction(total + 5 * (n - 1), raters + n - 1) < threshold


def test_what_if_three_more_one_star_ratings() -> None:
    # 213 + 3 = 216 over 53 = 4.0755 → 4.08; for 4.4: (233.2 − 216) / 0.6 = 28.67 → 29;
    # for 4.6: (243.8 − 216) / 0.4 = 69.5 → 70.
    figures = {"description": from_counts("description", "--stars", (30, 10, 5, 3, 2))}
    result = compute_page_dsr(figures, RULES, AS_OF, added={"description": (0, 0, 0, 0, 3)})
    after = result.what_if["description"].dimension
    assert after.exact == Fraction(216, 53) and after.score == 216 / 53 and after.count == 53
    assert after.five_star_needed == {"4.4": 29, "4.6": 70}
    assert result.dimensions["description"].exact == Fraction(213, 50)  # the page unchanged
    with pytest.raises(StarsError):
        compute_page_dsr(figures, RULES, AS_OF, added={"service": (1, 0, 0, 0, 0)})


def test_score_and_raters_only() -> None:
    # 4.5 over 100 raters: Σ = 450 taken as exact; for 4.6: (460 − 450) / 0.4 = 25 exactly.
    f = from_score("logistics", "x", Fraction("4.5"), 100)
    d = compute_page_dsr({"logistics": f}, RULES, AS_OF).dimensions["logistics"]
    assert f.stars is None and d.exact == Fraction(9, 2)
    assert d.flags == ["activity_ineligible"] and d.five_star_needed == {"4.4": 0, "4.6": 25}
    assert f.notes  # says the counts are unknown and the score is taken as exact
    with pytest.raises(StarsError):
        from_score("logistics", "x", Fraction("4.5"), 0)


def test_percentages_as_the_page_shows_them() -> None:
    # 50 raters × 60 / 20 / 10 / 6 / 4 % = 30, 10, 5, 3, 2: whole counts, adding up to 50.
    assert counts_from_percent(50, [Fraction(p) for p in (60, 20, 10, 6, 4)], 2) == (
        (30, 10, 5, 3, 2),
        False,
        [],
    )
    # 7 raters × 57.14 / 14.29 … % = 3.9998, 1.0003 …: nearest 4, 1, 1, 1, 0 (= 7).
    counts, approximate, notes = counts_from_percent(
        7, [Fraction(p) for p in ("57.14", "14.29", "14.29", "14.29", "0")], 2
    )
    assert counts == (4, 1, 1, 1, 0) and not approximate and not notes


def test_percentages_that_do_not_add_up_to_the_raters() -> None:
    # 1000 × 96.15 / 2.05 / 0.90 / 0.40 / 0.50 % = 961.5, 20.5, 9, 4, 5: rounded half up
    # 962 + 21 + 9 + 4 + 5 = 1001, one too many: taken from the share rounded up the most
    # (961.5 and 20.5 both by 0.5: the higher star first) → 961, 21, 9, 4, 5.
    percents = [Fraction(p) for p in ("96.15", "2.05", "0.90", "0.40", "0.50")]
    counts, approximate, notes = counts_from_percent(1000, percents, 2)
    assert counts == (961, 21, 9, 4, 5) and sum(counts) == 1000
    assert approximate and "1001" in notes[0]
    # Whole percentages of 1000 raters: each shown share is ± 0.5 % = ± 5 ratings.
    _, approximate, notes = counts_from_percent(1000, [Fraction(p) for p in (50, 30, 10, 5, 5)], 0)
    assert approximate and "5 rating(s)" in notes[-1]
    f = from_percent("logistics", "x", 1000, percents, 2, Fraction("4.93"))
    assert f.total == 4929 and f.approximate  # 4805 + 84 + 27 + 8 + 5; shown 4.93 agrees


def test_counts_against_the_raters_and_the_shown_score() -> None:
    with pytest.raises(StarsError, match="add up to 50 ratings, not the 51"):
        from_counts("description", "x", (30, 10, 5, 3, 2), raters=51)
    f = from_counts("description", "x", (30, 10, 5, 3, 2), shown_score=Fraction("4.3"))
    assert "4.26" in f.notes[0]
    with pytest.raises(StarsError):
        from_counts("description", "x", (30, 10, 5, 3))


def test_what_the_page_cannot_say() -> None:
    result = page(description=(30, 10, 5, 3, 2))
    assert result.excluded == {
        "duplicate_order": None,
        "over_monthly_cap": None,
        "outside_window": None,
    }
    assert result.items == [] and result.source == "stars"
    missing = result.dimensions["service"]
    assert not missing.given and missing.score is None and missing.flags == []
