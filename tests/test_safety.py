"""Whatever an editor types is shown as text: no markup, script or template syntax takes effect.
Pending translations show the Chinese text, marked as such."""

from __future__ import annotations

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


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("hostile") / "project")
    data = project / "data" / "initiatives.yaml"
    text = data.read_text(encoding="utf-8")
    payload = " ".join(HOSTILE).replace("\\", "\\\\").replace('"', '\\"')
    assert TITLE_EN in text and NAME_EN in text
    text = text.replace(TITLE_EN, f'en: "{payload}"')
    text = text.replace(NAME_EN, f'en: "{payload}"}}')
    # An English text explicitly pending: null.
    text = text.replace("en: Visits to Taiwan-funded enterprises in other provinces and cities}", "en: null}")
    data.write_text(text, encoding="utf-8")
    out = project / "out"
    result = build_site(project, out)
    assert result.returncode == 0, result.stdout + result.stderr
    with serve(out) as url:
        yield url


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
    page.goto(hostile_site + path)
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
def test_pending_translation_is_labelled_and_marked_chinese(page, hostile_site):
    page.goto(hostile_site + "/en/activities/visits-to-taiwanese-companies/")
    h1 = page.locator("article h1")
    assert "赴北京、上海等省市走访台企" in h1.inner_text()
    assert h1.locator("span[lang='zh-Hans']").inner_text() == "赴北京、上海等省市走访台企"
    assert "translation pending" in h1.inner_text()
    # The Chinese site is unaffected.
    page.goto(hostile_site + "/activities/visits-to-taiwanese-companies/")
    assert "translation pending" not in page.locator("article").inner_text()
    assert "待补" not in page.locator("article h1").inner_text()
