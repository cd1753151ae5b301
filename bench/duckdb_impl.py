"""DuckDB baselines: each command's headline numbers in SQL.

    python bench/duckdb_impl.py <command> <shop dir> [--as-of 2026-11-20]

prints one JSON object. Every file is read with ``read_csv(..., all_varchar=true)`` (IDs stay
text) into a temporary table of the columns the metric needs, dates parsed with
``try_strptime`` (the date forms of SPEC §2), money with ``try_cast``; the rules are plain
SQL: window functions, joins, and a recursive CTE for the 24-hour grouping of a buyer's late
orders. Simplifications against the tool are listed in bench/README.md. Never imported by
the ``tmallcli`` package.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
from common import (
    AFTER_SALES_WINDOW,
    BUYER_WORDS,
    CAINIAO_WORDS,
    CLOSED_STATUSES,
    COMMANDS,
    COMPLAINT_WINDOW,
    CS_BOT_ACCOUNT,
    CS_BOT_SOURCES,
    CS_HUMAN_SOURCES,
    CS_LAST_DAYS,
    DEFAULT_AS_OF,
    DSR_DELAY_MINUTES,
    DSR_MONTHLY_CAP,
    DSR_WINDOW_DAYS,
    FAST_REPLY_SECONDS,
    GOOD_RATE_DAYS,
    GROUP_CAP_FEN,
    GROUP_WINDOW_HOURS,
    LATE_MINIMUM_FEN,
    LATE_RATE_DEN,
    LATE_RATE_NUM,
    NOT_INTERVENED,
    NOT_PICKUP_WORDS,
    PICKUP_EXCLUDE,
    PICKUP_HOURS,
    PICKUP_WINDOW,
    PICKUP_WORDS,
    RATING_WORDS,
    RESPONSE_WINDOW,
    SELLER_AT_FAULT,
    SELLER_WORDS,
    SERVICE_HOURS,
    SHIP_WITHIN_HOURS,
    TRIAGE_DAYS,
    TRUE_WORDS,
    AsOf,
    emit,
    shop_files,
)

# The datetime forms of SPEC §2, tried in order.
FORMATS = "['%Y-%m-%d %H:%M:%S', '%Y/%m/%d %H:%M:%S', '%Y-%m-%d %H:%M', '%Y/%m/%d %H:%M', '%Y-%m-%d', '%Y/%m/%d']"


def ts(column: str) -> str:
    return f'try_strptime(trim("{column}"), {FORMATS})'


def fen(column: str) -> str:
    number = f"try_cast(regexp_replace(\"{column}\", '[¥￥,元\\s]', '', 'g') AS DECIMAL(18, 2))"
    return f"CAST(round({number} * 100) AS BIGINT)"


def csv(path: Path) -> str:
    # quote and escape named: DuckDB's sniffer reads 20 480 rows, and a file whose first
    # quoted cell comes later (a 10 M-order shop's reviews) is taken as unquoted.
    return f"read_csv('{path}', all_varchar = true, header = true, quote = '\"', escape = '\"')"


def words(values: tuple[str, ...] | list[str]) -> str:
    return "(" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + ")"


def yes(column: str) -> str:
    return f'coalesce(lower(trim("{column}")) IN {words(TRUE_WORDS)}, false)'


def lit(value: datetime) -> str:
    return f"TIMESTAMP '{value:%Y-%m-%d %H:%M:%S}'"


def bounds(as_of: AsOf, window: tuple[int, int]) -> tuple[str, str]:
    start, end = as_of.day_bounds(window)
    return lit(start), lit(end)


def one(con: duckdb.DuckDBPyConnection, sql: str) -> dict[str, object]:
    result = con.execute(sql)
    names = [d[0] for d in result.description]
    row = result.fetchone()
    assert row is not None
    return dict(zip(names, row, strict=True))


def num(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- §3 DSR


def load_dsr(con: duckdb.DuckDBPyConnection, files: dict[str, Path], as_of: AsOf) -> None:
    start = lit(as_of.instant - timedelta(days=DSR_WINDOW_DAYS))
    end = lit(as_of.instant - timedelta(minutes=DSR_DELAY_MINUTES))
    con.execute(f"""
        CREATE TEMP TABLE rv AS SELECT
            "订单编号" AS order_id, "买家会员名" AS buyer, {ts("评价时间")} AS rated_at,
            try_cast("宝贝与描述相符" AS INTEGER) AS description,
            try_cast("卖家的服务态度" AS INTEGER) AS service,
            try_cast("物流服务的质量" AS INTEGER) AS logistics,
            "宝贝ID" AS item_id
        FROM {csv(files["reviews"])}""")
    con.execute(f"""
        CREATE TEMP TABLE dsr_events AS
        WITH events AS (
            SELECT * FROM rv
            QUALIFY row_number() OVER (
                PARTITION BY order_id ORDER BY rated_at, item_id NULLS LAST) = 1
        )
        SELECT *,
            row_number() OVER (
                PARTITION BY buyer, date_trunc('month', rated_at) ORDER BY rated_at, order_id
            ) <= {DSR_MONTHLY_CAP} AS within_cap,
            coalesce(rated_at > {start} AND rated_at <= {end}, false) AS in_window
        FROM events""")


def score_dsr(files: dict[str, Path], as_of: AsOf) -> dict[str, object]:
    con = duckdb.connect()
    load_dsr(con, files, as_of)
    row = one(
        con,
        """
        SELECT
            (SELECT count(*) FROM rv) - count(*) AS duplicate_order,
            count(*) FILTER (WHERE NOT within_cap) AS over_monthly_cap,
            count(*) FILTER (WHERE within_cap AND NOT in_window) AS outside_window,
            avg(description) FILTER (WHERE within_cap AND in_window) AS description,
            count(description) FILTER (WHERE within_cap AND in_window) AS description_count,
            avg(service) FILTER (WHERE within_cap AND in_window) AS service,
            count(service) FILTER (WHERE within_cap AND in_window) AS service_count,
            avg(logistics) FILTER (WHERE within_cap AND in_window) AS logistics,
            count(logistics) FILTER (WHERE within_cap AND in_window) AS logistics_count
        FROM dsr_events""",
    )
    for key in ("description", "service", "logistics"):
        row[key] = num(row[key])
    return row


# --------------------------------------------------------------------------- §4 pickup


def pickup_sql(orders: str) -> str:
    """Per order of the table ``orders``: pickup_at (the last package's first pickup event,
    NULL if any package is not picked) and known (the events mention one of its packages)."""
    said = "regexp_matches(event, '" + "|".join(PICKUP_WORDS + CAINIAO_WORDS) + "')"
    denied = "regexp_matches(event, '" + "|".join(NOT_PICKUP_WORDS) + "')"
    return f"""
        WITH firsts AS (
            SELECT tracking_no, min(event_at) FILTER (WHERE {said} AND NOT {denied}) AS pickup_at
            FROM ev GROUP BY tracking_no
        ),
        named AS (
            SELECT order_id, trim(unnest(regexp_split_to_array(tracking, '[,;，；\\s]+'))) AS tracking_no
            FROM {orders} WHERE tracking IS NOT NULL
        ),
        packages AS (
            SELECT order_id, tracking_no FROM named WHERE tracking_no <> ''
            UNION
            SELECT ev.order_id, ev.tracking_no FROM ev JOIN {orders} USING (order_id)
            WHERE ev.order_id NOT IN (SELECT order_id FROM named WHERE tracking_no <> '')
        )
        SELECT order_id,
            CASE WHEN count(*) = count(f.pickup_at) THEN max(f.pickup_at) END AS pickup_at,
            bool_or(f.tracking_no IS NOT NULL) AS known
        FROM packages p LEFT JOIN firsts f USING (tracking_no)
        GROUP BY order_id"""


def load_events(con: duckdb.DuckDBPyConnection, files: dict[str, Path]) -> None:
    con.execute(f"""
        CREATE TEMP TABLE ev AS SELECT
            "物流单号" AS tracking_no, "订单编号" AS order_id, {ts("时间")} AS event_at,
            "物流状态" AS event
        FROM {csv(files["logistics"])}""")


def pickup_rate(files: dict[str, Path], as_of: AsOf) -> dict[str, object]:
    con = duckdb.connect()
    start, end = bounds(as_of, PICKUP_WINDOW)
    instant = lit(as_of.instant)
    con.execute(f"""
        CREATE TEMP TABLE pop AS SELECT * FROM (
            SELECT "订单编号" AS order_id, "订单状态" AS status, {ts("订单付款时间")} AS paid_at,
                {ts("承诺发货时间")} AS promised, "物流单号" AS tracking
            FROM {csv(files["orders"])})
        WHERE paid_at >= {start} AND paid_at < {end}
            AND coalesce(status, '') NOT IN {words(PICKUP_EXCLUDE)}""")
    load_events(con, files)
    row = one(
        con,
        f"""
        WITH picks AS ({pickup_sql("pop")}),
        assessed AS (
            SELECT CASE WHEN k.pickup_at <= {instant} THEN k.pickup_at END AS pickup_at,
                CASE WHEN p.promised < p.paid_at + INTERVAL {PICKUP_HOURS} HOUR THEN p.promised
                     ELSE p.paid_at + INTERVAL {PICKUP_HOURS} HOUR END AS deadline
            FROM pop p LEFT JOIN picks k USING (order_id)
        )
        SELECT count(*) AS population,
            count(*) FILTER (WHERE pickup_at <= deadline) AS timely,
            count(*) FILTER (WHERE pickup_at > deadline) AS late,
            count(*) FILTER (WHERE pickup_at IS NULL) AS not_picked
        FROM assessed""",
    )
    population = int(row["population"])  # type: ignore[call-overload]
    row["rate"] = row["timely"] / population if population else None  # type: ignore[operator]
    return row


# --------------------------------------------------------------------------- §5 compensation


def late_orders(files: dict[str, Path], as_of: AsOf) -> dict[str, object]:
    con = duckdb.connect()
    instant = lit(as_of.instant)
    con.execute(f"""
        CREATE TEMP TABLE o AS SELECT
            "订单编号" AS order_id, "买家会员名" AS buyer, {fen("买家实际支付金额")} AS paid_fen,
            {fen("买家应付邮费")} AS fee_fen, "订单状态" AS status,
            {ts("订单付款时间")} AS paid_at, {ts("发货时间")} AS shipped_at,
            {ts("承诺发货时间")} AS promised, "物流单号" AS tracking
        FROM {csv(files["orders"])}""")
    load_events(con, files)
    if "refunds" in files:
        con.execute(f"""
            CREATE TEMP TABLE closes AS
            SELECT "订单编号" AS order_id, max({ts("退款完结时间")}) AS close_at
            FROM {csv(files["refunds"])} GROUP BY ALL""")
    else:
        con.execute("CREATE TEMP TABLE closes (order_id VARCHAR, close_at TIMESTAMP)")
    rate = f"(greatest(paid_fen - coalesce(fee_fen, 0), 0) * {2 * LATE_RATE_NUM} + {LATE_RATE_DEN}) // {2 * LATE_RATE_DEN}"
    con.execute(f"""
        CREATE TEMP TABLE late AS
        WITH picks AS ({pickup_sql("o")}),
        shipped AS (
            SELECT o.*, c.close_at,
                coalesce(o.status IN {words(CLOSED_STATUSES)}, false) AS closed,
                CASE WHEN coalesce(k.known, false) THEN k.pickup_at ELSE o.shipped_at END AS recorded,
                coalesce(o.promised, o.paid_at + INTERVAL {SHIP_WITHIN_HOURS} HOUR) AS deadline
            FROM o LEFT JOIN picks k USING (order_id) LEFT JOIN closes c USING (order_id)
        ),
        ended AS (
            SELECT *, CASE
                WHEN recorded <= {instant} THEN recorded
                WHEN closed AND close_at IS NOT NULL THEN least(close_at, {instant})
                WHEN NOT closed THEN {instant}
            END AS end_at
            FROM shipped
        )
        SELECT coalesce(buyer, '#' || order_id) AS buyer_key, order_id, paid_at,
            greatest({rate}, {LATE_MINIMUM_FEN}) AS amount,
            row_number() OVER (PARTITION BY coalesce(buyer, '#' || order_id)
                               ORDER BY paid_at, order_id) AS rn
        FROM ended
        WHERE paid_at <= {instant} AND end_at > deadline""")
    row = one(
        con,
        f"""
        WITH RECURSIVE grouped(buyer_key, rn, paid_at, start_at, group_no, amount) AS (
            SELECT buyer_key, rn, paid_at, paid_at, 1, amount FROM late WHERE rn = 1
            UNION ALL
            SELECT l.buyer_key, l.rn, l.paid_at,
                CASE WHEN l.paid_at < g.start_at + INTERVAL {GROUP_WINDOW_HOURS} HOUR
                     THEN g.start_at ELSE l.paid_at END,
                CASE WHEN l.paid_at < g.start_at + INTERVAL {GROUP_WINDOW_HOURS} HOUR
                     THEN g.group_no ELSE g.group_no + 1 END,
                l.amount
            FROM grouped g JOIN late l ON l.buyer_key = g.buyer_key AND l.rn = g.rn + 1
        ),
        groups AS (
            SELECT buyer_key, group_no, least(sum(amount), {GROUP_CAP_FEN}) AS pay
            FROM grouped GROUP BY ALL
        )
        SELECT (SELECT count(*) FROM late) AS late_orders, count(*) AS late_groups,
            coalesce(sum(pay), 0) AS late_total_fen
        FROM groups""",
    )
    return {k: int(v) for k, v in row.items()}  # type: ignore[call-overload]


# --------------------------------------------------------------------------- §7 旺旺


def response(files: dict[str, Path], as_of: AsOf) -> dict[str, object]:
    con = duckdb.connect()
    start, end = bounds(as_of, RESPONSE_WINDOW)
    con.execute(f"""
        CREATE TEMP TABLE m AS
        WITH raw AS (
            SELECT "买家" AS buyer, {ts("时间")} AS sent_at, "发送方" AS sender,
                CASE WHEN lower(trim("方向")) IN {words(BUYER_WORDS)} THEN true
                     WHEN lower(trim("方向")) IN {words(SELLER_WORDS)} THEN false
                     ELSE trim("发送方") = trim("买家") END AS is_buyer,
                {yes("是否自动回复")} AS auto, {yes("是否机器人")} AS bot
            FROM {csv(files["chats"])}
        )
        SELECT buyer, sent_at, sender, is_buyer, CAST(sent_at AS DATE) AS d,
            NOT is_buyer AND NOT auto AS valid, NOT is_buyer AND NOT auto AND NOT bot AS human
        FROM raw WHERE buyer IS NOT NULL AND sent_at IS NOT NULL AND is_buyer IS NOT NULL""")
    consult = one(
        con,
        f"""
        WITH asked AS (
            SELECT buyer, d, min(sent_at) AS first_at FROM m
            WHERE is_buyer AND sent_at >= {start} AND sent_at < {end} GROUP BY ALL
        ),
        replies AS (
            SELECT a.buyer, a.d, a.first_at,
                min(m.sent_at) FILTER (WHERE m.valid) AS reply_at,
                min(m.sent_at) FILTER (WHERE m.human) AS human_at
            FROM asked a LEFT JOIN m
                ON m.buyer = a.buyer AND m.d = a.d AND NOT m.is_buyer AND m.sent_at >= a.first_at
            GROUP BY ALL
        )
        SELECT count(*) AS consultations, count(reply_at) AS answered,
            avg(epoch(human_at - first_at)) AS human_response_seconds
        FROM replies""",
    )
    turns = one(
        con,
        f"""
        WITH numbered AS (
            SELECT *, sum(CAST(human AS INTEGER)) OVER (
                    PARTITION BY buyer, d ORDER BY sent_at, NOT is_buyer, sender
                    ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
                ) - CAST(human AS INTEGER) AS turn
            FROM m WHERE sent_at >= {start} AND sent_at < {end}
        ),
        turns AS (
            SELECT min(sent_at) FILTER (WHERE is_buyer) AS started,
                min(sent_at) FILTER (WHERE human) AS answered_at
            FROM numbered GROUP BY buyer, d, turn
        ),
        timed AS (
            SELECT *, hour(started) * 3600 + minute(started) * 60 + second(started) AS clock
            FROM turns WHERE started IS NOT NULL
        )
        SELECT count(*) AS turns,
            count(*) FILTER (WHERE epoch(answered_at - started) <= {FAST_REPLY_SECONDS}) AS fast
        FROM timed WHERE clock >= {SERVICE_HOURS[0]} AND clock < {SERVICE_HOURS[1]}""",
    )
    n = int(consult["consultations"])  # type: ignore[call-overload]
    return {
        "consultations": n,
        "answered": int(consult["answered"]),  # type: ignore[call-overload]
        "response_rate": consult["answered"] / n if n else None,  # type: ignore[operator]
        "human_response_seconds": num(consult["human_response_seconds"]),
        "response_3min_rate": turns["fast"] / turns["turns"] if turns["turns"] else None,  # type: ignore[operator]
    }


# --------------------------------------------------------------------------- §8 refunds


def orders_paid(
    con: duckdb.DuckDBPyConnection, files: dict[str, Path], as_of: AsOf, window: tuple[int, int]
) -> int:
    start, end = bounds(as_of, window)
    row = one(
        con,
        f"""
        SELECT count(DISTINCT order_id) AS n FROM (
            SELECT "订单编号" AS order_id, {ts("订单付款时间")} AS paid_at FROM {csv(files["orders"])})
        WHERE paid_at >= {start} AND paid_at < {end}""",
    )
    return int(row["n"])  # type: ignore[call-overload]


def refund_metrics(files: dict[str, Path], as_of: AsOf) -> dict[str, object]:
    con = duckdb.connect()
    start, end = bounds(as_of, AFTER_SALES_WINDOW)
    row = one(
        con,
        f"""
        WITH r AS (
            SELECT {ts("退款的申请时间")} AS applied_at, {ts("退款完结时间")} AS completed_at,
                {ts("卖家同意退货时间")} AS agreed_at, {ts("买家退货时间")} AS returned_at,
                "售后类型" AS refund_type, "责任方" AS ruling,
                "客服介入状态" IS NOT NULL
                    AND lower(trim("客服介入状态")) NOT IN {words(NOT_INTERVENED)} AS intervened
            FROM {csv(files["refunds"])}
        ),
        done AS (
            SELECT *, epoch(completed_at - applied_at) / 3600 AS hours,
                greatest(epoch(returned_at - agreed_at), 0) / 3600 AS buyer_hours
            FROM r WHERE completed_at >= {start} AND completed_at < {end}
        )
        SELECT
            avg(hours) FILTER (WHERE NOT intervened AND refund_type = '仅退款') AS refund_only_hours,
            count(*) FILTER (WHERE NOT intervened AND refund_type = '仅退款') AS refund_only,
            avg(hours - buyer_hours) FILTER (
                WHERE NOT intervened AND refund_type = '退货退款'
                    AND returned_at IS NOT NULL AND agreed_at IS NOT NULL) AS return_refund_hours,
            count(*) FILTER (
                WHERE NOT intervened AND refund_type = '退货退款'
                    AND returned_at IS NOT NULL AND agreed_at IS NOT NULL) AS return_refund,
            count(*) FILTER (WHERE intervened AND ruling IN {words(SELLER_AT_FAULT)}) AS disputes
        FROM done""",
    )
    paid = orders_paid(con, files, as_of, AFTER_SALES_WINDOW)
    row["refund_only_hours"] = num(row["refund_only_hours"])
    row["return_refund_hours"] = num(row["return_refund_hours"])
    row["orders_paid"] = paid
    row["dispute_refund_rate"] = row["disputes"] / paid if paid else None  # type: ignore[operator]
    return row


def complaint_rate(
    con: duckdb.DuckDBPyConnection, files: dict[str, Path], as_of: AsOf
) -> float | None:
    start, end = bounds(as_of, COMPLAINT_WINDOW)
    row = one(
        con,
        f"""
        SELECT count(*) AS n FROM (
            SELECT {yes("是否成立")} AS established, {ts("判定时间")} AS judged_at,
                "是否小二介入" IS NULL OR {yes("是否小二介入")} AS platform
            FROM {csv(files["complaints"])})
        WHERE established AND platform AND judged_at >= {start} AND judged_at < {end}""",
    )
    paid = orders_paid(con, files, as_of, COMPLAINT_WINDOW)
    return row["n"] / paid if paid else None  # type: ignore[operator]


# --------------------------------------------------------------------------- §9, §10


def score_cs(files: dict[str, Path], as_of: AsOf) -> dict[str, object]:
    con = duckdb.connect()
    start, end = bounds(as_of, (CS_LAST_DAYS, 1))
    row = one(
        con,
        f"""
        WITH cs AS (
            SELECT {ts("评价时间")} AS rated_at, "客服子账号" AS account,
                try_cast("评分" AS INTEGER) AS score, "评价来源" AS source
            FROM {csv(files["cs_ratings"])}
        )
        SELECT
            count(*) FILTER (WHERE account <> '{CS_BOT_ACCOUNT}'
                AND (source IS NULL OR source IN {words(CS_HUMAN_SOURCES)})) AS human_count,
            avg(score) FILTER (WHERE account <> '{CS_BOT_ACCOUNT}'
                AND (source IS NULL OR source IN {words(CS_HUMAN_SOURCES)})) AS human_average,
            count(*) FILTER (WHERE account = '{CS_BOT_ACCOUNT}'
                AND source IN {words(CS_BOT_SOURCES)}) AS bot_count,
            avg(score) FILTER (WHERE account = '{CS_BOT_ACCOUNT}'
                AND source IN {words(CS_BOT_SOURCES)}) AS bot_average
        FROM cs WHERE rated_at >= {start} AND rated_at < {end} AND score IS NOT NULL""",
    )
    row["human_average"] = num(row["human_average"])
    row["bot_average"] = num(row["bot_average"])
    return row


def reviews_triage(files: dict[str, Path], as_of: AsOf) -> dict[str, object]:
    con = duckdb.connect()
    instant = lit(as_of.instant)
    half_year = lit(as_of.instant - timedelta(days=GOOD_RATE_DAYS))
    month = lit(as_of.instant - timedelta(days=TRIAGE_DAYS))
    mapping = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in RATING_WORDS.items())
    row = one(
        con,
        f"""
        WITH rv AS (
            SELECT {ts("评价时间")} AS rated_at, trim("评价结果") AS rating,
                least(try_cast("宝贝与描述相符" AS INTEGER), try_cast("卖家的服务态度" AS INTEGER),
                      try_cast("物流服务的质量" AS INTEGER)) AS lowest
            FROM {csv(files["reviews"])}
        ),
        classed AS (
            SELECT rated_at, coalesce(
                CASE rating {mapping} END,
                CASE WHEN lowest >= 4 THEN 'good' WHEN lowest = 3 THEN 'neutral'
                     WHEN lowest <= 2 THEN 'bad' END) AS class
            FROM rv
        )
        SELECT
            count(*) FILTER (WHERE class = 'good' AND rated_at > {half_year} AND rated_at <= {instant}) AS good,
            count(*) FILTER (WHERE class = 'neutral' AND rated_at > {half_year} AND rated_at <= {instant}) AS neutral,
            count(*) FILTER (WHERE class = 'bad' AND rated_at > {half_year} AND rated_at <= {instant}) AS bad,
            count(*) FILTER (WHERE class = 'neutral' AND rated_at > {month} AND rated_at <= {instant}) AS neutral_30d,
            count(*) FILTER (WHERE class = 'bad' AND rated_at > {month} AND rated_at <= {instant}) AS bad_30d
        FROM classed""",
    )
    rated = row["good"] + row["neutral"] + row["bad"]  # type: ignore[operator]
    row["good_rate"] = row["good"] / rated if rated else None  # type: ignore[operator]
    return row


# --------------------------------------------------------------------------- §6 service


def score_service(files: dict[str, Path], as_of: AsOf) -> dict[str, object]:
    dsr = score_dsr(files, as_of)
    pickup = pickup_rate(files, as_of)
    refunds = refund_metrics(files, as_of)
    chats = response(files, as_of)
    return {
        "item_review_score": dsr["description"],
        "pickup_24h_rate": pickup["rate"],
        "refund_only_hours": refunds["refund_only_hours"],
        "return_refund_hours": refunds["return_refund_hours"],
        "response_rate": chats["response_rate"],
        "response_3min_rate": chats["response_3min_rate"],
        "human_response_seconds": chats["human_response_seconds"],
        "dispute_refund_rate": refunds["dispute_refund_rate"],
        "complaint_rate": complaint_rate(duckdb.connect(), files, as_of),
    }


# --------------------------------------------------------------------------- data check


def data_check(files: dict[str, Path], as_of: AsOf) -> dict[str, object]:
    con = duckdb.connect()
    con.execute(f"CREATE TEMP TABLE t AS SELECT * FROM {csv(files['orders'])}")
    columns = [row[0] for row in con.execute("DESCRIBE t").fetchall()]
    checks = []
    for column in columns:
        if column.endswith("时间"):
            checks.append(
                f'count(*) FILTER (WHERE "{column}" IS NOT NULL AND {ts(column)} IS NULL)'
            )
        elif column.endswith(("金额", "邮费")):
            checks.append(
                f'count(*) FILTER (WHERE "{column}" IS NOT NULL AND {fen(column)} IS NULL)'
            )
        elif column in ("订单编号", "物流单号", "宝贝ID"):
            checks.append(f"count(*) FILTER (WHERE contains(\"{column}\", 'E+'))")
    problems = " + ".join(checks) or "0"
    row = one(
        con,
        f"""
        SELECT count(*) AS rows, min({ts("订单付款时间")}) AS date_start,
            max({ts("订单付款时间")}) AS date_end, {problems} AS problems
        FROM t""",
    )
    for key in ("date_start", "date_end"):
        row[key] = None if row[key] is None else str(row[key])
    return row


IMPLEMENTATIONS = {
    "score-dsr": score_dsr,
    "audit-pickup": pickup_rate,
    "compensate-late-orders": late_orders,
    "audit-response": response,
    "audit-refunds": refund_metrics,
    "score-cs": score_cs,
    "reviews-triage": reviews_triage,
    "score-service": score_service,
    "data-check": data_check,
}
assert set(IMPLEMENTATIONS) == set(COMMANDS)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=sorted(IMPLEMENTATIONS))
    parser.add_argument("shop", help="a shop folder written by `tmall sample` (manifest.json)")
    parser.add_argument("--as-of", default=DEFAULT_AS_OF)
    args = parser.parse_args(argv)
    emit(IMPLEMENTATIONS[args.command](shop_files(args.shop), AsOf(args.as_of)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
