"""The generic JSON writer: key order, renames, money as fen + yuan, derived, conditional and
nested keys, exactly as the hand-written functions it replaced wrote them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from tmallcli.render.serialise import Shape, many, to_json


@dataclass
class Line:
    order_id: str
    pay_fen: int
    refund_fen: int | None = None
    refund_ids: list[str] | None = None


@dataclass
class Tally:
    key: str | None
    timely: int
    population: int
    share: Decimal = Decimal("0.5")

    @property
    def rate(self) -> Fraction | None:
        return Fraction(self.timely, self.population) if self.population else None


@dataclass
class Day:
    day: date
    lines: list[Line]


def test_fields_in_order_then_properties_renamed() -> None:
    shape = Shape(then=("rate",), rename={"key": "carrier"}, omit=("share",))
    assert list(to_json(Tally("中通", 3, 4), shape).items()) == [
        ("carrier", "中通"),
        ("timely", 3),
        ("population", 4),
        ("rate", Fraction(3, 4)),  # the writer turns it into 0.75
    ]


def test_plain_shape_walks_every_field_and_writes_a_decimal_as_a_float() -> None:
    assert to_json(Tally(None, 0, 0)) == {"key": None, "timely": 0, "population": 0, "share": 0.5}


def test_money_is_fen_then_yuan_and_conditional_keys_need_their_field() -> None:
    shape = Shape(
        rename={"pay_fen": "amount_fen"},
        money=("pay_fen", "refund_fen"),
        only_if={"refund_fen": "refund_fen", "refund_ids": "refund_fen"},
    )
    assert list(to_json(Line("1", 1230), shape)) == ["order_id", "amount_fen", "amount"]
    assert to_json(Line("2", -5, 1001, ["r1"]), shape) == {
        "order_id": "2",
        "amount_fen": -5,
        "amount": "-0.05",
        "refund_fen": 1001,
        "refund": "10.01",
        "refund_ids": ["r1"],
    }


def test_listed_keys_derived_values_and_nested_shapes() -> None:
    line = Shape(keys=("order_id", "double"), derive={"double": lambda x: 2 * x.pay_fen})
    shape = Shape(rename={"day": "date"}, nested={"lines": line})
    day = Day(date(2026, 11, 20), [Line("1", 1), Line("2", 2)])
    assert to_json(day, shape) == {
        "date": date(2026, 11, 20),
        "lines": [{"order_id": "1", "double": 2}, {"order_id": "2", "double": 4}],
    }
    assert many([day, day], shape) == [to_json(day, shape)] * 2
