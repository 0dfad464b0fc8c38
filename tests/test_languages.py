"""Languages as data (data/languages.yaml): the 繁體中文 edition at /zh-hant/, built and read
back (its search: test_search.py); and a throwaway language added to the table that the whole
site picks up with no code change."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import feedparser
import pytest
from test_browser import switch_language

from qinqing.i18n import languages

from conftest import DATA, build_site, copy_project

TABLE = languages.load(DATA)
HANT = TABLE.get("zh-hant")


def page_of(site: Path, row, rel: str = "") -> str:
    return (site / row.path / rel / "index.html").read_text(encoding="utf-8")


def test_traditional_pages_are_converted_and_say_so(site):
    home = page_of(site, HANT)
    assert '<html lang="zh-Hant"' in home
    assert "親情工作法" in home and "约" not in home.split("<article", 1)[1].split("</article>")[0]
    assert "約15億元" in home and "截至2023年10月底（年份推定）" in home
    # 台 as the source writes it, never OpenCC's 臺; Taiwan's quotation marks.
    assert "濟南市台港澳辦" in home and "台胞" in home and "臺" not in home
    assert "「兩岸一家親」" in home
    culture = page_of(site, HANT, "pillars/culture")
    notice = re.search(r'<p class="qq-converted"[^>]*>(.*?)</p>', culture, re.S).group(1)
    # A small line under the title, not a banner above it.
    assert culture.index("</h1>") < culture.index('class="qq-converted"')
    assert "自動轉換" in notice
    assert 'href="../../../pillars/culture/"' in notice and 'hreflang="zh-Hans"' in notice
    # Source excerpts stay as the source writes them, marked as Simplified.
    assert '<blockquote class="qq-source__excerpt" lang="zh-Hans">' in culture
    assert "深挖儒家文化、泉水文化、二安文化" in culture
    # The Simplified and English editions carry no such notice.
    assert 'class="qq-converted"' not in page_of(site, TABLE.default, "pillars/culture")
    assert 'class="qq-converted"' not in page_of(site, TABLE.get("en"), "pillars/culture")


@pytest.mark.build
def test_a_person_s_name_and_an_override_follow_their_rules(tmp_path):
    """A surname keeps its form (于 stays 于); a hand-written form wins over the conversion."""
    project = copy_project(tmp_path / "project")
    data = project / "data" / "initiatives.yaml"
    text = data.read_text(encoding="utf-8")
    text = text.replace("name: {zh: 林纯如, en: Lin Chun-ju}", "name: {zh: 于纯如, en: Yu Chun-ju}")
    text = text.replace("title: {zh: 社区联姻, en: Twinned neighbourhoods}",
                        "title: {zh: 社区联姻, en: Twinned neighbourhoods, overrides: {zh-hant: 社區結親}}")
    data.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = build_site(project, out, strict=False)  # the new name is not in the cited passage: a warning
    assert result.returncode == 0, result.stderr
    voices = page_of(out, HANT, "voices")
    assert "于純如" in voices and "於純如" not in voices
    culture = page_of(out, HANT, "pillars/culture")
    assert "社區結親" in culture and "社區聯姻" not in culture
    assert "社区联姻" in page_of(out, TABLE.default, "pillars/culture")


@pytest.mark.build
def test_an_override_for_a_language_that_is_not_converted_is_a_located_error(tmp_path):
    project = copy_project(tmp_path / "project")
    data = project / "data" / "initiatives.yaml"
    text = data.read_text(encoding="utf-8")
    data.write_text(text.replace("title: {zh: 社区联姻, en: Twinned neighbourhoods}",
                                 "title: {zh: 社区联姻, en: Twinned neighbourhoods, overrides: {en: Twins}}"),
                    encoding="utf-8")
    result = build_site(project, tmp_path / "out")
    assert result.returncode == 1
    assert "overrides.en" in result.stderr and "zh-hant" in result.stderr


def test_feed_sitemap_404_and_open_data_know_every_language(site):
    feed = feedparser.parse((site / HANT.path / "feed.xml").read_bytes())
    assert '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-Hant">' in (site / HANT.path / "feed.xml").read_text(encoding="utf-8")
    assert any("親情" in e.title or "濟南" in e.summary for e in feed.entries)
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    for row in TABLE:
        assert f'hreflang="{row.tag}"' in sitemap
    assert "/zh-hant/pillars/culture/</loc>" in sitemap
    not_found = (site / HANT.path / "404.html").read_text(encoding="utf-8")
    for row in TABLE:
        assert f'hreflang="{row.tag}"' in not_found
    rows = list(csv.DictReader(io.StringIO((site / "data" / "activities.csv").read_text(encoding="utf-8-sig"))))
    shanghai = next(r for r in rows if r["id"] == "shanghai-new-year-visit")
    assert shanghai["title_zh-hant"] == "正月十三赴上海「拜年式」招商"


def test_every_page_links_to_itself_in_every_language(site):
    """The switcher's links and the hreflang alternates of a sample of pages, in each language,
    point at existing pages that are the same page."""
    for row in TABLE:
        for rel in ("", "activities/shanghai-new-year-visit", "pillars/service"):
            html = page_of(site, row, rel)
            links = re.findall(r'<a href="([^"]+)" hreflang="([^"]+)" lang="[^"]+" title="[^"]+" class="qq-langs__link"', html)
            assert {tag for _, tag in links} == {r.tag for r in TABLE}, (row.code, rel)
            here = (site / row.path / rel).resolve()
            for href, tag in links:
                target = (here / href).resolve()
                other = next(r for r in TABLE if r.tag == tag)
                assert target == (site / other.path / rel).resolve(), (row.code, rel, href)


@pytest.mark.browser
def test_switcher_offers_three_languages_and_lands_on_the_same_page(page, server):
    page.goto(f"{server}/zh-hant/activities/shanghai-new-year-visit/")
    assert page.locator("html").get_attribute("lang") == "zh-Hant"
    assert "正月十三赴上海「拜年式」招商" in page.locator("h1").inner_text()
    assert page.locator(".qq-langs__link").count() == len(TABLE)
    switch_language(page, "en")
    assert page.url == f"{server}/en/activities/shanghai-new-year-visit/"
    switch_language(page, "zh-Hant")
    assert page.url == f"{server}/zh-hant/activities/shanghai-new-year-visit/"
    switch_language(page, "zh-Hans")
    assert page.url == f"{server}/activities/shanghai-new-year-visit/"


PSEUDO = """
  - code: en-xa
    path: en-xa/
    tag: en-XA
    name: Pseudo English
    theme: en
    locale: en_US
    format: en
    text: {convert: en, with: pseudo}
"""


@pytest.mark.build
def test_a_language_added_to_the_table_reaches_every_page(tmp_path):
    """A pseudo-locale that brackets every English string, added as a row: no code changes."""
    project = copy_project(tmp_path / "project")
    table = project / "data" / "languages.yaml"
    table.write_text(table.read_text(encoding="utf-8").rstrip("\n") + "\n" + PSEUDO, encoding="utf-8")
    out = tmp_path / "out"
    result = build_site(project, out, strict=False)
    assert result.returncode == 0, result.stdout + result.stderr
    tags = {row.tag for row in TABLE} | {"en-XA"}
    english = sorted(p.relative_to(out / "en") for p in (out / "en").rglob("index.html"))
    assert len(english) >= 30
    for rel in english:
        pseudo = (out / "en-xa" / rel).read_text(encoding="utf-8")
        assert '<html lang="en-XA"' in pseudo, rel
        assert "⟦" in pseudo.split("<article", 1)[1], rel
    for row_path in ("", "en/", "zh-hant/", "en-xa/"):
        for rel in english:
            html = (out / row_path / rel).read_text(encoding="utf-8")
            found = set(re.findall(r'<link rel="alternate" hreflang="([^"]+)"', html)) - {"x-default"}
            assert found == tags, (row_path, rel)
            assert re.search(r'hreflang="en-XA" lang="en-XA" title="Pseudo English" class="qq-langs__link"[^>]*>Pseudo English<',
                             html), (row_path, rel)
    assert (out / "en-xa" / "feed.xml").is_file() and (out / "en-xa" / "404.html").is_file()
    # Searched in its own index, like every edition.
    entry = json.loads((out / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert "en-xa" in entry["languages"]


@pytest.mark.build
def test_a_malformed_phrase_list_stops_the_build_with_a_located_error(tmp_path):
    project = copy_project(tmp_path / "project")
    phrases = project / "data" / "zh-hant" / "phrases.txt"
    lines = phrases.read_text(encoding="utf-8").splitlines()
    phrases.write_text("\n".join(lines + ["医保 医保"]) + "\n", encoding="utf-8")
    result = build_site(project, tmp_path / "out")
    assert result.returncode == 1
    assert f"phrases.txt:{len(lines) + 1}:1:" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


# --- a third written language: a row of the table and a key of each text --------------------

GERMAN = """  - code: de
    path: de/
    tag: de
    name: Deutsch
    short: DE
    theme: de
    locale: de_DE
    format: en
    text: {field: de}
"""
FIRST_TITLE = 'title: {zh: 正月十三赴上海“拜年式”招商, en: "A New Year call on Taiwan-funded enterprises in Shanghai"}'
GERMAN_TITLE = "Neujahrsbesuch bei taiwanischen Unternehmen in Shanghai"


def with_german(folder: Path, *, key: str = "de", row: bool = True) -> Path:
    """The data and table of `folder` (a copy of data/) with a written German row, and the first
    activity's title in German (under `key`)."""
    table = folder / "languages.yaml"
    if row:
        table.write_text(table.read_text(encoding="utf-8").rstrip("\n") + "\n" + GERMAN, encoding="utf-8")
    data = folder / "initiatives.yaml"
    text = data.read_text(encoding="utf-8")
    assert text.count(FIRST_TITLE) == 1
    data.write_text(text.replace(FIRST_TITLE, f'{FIRST_TITLE[:-1]}, {key}: "{GERMAN_TITLE}"}}'), encoding="utf-8")
    return data


def test_a_third_written_language_is_a_row_and_a_key_of_each_text(tmp_path):
    """A written language beyond zh and en: one row of the table, and a `de:` key in the texts
    translated so far; every other text is a located 'pending' warning and reads in Chinese,
    labelled. Nothing in the code names the language."""
    import shutil

    from qinqing.ingest.model import schema_text
    from qinqing.ingest.validation import check
    from qinqing.pages import opendata
    from qinqing.pages.render import Site, render_pages

    shutil.copytree(DATA.parent, tmp_path / "data")
    checked = check(with_german(tmp_path / "data"))
    table = checked.languages
    assert table.further_fields() == ("de",)
    pending = [w for w in checked.warnings if w.code == "translation_pending_in"]
    assert len(pending) > 100 and all(w.path[-1] == "de" and w.line > 0 for w in pending)
    assert ("activities", 0, "title", "de") not in {w.path for w in pending}
    assert ("activities", 1, "title", "de") in {w.path for w in pending}
    site = Site(checked.data, table)
    german = render_pages(site, "de")
    assert GERMAN_TITLE in german["activities/shanghai-new-year-visit.md"]
    second = checked.data.activities[1]
    page = german[f"activities/{second.id}.md"]
    assert f'<span lang="zh-Hans">{second.title.zh}</span> <small class="qq-pending">' in page
    assert GERMAN_TITLE not in render_pages(site, "en")["activities/shanghai-new-year-visit.md"]
    # The open data: a column of the language's texts, and the key in the JSON.
    rows = list(csv.reader(io.StringIO(opendata.csv_bytes(checked.data, "activities", table).decode("utf-8-sig"))))
    assert dict(zip(rows[0], rows[1]))["title_de"] == GERMAN_TITLE
    assert json.loads(opendata.json_bytes(checked.data, table))["activities"][0]["title"]["de"] == GERMAN_TITLE
    # Editors' tools learn the key from the schema made with the table.
    schema = json.loads(schema_text(table.further_fields()))
    assert schema["$defs"]["Localized"]["properties"]["de"] == {"type": "string", "minLength": 1}
    assert schema["$defs"]["Localized"]["additionalProperties"] is False


@pytest.mark.parametrize("key, row", [("fr", True), ("de", False)])
def test_a_text_in_a_language_the_table_does_not_write_is_a_located_error(tmp_path, key, row):
    import shutil

    from qinqing.errors import DataError
    from qinqing.ingest.validation import check

    shutil.copytree(DATA.parent, tmp_path / "data")
    data = with_german(tmp_path / "data", key=key, row=row)
    with pytest.raises(DataError) as raised:
        check(data)
    [issue] = raised.value.issues
    line = next(n for n, text in enumerate(data.read_text(encoding="utf-8").splitlines(), 1) if GERMAN_TITLE in text)
    assert (issue.code, issue.path, issue.line) == ("extra", ("activities", 0, "title", key), line)
    assert f"“{key}”" in issue.message() and f"'{key}'" in issue.message()


@pytest.mark.build
def test_a_third_written_language_builds_its_own_edition(tmp_path):
    project = copy_project(tmp_path / "project")
    with_german(project / "data")
    out = tmp_path / "out"
    result = build_site(project, out, strict=False)
    assert result.returncode == 0, result.stdout + result.stderr
    page = (out / "de" / "activities" / "shanghai-new-year-visit" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="de"' in page and GERMAN_TITLE in page
    home = (out / "index.html").read_text(encoding="utf-8")
    assert 'hreflang="de"' in home and GERMAN_TITLE not in home
