"""Bar charts as inline SVG, drawn at build time: no chart library, nothing fetched.

Every text goes through `escaping.raw_html`: the SVG sits in a Markdown page, inside a
`<figure markdown>`, so it must be inert both as XML and as Markdown. Text and bars take their colours from CSS (`currentColor` and the theme's variables), so a
chart reads in both light and dark palettes. Every chart carries a title and a description
for screen readers; the page puts a data table beside it.
"""

from __future__ import annotations

from dataclasses import dataclass

from qinqing.pages.escaping import raw_html as escape


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    shown: str


WIDTH = 640
LABEL_H = 22
BAR_H = 18
GAP = 14


def _fit(label: str, room: int = 86) -> str:
    """Shorten a label to the chart's width (a CJK character is about two Latin ones wide);
    the full text is in the chart's description and in the table beside it."""
    used = 0
    for i, char in enumerate(label):
        used += 2 if ord(char) > 0x2E80 else 1
        if used > room:
            return label[:i].rstrip() + "…"
    return label


def bar_chart(chart_id: str, title: str, description: str, bars: list[Bar]) -> str:
    """A horizontal bar chart: each bar under its label, its value at the end of the bar."""
    top = max((b.value for b in bars), default=0) or 1
    row = LABEL_H + BAR_H + GAP
    height = max(row * len(bars), row)
    parts = [
        f'<svg class="qq-chart" id="{chart_id}" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" aria-labelledby="{chart_id}-t {chart_id}-d" '
        'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(description)}</desc>',
    ]
    for i, bar in enumerate(bars):
        y = i * row
        length = max(2.0, (WIDTH - 170) * bar.value / top)
        parts += [
            f'<text class="qq-chart__label" x="0" y="{y + 15}">{escape(_fit(bar.label))}</text>',
            f'<rect class="qq-chart__bar" x="0" y="{y + LABEL_H}" width="{length:.1f}" height="{BAR_H}" rx="2"/>',
            f'<text class="qq-chart__value" x="{length + 6:.1f}" y="{y + LABEL_H + 14}">{escape(bar.shown)}</text>',
        ]
    parts.append("</svg>")
    return "".join(parts)
