"""What a reader clicks, in a real headless Chromium (Debian's /usr/bin/chromium)."""

from __future__ import annotations

import pytest

from conftest import THEME_RUNNING

pytestmark = pytest.mark.browser


def switch_language(page, lang: str) -> None:
    page.click(f".qq-langs__link[hreflang='{lang}']")
    page.wait_for_load_state("load")


def test_switcher_keeps_the_reader_on_the_same_page(page, server):
    page.goto(f"{server}/en/activities/shanghai-new-year-visit/")
    assert page.locator("html").get_attribute("lang") == "en"
    switch_language(page, "zh-Hans")
    assert page.url == f"{server}/activities/shanghai-new-year-visit/"
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert "正月十三" in page.locator("h1").inner_text()
    switch_language(page, "en")
    assert page.url == f"{server}/en/activities/shanghai-new-year-visit/"
    assert "New Year" in page.locator("h1").inner_text()


def test_each_edition_reads_in_its_own_script_s_fonts(page, server):
    """System fonts only: Simplified Chinese ones first on the Simplified edition, Traditional
    ones on the edition for readers in Taiwan (Windows shows Taiwan's glyph forms then), where
    the source's words quoted in Simplified keep the Simplified fonts, and Latin ones first on
    the English edition (a Chinese font draws its curly apostrophe full width)."""
    def fonts(selector: str) -> list[str]:
        return page.evaluate(f"getComputedStyle(document.querySelector({selector!r})).fontFamily"
                             ".split(',').map(f => f.trim().replace(/\"/g, ''))")

    def before(stack: list[str], first: str, second: str) -> bool:
        return first in stack and second in stack and stack.index(first) < stack.index(second)

    page.goto(f"{server}/activities/shanghai-new-year-visit/")
    assert before(fonts("body"), "PingFang SC", "Segoe UI")
    page.goto(f"{server}/en/activities/shanghai-new-year-visit/")
    assert before(fonts("body"), "Segoe UI", "PingFang SC") and "PingFang TC" not in fonts("body")
    page.goto(f"{server}/zh-hant/activities/shanghai-new-year-visit/")
    assert before(fonts(".md-typeset h1"), "PingFang TC", "Segoe UI") and "PingFang SC" not in fonts("body")
    assert before(fonts(".qq-source__excerpt[lang=zh-Hans]"), "PingFang SC", "Segoe UI")


def test_switcher_from_a_home_page(page, server):
    page.goto(f"{server}/")
    switch_language(page, "en")
    assert page.url == f"{server}/en/"


def test_timeline_filter_by_pillar(page, server):
    page.goto(f"{server}/timeline/")
    entries = page.locator(".qq-tl li")
    undated = page.locator(".qq-tl-undated li")
    total = entries.count()
    shown = {}
    for n in (1, 2, 3):
        page.click(f"label[for='qq-f-{n}']")
        visible = [e for e in entries.all() if e.is_visible()]
        assert all(e.get_attribute("data-pillar") == str(n) for e in visible)
        assert len(visible) == entries.locator(f"xpath=self::*[@data-pillar='{n}']").count()
        shown[n] = len(visible)
        # The undated list is filtered too; no year is left showing without an entry; a pillar
        # with no dated entry says so.
        assert all(e.get_attribute("data-pillar") == str(n) for e in undated.all() if e.is_visible())
        for year in page.locator(".qq-tl-year").all():
            if year.is_visible():
                assert any(li.is_visible() for li in year.locator("li").all())
        none = page.locator(f".qq-tl-none[data-pillar='{n}']")
        assert (none.count() == 1 and none.is_visible()) == (not visible)
    assert sum(shown.values()) == total and max(shown.values()) < total
    assert min(shown.values()) == 0  # the shipped data dates no record of one pillar
    page.click("label[for='qq-f-all']")
    assert sum(1 for e in entries.all() if e.is_visible()) == total
    assert all(e.is_visible() for e in undated.all()) and not page.locator(".qq-tl-none").first.is_visible()


def _scheme(page) -> str:
    return page.evaluate("document.body.getAttribute('data-md-color-scheme')")


@pytest.mark.parametrize("system, first, other", [("light", "default", "slate"), ("dark", "slate", "default")])
def test_palette_follows_the_system_from_the_first_paint_and_remembers_a_choice(browser, server, system, first, other):
    context = browser.new_context(color_scheme=system)
    page = context.new_page()
    # The scheme is set while the page is parsed, not by the theme's script after load: it is
    # already right when the document is ready, even with that script blocked.
    page.route("**/assets/javascripts/bundle.*.js", lambda r: r.abort())
    page.goto(f"{server}/en/", wait_until="domcontentloaded")
    assert _scheme(page) == first
    visible = page.locator("#__palette_form label:visible")
    assert visible.count() == 1
    page.unroute("**/assets/javascripts/bundle.*.js")
    page.goto(f"{server}/en/activities/", wait_until="load")
    assert _scheme(page) == first
    visible.click()
    assert _scheme(page) == other
    assert page.locator("meta[name=color-scheme]").get_attribute("content") == ("dark" if other == "slate" else "light")
    page.goto(f"{server}/en/stations/", wait_until="load")  # the choice is kept across pages
    assert _scheme(page) == other
    # From the keyboard: Enter on the focused option switches back.
    page.focus("#__palette_form input:checked")
    page.keyboard.press("Enter")
    assert _scheme(page) == first
    context.close()


def _bundle_downloads(page) -> list[int]:
    """Bytes transferred for each fetch of the theme's script (0: taken from the cache)."""
    return page.evaluate("performance.getEntriesByType('resource')"
                         ".filter(e => /bundle\\.[0-9a-f]+\\.min\\.js$/.test(e.name)).map(e => e.transferSize)")


@pytest.mark.tuning
def test_theme_script_waits_for_the_reader(page, server):
    """A reader who only reads runs none of the theme's script: it is fetched (prefetched)
    but not run, and nothing of the search is fetched. The first interaction starts it, from
    the cache, exactly once, and it works (the header shows the page title once the page is
    scrolled)."""
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{server}/en/", wait_until="load")
    page.wait_for_timeout(1500)
    assert not page.evaluate(THEME_RUNNING)
    assert not [r for r in requests if "/pagefind/" in r]
    assert len(_bundle_downloads(page)) == 1 and _bundle_downloads(page)[0] > 10000
    page.mouse.wheel(0, 1500)
    page.wait_for_selector(".md-header__title--active", timeout=5000)
    page.wait_for_timeout(500)
    assert page.evaluate(THEME_RUNNING)
    assert _bundle_downloads(page)[1:] == [0]  # run from the cache, not fetched again
    assert not [r for r in requests if "/pagefind/" in r]


@pytest.mark.tuning
def test_first_key_is_handed_to_the_theme_script_once_it_runs(page, server):
    """A key pressed before the theme's script runs starts it, and is sent again once it
    runs (so that its keyboard shortcuts, n and p for the next and previous page where the
    page links them, see the reader's first key)."""
    page.goto(f"{server}/", wait_until="load")
    page.wait_for_timeout(500)
    assert not page.evaluate(THEME_RUNNING)
    page.evaluate("window.__keys = 0; document.addEventListener('keydown', e => { if (e.key === 'n') window.__keys++; })")
    page.keyboard.press("n")
    page.wait_for_function(THEME_RUNNING, timeout=10000)
    page.wait_for_function("window.__keys === 2", timeout=5000)


@pytest.mark.tuning
def test_theme_script_starts_at_once_at_an_anchor(page, server):
    # At an anchor, the header already shows the page's title.
    page.goto(f"{server}/en/about/#termbase", wait_until="load")
    page.wait_for_selector(".md-header__title--active", timeout=5000)
