"""RSS against calls as a small SVG for the README (no plotting library: one line chart)."""

from __future__ import annotations

from html import escape

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 60, 20, 30, 40


def _ticks(low: float, high: float, count: int = 5) -> list[float]:
    step = (high - low) / (count - 1) if high > low else 1.0
    return [low + i * step for i in range(count)]


def rss_svg(points: list[tuple[int, float]], slope_per_100: float) -> str:
    """``points``: (calls, RSS MiB). The y axis starts a little under the lowest RSS, so a
    growth of a few MiB is visible; the title gives the slope after warm-up."""
    xs = [x for x, _ in points] or [0]
    ys = [y for _, y in points] or [0.0]
    x_max = max(*xs, 1)
    y_low = min(ys) - 5
    y_high = max(ys) + 5
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM

    def px(x: float) -> float:
        return LEFT + plot_w * x / x_max

    def py(y: float) -> float:
        return TOP + plot_h * (1 - (y - y_low) / (y_high - y_low))

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="11">',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>',
        f'<text x="{WIDTH / 2}" y="18" text-anchor="middle" font-size="13">'
        + escape(f"Desk RSS against calls (after warm-up: {slope_per_100:+.2f} MiB per 100 calls)")
        + "</text>",
    ]
    for y in _ticks(y_low, y_high):
        parts.append(
            f'<line x1="{LEFT}" y1="{py(y):.1f}" x2="{WIDTH - RIGHT}" y2="{py(y):.1f}" '
            'stroke="#ddd"/>'
        )
        parts.append(f'<text x="{LEFT - 6}" y="{py(y) + 4:.1f}" text-anchor="end">{y:.0f}</text>')
    for x in _ticks(0, x_max):
        parts.append(
            f'<text x="{px(x):.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle">{x:,.0f}</text>'
        )
    parts.append(
        f'<line x1="{LEFT}" y1="{HEIGHT - BOTTOM}" x2="{WIDTH - RIGHT}" y2="{HEIGHT - BOTTOM}" '
        'stroke="#333"/>'
    )
    parts.append(f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{HEIGHT - BOTTOM}" stroke="#333"/>')
    parts.append(
        f'<text x="{WIDTH / 2}" y="{HEIGHT - 6}" text-anchor="middle">calls answered</text>'
    )
    parts.append(
        f'<text x="14" y="{HEIGHT / 2}" text-anchor="middle" '
        f'transform="rotate(-90 14 {HEIGHT / 2})">RSS (MiB)</text>'
    )
    line = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in points)
    parts.append(f'<polyline points="{line}" fill="none" stroke="#1f6fb2" stroke-width="2"/>')
    for x, y in points:
        parts.append(f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3" fill="#1f6fb2"/>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
