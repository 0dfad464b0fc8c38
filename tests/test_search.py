"""Search as a reader uses it, in a real browser: the header's button, the dialog, Pagefind's
index of each edition (qinqing.search, made after the build), by mouse, keyboard and touch."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

# The edition's folder, the query, and the page that must come first (any of several when the
# query names more than one record in its title).
CASES = [
    ("", "基隆", ("activities/community-twinning/", "activities/jinan-keelung-neighbourhood-festival/")),
    ("", "医保", ("stations/medical-insurance-station/",)),
    ("", "兰花", ("projects/orchid-joint-laboratory/",)),
    ("", "泉城", ("stations/spring-city-home/",)),
    ("", "圆桌", ("stations/roundtable-talks/",)),
    ("en/", "Keelung", ("en/activities/community-twinning/", "en/activities/jinan-keelung-neighbourhood-festival/")),
    ("en/", "medical insurance", ("en/stations/medical-insurance-station/",)),
    ("en/", "orchid", ("en/projects/orchid-joint-laboratory/",)),
    ("en/", "round-table", ("en/stations/roundtable-talks/",)),
    ("zh-hant/", "基隆", ("zh-hant/activities/community-twinning/", "zh-hant/activities/jinan-keelung-neighbourhood-festival/")),
    ("zh-hant/", "醫保", ("zh-hant/stations/medical-insurance-station/",)),
    # A reader who types the Simplified form finds the Traditional pages.
    ("zh-hant/", "医保", ("zh-hant/stations/medical-insurance-station/",)),
    ("zh-hant/", "蘭花", ("zh-hant/projects/orchid-joint-laboratory/",)),
    ("zh-hant/", "兰花", ("zh-hant/projects/orchid-joint-laboratory/",)),
    ("zh-hant/", "泉城", ("zh-hant/stations/spring-city-home/",)),
]
EDITIONS = ("en/", "zh-hant/")

DONE = ("document.querySelector('#qq-search-results').getAttribute('aria-busy') === 'false' && "
        "document.querySelector('.qq-search__status').textContent !== ''")


def open_search(page) -> None:
    page.click("[data-qq-search-open]")
    page.wait_for_selector("#qq-search[open]")


def ask(page, query: str) -> list[dict]:
    """Type a query in the open dialog; the results once they are shown."""
    page.fill("#qq-search-input", query)
    page.wait_for_function(DONE, timeout=15000)
    return page.eval_on_selector_all(".qq-search__result", """els => els.map(e => ({
        href: e.href, kind: e.querySelector('.qq-search__kind')?.textContent || '',
        title: e.querySelector('.qq-search__name').textContent,
        excerpt: e.querySelector('.qq-search__excerpt').textContent,
        marks: [...e.querySelectorAll('mark')].map(m => m.textContent)}))""")


def in_edition(href: str, server: str, folder: str) -> bool:
    rest = href[len(server) + 1:]
    if folder:
        return href.startswith(f"{server}/{folder}")
    return href.startswith(server + "/") and not rest.startswith(EDITIONS)


@pytest.mark.parametrize("folder,query,first", CASES, ids=[f"{c[0] or 'zh/'}{c[1]}" for c in CASES])
def test_finds_the_right_page_first_in_the_readers_edition(page, server, folder, query, first):
    page.goto(f"{server}/{folder}")
    open_search(page)
    results = ask(page, query)
    assert results, query
    assert any(results[0]["href"] == f"{server}/{f}" for f in first), [r["href"] for r in results]
    assert all(in_edition(r["href"], server, folder) for r in results), [r["href"] for r in results]
    assert results[0]["kind"], "a record's result says what kind of record it is"


def test_traditional_results_show_traditional_text_for_a_simplified_query(page, server):
    page.goto(f"{server}/zh-hant/")
    open_search(page)
    results = ask(page, "医保")
    top = results[0]
    assert top["title"] == "台胞醫保服務站" and top["kind"] == "服務平台或站點"
    assert "醫保" in top["marks"] and "医保" not in top["excerpt"] + top["title"]
    # The facts' labels and values stay apart in the excerpt, as the edition writes them
    # (類型：服務站；, not 類型服務站).
    assert "；類型：服務站；" in top["excerpt"], top["excerpt"]
    # The status line, a live region, says how many were found, in the edition's words.
    assert page.text_content(".qq-search__status") == f"找到{len(results)}個結果"


def test_an_english_excerpt_reads_label_colon_value_semicolon(page, server):
    page.goto(f"{server}/en/")
    open_search(page)
    top = ask(page, "medical insurance")[0]
    assert "; Type: Service station; " in top["excerpt"], top["excerpt"]
    # The marks hold the words, not what clings to them (a comma, a dash).
    assert all(m.strip(",.;:–— ") == m and m for m in top["marks"]), top["marks"]


@pytest.mark.parametrize("folder,words", [("", "没有找到"), ("en/", "Nothing found"), ("zh-hant/", "沒有找到")])
def test_no_match_says_so_in_the_readers_language(page, server, folder, words):
    page.goto(f"{server}/{folder}")
    open_search(page)
    assert ask(page, "zzqqxx") == []
    assert words in page.text_content(".qq-search__status")


def test_filters_by_kind_and_pillar(page, server):
    page.goto(f"{server}/en/")
    open_search(page)
    ask(page, "Jinan")
    everything = int(re.search(r"\d+", page.inner_text(".qq-search__status")).group())
    counts = {}
    for kind in ("Activity", "Project"):
        page.select_option("select[data-qq-filter=kind]", kind)
        page.wait_for_function(DONE)
        shown = page.eval_on_selector_all(".qq-search__kind", "els => els.map(e => e.textContent)")
        assert shown and set(shown) == {kind}, (kind, shown)
        counts[kind] = int(re.search(r"\d+", page.inner_text(".qq-search__status")).group())
    assert sum(counts.values()) <= everything
    page.select_option("select[data-qq-filter=kind]", "")
    pillars = page.eval_on_selector_all("select[data-qq-filter=pillar] option", "els => els.map(e => e.value)")
    assert "Family ties through investment promotion" in pillars, pillars
    page.select_option("select[data-qq-filter=pillar]", "Family ties through investment promotion")
    page.wait_for_function(DONE)
    assert 0 < int(re.search(r"\d+", page.inner_text(".qq-search__status")).group()) < everything


@pytest.mark.parametrize("edition", ["", "en/", "zh-hant/"])
def test_the_filter_options_are_the_index_s_own(page, server, edition):
    """The dialog's filter options are written at build time (nothing is fetched to show them):
    they must be exactly the values the index holds for this edition."""
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{server}/{edition}")
    open_search(page)
    shown = page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('select[data-qq-filter]')].map(
        s => [s.dataset.qqFilter, [...s.options].map(o => o.value).filter(Boolean).sort()]))""")
    page.wait_for_load_state("networkidle")
    assert not [r for r in requests if "/filter/" in r]  # opening the search fetches no filter file
    indexed = page.evaluate("""async (bundle) => {
        const pagefind = await import(bundle);
        const filters = await pagefind.filters();
        return Object.fromEntries(Object.entries(filters).map(([k, v]) => [k, Object.keys(v).sort()]));
    }""", page.evaluate("document.getElementById('qq-search').dataset.bundle"))
    assert shown == indexed and len(shown["kind"]) == 3 and len(shown["pillar"]) == 3, (shown, indexed)


def test_keyboard_only(page, server):
    """Open with "/", type, move through the results with the arrow keys, open one with Enter;
    Esc closes and gives the focus back."""
    page.goto(f"{server}/")
    page.keyboard.press("/")
    page.wait_for_selector("#qq-search[open]")
    assert page.evaluate("document.activeElement.id") == "qq-search-input"
    page.keyboard.type("基隆")
    page.wait_for_function(DONE, timeout=15000)
    page.keyboard.press("ArrowDown")
    first = page.evaluate("document.activeElement.getAttribute('href')")
    page.keyboard.press("ArrowDown")
    second = page.evaluate("document.activeElement.getAttribute('href')")
    assert first and second and first != second
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.id") == "qq-search-input"
    page.keyboard.press("Escape")
    assert not page.evaluate("document.getElementById('qq-search').open")
    # From the header's button, by keyboard.
    page.focus("[data-qq-search-open]")
    page.keyboard.press("Enter")
    page.wait_for_selector("#qq-search[open]")
    page.keyboard.press("ArrowDown")  # the last results are still there
    target = page.evaluate("document.activeElement.getAttribute('href')")
    page.keyboard.press("Enter")
    assert target.startswith("/qinqing/")  # addresses under the folder the site is served from
    page.wait_for_url(lambda url: url.endswith(target))


def test_on_a_phone(browser, server):
    """A tap on the header's button opens the search over the whole screen with the cursor in
    the field (so that the phone shows its keyboard); results are tappable."""
    context = browser.new_context(viewport={"width": 360, "height": 800}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{server}/en/", wait_until="load")
    page.tap("[data-qq-search-open]")
    page.wait_for_selector("#qq-search[open]")
    assert page.evaluate("document.activeElement.id") == "qq-search-input"
    box = page.locator("#qq-search").bounding_box()
    assert box["width"] == 360 and box["x"] == 0
    page.keyboard.type("Keelung")
    page.wait_for_function(DONE, timeout=15000)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.locator(".qq-search__result").first.tap()
    page.wait_for_url("**/en/activities/**")
    context.close()


def test_nothing_of_the_search_loads_until_it_is_opened(page, server):
    """Neither the dialog's script nor Pagefind's files nor the query map are fetched by a page
    load: a reader who never searches downloads none of them."""
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{server}/zh-hant/", wait_until="load")
    page.wait_for_timeout(500)
    assert not [r for r in requests if "/pagefind/" in r or "search-variants" in r or r.endswith("/search.js")]
    open_search(page)
    ask(page, "基隆")
    assert [r for r in requests if r.endswith("/assets/javascripts/search.js")]
    assert [r for r in requests if "/pagefind/pagefind.js" in r]
    assert [r for r in requests if r.endswith("/zh-hant/assets/search-variants.json")]
    # Only this edition's index is read (its files carry its language in their names).
    assert not [r for r in requests if "/pagefind/" in r and ("zh-hans" in r or "/en_" in r or ".en." in r)]


def test_what_is_typed_before_the_script_arrives_is_searched(browser, server):
    """The dialog opens at once; its script is fetched then (here held back until the query is
    typed): the query typed meanwhile stays in the field and is searched when the script runs."""
    context = browser.new_context()
    page = context.new_page()
    held = []
    page.route("**/assets/javascripts/search.js", lambda route: held.append(route))
    page.goto(f"{server}/en/", wait_until="load")
    page.keyboard.press("/")
    page.wait_for_selector("#qq-search[open]")
    page.keyboard.type("Keelung")
    assert len(held) == 1 and page.evaluate("document.querySelector('.qq-search__status').textContent") == ""
    held[0].continue_()
    page.wait_for_function(DONE, timeout=15000)
    assert page.input_value("#qq-search-input") == "Keelung"
    assert "Keelung" in page.locator("#qq-search-results li").first.inner_text()
    context.close()


def test_results_come_five_then_ten_at_a_time(page, server):
    """A query with many results shows five (each needs its page's fragment fetched), then ten
    more at a time on request, the focus on the first of them."""
    page.goto(f"{server}/en/")
    open_search(page)
    ask(page, "Jinan")
    total = int(re.search(r"\d+", page.inner_text(".qq-search__status")).group())
    assert total > 5
    assert page.locator("#qq-search-results li").count() == 5
    page.click("[data-qq-search-more]")
    page.wait_for_function(f"document.querySelectorAll('#qq-search-results li').length === {min(total, 15)}")
    assert page.evaluate("document.activeElement === document.querySelectorAll('#qq-search-results a')[5]")
    assert page.is_visible("[data-qq-search-more]") == (total > 15)
