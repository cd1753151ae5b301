"""pandas baselines: each command's headline numbers, written as an analyst would.

    python bench/pandas_impl.py <command> <shop dir> [--as-of 2026-11-20]

prints one JSON object. Every file is read with ``read_csv(dtype=str)`` (IDs stay text),
only the columns the metric needs; dates go through ``pd.to_datetime``, money through
``pd.to_numeric``; the rules are group-bys, merges and, where the rule is sequential (the
24-hour grouping of a buyer's late orders), a plain loop. Simplifications against the tool
are listed in bench/README.md. Never imported by the ``tmallcli`` package.
"""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta
from pathlib import Path

import numpy as np
import pandas as pd
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

DIMS = {"description": "宝贝与描述相符", "service": "卖家的服务态度", "logistics": "物流服务的质量"}


# --------------------------------------------------------------------------- reading


def read(path: Path, columns: list[str]) -> pd.DataFrame:
    """The named columns (headers compared stripped), every cell as text."""
    wanted = set(columns)
    df = pd.read_csv(path, dtype=str, usecols=lambda c: c.strip() in wanted)
    df.columns = df.columns.str.strip()
    for column in columns:
        if column not in df.columns:
            df[column] = pd.Series(np.nan, index=df.index, dtype=object)
    return df


def to_dt(s: pd.Series) -> pd.Series:
    return pd.to_datetime(s, errors="coerce")


def to_fen(s: pd.Series) -> pd.Series:
    yuan = pd.to_numeric(s.str.replace(r"[¥￥,元\s]", "", regex=True), errors="coerce")
    return (yuan * 100).round().astype("Int64")


def yes(s: pd.Series) -> pd.Series:
    return s.str.strip().str.lower().isin(TRUE_WORDS)


def in_days(t: pd.Series, as_of: AsOf, window: tuple[int, int]) -> pd.Series:
    start, end = as_of.day_bounds(window)
    return (t >= start) & (t < end)


def pattern(words: tuple[str, ...]) -> str:
    return "|".join(words)


# --------------------------------------------------------------------------- §3 DSR


def dsr_events(files: dict[str, Path], as_of: AsOf) -> tuple[pd.DataFrame, dict[str, int]]:
    df = read(files["reviews"], ["订单编号", "买家会员名", "评价时间", *DIMS.values(), "宝贝ID"])
    df["评价时间"] = to_dt(df["评价时间"])
    for column in DIMS.values():
        df[column] = pd.to_numeric(df[column], errors="coerce")
    # one rating per order: the earliest row
    df = df.sort_values(["评价时间", "宝贝ID"], kind="stable", na_position="last")
    events = df.drop_duplicates("订单编号", keep="first").copy()
    # at most 3 per buyer per calendar month, decided before the window
    events = events.sort_values(["评价时间", "订单编号"], kind="stable")
    month = events["评价时间"].dt.to_period("M")
    events["n"] = events.groupby([events["买家会员名"], month]).cumcount()
    capped = events[events["n"] < DSR_MONTHLY_CAP]
    start = as_of.instant - timedelta(days=DSR_WINDOW_DAYS)
    end = as_of.instant - timedelta(minutes=DSR_DELAY_MINUTES)
    counted = capped[(capped["评价时间"] > start) & (capped["评价时间"] <= end)]
    excluded = {
        "duplicate_order": len(df) - len(events),
        "over_monthly_cap": int((events["n"] >= DSR_MONTHLY_CAP).sum()),
        "outside_window": len(capped) - len(counted),
    }
    return counted, excluded


def score_dsr(files: dict[str, Path], as_of: AsOf) -> dict[str, object]:
    counted, excluded = dsr_events(files, as_of)
    out: dict[str, object] = dict(excluded)
    for key, column in DIMS.items():
        out[key] = float(counted[column].mean())
        out[f"{key}_count"] = int(counted[column].count())
    return out


# --------------------------------------------------------------------------- §4 pickup


def order_pickups(orders: pd.DataFrame, events: pd.DataFrame) -> pd.DataFrame:
    """Per order: ``pickup`` (the last package's first pickup event; NaT if any package is
    not picked) and ``known`` (the tracking events mention one of its packages)."""
    text = events["物流状态"].fillna("")
    is_pickup = text.str.contains(pattern(PICKUP_WORDS + CAINIAO_WORDS)) & ~text.str.contains(
        pattern(NOT_PICKUP_WORDS)
    )
    first = events[is_pickup].groupby("物流单号")["时间"].min()

    packages = orders[["订单编号", "物流单号"]].copy()
    packages["物流单号"] = packages["物流单号"].str.split(r"[,;，；\s]+")
    packages = packages.explode("物流单号")
    packages = packages[packages["物流单号"].notna() & (packages["物流单号"] != "")]
    # orders whose export names no tracking number: the packages the events name for them
    unnamed = orders.loc[~orders["订单编号"].isin(packages["订单编号"]), "订单编号"]
    extra = events.loc[events["订单编号"].isin(unnamed), ["订单编号", "物流单号"]]
    packages = pd.concat([packages, extra]).drop_duplicates()

    packages["pickup"] = packages["物流单号"].map(first)
    packages["known"] = packages["物流单号"].isin(events["物流单号"])
    per_order = packages.groupby("订单编号").agg(
        latest=("pickup", "max"),
        picked=("pickup", "count"),
        packages=("pickup", "size"),
        known=("known", "any"),
    )
    per_order["pickup"] = per_order["latest"].where(per_order["picked"] == per_order["packages"])
    return per_order[["pickup", "known"]]


def read_events(files: dict[str, Path]) -> pd.DataFrame:
    events = read(files["logistics"], ["物流单号", "订单编号", "时间", "物流状态"])
    events["时间"] = to_dt(events["时间"])
    return events


def pickup_rate(files: dict[str, Path], as_of: AsOf) -> dict[str, object]:
    orders = read(
        files["orders"], ["订单编号", "订单状态", "订单付款时间", "承诺发货时间", "物流单号"]
    )
    orders["订单付款时间"] = to_dt(orders["订单付款时间"])
    orders["承诺发货时间"] = to_dt(orders["承诺发货时间"])
    paid = orders["订单付款时间"]
    population = orders[
        paid.notna()
        & in_days(paid, as_of, PICKUP_WINDOW)
        & ~orders["订单状态"].isin(PICKUP_EXCLUDE)
    ].copy()
    pickups = order_pickups(population, read_events(files))
    population = population.join(pickups, on="订单编号")
    pickup = population["pickup"].where(population["pickup"] <= as_of.instant)
    deadline = population["订单付款时间"] + pd.Timedelta(hours=PICKUP_HOURS)
    promised = population["承诺发货时间"]
    deadline = deadline.where(promised.isna() | (promised >= deadline), promised)
    timely = int((pickup <= deadline).sum())
    not_picked = int(pickup.isna().sum())
    total = len(population)
    return {
        "rate": timely / total if total else None,
        "population": total,
        "timely": timely,
        "late": total - timely - not_picked,
        "not_picked": not_picked,
    }


# --------------------------------------------------------------------------- §5 compensation


def late_orders(files: dict[str, Path], as_of: AsOf) -> dict[str, object]:
    orders = read(
        files["orders"],
        [
            "订单编号",
            "买家会员名",
            "买家实际支付金额",
            "买家应付邮费",
            "订单状态",
            "订单付款时间",
            "发货时间",
            "承诺发货时间",
            "物流单号",
        ],
    )
    for column in ("订单付款时间", "发货时间", "承诺发货时间"):
        orders[column] = to_dt(orders[column])
    pickups = order_pickups(orders, read_events(files))
    orders = orders.join(pickups, on="订单编号")
    refunds = read(files["refunds"], ["订单编号", "退款完结时间"]) if "refunds" in files else None

    instant = pd.Timestamp(as_of.instant)
    # ship time: the pickup; the 发货 click only when the tracking events know nothing
    known = orders["known"].fillna(False).astype(bool)
    ship = orders["pickup"].where(known, orders["发货时间"])
    ship = ship.where(ship <= instant)
    closed = orders["订单状态"].isin(CLOSED_STATUSES)
    if refunds is not None:
        refunds["退款完结时间"] = to_dt(refunds["退款完结时间"])
        close_at = orders["订单编号"].map(refunds.groupby("订单编号")["退款完结时间"].max())
        close_at = close_at.where(close_at.isna() | (close_at <= instant), instant)
    else:
        close_at = pd.Series(pd.NaT, index=orders.index)
    end = ship.copy()
    end = end.where(end.notna(), close_at.where(closed))
    end = end.where(end.notna() | closed, instant)
    paid = orders["订单付款时间"]
    deadline = orders["承诺发货时间"].fillna(paid + pd.Timedelta(hours=SHIP_WITHIN_HOURS))
    late = orders[paid.notna() & (paid <= instant) & end.notna() & (end > deadline)].copy()

    item = (to_fen(late["买家实际支付金额"]) - to_fen(late["买家应付邮费"]).fillna(0)).clip(lower=0)
    share = (item * 2 * LATE_RATE_NUM + LATE_RATE_DEN) // (2 * LATE_RATE_DEN)  # half-up
    late["amount"] = share.clip(lower=LATE_MINIMUM_FEN).astype("int64")
    late["buyer"] = late["买家会员名"].fillna("#" + late["订单编号"])

    # a buyer's late orders paid within 24 h of a group's first are one payout, capped
    late = late.sort_values(["buyer", "订单付款时间", "订单编号"])
    window = pd.Timedelta(hours=GROUP_WINDOW_HOURS)
    total = groups = 0
    current, start, amount = None, None, 0
    for buyer, paid_at, fen in zip(
        late["buyer"], late["订单付款时间"], late["amount"], strict=True
    ):
        if buyer != current or paid_at >= start + window:
            if current is not None:
                total += min(amount, GROUP_CAP_FEN)
                groups += 1
            current, start, amount = buyer, paid_at, 0
        amount += int(fen)
    if current is not None:
        total += min(amount, GROUP_CAP_FEN)
        groups += 1
    return {"late_orders": len(late), "late_groups": groups, "late_total_fen": total}


# --------------------------------------------------------------------------- §7 旺旺


def chat_messages(files: dict[str, Path]) -> pd.DataFrame:
    m = read(files["chats"], ["买家", "时间", "发送方", "方向", "是否自动回复", "是否机器人"])
    m["时间"] = to_dt(m["时间"])
    direction = m["方向"].str.strip().str.lower()
    by_sender = (m["发送方"].str.strip() == m["买家"].str.strip()).to_numpy()
    m["is_buyer"] = np.select(
        [direction.isin(BUYER_WORDS), direction.isin(SELLER_WORDS)], [True, False], by_sender
    ).astype(bool)
    auto = yes(m["是否自动回复"].fillna(""))
    bot = yes(m["是否机器人"].fillna(""))
    m["valid"] = ~m["is_buyer"] & ~auto  # 店小蜜 replies count, 千牛 auto-replies do not
    m["human"] = m["valid"] & ~bot
    m["date"] = m["时间"].dt.normalize()
    return m


def response(files: dict[str, Path], as_of: AsOf) -> dict[str, object]:
    m = chat_messages(files)
    window = in_days(m["时间"], as_of, RESPONSE_WINDOW)
    asked = (
        m[m["is_buyer"] & window]
        .groupby(["买家", "date"], as_index=False)["时间"]
        .min()
        .rename(columns={"时间": "first_at"})
    )

    def first_reply(mask: pd.Series) -> pd.Series:
        replies = m.loc[mask, ["买家", "date", "时间"]]
        joined = asked.merge(replies, on=["买家", "date"])
        joined = joined[joined["时间"] >= joined["first_at"]]
        return joined.groupby(["买家", "date"])["时间"].min()

    reply_at = first_reply(m["valid"])
    human_at = first_reply(m["human"])
    asked = asked.set_index(["买家", "date"])
    waits = (human_at - asked["first_at"].reindex(human_at.index)).dt.total_seconds()

    # 3-minute rate: a turn runs from a buyer's question to the next human reply
    d = m[window].copy()
    d["seller_after"] = ~d["is_buyer"]
    d = d.sort_values(["买家", "date", "时间", "seller_after", "发送方"], kind="stable")
    h = d["human"].astype(int)
    d["turn"] = d.assign(h=h).groupby(["买家", "date"])["h"].cumsum() - h
    keys = ["买家", "date", "turn"]
    start = d[d["is_buyer"]].groupby(keys)["时间"].min()
    answered_at = d[d["human"]].groupby(keys)["时间"].min().reindex(start.index)
    seconds = start.dt.hour * 3600 + start.dt.minute * 60 + start.dt.second
    in_hours = (seconds >= SERVICE_HOURS[0]) & (seconds < SERVICE_HOURS[1])
    fast = ((answered_at - start).dt.total_seconds() <= FAST_REPLY_SECONDS) & in_hours
    turns = int(in_hours.sum())

    consultations = len(asked)
    answered = len(reply_at)
    return {
        "consultations": consultations,
        "answered": answered,
        "response_rate": answered / consultations if consultations else None,
        "human_response_seconds": float(waits.mean()) if len(waits) else None,
        "response_3min_rate": int(fast.sum()) / turns if turns else None,
    }


# --------------------------------------------------------------------------- §8 refunds


def refund_metrics(files: dict[str, Path], as_of: AsOf) -> dict[str, object]:
    r = read(
        files["refunds"],
        [
            "退款的申请时间",
            "退款完结时间",
            "卖家同意退货时间",
            "买家退货时间",
            "售后类型",
            "客服介入状态",
            "责任方",
        ],
    )
    for column in ("退款的申请时间", "退款完结时间", "卖家同意退货时间", "买家退货时间"):
        r[column] = to_dt(r[column])
    intervened = r["客服介入状态"].notna() & ~r["客服介入状态"].str.strip().str.lower().isin(
        NOT_INTERVENED
    )
    done = in_days(r["退款完结时间"], as_of, AFTER_SALES_WINDOW)
    elapsed = (r["退款完结时间"] - r["退款的申请时间"]).dt.total_seconds() / 3600
    buyer_time = (r["买家退货时间"] - r["卖家同意退货时间"]).dt.total_seconds().clip(lower=0) / 3600

    refund_only = done & ~intervened & (r["售后类型"] == "仅退款")
    returns = (
        done
        & ~intervened
        & (r["售后类型"] == "退货退款")
        & r["买家退货时间"].notna()
        & r["卖家同意退货时间"].notna()
    )
    disputes = int((done & intervened & r["责任方"].isin(SELLER_AT_FAULT)).sum())

    orders = read(files["orders"], ["订单编号", "订单付款时间"])
    paid = to_dt(orders["订单付款时间"])
    orders_paid = int(orders.loc[in_days(paid, as_of, AFTER_SALES_WINDOW), "订单编号"].nunique())
    return {
        "refund_only_hours": float(elapsed[refund_only].mean()) if refund_only.any() else None,
        "return_refund_hours": float((elapsed - buyer_time)[returns].mean())
        if returns.any()
        else None,
        "refund_only": int(refund_only.sum()),
        "return_refund": int(returns.sum()),
        "disputes": disputes,
        "orders_paid": orders_paid,
        "dispute_refund_rate": disputes / orders_paid if orders_paid else None,
    }


# --------------------------------------------------------------------------- §6 complaints


def complaint_rate(files: dict[str, Path], as_of: AsOf) -> float | None:
    c = read(files["complaints"], ["判定时间", "是否成立", "是否小二介入"])
    judged = to_dt(c["判定时间"])
    platform = c["是否小二介入"].isna() | yes(c["是否小二介入"].fillna(""))
    counted = int(
        (yes(c["是否成立"].fillna("")) & in_days(judged, as_of, COMPLAINT_WINDOW) & platform).sum()
    )
    orders = read(files["orders"], ["订单编号", "订单付款时间"])
    paid = to_dt(orders["订单付款时间"])
    orders_paid = int(orders.loc[in_days(paid, as_of, COMPLAINT_WINDOW), "订单编号"].nunique())
    return counted / orders_paid if orders_paid else None


# --------------------------------------------------------------------------- §9, §10


def score_cs(files: dict[str, Path], as_of: AsOf) -> dict[str, object]:
    cs = read(files["cs_ratings"], ["评价时间", "客服子账号", "评分", "评价来源"])
    cs["评价时间"] = to_dt(cs["评价时间"])
    cs["评分"] = pd.to_numeric(cs["评分"], errors="coerce")
    cs = cs[in_days(cs["评价时间"], as_of, (CS_LAST_DAYS, 1)) & cs["评分"].notna()]
    bot = cs["客服子账号"] == CS_BOT_ACCOUNT
    human = cs[~bot & (cs["评价来源"].isna() | cs["评价来源"].isin(CS_HUMAN_SOURCES))]
    robot = cs[bot & cs["评价来源"].isin(CS_BOT_SOURCES)]
    return {
        "human_count": len(human),
        "human_average": float(human["评分"].mean()) if len(human) else None,
        "bot_count": len(robot),
        "bot_average": float(robot["评分"].mean()) if len(robot) else None,
    }


def reviews_triage(files: dict[str, Path], as_of: AsOf) -> dict[str, object]:
    rv = read(files["reviews"], ["评价时间", "评价结果", *DIMS.values()])
    rv["评价时间"] = to_dt(rv["评价时间"])
    rating = rv["评价结果"].str.strip().map(RATING_WORDS)
    lowest = rv[list(DIMS.values())].apply(pd.to_numeric, errors="coerce").min(axis=1)
    from_dsr = pd.Series(
        np.select([lowest >= 4, lowest == 3, lowest <= 2], ["good", "neutral", "bad"], ""),
        index=rv.index,
    ).replace("", np.nan)
    rv["class"] = rating.fillna(from_dsr)
    t = rv["评价时间"]
    half_year = rv[(t > as_of.instant - timedelta(days=GOOD_RATE_DAYS)) & (t <= as_of.instant)]
    counts = half_year["class"].value_counts()
    good, neutral, bad = (int(counts.get(k, 0)) for k in ("good", "neutral", "bad"))
    recent = rv[(t > as_of.instant - timedelta(days=TRIAGE_DAYS)) & (t <= as_of.instant)]
    rated = good + neutral + bad
    return {
        "good_rate": good / rated if rated else None,
        "good": good,
        "neutral": neutral,
        "bad": bad,
        "neutral_30d": int((recent["class"] == "neutral").sum()),
        "bad_30d": int((recent["class"] == "bad").sum()),
    }


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
        "complaint_rate": complaint_rate(files, as_of),
    }


# --------------------------------------------------------------------------- data check


def data_check(files: dict[str, Path], as_of: AsOf) -> dict[str, object]:
    df = pd.read_csv(files["orders"], dtype=str)
    df.columns = df.columns.str.strip()
    problems = 0
    paid = None
    for column in df.columns:
        cells = df[column].dropna()
        if column.endswith("时间"):
            parsed = to_dt(cells)
            problems += int(parsed.isna().sum())
            if column == "订单付款时间":
                paid = parsed
        elif column.endswith("金额") or column.endswith("邮费"):
            problems += int(to_fen(cells).isna().sum())
        elif column in ("订单编号", "物流单号", "宝贝ID"):
            problems += int(cells.str.contains("E+", regex=False).sum())
    return {
        "rows": len(df),
        "date_start": None if paid is None else str(paid.min()),
        "date_end": None if paid is None else str(paid.max()),
        "problems": problems,
    }


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
