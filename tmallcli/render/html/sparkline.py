"""A score's trend from the history (SPEC §15), drawn next to its value in the HTML report.

A hand-written SVG polyline of a few hundred bytes (no pygal: a card holds a dozen of them),
styled inline so it stands on its own whatever the page's style sheet does; the line takes
the card's text colour, the last point is marked, and the title says the first and the
last day with their values.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tmallcli.render.labels import Labels

WIDTH, HEIGHT, PAD = 120, 28, 3

LABELS: dict[str, tuple[str, str]] = {
    "trend": (
        "{days}天走势: {first} {first_value} → {last} {last_value}",
        "{days}-day trend: {first} {first_value} → {last} {last_value}",
    ),
}

# A score line of the summary (render/report.py: ScoreLine.key) → its figure in the history.
HISTORY_KEYS = {
    "dsr.description": "dsr_description",
    "dsr.service": "dsr_service",
    "dsr.logistics": "dsr_logistics",
    "cs_average": "cs_human_average",
}


def sparkline(key: str, trends: dict[str, list[Any]], labels: Labels, days: int = 90) -> str:
    """The trend of the score line ``key`` (empty when the history holds under two days)."""
    points = trends.get(HISTORY_KEYS.get(key, key), [])
    if len(points) < 2:
        return ""
    values = [p.value for p in points]
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    first_day, last_day = points[0].as_of, points[-1].as_of
    width_days = max((last_day - first_day).days, 1)

    def xy(point: Any) -> tuple[float, float]:
        x = PAD + (point.as_of - first_day).days / width_days * (WIDTH - 2 * PAD)
        y = HEIGHT - PAD - (point.value - low) / span * (HEIGHT - 2 * PAD)
        return round(x, 1), round(y, 1)

    line = " ".join(f"{x},{y}" for x, y in map(xy, points))
    end_x, end_y = xy(points[-1])
    title = labels.of(LABELS)(
        "trend",
        days=days,
        first=first_day,
        first_value=f"{values[0]:.4g}",
        last=last_day,
        last_value=f"{values[-1]:.4g}",
    )
    return (
        f'<svg class="trend" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-label="{escape(title)}" style="display:block;margin-top:4px">'
        f"<title>{escape(title)}</title>"
        f'<polyline points="{line}" fill="none" stroke="currentColor" stroke-width="1.5" '
        f'stroke-linejoin="round" opacity=".7"/>'
        f'<circle cx="{end_x}" cy="{end_y}" r="2.5" fill="currentColor"/></svg>'
    )
