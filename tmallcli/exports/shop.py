"""The shop's name as its exports write it (SPEC §14 shop identity): the classic 订单报表's
店铺名称, else the 2024 refunds export's, else the 店铺 of 客服评价. Only the head of a file is
read: one export is one shop's."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import TYPE_CHECKING

from tmallcli.exports.csv_scan import read_headers
from tmallcli.exports.headers import map_columns
from tmallcli.exports.kinds import KINDS
from tmallcli.exports.paths import expand_paths

if TYPE_CHECKING:
    from tmallcli.exports.reader import ExportReader

# The kinds that can carry the shop's name, in the order they are asked.
SHOP_KINDS = ("orders", "refunds", "cs_ratings")
HEAD_ROWS = 200  # rows read from the top of a file for its shop name


def shop_name(reader: ExportReader, files: Mapping[str, list[str]]) -> str | None:
    """The name most rows at the head of the first export that carries one give; None when
    no export has the column (or it is empty)."""
    for kind_name in SHOP_KINDS:
        if not files.get(kind_name):
            continue
        kind = KINDS[kind_name]
        paths = reader.sheets_of_kind(kind, expand_paths(files.get(kind_name, []), kind=kind_name))
        for path in paths:
            mapping = map_columns(
                kind, read_headers(reader.source(path, lossy=True)), reader.options.mapping
            )
            if "shop_name" not in mapping.found:
                continue
            _, head = reader.scan(
                kind, reader.source(path), mapping, ["shop_name"], lambda rows: rows.head(HEAD_ROWS)
            )
            names = [n.strip() for n in head.get_column("shop_name").drop_nulls() if n.strip()]
            if names:
                return Counter(names).most_common(1)[0][0]
    return None
