"""Tracking events as ERPs flatten the open-platform trace (tests/data/layouts/logistics.py):
recognised by their headers; pickup told by the action code, else by the carrier's words.
Issue 23: SF's 已收取快件 six hours after payment was billed 38.40 yuan as a late shipment."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from tests.conftest import REPO
from tmallcli.cli import app

FILES = REPO / "tests" / "data" / "layouts" / "files" / "logistics"
ORDERS = FILES / "ExportOrderList_carriers.csv"
EVENTS = FILES / "物流轨迹_开放平台.csv"
runner = CliRunner()


def run(*args: str) -> dict[str, Any]:
    inputs = ["--orders", str(ORDERS), "--logistics", str(EVENTS)]
    result = runner.invoke(app, [*args, *inputs, "--as-of", "2026-11-20", "-f", "json"])
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.stdout))


def test_the_open_platform_trace_is_recognised_as_logistics() -> None:
    result = runner.invoke(app, ["data", "check", str(EVENTS), "-f", "json"])
    assert result.exit_code == 0, result.output
    [report] = json.loads(result.stdout)["files"]
    assert report["kind"] == "logistics"
    assert report["rows"] == 9


def test_pickup_by_action_code_or_by_the_carriers_words() -> None:
    data = run("audit", "pickup")
    # paid on T−32 … T−3: all three. SF 已收取快件 after 6 h and 中通's GOT (its text says 揽收
    # in no pickup word) after 13 h are on time; 圆通's GOT after 50 h is late.
    assert (data["population"], data["timely"], data["late"], data["not_picked"]) == (3, 2, 1, 0)
    assert data["rate"] == 2 / 3
    assert [(u["order_id"], u["hours"]) for u in data["untimely"]] == [("5011000003", 50.0)]


def test_sf_picked_up_six_hours_after_payment_is_not_billed() -> None:
    data = run("compensate", "late-orders")
    # only 圆通: 30 % of 59.00 = 17.70
    assert [(p["order_ids"], p["amount_fen"]) for p in data["payouts"]] == [(["5011000003"], 1770)]
    assert data["total_fen"] == 1770


def test_without_the_carriers_words_sf_was_billed(tmp_path: Path) -> None:
    """The keyword list before issue 23: SF's 已收取快件 is no pickup, so the parcel counts as
    never picked up and is billed 30 % of 128.00 = 38.40 (the issue's figure)."""
    config = tmp_path / "old.yaml"
    config.write_text("pickup:\n  pickup_keywords: [已揽收, 已揽件, 揽收成功, 揽件, 已收件]\n")
    data = run("compensate", "late-orders", "--config", str(config))
    assert [(p["order_ids"], p["amount_fen"]) for p in data["payouts"]] == [
        (["5011000001"], 3840),
        (["5011000003"], 1770),
    ]
