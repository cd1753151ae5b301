"""Hours in the compensation reasons: one decimal, half up, whole hours without a decimal; in
JSON the hours in full (SPEC §14)."""

from __future__ import annotations

import pytest

from tmallcli.render.compensation import hours_text, hours_value


@pytest.mark.parametrize(
    ("seconds", "text", "value"),
    [
        (48 * 3600, "48", 48.0),
        (53 * 3600 + 12 * 60, "53.2", 53.2),
        (53 * 3600 + 15 * 60, "53.3", 53.3),  # 53.25 h: half up
        (53 * 3600 + 15 * 60 - 1, "53.2", 53.2),
        (180, "0.1", 0.1),  # 0.05 h
        (179, "0.0", 0.0),
        (-180, "0.0", 0.0),  # −0.05 h rounds half up to 0.0
        (-181, "-0.1", -0.1),
        (-7200, "-2", -2.0),
        (None, "—", None),
    ],
)
def test_hours_round_half_up_to_one_decimal(seconds: int | None, text: str, value: float) -> None:
    assert hours_text(seconds) == text
    assert hours_value(seconds) == (None if seconds is None else seconds / 3600)
    if seconds is not None:  # the text is the full value rounded half up to one decimal
        assert abs(hours_value(seconds) - value) <= 0.05 + 1e-12
