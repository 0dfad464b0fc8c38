"""Open data, feeds, timeline, charts and figures, read back from a real build."""

from __future__ import annotations

import csv
import io
import json
import re

import feedparser
import pytest

from conftest import DATA, build_site, copy_project
from qinqing.loader import load
from qinqing.opendata import COLLECTIONS
from qinqing.validation import check


def read_csv(path):
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the UTF-8 byte-order mark"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def assert_same(yaml_value, json_value, where):
    """Every value written in the YAML is in the JSON, unchanged (dates as text)."""
    if isinstance(yaml_value, dict):
        for key, value in yaml_value.items():
            assert key in json_value, f"{where}.{key}"
            assert_same(value, json_value[key], f"{where}.{key}")
    elif isinstance(yaml_value, list):
        assert len(yaml_value) == len(json_value), where
        for i, (a, b) in enumerate(zip(yaml_value, json_value)):
            assert_same(a, b, f"{where}[{i}]")
    elif isinstance(yaml_value, (int, float)) and not isinstance(yaml_value, bool) and key_is_date(where):
        assert str(yaml_value) == json_value, where
    elif isinstance(yaml_value, str):
        assert yaml_value.strip() == json_value, where
    else:
        assert yaml_value == json_value, where


def key_is_date(where: str) -> bool:
    return where.endswith((".date", ".year"))


def test_published_json_is_the_yaml(site):
    raw = load(DATA).data
    for folder in (site, site / "en"):
        published = json.loads((folder / "data" / "initiatives.json").read_text(encoding="utf-8"))
        assert_same(raw, published, "data")


@pytest.mark.parametrize("collection", COLLECTIONS)
def test_published_csv_is_the_yaml(site, collection):
    raw = load(DATA).data.get(collection, [])
    rows = read_csv(site / "data" / f"{collection}.csv")
    assert len(rows) == len(raw)
    for record, row in zip(raw, rows):
        assert row["id"] == record["id"]
        for key, value in record.items():
            if isinstance(value, dict) and {"zh", "en"} == set(value):
                assert row[f"{key}_zh"] == value["zh"].strip() and row[f"{key}_en"] == (value["en"] or "").strip()
            elif key == "source":
                assert row["source_excerpt"] == value["excerpt"] and row["source_section"] == value["section"]
            elif isinstance(value, list) and value and isinstance(value[0], str):
                assert row[key].split(";") == value
            elif isinstance(value, dict) and "amount" in value:
                assert float(row[f"{key}_amount"]) == value["amount"] and row[f"{key}_currency"] == value["currency"]
            elif key in ("date", "year"):
                assert row[key] == str(value)


def test_data_page_links_downloads_and_dictionary(site):
    for folder in (site, site / "en"):
        html = (folder / "data" / "index.html").read_text(encoding="utf-8")
        for collection in COLLECTIONS:
            assert f'href="{collection}.csv"' in html
        assert 'href="initiatives.json"' in html and 'href="../feed.xml"' in html
        assert "<code>title_zh</code>" in html and "<code>source_excerpt</code>" in html
    assert "中英文文本" in (site / "data" / "index.html").read_text(encoding="utf-8")
    assert "text (zh, en)" in (site / "en" / "data" / "index.html").read_text(encoding="utf-8")


def test_feeds_parse_and_link_to_detail_pages(site):
    data = check(DATA).data
    for lang, folder in (("zh", site), ("en", site / "en")):
        feed = feedparser.parse((folder / "feed.xml").read_bytes())
        assert feed.bozo == 0, feed.get("bozo_exception")
        assert len(feed.entries) == min(50, len(data.activities) + len(data.projects))
        ids = [e.id for e in feed.entries]
        assert len(set(ids)) == len(ids) and all(i.startswith(f"tag:qinqing.jinan,2024:{lang}/") for i in ids)
        base = "https://example.test/qinqing/" + ("en/" if lang == "en" else "")
        for entry in feed.entries:
            assert entry.link.startswith(base)
            assert (folder / entry.link.removeprefix(base) / "index.html").is_file(), entry.link
        # Dated records first, newest first: a year-only date counts as the end of its year,
        # and Chen Sen-tien's visit (soon after the Shanghai visit) comes just before it.
        links = [e.link.rstrip("/").rsplit("/", 1)[-1] for e in feed.entries]
        assert links[0] == "special-food-city"
        assert links.index("chen-sen-tien-visit") + 1 == links.index("shanghai-new-year-visit")
        assert links.index("visits-to-taiwanese-companies") < links.index("chen-sen-tien-visit")
        home = (folder / "index.html").read_text(encoding="utf-8")
        assert re.search(r'<link rel="alternate" type="application/atom\+xml"[^>]*href="feed.xml"', home)


def test_timeline_groups_by_year_at_the_data_precision(site):
    html = (site / "timeline" / "index.html").read_text(encoding="utf-8")
    assert '<h2 id="y2023">' in html
    # Each date as precise as the source, with its basis: converted from the lunar calendar,
    # or a year inferred from the publication date.
    assert '<time datetime="2023-02-03">2023年2月3日（农历换算，年份推定）</time>' in html
    assert '<time datetime="2023-10">截至2023年10月底（年份推定）</time>' in html
    assert '<time datetime="2023">2023年（年份推定）</time>' in html
    en = (site / "en" / "timeline" / "index.html").read_text(encoding="utf-8")
    assert '<time datetime="2023-10">as of the end of October 2023 (year inferred)</time>' in en
    # Chen Sen-tien's visit came soon after the Shanghai visit; year-only records follow the dated ones.
    titles = re.findall(r'<time datetime="([^"]+)">', html)
    assert titles[:2] == ["2023-02-03", "2023"] and titles.index("2023-10") < len(titles)
    assert html.index("正月十三赴上海") < html.index("陈森田来济考察") < html.index("最美家庭")
    for number in (1, 2, 3):
        assert f'id="qq-f-{number}"' in html
    assert '<li data-pillar="2">' in html and '<li data-pillar="3">' in html  # culture has no dated record


def test_charts_are_inline_svg_with_text_alternatives(site):
    html = (site / "en" / "figures" / "index.html").read_text(encoding="utf-8")
    # Honours and this site's records by pillar; no investment chart for a single project.
    assert html.count('<svg class="qq-chart"') == 2
    assert 'id="chart-investment"' not in html
    assert '<desc id="chart-honours-d">Shandong Province “Most Beautiful Family” (Taiwan compatriot family): 1 family;' in html
    assert "<table>" in html


def test_adding_a_record_updates_everything(tmp_path):
    project = copy_project(tmp_path / "project")
    data = project / "data" / "initiatives.yaml"
    text = data.read_text(encoding="utf-8")
    new_project = """  - id: test-added-project
    name: {zh: 测试新增项目, en: Test added project}
    kind: project
    date: 2024-05
    amount: {amount: 100000000, currency: CNY}
    summary: {zh: 测试, en: Test}
    source: {section: investment, excerpt: 成功签约总投资约15亿元的乡村振兴文旅项目}
"""
    new_activity = """  - id: test-added-activity
    title: {zh: 测试新增活动, en: Test added activity}
    pillar: culture
    date: 2024-06-01
    summary: {zh: 测试, en: Test}
    source: {section: culture, excerpt: 济南与基隆多个社区邻里结亲联姻}
"""
    text = text.replace("\nprojects:\n", "\nprojects:\n" + new_project, 1)
    text = text.replace("\nactivities:\n", "\nactivities:\n" + new_activity, 1)
    data.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = build_site(project, out)
    assert result.returncode == 0, result.stdout + result.stderr
    home = (out / "index.html").read_text(encoding="utf-8")
    # Each project's own amount, never a total the sources do not give.
    assert "约15亿元" in home and "1亿元" in home and "16亿元" not in home
    assert "测试新增活动" in home  # recent activities
    en_home = (out / "en" / "index.html").read_text(encoding="utf-8")
    assert "CNY 100 million" in en_home and "1.6 billion" not in en_home
    timeline = (out / "timeline" / "index.html").read_text(encoding="utf-8")
    assert '<h2 id="y2024">' in timeline and "测试新增项目" in timeline
    figures = (out / "en" / "figures" / "index.html").read_text(encoding="utf-8")
    assert "Test added project" in figures and 'id="chart-investment"' in figures
    assert "test-added-project" in (out / "data" / "projects.csv").read_text(encoding="utf-8-sig")
    assert "test-added-activity" in (out / "data" / "initiatives.json").read_text(encoding="utf-8")
    feed = feedparser.parse((out / "en" / "feed.xml").read_bytes())
    assert feed.entries[0].title == "Test added activity"
    assert (out / "activities" / "test-added-activity" / "index.html").is_file()
