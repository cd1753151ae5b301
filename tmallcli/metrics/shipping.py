"""When each order was really picked up (揽收), shared by §4 pickup and §5 compensation.

Seed 000: 商家的发货时间,以物流及其平台系统内记录的时间为准 — the seller's click on 发货
(`shipped_at`) is not a pickup. The time is the tracking event that says 已揽收/揽件, or for
菜鸟 warehouses the states after 包裹已出库: 正在发往分拨中心, 已进入分拨中心, 已完成分拨集包,
已从分拨中心发出. An order with several packages is picked up when its last package is.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import polars as pl

from tmallcli.frames import repeats, scattered

# The §5 amount of one late order: its one home is tmallcli.money (the pickup metric imports
# it from here under this name).

ORDER_COLUMNS = (
    "order_id",
    "buyer",
    "paid_amount",
    "shipping_fee",
    "status",
    "paid_at",
    "shipped_at",
    "picked_up_at",
    "promised_ship_by",
    "tracking_no",
    "carrier",
    "warehouse",
)
EVENT_COLUMNS = ("tracking_no", "order_id", "event_at", "event", "action")


@dataclass(frozen=True)
class PickupWords:
    """Which tracking events are a pickup (config ``pickup``): the texts, and the open-platform
    action codes (节点说明) that decide instead of the text where an event carries one."""

    pickup: tuple[str, ...]
    cainiao: tuple[str, ...]
    not_pickup: tuple[str, ...]
    actions: tuple[str, ...] = ()  # capitals (GOT); none: an event with a code is no pickup

    @classmethod
    def from_config(cls, pickup: Any) -> PickupWords:
        return cls(
            tuple(pickup.pickup_keywords),
            tuple(pickup.cainiao_keywords),
            tuple(pickup.not_pickup_keywords),
            tuple(pickup.pickup_actions),
        )


def _word_pattern(word: str) -> str:
    """``word`` as a regex in which a full-width and an ASCII comma are the same (SPEC §2:
    text is matched comma-blind; the tracking texts are free text, kept as written)."""
    return "[,，]".join(re.escape(part) for part in word.replace("，", ",").split(","))


def _contains_any(column: pl.Expr, words: tuple[str, ...]) -> pl.Expr:
    if not words:
        return pl.lit(False)
    # One regex of the literal words: Rust's regex finds literal alternatives with SIMD, twice
    # as fast as str.contains_any's automaton on 33 M tracking texts (1.2 s against 2.8 s).
    return column.str.contains("|".join(_word_pattern(word) for word in words))


def is_pickup_event(words: PickupWords, *, with_action: bool = False) -> pl.Expr:
    """Is the event a pickup? Its text holds a pickup word and no word of ``not_pickup``;
    ``with_action``: the frame has an ``action`` column (the open-platform 节点说明), and an
    event with a code is a pickup when the code is one of ``actions`` (SPEC §2.1: the code
    decides when there is one, else the text)."""
    text = pl.col("event").fill_null("")
    said = _contains_any(text, words.pickup + words.cainiao)
    # The words that undo a pickup word are looked for only in the texts that hold one (a
    # third of them): 3.3 M tracking texts 0.55 s -> 0.43 s. (``said & ~…`` reads them all.)
    by_text = pl.when(said).then(~_contains_any(text, words.not_pickup)).otherwise(False)
    if not with_action:
        return by_text
    code = pl.col("action").str.strip_chars().str.to_uppercase()
    return (
        pl.when(code.is_not_null() & (code != ""))
        .then(code.is_in(list(words.actions)))
        .otherwise(by_text)
    )


# ``event_at``: the package's newest event, so that a run on the folded events still knows
# how far the tracking export reaches (SPEC §14 data_through).
PACKAGE_COLUMNS = ("tracking_no", "order_id", "pickup_at", "event_at")


def _folded(events: pl.LazyFrame) -> bool:
    """Are these :func:`package_pickups` rows (not raw tracking events)?"""
    return set(events.collect_schema().names()) == set(PACKAGE_COLUMNS)


@dataclass(frozen=True, eq=False)
class Packages:
    """The packages of some orders: their tracking numbers, and the order numbers (events that
    carry no tracking number name the order). Compared by identity (a load cache key)."""

    tracking_nos: pl.Series
    order_ids: pl.Series

    @classmethod
    def of(cls, orders: pl.DataFrame) -> Packages:
        tracking = order_packages(orders.lazy()).collect().get_column("tracking_no")
        return cls(tracking, orders.get_column("order_id"))

    def named(self) -> pl.Expr:
        """Is the package (tracking_no, order_id) one of these?"""
        return pl.col("tracking_no").is_in(self.tracking_nos.implode()) | pl.col("order_id").is_in(
            self.order_ids.implode()
        )


def package_pickups(
    events: pl.LazyFrame,
    words: PickupWords,
    apart: tuple[str, ...] = (),
    only: Packages | None = None,
) -> pl.LazyFrame:
    """Tracking events folded to what the pickup rule reads of them: one row per
    (tracking_no, order_id) an event names, with ``pickup_at`` its earliest pickup event (null
    when none was a pickup) and ``event_at`` its newest event. Folding its own output again
    gives the same frame, so the reader folds each file as it streams in (30 M events become a
    row per package) and then the files together; exact duplicate events change nothing. Rows that differ in a column of ``apart``
    are folded apart (and kept where those columns are filled): the reader keeps its bad rows
    out of the good ones so (see :data:`tmallcli.exports.read_options.Reduce`). With ``only``, just
    those packages (the filter reads the group keys alone, so it commutes with the fold).
    """
    picked = None  # rows already folded (one file of several) have their pickup_at
    if not _folded(events):
        names = set(events.collect_schema().names())
        columns: dict[str, pl.DataType] = {
            "tracking_no": pl.String(),
            "order_id": pl.String(),
            "event_at": pl.Datetime("us"),
            "event": pl.String(),
        }
        events = events.with_columns(
            pl.lit(None, dtype).alias(c) for c, dtype in columns.items() if c not in names
        )
        pickup = is_pickup_event(words, with_action="action" in names)
        picked = pl.when(pickup).then(pl.col("event_at")).alias("pickup_at")
    keep = pl.any_horizontal(pl.col(c).is_not_null() for c in ("tracking_no", "order_id"))
    if only is not None:
        keep = keep & only.named()
    if apart:
        keep = keep | pl.any_horizontal(pl.col(c).is_not_null() for c in apart)
    # The rows kept first, then their texts matched: a fold of some packages reads the
    # pickup words of their events only.
    rows = events.filter(keep)
    if picked is not None:
        rows = rows.with_columns(picked)
    keys = ("tracking_no", "order_id", *apart)
    return (
        rows.group_by(pl.struct(keys).alias("_package"))
        .agg(pl.col("pickup_at").min(), pl.col("event_at").max())
        .unnest("_package")
        .select(*keys, "pickup_at", "event_at")
    )


@dataclass(frozen=True)
class PackagePickups:
    """:func:`package_pickups` as the reader's ``reduce`` for the logistics export (``only``:
    the packages of some orders, e.g. those the pickup rate reads)."""

    words: PickupWords
    only: Packages | None = None

    def __call__(self, events: pl.LazyFrame, apart: tuple[str, ...] = ()) -> pl.LazyFrame:
        return package_pickups(events, self.words, apart, self.only)

    @property
    def whole(self) -> bool:
        """Does the fold read every package (the reader then keeps the rows in its cache)?"""
        return self.only is None


def as_packages(events: pl.LazyFrame, words: PickupWords) -> pl.LazyFrame:
    """Events as :func:`package_pickups` rows: folded now unless the reader already did."""
    return events if _folded(events) else package_pickups(events, words)


def order_packages(orders: pl.LazyFrame) -> pl.LazyFrame:
    """(order_id, tracking_no) for every package an order names; tracking_no joined by ','.
    A pair repeats where a cell names a tracking number twice (every use here is a set, a
    semi join or an any/max per order, which a repeat does not change)."""
    return (
        orders.select("order_id", pl.col("tracking_no").str.split(","))
        .explode("tracking_no")
        .filter(pl.col("tracking_no").is_not_null() & (pl.col("tracking_no") != ""))
    )


def names_no_package() -> pl.Expr:
    """An order whose tracking_no cell names no package (empty, or only separators)."""
    return pl.col("tracking_no").is_null() | ~pl.col("tracking_no").str.contains("[^,]")


def with_pickup_times(
    orders: pl.LazyFrame, events: pl.LazyFrame | None, words: PickupWords
) -> pl.LazyFrame:
    """``orders`` (one row per order, with ``order_id``, ``picked_up_at``, ``tracking_no``)
    with ``pickup_at`` (null = not picked up) and ``has_pickup_info`` added. The columns are
    computed apart and set beside the orders row for row, so ``orders`` must come out in the
    same order each time it is read: a frame in memory (``DataFrame.lazy()``), as every
    caller has.

    ``picked_up_at`` from the orders export wins where it is filled. Otherwise each package's
    pickup is its earliest pickup event, keyed by tracking number, or by order number where
    events carry none; the order's pickup is its last package's (one package never picked
    makes the order not picked). ``has_pickup_info`` is false when neither the orders export
    nor any tracking event says anything about the order (§5 then falls back to shipped_at).
    """
    unshipped, known = _item_flags(orders)
    if events is None:
        return orders.with_columns(
            pl.when(~unshipped).then(pl.col("picked_up_at")).alias("pickup_at"),
            (pl.col("picked_up_at").is_not_null() | known | unshipped).alias("has_pickup_info"),
        )
    # Folded: one row per (tracking_no, order_id), so no selection of it needs unique().
    # Materialised once: the checks below and the lookups read it, and a plan (raw events,
    # or the report's whole fold filtered to some packages) would be run by each.
    packs = as_packages(events, words).collect()
    tracked = packs.filter(pl.col("tracking_no").is_not_null())
    untracked = packs.filter(pl.col("tracking_no").is_null() & pl.col("order_id").is_not_null())
    first_pickup = pl.col("pickup_at").min()

    # Nearly every order names one package: its pickup is looked up by one join on the
    # package, computed beside the orders' own columns in their row order and set next to
    # them — joining the wide orders frame would copy its every column twice. A number that
    # names several packages or none finds none of the fold's, and its result is not read.
    # (names_no_package's pattern, read for every order, took as long again as all this.)
    number = pl.col("tracking_no")
    one_package = (number.str.len_bytes() > 0) & ~number.str.contains(",", literal=True)
    # Told once for every order (10 M: 0.27 s): the others below and the final pick read it.
    packages = orders.select(one_package.fill_null(False).alias("_package")).collect()
    # The packages' hashes, found distinct once: the orders of several packages are looked
    # up by them too.
    hashes = tracked.select(_number_hash(number)).to_series()
    distinct = not repeats(hashes).any()
    direct = _lookup_by_hash(orders, tracked, _number_hash, hashes) if distinct else None
    direct_failed = direct is None
    # Every tracking number an event names (_seen), with its earliest pickup. The fold has a
    # row per (tracking_no, order_id): one per package (the lookup found the hashes
    # distinct) unless events name a package under two orders, which the group_by merges.
    if direct is not None:
        by_tracking = tracked.lazy().select("tracking_no", "pickup_at", pl.lit(True).alias("_seen"))
    else:
        by_tracking = (
            tracked.lazy()
            .group_by("tracking_no")
            .agg(first_pickup.alias("pickup_at"), pl.lit(True).alias("_seen"))
        )
        direct = (
            orders.select("tracking_no")
            .join(by_tracking, on="tracking_no", how="left", maintain_order="left")
            .select("pickup_at", "_seen")
            .collect()
        )
    by_order = untracked.lazy().group_by("order_id").agg(first_pickup.alias("order_pickup_at"))
    # The others (several packages, or none named: then their packages are those the events
    # name for them) are folded per order: the order's pickup is its last package's. They
    # are few, and their results are set into their rows by row number. Found once: three
    # queries below read them (10 M orders, 1.2 M of them others: 1.7 s -> 1.0 s).
    others = (
        pl.concat([orders.select("order_id", "tracking_no"), packages.lazy()], how="horizontal")
        .with_row_index("_row")
        .filter(~pl.col("_package"))
        .select("_row", "order_id", "tracking_no")
        .collect()
        .lazy()
    )
    # The events of the orders that name no package: those whose order number's hash is one
    # of theirs, then compared as text (a join on every event's order number took 0.8 s for
    # 10 M orders, and found none).
    unnamed = others.filter(names_no_package()).select("order_id").collect()
    event_packages = (
        tracked.lazy()
        .filter(
            pl.col("order_id").is_not_null()
            & pl.col("order_id").hash().is_in(unnamed.get_column("order_id").hash().implode())
        )
        .select("order_id", "tracking_no")
        .join(unnamed.lazy(), on="order_id", how="semi")
    )
    pairs = pl.concat([order_packages(others), event_packages], how="vertical").collect()
    # Their packages looked up as the one-package orders' are, by hash (a join of the text
    # hashes every package's number again: 10 M orders, 1.2 s).
    by_hash = (
        None if direct_failed else _lookup_by_hash(pairs.lazy(), tracked, _number_hash, hashes)
    )
    looked = (
        pairs.lazy().join(by_tracking, on="tracking_no", how="left")
        if by_hash is None
        else pl.concat([pairs, by_hash], how="horizontal").lazy()
    )
    per_order = (
        looked.join(by_order, on="order_id", how="left")
        .with_columns(pl.coalesce("pickup_at", "order_pickup_at").alias("pickup_at"))
        .group_by("order_id")
        .agg(
            pl.when(pl.col("pickup_at").null_count() == 0)
            .then(pl.col("pickup_at").max())
            .alias("several_pickup_at"),
            # Did any event at all mention a package of the order (or the order, untracked)?
            (pl.col("_seen").fill_null(False) | pl.col("order_pickup_at").is_not_null())
            .any()
            .alias("several_known"),
        )
    )
    several = others.select("_row", "order_id").join(per_order, on="order_id", how="left").collect()
    rows = several.get_column("_row")
    parts = [
        orders.select("picked_up_at"),
        packages.lazy(),
        direct.lazy(),
        pl.DataFrame(
            scattered(several.get_column(name), rows, direct.height)
            for name in ("several_pickup_at", "several_known")
        ).lazy(),
    ]
    # Events without a tracking number name their order: every order is then looked up by
    # its number; most logistics exports have none, and the lookup is left out.
    if untracked.height:
        by_number = orders.select("order_id").join(
            by_order, on="order_id", how="left", maintain_order="left"
        )
        parts.append(by_number.select("order_pickup_at"))
    combined = pl.concat(parts, how="horizontal")
    if not untracked.height:
        combined = combined.with_columns(pl.lit(None, pl.Datetime("us")).alias("order_pickup_at"))
    single = pl.col("_package")
    if any(flag in orders.collect_schema().names() for flag in FOLD_FLAGS):
        combined = pl.concat(
            [combined, orders.select(unshipped.alias("_unshipped"), known.alias("_known"))],
            how="horizontal",
        )
        unshipped, known = pl.col("_unshipped"), pl.col("_known")
    found = combined.select(
        # One package: its pickup, else what untracked events of the order say (as a
        # package's pickup does in the fold of several). An item of the order that never
        # shipped keeps it from being picked up.
        pl.when(~unshipped)
        .then(
            pl.coalesce(
                "picked_up_at",
                pl.when(single).then(pl.col("pickup_at")).otherwise(pl.col("several_pickup_at")),
                "order_pickup_at",
            )
        )
        .alias("pickup_at"),
        (
            known
            | unshipped
            | pl.col("picked_up_at").is_not_null()
            | pl.when(single)
            .then(pl.col("_seen"))
            .otherwise(pl.col("several_known"))
            .fill_null(False)
            | pl.col("order_pickup_at").is_not_null()
        ).alias("has_pickup_info"),
    )
    return pl.concat([orders, found], how="horizontal")


# Set by the reader's fold of an export of one row per item (tmallcli.exports.folding):
# some open item has a 揽收时间; an open item never shipped while another did.
FOLD_FLAGS = ("pickup_known", "unshipped_item")


def _item_flags(orders: pl.LazyFrame) -> tuple[pl.Expr, pl.Expr]:
    """(an open item never shipped, some item's pickup is recorded) of each order, from the
    fold's columns; false for an export of one row per order."""
    names = orders.collect_schema().names()

    def flag(name: str) -> pl.Expr:
        return pl.col(name).fill_null(False) if name in names else pl.lit(False)

    return flag("unshipped_item"), flag("pickup_known")


def _number_hash(number: pl.Expr) -> pl.Expr:
    return number.hash()


def _lookup_by_hash(
    orders: pl.LazyFrame,
    tracked: pl.DataFrame,
    key: Callable[[pl.Expr], pl.Expr] = _number_hash,
    hashes: pl.Series | None = None,
) -> pl.DataFrame | None:
    """(pickup_at, _seen) of each order's tracking number among the fold's ``tracked``
    packages, in the orders' row order, joined on the numbers' 64-bit hashes: 10 M orders
    take 0.5 GB less memory than a join on the text, and half the time.

    None when two packages' numbers have one hash (a package named under two orders: a sort
    of the hashes tells, 0.7 s for 10 M packages, where the group_by merging them takes 4 s)
    or when a hash found another number than the order's (every number found is compared):
    the caller then merges and joins the text. (``key``: the hash, for the tests;
    ``hashes``: the packages' hashes when the caller has them, found distinct.)
    """
    number = pl.col("tracking_no")
    if hashes is not None:
        keys = hashes
    else:
        keys = tracked.select(key(number)).to_series()
        if repeats(keys).any():
            return None
    wanted = orders.select(pl.when(number.is_not_null()).then(key(number)).alias("_key")).collect()
    # An inner join, its pairs set into place by row number: a left join that keeps the
    # orders' row order takes half as long again (10 M orders: 1.2 s against 0.85 s).
    pairs = (
        wanted.lazy()
        .with_row_index("_row")
        .join(keys.to_frame("_key").with_row_index("_match").lazy(), on="_key", how="inner")
        .select("_row", "_match")
        .collect()
    )
    matches = scattered(pairs.get_column("_match"), pairs.get_column("_row"), wanted.height)
    del keys, wanted, pairs
    numbers = orders.select(number).collect().to_series()
    # Compared a million at a time (one chunk first: a gather across the fold's hundred
    # chunks takes three times as long).
    texts = tracked.get_column("tracking_no").rechunk()
    step = 1 << 20
    for start in range(0, len(matches), step):
        found = matches.slice(start, step)
        if not (found.is_null() | (texts.gather(found) == numbers.slice(start, step))).all():
            return None
    return pl.DataFrame(
        [
            tracked.get_column("pickup_at").gather(matches),
            matches.is_not_null().alias("_seen"),
        ]
    )


def item_amount_fen() -> pl.Expr:
    """商品实际成交金额: what the buyer paid, less postage when the export says it."""
    return (pl.col("paid_amount") - pl.col("shipping_fee").fill_null(0)).clip(lower_bound=0)
