"""A real `mkdocs build` into a temporary folder, read back page by page."""

from __future__ import annotations

import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import DATA, ROOT, build_site, copy_project
from qinqing import languages
from qinqing.render import render_site
from qinqing.validation import check

SITE_URL = "https://example.test/qinqing/"


@pytest.fixture(scope="module")
def pages():
    return render_site(check(DATA).data)


TABLE = languages.load(DATA)


def html_path(site: Path, lang: str, rel: str) -> Path:
    base = site / TABLE.get(lang).path
    rel = rel.removesuffix(".md")
    rel = "" if rel == "index" else rel.removesuffix("/index")
    return base / rel / "index.html"


class Head(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.metas, self.lang, self.h1 = [], {}, None, ""
        self._in_h1 = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        elif tag == "link":
            self.links.append(a)
        elif tag == "meta":
            self.metas[a.get("name") or a.get("property")] = a.get("content")
        elif tag == "h1":
            self._in_h1 = True

    def handle_endtag(self, tag):
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data):
        if self._in_h1:
            self.h1 += data


def parse(path: Path) -> Head:
    head = Head()
    head.feed(path.read_text(encoding="utf-8"))
    return head


def test_every_page_exists_in_every_language(site, pages):
    assert set(pages) == set(TABLE.codes())
    for lang in TABLE.codes():
        for rel in pages[lang]:
            assert html_path(site, lang, rel).is_file(), (lang, rel)


def test_language_of_each_site(site):
    for row in TABLE:
        assert parse(site / row.path / "index.html").lang == row.tag
    zh, en = parse(site / "index.html"), parse(site / "en" / "index.html")
    assert zh.lang == "zh-Hans" and en.lang == "en"
    assert "搜索" in (site / "index.html").read_text(encoding="utf-8")
    assert 'placeholder="Search"' in (site / "en" / "index.html").read_text(encoding="utf-8")


def test_hreflang_canonical_and_description_on_every_page(site, pages):
    tags = {row.tag for row in TABLE} | {"x-default"}
    for lang in TABLE.codes():
        for rel in pages[lang]:
            head = parse(html_path(site, lang, rel))
            alternates = {l["hreflang"]: l["href"] for l in head.links
                          if l.get("rel") == "alternate" and "hreflang" in l}
            assert set(alternates) == tags, rel
            # The same page under every language's root; the default language as x-default.
            tail = alternates[TABLE.default.tag].removeprefix(SITE_URL)
            for row in TABLE:
                assert alternates[row.tag] == SITE_URL + row.path + tail, (lang, rel, row.code)
            assert alternates["x-default"] == alternates[TABLE.default.tag]
            canonical = [l["href"] for l in head.links if l.get("rel") == "canonical"]
            assert canonical == [alternates[TABLE.get(lang).tag]]
            assert head.metas.get("description"), rel


def test_detail_pages_show_their_record(site):
    data = check(DATA).data
    for record in data.activities:
        zh = parse(html_path(site, "zh", f"activities/{record.id}.md"))
        en = parse(html_path(site, "en", f"activities/{record.id}.md"))
        assert record.title.zh in zh.h1 and record.title.en in en.h1


def test_amounts_display_naturally(site):
    zh = html_path(site, "zh", "projects/index.md").read_text(encoding="utf-8")
    en = html_path(site, "en", "projects/index.md").read_text(encoding="utf-8")
    assert "约15亿元" in zh and "about CNY 1.5 billion" in en


def test_no_third_party_resources(site):
    pattern = re.compile(r'(?:src|href)="(https?:)?//(?!example\.test)[^"]+"')
    for path in site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text, path
        hits = [m.group(0) for m in pattern.finditer(text)]
        assert not hits, (path, hits[:3])


def test_every_table_comes_wrapped_for_the_theme(site):
    # As the theme's script would wrap it, so that it has nothing to move when it starts.
    tables = 0
    for path in site.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        tables += html.count("<table")
        assert html.count("<table") == html.count('<div class="md-typeset__table"><table>'), path
    assert tables > 20


def test_each_language_has_its_own_search_index(site):
    zh = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    en = json.loads((site / "en" / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert "\\u200b" in zh["config"]["separator"]
    # Chinese is segmented into words (jieba), so 基隆 and names from the data are tokens of their own.
    tokens = {t for d in zh["docs"] for t in re.split(zh["config"]["separator"], re.sub(r"<[^>]+>", " ", d["text"]))}
    assert {"基隆", "医保", "兰花", "陈森田", "王克璋"} <= tokens
    en_titles = " ".join(d["title"] for d in en["docs"])
    zh_titles = " ".join(d["title"] for d in zh["docs"]).replace("\u200b", "")
    assert "Neighbourhood Festival" in en_titles and "Neighbourhood Festival" not in zh_titles
    assert "邻里节" in zh_titles and "邻里节" not in en_titles


def test_search_finds_each_record_on_its_own_page_not_on_lists_repeating_it(site):
    data = check(DATA).data
    for lang, folder in (("zh", site), ("en", site / "en")):
        docs = json.loads((folder / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
        text = {d["location"]: (d["title"] + " " + d["text"]).replace("\u200b", "") for d in docs}
        for kind, records in (("activities", data.activities), ("stations", data.stations), ("projects", data.projects)):
            for record in records:
                title = getattr(record, "title", None) or record.name
                title = getattr(title, lang)
                own = [loc for loc, words in text.items() if title in words and loc.startswith(f"{kind}/{record.id}/")]
                assert own, (lang, kind, record.id)
                lists = [loc for loc, words in text.items() if title in words and
                         (loc.split("#")[0] in ("", f"{kind}/") or "#related-" in loc or "/years/" in loc)]
                assert lists == [], (lang, title, lists)


def test_detail_pages_are_not_in_the_nav(site):
    html = (site / "index.html").read_text(encoding="utf-8")
    assert "activities/shanghai-new-year-visit/" not in re.sub(r"<main.*</main>", "", html, flags=re.S)


def test_nothing_is_written_into_docs(site):
    docs = sorted(p.relative_to(ROOT / "docs").as_posix() for p in (ROOT / "docs").rglob("*") if p.is_file())
    assert not [d for d in docs if d.endswith(".md")], docs


def digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


# Temporary files a build keeps for the next one: jieba's dictionary, compiled templates.
CACHES = ("jieba", "qinqing-jinja-")


def test_bad_data_fails_before_touching_the_site(tmp_path):
    project = copy_project(tmp_path / "project")
    out = tmp_path / "out"
    temp = tmp_path / "temp"  # the builds' temporary folder: the other languages' configs
    temp.mkdir()

    def left_behind() -> list[Path]:
        # Scratch sites beside the site, and temporary files (the caches kept on purpose aside).
        return [*tmp_path.glob(".qinqing-*"), *(p for p in temp.iterdir() if not p.name.startswith(CACHES))]

    assert build_site(project, out, env={"TMPDIR": str(temp)}).returncode == 0
    # The other languages' scratch folders are gone once moved into place, their configs too.
    assert (out / "en" / "index.html").is_file() and left_behind() == []
    before = digest(out)
    data = project / "data" / "initiatives.yaml"
    data.write_text(data.read_text(encoding="utf-8").replace("date: 2023-02-03", "date: 2023-02-30"), encoding="utf-8")
    result = build_site(project, out, env={"TMPDIR": str(temp)})
    assert result.returncode != 0
    assert "activities[0].date" in result.stderr + result.stdout
    assert "2023-02-30" in result.stderr + result.stdout
    assert digest(out) == before
    assert left_behind() == []


def test_two_builds_are_byte_identical(site, tmp_path):
    """Dates come from the data (or SOURCE_DATE_EPOCH), never the clock; no random ids. The
    second build takes the one-core path (the other languages one after another once the
    default one is done), which must give the same site as the processes side by side."""
    again = tmp_path / "again"
    temp = tmp_path / "temp"
    temp.mkdir()
    result = build_site(ROOT, again, env={"SITE_URL": SITE_URL, "QINQING_PARALLEL": "0", "TMPDIR": str(temp)})
    assert result.returncode == 0, result.stderr
    assert digest(again) == digest(site)
    assert [p for p in temp.iterdir() if not p.name.startswith(CACHES)] == []  # the configs went


def test_no_markdown_escape_is_left_visible(site):
    """Data text is backslash-escaped for Markdown; inside raw HTML that Markdown does not
    read, the backslash would reach the reader (it did in the English home page's hero)."""
    escape = re.compile(r"\\[!-/:-@\[-`{-~]")
    leftovers = []
    for path in sorted(site.rglob("*.html")):
        text = re.sub(r"<script.*?</script>|<style.*?</style>|<svg.*?</svg>", "", path.read_text(encoding="utf-8"),
                      flags=re.S)
        leftovers += [f"{path.relative_to(site)}: …{text[max(0, m.start() - 40):m.end()]}" for m in escape.finditer(text)]
    assert leftovers == [], leftovers[:10]


@pytest.mark.parametrize("parallel", ["1", "0"], ids=["at-once", "one-after-another"])
def test_a_language_whose_build_fails_fails_the_command(tmp_path, parallel):
    """Another language's build that fails in the engine (here the theme's strings for
    zh-Hant are a broken template, which no check of the data can see) ends the command with an
    error naming it, and leaves no scratch folder or temporary file."""
    project = copy_project(tmp_path / "project")
    broken = project / "overrides" / "partials" / "languages" / "zh-TW.html"
    broken.parent.mkdir(parents=True, exist_ok=True)
    broken.write_text("{% macro t(key) %}{{ key }}{% endmacro %}{% if %}\n", encoding="utf-8")
    temp = tmp_path / "temp"
    temp.mkdir()
    result = build_site(project, tmp_path / "out", env={"QINQING_PARALLEL": parallel, "TMPDIR": str(temp)})
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "a language's build failed" in output and "[zh-hant]" in output and "zh-TW.html" in output
    assert not list(tmp_path.glob(".qinqing-*"))
    assert [p for p in temp.iterdir() if not p.name.startswith(CACHES)] == []


def test_wrong_search_settings_of_the_default_language_are_a_located_error(tmp_path):
    project = copy_project(tmp_path / "project")
    table = project / "data" / "languages.yaml"
    text = table.read_text(encoding="utf-8")
    table.write_text(text.replace("      pipeline: [stopWordFilter]", "      pipeline: 5", 1), encoding="utf-8")
    result = build_site(project, tmp_path / "out")
    assert result.returncode != 0
    output = result.stdout + result.stderr
    line = text[: text.index("      pipeline: [stopWordFilter]")].count("\n") + 1
    assert f"data/languages.yaml:{line}:17: languages[0].search.pipeline: " in output
    assert "'pipeline' must be a list" in output
    assert "Traceback" not in output
    assert not (tmp_path / "out").exists()
