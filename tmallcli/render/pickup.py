"""24小时揽收及时率 result → JSON contract (SPEC §4) and labelled tables."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Any

from tmallcli.metrics.pickup import (
    LATE_SHIPMENT_RISK,
    NOT_PICKED,
    PickupResult,
    Tally,
)
from tmallcli.money import yuan
from tmallcli.render.document import (
    BAD,
    GOOD,
    WARN,
    Cell,
    Column,
    Document,
    Section,
    cell,
    percent,
    time_cell,
)
from tmallcli.render.labels import pick
from tmallcli.render.serialise import Shape, many

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


def _l(key: str, lang: str) -> str:
    return pick(LABELS, key, lang)


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

    def document(self, lang: str) -> Document:
        r = self.result
        doc = Document(_l("title", lang))
        rule = _l("rule", lang).format(hours=r.rules.hours)
        if r.rules.preset:
            rule += f" ({_l('preset', lang)} {r.rules.preset})"
        doc.line(
            f"{_l('as_of', lang)} {r.as_of}  ·  {_l('window', lang)} {r.window_start} … "
            f"{r.window_end}  ·  {rule}  ·  {_l('source', lang)}: "
            f"{_l('source.' + r.pickup_source, lang)}"
        )
        headline = f"{_l('rate', lang)}: " + (
            f"{percent(r.rate)} ({r.timely}/{r.population})"
            if r.rate is not None
            else _l("no_rate", lang)
        )
        if self.min_rate is not None:
            headline += f"  ·  {_l('min_rate', lang)} {self.min_rate * 100:.2f}%"
        doc.line(headline, self._rate_style(r.timely, r.population) or "bold")
        doc.line(
            f"{_l('population', lang)} {r.population}  ·  {_l('timely', lang)} {r.timely}  ·  "
            f"{_l('late', lang)} {r.late}  ·  {_l('not_picked', lang)} {r.not_picked}"
        )
        for warning in r.warnings:
            text = (
                _l(f"warning.{warning.code}", lang)
                if f"warning.{warning.code}" in LABELS
                else warning.message
            )
            doc.line(f"{_l('warning', lang)}: {text}", WARN)
        # First section: the untimely list (CSV output carries the first section only).
        doc.sections.append(self._untimely_section(lang))
        doc.sections.append(self._tally_section("by_carrier", "carrier", r.by_carrier, lang))
        doc.sections.append(self._tally_section("by_warehouse", "warehouse", r.by_warehouse, lang))
        doc.sections.append(self._tally_section("by_pay_hour", "hour", r.by_pay_hour, lang))
        doc.sections.append(self._tally_section("daily", "date", r.daily, lang))
        doc.sections.append(self._watch_section(lang))
        return doc

    def _untimely_section(self, lang: str) -> Section:
        r = self.result
        columns = [
            Column(key, _l(key, lang), numeric=key == "hours")
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
                Cell(_l(o.status, lang), BAD if o.status == NOT_PICKED else WARN, o.status),
                cell(o.carrier),
                cell(o.tracking_no),
                cell(o.warehouse),
            ]
            for o in r.untimely
        ]
        total = r.late + r.not_picked
        notes = []
        if len(r.untimely) < total:
            notes.append(_l("untimely.shown", lang).format(shown=len(r.untimely), total=total))
        return Section("untimely", _l("untimely", lang), columns, rows, notes)

    def _tally_section(self, key: str, key_name: str, tallies: list[Tally], lang: str) -> Section:
        columns = [
            Column(key_name, _l(key_name, lang)),
            Column("population", _l("population", lang), numeric=True),
            Column("timely", _l("timely", lang), numeric=True),
            Column("late", _l("late", lang), numeric=True),
            Column("not_picked", _l("not_picked", lang), numeric=True),
            Column("rate", _l("rate.short", lang), numeric=True),
        ]
        rows = [
            [
                self._key_cell(t.key, lang),
                cell(t.population),
                cell(t.timely),
                cell(t.late),
                cell(t.not_picked),
                Cell(
                    percent(t.rate),
                    self._rate_style(t.timely, t.population),
                    "" if t.rate is None else t.rate,
                ),
            ]
            for t in tallies
        ]
        return Section(key, _l(key, lang), columns, rows)

    @staticmethod
    def _key_cell(key: Any, lang: str) -> Cell:
        if key is None:
            return Cell(_l("unknown", lang))
        if isinstance(key, int):
            return Cell(f"{key:02d}:00", raw=key)
        if isinstance(key, date):
            return Cell(key.isoformat(), raw=key)
        return cell(key)

    def _watch_section(self, lang: str) -> Section:
        columns = [
            Column("order_id", _l("order_id", lang)),
            Column("buyer", _l("buyer", lang)),
            Column("paid_at", _l("paid_at", lang)),
            Column("hours", _l("waiting", lang), numeric=True),
            Column("level", _l("level", lang)),
            Column("shipped_at", _l("shipped_at", lang)),
            Column("carrier", _l("carrier", lang)),
            Column("tracking_no", _l("tracking_no", lang)),
            Column("warehouse", _l("warehouse", lang)),
            Column("compensation", _l("compensation", lang), numeric=True),
        ]
        rows = [
            [
                cell(w.order_id),
                cell(w.buyer),
                time_cell(w.paid_at),
                Cell(f"{w.hours:.2f}", raw=w.hours),
                Cell(
                    _l(f"level.{w.level}", lang),
                    BAD if w.level == LATE_SHIPMENT_RISK else WARN,
                    w.level,
                ),
                time_cell(w.shipped_at),
                cell(w.carrier),
                cell(w.tracking_no),
                cell(w.warehouse),
                Cell(yuan(w.compensation_fen), raw=yuan(w.compensation_fen)),
            ]
            for w in self.result.watchlist
        ]
        summary = self._watch_summary()
        notes = [
            _l("watchlist.summary", lang).format(
                follow_up=summary["follow_up"],
                risk=summary["late_shipment_risk"],
                amount=summary["compensation"],
            )
        ]
        return Section("watchlist", _l("watchlist", lang), columns, rows, notes)
