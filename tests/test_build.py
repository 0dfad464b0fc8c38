"""A real build (the engine, then the post-build steps) into a temporary folder, read back page by page."""

from __future__ import annotations

import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from qinqing.i18n import languages
from qinqing.ingest.validation import check
from qinqing.pages.render import render_site

from conftest import DATA, ROOT, build_site, copy_project

SITE_URL = "https://example.test/qinqing/"


@pytest.fixture(scope="module")
def pages():
    checked = check(DATA)
    return render_site(checked.data, checked.languages)


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
    assert 'aria-label="搜索"' in (site / "index.html").read_text(encoding="utf-8")
    assert 'aria-label="Search"' in (site / "en" / "index.html").read_text(encoding="utf-8")
    assert 'aria-label="搜尋"' in (site / "zh-hant" / "index.html").read_text(encoding="utf-8")


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


class Indexed(HTMLParser):
    """The text Pagefind indexes on a page: inside `data-pagefind-body`, outside any
    `data-pagefind-ignore` element and the headings' permalink signs."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__()
        self.stack: list[str] = []  # "body", "ignore" or "" per open element
        self.text: list[str] = []
        self.has_body = False

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        names = dict(attrs)
        mark = ("body" if "data-pagefind-body" in names else
                "ignore" if "data-pagefind-ignore" in names or "headerlink" in (names.get("class") or "").split() else "")
        self.has_body |= mark == "body"
        self.stack.append(mark)

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if "body" in self.stack and "ignore" not in self.stack[self.stack.index("body"):]:
            self.text.append(data)


def indexed(path: Path) -> str | None:
    """The page's indexed text, None if the page is not indexed at all."""
    parser = Indexed()
    parser.feed(path.read_text(encoding="utf-8"))
    return " ".join(parser.text) if parser.has_body else None


def test_each_language_has_its_own_search_index(site):
    """Pagefind's index: one per edition (its <html lang>), the same pages in each, and a
    converted edition's query map (Simplified character → Traditional ones)."""
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert set(entry["languages"]) == {row.tag.lower() for row in TABLE}
    counts = {lang["page_count"] for lang in entry["languages"].values()}
    assert len(counts) == 1 and counts.pop() > 20
    for row in TABLE:
        others = [site / o.path for o in TABLE if o.path and not row.path]
        found = [p for p in (site / row.path).rglob("*.html")
                 if not any(p.is_relative_to(o) for o in others) and indexed(p) is not None]
        assert len(found) == entry["languages"][row.tag.lower()]["page_count"], row.code
        variants = site / row.path / "assets" / "search-variants.json"
        assert variants.is_file() == row.converted, row.code
    variants = json.loads((site / "zh-hant" / "assets" / "search-variants.json").read_text(encoding="utf-8"))
    assert variants["医"][0] == "醫" and variants["兰"][0] == "蘭"  # the form the edition writes most
    assert "台" not in variants or variants["台"][0] == "台"  # 台 stays as the source writes it
    # Only the search's own files: Pagefind's ready-made interfaces are not shipped.
    assert not list((site / "pagefind").glob("pagefind-*ui*"))


def test_search_finds_each_record_on_its_own_page_not_on_lists_repeating_it(site):
    data = check(DATA).data
    for row in TABLE:
        folder = site / row.path
        text = {}
        for path in folder.rglob("index.html"):
            rel = path.relative_to(folder).parent.as_posix()
            if not row.path and rel.split("/")[0] in {r.path.rstrip("/") for r in TABLE if r.path}:
                continue  # another edition's
            words = indexed(path)
            if words is not None:
                text[rel] = words
        for kind, records in (("activities", data.activities), ("stations", data.stations), ("projects", data.projects)):
            for record in records:
                title = getattr(record, "title", None) or record.name
                title = TABLE.edition(row.code).pick(title)[0] if row.converted else getattr(title, row.field)
                title = title.replace("\\", "")
                own = [loc for loc, words in text.items() if title in words and loc == f"{kind}/{record.id}"]
                assert own, (row.code, kind, record.id, title)
                lists = [loc for loc, words in text.items() if title in words and
                         (loc in (".", kind) or loc.startswith(("timeline", f"{kind}/years")))]
                assert lists == [], (row.code, title, lists)


def test_record_pages_carry_the_search_filters(site):
    """Each record's page gives its kind (shown with each result) and pillar, the search
    dialog's two filters, in the edition's language."""
    page = (site / "zh-hant" / "stations" / "medical-insurance-station" / "index.html").read_text(encoding="utf-8")
    assert 'data-kind="服務平台或站點"' in page and 'data-pillar="親情服務"' in page
    assert 'data-pagefind-filter="kind[data-kind], pillar[data-pillar]"' in page
    assert 'data-pagefind-meta="kind[data-kind]"' in page
    page = (site / "en" / "projects" / "orchid-joint-laboratory" / "index.html").read_text(encoding="utf-8")
    assert 'data-kind="Project"' in page


def test_detail_pages_are_not_in_the_nav(site):
    html = (site / "index.html").read_text(encoding="utf-8")
    assert "activities/shanghai-new-year-visit/" not in re.sub(r"<main.*</main>", "", html, flags=re.S)


def test_nothing_is_written_into_docs(site):
    docs = sorted(p.relative_to(ROOT / "docs").as_posix() for p in (ROOT / "docs").rglob("*") if p.is_file())
    assert not [d for d in docs if d.endswith(".md")], docs


def digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


UNSTABLE = re.compile(r"^pagefind/(?:filter/.*|pagefind\.[^/]+\.pf_meta|pagefind-entry\.json)$")

# Temporary files a build keeps for the next one: compiled templates.
CACHES = ("qinqing-jinja-",)


@pytest.mark.build
def test_bad_data_fails_before_touching_the_site(tmp_path):
    project = copy_project(tmp_path / "project")
    out = tmp_path / "out"
    temp = tmp_path / "temp"  # the builds' temporary folder: the other languages' configs
    temp.mkdir()

    def left_behind() -> list[Path]:
        # Scratch folders beside the site, and temporary files (the caches kept on purpose aside).
        return [*project.glob(".site-*"), *(p for p in temp.iterdir() if not p.name.startswith(CACHES))]

    assert build_site(project, out, env={"TMPDIR": str(temp)}).returncode == 0
    # The projects and the languages' sites are gone once the site is assembled and in place.
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


@pytest.mark.build
def test_two_builds_are_byte_identical(site, tmp_path):
    """Dates come from the data (or SOURCE_DATE_EPOCH), never the clock; no random ids. The
    second build runs one engine at a time (--jobs 1), which must give the same site as two at
    once."""
    again = tmp_path / "again"
    temp = tmp_path / "temp"
    temp.mkdir()
    result = build_site(ROOT, again, env={"SITE_URL": SITE_URL, "TMPDIR": str(temp)}, jobs=1)
    assert result.returncode == 0, result.stderr
    # Except Pagefind's filter and metadata files (and the entry that names them by hash),
    # which Pagefind 1.5.2 writes in a different order at each run (Pagefind/pagefind#638:
    # the fragments and word index are stable since 1.3, those files are not). The pages,
    # the word index and every fragment must be identical.
    def stable(folder: Path) -> dict[str, str]:
        return {k: v for k, v in digest(folder).items() if not UNSTABLE.match(k)}

    assert stable(again) == stable(site)
    assert len([k for k in digest(again) if UNSTABLE.match(k)]) == len([k for k in digest(site) if UNSTABLE.match(k)])
    assert [p for p in temp.iterdir() if not p.name.startswith(CACHES)] == []


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


@pytest.mark.build
@pytest.mark.parametrize("jobs", [2, 1], ids=["at-once", "one-after-another"])
def test_a_language_whose_build_fails_fails_the_command(tmp_path, jobs):
    """A language's build that fails in the engine (here the theme's strings for zh-Hant are a
    broken template, which no check of the data can see) ends the command with an error naming
    it, and leaves no scratch folder or temporary file."""
    project = copy_project(tmp_path / "project")
    broken = project / "overrides" / "partials" / "languages" / "zh-TW.html"
    broken.parent.mkdir(parents=True, exist_ok=True)
    broken.write_text("{% macro t(key) %}{{ key }}{% endmacro %}{% if %}\n", encoding="utf-8")
    temp = tmp_path / "temp"
    temp.mkdir()
    result = build_site(project, tmp_path / "out", env={"TMPDIR": str(temp)}, jobs=jobs)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "a language's build failed" in output and "[zh-hant]" in output and "zh-TW.html" in output
    assert not list(project.glob(".site-*")) and not (tmp_path / "out").exists()
    assert [p for p in temp.iterdir() if not p.name.startswith(CACHES)] == []


@pytest.mark.build
def test_search_index_failure_fails_the_build_and_keeps_the_site(tmp_path, monkeypatch):
    """A post-build step that fails (here Pagefind cannot run) fails `qinqing build` with a
    message, and the previous site stays as it was."""
    from qinqing import build as build_module
    from qinqing import search
    from qinqing.pages.site import SiteData

    project = copy_project(tmp_path / "project")
    site = project / "site"
    site.mkdir()
    (site / "index.html").write_text("previous", encoding="utf-8")

    def broken(site_dir, table, quiet=True):
        raise search.SearchIndexError("pagefind: cannot start")

    monkeypatch.setattr(search, "index", broken)
    data = SiteData.load(project / "data" / "initiatives.yaml")
    assert data.error is None
    assert build_module.build(project, site, data, quiet=True) == 1
    assert (site / "index.html").read_text(encoding="utf-8") == "previous"
    assert not list(project.glob(".site-*"))
