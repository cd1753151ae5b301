"""客服评价 result → JSON contract (SPEC §9) and labelled tables."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tmallcli.metrics.dsr import round_half_up
from tmallcli.render.document import BAD, GOOD, WARN, Cell, Column, Document, Section, cell
from tmallcli.render.serialise import Shape, many, to_json
from tmallcli.render.verdicts import ILLUSTRATIVE, illustrative_note, marked

if TYPE_CHECKING:
    from fractions import Fraction

    from tmallcli.metrics.cs_ratings import AccountRatings, CsResult, Tally
    from tmallcli.render.labels import Labels
    from tmallcli.timeframe import AsOf

OWN_LABELS: dict[str, tuple[str, str]] = {
    "title": ("客服评价", "Customer-service ratings"),
    "period": ("统计时间", "Period"),
    "days": ("{days}天", "{days} days"),
    "day": ("1天", "1 day"),
    "human": ("人工客服", "Human service"),
    "bot": ("机器人", "Bot"),
    "summary": (
        "{who}: 评价次数 {count} · 评价平均分 {average}",
        "{who}: {count} ratings · average {average}",
    ),
    "human.sources": ("含 {sources}", "sources: {sources}"),
    "bot.sources": ("仅 {sources}", "only {sources}"),
    "unknown_source": (
        "{n} 条人工评价无评价来源，按人工客服计入",
        "{n} human ratings have no source and are counted as human",
    ),
    "excluded": ("未计入", "Not counted"),
    "excluded.human_other_source": ("人工客服其他来源", "human, other source"),
    "excluded.bot_other_source": ("服务助手非买家自主评价", "bot, not buyer-initiated"),
    "excluded.no_score": ("无评分", "no score"),
    "min_average": ("目标", "target"),
    "below_min_average": (
        "人工客服平均分 {average} 低于目标 {target}",
        "human average {average} is below the target {target}",
    ),
    "at_min_average": (
        "人工客服平均分 {average} 不低于目标 {target}",
        "human average {average} meets the target {target}",
    ),
    "account_filter": ("子账号", "Sub-account"),
    "totals_shop_wide": ("人工/机器人合计为全店数据", "human and bot totals are shop-wide"),
    "accounts": ("评价详情", "Ratings by sub-account"),
    "account": ("客服子账号", "Sub-account"),
    "count": ("评价次数", "Ratings"),
    "average": ("评价平均分", "Average"),
    "low": ("≤{score}分", "≤ {score}"),
    "tags": ("标签", "Tags"),
    "no_accounts": ("该时间段内暂无客服评价", "no customer-service ratings in this period"),
    "diagnosis": ("诊断", "Diagnosis"),
    "lowest": ("评分最低的客服", "Lowest-rated accounts"),
    "lowest.note": ("至少{n}次评价的客服参与排名", "accounts with at least {n} ratings are ranked"),
    "lowest.none": (
        "没有客服达到{n}次评价，不排名",
        "no account has {n} ratings yet; none ranked",
    ),
    "low_tags": ("低分评价标签", "Tags on low ratings"),
    "low_tags.note": (
        "共{n}次≤{score}分的评价，按标签出现次数排列",
        "{n} ratings ≤ {score}, tags by how often they appear",
    ),
    "low_tags.none": (
        "{n}次≤{score}分的评价都没有标签",
        "none of the {n} ratings ≤ {score} carries a tag",
    ),
    "tag": ("标签", "Tag"),
    "times": ("次数", "Times"),
    "daily": ("每日趋势", "Daily trend"),
    "date": ("日期", "Date"),
    "human.count": ("人工评价次数", "Human ratings"),
    "human.average": ("人工平均分", "Human average"),
    "bot.count": ("机器人评价次数", "Bot ratings"),
    "bot.average": ("机器人平均分", "Bot average"),
    "as_of": ("统计日期", "As of"),
}


def _average_text(tally: Tally) -> str:
    """Two decimals, rounded half-up from the exact average (4.125 shows as 4.13)."""
    exact = tally.exact
    return "—" if exact is None else f"{round_half_up(exact, 2):.2f}"


def _threshold_text(value: Fraction) -> str:
    return f"{float(value):g}"


# JSON shapes (SPEC §9): a tally with its exact average rounded; an account's tally inline.
TALLY = Shape(keys=("count", "average", "total"))
COUNT_AVERAGE = Shape(keys=("count", "average"))
_TALLY_KEYS = {
    "count": lambda a: a.tally.count,
    "average": lambda a: a.tally.average,
}
ACCOUNT = Shape(
    keys=("account", "is_bot", "count", "average", "low", "tags", "no_tags"), derive=_TALLY_KEYS
)
LOWEST = Shape(keys=("account", "count", "average", "low"), derive=_TALLY_KEYS)
DAY = Shape(
    keys=("day", "human", "bot"),
    rename={"day": "date"},
    nested={"human": COUNT_AVERAGE, "bot": COUNT_AVERAGE},
)


def _tags_text(account: AccountRatings, no_tags_label: str) -> str:
    if account.no_tags:
        return no_tags_label
    return " ".join(f"{tag}({n})" for tag, n in account.tags.items()) or "—"


@dataclass
class CsReport:
    result: CsResult
    as_of: AsOf
    min_average: Fraction | None = None  # --min-average, else cs.min_average; None: no target
    threshold_source: str | None = None  # platform / illustrative / config (SPEC §14)

    @property
    def below_min_average(self) -> bool:
        """--check: the human average is below the target (no human rating: nothing to judge)."""
        average = self.result.human.exact
        return self.min_average is not None and average is not None and average < self.min_average

    def to_json(self) -> dict[str, Any]:
        r = self.result
        rules = r.rules
        return {
            "as_of": self.as_of.date,
            "period": {"start": r.period.start, "end": r.period.end, "days": r.period.days},
            "account_filter": r.account,
            "human": {
                **to_json(r.human, TALLY),
                "sources": list(rules.human_sources),
                "unknown_source": r.human_unknown_source,
            },
            "bot": {
                **to_json(r.bot, TALLY),
                "account": rules.bot_account,
                "sources": list(rules.bot_sources),
            },
            "min_average": None if self.min_average is None else float(self.min_average),
            "below_min_average": self.below_min_average,
            "threshold_source": None if self.min_average is None else self.threshold_source,
            "excluded": r.excluded,
            "accounts": many(r.accounts, ACCOUNT),
            "no_tags_label": rules.no_tags_label,
            "diagnosis": {
                "min_ratings": rules.min_ratings,
                "low_score": rules.low_score,
                "lowest_accounts": many(r.diagnosis.lowest_accounts, LOWEST),
                "low_ratings": r.diagnosis.low_ratings,
                "low_rating_tags": r.diagnosis.low_rating_tags,
            },
            "daily": many(r.daily, DAY),
            "warnings": many(r.warnings),
        }

    def document(self, labels: Labels) -> Document:
        t = labels.of(OWN_LABELS)
        r = self.result
        rules = r.rules
        doc = Document(t("title"))
        period = f"{r.period.start}" if r.period.days == 1 else f"{r.period.start} … {r.period.end}"
        head = (
            f"{t('as_of')} {self.as_of.date}  ·  {t('period')} {period}"
            f" ({t('days' if r.period.days > 1 else 'day', days=r.period.days)})"
        )
        if r.account is not None:
            head += f"  ·  {t('account_filter')} {r.account}"
        doc.line(head)
        human_style = None
        if self.min_average is not None and r.human.exact is not None:
            human_style = BAD if self.below_min_average else GOOD
        doc.line(
            t(
                "summary",
                who=t("human"),
                count=r.human.count,
                average=_average_text(r.human),
            )
            + f"  ({t('human.sources', sources=' + '.join(rules.human_sources))})",
            human_style,
        )
        doc.line(
            t(
                "summary",
                who=f"{t('bot')} {rules.bot_account}",
                count=r.bot.count,
                average=_average_text(r.bot),
            )
            + f"  ({t('bot.sources', sources=' + '.join(rules.bot_sources))})"
        )
        if self.min_average is not None and r.human.exact is not None:
            key = "below_min_average" if self.below_min_average else "at_min_average"
            mark = "⚠" if self.below_min_average else "✓"
            doc.line(
                f"{mark} "
                + t(
                    key,
                    average=_average_text(r.human),
                    target=marked(_threshold_text(self.min_average), self.threshold_source),
                ),
                BAD if self.below_min_average else GOOD,
            )
            if self.threshold_source == ILLUSTRATIVE:
                doc.line(illustrative_note(labels), "dim")
        if r.human_unknown_source:
            doc.line(t("unknown_source", n=r.human_unknown_source), WARN)
        if any(r.excluded.values()):
            excluded = ", ".join(f"{t('excluded.' + k)} {v}" for k, v in r.excluded.items() if v)
            doc.line(f"{t('excluded')}: {excluded}", "dim")
        if r.account is not None:
            doc.line(t("totals_shop_wide"), "dim")

        low_label = t("low", score=rules.low_score)
        account_columns = [
            Column("account", t("account")),
            Column("count", t("count"), numeric=True),
            Column("average", t("average"), numeric=True),
            Column("low", low_label, numeric=True),
            Column("tags", t("tags")),
        ]
        account_rows = [
            [
                cell(a.account),
                cell(a.tally.count),
                Cell(_average_text(a.tally), raw=a.tally.average),
                cell(a.low, BAD if a.low else None),
                Cell(
                    _tags_text(a, rules.no_tags_label),
                    "dim" if a.no_tags else None,
                    rules.no_tags_label
                    if a.no_tags
                    else ";".join(f"{tag}:{n}" for tag, n in a.tags.items()),
                ),
            ]
            for a in r.accounts
        ]
        accounts = Section("accounts", t("accounts"), account_columns, account_rows)
        if not r.accounts:
            accounts.notes.append(t("no_accounts"))
        doc.sections.append(accounts)

        if r.accounts:
            self._diagnosis(doc, t, account_columns[:4])

        if r.daily:
            daily_rows = [
                [
                    cell(d.day.isoformat()),
                    cell(d.human.count),
                    Cell(_average_text(d.human), raw=d.human.average),
                    cell(d.bot.count),
                    Cell(_average_text(d.bot), raw=d.bot.average),
                ]
                for d in r.daily
            ]
            doc.sections.append(
                Section(
                    "daily",
                    t("daily"),
                    [
                        Column("date", t("date")),
                        Column("human_count", t("human.count"), numeric=True),
                        Column("human_average", t("human.average"), numeric=True),
                        Column("bot_count", t("bot.count"), numeric=True),
                        Column("bot_average", t("bot.average"), numeric=True),
                    ],
                    daily_rows,
                )
            )
        return doc

    def _diagnosis(self, doc: Document, t: Labels, columns: list[Column]) -> None:
        """Lowest-rated accounts and the tags of low ratings; a line when there is nothing."""
        rules = self.result.rules
        diagnosis = self.result.diagnosis
        title = t("diagnosis")
        if diagnosis.lowest_accounts:
            rows = [
                [
                    cell(a.account),
                    cell(a.tally.count),
                    Cell(_average_text(a.tally), raw=a.tally.average),
                    cell(a.low, BAD if a.low else None),
                ]
                for a in diagnosis.lowest_accounts
            ]
            doc.sections.append(
                Section(
                    "lowest_accounts",
                    f"{title}: {t('lowest')}",
                    columns,
                    rows,
                    [t("lowest.note", n=rules.min_ratings)],
                )
            )
        else:
            doc.line(f"{title}: {t('lowest.none', n=rules.min_ratings)}", "dim")
        if diagnosis.low_rating_tags:
            doc.sections.append(
                Section(
                    "low_rating_tags",
                    f"{title}: {t('low_tags', score=rules.low_score)}",
                    [
                        Column("tag", t("tag")),
                        Column("times", t("times"), numeric=True),
                    ],
                    [[cell(tag), cell(n)] for tag, n in diagnosis.low_rating_tags.items()],
                    [
                        t(
                            "low_tags.note",
                            score=rules.low_score,
                            n=diagnosis.low_ratings,
                        )
                    ],
                )
            )
        elif diagnosis.low_ratings:
            doc.line(
                f"{title}: "
                + t(
                    "low_tags.none",
                    score=rules.low_score,
                    n=diagnosis.low_ratings,
                ),
                "dim",
            )
