"""One chunk of orders simulated as arrays: payment, items, carrier and warehouse, pickup,
delivery and the platform's compensation, then everything that follows from them (packages,
refunds, reviews, complaints) drawn by their own modules in a fixed order."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tmallcli.sample.complaints import plan_complaints
from tmallcli.sample.draws import (
    Counters,
    Shop,
    between,
    choose,
    cut_future,
    hour_of_day,
    lognormal,
    scrambled_ids,
    shares,
    tracking_digits,
)
from tmallcli.sample.logistics import plan_packages
from tmallcli.sample.refunds import plan_refunds
from tmallcli.sample.reviews import plan_reviews
from tmallcli.sample.world import (
    BASE_LATE,
    BUYER_MESSAGES,
    CAP_BUYER,
    CARRIERS,
    CLOSED,
    DAY,
    EXPENSIVE_ITEM,
    HISTORY_DAYS,
    HOUR,
    ITEMS,
    MINUTE,
    NA,
    PAY_HOUR_RISK,
    PAY_HOUR_SHARE,
    PROVINCES,
    SF,
    SHIPPED,
    SUCCESS,
    UNPAID,
    WAIT_SHIP,
    WAREHOUSES,
)


@dataclass
class Sim:
    n: int
    arrays: dict[str, np.ndarray]
    packages: dict[str, np.ndarray]
    refunds: dict[str, np.ndarray]
    reviews: dict[str, np.ndarray]
    complaints: dict[str, np.ndarray]


def simulate(rng: np.random.Generator, shop: Shop, start: int, n: int, counters: Counters) -> Sim:
    end = shop.end
    index = np.arange(start, start + n, dtype=np.int64)

    # Order i = 0 is the newest; the quantile walks back through the days (denser recently).
    quantile = (index + rng.random(n)) / shop.orders
    days_ago = np.minimum(np.searchsorted(shop.day_cdf, quantile, side="right"), HISTORY_DAYS - 1)
    hour = rng.choice(24, n, p=shares(PAY_HOUR_SHARE))
    midnight_rush = shop.double11[days_ago] & (rng.random(n) < 0.35)
    hour = np.where(midnight_rush, rng.integers(0, 2, n), hour)
    created = (shop.today - days_ago) * DAY + hour * HOUR + between(rng, n, 0, HOUR)
    buyer = 2 + np.floor(  # 0 and 1 are reserved for plants
        shop.buyers * rng.random(n) ** 1.6
    ).astype(np.int64)

    # A buyer often places a second order minutes after the first (grouped compensation).
    session = np.flatnonzero(rng.random(n) < 0.012)
    session = session[session > 0]
    buyer[session] = buyer[session - 1]
    created[session] = created[session - 1] + between(rng, len(session), MINUTE, 30 * MINUTE)

    item1 = rng.choice(len(ITEMS), n, p=shop.item_p)
    two_items = rng.random(n) < 0.08
    item2 = np.where(two_items, (item1 + 1 + rng.integers(0, len(ITEMS) - 1, n)) % len(ITEMS), -1)
    qty1 = 1 + (rng.random(n) < 0.12).astype(np.int64)
    province = rng.choice(len(PROVINCES), n, p=shop.province_p)
    carrier = rng.choice(len(CARRIERS), n, p=shop.carrier_p)
    warehouse = rng.choice(len(WAREHOUSES), n, p=shop.warehouse_p)
    carrier[session] = carrier[session - 1]  # the session's orders ship together
    warehouse[session] = warehouse[session - 1]

    # Plant: one buyer's three expensive orders within 5 hours, all shipped after 48 h, so
    # the compensation group (30% each) exceeds the 500-yuan cap.
    protect = np.zeros(n, dtype=bool)
    force_late = np.zeros(n, dtype=bool)
    if n >= 300:
        window = (days_ago >= 12) & (days_ago <= 60)
        window[-3:] = False
        first = choose(rng, window, 1)
        if len(first):
            group = first[0] + np.arange(3)
            buyer[group] = CAP_BUYER
            item1[group], two_items[group], item2[group], qty1[group] = EXPENSIVE_ITEM, False, -1, 1
            province[group] = 0
            created[group] = created[first[0]] + np.array([0, 2 * HOUR, 5 * HOUR])
            protect[group] = True
            force_late[group] = True
    created = np.minimum(created, end)

    paid = created + np.clip(lognormal(rng, n, 45, 1.1), 3, 30 * MINUTE)
    unpaid = ((rng.random(n) < 0.035) & ~protect) | (paid > end)
    paid = np.where(unpaid, NA, paid)
    paid_ok = paid >= 0
    paid_hour = hour_of_day(paid)
    paid_day = paid // DAY

    price = shop.item_price
    goods = price[item1] * qty1 + np.where(two_items, price[np.maximum(item2, 0)], 0)
    coupon = np.where(goods >= 19900, 2000, np.where(goods >= 9900, 1000, 0))
    coupon = np.where(rng.random(n) < 0.5, coupon, 0)
    remote = np.array([row[4] for row in PROVINCES])[province]
    postage = np.where(remote, 1000, np.where((goods < 3900) & (rng.random(n) < 0.3), 600, 0))
    paid_fen = goods - coupon + postage

    # Closed before shipping: the buyer asked for a refund (多拍, 拍错, 缺货 …) and got it.
    cancel_at = paid + np.clip(lognormal(rng, n, 40 * MINUTE, 1.3), 2 * MINUTE, 20 * HOUR)
    cancel = paid_ok & ~protect & (rng.random(n) < 0.03) & (cancel_at <= end)

    # 物流服务 promises, delivered by 顺丰 from Hangzhou.
    promise_kind = rng.choice(3, n, p=[0.3, 0.5, 0.2])
    promise_kind = np.where((promise_kind == 0) & (paid_hour >= 14), 1, promise_kind)
    service = np.where(paid_ok & ~cancel & ~protect & (rng.random(n) < 0.03), promise_kind, -1)
    carrier = np.where(service >= 0, SF, carrier)
    warehouse = np.where(service >= 0, 0, warehouse)

    # 承诺发货时间: presale / made-to-order items promise 72 h; a few promise same-day shipping.
    roll = rng.random(n)
    long_promise = paid_ok & ~protect & (roll < 0.07)
    same_day = paid_ok & ~protect & (roll >= 0.07) & (roll < 0.10) & (paid_hour < 16)
    promised = np.where(
        long_promise, paid + 72 * HOUR, np.where(same_day, (paid_day + 1) * DAY - 1, NA)
    )

    # Pickup. Most packages go out with the next daytime courier round, well inside 24 h;
    # the risk of missing it grows with a bad courier, a bad warehouse, a late-night
    # payment and the 11.11 peak.
    risk = (
        BASE_LATE
        * np.array([row[2] for row in CARRIERS])[carrier]
        * np.array([row[2] for row in WAREHOUSES])[warehouse]
        * np.array(PAY_HOUR_RISK)[paid_hour]
        * np.where(shop.peak[days_ago], 2.0, 1.0)
    )
    late = rng.random(n) < np.minimum(risk, 0.85)
    late[session] = late[session - 1]
    late = (late & (service < 0)) | force_late
    ready = paid + lognormal(rng, n, 5 * HOUR, 0.6)
    ready_hour = hour_of_day(ready)
    night = (ready_hour >= 21) | (ready_hour < 8)
    morning = (ready // DAY + (ready_hour >= 21)) * DAY + 8 * HOUR + between(rng, n, 0, 150 * 60)
    ready = np.where(night, morning, ready)
    ready = np.where(
        ready - paid >= 23 * HOUR + 30 * MINUTE,
        paid + between(rng, n, 16 * HOUR, 23 * HOUR),
        ready,
    )
    late_at = paid + DAY + MINUTE + rng.exponential(16 * HOUR, n).astype(np.int64)
    late_at = np.where(force_late, paid + between(rng, n, 50 * HOUR, 70 * HOUR), late_at)
    pick1 = np.where(late, late_at, ready)
    pick1 = np.where(service == 0, paid + between(rng, n, 30 * MINUTE, 90 * MINUTE), pick1)
    pick1 = np.where(service == 1, paid + between(rng, n, HOUR, 4 * HOUR), pick1)

    recent = paid_ok & (paid >= end - 35 * DAY)
    never = recent & ~cancel & ~protect & (service < 0) & (rng.random(n) < 0.002 + 0.03 * late)

    # 发货时间 is the seller's click; sometimes clicked long before the courier came.
    click = np.maximum(pick1 - between(rng, n, 10 * MINUTE, 3 * HOUR), paid + 2 * MINUTE)
    early_click = late & (rng.random(n) < 0.45)
    click = np.where(early_click, paid + between(rng, n, HOUR, 20 * HOUR), click)
    click_never = np.where(rng.random(n) < 0.6, paid + between(rng, n, 2 * HOUR, 20 * HOUR), NA)
    click = np.where(never, click_never, click)
    pick1 = np.where(never, NA, pick1)

    # Split shipments: the second package sometimes a day or two later, or never.
    two_packages = (
        paid_ok
        & ~cancel
        & ~protect
        & (service < 0)
        & np.where(two_items, rng.random(n) < 0.5, rng.random(n) < 0.015)
    )
    gap = np.where(
        rng.random(n) < 0.2, between(rng, n, DAY, 60 * HOUR), between(rng, n, 0, 3 * HOUR)
    )
    pick2 = np.where(two_packages & (pick1 >= 0), pick1 + gap, NA)
    pick2 = np.where(two_packages & recent & (rng.random(n) < 0.04), NA, pick2)

    # 菜鸟 warehouses: 包裹已出库 first, the pickup is the next state (正在发往分拨中心).
    cainiao = np.array([row[5] for row in WAREHOUSES])[warehouse]
    out1 = np.where(pick1 >= 0, pick1 - between(rng, n, 30 * MINUTE, 4 * HOUR), NA)
    left_in_time = cainiao & late & (pick1 >= 0) & (rng.random(n) < 0.5)
    out1 = np.where(
        left_in_time, np.minimum(paid + between(rng, n, 6 * HOUR, 20 * HOUR), pick1 - HOUR), out1
    )
    stuck_out = cainiao & never & (click >= 0) & (rng.random(n) < 0.5)
    out1 = np.where(stuck_out, click + between(rng, n, HOUR, 6 * HOUR), out1)
    out1 = np.where(cainiao & (out1 >= 0), np.maximum(out1, paid + 10 * MINUTE), NA)
    out2 = np.where(cainiao & (pick2 >= 0), pick2 - between(rng, n, 30 * MINUTE, 4 * HOUR), NA)

    no_ship = cancel | unpaid
    pick1, pick2, click, out1, out2 = (
        np.where(no_ship, NA, cut_future(t, end)) for t in (pick1, pick2, click, out1, out2)
    )
    picked_all = (pick1 >= 0) & (~two_packages | (pick2 >= 0))
    pick_last = np.where(picked_all, np.maximum(pick1, pick2), NA)

    transit = (
        np.array([row[3] for row in CARRIERS])[carrier] * HOUR * rng.lognormal(0.0, 0.35, n)
    ).astype(np.int64) + remote * DAY
    broken = rng.random(n) < 0.25
    same_day_at = np.minimum(paid + between(rng, n, 3 * HOUR, 8 * HOUR), (paid_day + 1) * DAY - 1)
    next_day_at = (paid_day + 1) * DAY + between(rng, n, 9 * HOUR, 20 * HOUR)
    delivered_sp = np.where(
        service == 0,
        np.where(broken, next_day_at, same_day_at),
        np.where(broken, next_day_at + DAY, next_day_at),
    )
    delivered = np.where(pick_last >= 0, pick_last + transit, NA)
    delivered = np.where((service >= 0) & (service < 2) & (pick_last >= 0), delivered_sp, delivered)
    delivered = cut_future(delivered, end)
    delivered1 = cut_future(np.where(pick1 >= 0, pick1 + transit, NA), end)
    delivered1 = np.where(two_packages, delivered1, delivered)

    confirmed = np.where(
        delivered >= 0,
        delivered
        + np.where(
            rng.random(n) < 0.6,
            between(rng, n, HOUR, 72 * HOUR),
            10 * DAY + between(rng, n, 0, HOUR),
        ),
        NA,
    )
    confirmed = cut_future(confirmed, end)

    item_fen = paid_fen - postage
    refunds = plan_refunds(
        rng, shop, n,
        paid=paid, paid_fen=paid_fen, item_fen=item_fen, cancel=cancel, cancel_at=cancel_at,
        protect=protect, pick_last=pick_last, delivered=delivered, confirmed=confirmed,
        counters=counters,
    )  # fmt: skip
    closed_by_refund = refunds["closes_order"]
    cancelled_done = cancel & refunds["cancel_done"]

    status = np.select(
        [
            unpaid & (created > end - DAY),
            unpaid | cancelled_done | closed_by_refund,
            confirmed >= 0,
            (click >= 0) | (pick1 >= 0),
        ],
        [UNPAID, CLOSED, SUCCESS, SHIPPED],
        WAIT_SHIP,
    )
    closed = status == CLOSED

    # 延迟发货 as the platform sees it (SPEC §5) and its own automatic compensation.
    deadline = np.where(promised >= 0, promised, paid + 48 * HOUR)
    any_pickup = (pick1 >= 0) | (pick2 >= 0)
    ship_time = np.where(picked_all, pick_last, np.where(any_pickup, NA, click))
    late_shipment = (
        paid_ok
        & ~closed
        & (((ship_time >= 0) & (ship_time > deadline)) | ((ship_time < 0) & (end > deadline)))
    )
    formula = np.minimum(np.maximum((item_fen * 30 + 50) // 100, 500), 50000)
    # (not on the capped group: that one the seller owes, see the plant above)
    auto_paid = late_shipment & ~protect & (deadline + DAY <= end) & (rng.random(n) < 0.6)
    auto_fen = np.where(auto_paid, formula, NA)
    # Plants: the platform paid the 5-yuan minimum where 30% is more, and paid an order
    # that was shipped in time.
    short_paid = choose(rng, auto_paid & (formula > 700) & ~protect, 1)
    auto_fen[short_paid] = 500
    wrongly_paid = choose(rng, paid_ok & ~closed & ~late_shipment & (pick_last >= 0)
                           & (paid <= end - 40 * DAY), 1)  # fmt: skip
    auto_fen[wrongly_paid] = 500

    # Packages and their tracking numbers (the numbering runs across chunks).
    has_tracking = (click >= 0) | (pick1 >= 0) | (out1 >= 0)
    second = has_tracking & two_packages
    n1, n2 = int(has_tracking.sum()), int(second.sum())
    package1 = np.where(has_tracking, counters.package + np.cumsum(has_tracking) - 1, NA)
    package2 = np.where(second, counters.package + n1 + np.cumsum(second) - 1, NA)
    counters.package += n1 + n2
    tracking1 = np.where(package1 >= 0, tracking_digits(np.maximum(package1, 0)), NA)
    tracking2 = np.where(package2 >= 0, tracking_digits(np.maximum(package2, 0)), NA)

    lead = 2 + index % 3
    order_id = lead * 10**17 + scrambled_ids(index, 17, 1)

    arrays = {
        "order_id": order_id,
        "buyer": buyer,
        "item1": item1,
        "item2": item2,
        "kinds": 1 + two_items.astype(np.int64),
        "qty": qty1 + two_items,
        "postage": postage,
        "paid_fen": np.where(paid_ok, paid_fen, 0),
        "status": status,
        "province": province,
        "created": created,
        "paid": paid,
        "promised": promised,
        "click": click,
        "carrier": np.where(has_tracking, carrier, -1),
        "tracking1": tracking1,
        "tracking2": tracking2,
        "warehouse": np.where(paid_ok, warehouse, -1),
        "service": service,
        "delivered": delivered,
        "auto_fen": auto_fen,
        "message": np.where(rng.random(n) < 0.04, rng.integers(0, len(BUYER_MESSAGES), n), -1),
        "leading_mark": np.where(rng.random(n) < 0.006, rng.integers(1, 3, n), 0),
        "trailing_tab": rng.random(n) < 0.005,
    }
    packages = plan_packages(
        rng, arrays, has_tracking, second, carrier, warehouse, province, cainiao,
        click=click, out1=out1, out2=out2, pick1=pick1, pick2=pick2,
        delivered1=delivered1, delivered=delivered, end=end,
    )  # fmt: skip
    late_pickup = (pick_last < 0) | (pick_last - paid > DAY)
    reviews = plan_reviews(
        rng, shop, arrays, status, confirmed, late_pickup | late_shipment, two_items
    )
    complaints = plan_complaints(
        rng, shop, n, late_shipment, early_click & late, deadline, refunds, pick_last, counters
    )
    return Sim(n, arrays, packages, refunds, reviews, complaints)
