"""What a reader clicks, in a real headless Chromium (Debian's /usr/bin/chromium)."""

from __future__ import annotations

import re

import pytest

from conftest import THEME_RUNNING

pytestmark = pytest.mark.browser


def switch_language(page, lang: str) -> None:
    page.hover(".md-header__option .md-select")
    page.click(f".md-select__link[hreflang='{lang}']")
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


def test_switcher_from_a_home_page(page, server):
    page.goto(f"{server}/")
    switch_language(page, "en")
    assert page.url == f"{server}/en/"


def search(page, url: str, query: str, expected: str) -> list[str]:
    """Type a query; return the result links once the expected page is among them (or at 10 s)."""
    page.goto(url)
    page.fill(".md-search__input", query)
    # The theme searches on key-up, which fill() does not send: without a key, a query typed
    # after the search worker is ready (a busy machine's ordering) is never run.
    page.press(".md-search__input", "End")
    page.wait_for_selector(".md-search-result__item", timeout=10000)
    hrefs: list[str] = []
    for _ in range(40):
        hrefs = page.locator(".md-search-result__item a").evaluate_all("els => els.map(e => e.href)")
        if any(expected in h for h in hrefs):
            break
        page.wait_for_timeout(250)
    return hrefs


@pytest.mark.parametrize("query,expected", [
    ("基隆", "/activities/jinan-keelung-neighbourhood-festival/"),
    ("医保", "/stations/medical-insurance-station/"),
    ("兰花", "/projects/orchid-joint-laboratory/"),
])
def test_chinese_search(page, server, query, expected):
    hrefs = search(page, f"{server}/", query, expected)
    assert any(h.startswith(server + expected) for h in hrefs), hrefs
    assert not any("/en/" in h for h in hrefs), "a Chinese reader got English pages"


def test_english_search(page, server):
    hrefs = search(page, f"{server}/en/", "Keelung", "/en/activities/jinan-keelung-neighbourhood-festival/")
    assert any(h.startswith(f"{server}/en/activities/jinan-keelung-neighbourhood-festival/") for h in hrefs), hrefs
    assert all(re.match(rf"{re.escape(server)}/en/", h) for h in hrefs), "an English reader got Chinese pages"


def test_timeline_filter_by_pillar(page, server):
    page.goto(f"{server}/timeline/")
    entries = page.locator(".qq-tl li")
    total = entries.count()
    shown = {}
    for n in (1, 2, 3):
        page.click(f"label[for='qq-f-{n}']")
        visible = [e for e in entries.all() if e.is_visible()]
        assert all(e.get_attribute("data-pillar") == str(n) for e in visible)
        assert len(visible) == entries.locator(f"xpath=self::*[@data-pillar='{n}']").count()
        shown[n] = len(visible)
    assert sum(shown.values()) == total and max(shown.values()) < total
    page.click("label[for='qq-f-all']")
    assert sum(1 for e in entries.all() if e.is_visible()) == total


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
    but not run, no search worker starts, no search index is fetched. The first interaction
    starts it, from the cache, exactly once (one search worker), and it works (the header
    shows the page title once the page is scrolled)."""
    workers, requests = [], []
    page.on("worker", lambda w: workers.append(w.url))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{server}/en/", wait_until="load")
    page.wait_for_timeout(1500)
    assert not page.evaluate(THEME_RUNNING)
    assert workers == [] and not [r for r in requests if "search_index" in r]
    assert len(_bundle_downloads(page)) == 1 and _bundle_downloads(page)[0] > 10000
    page.mouse.wheel(0, 1500)
    page.wait_for_selector(".md-header__title--active", timeout=5000)
    page.wait_for_timeout(500)
    assert page.evaluate(THEME_RUNNING)
    assert len([w for w in workers if "search" in w]) == 1, workers
    assert _bundle_downloads(page)[1:] == [0]  # run from the cache, not fetched again


@pytest.mark.tuning
def test_search_button_on_a_phone_before_the_theme_script_runs(browser, server):
    """The first tap is on the header's search button: the search opens with the cursor in
    its field (so that a phone shows its keyboard), and what the reader types finds pages."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{server}/en/", wait_until="load")
    page.wait_for_timeout(500)
    assert not page.evaluate(THEME_RUNNING)
    page.tap("header label[for=__search]")
    assert page.evaluate("document.getElementById('__search').checked")
    assert page.evaluate("document.activeElement.classList.contains('md-search__input')")
    page.keyboard.type("Keelung")
    page.wait_for_selector(".md-search-result__item a[href*='jinan-keelung-neighbourhood-festival']", timeout=10000)
    context.close()


@pytest.mark.tuning
@pytest.mark.parametrize("key", ["s", "/"])
def test_first_key_is_the_theme_shortcut_it_always_was(page, server, key):
    page.goto(f"{server}/", wait_until="load")
    page.wait_for_timeout(500)
    assert not page.evaluate(THEME_RUNNING)
    page.keyboard.press(key)
    # The theme opens the search a moment after the field takes focus (it debounces focus).
    page.wait_for_function("document.activeElement.classList.contains('md-search__input') && "
                           "document.getElementById('__search').checked", timeout=5000)
    assert page.input_value(".md-search__input") == ""  # the key itself was not typed into the field


@pytest.mark.tuning
def test_theme_script_starts_at_once_from_a_search_or_at_an_anchor(page, server):
    # From a search result: the searched terms are highlighted without any interaction.
    page.goto(f"{server}/en/activities/jinan-keelung-neighbourhood-festival/?h=Keelung", wait_until="load")
    page.wait_for_selector("article mark", timeout=5000)
    assert "keelung" in page.locator("article mark").first.inner_text().lower()
    # A shared search (?q=): the search opens on its results.
    page.goto(f"{server}/?q=%E5%9F%BA%E9%9A%86", wait_until="load")
    page.wait_for_selector(".md-search-result__item", timeout=10000)
    # At an anchor, the header already shows the page's title.
    page.goto(f"{server}/en/about/#termbase", wait_until="load")
    page.wait_for_selector(".md-header__title--active", timeout=5000)
