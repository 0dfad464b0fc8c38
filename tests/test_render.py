"""The renderer: golden Markdown of every page, formatting of numbers and dates, escaping of data."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from qinqing.i18n import formatting, languages
from qinqing.ingest.model import Money, Quantity
from qinqing.ingest.validation import check
from qinqing.pages.render import escape_markdown, render_site

from conftest import DATA, ROOT

TABLE = languages.load(DATA)
ED = {code: TABLE.edition(code) for code in TABLE.codes()}

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture(scope="module")
def rendered():
    checked = check(DATA)
    return render_site(checked.data, checked.languages)


def test_pages_match_golden_files(rendered):
    """Reviewed snapshots of the generated Markdown; UPDATE_GOLDEN=1 rewrites them after a deliberate change."""
    expected_paths = set()
    for lang, pages in rendered.items():
        for rel, markdown in pages.items():
            golden = GOLDEN / lang / rel
            expected_paths.add(golden)
            if os.environ.get("UPDATE_GOLDEN"):
                golden.parent.mkdir(parents=True, exist_ok=True)
                golden.write_text(markdown, encoding="utf-8")
            assert golden.exists(), f"new page {lang}/{rel}: run with UPDATE_GOLDEN=1 and review"
            assert markdown == golden.read_text(encoding="utf-8"), f"{lang}/{rel} differs from its golden file"
    stale = set(GOLDEN.rglob("*.md")) - expected_paths
    assert not stale, f"golden files of pages that no longer exist: {sorted(stale)}"


def test_every_language_has_the_same_pages(rendered):
    assert set(rendered) == set(TABLE.codes())
    assert all(set(pages) == set(rendered["zh"]) for pages in rendered.values())
    assert {"index.md", "pillars/culture.md", "pillars/service.md", "pillars/investment.md",
            "activities/index.md", "stations/index.md", "projects/index.md", "voices.md",
            "about.md"} <= set(rendered["zh"])


def test_rendering_is_pure(rendered):
    checked = check(DATA)
    assert render_site(checked.data, checked.languages) == rendered


def test_every_record_page_cites_its_source(rendered):
    data = check(DATA).data
    for lang in TABLE.codes():
        for kind, records in (("activities", data.activities), ("stations", data.stations),
                              ("projects", data.projects)):
            for record in records:
                page = rendered[lang][f"{kind}/{record.id}.md"]
                assert record.source.excerpt in page
                assert 'class="qq-source"' in page


def test_ui_strings_have_every_language():
    codes = set(TABLE.codes())
    for key, value in TABLE.ui_strings().items():
        assert set(value) == codes, key
        assert all(text.strip() for text in value.values()), key


@pytest.mark.parametrize("money,zh,en", [
    (Money(amount=1.5e9, currency="CNY", qualifier="about"), "约15亿元", "about CNY 1.5 billion"),
    (Money(amount=2e6, currency="CNY", qualifier="more_than"), "200余万元", "more than CNY 2 million"),
    (Money(amount=2e5, currency="CNY", qualifier="about", per="year"), "每年约20万元", "about CNY 200,000 a year"),
    (Money(amount=800, currency="CNY"), "800元", "CNY 800"),
])
def test_money_reads_naturally(money, zh, en):
    assert formatting.money(money, ED["zh"]) == zh
    assert formatting.money(money, ED["en"]) == en


@pytest.mark.parametrize("value,as_of,basis,zh,en", [
    ("2023", False, "stated", "2023年", "2023"),
    ("2023-10", True, "stated", "截至2023年10月底", "as of the end of October 2023"),
    ("2023-02-03", False, "stated", "2023年2月3日", "3 February 2023"),
    ("2023", False, "year_inferred", "2023年（年份据发布日期推定）", "2023 (year inferred from the publication date)"),
])
def test_dates_keep_their_precision_and_basis(value, as_of, basis, zh, en):
    assert formatting.date(value, ED["zh"], as_of=as_of, basis=basis) == zh
    assert formatting.date(value, ED["en"], as_of=as_of, basis=basis) == en


def test_partial_dates_sort_after_the_exact_dates_of_their_period():
    dates = ["2023", "2023-10", "2023-02-03", "2023-10-31", "2024-01-12"]
    assert sorted(dates, key=formatting.sort_key) == ["2023-02-03", "2023-10-31", "2023-10", "2023", "2024-01-12"]


def test_quantities():
    assert formatting.quantity(Quantity(value=2000, unit="m2"), ED["en"]) == "2,000 m²"
    assert formatting.quantity(Quantity(value=2000, unit="m2"), ED["zh"]) == "2000平方米"
    assert formatting.quantity(Quantity(value=1, unit="companies"), ED["en"]) == "1 company"
    assert formatting.quantity(Quantity(value=12, unit="visits"), ED["en"]) == "12 visits"


def test_markdown_and_html_in_data_are_escaped():
    text = "<script>alert(1)</script> *bold* [x](y) {{ 1 }} :smile: | # &amp;"
    escaped = escape_markdown(text)
    assert "<" not in escaped.replace("\\<", "") and "*" not in escaped.replace("\\*", "")


def test_core_imports_no_mkdocs():
    """The core must run where MkDocs is absent (ProperDocs, Zensical, a plain folder)."""
    code = ("import sys; sys.modules['mkdocs'] = None\n"
            "import qinqing.cli, qinqing.pages.site, qinqing.pages.render, qinqing.ingest.validation\n"
            "print(sorted(m for m in sys.modules if m.startswith('mkdocs') and sys.modules[m]))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"


def test_bar_chart_text_is_inert_and_bars_are_shares_of_the_largest():
    from qinqing.pages.charts import Bar, bar_chart

    html = bar_chart("chart-x", [Bar('<img src=x onerror="window.x()">{: .y }', 2, "2 <b>CNY</b>"), Bar("b", 1, "1")])
    assert "<img" not in html and "<b>" not in html and 'onerror="' not in html
    assert 'style="width: 100.0%"' in html and 'style="width: 50.0%"' in html
    assert html.startswith('<ul class="qq-bars" id="chart-x" aria-hidden="true">')
