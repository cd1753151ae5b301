"""Generating a whole shop: chunk by chunk, every kind drawn from the same simulated orders
and written to its file, then the manifest (the public API is re-exported by the package)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

from tmallcli.errors import UsageError
from tmallcli.exports.kinds import KINDS as EXPORT_KINDS
from tmallcli.i18n import tr
from tmallcli.sample.chats import chats_frame
from tmallcli.sample.complaints import complaints_frame
from tmallcli.sample.cs_ratings import cs_ratings_frame
from tmallcli.sample.draws import Counters, Shop
from tmallcli.sample.files import CsvSink, check_encoding, write_manifest
from tmallcli.sample.logistics import logistics_frame
from tmallcli.sample.orders import orders_frame
from tmallcli.sample.refunds import refunds_frame
from tmallcli.sample.reviews import reviews_frame
from tmallcli.sample.simulate import Sim, simulate

# The seven kinds, in the order the manifest lists them (SPEC §2's order, exports/kinds.py).
# The item-detail export (order_items) is not simulated: the orders export names the items.
KINDS = tuple(kind for kind in EXPORT_KINDS if kind != "order_items")
CHUNK_ORDERS = 200_000  # part of the output's definition: changing it changes the files
MAX_ORDERS = 100_000_000  # ids are scrambled in uint64 arithmetic, exact up to here

DEFAULT_AS_OF = date(2026, 11, 20)
# The checked-in shop in sample_data/ (see bundled_sample()).
BUNDLED_ORDERS = 3000
BUNDLED_SEED = 7


def generate_shop(
    out_dir: Path,
    *,
    orders: int,
    seed: int,
    as_of: date = DEFAULT_AS_OF,
    encoding: str = "utf-8",
    progress: Callable[[str], None] | None = None,
    wrappers: bool = False,
    orders_encoding: str | None = None,
    bom_kinds: Iterable[str] = (),
) -> dict[str, list[Path]]:
    """Write one consistent shop's exports (one file per kind) and ``manifest.json``.

    ``encoding`` applies to every file, ``orders_encoding`` overrides it for the orders
    export (the classic GBK 订单报表). ``wrappers`` makes the orders export look as Excel
    on Chinese Windows leaves it: ``="…"`` around order ids and tracking numbers, a leading
    tab or ``'`` on a few ids, CRLF line ends. ``bom_kinds`` start with a UTF-8 BOM.
    Returns the written files per kind.
    """
    if not isinstance(orders, int) or orders < 1 or orders > MAX_ORDERS:
        raise UsageError(
            tr(
                "--orders must be between 1 and {most:,} (got {orders})",
                most=MAX_ORDERS,
                orders=orders,
            )
        )
    if not isinstance(seed, int) or seed < 0:
        raise UsageError(tr("--seed must be a non-negative integer (got {seed})", seed=seed))
    file_encoding = {kind: check_encoding(encoding) for kind in KINDS}
    if orders_encoding is not None:
        file_encoding["orders"] = check_encoding(orders_encoding)
    boms = set(bom_kinds)
    if boms - set(KINDS):
        raise UsageError(
            tr("unknown kind for a BOM: {value}", value=", ".join(sorted(boms - set(KINDS))))
        )
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(tr("--out {out_dir} exists and is not a folder", out_dir=out_dir))
    out_dir.mkdir(parents=True, exist_ok=True)

    shop = Shop.build(orders, seed, as_of)
    names = {kind: f"{kind}.csv" for kind in KINDS}
    names["orders"] = f"ExportOrderList{as_of:%Y%m%d}.csv"
    sinks = {
        kind: CsvSink(
            out_dir / names[kind],
            file_encoding[kind],
            bom=kind in boms and file_encoding[kind] == "utf-8",
            crlf=wrappers and kind == "orders",
        )
        for kind in KINDS
    }
    counters = Counters()
    try:
        for chunk_no, start in enumerate(range(0, orders, CHUNK_ORDERS)):
            n = min(CHUNK_ORDERS, orders - start)
            rng = np.random.default_rng([seed, chunk_no])
            sim = simulate(rng, shop, start, n, counters)
            frames = export_frames(rng, shop, sim, wrappers)
            for kind in KINDS:
                sinks[kind].write(frames[kind])
            if progress is not None:
                progress(tr("{done:,}/{orders:,} orders", done=start + n, orders=orders))
    finally:
        for sink in sinks.values():
            sink.close()

    manifest = {
        "as_of": as_of.isoformat(),
        "seed": seed,
        "orders": orders,
        "files": {kind: [names[kind]] for kind in KINDS},
        "rows": {kind: sinks[kind].rows for kind in KINDS},
        "encodings": file_encoding,
        "excel_wrappers": wrappers,
    }
    write_manifest(out_dir, manifest)
    return {kind: [out_dir / names[kind]] for kind in KINDS}


def bundled_sample(out_dir: Path) -> dict[str, list[Path]]:
    """Regenerate the checked-in ``sample_data/``: GB18030 orders with Excel wrappers, the
    rest UTF-8, the CS ratings with a BOM."""
    return generate_shop(
        out_dir,
        orders=BUNDLED_ORDERS,
        seed=BUNDLED_SEED,
        as_of=DEFAULT_AS_OF,
        encoding="utf-8",
        orders_encoding="gb18030",
        wrappers=True,
        bom_kinds=("cs_ratings",),
    )


def export_frames(
    rng: np.random.Generator, shop: Shop, sim: Sim, wrappers: bool
) -> dict[str, pl.DataFrame]:
    """Every kind's rows of one chunk; only the chats and the 客服评价 draw more numbers,
    in that order, after the simulation's."""
    orders = pl.DataFrame(sim.arrays)
    chats, consultations = chats_frame(rng, shop, sim)
    return {
        "orders": orders_frame(shop, orders, wrappers),
        "logistics": logistics_frame(orders, sim.packages),
        "reviews": reviews_frame(shop, orders, sim.reviews),
        "refunds": refunds_frame(orders, sim.refunds),
        "complaints": complaints_frame(orders, sim.complaints),
        "chats": chats,
        "cs_ratings": cs_ratings_frame(rng, shop, consultations),
    }
