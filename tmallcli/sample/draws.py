"""The shop plan and the random draws every export shares: the shop's calendar, buyers and
catalogue probabilities, the counters that keep ids unique across chunks, and the small
vectorised helpers (scrambled ids, uniform and log-normal times, per-row choices)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from tmallcli.sample.world import (
    CARRIERS,
    CURATED_NICKS,
    DAY,
    HISTORY_DAYS,
    HOUR,
    ITEMS,
    NA,
    PROVINCES,
    REFUND_REASONS,
    WAREHOUSES,
)


@dataclass
class Counters:
    """Running numbers across chunks, so ids stay unique in the whole shop."""

    package: int = 0
    refund: int = 0
    complaint: int = 0


@dataclass(frozen=True)
class Shop:
    """The shop plan every chunk draws from: its calendar (a growing shop, weekends, 11.11
    and the other promotions), its buyers, and the shares of items, provinces, carriers and
    warehouses."""

    orders: int
    seed: int
    as_of: date
    end: int  # the as-of instant, as_of 23:59:59, in naive-local epoch seconds
    today: int  # as_of as an epoch day number
    buyers: int
    day_cdf: np.ndarray  # over days_ago 0..HISTORY_DAYS-1
    double11: np.ndarray  # days_ago -> is 11.11 (presale balance paid at midnight)
    peak: np.ndarray  # days_ago -> warehouses swamped (11.11 and the two days after)
    nick_width: int  # base36 digits of a tb_ nick: 5, or 6 for huge shops
    item_ids: np.ndarray
    item_price: np.ndarray
    item_p: np.ndarray
    province_p: np.ndarray
    carrier_p: np.ndarray
    warehouse_p: np.ndarray

    @classmethod
    def build(cls, orders: int, seed: int, as_of: date) -> Shop:
        today = (as_of - date(1970, 1, 1)).days
        days = [date.fromordinal(as_of.toordinal() - d) for d in range(HISTORY_DAYS)]
        promo = {(11, 11): 6.0, (11, 10): 1.6, (11, 12): 1.8, (11, 1): 2.0, (6, 18): 3.0,
                 (6, 1): 1.5, (12, 12): 2.0}  # fmt: skip
        weights = np.array(
            [
                (1.0 + 0.8 * (1 - d / HISTORY_DAYS))  # a growing shop
                * (1.1 if day.weekday() >= 5 else 1.0)
                * promo.get((day.month, day.day), 1.0)
                for d, day in enumerate(days)
            ]
        )
        cdf = np.cumsum(weights) / weights.sum()
        double11 = np.array([(day.month, day.day) == (11, 11) for day in days])
        peak = np.array([day.month == 11 and 11 <= day.day <= 13 for day in days])
        buyers = max(20, int(orders * 0.55))
        population = buyers * 2 + len(CURATED_NICKS)  # buyers and browsing visitors
        nick_width = 5 if population < 36**5 else 6
        item_ids = 600_000_000_000 + scrambled_ids(np.arange(len(ITEMS)), 11, seed)
        return cls(
            orders=orders,
            seed=seed,
            as_of=as_of,
            end=(today + 1) * DAY - 1,
            today=today,
            buyers=buyers,
            day_cdf=cdf,
            double11=double11,
            peak=peak,
            nick_width=nick_width,
            item_ids=item_ids,
            item_price=np.array([price for _, price, _ in ITEMS], dtype=np.int64),
            item_p=shares([share for *_, share in ITEMS]),
            province_p=shares([row[3] for row in PROVINCES]),
            carrier_p=shares([row[1] for row in CARRIERS]),
            warehouse_p=shares([row[1] for row in WAREHOUSES]),
        )


def shares(weights: Sequence[float]) -> np.ndarray:
    array = np.asarray(weights, dtype=float)
    return array / array.sum()


def scrambled_ids(index: np.ndarray, digits: int, salt: int) -> np.ndarray:
    """Distinct, random-looking numbers below 10**digits for distinct indices below 10**9:
    the low 9 digits are a bijection of the index (multiplier coprime with 10), the digits
    above them a splitmix64 hash."""
    index = np.asarray(index, dtype=np.int64)
    low = (index * 618_033_989 + salt * 123_456_791) % 10**9
    z = index.astype(np.uint64) + np.uint64(0x9E3779B97F4A7C15 * (salt + 1) % 2**64)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    z = z ^ (z >> np.uint64(31))
    high = (z % np.uint64(10 ** (digits - 9))).astype(np.int64)
    return high * 10**9 + low


def between(rng: np.random.Generator, n: int, low: float, high: float) -> np.ndarray:
    return rng.integers(int(low), int(high), n, dtype=np.int64)


def lognormal(rng: np.random.Generator, n: int, median: float, sigma: float) -> np.ndarray:
    return (median * rng.lognormal(0.0, sigma, n)).astype(np.int64)


def rows_choice(rng: np.random.Generator, probabilities: np.ndarray) -> np.ndarray:
    """One categorical draw per row, each row with its own probabilities."""
    cumulative = probabilities.cumsum(axis=1)
    cumulative /= cumulative[:, -1:]
    u = rng.random(len(probabilities))
    return (u[:, None] > cumulative).sum(axis=1)


def choose(rng: np.random.Generator, mask: np.ndarray, k: int) -> np.ndarray:
    candidates = np.flatnonzero(mask)
    if len(candidates) == 0 or k <= 0:
        return candidates[:0]
    return np.sort(rng.choice(candidates, size=min(k, len(candidates)), replace=False))


def draw_reasons(
    rng: np.random.Generator, n: int, table: Sequence[tuple[str, float]]
) -> np.ndarray:
    """Draw refund reasons from ``table`` as indices into REFUND_REASONS."""
    codes = np.array([REFUND_REASONS.index(reason) for reason, _ in table])
    return codes[rng.choice(len(table), n, p=shares([share for _, share in table]))]


def cut_future(times: np.ndarray, end: int) -> np.ndarray:
    """Times after the as-of instant have not happened yet."""
    return np.where(times <= end, times, NA)


def hour_of_day(times: np.ndarray) -> np.ndarray:
    return (times % DAY) // HOUR


def tracking_digits(package: np.ndarray) -> np.ndarray:
    return scrambled_ids(package, 11, 4)
