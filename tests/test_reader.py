"""The site as a reader meets it, in a real headless Chromium: a 360-px phone and a 1280-px
desktop, every edition, both palettes. Layout (no sideways overflow, no text under 12 px,
tables that fit), the home page's first phone screen, the keyboard's focus, print."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from conftest import start_theme_script

pytestmark = pytest.mark.browser

EDITIONS = ("", "en/", "zh-hant/")
WIDTHS = ((360, 800), (1280, 800))
SCHEMES = ("light", "dark")


def page_paths(site) -> list[str]:
    """Every page of the site, as a path under the server's root (the 404 page aside)."""
    return sorted(p.relative_to(site).as_posix().removesuffix("index.html")
                  for p in site.rglob("index.html") if "pagefind" not in p.parts and "assets" not in p.parts)


# Measured in the page: sideways overflow of the page, visible text smaller than 12 px, and
# tables that neither fit their column nor sit in a scroll container.
LAYOUT = """() => {
  const out = {overflow: document.documentElement.scrollWidth - window.innerWidth, small: [], tables: []};
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.trim() || !el || !el.checkVisibility({visibilityProperty: true, opacityProperty: true})) continue;
    if (el.closest("script, style, template, dialog:not([open]), .md-sidebar--primary, [hidden]")) continue;
    const rect = el.getBoundingClientRect();
    if (rect.width < 2 || rect.height < 2) continue;  // visually hidden (screen-reader) text
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < 12) out.small.push(`${size}px: ${node.textContent.trim().slice(0, 40)}`);
  }
  for (const table of document.querySelectorAll(".md-content table")) {
    const column = document.querySelector(".md-content__inner").getBoundingClientRect();
    const box = table.getBoundingClientRect();
    if (box.right <= column.right + 1 && box.left >= column.left - 1) continue;
    let scroller = table.parentElement;
    while (scroller && !["auto", "scroll"].includes(getComputedStyle(scroller).overflowX)) scroller = scroller.parentElement;
    const cue = scroller && getComputedStyle(scroller).backgroundImage !== "none";
    if (!cue) out.tables.push(table.rows[0] ? table.rows[0].innerText.slice(0, 40) : "table");
  }
  return out;
}"""


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width, height", WIDTHS)
@pytest.mark.parametrize("edition", EDITIONS)
def test_every_page_fits_the_screen_with_readable_text(browser, server, site, edition, width, height, scheme):
    context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme)
    page = context.new_page()
    problems = []
    paths = [p for p in page_paths(site) if p.startswith(edition) and not any(
        p.startswith(other) for other in EDITIONS if other and other != edition and other.startswith(edition))]
    assert len(paths) > 20
    for path in paths:
        page.goto(f"{server}/{path}", wait_until="load")
        found = page.evaluate(LAYOUT)
        if found["overflow"] > 0:
            problems.append(f"{path}: {found['overflow']} px wider than the screen")
        problems += [f"{path}: text at {s}" for s in found["small"][:3]]
        problems += [f"{path}: table cut off without a scroll cue: {t}" for t in found["tables"]]
    context.close()
    assert problems == []


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("edition", EDITIONS)
def test_the_first_phone_screen_holds_the_three_pillars(browser, server, edition, scheme):
    context = browser.new_context(viewport={"width": 360, "height": 800}, color_scheme=scheme)
    page = context.new_page()
    page.goto(f"{server}/{edition}", wait_until="load")
    links = page.locator(".qq-hero .qq-pillar-links a")
    assert links.count() == 3
    for link in links.all():
        box = link.bounding_box()
        assert box and box["y"] + box["height"] <= 800 and box["height"] >= 44  # a whole tap target on screen
        link_url = link.get_attribute("href")
        assert re.search(r"pillars/(culture|service|investment)/$", link_url)
    context.close()


# Tab from the top of the page: for each stop, whether it is seen and whether its look changes.
FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return "end";
  // A visually hidden radio button (the palette toggle, the timeline filter) shows focus on its label.
  const shown = el.matches("input[type=radio]") && el.nextElementSibling && el.nextElementSibling.tagName === "LABEL"
    ? el.nextElementSibling : el;
  const style = getComputedStyle(shown);
  const rect = shown.getBoundingClientRect();
  const drawer = document.getElementById("__drawer");
  return {
    what: (el.tagName + " " + (el.getAttribute("href") || el.id || el.className || "")).slice(0, 60),
    visible: shown.checkVisibility({visibilityProperty: true, opacityProperty: true}) && rect.width > 0 && rect.height > 0,
    in_closed_drawer: !!(el.closest(".md-sidebar--primary") && drawer && !drawer.checked
                         && window.matchMedia("(max-width: 76.2344em)").matches),
    ring: (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 1) || style.boxShadow !== "none",
  };
}"""


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width, height", WIDTHS)
@pytest.mark.parametrize("path", ["", "en/activities/shanghai-new-year-visit/", "zh-hant/timeline/"])
def test_every_tab_stop_is_visible_and_shows_focus(browser, server, path, width, height, scheme):
    context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme)
    page = context.new_page()
    page.goto(f"{server}/{path}", wait_until="load")
    # Each stop is read at once: with the theme's transitions (the skip link's fade-in) over.
    page.add_style_tag(content="*, *::before, *::after { transition: none !important; animation: none !important; }")
    problems, stops = [], 0
    for _ in range(45):  # the first 45 stops, or all of a short page's
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS)
        if state == "end":
            break
        stops += 1
        if not state["visible"]:
            problems.append(f"invisible: {state['what']}")
        if state["in_closed_drawer"]:
            problems.append(f"in the closed menu: {state['what']}")
        if not state["ring"]:
            problems.append(f"no focus indicator: {state['what']}")
    context.close()
    assert stops > 10 and problems == []


def test_the_palette_choice_holds_in_every_edition(browser, server):
    context = browser.new_context(color_scheme="light")
    page = context.new_page()
    page.goto(f"{server}/", wait_until="load")
    page.locator("#__palette_form label:visible").click()
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
    for edition in ("en/", "zh-hant/"):
        page.goto(f"{server}/{edition}", wait_until="domcontentloaded")
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
    context.close()


@pytest.mark.parametrize("edition, current", [("", "zh-Hans"), ("en/", "en"), ("zh-hant/", "zh-Hant")])
def test_the_language_switcher_is_visible_text(browser, server, edition, current):
    context = browser.new_context(viewport={"width": 360, "height": 800})
    page = context.new_page()
    page.goto(f"{server}/{edition}figures/", wait_until="load")
    links = page.locator(".qq-langs a")
    assert [link.inner_text() for link in links.all()] == ["简", "EN", "繁"]
    assert all(link.is_visible() for link in links.all())
    marked = page.locator(".qq-langs a[aria-current]")
    assert marked.count() == 1 and marked.get_attribute("hreflang") == current
    context.close()


def test_printing_the_home_page_keeps_every_figure_card_on_one_page(browser, server, tmp_path):
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext is missing: apt-get install poppler-utils (./dev test does)")
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{server}/en/", wait_until="load")
    cards = page.evaluate("[...document.querySelectorAll('.qq-figures > li')].map(li => "
                          "[li.querySelector('.qq-figure__value').innerText, li.querySelector('.qq-figure__label').innerText])")
    pdf = tmp_path / "home.pdf"
    page.pdf(path=str(pdf), format="A4")
    context.close()
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    # Compared without white space: the PDF's lines break where the page's do not.
    pages = ["".join(p.split()) for p in text.split("\f")]
    assert len(cards) >= 3 and len(pages) >= 2
    for value, label in cards:
        assert any("".join(value.split()) in p and "".join(label.split()) in p for p in pages), (value, label)
    # The print line: its parts set apart as in the tab title (an en dash in English).
    assert "Jinan’sFamilyTiesApproach–https://" in pages[0] and "/en/–Informationasat" in pages[0]

@pytest.mark.parametrize("started", [False, True], ids=["first-key", "script-running"])
@pytest.mark.parametrize("width", [360, 1024])
def test_the_menu_opens_from_the_keyboard(browser, server, width, started):
    """Below the desktop layout the navigation is in a drawer: its button is a tab stop, Enter
    opens it and its links then take the focus; closed, it holds none."""
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(f"{server}/en/figures/", wait_until="load")
    page.add_style_tag(content="*, *::before, *::after { transition: none !important; }")
    # Enter may be the page's first key (it starts the theme's script, which is handed the key
    # again) or come once the script runs (which would also click a focused label on Enter).
    if started:
        start_theme_script(page)
    button = page.locator("label[for=__drawer][tabindex]").first
    assert button.inner_text().strip() == "Open the menu"  # its name, for screen readers only
    button.focus()
    assert page.evaluate("document.activeElement.getAttribute('for')") == "__drawer"
    page.keyboard.press("Enter")
    assert page.evaluate("document.getElementById('__drawer').checked")
    reached = set()
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('.md-sidebar--primary')"):
            reached.add(page.evaluate("document.activeElement.getAttribute('href')"))
    assert len(reached) >= 5  # the navigation's links
    context.close()
