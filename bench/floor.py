"""The parse floor: Polars scanning the given columns of the given files, and nothing else.

    python bench/floor.py '[["shop/orders.csv", ["订单编号", "订单付款时间"]], ...]'
    python bench/floor.py --parquet '[["cache/….parquet", ["order_id", "paid_at"]], ...]'

For each file, in order: ``pl.scan_csv(file, infer_schema=False).select(columns).collect()``
(every cell as text, as ``tmall`` scans them before it parses values). With ``--parquet``,
the warm floor: ``pl.scan_parquet(entry).select(columns).collect()`` for each entry of the
parsed-export cache (typed columns, as a warm ``tmall`` run reads them). Prints the row
counts as JSON. Run as a whole process, so it pays the same Python and Polars start-up as
``tmall``.
"""

from __future__ import annotations

import json
import sys

import polars as pl


def main() -> int:
    parquet = sys.argv[1] == "--parquet"
    spec = json.loads(sys.argv[2 if parquet else 1])
    rows = []
    for path, columns in spec:
        scan = pl.scan_parquet(path) if parquet else pl.scan_csv(path, infer_schema=False)
        frame = scan.select(columns).collect()
        rows.append(frame.height)
    print(json.dumps({"rows": rows}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
