"""24小时揽收及时率 result → JSON contract (SPEC §4) and labelled tables."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from tmallcli.metrics.pickup import LATE_SHIPMENT_RISK, NOT_PICKED
from tmallcli.money import yuan
from tmallcli.render.document import (
    BAD,
    GOOD,
    WARN,
    Cell,
    Column,
    Document,
    Rows,
    Section,
    cell,
    percent,
    time_cell,
)
from tmallcli.render.serialise import Shape, many

if TYPE_CHECKING:
    from tmallcli.metrics.pickup import PickupResult, Tally
    from tmallcli.render.labels import Labels

LABELS: dict[str, tuple[str, str]] = {
    "title": ("24小时揽收及时率", "24-hour pickup rate"),
    "rate": ("24小时揽收及时率", "24-hour pickup rate"),
    "rule": ("{hours}小时揽收", "{hours}-hour pickup rule"),
    "preset": ("预设", "preset"),
    "window": ("付款日期", "Paid on"),
    "min_rate": ("目标", "target"),
    "population": ("考核订单数", "Orders assessed"),
    "timely": ("及时揽收", "Picked up in time"),
    "late": ("揽收超时", "Late pickup"),
    "not_picked": ("未揽收", "Not picked up"),
    "untimely": ("揽收超时 / 未揽收订单", "Late and not picked up orders"),
    "untimely.shown": ("显示前 {shown} 笔，共 {total} 笔", "showing {shown} of {total}"),
    "source": ("揽收时间来源", "Pickup time from"),
    "source.picked_up_at": ("订单报表揽收时间", "orders export 揽收时间"),
    "source.tracking_events": ("物流详情", "tracking events"),
    "source.picked_up_at+tracking_events": (
        "订单报表揽收时间 + 物流详情",
        "orders export 揽收时间 + tracking events",
    ),
    "source.none": ("无（全部按未揽收计）", "none (every order counts as not picked up)"),
    "warning": ("注意", "Warning"),
    "warning.no_pickup_source": (
        "订单报表没有揽收时间，也未提供物流详情 (--logistics)，全部订单按未揽收计；"
        "发货时间是商家点击发货的时间，不是快递揽收时间，不能用来计算揽收及时率",
        "the orders export has no pickup time (揽收时间) and no --logistics was given, so "
        "every order counts as not picked up; shipped_at is the seller's click on 发货, not "
        "the courier's pickup, and cannot give the rate",
    ),
    "no_rate": ("无考核订单", "no orders to assess"),
    "order_id": ("订单编号", "Order"),
    "buyer": ("买家会员名", "Buyer"),
    "paid_at": ("付款时间", "Paid at"),
    "picked_up_at": ("揽收时间", "Picked up at"),
    "hours": ("时长(小时)", "Hours"),
    "deadline": ("最晚揽收时间", "Pickup deadline"),
    "status": ("状态", "Status"),
    "carrier": ("物流公司", "Carrier"),
    "tracking_no": ("运单号", "Tracking no."),
    "warehouse": ("发货仓", "Warehouse"),
    "rate.short": ("及时率", "Rate"),
    "by_carrier": ("物流公司", "By carrier"),
    "by_warehouse": ("发货仓", "By warehouse"),
    "by_pay_hour": ("付款时段", "By hour of payment"),
    "hour": ("付款时段", "Hour paid"),
    "daily": ("每日趋势", "Daily trend"),
    "date": ("付款日期", "Date paid"),
    "unknown": ("(未知)", "(unknown)"),
    "watchlist": ("跟进清单", "Follow-up watchlist"),
    "watchlist.summary": (
        "跟进 {follow_up} 笔 · 延迟发货风险 {risk} 笔 · 若延迟发货预计赔付 {amount} 元",
        "follow up {follow_up} · late-shipment risk {risk} · compensation if late {amount} yuan",
    ),
    "waiting": ("已等待(小时)", "Waiting (h)"),
    "level": ("级别", "Level"),
    "level.follow_up": ("跟进仓库和快递", "follow up with warehouse and courier"),
    "level.late_shipment_risk": ("延迟发货风险", "late-shipment risk"),
    "order_status": ("订单状态", "Order status"),
    "shipped_at": ("发货时间", "Shipped at"),
    "compensation": ("预计赔付(元)", "Compensation (yuan)"),
}


# JSON shapes (SPEC §4): each tally under the name of what it counts by, then its rate.
def _tally(key_name: str) -> Shape:
    return Shape(then=("rate",), rename={"key": key_name})


TALLIES = {name: _tally(name) for name in ("carrier", "warehouse", "hour", "date")}
WATCH = Shape(money=("compensation_fen",))


@dataclass
class PickupReport:
    result: PickupResult
    min_rate: float | None = None

    @property
    def below_min_rate(self) -> bool:
        return self.min_rate is not None and self.result.below(self.min_rate)

    def _rate_style(self, timely: int, population: int) -> str | None:
        """Red below ``--min-rate`` (exact: 95/100 is not below 0.95), green at or above."""
        if self.min_rate is None or population == 0:
            return None
        return BAD if Fraction(timely, population) < Fraction(str(self.min_rate)) else GOOD

    def _watch_summary(self) -> dict[str, Any]:
        watch = self.result.watchlist
        risk = sum(1 for w in watch if w.level == LATE_SHIPMENT_RISK)
        total = sum(w.compensation_fen for w in watch)
        return {
            "count": len(watch),
            "follow_up": len(watch) - risk,
            "late_shipment_risk": risk,
            "compensation_fen": total,
            "compensation": yuan(total),
        }

    def to_json(self) -> dict[str, Any]:
        r = self.result
        return {
            "as_of": r.as_of,
            "as_of_instant": r.instant,
            "window": {"start": r.window_start, "end": r.window_end},
            "hours": r.rules.hours,
            "preset": r.rules.preset,
            "limit": r.rules.limit,
            "pickup_source": r.pickup_source,
            "min_rate": self.min_rate,
            "rate": r.rate,
            "population": r.population,
            "timely": r.timely,
            "late": r.late,
            "not_picked": r.not_picked,
            "untimely_count": r.late + r.not_picked,
            "untimely": many(r.untimely),
            "by_carrier": many(r.by_carrier, TALLIES["carrier"]),
            "by_warehouse": many(r.by_warehouse, TALLIES["warehouse"]),
            "by_pay_hour": many(r.by_pay_hour, TALLIES["hour"]),
            "daily": many(r.daily, TALLIES["date"]),
            "watchlist": many(r.watchlist, WATCH),
            "watchlist_summary": self._watch_summary(),
            "warnings": many(r.warnings),
        }

    def document(self, labels: Labels) -> Document:
        t = labels.of(LABELS)
        r = self.result
        doc = Document(t("title"))
        rule = t("rule").format(hours=r.rules.hours)
        if r.rules.preset:
            rule += f" ({t('preset')} {r.rules.preset})"
        doc.line(
            f"{t('as_of')} {r.as_of}  ·  {t('window')} {r.window_start} … "
            f"{r.window_end}  ·  {rule}  ·  {t('source')}: "
            f"{t('source.' + r.pickup_source)}"
        )
        headline = f"{t('rate')}: " + (
            f"{percent(r.rate)} ({r.timely}/{r.population})" if r.rate is not None else t("no_rate")
        )
        if self.min_rate is not None:
            headline += f"  ·  {t('min_rate')} {self.min_rate * 100:.2f}%"
        doc.line(headline, self._rate_style(r.timely, r.population) or "bold")
        doc.line(
            f"{t('population')} {r.population}  ·  {t('timely')} {r.timely}  ·  "
            f"{t('late')} {r.late}  ·  {t('not_picked')} {r.not_picked}"
        )
        for warning in r.warnings:
            text = (
                t(f"warning.{warning.code}")
                if f"warning.{warning.code}" in LABELS
                else warning.message
            )
            doc.line(f"{t('warning')}: {text}", WARN)
        # First section: the untimely list (CSV output carries the first section only).
        doc.sections.append(self._untimely_section(t))
        doc.sections.append(self._tally_section("by_carrier", "carrier", r.by_carrier, t))
        doc.sections.append(self._tally_section("by_warehouse", "warehouse", r.by_warehouse, t))
        doc.sections.append(self._tally_section("by_pay_hour", "hour", r.by_pay_hour, t))
        doc.sections.append(self._tally_section("daily", "date", r.daily, t))
        doc.sections.append(self._watch_section(t))
        return doc

    def _untimely_section(self, t: Labels) -> Section:
        r = self.result
        columns = [
            Column(key, t(key), numeric=key == "hours")
            for key in (
                "order_id",
                "buyer",
                "paid_at",
                "picked_up_at",
                "hours",
                "deadline",
                "status",
                "carrier",
                "tracking_no",
                "warehouse",
            )
        ]
        rows = [
            [
                cell(o.order_id),
                cell(o.buyer),
                time_cell(o.paid_at),
                time_cell(o.picked_up_at),
                Cell(f"{o.hours:.2f}", raw=o.hours),
                time_cell(o.deadline),
                Cell(t(o.status), BAD if o.status == NOT_PICKED else WARN, o.status),
                cell(o.carrier),
                cell(o.tracking_no),
                cell(o.warehouse),
            ]
            for o in r.untimely
        ]
        total = r.late + r.not_picked
        notes = []
        if len(r.untimely) < total:
            notes.append(t("untimely.shown").format(shown=len(r.untimely), total=total))
        return Section("untimely", t("untimely"), columns, rows, notes)

    def _tally_section(self, key: str, key_name: str, tallies: list[Tally], t: Labels) -> Section:
        columns = [
            Column(key_name, t(key_name)),
            Column("population", t("population"), numeric=True),
            Column("timely", t("timely"), numeric=True),
            Column("late", t("late"), numeric=True),
            Column("not_picked", t("not_picked"), numeric=True),
            Column("rate", t("rate.short"), numeric=True),
        ]
        rows = [
            [
                self._key_cell(tally.key, t),
                cell(tally.population),
                cell(tally.timely),
                cell(tally.late),
                cell(tally.not_picked),
                Cell(
                    percent(tally.rate),
                    self._rate_style(tally.timely, tally.population),
                    "" if tally.rate is None else tally.rate,
                ),
            ]
            for tally in tallies
        ]
        return Section(key, t(key), columns, rows)

    @staticmethod
    def _key_cell(key: Any, t: Labels) -> Cell:
        if key is None:
            return Cell(t("unknown"))
        if isinstance(key, int):
            return Cell(f"{key:02d}:00", raw=key)
        if isinstance(key, date):
            return Cell(key.isoformat(), raw=key)
        return cell(key)

    def _watch_section(self, t: Labels) -> Section:
        columns = [
            Column("order_id", t("order_id")),
            Column("buyer", t("buyer")),
            Column("paid_at", t("paid_at")),
            Column("hours", t("waiting"), numeric=True),
            Column("level", t("level")),
            Column("shipped_at", t("shipped_at")),
            Column("carrier", t("carrier")),
            Column("tracking_no", t("tracking_no")),
            Column("warehouse", t("warehouse")),
            Column("compensation", t("compensation"), numeric=True),
        ]
        rows = Rows(
            self.result.watchlist,
            lambda w: [
                cell(w.order_id),
                cell(w.buyer),
                time_cell(w.paid_at),
                Cell(f"{w.hours:.2f}", raw=w.hours),
                Cell(
                    t(f"level.{w.level}"),
                    BAD if w.level == LATE_SHIPMENT_RISK else WARN,
                    w.level,
                ),
                time_cell(w.shipped_at),
                cell(w.carrier),
                cell(w.tracking_no),
                cell(w.warehouse),
                Cell(yuan(w.compensation_fen), raw=yuan(w.compensation_fen)),
            ],
        )
        summary = self._watch_summary()
        notes = [
            t("watchlist.summary").format(
                follow_up=summary["follow_up"],
                risk=summary["late_shipment_risk"],
                amount=summary["compensation"],
            )
        ]
        return Section("watchlist", t("watchlist"), columns, rows, notes)
