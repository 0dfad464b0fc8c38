"""The editorial rules of an official publication, checked on the built site and the data:
mainland Chinese typography, the termbase, dates with their basis, figures as the sources
state them, and a second source cited as routinely as the first."""

from __future__ import annotations

import csv
import html
import io
import json
import re
import subprocess
import sys
from html.parser import HTMLParser

import feedparser
import pytest

from qinqing.ingest.validation import check

from conftest import DATA, ROOT, build_site, copy_project

CJK = r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]"
# Half-width ( ) : in Chinese running text, or a space between a Chinese character and a digit.
BAD_TYPOGRAPHY = re.compile(rf"[():]|{CJK} +\d|\d +{CJK}")


class ArticleText(HTMLParser):
    """The text a reader reads in a page's article, without English passages (lang="en") or addresses (lang="zxx"),
    code, scripts, styles or the screen-reader-only text of charts."""

    SKIP = {"code", "pre", "script", "style", "svg", "kbd"}
    VOID = {"br", "hr", "img", "input", "meta", "link", "wbr", "source", "col", "area", "base"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # inside <article>
        self.skipping: list[str] = []
        self.stack: list[tuple[str, bool]] = []
        self.chunks: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        attrs = dict(attrs)
        if tag == "article":
            self.depth += 1
        # English passages, and addresses (lang="zxx": no language at all).
        skip = tag in self.SKIP or (attrs.get("lang") or "").startswith(("en", "zxx")) or \
            "headerlink" in (attrs.get("class") or "")
        self.stack.append((tag, skip))
        if skip:
            self.skipping.append(tag)

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        while self.stack:
            open_tag, skip = self.stack.pop()
            if skip and self.skipping:
                self.skipping.pop()
            if open_tag == "article":
                self.depth -= 1
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self.depth and not self.skipping:
            self.chunks.append(data)

    @classmethod
    def of(cls, html: str) -> str:
        parser = cls()
        parser.feed(html)
        return "".join(parser.chunks)


def zh_pages(site):
    for path in sorted(site.rglob("index.html")):
        rel = path.relative_to(site).as_posix()
        if not rel.startswith("en/") and "lang=\"zh-Hans\"" in path.read_text(encoding="utf-8")[:300]:
            yield rel, path


def test_chinese_pages_use_mainland_typography(site):
    """Full-width （）： in Chinese text and no space between Chinese and digits, on every page."""
    pages = list(zh_pages(site))
    assert len(pages) >= 30
    found = []
    for rel, path in pages:
        text = ArticleText.of(path.read_text(encoding="utf-8"))
        assert text.strip(), rel
        for match in BAD_TYPOGRAPHY.finditer(text):
            found.append(f"{rel}: …{text[max(0, match.start() - 15):match.end() + 15]}…")
    assert found == []


def test_the_typography_check_finds_what_it_looks_for():
    html = ("<article><p>陈森田(乾隆集团) 公司:名称 截至 10 月底 约15亿元</p>"
            '<p lang="en">Chen (Qianlong): 12 visits</p><code>a: b</code></article>')
    text = ArticleText.of(html)
    assert "Chen" not in text and "a: b" not in text
    assert [m.group() for m in BAD_TYPOGRAPHY.finditer(text)] == ["(", ")", ":", "至 1", "0 月"]


def test_the_home_page_leads_with_the_work_and_hides_navigation(site):
    for home, lead in ((site / "index.html", "基隆"), (site / "en" / "index.html", "Keelung")):
        html = home.read_text(encoding="utf-8")
        hero = html[html.index('class="qq-hero__lead"'):]
        assert lead in hero[:600]
        # Material hides the navigation and the table of contents on this page only.
        assert 'data-md-component="sidebar" data-md-type="navigation" hidden' in html
        assert 'data-md-component="sidebar" data-md-type="toc" hidden' in html
        # The three pillars as links in the hero, before the motto and the summary.
        assert html.count('class="qq-pillar-links"') == 1
        assert html.index('class="qq-pillar-links"') < html.index('class="qq-motto"')
    other = (site / "pillars" / "culture" / "index.html").read_text(encoding="utf-8")
    assert 'data-md-type="navigation" hidden' not in other


def test_figures_are_stated_or_counted_never_summed(site):
    # The home page's cards and the figures page's table, together.
    zh = "".join((site / rel).read_text(encoding="utf-8") for rel in ("index.html", "figures/index.html"))
    en = "".join((site / "en" / rel).read_text(encoding="utf-8") for rel in ("index.html", "figures/index.html"))
    # Stated figures, each with the source's qualifier and its date's basis.
    for text in ("12次", "截至2023年10月底（年份推定）", "约15亿元", "200余万元", "2000平方米", "每年约20万元"):
        assert text in zh, text
    for text in ("12 visits", "as of the end of October 2023 (year inferred)", "about CNY 1.5 billion",
                 "more than CNY 2 million", "2,000 m²", "about CNY 200,000 a year"):
        assert text in en, text
    # What the earlier site made up: a total of honours, "six provinces", signed investment.
    for text in ("8 honours", "6 provinces", "Signed investment", "8项荣誉", "6个省市"):
        assert text not in en and text not in zh
    # The home page shows one figure per subject: one of a company's several, not all of them.
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "2000平方米" in home and "每年约20万元" not in home and home.count('class="qq-figure__value"') == 4
    figures = (site / "en" / "figures" / "index.html").read_text(encoding="utf-8")
    assert "5 honours and elections on this site" in figures and "5 service platforms and stations on this site" in figures


def test_translator_notes_are_labelled_and_apart(site):
    page = (site / "en" / "activities" / "jitai-spring-family" / "index.html").read_text(encoding="utf-8")
    note = page[page.index('class="qq-note"'):]
    assert "Translator’s note" in note[:200]
    assert "泉 (quán, “spring”)" in note
    summary = page[:page.index('class="qq-note"')]
    assert "quán" not in summary
    # A note written only in English is not shown in Chinese.
    assert 'class="qq-note"' not in (site / "activities" / "jitai-spring-family" / "index.html").read_text(encoding="utf-8")
    assert "编者注" in (site / "pillars" / "culture" / "index.html").read_text(encoding="utf-8")


def test_termbase_mismatch_is_a_located_warning_and_strict_error(tmp_path):
    folder = tmp_path / "data"
    subprocess.run(["cp", "-r", str(DATA.parent), str(folder)], check=True)
    path = folder / "initiatives.yaml"
    text = DATA.read_text(encoding="utf-8")
    old = "en: Fitness Station for Employees of Taiwan-funded Enterprises}"
    assert old in text
    path.write_text(text.replace(old, "en: Fitness Station for Staff of Taiwanese Companies}"), encoding="utf-8")
    [warning] = check(path).warnings
    assert warning.code == "term_missing" and warning.field_path() == "stations[2].name.en"
    lines = text.splitlines()
    assert lines[warning.line - 1].lstrip().startswith("name: {zh: 台企职工健身驿站")
    term_line = next(i for i, line in enumerate(lines, 1) if line == "  - zh: 台企职工健身驿站")
    assert warning.params["line"] == term_line
    message = warning.message()
    assert "台企职工健身驿站" in message and "Fitness Station for Employees of Taiwan-funded Enterprises" in message
    # Masked by the longer term: no second warning for 台企 inside 台企职工健身驿站.
    cli = [sys.executable, "-m", "qinqing.cli", "validate", str(path)]
    assert subprocess.run(cli, capture_output=True, cwd=ROOT).returncode == 0
    strict = subprocess.run(cli + ["--strict"], capture_output=True, text=True, cwd=ROOT)
    assert strict.returncode == 1
    assert f"initiatives.yaml:{warning.line}:" in strict.stderr and "--strict" in strict.stderr


SECOND_TEXT = "济南市台港澳办举办测试座谈会。\n座谈会邀请台胞台青参加，听取意见建议。\n"
SECOND_SOURCE = """  - id: second-report
    title: {zh: 济南市台港澳办举办测试座谈会, en: "The Jinan Municipal Taiwan, Hong Kong and Macao Affairs Office holds a test forum"}
    publisher: {zh: 测试出版方, en: Test Publisher}
    date: 2025-03-04
    language: zh-Hans
    text_file: source/second.zh.txt
    sections:
      - id: body
        title: {zh: 正文, en: Body}
"""
SECOND_RECORDS = {
    "\nactivities:\n": """  - id: second-forum
    title: {zh: 测试座谈会, en: Test forum}
    pillar: service
    date: 2025-03-01
    summary: {zh: 济南市台港澳办举办测试座谈会。, en: "The Jinan Municipal Taiwan, Hong Kong and Macao Affairs Office held a test forum."}
    source: {document: second-report, section: body, excerpt: 济南市台港澳办举办测试座谈会}
""",
    "\nstations:\n": """  - id: second-desk
    name: {zh: 测试意见台, en: Test suggestions desk}
    kind: platform
    summary: {zh: 座谈会听取台胞意见建议。, en: The forum hears the views and suggestions of Taiwan compatriots.}
    source: {document: second-report, section: body, excerpt: 邀请台胞台青参加，听取意见建议}
""",
}


@pytest.fixture(scope="module")
def two_sources(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("two-sources") / "project")
    (project / "data" / "source" / "second.zh.txt").write_text(SECOND_TEXT, encoding="utf-8")
    data = project / "data" / "initiatives.yaml"
    text = data.read_text(encoding="utf-8")
    text = text.replace("\n# 术语表", "\n" + SECOND_SOURCE.rstrip("\n") + "\n\n# 术语表", 1)
    for anchor, record in SECOND_RECORDS.items():
        assert anchor in text
        text = text.replace(anchor, anchor + record, 1)
    data.write_text(text, encoding="utf-8")
    out = project / "out"
    result = build_site(project, out)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.mark.parametrize("lang,root,title,date", [
    ("zh", "", "济南市台港澳办举办测试座谈会", "2025年3月4日"),
    ("en", "en/", "holds a test forum", "4 March 2025"),
])
def test_a_second_source_is_cited_on_every_page(two_sources, lang, root, title, date):
    for rel in ("activities/second-forum", "stations/second-desk"):
        page = (two_sources / root / rel / "index.html").read_text(encoding="utf-8")
        box = page[page.index('class="qq-source"'):]
        box = box[:box.index("</aside>")]
        assert 'href="../../about/#second-report"' in box and title in box and date in box
        assert "测试出版方" in box or "Test Publisher" in box
    # The first source's records still cite it, by its own anchor.
    first = (two_sources / root / "activities" / "shanghai-new-year-visit" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../about/#article"' in first and "#second-report" not in first
    about = (two_sources / root / "about" / "index.html").read_text(encoding="utf-8")
    assert 'id="second-report"' in about and 'id="article"' in about and date in about


def test_a_second_source_in_the_feed_and_the_open_data(two_sources):
    feed = feedparser.parse((two_sources / "en" / "feed.xml").read_bytes())
    entries = {e.title: e for e in feed.entries}
    assert entries["Test forum"].published.startswith("2025-03-04")
    assert entries["A New Year call on Taiwan-funded enterprises in Shanghai"].published.startswith("2024-01-12")
    assert feed.feed.updated.startswith("2025-03-04")
    rows = list(csv.DictReader(io.StringIO((two_sources / "data" / "stations.csv").read_text(encoding="utf-8-sig"))))
    desk = next(r for r in rows if r["id"] == "second-desk")
    assert desk["source_document"] == "second-report"
    assert next(r for r in rows if r["id"] == "fitness-station")["source_document"] == "article"
    payload = json.loads((two_sources / "data" / "initiatives.json").read_text(encoding="utf-8"))
    assert [s["id"] for s in payload["sources"]] == ["article", "second-report"]
    forum = next(a for a in payload["activities"] if a["id"] == "second-forum")
    assert forum["source"]["document"] == "second-report"


def test_dates_carry_their_basis_in_the_open_data(site):
    rows = list(csv.DictReader(io.StringIO((site / "data" / "activities.csv").read_text(encoding="utf-8-sig"))))
    basis = {r["id"]: (r["date"], r["date_basis"]) for r in rows}
    assert basis["shanghai-new-year-visit"] == ("2023-02-03", "lunar_year_inferred")
    assert basis["chen-sen-tien-visit"] == ("2023", "year_inferred")
    honours = list(csv.DictReader(io.StringIO((site / "data" / "honours.csv").read_text(encoding="utf-8-sig"))))
    # 2023年度 names the list; the recognition is dated only by 今年以来: inferred, since.
    assert {r["id"]: (r["date_basis"], r["since"]) for r in honours}["specialised-sme"] == ("year_inferred", "true")
    # An undated record has no date basis at all.
    assert basis["community-twinning"] == ("", "")
    feed = (site / "feed.xml").read_text(encoding="utf-8")
    assert "2023年2月3日（由农历日期换算，年份据发布日期推定）" in feed


def test_the_office_only_after_its_full_name_on_every_english_page(site):
    """“The Office” is the short form after the full name on the same page, never before it."""
    full = "Jinan Municipal Taiwan, Hong Kong and Macao Affairs Office"
    early = []
    for path in sorted((site / "en").rglob("index.html")):
        page = path.read_text(encoding="utf-8")
        article = page[page.find("<article"): page.find("</article>")]
        text = " ".join(re.sub(r"<[^>]+>", " ", html.unescape(article)).split())
        short = text.find("the Office")
        if short >= 0 and not 0 <= text.find(full) < short:
            early.append(f"{path.relative_to(site)}: …{text[max(0, short - 60): short + 20]}")
    assert early == []
