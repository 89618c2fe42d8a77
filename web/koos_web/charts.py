"""A bar chart of how one question was rated (1 to 5), drawn as SVG on the server: no script, no library."""

from collections.abc import Mapping
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH, HEIGHT, BAR, GAP, TOP, BOTTOM = 320, 150, 44, 16, 22, 26
RATINGS = ("1", "2", "3", "4", "5")
INK, BARS, AXIS = "#1f2933", "#1d4e89", "#52606d"


@dataclass(frozen=True)
class Bar:
    rating: str
    count: int
    x: int
    y: float
    height: float


def bars(distribution: Mapping[str, int]) -> list[Bar]:
    """One bar per rating, as tall as its share of the most given rating."""
    counts = [int(distribution.get(r, 0)) for r in RATINGS]
    tallest = max(counts) or 1
    room = HEIGHT - TOP - BOTTOM
    found = []
    for index, (rating, count) in enumerate(zip(RATINGS, counts, strict=True)):
        height = room * count / tallest
        found.append(Bar(rating, count, GAP + index * (BAR + GAP), TOP + room - height, height))
    return found


def distribution_chart(chart_id: str, title: str, description: str, distribution: Mapping[str, int]) -> Markup:
    """An accessible SVG: a title and a description for screen readers, the counts printed above the bars."""
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" '
             f'height="{HEIGHT}" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" class="chart">',
             f'<title id="{chart_id}-title">{escape(title)}</title>',
             f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
             f'<line x1="{GAP // 2}" y1="{HEIGHT - BOTTOM}" x2="{WIDTH - GAP // 2}" y2="{HEIGHT - BOTTOM}" '
             f'stroke="{AXIS}" stroke-width="1"/>']
    for bar in bars(distribution):
        middle = bar.x + BAR // 2
        parts.append(f'<rect x="{bar.x}" y="{bar.y:.1f}" width="{BAR}" height="{bar.height:.1f}" fill="{BARS}" '
                     f'data-rating="{bar.rating}" data-count="{bar.count}"/>')
        parts.append(f'<text x="{middle}" y="{bar.y - 5:.1f}" text-anchor="middle" fill="{INK}" '
                     f'font-size="13">{bar.count}</text>')
        parts.append(f'<text x="{middle}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle" fill="{INK}" '
                     f'font-size="13">{bar.rating}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
