"""Each config value's origin through loading, merging and ``inherit`` (SPEC §14 "Placeholder
numbers"): default (a platform rule), illustrative (a shipped line marked ``# illustrative``),
the user's file, a library caller's overrides."""

from __future__ import annotations

from pathlib import Path

import yaml

from tmallcli.config import load_config
from tmallcli.config.loading import _Loader
from tmallcli.config.origins import illustrative_paths, merge_origins, service_sources

CATEGORIES = ("service_score", "categories")


def user_config(tmp_path: Path, text: str) -> Path:
    (tmp_path / "tmall.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def test_the_marks_of_the_shipped_yaml(tmp_path: Path) -> None:
    config = load_config(cwd=tmp_path)
    origin = config.origin
    # Platform rules quoted in SPEC.md: unmarked.
    assert origin("dsr", "thresholds", "search_demotion") == "default"
    assert origin("refunds", "intervention_after_hours") == "default"
    assert origin("compensation", "late_shipment", "rate_percent") == "default"
    # A mark after a value.
    assert origin(*CATEGORIES, "默认", "threshold") == "illustrative"
    assert origin("cs", "min_average") == "illustrative"
    assert origin("reviews", "reply_within_hours") == "illustrative"
    assert origin(*CATEGORIES, "默认", "metrics", "pickup_24h_rate", "scale") == "illustrative"
    # A mark on a mapping's key covers what is under it.
    assert origin(*CATEGORIES, "默认", "weights", "product") == "illustrative"
    assert origin(*CATEGORIES, "默认", "dsr_industry", "service") == "illustrative"
    # A metric's weight of 1.0 (the only metric of its dimension) is not a placeholder.
    assert origin(*CATEGORIES, "默认", "metrics", "item_review_score", "weight") == "default"
    assert origin(*CATEGORIES, "默认", "metrics", "response_rate", "weight") == "illustrative"
    # Every leaf has one; the illustrative ones outside the service score are these.
    outside = sorted(
        ".".join(path)
        for path, o in config.origins.items()
        if o == "illustrative" and path[0] != "service_score"
    )
    assert outside == [
        "compensation.late_shipment.severe_after_hours",
        "cs.min_average",
        "cs.min_ratings",
        "dsr.item_limit",
        "dsr.item_min_ratings",
        "refunds.auto_refund.auto_minutes",
        "refunds.slowest_limit",
        "reviews.reply_within_hours",
    ]


def test_a_mark_is_read_from_the_comment_on_its_own_line() -> None:
    text = (
        "# illustrative: a prose comment above marks nothing\n"
        "a:\n"
        "  b: 1   # illustrative\n"
        "  c: 2   # a platform rule\n"
        "d:   # illustrative\n"
        "  e: 3\n"
        "f: [[1, 2], [3, 4]]  # Illustrative: the whole list\n"
        "g: '#illustrative inside a string is not a comment'\n"
    )
    assert illustrative_paths(text, yaml.compose(text, Loader=_Loader)) == {
        ("a", "b"),
        ("d",),
        ("f",),
    }
    assert yaml.safe_load(text)["g"].startswith("#")


def test_the_users_values_and_only_those_are_the_users(tmp_path: Path) -> None:
    folder = user_config(
        tmp_path,
        "service_score:\n"
        "  categories:\n"
        "    默认:\n"
        "      threshold: 3.8\n"
        "      metrics:\n"
        "        pickup_24h_rate:\n"
        "          scale: [[0.8, 0], [0.99, 5]]\n"
        "cs:\n"
        "  min_average: 4.2\n"
        "dsr:\n",  # an empty section changes nothing
    )
    config = load_config(cwd=folder)
    assert config.origin(*CATEGORIES, "默认", "threshold") == "user"
    assert config.origin("cs", "min_average") == "user"
    assert config.origin("cs", "min_ratings") == "illustrative"
    assert config.origin("dsr", "thresholds", "activity_ineligible") == "default"
    # 女装 inherits 默认's scale — the user's now — but keeps its own threshold.
    assert config.origin(*CATEGORIES, "女装", "metrics", "pickup_24h_rate", "scale") == "user"
    assert config.origin(*CATEGORIES, "女装", "threshold") == "illustrative"
    # 女装's own return scale is its own line of the shipped file, not 默认's.
    assert config.origin(*CATEGORIES, "女装", "metrics", "return_refund_hours", "scale") == (
        "illustrative"
    )
    assert config.threshold_source(*CATEGORIES, "默认", "threshold") == "config"
    assert config.threshold_source(*CATEGORIES, "女装", "threshold") == "illustrative"
    assert config.threshold_source("dsr", "thresholds") == "platform"


def test_a_user_category_and_overrides(tmp_path: Path) -> None:
    folder = user_config(
        tmp_path,
        "service_score:\n  categories:\n    家居:\n      inherit: 女装\n      threshold: 4.4\n",
    )
    config = load_config(cwd=folder, overrides={"reviews": {"reply_within_hours": 12}})
    assert config.origin(*CATEGORIES, "家居", "threshold") == "user"
    assert config.origin(*CATEGORIES, "家居", "inherit") == "user"
    # Inherited through 女装 from 默认's shipped block.
    assert config.origin(*CATEGORIES, "家居", "weights", "product") == "illustrative"
    assert config.origin(*CATEGORIES, "家居", "metrics", "item_review_score", "weight") == (
        "default"
    )
    assert config.origin("reviews", "reply_within_hours") == "override"
    assert config.threshold_source("reviews", "reply_within_hours") == "config"


def test_a_list_or_scalar_replacing_a_mapping_takes_all_of_it() -> None:
    base = {"a": {"b": 1, "c": 2}, "d": 1}
    origins = {("a", "b"): "default", ("a", "c"): "illustrative", ("d",): "default"}
    assert merge_origins(base, origins, {"a": [1]}, "user") == {("a",): "user", ("d",): "default"}
    assert merge_origins(base, origins, {"a": None}, "user") == origins
    assert merge_origins(base, origins, {"a": {"c": 5}}, "user") == {
        ("a", "b"): "default",
        ("a", "c"): "user",
        ("d",): "default",
    }


def test_service_sources_combine_the_dimension_and_metric_weights(tmp_path: Path) -> None:
    folder = user_config(
        tmp_path,
        "service_score:\n"
        "  categories:\n"
        "    默认:\n"
        "      weights: {product: 0.3, logistics: 0.25, after_sales: 0.2, consultation: 0.15,"
        " disputes: 0.1}\n",
    )
    sources = service_sources(load_config(cwd=folder), "默认")
    assert sources.threshold == "illustrative"
    # product: the user's dimension weight × the shipped (unmarked) 1.0.
    assert sources.weights["item_review_score"] == "config"
    # after_sales: the user's dimension weight × a shipped illustrative 0.5.
    assert sources.weights["refund_only_hours"] == "illustrative"
    assert sources.scales["item_review_score"] == "illustrative"
    assert sources.illustrative is True
