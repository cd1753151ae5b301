"""The config's sections as typed models, one per SPEC section, and :class:`Config`.

Every number, keyword list and scale comes from ``config/default.yaml`` (loaded under the
user's file, :mod:`.loading`): a field has a default here only when it is not a rule number
but a choice the user may leave out (an optional condition of a rule, a category's parent).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    PrivateAttr,
    ValidationInfo,
    field_validator,
    model_validator,
)

from tmallcli.config.fields import (
    Clock,
    DsrScore,
    Fen,
    Hours,
    Keyed,
    Model,
    NonNegativeInt,
    Percent,
    PositiveInt,
    Text,
    Word,
    between,
    fail,
    greater_than,
    minutes_of,
    money_fen,
    non_empty_list,
)
from tmallcli.config.history import HistoryConfig
from tmallcli.config.mapping import FieldColumns, ValueTexts, check_columns, check_values
from tmallcli.config.scoring import CategoryConfig, ServiceScoreConfig
from tmallcli.config.trust import FreshnessConfig, ShopConfig
from tmallcli.errors import ConfigError
from tmallcli.exports.user_mapping import UserMapping, user_mapping
from tmallcli.i18n import tr
from tmallcli.money import compensation_fen

# --------------------------------------------------------------------------- §2.1 orders


class OrdersConfig(Model):
    """How per-item rows fold into orders (SPEC §2.1): the 订单状态 texts from the least to
    the most advanced, and the texts of a closed item."""

    status_order: Annotated[list[Word], AfterValidator(lambda v: non_empty_list(v))]
    closed_statuses: Annotated[list[Word], AfterValidator(lambda v: non_empty_list(v))]

    @model_validator(mode="after")
    def _closed_not_ranked(self) -> OrdersConfig:
        both = sorted(set(self.status_order) & set(self.closed_statuses))
        if both:
            raise fail(
                tr("a closed status cannot be ranked too (got {value})", value=", ".join(both))
            )
        return self


# --------------------------------------------------------------------------- §3 DSR


class DsrThresholds(Keyed):
    """Flag name (as in the JSON ``flags``) → the score below which it is raised."""

    search_demotion: DsrScore  # < 4.4: every item is demoted in search (搜索降权)
    activity_ineligible: DsrScore  # < 4.6: no official activities (不能报官方活动)


class DsrConfig(Model):
    thresholds: DsrThresholds
    window_days: PositiveInt
    display_delay_minutes: NonNegativeInt
    monthly_cap: PositiveInt
    item_min_ratings: PositiveInt
    item_limit: PositiveInt
    rolloff_days: list[PositiveInt]


# --------------------------------------------------------------------------- §4 pickup


class DayWindow(Model):
    """Calendar days T−start … T−end, both included."""

    start_days_before: NonNegativeInt
    end_days_before: NonNegativeInt

    @model_validator(mode="after")
    def _ordered(self) -> DayWindow:
        if self.start_days_before < self.end_days_before:
            raise fail(
                tr(
                    "start_days_before must be at least end_days_before (got {start_days_before} and {end_days_before})",
                    start_days_before=self.start_days_before,
                    end_days_before=self.end_days_before,
                )
            )
        return self


class PickupPreset(Model):
    hours: Hours | None = None
    window: DayWindow | None = None


class PickupConfig(Model):
    hours: Hours
    window: DayWindow
    exclude_statuses: list[Word]
    pickup_keywords: Annotated[list[Text], AfterValidator(lambda v: non_empty_list(v))]
    cainiao_keywords: list[Text]
    cainiao_after: Text
    # Texts that contain a pickup word but say the opposite (等待揽件 contains 揽件).
    not_pickup_keywords: list[Text]
    # Open-platform action codes (节点说明) that are a pickup: GOT. Matched in capitals.
    pickup_actions: Annotated[list[Text], AfterValidator(lambda v: [c.strip().upper() for c in v])]
    # Statuses of orders that are done (received): never on the follow-up watchlist.
    done_statuses: list[Word]
    follow_up_hours: list[Hours]
    limit: PositiveInt
    presets: dict[str, PickupPreset]
    # Name of a preset to apply (e.g. taobao_48h for a Taobao shop); hours/window then
    # hold the preset's values.
    preset: str | None

    @field_validator("preset")
    @classmethod
    def _known_preset(cls, value: str | None, info: ValidationInfo) -> str | None:
        presets = info.data.get("presets")
        if value is not None and presets is not None and value not in presets:
            known = ", ".join(presets) or "none"
            raise fail(tr("unknown preset {value!r} (known: {known})", value=value, known=known))
        return value

    @model_validator(mode="after")
    def _apply_preset(self) -> PickupConfig:
        if self.preset is not None:
            chosen = self.presets[self.preset]
            if chosen.hours is not None:
                self.hours = chosen.hours
            if chosen.window is not None:
                self.window = chosen.window
        return self

    def with_preset(self, name: str) -> PickupConfig:
        """This pickup rule with preset ``name`` applied (for a command-line switch)."""
        if name not in self.presets:
            known = ", ".join(self.presets) or "none"
            raise ConfigError(
                "pickup.presets",
                tr("unknown preset {name!r} (known: {known})", name=name, known=known),
            )
        chosen = self.presets[name]
        update: dict[str, Any] = {"preset": name}
        if chosen.hours is not None:
            update["hours"] = chosen.hours
        if chosen.window is not None:
            update["window"] = chosen.window
        return self.model_copy(update=update)


# --------------------------------------------------------------------------- §5 compensation


class LateShipmentConfig(Model):
    ship_within_hours: Hours
    rate_percent: Percent
    minimum_fen: Fen
    group_cap_fen: Fen
    group_window_hours: Hours
    severe_after_hours: Hours
    closed_statuses: list[Word]

    @model_validator(mode="after")
    def _cap_above_minimum(self) -> LateShipmentConfig:
        if self.group_cap_fen < self.minimum_fen:
            raise fail(
                tr(
                    "must be at least minimum_fen ({minimum_fen}) (got {group_cap_fen})",
                    minimum_fen=self.minimum_fen,
                    group_cap_fen=self.group_cap_fen,
                ),
                at="group_cap_fen",
            )
        return self

    def amount_fen(self, item_amount_fen: int) -> int:
        """One late order's compensation: max(round_half_up(rate × amount), minimum)."""
        return compensation_fen(item_amount_fen, self.rate_percent, self.minimum_fen)


class PromiseBrokenConfig(Model):
    amount_fen: Fen
    services: list[Word]


class OutOfStockConfig(Model):
    rate_percent: Percent
    minimum_fen: Fen
    reason_keywords: Annotated[list[Word], AfterValidator(lambda v: non_empty_list(v))]
    # Only a refund that went through is owed compensation (a cancelled one is not).
    refund_statuses: list[Word]

    def amount_fen(self, refund_amount_fen: int) -> int:
        """One 缺货 refund's compensation: max(round_half_up(rate × refund), minimum)."""
        return compensation_fen(refund_amount_fen, self.rate_percent, self.minimum_fen)


class CompensationConfig(Model):
    late_shipment: LateShipmentConfig
    promise_broken: PromiseBrokenConfig
    out_of_stock: OutOfStockConfig


# --------------------------------------------------------------------------- §6 service score


class ServiceHours(Model):
    start: Clock
    end: Clock

    @model_validator(mode="after")
    def _ordered(self) -> ServiceHours:
        if minutes_of(self.start) >= minutes_of(self.end):
            raise fail(
                tr("start must be before end (got {start}–{end})", start=self.start, end=self.end)
            )
        return self

    @property
    def start_minutes(self) -> int:
        """Minutes after midnight (08:00 → 480)."""
        return minutes_of(self.start)

    @property
    def end_minutes(self) -> int:
        return minutes_of(self.end)


class ResponseConfig(Model):
    service_hours: ServiceHours
    assistant_counts: bool
    fast_reply_seconds: PositiveInt
    # Consultations on T−30 … T−1 (旺旺响应率 is a 30-day figure).
    window: DayWindow
    limit: NonNegativeInt  # unanswered consultations listed; 0 = all


# --------------------------------------------------------------------------- §8 refunds


class AutoRefundRule(Model):
    """A 千牛 auto-refund strategy (个性化退款策略) to simulate.

    A refund matches when every condition that is not null holds: ``refund_type`` equal,
    ``shipped`` equal, ``stage`` equal, the reason *contains* one of ``reasons``, the
    amount is below ``max_amount_fen`` (strictly: "below 10 yuan"), and it was applied
    within ``within_days_of_signed`` days of ``signed_at``.
    """

    name: Text
    refund_type: Word | None = None
    shipped: bool | None = None
    stage: Literal["售中", "售后"] | None = None
    reasons: Annotated[list[Word], AfterValidator(lambda v: non_empty_list(v))]
    max_amount_fen: Annotated[
        int | None, BeforeValidator(lambda v: v if v is None else money_fen(v))
    ] = None
    within_days_of_signed: PositiveInt | None = None
    action: Literal["auto_refund", "auto_agree"]


class AutoRefundConfig(Model):
    auto_minutes: NonNegativeInt
    rules: list[AutoRefundRule]

    @field_validator("rules")
    @classmethod
    def _unique_names(cls, rules: list[AutoRefundRule]) -> list[AutoRefundRule]:
        seen: set[str] = set()
        for rule in rules:
            if rule.name in seen:
                raise fail(tr("rule names must be unique (got {name!r} twice)", name=rule.name))
            seen.add(rule.name)
        return rules


# The refund types the after-sales rules know (SPEC §6): what refunds.type_values maps to.
RefundType = Literal["仅退款", "退货退款"]


class RefundsConfig(Model):
    waiting_statuses: Annotated[list[Word], AfterValidator(lambda v: non_empty_list(v))]
    intervention_after_hours: Hours
    # None: every refund with a 退款完结时间 is completed; else only refunds in these statuses.
    completed_statuses: list[Word] | None
    # 售后类型 as written → 仅退款 / 退货退款, or null: a type neither metric counts (换货).
    type_values: dict[Word, RefundType | None]
    slowest_limit: PositiveInt
    auto_refund: AutoRefundConfig


# --------------------------------------------------------------------------- §9 CS ratings


def _keys(mapping: dict[str, Any], allowed: Any, what: str) -> dict[str, Any]:
    """``mapping`` with its keys trimmed; a key ``allowed`` refuses is an error at the key."""
    checked: dict[str, Any] = {}
    for key, value in mapping.items():
        if not allowed(key.strip()):
            raise fail(tr("unknown key: must be {what} (got {key!r})", what=what, key=key), at=key)
        checked[key.strip()] = value
    return checked


class CsConfig(Model):
    human_sources: Annotated[list[Text], AfterValidator(lambda v: non_empty_list(v))]
    bot_sources: Annotated[list[Text], AfterValidator(lambda v: non_empty_list(v))]
    bot_account: Text
    # 评价结果 in words → 1–5; the open-platform form's codes: 评分 0–4 → 1–5, 评价来源 0–2 → a
    # source; the prefix its account names carry (cntaobao).
    score_words: dict[str, list[Text]]  # "5": [非常满意] — keys are the scores 1–5
    score_codes: dict[str, Annotated[int, between(1, 5)]]  # keys are codes 0, 1, 2 …
    source_codes: dict[str, Text]
    account_prefix: str
    no_tags_label: Text
    min_ratings: PositiveInt
    max_days: PositiveInt
    # A rating at or below this score is a low rating (diagnosis: its tags are the complaints).
    low_score: Annotated[int, between(1, 5)]
    diagnosis_limit: PositiveInt
    # --check exits 1 when the human average is below this (null: no threshold).
    min_average: Annotated[float, between(1, 5)] | None

    @field_validator("score_words")
    @classmethod
    def _scores(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        return _keys(value, lambda k: k in {"1", "2", "3", "4", "5"}, tr("a score from 1 to 5"))

    @field_validator("score_codes", "source_codes")
    @classmethod
    def _codes(cls, value: dict[str, Any]) -> dict[str, Any]:
        return _keys(value, str.isdigit, tr("a code such as 0, 1, 2"))


# --------------------------------------------------------------------------- §10 reviews


class ReviewCause(Model):
    label: Text
    keywords: list[Text]


class ReviewsConfig(Model):
    good_rate_days: PositiveInt
    days: PositiveInt
    reply_within_hours: Hours
    unclassified_label: Text
    causes: dict[str, ReviewCause]
    actions: dict[str, Text]

    @model_validator(mode="after")
    def _action_per_cause(self) -> ReviewsConfig:
        if "unclassified" in self.causes:
            raise fail(tr("'unclassified' is reserved for reviews no rule matches"), at="causes")
        wanted = [*self.causes, "unclassified"]
        for cause in wanted:
            if cause not in self.actions:
                raise fail(tr("missing the action for cause {cause!r}", cause=cause), at="actions")
        for cause in self.actions:
            if cause not in wanted:
                raise fail(
                    tr("unknown cause (known: {value})", value=", ".join(wanted)),
                    at=f"actions.{cause}",
                )
        return self


# --------------------------------------------------------------------------- §2.1 the user's mapping


class CacheConfig(Model):
    """The parsed-export cache (SPEC §15): its bound in GB (least recently used evicted)."""

    max_gb: Annotated[float, greater_than(0)]


class Config(Model):
    dsr: DsrConfig
    pickup: PickupConfig
    compensation: CompensationConfig
    service_score: ServiceScoreConfig
    response: ResponseConfig
    refunds: RefundsConfig
    cs: CsConfig
    reviews: ReviewsConfig
    history: HistoryConfig  # §15
    # §2.1 the user's own mapping: kind → field → headers; ``kind.field`` → text → value.
    columns: Annotated[dict[str, FieldColumns], AfterValidator(check_columns)]
    values: Annotated[dict[str, ValueTexts], AfterValidator(check_values)]
    orders: OrdersConfig
    cache: CacheConfig
    # §14 what a verdict rests on: how old an export may be, whose shop it is.
    freshness: FreshnessConfig
    shop: ShopConfig
    # SPEC §14: the language of runtime messages when neither --lang nor TMALL_LANG chooses.
    lang: Literal["zh", "en"]

    _sources: list[Path] = PrivateAttr(default_factory=list)
    # Each leaf's origin (default / illustrative / user / override), by key path (SPEC §14).
    _origins: dict[tuple[str, ...], str] = PrivateAttr(default_factory=dict)
    # The merged YAML as read, ``inherit`` applied (``tmall config show``).
    _merged: dict[str, Any] = PrivateAttr(default_factory=dict)

    @property
    def mapping(self) -> UserMapping:
        """``columns`` and ``values`` as the readers take them (a plain, hashable value)."""
        return user_mapping(self.columns, self.values)

    @property
    def sources(self) -> list[Path]:
        """The files merged into this config, default first."""
        return list(self._sources)

    def origin(self, *path: str) -> str:
        """Where the value at ``path`` came from (``origin("cs", "min_average")``): default,
        illustrative, user or override; a mapping's from its values (illustrative when any
        is). A config validated without :func:`load_config` knows no origins: default."""
        from tmallcli.config.origins import origin_of

        return origin_of(self._origins, tuple(path))

    def threshold_source(self, *path: str) -> str:
        """A verdict's threshold as JSON ``threshold_source`` names it: platform (a rule
        SPEC.md states), illustrative (a shipped placeholder) or config (the user's)."""
        from tmallcli.config.origins import THRESHOLD_SOURCES

        return THRESHOLD_SOURCES[self.origin(*path)]

    @property
    def origins(self) -> dict[tuple[str, ...], str]:
        """Every leaf's origin by key path (``tmall config show``)."""
        return dict(self._origins)

    @property
    def merged(self) -> dict[str, Any]:
        """The merged YAML as read (``inherit`` applied), before validation's conversions."""
        import copy

        return copy.deepcopy(self._merged)

    @property
    def category_names(self) -> list[str]:
        return list(self.service_score.categories)

    def category(self, name: str | None = None) -> CategoryConfig:
        """The resolved category ``name`` (``--category``); None → the default category."""
        key = self.service_score.default_category if name is None else name
        try:
            return self.service_score.categories[key]
        except KeyError:
            raise ConfigError(
                "service_score.categories",
                tr(
                    "unknown category {key!r} (known: {value})",
                    key=key,
                    value=", ".join(self.service_score.categories),
                ),
                hint=tr(
                    "pick one of the known categories, or add it to tmall.yaml (e.g. with `inherit: 默认`)"
                ),
            ) from None
