"""The YAML config: default file, deep merge, category inheritance, validation messages."""

from __future__ import annotations

import copy
import math
import textwrap
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tmallcli.config import (
    DIMENSIONS,
    METRIC_KEYS,
    Config,
    deep_merge,
    default_config_path,
    load_config,
)
from tmallcli.errors import ConfigError, ExitStatus

REPO = Path(__file__).resolve().parent.parent


def write(folder: Path, text: str, name: str = "user.yaml") -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def load(tmp_path: Path, text: str) -> Config:
    # cwd=tmp_path keeps a stray ./tmall.yaml in the test runner's folder out of the way.
    return load_config(write(tmp_path, text), cwd=tmp_path)


def error_of(tmp_path: Path, text: str) -> str:
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, text)
    return caught.value.message


# --------------------------------------------------------------------------- the default


@pytest.fixture(scope="module")
def default() -> Config:
    return load_config(cwd=REPO / "tests")


def test_default_file_is_found_through_the_package_symlink() -> None:
    link = REPO / "tmallcli" / "data" / "default.yaml"
    assert link.is_symlink()
    assert link.resolve() == (REPO / "config" / "default.yaml").resolve()
    assert default_config_path() == link


def test_default_rule_numbers_are_the_platform_rules(default: Config) -> None:
    assert default.dsr.thresholds.search_demotion == 4.4
    assert default.dsr.thresholds["activity_ineligible"] == 4.6
    assert dict(default.dsr.thresholds.items()) == {
        "search_demotion": 4.4,
        "activity_ineligible": 4.6,
    }
    assert default.dsr.window_days == 180
    assert default.dsr.display_delay_minutes == 30
    assert default.dsr.monthly_cap == 3
    assert default.dsr.rolloff_days == [7, 30]

    assert default.pickup.hours == 24
    assert (default.pickup.window.start_days_before, default.pickup.window.end_days_before) == (
        32,
        3,
    )
    assert default.pickup.exclude_statuses == ["交易关闭"]
    assert default.pickup.pickup_keywords[:5] == ["已揽收", "已揽件", "揽收成功", "揽件", "已收件"]
    # the carriers' own words (SPEC §2.1): 中通/韵达/申通, 顺丰, 邮政/EMS, 京东/德邦
    assert {"收件", "已收取快件", "已收寄", "已取件", "揽投员已收件"} <= set(
        default.pickup.pickup_keywords
    )
    assert default.pickup.pickup_actions == ["GOT"]
    assert default.pickup.cainiao_after == "包裹已出库"
    assert len(default.pickup.cainiao_keywords) == 4
    assert default.pickup.follow_up_hours == [24, 48]
    assert default.pickup.limit == 100
    assert default.pickup.preset is None

    late = default.compensation.late_shipment
    assert (late.ship_within_hours, late.rate_percent, late.minimum_fen) == (48, 30, 500)
    assert (late.group_cap_fen, late.group_window_hours) == (50_000, 24)
    assert isinstance(late.rate_percent, int)
    assert default.compensation.promise_broken.amount_fen == 1000
    assert default.compensation.promise_broken.services == ["当日达", "次日达", "送货上门"]
    assert default.compensation.out_of_stock.reason_keywords == ["缺货"]

    assert default.response.service_hours.start == "08:00"
    assert default.response.service_hours.end_minutes == 23 * 60
    assert default.response.assistant_counts is True
    assert default.response.fast_reply_seconds == 180

    assert default.refunds.intervention_after_hours == 72
    # The YAML writes the status with a full-width comma; validation reads it as the export's
    # reader reads the cell (， → ,).
    assert "买家已经申请退款,等待卖家同意" in default.refunds.waiting_statuses
    rules = default.refunds.auto_refund.rules
    assert [r.action for r in rules] == ["auto_refund", "auto_agree", "auto_refund"]
    assert rules[0].shipped is False and rules[0].refund_type == "仅退款"
    assert rules[1].within_days_of_signed == 7 and rules[1].refund_type == "退货退款"
    assert rules[2].stage == "售后" and rules[2].max_amount_fen == 1000

    assert default.cs.human_sources == ["平台自动邀评", "系统邀评", "客服邀评", "消费者自主评价"]
    assert default.cs.bot_sources == ["消费者自主评价"]
    assert default.cs.bot_account == "服务助手"
    assert default.cs.no_tags_label == "暂无标签评价"
    assert default.cs.max_days == 90

    assert (default.reviews.good_rate_days, default.reviews.days) == (180, 30)
    assert list(default.reviews.causes) == ["product", "service", "logistics", "buyer"]
    assert default.reviews.causes["product"].label == "商品问题"
    assert "质量差" in default.reviews.causes["product"].keywords
    assert set(default.reviews.actions) == {
        "product",
        "service",
        "logistics",
        "buyer",
        "unclassified",
    }


def test_every_category_resolves_and_its_effective_weights_sum_to_one(default: Config) -> None:
    assert default.category_names == ["默认", "女装", "食品", "3C数码"]
    for name in default.category_names:
        category = default.category(name)
        assert category.name == name
        assert set(category.metrics.keys()) == set(METRIC_KEYS)
        assert math.isclose(math.fsum(category.weights.values()), 1.0)
        total = math.fsum(category.effective_weight(key) for key in METRIC_KEYS)
        assert math.isclose(total, 1.0), name
        for dimension in DIMENSIONS:
            members = category.dimension_metrics(dimension)
            assert members, (name, dimension)
        for metric in category.metrics.values():
            assert len(metric.points) >= 2


def test_categories_differ_and_inherit_from_the_default(default: Config) -> None:
    base, apparel, food, digital = (default.category(n) for n in ["默认", "女装", "食品", "3C数码"])
    assert base.inherit is None
    assert apparel.inherit == "默认" and food.inherit == "默认" and digital.inherit == "默认"
    assert len({base.threshold, apparel.threshold, food.threshold, digital.threshold}) == 4
    # 女装 only overrides two after-sales weights: its other metrics are the default's.
    assert apparel.metrics.refund_only_hours.weight == 0.4
    assert apparel.metrics.item_review_score == base.metrics.item_review_score
    assert apparel.dsr_industry.description == 4.78
    # 食品 is assessed on the logistics review instead of the 24h pickup rate.
    assert food.logistics_metric == "logistics_review_score"
    assert "pickup_24h_rate" not in food.active_metrics
    assert food.effective_weight("pickup_24h_rate") == 0
    assert food.effective_weight("logistics_review_score") == pytest.approx(0.30)
    # The 3-minute rate is off by default and on in 3C数码.
    assert base.effective_weight("response_3min_rate") == 0
    assert digital.effective_weight("response_3min_rate") == pytest.approx(0.2 * 0.2)


def test_no_category_means_the_default_category(default: Config) -> None:
    assert default.service_score.default_category == "默认"
    assert default.category(None) is default.category("默认")
    assert default.category() is default.category("默认")


def test_scale_points_are_sorted_and_know_their_direction(default: Config) -> None:
    metrics = default.category().metrics
    assert metrics.item_review_score.points == [(4.0, 0.0), (4.5, 2.5), (4.8, 4.5), (4.9, 5.0)]
    assert metrics.item_review_score.higher_is_better is True
    assert metrics.refund_only_hours.points[0] == (1.0, 5.0)
    assert metrics.refund_only_hours.higher_is_better is False
    lower = ["refund_only_hours", "return_refund_hours", "human_response_seconds"]
    lower += ["dispute_refund_rate", "complaint_rate"]
    for key in METRIC_KEYS:
        assert metrics[key].higher_is_better is (key not in lower), key


def test_default_yaml_marks_unpublished_numbers_illustrative() -> None:
    lines = (REPO / "config" / "default.yaml").read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("# ")  # the header comment

    def line_of(key: str) -> str:
        return next(line for line in lines if line.strip().startswith(f"{key}:"))

    for key in ["item_min_ratings", "severe_after_hours", "auto_minutes", "reply_within_hours"]:
        assert "# illustrative" in line_of(key), key
    for key in ["search_demotion", "window_days", "monthly_cap", "minimum_fen", "group_cap_fen"]:
        assert "illustrative" not in line_of(key), key
    assert all("# illustrative" in line for line in lines if line.strip().startswith("scale:"))
    assert all("# illustrative" in line for line in lines if line.strip().startswith("threshold:"))


# --------------------------------------------------------------------------- merging


def test_user_file_overrides_one_nested_number_and_keeps_its_siblings(tmp_path: Path) -> None:
    config = load(tmp_path, "dsr:\n  thresholds:\n    search_demotion: 4.5\n")
    assert config.dsr.thresholds.search_demotion == 4.5
    assert config.dsr.thresholds.activity_ineligible == 4.6
    assert config.dsr.window_days == 180
    assert config.pickup.hours == 24


def test_lists_replace_instead_of_appending(tmp_path: Path) -> None:
    config = load(tmp_path, "cs:\n  human_sources: [平台自动邀评, 消费者自主评价]\n")
    assert config.cs.human_sources == ["平台自动邀评", "消费者自主评价"]


def test_an_empty_section_changes_nothing(tmp_path: Path) -> None:
    config = load(tmp_path, "dsr:\n  # thresholds: {search_demotion: 4.5}\npickup:\n")
    assert config.dsr.thresholds.search_demotion == 4.4
    assert config.pickup.hours == 24


def test_an_empty_user_file_is_the_default(tmp_path: Path) -> None:
    config = load(tmp_path, "")
    assert config.category().threshold == load_config(cwd=tmp_path).category().threshold


def test_user_override_of_an_inherited_category_merges_into_it(tmp_path: Path) -> None:
    config = load(
        tmp_path,
        """
        service_score:
          categories:
            默认:
              metrics:
                item_review_score: {scale: [[4.2, 0], [4.9, 5]]}
            女装:
              threshold: 4.5
        """,
    )
    apparel = config.category("女装")
    assert apparel.threshold == 4.5
    assert apparel.weights.product == 0.35  # from the default 女装 block
    assert apparel.metrics.item_review_score.points == [(4.2, 0.0), (4.9, 5.0)]  # from 默认


def test_null_replaces_a_scalar(tmp_path: Path) -> None:
    config = load(
        tmp_path,
        """
        refunds:
          auto_refund:
            rules:
              - {name: 全部小额, reasons: [其他], max_amount_fen: null, action: auto_refund}
        """,
    )
    (rule,) = config.refunds.auto_refund.rules
    assert rule.max_amount_fen is None and rule.shipped is None and rule.refund_type is None


def test_deep_merge_does_not_touch_its_inputs() -> None:
    base = {"a": {"b": 1, "c": [1, 2]}, "d": 1}
    override = {"a": {"b": 2}, "e": {"f": 1}}
    merged = deep_merge(base, override)
    assert merged == {"a": {"b": 2, "c": [1, 2]}, "d": 1, "e": {"f": 1}}
    assert base == {"a": {"b": 1, "c": [1, 2]}, "d": 1}
    merged["a"]["c"].append(3)
    assert base["a"]["c"] == [1, 2]


def test_tmall_yaml_in_the_working_directory_is_used(tmp_path: Path) -> None:
    write(tmp_path, "pickup:\n  limit: 20\n", name="tmall.yaml")
    config = load_config(cwd=tmp_path)
    assert config.pickup.limit == 20
    assert config.sources[-1] == tmp_path / "tmall.yaml"


def test_config_option_wins_over_tmall_yaml(tmp_path: Path) -> None:
    write(tmp_path, "pickup:\n  limit: 20\n", name="tmall.yaml")
    chosen = write(tmp_path, "pickup:\n  limit: 30\n", name="other.yaml")
    config = load_config(chosen, cwd=tmp_path)
    assert config.pickup.limit == 30
    assert config.sources == [default_config_path(), chosen]


def test_without_any_user_file_only_the_default_is_read(tmp_path: Path) -> None:
    assert load_config(cwd=tmp_path).sources == [default_config_path()]


def test_overrides_merge_last(tmp_path: Path) -> None:
    write(tmp_path, "pickup:\n  limit: 20\n", name="tmall.yaml")
    config = load_config(cwd=tmp_path, overrides={"pickup": {"limit": 5}, "cs": {"min_ratings": 9}})
    assert config.pickup.limit == 5
    assert config.cs.min_ratings == 9
    assert config.pickup.hours == 24


def test_a_gbk_user_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "gbk.yaml"
    text = "# 天猫女装旗舰店的配置\nservice_score:\n  default_category: 女装\n"
    path.write_bytes(text.encode("gb18030"))
    assert load_config(path, cwd=tmp_path).category().name == "女装"


def test_unquoted_clock_times_stay_times(tmp_path: Path) -> None:
    # YAML 1.1 would read 23:30 as the base-60 number 1410.
    config = load(tmp_path, "response:\n  service_hours: {start: 09:00, end: 23:30}\n")
    assert config.response.service_hours.start == "09:00"
    assert config.response.service_hours.end == "23:30"
    assert config.response.service_hours.end_minutes == 23 * 60 + 30


# --------------------------------------------------------------------------- presets, money


def test_pickup_preset_for_taobao_shops(tmp_path: Path, default: Config) -> None:
    config = load(tmp_path, "pickup:\n  preset: taobao_48h\n")
    assert config.pickup.hours == 48
    assert (config.pickup.window.start_days_before, config.pickup.window.end_days_before) == (33, 4)
    assert config.pickup.pickup_keywords == default.pickup.pickup_keywords

    switched = default.pickup.with_preset("taobao_48h")
    assert (switched.hours, switched.window.end_days_before, switched.preset) == (
        48,
        4,
        "taobao_48h",
    )
    assert default.pickup.hours == 24  # the original is untouched


def test_unknown_pickup_preset(tmp_path: Path, default: Config) -> None:
    assert error_of(tmp_path, "pickup:\n  preset: tmall_12h\n") == (
        "config: pickup.preset: unknown preset 'tmall_12h' (known: taobao_48h)"
    )
    with pytest.raises(ConfigError, match="unknown preset 'x'"):
        default.pickup.with_preset("x")


def test_compensation_amounts_round_half_up_in_fen(tmp_path: Path, default: Config) -> None:
    late = default.compensation.late_shipment
    assert late.amount_fen(1000) == 500  # 30 % = 3 yuan, below the 5-yuan minimum
    assert late.amount_fen(10_005) == 3002  # 3001.5 fen rounds half up
    assert default.compensation.out_of_stock.amount_fen(20_000) == 6000

    config = load(tmp_path, "compensation:\n  late_shipment: {rate_percent: 12.5}\n")
    assert config.compensation.late_shipment.rate_percent == Decimal("12.5")
    assert config.compensation.late_shipment.amount_fen(10_004) == 1251  # 1250.5 → 1251


# --------------------------------------------------------------------------- inheritance


CHAIN = """
service_score:
  categories:
    精品女装:
      inherit: 女装定制
      threshold: 4.6
    女装定制:
      inherit: 默认
      dsr_industry: {description: 4.7}
      weights: {product: 0.4, logistics: 0.2, after_sales: 0.2, consultation: 0.1, disputes: 0.1}
"""


def test_inherit_chain_merges_every_level(tmp_path: Path, default: Config) -> None:
    config = load(tmp_path, CHAIN)
    top = config.category("精品女装")
    assert top.inherit == "女装定制"
    assert top.threshold == 4.6  # its own
    assert top.weights.product == 0.4  # from 女装定制
    assert top.dsr_industry.description == 4.7  # from 女装定制
    assert top.dsr_industry.service == 4.8  # from 默认, a sibling key of an overridden one
    assert top.metrics == default.category().metrics  # from 默认
    middle = config.category("女装定制")
    assert middle.inherit == "默认" and middle.threshold == default.category().threshold


def test_inheritance_cycle_is_an_error(tmp_path: Path) -> None:
    message = error_of(
        tmp_path,
        """
        service_score:
          categories:
            甲: {inherit: 乙}
            乙: {inherit: 丙}
            丙: {inherit: 甲}
        """,
    )
    assert (
        message
        == "config: service_score.categories.丙.inherit: inheritance cycle 甲 → 乙 → 丙 → 甲"
    )


def test_a_category_inheriting_itself_is_a_cycle(tmp_path: Path) -> None:
    message = error_of(tmp_path, "service_score:\n  categories:\n    女装: {inherit: 女装}\n")
    assert message == "config: service_score.categories.女装.inherit: inheritance cycle 女装 → 女装"


def test_inheriting_an_unknown_category(tmp_path: Path) -> None:
    message = error_of(tmp_path, "service_score:\n  categories:\n    美妆: {inherit: 化妆品}\n")
    assert message == (
        "config: service_score.categories.美妆.inherit: unknown category '化妆品' "
        "(known: 默认, 女装, 食品, 3C数码, 美妆)"
    )


def test_a_category_without_inherit_must_be_complete(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, "service_score:\n  categories:\n    美妆: {threshold: 4.2}\n")
    assert (
        caught.value.message
        == "config: service_score.categories.美妆.logistics_metric: missing (required key)"
    )
    assert "inherit" in (caught.value.hint or "")


# --------------------------------------------------------------------------- validation messages


def test_weight_out_of_range_message_is_exact(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load(
            tmp_path,
            "service_score:\n  categories:\n    女装:\n      weights:\n        product: 1.7\n",
        )
    assert str(caught.value) == (
        "config: service_score.categories.女装.weights.product: must be between 0 and 1 (got 1.7)"
    )
    assert caught.value.key_path == "service_score.categories.女装.weights.product"
    assert caught.value.exit_status == ExitStatus.ERROR


def test_unknown_key_names_its_path(tmp_path: Path) -> None:
    assert error_of(tmp_path, "dsr:\n  window_dayz: 90\n") == (
        "config: dsr.window_dayz: unknown key (known keys: thresholds, window_days, "
        "display_delay_minutes, monthly_cap, item_min_ratings, item_limit, rolloff_days)"
    )
    assert error_of(tmp_path, "colour: red\n").startswith(
        "config: colour: unknown key (known keys: dsr,"
    )


def test_unknown_metric_key_is_rejected(tmp_path: Path) -> None:
    message = error_of(
        tmp_path,
        """
        service_score:
          categories:
            女装:
              metrics:
                return_rate: {dimension: after_sales, weight: 0, scale: [[0, 5], [1, 0]]}
        """,
    )
    assert message.startswith(
        "config: service_score.categories.女装.metrics.return_rate: unknown key "
        "(known keys: item_review_score, pickup_24h_rate,"
    )


def test_dimension_weights_must_sum_to_one(tmp_path: Path) -> None:
    assert error_of(
        tmp_path, "service_score:\n  categories:\n    女装:\n      weights: {product: 0.45}\n"
    ) == ("config: service_score.categories.女装.weights: must sum to 1 (got 1.1)")


def test_dimension_weights_within_tolerance_pass(tmp_path: Path) -> None:
    # 0.1 + 0.2 + … is not exactly 1 in binary floating point; it must still pass.
    config = load(
        tmp_path,
        """
        service_score:
          categories:
            默认:
              weights:
                {product: 0.1, logistics: 0.2, after_sales: 0.3, consultation: 0.3, disputes: 0.1}
        """,
    )
    assert config.category().weights.after_sales == 0.3


def test_metric_weights_within_a_dimension_must_sum_to_one(tmp_path: Path) -> None:
    message = error_of(
        tmp_path,
        "service_score:\n  categories:\n    默认:\n      metrics:\n"
        "        refund_only_hours: {weight: 0.7}\n",
    )
    assert message == (
        "config: service_score.categories.默认.metrics: weights of the after_sales metrics "
        "(refund_only_hours 0.7, return_refund_hours 0.5) must sum to 1 (got 1.2)"
    )


def test_metric_weights_of_a_switched_off_dimension_are_free(tmp_path: Path) -> None:
    config = load(
        tmp_path,
        """
        service_score:
          categories:
            无咨询:
              inherit: 默认
              weights:
                {product: 0.4, logistics: 0.3, after_sales: 0.3, consultation: 0, disputes: 0}
              metrics:
                response_rate: {weight: 0.2}
        """,
    )
    assert config.category("无咨询").effective_weight("response_rate") == 0


def test_the_unused_logistics_metric_does_not_count_in_its_dimension(tmp_path: Path) -> None:
    config = load(
        tmp_path,
        """
        service_score:
          categories:
            食品:
              metrics:
                pickup_24h_rate: {weight: 0}
        """,
    )
    assert config.category("食品").effective_weight("logistics_review_score") == pytest.approx(0.3)
    message = error_of(
        tmp_path,
        "service_score:\n  categories:\n    默认:\n      logistics_metric: logistics_review_score\n"
        "      metrics:\n        logistics_review_score: {weight: 0.5}\n",
    )
    assert "weights of the logistics metrics (logistics_review_score 0.5) must sum to 1" in message


@pytest.mark.parametrize(
    ("metric", "scale", "problem"),
    [
        (
            "pickup_24h_rate",
            "[[0.8, 0], [0.9, 3], [0.95, 2], [0.99, 5]]",
            "scores must rise as the value rises: higher is better "
            "(got [0.8, 0], [0.9, 3], [0.95, 2], [0.99, 5])",
        ),
        (
            "refund_only_hours",
            "[[1, 0], [24, 3], [72, 5]]",
            "scores must fall as the value rises: lower is better (got [1, 0], [24, 3], [72, 5])",
        ),
        (
            "item_review_score",
            "[[4.0, 0], [4.5, 2], [4.5, 3], [4.9, 5]]",
            "values must be strictly increasing or strictly decreasing (got 4, 4.5, 4.5, 4.9)",
        ),
        (
            "item_review_score",
            "[[4.0, 0], [4.8, 5], [4.5, 3]]",
            "values must be strictly increasing or strictly decreasing (got 4, 4.8, 4.5)",
        ),
        ("item_review_score", "[[4.5, 5]]", "must have at least 2 points [value, score] (got 1)"),
        (
            "item_review_score",
            "[[4.0, 0], [4.9, 6]]",
            "scores must be between 0 and 5 (got 6 at point 2)",
        ),
        (
            "item_review_score",
            "[[4.0, 0], [4.9]]",
            "point 2 must be [value, score], two numbers (got [4.9])",
        ),
        ("item_review_score", "[[4.0, 3], [4.9, 3]]", "scores must rise as the value rises"),
        (
            "pickup_24h_rate",
            "[[80, 0], [99, 5]]",
            "values are rates and must be between 0 and 1 (got 80)",
        ),
        (
            "human_response_seconds",
            "[[-5, 5], [90, 0]]",
            "values are durations and must be at least 0 (got -5)",
        ),
    ],
)
def test_bad_scales(tmp_path: Path, metric: str, scale: str, problem: str) -> None:
    message = error_of(
        tmp_path,
        f"service_score:\n  categories:\n    女装:\n      metrics:\n"
        f"        {metric}: {{scale: {scale}}}\n",
    )
    assert message.startswith(
        f"config: service_score.categories.女装.metrics.{metric}.scale: {problem}"
    )


def test_a_scale_may_be_written_highest_value_first(tmp_path: Path) -> None:
    config = load(
        tmp_path,
        "service_score:\n  categories:\n    默认:\n      metrics:\n"
        "        human_response_seconds: {scale: [[90, 0], [30, 3], [10, 5]]}\n",
    )
    metric = config.category().metrics.human_response_seconds
    assert metric.points == [(10.0, 5.0), (30.0, 3.0), (90.0, 0.0)]
    assert metric.higher_is_better is False


@pytest.mark.parametrize(
    ("yaml_text", "message"),
    [
        (
            "dsr:\n  thresholds: {search_demotion: 6}\n",
            "config: dsr.thresholds.search_demotion: must be between 1 and 5 (got 6)",
        ),
        (
            "dsr:\n  rolloff_days: [7, -30]\n",
            "config: dsr.rolloff_days[1]: must be greater than 0 (got -30)",
        ),
        (
            "compensation:\n  late_shipment: {rate_percent: 130}\n",
            "config: compensation.late_shipment.rate_percent: "
            "must be a percentage between 0 and 100 (got 130)",
        ),
        (
            "compensation:\n  late_shipment: {minimum_fen: 5.0}\n",
            "config: compensation.late_shipment.minimum_fen: must be a whole number of fen, "
            "1 yuan = 100 fen (got 5.0)",
        ),
        (
            "compensation:\n  late_shipment: {group_cap_fen: 100}\n",
            "config: compensation.late_shipment.group_cap_fen: "
            "must be at least minimum_fen (500) (got 100)",
        ),
        (
            "pickup:\n  hours: 0\n",
            "config: pickup.hours: must be greater than 0 (got 0)",
        ),
        (
            "pickup:\n  window: {start_days_before: 3, end_days_before: 32}\n",
            "config: pickup.window: "
            "start_days_before must be at least end_days_before (got 3 and 32)",
        ),
        (
            "refunds:\n  intervention_after_hours: '72h'\n",
            "config: refunds.intervention_after_hours: must be a whole number (got '72h')",
        ),
        (
            "service_score:\n  categories:\n    默认: {threshold: 0}\n",
            "config: service_score.categories.默认.threshold: must be greater than 0 (got 0)",
        ),
        (
            "service_score:\n  categories:\n    默认: {logistics_metric: pickup_48h_rate}\n",
            "config: service_score.categories.默认.logistics_metric: must be one of "
            "'pickup_24h_rate', 'logistics_review_score' (got 'pickup_48h_rate')",
        ),
        (
            "service_score:\n  categories:\n    默认:\n      metrics:\n"
            "        complaint_rate: {weight: -0.5}\n",
            "config: service_score.categories.默认.metrics.complaint_rate.weight: "
            "must be between 0 and 1 (got -0.5)",
        ),
        (
            "service_score:\n  default_category: 美妆\n",
            "config: service_score.default_category: "
            "unknown category '美妆' (known: 默认, 女装, 食品, 3C数码)",
        ),
        (
            "response:\n  service_hours: {start: '23:00', end: '08:00'}\n",
            "config: response.service_hours: start must be before end (got 23:00–08:00)",
        ),
        (
            "response:\n  service_hours: {start: '8am'}\n",
            "config: response.service_hours.start: "
            "must be a time of day HH:MM, 00:00 to 24:00 (got '8am')",
        ),
        (
            "refunds:\n  auto_refund:\n"
            "    rules: [{name: x, reasons: [其他], action: refund, shipped: false}]\n",
            "config: refunds.auto_refund.rules[0].action: "
            "must be one of 'auto_refund', 'auto_agree' (got 'refund')",
        ),
        (
            "reviews:\n  actions: {packaging: 换包装}\n",
            "config: reviews.actions.packaging: "
            "unknown cause (known: product, service, logistics, buyer, unclassified)",
        ),
        (
            "cs:\n  human_sources: []\n",
            "config: cs.human_sources: must list at least one entry",
        ),
    ],
)
def test_bad_values_name_their_key_path(tmp_path: Path, yaml_text: str, message: str) -> None:
    assert error_of(tmp_path, yaml_text) == message


# --------------------------------------------------------------------------- files and names


def test_bad_yaml_names_the_file_and_line(tmp_path: Path) -> None:
    path = write(
        tmp_path, "dsr:\n  window_days: 180\n  thresholds: {search_demotion: 4.4\npickup: 1\n"
    )
    with pytest.raises(ConfigError) as caught:
        load_config(path, cwd=tmp_path)
    assert caught.value.message.startswith(f"config: {path}:4: YAML syntax error: ")


def test_duplicate_keys_are_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, "pickup:\n  limit: 10\npickup:\n  limit: 20\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path, cwd=tmp_path)
    assert caught.value.message == f"config: {path}:3: duplicate key 'pickup'"


def test_a_user_file_that_is_not_a_mapping(tmp_path: Path) -> None:
    path = write(tmp_path, "- dsr\n- pickup\n")
    with pytest.raises(ConfigError, match=r"must be a mapping of sections .* \(got list\)"):
        load_config(path, cwd=tmp_path)


def test_missing_config_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    with pytest.raises(ConfigError) as caught:
        load_config(missing, cwd=tmp_path)
    assert caught.value.message == f"config: {missing}: file not found"


def test_unknown_category_lists_the_known_ones(default: Config) -> None:
    with pytest.raises(ConfigError) as caught:
        default.category("美妆")
    assert caught.value.message == (
        "config: service_score.categories: "
        "unknown category '美妆' (known: 默认, 女装, 食品, 3C数码)"
    )
    assert caught.value.hint


def test_config_module_imports_no_polars_or_rich() -> None:
    import subprocess
    import sys

    code = (
        "import sys, tmallcli.config; "
        "print(any(m.split('.')[0] in ('polars', 'rich') for m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert result.stdout.strip() == "False"


# --------------------------------------------------------------------------- properties


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=1000), min_size=5, max_size=5))
def test_any_dimension_weights_summing_to_one_validate(parts: list[int]) -> None:
    assume(sum(parts) > 0)
    weights = dict(zip(DIMENSIONS, (p / sum(parts) for p in parts), strict=True))
    overrides = {
        "service_score": {
            "categories": {"属性": {"inherit": "默认", "weights": weights}},
        }
    }
    category = load_config(cwd=REPO / "tests", overrides=overrides).category("属性")
    total = math.fsum(category.effective_weight(key) for key in METRIC_KEYS)
    assert math.isclose(total, 1.0)

    skewed = {key: value * 1.01 for key, value in weights.items()}
    overrides["service_score"]["categories"]["属性"]["weights"] = skewed
    problem = r"属性\.weights(\.\w+)?: must (sum to 1|be between 0 and 1)"
    with pytest.raises(ConfigError, match=problem):
        load_config(cwd=REPO / "tests", overrides=overrides)


# --------------------------------------------------------------------------- sweeps

DEFAULT_TREE = yaml.safe_load((REPO / "config" / "default.yaml").read_text(encoding="utf-8"))


def _mapping_paths(node: object, path: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    """Every mapping of the default config (the first item of a list of mappings too)."""
    found: list[tuple[object, ...]] = []
    if isinstance(node, dict):
        found.append(path)
        for key, value in node.items():
            found += _mapping_paths(value, (*path, key))
    elif isinstance(node, list) and node and isinstance(node[0], dict):
        found += _mapping_paths(node[0], (*path, 0))
    return found


def _leaf_paths(node: object, path: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    if isinstance(node, dict):
        return [leaf for key, value in node.items() for leaf in _leaf_paths(value, (*path, key))]
    return [path]


def _dotted(path: tuple[object, ...]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text


def _user_config(path: tuple[object, ...], key: str, value: object) -> dict[str, object]:
    """A user config setting ``key`` of the mapping at ``path`` to ``value``.

    Mappings nest; a list on the way is given whole (lists replace), changed in place.
    """
    tree: Any = copy.deepcopy(DEFAULT_TREE)
    node = tree
    for part in path:
        node = node[part]
    node[key] = value
    full = (*path, key)
    user: dict[str, Any] = {}
    holder, source = user, tree
    for i, part in enumerate(full):
        if i == len(full) - 1 or isinstance(full[i + 1], int):
            holder[part] = source[part]
            return user
        holder = holder.setdefault(part, {})
        source = source[part]
    return user


@pytest.mark.parametrize("path", _mapping_paths(DEFAULT_TREE), ids=_dotted)
def test_an_unknown_key_anywhere_is_an_error_naming_its_path(
    tmp_path: Path, path: tuple[object, ...]
) -> None:
    user = _user_config(path, "zz_unknown", 1)
    message = error_of(tmp_path, yaml.safe_dump(user, allow_unicode=True))
    assert message.startswith(f"config: {_dotted((*path, 'zz_unknown'))}: "), message


@pytest.mark.parametrize("path", _leaf_paths(DEFAULT_TREE), ids=_dotted)
def test_a_value_of_the_wrong_type_anywhere_names_its_path(
    tmp_path: Path, path: tuple[object, ...]
) -> None:
    user = _user_config(path[:-1], str(path[-1]), {"zz": [1]})
    message = error_of(tmp_path, yaml.safe_dump(user, allow_unicode=True))
    assert message.startswith(f"config: {_dotted(path)}"), message


def test_libyaml_and_pure_python_parsers_read_a_config_alike() -> None:
    # The loader parses with libyaml where PyYAML has it; the rules (no base-60 numbers, keys
    # as text, duplicates refused) live in Python and hold for the pure-Python parser too.
    from tmallcli.config import loading as module

    class PurePython(yaml.SafeLoader):
        yaml_implicit_resolvers = module._Loader.yaml_implicit_resolvers

    PurePython.add_constructor("tag:yaml.org,2002:map", module._construct_mapping)
    text = default_config_path().read_text(encoding="utf-8") + "x: 23:00\n1: 1_000\n"
    assert module._Loader.__mro__[1] is getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    parsed = yaml.load(text, Loader=module._Loader)
    assert parsed == yaml.load(text, Loader=PurePython)
    assert (parsed["x"], parsed["1"]) == ("23:00", 1000)


def test_words_that_name_export_text_are_normalised_once_at_validation(tmp_path: Path) -> None:
    # Statuses, reasons and services compare equal to export cells as the reader reads them
    # (trimmed, ， read as ,); metrics use the config values as they are.
    config = load(
        tmp_path,
        "pickup:\n  exclude_statuses: [' 交易关闭 ']\n"
        "compensation:\n  promise_broken: {services: ['当日达，次日达']}\n"
        "refunds:\n  completed_statuses: ['退款成功，已完结']\n",
    )
    assert config.pickup.exclude_statuses == ["交易关闭"]
    assert config.compensation.promise_broken.services == ["当日达,次日达"]
    assert config.refunds.completed_statuses == ["退款成功,已完结"]
    # Keywords matched inside free text (the tracking texts) are kept as written.
    assert "已揽收" in config.pickup.pickup_keywords
    # A user file that sets one key of a section still validates: the default is underneath.
    assert config.pickup.hours == 24 and config.refunds.slowest_limit == 20
