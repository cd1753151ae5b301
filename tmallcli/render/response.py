"""旺旺 consultation result → JSON (SPEC §7) and labelled tables: misses to act on, then trends."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

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
    from tmallcli.metrics.response import Consultation, Counts, ResponseResult
    from tmallcli.render.labels import Labels

LABELS: dict[str, tuple[str, str]] = {
    "title": ("旺旺咨询体验", "Wangwang consultation experience"),
    "window": ("咨询日期", "Consulted on"),
    "response_rate": ("旺旺响应率", "Response rate"),
    "human_response_seconds": ("人工平均响应时长", "Mean first human reply"),
    "response_3min_rate": ("3分钟人工响应率", "Human reply within 3 min"),
    "min_rate": ("目标", "target"),
    "no_consultations": ("无咨询", "no consultations"),
    "seconds": ("{s} 秒", "{s} s"),
    "turns": (
        "{fast}/{turns} 轮，服务时间 {start}–{end}",
        "{fast}/{turns} turns, service hours {start}–{end}",
    ),
    "assistant.on": ("店小蜜回复计为有效回复", "店小蜜 replies count as valid"),
    "assistant.off": ("店小蜜回复不计为有效回复", "店小蜜 replies do not count"),
    "rules.auto": (
        "千牛自动回复、快捷短语不算有效回复；24点前的咨询须在24点前回复；直接拉黑视为未回复",
        "auto-replies and quick replies are not valid; a question must be answered before "
        "24:00 of its day; blacklisting without a reply counts as no reply",
    ),
    "summary": (
        "咨询 {c} · 已回复 {a} · 未回复 {m} · 24点后才回复 {late}",
        "consultations {c} · answered {a} · missed {m} · answered only after midnight {late}",
    ),
    "next_leave": (
        "最近滚出窗口：{date} 的 {m} 次未回复自 {on} 起不再计入，届时响应率 {rate}（其他不变）",
        "next to leave: the {m} miss(es) of {date} drop out from {on}; the rate is then {rate} "
        "(all else equal)",
    ),
    "unanswered": ("未回复咨询", "Unanswered consultations"),
    "unanswered.shown": ("显示前 {shown} 条，共 {total} 条", "showing {shown} of {total}"),
    "buyer": ("买家", "Buyer"),
    "date": ("日期", "Date"),
    "first_message_at": ("首条咨询时间", "First message"),
    "hour": ("时段", "Hour"),
    "replied_at": ("24点后回复时间", "Replied after midnight"),
    "replied_by": ("回复客服", "Replied by"),
    "wait": ("等待(秒)", "Waited (s)"),
    "daily": ("每日趋势", "Daily trend"),
    "by_hour": ("分时段 (排班分析)", "By hour of day (staffing)"),
    "by_account": ("子账号 (排班分析)", "By sub-account (staffing)"),
    "after_midnight": (
        "24点后才回复的咨询 (计为未回复)",
        "Answered only after midnight (not answered)",
    ),
    "leaving": ("未回复日期滚出30天窗口", "When missed days leave the 30-day window"),
    "consultations": ("咨询数", "Consultations"),
    "answered": ("已回复", "Answered"),
    "missed": ("未回复", "Missed"),
    "rate": ("响应率", "Rate"),
    "human_seconds": ("人工响应(秒)", "Human reply (s)"),
    "fast": ("3分钟人工回复轮次", "Turns answered ≤ 3 min"),
    "turn_count": ("服务时间内轮次", "Turns in service hours"),
    "rate_3min": ("3分钟人工响应率", "≤ 3 min rate"),
    "staff": ("在线人工客服", "Staff replying"),
    "account": ("客服子账号", "Sub-account"),
    "assistant": ("店小蜜", "Assistant"),
    "handled": ("首个有效回复", "First valid reply"),
    "human_handled": ("首个人工回复", "First human reply"),
    "replies": ("回复消息数", "Replies"),
    "active_hours": ("回复时段", "Active hours"),
    "leaves_window_on": ("滚出日期", "Leaves on"),
    "rate_without": ("滚出后响应率", "Rate without it"),
    "rate_rise": ("响应率提升", "Rate rise"),
    "yes": ("是", "yes"),
    "unknown": ("(未知)", "(unknown)"),
}


def _seconds(value: float | None) -> float | None:
    return value  # full precision in JSON (SPEC §14); the tables show two decimals


def hour_ranges(hours: tuple[int, ...] | list[int]) -> str:
    """Hours of day as ranges: (0, 8, 9, 10, 23) → ``00, 08–10, 23``."""
    parts: list[str] = []
    run: list[int] = []
    for hour in sorted(hours):
        if run and hour == run[-1] + 1:
            run.append(hour)
            continue
        if run:
            parts.append(_run_text(run))
        run = [hour]
    if run:
        parts.append(_run_text(run))
    return ", ".join(parts)


def _run_text(run: list[int]) -> str:
    return f"{run[0]:02d}" if len(run) == 1 else f"{run[0]:02d}–{run[-1]:02d}"


def _short(account: str) -> str:
    """``店铺:小王`` → ``小王``: the shop prefix is the same on every sub-account."""
    return account.rsplit(":", 1)[-1] or account


# JSON shapes (SPEC §7): the counts with their rates; seconds rounded to 0.01.
COUNTS = (
    "consultations",
    "answered",
    "missed",
    "response_rate",
    "human_answered",
    "human_response_seconds",
    "turns",
    "fast_turns",
    "response_3min_rate",
)
SECONDS = {"human_response_seconds": lambda x: _seconds(x.human_response_seconds)}
DAY = Shape(keys=("date", *COUNTS), derive=SECONDS)
HOUR = Shape(keys=("hour", *COUNTS, "staff"), derive=SECONDS)
ACCOUNT = Shape(
    keys=(
        "account",
        "assistant",
        "consultations",
        "human_consultations",
        "human_response_seconds",
        "replies",
        "active_hours",
    ),
    derive=SECONDS,
)
CONSULTATION = Shape(
    keys=(
        "buyer",
        "date",
        "first_message_at",
        "hour",
        "replied_at",
        "replied_by",
        "wait_seconds",
    )
)


@dataclass
class ResponseReport:
    result: ResponseResult
    min_rate: float | None = None

    @property
    def below_min_rate(self) -> bool:
        return self.min_rate is not None and self.result.below(self.min_rate)

    def _rate_style(self, answered: int, consultations: int) -> str | None:
        """Red below ``--min-rate`` (exactly: 95/100 is not below 0.95), green at or above."""
        if self.min_rate is None or consultations == 0:
            return None
        return BAD if Fraction(answered, consultations) < Fraction(str(self.min_rate)) else GOOD

    def to_json(self) -> dict[str, Any]:
        r = self.result
        start, end = r.rules.service_hours
        return {
            "as_of": r.as_of,
            "window": {"start": r.window_start, "end": r.window_end},
            "rules": {
                "assistant_counts": r.rules.assistant_counts,
                "fast_reply_seconds": r.rules.fast_reply_seconds,
                "service_hours": {"start": start, "end": end},
                "limit": r.rules.limit,
            },
            "min_rate": self.min_rate,
            "response_rate": r.response_rate,
            "response_3min_rate": r.response_3min_rate,
            "human_response_seconds": _seconds(r.human_response_seconds),
            "consultations": r.consultations,
            "answered": r.answered,
            "missed": r.missed,
            "human_answered": r.totals.human_answered,
            "turns": r.totals.turns,
            "fast_turns": r.totals.fast_turns,
            "daily": many(r.daily, DAY),
            "by_hour": many(r.by_hour, HOUR),
            "by_account": many(r.by_account, ACCOUNT),
            "unanswered_count": r.unanswered_count,
            "unanswered": many(r.unanswered, CONSULTATION),
            "after_midnight_count": r.after_midnight_count,
            "after_midnight": many(r.after_midnight, CONSULTATION),
            "leaving": many(r.leaving),
        }

    def document(self, labels: Labels) -> Document:
        t = labels.of(LABELS)
        r = self.result
        doc = Document(t("title"))
        assistant = t("assistant.on" if r.rules.assistant_counts else "assistant.off")
        doc.line(
            f"{t('as_of')} {r.as_of}  ·  {t('window')} {r.window_start} … "
            f"{r.window_end}  ·  {assistant}"
        )
        headline = f"{t('response_rate')}: " + (
            f"{percent(r.response_rate)} ({r.answered}/{r.consultations})"
            if r.consultations
            else t("no_consultations")
        )
        if self.min_rate is not None:
            headline += f"  ·  {t('min_rate')} {self.min_rate * 100:.2f}%"
        doc.line(headline, self._rate_style(r.answered, r.consultations) or "bold")
        seconds = r.human_response_seconds
        start, end = r.rules.service_hours
        doc.line(
            f"{t('human_response_seconds')}: "
            + ("—" if seconds is None else t("seconds").format(s=f"{seconds:.2f}"))
            + f"  ·  {t('response_3min_rate')}: {percent(r.response_3min_rate)} ("
            + t("turns").format(
                fast=r.totals.fast_turns, turns=r.totals.turns, start=start, end=end
            )
            + ")"
        )
        doc.line(
            t("summary").format(
                c=r.consultations, a=r.answered, m=r.missed, late=r.after_midnight_count
            ),
            BAD if r.missed else None,
        )
        if r.leaving:
            first = r.leaving[0]
            doc.line(
                t("next_leave").format(
                    date=first.date,
                    m=first.missed,
                    on=first.leaves_window_on,
                    rate=percent(first.rate_without),
                ),
                WARN,
            )
        doc.line(t("rules.auto"), "dim")
        # First section: the misses to act on (CSV output carries the first section only).
        doc.sections.append(
            self._consultation_section("unanswered", r.unanswered, r.unanswered_count, t)
        )
        doc.sections.append(self._daily_section(t))
        doc.sections.append(self._hour_section(t))
        doc.sections.append(self._account_section(t))
        doc.sections.append(
            self._consultation_section(
                "after_midnight", r.after_midnight, r.after_midnight_count, t
            )
        )
        doc.sections.append(self._leaving_section(t))
        return doc

    def _consultation_section(
        self, key: str, rows: list[Consultation], total: int, t: Labels
    ) -> Section:
        columns = [
            Column("buyer", t("buyer")),
            Column("date", t("date")),
            Column("first_message_at", t("first_message_at")),
            Column("hour", t("hour"), numeric=True),
            Column("replied_at", t("replied_at")),
            Column("replied_by", t("replied_by")),
            Column("wait_seconds", t("wait"), numeric=True),
        ]
        body = Rows(
            rows,
            lambda c: [
                cell(c.buyer),
                Cell(c.date.isoformat(), raw=c.date),
                time_cell(c.first_message_at, seconds=True),
                Cell(f"{c.hour:02d}:00", raw=c.hour),
                time_cell(c.replied_at, seconds=True),
                cell(c.replied_by),
                cell(c.wait_seconds, WARN if c.wait_seconds is not None else None),
            ],
        )
        notes = []
        if len(rows) < total:
            notes.append(t("unanswered.shown").format(shown=len(rows), total=total))
        return Section(key, t(key), columns, body, notes)

    def _count_columns(self, t: Labels) -> list[Column]:
        return [
            Column("consultations", t("consultations"), numeric=True),
            Column("answered", t("answered"), numeric=True),
            Column("missed", t("missed"), numeric=True),
            Column("response_rate", t("rate"), numeric=True),
            Column("human_response_seconds", t("human_seconds"), numeric=True),
            Column("turns", t("turn_count"), numeric=True),
            Column("fast_turns", t("fast"), numeric=True),
            Column("response_3min_rate", t("rate_3min"), numeric=True),
        ]

    def _count_cells(self, counts: Counts) -> list[Cell]:
        seconds = _seconds(counts.human_response_seconds)
        return [
            cell(counts.consultations),
            cell(counts.answered),
            cell(counts.missed, BAD if counts.missed else None),
            Cell(
                percent(counts.response_rate),
                self._rate_style(counts.answered, counts.consultations),
                "" if counts.response_rate is None else counts.response_rate,
            ),
            cell(seconds),
            cell(counts.turns),
            cell(counts.fast_turns),
            Cell(
                percent(counts.response_3min_rate),
                raw="" if counts.response_3min_rate is None else counts.response_3min_rate,
            ),
        ]

    def _daily_section(self, t: Labels) -> Section:
        columns = [Column("date", t("date")), *self._count_columns(t)]
        rows = [
            [Cell(d.date.isoformat(), raw=d.date), *self._count_cells(d)] for d in self.result.daily
        ]
        return Section("daily", t("daily"), columns, rows)

    def _hour_section(self, t: Labels) -> Section:
        columns = [
            Column("hour", t("hour")),
            *self._count_columns(t),
            Column("staff", t("staff")),
        ]
        rows = [
            [
                Cell(f"{h.hour:02d}:00", raw=h.hour),
                *self._count_cells(h),
                Cell(
                    ", ".join(_short(a) for a in h.staff) or "—",
                    BAD if h.missed and not h.staff else None,
                    ";".join(h.staff),
                ),
            ]
            for h in self.result.by_hour
        ]
        return Section("by_hour", t("by_hour"), columns, rows)

    def _account_section(self, t: Labels) -> Section:
        columns = [
            Column("account", t("account")),
            Column("assistant", t("assistant")),
            Column("consultations", t("handled"), numeric=True),
            Column("human_consultations", t("human_handled"), numeric=True),
            Column("human_response_seconds", t("human_seconds"), numeric=True),
            Column("replies", t("replies"), numeric=True),
            Column("active_hours", t("active_hours")),
        ]
        rows = [
            [
                Cell(a.account or t("unknown"), raw=a.account or ""),
                Cell(t("yes") if a.assistant else "", raw=a.assistant),
                cell(a.consultations),
                cell(a.human_consultations),
                cell(_seconds(a.human_response_seconds)),
                cell(a.replies),
                Cell(hour_ranges(a.active_hours) or "—", raw=hour_ranges(a.active_hours)),
            ]
            for a in self.result.by_account
        ]
        return Section("by_account", t("by_account"), columns, rows)

    def _leaving_section(self, t: Labels) -> Section:
        columns = [
            Column("date", t("date")),
            Column("consultations", t("consultations"), numeric=True),
            Column("missed", t("missed"), numeric=True),
            Column("leaves_window_on", t("leaves_window_on")),
            Column("rate_without", t("rate_without"), numeric=True),
            Column("rate_rise", t("rate_rise"), numeric=True),
        ]
        rows = [
            [
                Cell(d.date.isoformat(), raw=d.date),
                cell(d.consultations),
                cell(d.missed, BAD),
                Cell(d.leaves_window_on.isoformat(), raw=d.leaves_window_on),
                Cell(percent(d.rate_without), raw="" if d.rate_without is None else d.rate_without),
                Cell(
                    "—" if d.rate_rise is None else f"{d.rate_rise * 100:+.2f}pp",
                    None if not d.rate_rise else GOOD if d.rate_rise > 0 else BAD,
                    "" if d.rate_rise is None else d.rate_rise,
                ),
            ]
            for d in self.result.leaving
        ]
        return Section("leaving", t("leaving"), columns, rows)
