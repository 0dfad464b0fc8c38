"""Whatever an editor types is shown as text: no markup, script or template syntax takes effect.
Pending translations show the Chinese text, marked as such."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from xml.etree import ElementTree

import pytest

from conftest import build_site, copy_project, serve

HOSTILE = [
    "<script>window.__pwned = 1</script>",
    "<img src=x onerror=\"window.__pwned = 2\">",
    "**bold** _it_ [link](https://evil.example/) ![i](https://evil.example/i.png)",
    "{{ 7 * 7 }} {% raw %}",
    "</title><script>window.__pwned = 3</script>",
    ":material-alert: | table | # heading",
]
TITLE_EN = 'en: "A New Year call on Taiwan-funded enterprises in Shanghai"'
NAME_EN = "en: Fitness Station for Employees of Taiwan-funded Enterprises}"
# Where text sits in raw HTML or inline SVG of a page (the figures page's charts, the timeline
# filter): Markdown's image and attribute-list syntax, an element that swallows the rest of the
# page, and markup, in both languages.
CHART_PAYLOAD = ('![x](y){: onerror="window.__pwned = 4" } <plaintext> '
                 '<img src=x onerror="window.__pwned = 5"> Family\\: ties')
RAW_HTML_FIELDS = {
    "    title: {zh: 亲情文化, en: Family ties through culture}\n": "title",  # pillar: chart, filter
    "    name: {zh: 乡村振兴文旅项目, en: Rural revitalisation culture and tourism project}\n": "name",  # chart
    "    recipient_kind: {zh: 台胞家庭, en: Taiwan compatriot family}\n": "recipient_kind",  # chart
}


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("hostile") / "project")
    data = project / "data" / "initiatives.yaml"
    text = data.read_text(encoding="utf-8")
    payload = " ".join(HOSTILE).replace("\\", "\\\\").replace('"', '\\"')
    assert TITLE_EN in text and NAME_EN in text
    text = text.replace(TITLE_EN, f'en: "{payload}"')
    text = text.replace(NAME_EN, f'en: "{payload}"}}')
    raw = CHART_PAYLOAD.replace("\\", "\\\\").replace('"', '\\"')
    for line, key in RAW_HTML_FIELDS.items():
        assert line in text, line
        text = text.replace(line, f'    {key}: {{zh: "亲情{raw}", en: "{raw}"}}\n')
    # An English text explicitly pending: null.
    pending = 'en: "Visits to Taiwan-funded enterprises in Beijing, Shanghai and other provinces and cities"}'
    assert pending in text
    text = text.replace(pending, "en: null}")
    data.write_text(text, encoding="utf-8")
    out = project / "out"
    result = build_site(project, out, strict=False)  # a pending translation: a warning, which --strict makes an error
    assert result.returncode == 0, result.stdout + result.stderr
    with serve(out) as url:
        yield url, out


class _Elements(HTMLParser):
    """Every element's tag and attribute names, and the text of every script, of one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.handlers: list[tuple[str, str]] = []
        self.tags: set[str] = set()
        self.scripts: list[str] = []
        self.linked: list[str] = []
        self._in_script: bool | str = False

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.handlers += [(tag, name) for name, _ in attrs if name.startswith("on")]
        # Linked data (JSON-LD) is data, not code: kept apart, and read back as JSON below.
        self._in_script = "data" if tag == "script" and dict(attrs).get("type") == "application/ld+json" else tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script == "data":
            self.linked.append(data)
        elif self._in_script:
            self.scripts.append(data)


def test_hostile_text_is_inert_in_every_output_file(hostile_site):
    """Every page of every language (HTML and the inline SVG in it), the feeds, sitemaps and
    the open data: no event handler, no injected element, no script holding the payload."""
    _, out = hostile_site
    pages = sorted(out.rglob("*.html"))
    assert len(pages) >= 3 * 30  # every language
    for path in pages:
        parser = _Elements()
        parser.feed(path.read_text(encoding="utf-8"))
        assert parser.handlers == [], (path, parser.handlers)
        assert "plaintext" not in parser.tags, path
        assert not any("__pwned" in script for script in parser.scripts), path
        for data in parser.linked:  # the payload as text in JSON, with no < to end the element early
            assert "<" not in data and json.loads(data)["@type"] == "WebPage", path
    for path in [*out.rglob("*.xml"), *out.rglob("*.json")]:
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".xml":
            ElementTree.fromstring(text.encode("utf-8"))  # well-formed, whatever the data held
        else:
            json.loads(text)
    # On the figures page (tables, and charts where there are amounts to compare) the payload
    # is text: its < escaped, no element made of it (no handler anywhere, checked above).
    figures = (out / "en" / "figures" / "index.html").read_text(encoding="utf-8")
    assert '&lt;img src=x onerror="window.__pwned = 5"&gt;' in figures


@pytest.mark.browser
@pytest.mark.parametrize("path", ["/en/figures/", "/figures/", "/zh-hant/figures/", "/en/timeline/", "/timeline/"])
def test_chart_and_filter_text_is_shown_literally(page, hostile_site, path):
    url, _ = hostile_site
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(url + path)
    assert page.evaluate("window.__pwned") is None
    assert not dialogs
    assert page.locator("plaintext, article img[src='y'], article img[src='x']").count() == 0
    assert page.locator("[onerror]").count() == 0
    # The rest of the page is still a page (nothing turned it into text), and the typed text
    # reads as typed, with no backslash added.
    assert page.locator("footer").count() >= 1
    if "figures" in path:
        assert '{: onerror="window.__pwned = 4" }' in page.locator("article").inner_text()
    else:
        label = page.locator(".qq-filter label").nth(1).inner_text()
        assert "<plaintext>" in label and "Family\\: ties" in label and "\\:" not in label.replace("Family\\: ties", "")


@pytest.mark.browser
@pytest.mark.parametrize("path", [
    "/en/activities/shanghai-new-year-visit/",
    "/en/activities/",
    "/en/",
    "/en/stations/fitness-station/",
    "/en/stations/",
    "/en/pillars/service/",
])
def test_hostile_text_is_shown_literally(page, hostile_site, path):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(hostile_site[0] + path)
    assert page.evaluate("window.__pwned") is None
    assert not dialogs
    body = page.locator("article").inner_text()
    if "shanghai" in path or "fitness" in path:
        for fragment in ("<script>window.__pwned = 1</script>", "**bold**", "{{ 7 * 7 }}", ":material-alert:",
                         "[link](https://evil.example/)"):
            assert fragment in body, fragment
    # Nothing in the article links or loads from the injected addresses.
    assert page.locator("article a[href*='evil.example'], article img[src*='evil.example']").count() == 0
    assert page.locator("article script").count() == 0
    if "shanghai" in path:
        # The tab title holds the text as typed, so the closing tag in it was never parsed.
        assert "</title><script>window.__pwned = 3</script>" in page.evaluate("document.title")


@pytest.mark.browser
def test_a_pillar_title_in_the_navigation_is_shown_as_typed(page, hostile_site):
    """The navigation lists the data's pillars by their titles (data text the theme prints raw):
    given escaped once, they read as typed in the menu and in the pillar page's tab title."""
    typed = CHART_PAYLOAD  # as the data holds it (the fixture escapes it for YAML)
    page.goto(hostile_site[0] + "/en/")
    assert page.evaluate("window.__pwned") is None
    link = page.locator(".md-nav--primary a[href$='pillars/culture/']").first
    assert link.evaluate("a => a.textContent").strip() == typed
    assert page.locator(".md-nav--primary plaintext, .md-nav--primary img").count() == 0
    page.goto(hostile_site[0] + "/en/pillars/culture/")
    assert page.evaluate("window.__pwned") is None
    assert typed in page.evaluate("document.title")


@pytest.mark.browser
def test_pending_translation_is_labelled_and_marked_chinese(page, hostile_site):
    page.goto(hostile_site[0] + "/en/activities/visits-to-taiwanese-companies/")
    h1 = page.locator("article h1")
    assert "赴北京、上海等省市走访台企" in h1.inner_text()
    assert h1.locator("span[lang='zh-Hans']").inner_text() == "赴北京、上海等省市走访台企"
    assert "translation pending" in h1.inner_text()
    # The Chinese site is unaffected.
    page.goto(hostile_site[0] + "/activities/visits-to-taiwanese-companies/")
    assert "translation pending" not in page.locator("article").inner_text()
    assert "待补" not in page.locator("article h1").inner_text()
