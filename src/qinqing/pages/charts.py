"""Bar charts in HTML and CSS, drawn at build time: no chart library, nothing fetched.

Labels and values are page text (at least 14 px on a phone, wrapping as text does), each bar a
width in per cent of the largest. Every text goes through `escaping.raw_html`: the chart sits
in a Markdown page, inside a `<figure markdown>`, so it must be inert both as HTML and as
Markdown. Colours come from CSS (the theme's variables), so a chart reads in both palettes.
The page puts a data table beside every chart: the chart is hidden from screen readers, which
read the table instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from qinqing.pages.escaping import raw_html as escape


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    shown: str


def bar_chart(chart_id: str, bars: list[Bar]) -> str:
    """A horizontal bar chart: each bar under its label, its value after the bar."""
    top = max((b.value for b in bars), default=0) or 1
    parts = [f'<ul class="qq-bars" id="{chart_id}" aria-hidden="true">']
    for bar in bars:
        share = max(0.5, 100 * bar.value / top)
        parts.append(
            f'<li><span class="qq-bars__label">{escape(bar.label)}</span>'
            f'<span class="qq-bars__row"><span class="qq-bars__bar" style="width: {share:.1f}%"></span>'
            f'<span class="qq-bars__value">{escape(bar.shown)}</span></span></li>'
        )
    parts.append("</ul>")
    return "".join(parts)
