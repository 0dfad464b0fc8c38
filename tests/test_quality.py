"""Readers' quality bar, measured by real checkers over the real build.

- Nu Html Checker (npm vnu-jar, system Java): zero errors on every page.
- axe-core (WCAG 2.1 A and AA) in Chromium: zero violations on every page, both languages,
  light and dark palettes; every request recorded: zero third-party requests.
- Lighthouse on a fixed sample, phone and desktop: accessibility, best practices and SEO 100,
  no layout shift, bytes and requests within budget on every run; performance >= 95 and
  FCP/LCP within Lighthouse's "good" limits on the median of three runs, as Lighthouse CI
  judges (every run's figures printed). Home page weight within the stock theme's.
- The pruned theme stylesheet and each page's cut of the inlined one change no computed
  style of any element.
- Collapsed indentation changes no element's box and no text.
- Own link checker: every internal link and anchor resolves (Chinese anchors included).
The npm tools live in quality/ (package.json + lock, `npm ci --ignore-scripts`).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

import pytest

from qinqing.i18n import languages

from conftest import CHROMIUM, DATA, ROOT, QuietHandler, serve, start_theme_script

TOOLS = ROOT / "quality" / "node_modules"
AXE = TOOLS / "axe-core" / "axe.min.js"
VNU = TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"
LIGHTHOUSE = TOOLS / ".bin" / "lighthouse"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Stock mkdocs-material home page (`mkdocs new`, `font: false`), counted the way the weight test
# below counts: 73,274 bytes gzipped on 9.8.1; 73,277 on the pinned 9.8.2 (measured again
# 2026-12-06), of which 445 are its one-page search index. (site-audit, which adds response
# headers and leaves out the search worker, gave 74.8 KiB.)
STOCK_HOME_GZIP_BYTES = 73_277
STOCK_SEARCH_INDEX_GZIP_BYTES = 445


def need(path: Path) -> None:
    if not path.exists():
        pytest.fail(f"{path} is missing: run `npm ci --ignore-scripts` in quality/ (./dev test does)")


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def url_of(site: Path, path: Path, server: str) -> str:
    rel = path.relative_to(site).as_posix()
    return f"{server}/{rel.removesuffix('index.html')}"


# --- Nu Html Checker -------------------------------------------------------------------------


@pytest.mark.quality
def test_nu_html_checker_finds_no_errors(site):
    need(VNU)
    java = shutil.which("java")
    assert java, "a Java runtime is needed for the Nu Html Checker (apt-get install default-jre-headless)"
    pages = [str(p) for p in html_pages(site)]
    result = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--format", "json", *pages],
                            capture_output=True, text=True, timeout=600)
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    errors = [f"{m['url'].rsplit('/site/', 1)[-1]}:{m.get('lastLine')}: {m['message']}" for m in messages
              if m["type"] == "error"]
    assert len(pages) > 60
    assert errors == [], "\n".join(errors[:20])


# --- links and anchors -----------------------------------------------------------------------


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.refs: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and a.get("name"):
            self.ids.add(a["name"])
        for attr in ("href", "src"):
            if a.get(attr) and not (tag == "link" and a.get("rel") in ("canonical", "alternate")):
                self.refs.append((tag, a[attr]))


@pytest.mark.build
@pytest.mark.parametrize("built", ["site", "untuned_site"])
def test_every_internal_link_and_anchor_resolves(request, built):
    site = request.getfixturevalue(built)
    parsed = {}
    for path in html_pages(site):
        p = _Links()
        p.feed(path.read_text(encoding="utf-8"))
        parsed[path] = p
    broken = []
    checked_anchors = 0
    for path, p in parsed.items():
        if path.name == "404.html":
            continue  # its links are absolute paths from the site root, checked below
        for _tag, ref in p.refs:
            if ref.startswith(("http://", "https://", "mailto:", "data:", "javascript:", "//")):
                continue
            target, fragment = urldefrag(urljoin(path.as_uri(), ref))
            file = Path(unquote(urlsplit(target).path))
            if file.is_dir() or target.endswith("/"):
                file = file / "index.html"
            if not file.exists():
                broken.append(f"{path.relative_to(site)}: {ref}")
                continue
            if fragment and file.suffix == ".html":
                checked_anchors += 1
                if unquote(fragment) not in parsed[file].ids:
                    broken.append(f"{path.relative_to(site)}: {ref} (no such anchor)")
    assert broken == [], "\n".join(broken[:20])
    assert checked_anchors > 50
    # Chinese heading anchors are kept (not reduced to _1, _2).
    assert any("\u4e00" <= ch <= "\u9fff" for i in parsed[site / "about" / "index.html"].ids for ch in i)


# --- axe-core and third-party requests -------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_and_third_party_on_every_page(browser, site, server, scheme):
    need(AXE)
    axe_source = AXE.read_text(encoding="utf-8")
    origin = server
    violations, third_party = [], []
    context = browser.new_context(color_scheme=scheme)

    def route(r):
        url = r.request.url
        if url.startswith(origin) or url.startswith(("data:", "blob:")):
            r.continue_()
        else:
            third_party.append(url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    pages = html_pages(site)
    for path in pages:
        url = url_of(site, path, server)
        page.goto(url, wait_until="load")
        expected = "slate" if scheme == "dark" else "default"
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == expected, url
        page.evaluate(axe_source)
        # As the page loads, then once the reader's first interaction has started the theme's
        # script (which changes the page: the header's title, the table of contents, search).
        for state in ("", " (theme script running)"):
            if state:
                start_theme_script(page)
                page.wait_for_timeout(100)
            result = page.evaluate(
                "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
                WCAG)
            for v in result["violations"]:
                targets = [", ".join(n["target"]) for n in v["nodes"][:3]]
                violations.append(f"{url}{state} [{v['impact']}] {v['id']}: {v['help']} → {targets}")
    context.close()
    assert third_party == [], third_party[:10]
    assert violations == [], "\n".join(violations[:25])


# --- Pruned stylesheets ---------------------------------------------------------------------
# The build drops the rules of Material's stylesheet that no page can match, then the custom
# properties nothing reads any more, and cuts each page's inlined stylesheet to the rules its
# classes can match (qinqing.engines.stylesheet, hooks/qinqing_theme.py). Proof that readers see no
# difference: every computed style of every element and of its ::before/::after, with the
# theme's full stylesheet and the full inlined one, and with what the build wrote, on a sample
# of pages, light and dark, desktop and phone, and with the search open on results.

STYLE_SAMPLE = ["", "en/activities/shanghai-new-year-visit/", "projects/", "en/timeline/", "figures/",
                "pillars/service/", "404.html"]

_STYLES = """dropped => {
  const skip = new Set(dropped);
  const hash = s => { let h = 2166136261; for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 16777619); } return (h >>> 0).toString(16); };
  const text = (el, pseudo) => { const cs = getComputedStyle(el, pseudo); const parts = [];
    for (let i = 0; i < cs.length; i++) if (!skip.has(cs[i])) parts.push(cs[i] + ':' + cs.getPropertyValue(cs[i]));
    return parts.sort().join(';'); };  // custom properties enumerate in declaration order
  return Array.from(document.querySelectorAll('*'), el => {
    const label = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
    return [label, hash(text(el, null) + '|' + text(el, '::before') + '|' + text(el, '::after'))];
  });
}"""


def _full_stylesheets(site: Path) -> tuple[str, str, dict[str, str]]:
    """The theme's main stylesheet as shipped, and each language's inlined stylesheet before
    any page's cut, as the build makes it from the config."""
    import material
    from mkdocs.config import load_config

    sys.path.insert(0, str(ROOT / "hooks"))
    import qinqing_theme

    built = next((site / "assets" / "stylesheets").glob("main.*.min.css"))
    # The inlined stylesheet comes from the shared config (palette, features), the same in
    # every language.
    css = qinqing_theme.stylesheets(load_config(str(ROOT / "mkdocs.yml")), ROOT)["inline_css"]
    inline = {row.path: css for row in languages.load(DATA)}
    return built.name, (Path(material.__file__).parent / "templates" / "assets" / "stylesheets" / built.name).read_text(encoding="utf-8"), inline


def _with_inline(inline: dict[str, str]):
    """Serve each page with the full inlined stylesheet in place of its cut."""
    def handle(route):
        response = route.fetch()
        html = response.text()
        css = next(inline[p] for p in sorted(inline, key=len, reverse=True) if f"/{p}" in route.request.url)
        html = re.sub(r"<style>.*?</style>", lambda _: f"<style>{css}</style>", html, count=1, flags=re.S)
        route.fulfill(status=200, body=html, content_type="text/html; charset=utf-8")
    return handle


def _styles_of(browser, server: str, scheme: str, viewport: dict, dropped: list[str],
               full: tuple[str, dict[str, str]] | None) -> dict:
    context = browser.new_context(color_scheme=scheme, viewport=viewport, reduced_motion="reduce")
    if full is not None:
        main, inline = full
        context.route("**/assets/stylesheets/main.*.min.css",
                      lambda r: r.fulfill(status=200, body=main, content_type="text/css"))
        context.route(lambda url: url.endswith(("/", ".html")), _with_inline(inline))
    page = context.new_page()
    seen = {}
    for rel in STYLE_SAMPLE:
        page.goto(f"{server}/{rel}", wait_until="load")
        page.wait_for_timeout(300)
        seen[rel] = page.evaluate(_STYLES, dropped)
        # Once the reader's first interaction has started the theme's script.
        start_theme_script(page)
        page.wait_for_timeout(300)
        seen[rel + " (theme script running)"] = page.evaluate(_STYLES, dropped)
    # Search open on results, drawn by the site's search script (classes no page's markup has).
    page.goto(f"{server}/", wait_until="load")
    start_theme_script(page)
    page.click("[data-qq-search-open]")
    page.fill("#qq-search-input", "济南")
    page.wait_for_selector(".qq-search__result mark")
    page.wait_for_timeout(500)
    seen["search"] = page.evaluate(_STYLES, dropped)
    context.close()
    return seen


def _declared(css: str) -> set[str]:
    return set(re.findall(r"[{;]\s*(--[\w-]+)\s*:", css))


DESKTOP, PHONE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}


@pytest.mark.tuning
@pytest.mark.browser
@pytest.mark.parametrize("scheme, viewport", [("light", DESKTOP), ("dark", DESKTOP), ("light", PHONE)],
                         ids=["desktop-light", "desktop-dark", "phone-light"])
def test_pruned_stylesheets_change_nothing_a_reader_sees(browser, site, server, scheme, viewport):
    name, full, inline = _full_stylesheets(site)
    pruned = (site / "assets" / "stylesheets" / name).read_text(encoding="utf-8")
    assert len(pruned) < 0.75 * len(full)  # the pruning did happen
    home = (site / "index.html").read_text(encoding="utf-8")
    assert len(re.search(r"<style>(.*?)</style>", home, re.S).group(1)) < 0.9 * len(inline[""])  # so did the cut
    # Custom properties the build dropped: no script names them and no stylesheet left reads
    # them; they are left out of the comparison (every element would list them otherwise).
    dropped = sorted(_declared(full) - _declared(pruned))
    assert "--md-code-hl-color" in dropped  # this site has no highlighted code
    scripts = " ".join(p.read_text(encoding="utf-8") for p in (site / "assets" / "javascripts").rglob("*.js"))
    readers = pruned + "".join(inline.values())
    assert not [p for p in dropped if p in scripts or f"var({p}" in readers]
    with_full = _styles_of(browser, server, scheme, viewport, dropped, (full, inline))
    with_pruned = _styles_of(browser, server, scheme, viewport, dropped, None)
    differences = []
    for state, elements in with_full.items():
        assert len(elements) > 50, state
        other = with_pruned[state]
        assert [label for label, _ in elements] == [label for label, _ in other], state
        differences += [f"{state}: {label}" for (label, a), (_, b) in zip(elements, other) if a != b]
    assert differences == [], "\n".join(differences[:20])


# --- Lighthouse ------------------------------------------------------------------------------
# A fixed sample (both home pages, list and detail pages of each language), on Lighthouse's
# default mobile profile (simulated slow 4G, 4x CPU) and on its desktop profile.

SAMPLE = ["", "en/", "activities/", "en/stations/", "projects/rural-revitalisation-tourism/",
          "en/activities/shanghai-new-year-visit/", "en/timeline/", "figures/"]
DESKTOP_SAMPLE = ["", "en/", "en/activities/shanghai-new-year-visit/", "figures/"]


def run_lighthouse(url: str, out: Path, profile: Path, *extra: str) -> dict:
    result = subprocess.run(
        [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
         "--only-categories=performance,accessibility,best-practices,seo", *extra,
         "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run "
         f"--disable-background-networking --disable-component-update --disable-sync --user-data-dir={profile}"],
        capture_output=True, text=True, timeout=180, env={**os.environ, "CHROME_PATH": CHROMIUM},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(out.read_text(encoding="utf-8"))


def scores(report: dict) -> dict[str, int]:
    return {k: round(v["score"] * 100) for k, v in report["categories"].items()}


def failing(report: dict) -> list[str]:
    return [f"{a['id']}: {a.get('displayValue') or a['title']}" for a in report["audits"].values()
            if a.get("score") is not None and a["score"] < 1 and a.get("scoreDisplayMode") in ("binary", "numeric")]


def assert_no_layout_shift(report: dict) -> None:
    # Lighthouse shows CLS to three decimals; on a loaded machine a shift of a few
    # ten-thousandths (a sub-pixel move) has been seen once, which it displays as 0.
    cls = report["audits"]["cumulative-layout-shift"]["numericValue"]
    assert cls < 0.001, cls


@pytest.fixture(scope="module")
def lighthouse(site, server, tmp_path_factory):
    need(LIGHTHOUSE)
    folder = tmp_path_factory.mktemp("lighthouse")
    cache = {}

    def report(rel: str, preset: str, run: int = 0) -> dict:
        if (rel, preset, run) not in cache:
            name = (rel.replace("/", "_") or "home") + f"-{preset}-{run}"
            extra = ("--preset=desktop",) if preset == "desktop" else ()
            cache[(rel, preset, run)] = run_lighthouse(f"{server}/{rel}", folder / f"{name}.json",
                                                       tmp_path_factory.mktemp("profile"), *extra)
        return cache[(rel, preset, run)]

    return report


# How Lighthouse is judged. What does not depend on the machine's load is asserted on every
# run: accessibility, best practices and SEO 100, no layout shift, the bytes and the requests
# of the page within budget. Performance (a score made of timings) moves with the load, so it
# is judged as Lighthouse CI judges it: the median of RUNS runs against a threshold. Every
# run's figures are printed (shown with -rP, or on failure).
RUNS = int(os.environ.get("QINQING_LIGHTHOUSE_RUNS", "3"))
PERFORMANCE_MIN = 95
# Timings of the median run, in ms: Lighthouse's "good" limits on a phone (slow 4G, 4x CPU)
# and on a desktop.
TIMINGS = {"mobile": {"first-contentful-paint": 1800, "largest-contentful-paint": 2500},
           "desktop": {"first-contentful-paint": 900, "largest-contentful-paint": 1200}}
# Everything a page downloads while it loads (its transfer size, compressed) and how many
# requests: about 55 KB and 8 requests now (the theme's script and the search come later).
BYTES_BUDGET = 80_000
REQUESTS_BUDGET = 12


def figures(report: dict) -> dict[str, float]:
    audits = report["audits"]
    out = {"performance": scores(report)["performance"]}
    for audit in ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time"):
        out[audit] = round(audits[audit]["numericValue"])
    out["cls"] = round(audits["cumulative-layout-shift"]["numericValue"], 4)
    out["bytes"] = round(audits["total-byte-weight"]["numericValue"])
    out["requests"] = len(audits["network-requests"]["details"]["items"])
    return out


def judge_lighthouse(rel: str, preset: str, reports: list[dict]) -> None:
    runs = [figures(r) for r in reports]
    for i, run in enumerate(runs, 1):
        print(f"lighthouse {preset} /{rel} run {i}/{len(runs)}: perf {run['performance']} "
              f"FCP {run['first-contentful-paint']} ms, LCP {run['largest-contentful-paint']} ms, "
              f"TBT {run['total-blocking-time']} ms, CLS {run['cls']}, {run['bytes']} B, {run['requests']} requests")
    # Deterministic: on every run.
    for report, run in zip(reports, runs):
        got = scores(report)
        assert {k: got[k] for k in ("accessibility", "best-practices", "seo")} == \
            {"accessibility": 100, "best-practices": 100, "seo": 100}, failing(report)
        assert_no_layout_shift(report)
        assert run["bytes"] <= BYTES_BUDGET and run["requests"] <= REQUESTS_BUDGET, runs
    # Timings: the median of the runs. What is left of Total Blocking Time on a phone is the
    # page's first layout, 0-86 ms over 72 runs here (100 holds up to about 95 ms); the
    # theme's script, which cost 100-200 ms of it, runs only at the reader's first
    # interaction, which Lighthouse does not make.
    median = statistics.median
    assert median(r["performance"] for r in runs) >= PERFORMANCE_MIN, (runs, failing(reports[0]))
    for audit, limit in TIMINGS[preset].items():
        assert median(r[audit] for r in runs) <= limit, (audit, runs)


@pytest.mark.tuning
@pytest.mark.browser
@pytest.mark.parametrize("rel", SAMPLE)
def test_lighthouse_on_a_phone(lighthouse, rel):
    judge_lighthouse(rel, "mobile", [lighthouse(rel, "mobile", run) for run in range(RUNS)])


@pytest.mark.tuning
@pytest.mark.browser
@pytest.mark.parametrize("rel", DESKTOP_SAMPLE)
def test_lighthouse_on_a_desktop(lighthouse, rel):
    # A shift of 0.005 seen in some runs was the scrollbar appearing mid-load (see
    # test_nothing_moves_while_a_page_loads_slowly); every run is judged for shifts.
    judge_lighthouse(rel, "desktop", [lighthouse(rel, "desktop", run) for run in range(RUNS)])


_RENDER_BLOCK = b' blocking="render"'


class _SlowHandler(QuietHandler):
    """A slow network: a page comes in parts 0.4 s apart (its header; its content up to the
    second row of its first table, when it has one; the rest), so that the browser can paint
    each part; the theme's script comes 0.6 s after it is asked for, so that the whole page
    can be painted before it starts. With `render_blocking` off, the page's render-blocking
    mark is taken out, as browsers that do not know it (Firefox, Safari) ignore it, and its
    tables come whole."""

    render_blocking = True

    def do_GET(self):
        path = Path(self.translate_path(self.path.split("?", 1)[0]))
        if path.is_dir():
            path = path / "index.html"
        if path.name.startswith("bundle.") and path.suffix == ".js":
            time.sleep(0.6)
        if path.suffix != ".html":
            return super().do_GET()
        body = path.read_bytes()
        assert body.count(_RENDER_BLOCK) == 1, path
        if not self.render_blocking:
            body = body.replace(_RENDER_BLOCK, b"")
        main = body.index(b"<main")
        cuts = [0, main]
        if self.render_blocking and b"<tbody>" in body:
            cuts.append(body.index(b"</tr>", body.index(b"</tr>", body.index(b"<tbody>")) + 5))
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        for start, end in zip(cuts, cuts[1:] + [len(body)]):
            self.wfile.write(body[start:end])
            self.wfile.flush()
            if end < len(body):
                time.sleep(0.4)


# Each layout shift the page sees: its score, and what moved from where to where.
_RECORD_SHIFTS = """window.__shifts = [];
new PerformanceObserver(list => list.getEntries().forEach(e => window.__shifts.push([e.value, e.startTime,
  e.sources.map(s => [s.node ? (s.node.nodeType === 3 ? "text in " + s.node.parentElement.className
                                                      : s.node.className || s.node.nodeName) : "?",
                      s.previousRect.toJSON(), s.currentRect.toJSON()])])))
  .observe({type: "layout-shift", buffered: true});"""


@pytest.mark.tuning
@pytest.mark.browser
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("render_blocking", [True, False], ids=["chromium", "no-render-blocking"])
def test_nothing_moves_while_a_page_loads_slowly(browser, site, viewport, render_blocking):
    """Three shifts a slow network showed. The scrollbar appeared when the rest of a long page
    arrived: every centred column moved 7.5 px sideways. The theme's script wrapped tables
    when it started: what follows a table moved 8 px down. A table painted before its last
    rows arrived widened its columns when they did. The first two are fixed for every
    browser; the third by holding the first paint until the page is parsed, which only
    browsers that know render-blocking do: without it, a page is sent without the table cut.
    Playwright hides scrollbars by default; this browser shows them, as a reader's desktop
    browser does."""
    handler = type("Handler", (_SlowHandler,), {"render_blocking": render_blocking})
    shifts = {}
    with serve(site, handler=handler) as base:
        with contextlib.closing(browser.browser_type.launch(
                executable_path=CHROMIUM, headless=True, args=["--no-sandbox"],
                ignore_default_args=["--hide-scrollbars"])) as scrolling:
            context = scrolling.new_context(viewport=viewport)
            context.add_init_script(_RECORD_SHIFTS)
            page = context.new_page()
            # Pages longer than the window, with tables near the top among them. All three
            # shifts above happened on every load; a page is loaded again when it shifted, and
            # fails when it shifts again (a text node on the Chinese home page moved once, by
            # 0.0002, in about forty loads, and never again).
            for rel in ["", "en/", "figures/", "en/activities/", "timeline/", "en/stations/", "projects/"]:
                for _ in range(2):
                    page.goto(f"{base}/{rel}", wait_until="load")
                    start_theme_script(page)
                    page.wait_for_timeout(300)
                    assert page.evaluate("document.documentElement.scrollHeight > innerHeight"), rel
                    shifts.setdefault(rel, []).append(page.evaluate("window.__shifts"))
                    if not shifts[rel][-1]:
                        break
    assert {rel: loads for rel, loads in shifts.items() if all(loads)} == {}


@pytest.mark.tuning
def test_home_page_weighs_no_more_than_the_stock_theme(site):
    """Gzipped weight of everything a first visit to a home page downloads, as a static host
    sends it: the HTML with its inline CSS, the stylesheet, scripts and icons it links. The
    stock site's figure includes its search worker and one-page index, which the theme's
    script fetches once it runs; this site's search loads nothing until a reader opens it
    (Pagefind's files and index chunks: bench/build.py reports a first search's bytes), so
    the comparison leaves the stock index out and keeps its worker in, in the stock's favour."""
    import gzip

    for row in languages.load(DATA):
        home = site / row.path / "index.html"
        html = home.read_text(encoding="utf-8")
        refs = [r for r in re.findall(r'(?:href|src)="([^"]+\.(?:css|js|svg))"', html) if "://" not in r]
        files = {(home.parent / r.split("?")[0]).resolve() for r in refs}
        weights = {f.name: len(gzip.compress(f.read_bytes())) for f in files}
        total = len(gzip.compress(html.encode("utf-8"))) + sum(weights.values())
        assert total <= STOCK_HOME_GZIP_BYTES - STOCK_SEARCH_INDEX_GZIP_BYTES, (home, total, weights)
        assert not [name for name in weights if "pagefind" in name or "search_index" in name], weights


# --- Collapsed indentation -------------------------------------------------------------------
# The build collapses each whitespace run that holds a line break to the line break alone, in
# the theme's templates as they load (hooks/qinqing_theme.py). Proof that readers see no
# difference: the same pages with every line break given back an indentation lay out to the
# same boxes and the same text.

_BOXES = """() => [document.body.innerText, Array.from(document.querySelectorAll('body *'), el => {
  const r = el.getBoundingClientRect();
  return el.tagName + ':' + [r.x, r.y, r.width, r.height].map(v => v.toFixed(1)).join(',');
})]"""


def _fulfil_with(body: str):
    return lambda route: route.fulfill(status=200, body=body, content_type="text/html")


@pytest.mark.tuning
@pytest.mark.browser
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_collapsed_indentation_changes_nothing_a_reader_sees(browser, site, server, viewport):
    collapsed_somewhere = False
    for rel in STYLE_SAMPLE:
        path = site / (rel + "index.html" if not rel.endswith(".html") else rel)
        html = path.read_text(encoding="utf-8")
        collapsed_somewhere |= re.search(r"\n[ \t]+<", html) is None
        indented = html.replace("\n", "\n      ")
        seen = []
        for body in (None, indented):
            context = browser.new_context(viewport=viewport, reduced_motion="reduce")
            if body is not None:
                context.route(f"{server}/{rel}", _fulfil_with(body))
            page = context.new_page()
            page.goto(f"{server}/{rel}", wait_until="load")
            page.wait_for_timeout(300)
            seen.append(page.evaluate(_BOXES))
            context.close()
        assert seen[0][0] == seen[1][0], rel
        assert seen[0][1] == seen[1][1], rel
    assert collapsed_somewhere
