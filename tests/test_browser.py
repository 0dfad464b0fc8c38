"""What a reader clicks, in a real headless Chromium (Debian's /usr/bin/chromium)."""

from __future__ import annotations

import re

import pytest

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


def test_theme_script_starts_once_the_page_is_ready(page, server):
    """The theme's script is inserted at the end of the page and started by a repeated ready
    event when it arrives late: its components mount exactly once (one search worker) and
    work (the header shows the page title once the page is scrolled)."""
    workers = []
    page.on("worker", lambda w: workers.append(w.url))
    page.goto(f"{server}/en/", wait_until="load")
    page.wait_for_function("document.querySelector('.md-search__form') && "
                           "document.querySelector('[data-md-component=search-query]') !== null")
    page.wait_for_timeout(500)
    assert len([w for w in workers if "search" in w]) == 1, workers
    page.mouse.wheel(0, 1500)
    page.wait_for_selector(".md-header__title--active", timeout=5000)
