"""Build benchmark: the full build of every language against the plain-Material limit, as data grows.

    python bench/build.py [--sizes 10,100,1000,5000] [--runs 3] [--search-only] [--out bench/results]
    python bench/build.py --from-json A.json B.json [--out bench/results]   (tables and plot again)

The languages are those of data/languages.yaml (copied beside the synthetic data); nothing here
names one. For each N (number of activities; stations and projects scale along) it generates
valid synthetic data from the real file's shape in a temporary copy of the project (mkdocs.yml,
docs/, hooks/, overrides/ and data/ with the languages table, data/zh-hant/ and data/source/),
then times, alternating:

  (a) `qinqing build` as users run it: every language's project written, then built by the
      engine, one process per language, as many at once as there are cores (the default), and the
      same with --jobs 1 (one language after the other, the one-core path); both include the
      search index (a post-build step);
  (b) the limit: `qinqing render --out --no-tuning` writes one complete project per language
      beforehand (DIR/<code>/mkdocs.yml, docs/, overrides/, and the adapter without the tuning
      layer), each built by plain `mkdocs build` one after the other; its time is the sum.

Output folders are removed before each timed build (outside the timing), so no build pays for
deleting the previous one's files. It reports medians, paired ratios, peak RSS (the largest
single process, from the kernel, and the largest sum over the process tree, sampled), pages,
sizes and search index per language, the generator's own time (parse, validate, render), and the
cost of each converted language (its pages' rendering minus its source language's, the converter's
set-up, its feed, and the search index's Simplified pass), measured in a fresh process each time.
Then the search (Pagefind, a post-build step of `qinqing build`), over the parallel build's site:
the indexing time (`qinqing.search.index` in a fresh process, the median of the runs), the index's
size on disk per edition, and in headless Chromium, per edition, the bytes a reader's first search
downloads (everything fetched from opening the search to the first results, gzip as a static host
serves it, headers included) and the bytes of a second query, with the home page's own weight
(everything its load fetches, before any search). `--search-only` builds once and measures only
the search (and the home page).
It prints Markdown tables and writes results.json, results.md and an SVG plot of time against N.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import NamedTuple

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from qinqing.i18n import languages  # noqa: E402
from qinqing.ingest.loader import load  # noqa: E402
from qinqing.ingest.model import REFERENCES  # noqa: E402
from qinqing.ingest.validation import check_document  # noqa: E402
from qinqing.pages.render import Site, render_pages  # noqa: E402

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": "https://bench.example/", "SOURCE_DATE_EPOCH": "1705017600"}
for _name in ("QINQING_TUNING", "QINQING_ENGINE"):  # the builds as users run them
    ENV.pop(_name, None)


# --- synthetic data ---------------------------------------------------------------------------


def synthetic(n: int) -> dict:
    """The real data with n activities, n/10 stations and n/5 projects, all valid and dated
    over 2000-2024 so that lists split by year as they would in real use."""
    real = load(ROOT / "data" / "initiatives.yaml").data
    data = copy.deepcopy(real)

    def grow(collection: str, count: int, fields: tuple[str, ...]) -> None:
        seeds = real[collection]
        out = []
        for i in range(count):
            record = copy.deepcopy(seeds[i % len(seeds)])
            record["id"] = f"{seeds[i % len(seeds)]['id']}-{i}"
            for field in fields:
                if field in record and isinstance(record[field], dict):
                    record[field] = {"zh": f"{record[field]['zh']}（{i}）", "en": f"{record[field]['en']} ({i})"}
            if collection != "stations":
                year = 2000 + i % 25
                record["date"] = f"{year}-{1 + i % 12:02d}" if i % 3 else f"{year}-{1 + i % 12:02d}-{1 + i % 28:02d}"
                record.pop("milestones", None)
            out.append(record)
        data[collection] = out

    counts = {"activities": n, "stations": max(5, n // 10), "projects": max(5, n // 5)}
    grow("activities", counts["activities"], ("title",))
    grow("stations", counts["stations"], ("name",))
    grow("projects", counts["projects"], ("name",))

    # References to a grown collection (a support case's project, an activity's `after`) point
    # at a copy that exists: within a grown record, the copy of the same round of seeds (so
    # that `after` chains keep their shape), elsewhere the first copy.
    seeds = {c: [r["id"] for r in real[c]] for c in counts}

    def target(ref: str, collection: str, index: int | None) -> str | None:
        ids = seeds[collection]
        if ref not in ids:
            return ref
        j = ids.index(ref)
        k = j if index is None else (index // len(ids)) * len(ids) + j
        k = k if k < counts[collection] else j
        return f"{ref}-{k}" if k < counts[collection] else None

    def fix(node, index: int | None) -> None:
        if isinstance(node, list):
            for item in node:
                fix(item, index)
        elif isinstance(node, dict):
            for key, value in list(node.items()):
                collection = REFERENCES.get(key)
                if collection in counts and isinstance(value, str):
                    new = target(value, collection, index)
                    if new is None:
                        del node[key]
                    else:
                        node[key] = new
                elif collection in counts and isinstance(value, list) and all(isinstance(v, str) for v in value):
                    node[key] = [t for t in (target(v, collection, index) for v in value) if t is not None]
                else:
                    fix(value, index)

    for collection, records in data.items():
        if isinstance(records, list):
            for i, record in enumerate(records):
                fix(record, i if collection in counts else None)
    return data


def make_project(folder: Path, n: int) -> Path:
    """A copy of the project with synthetic data: the base config, docs, hooks, overrides, and
    data/ as it is (the languages table, the phrase and surname lists, the source texts) but for
    the data file itself."""
    shutil.copy2(ROOT / "mkdocs.yml", folder / "mkdocs.yml")
    for name in ("docs", "hooks", "overrides"):
        shutil.copytree(ROOT / name, folder / name)
    shutil.copytree(ROOT / "data", folder / "data", ignore=shutil.ignore_patterns("initiatives.yaml"))
    data_file = folder / "data" / "initiatives.yaml"
    text = yaml.safe_dump(synthetic(n), allow_unicode=True, sort_keys=False, width=1000)
    data_file.write_text(text, encoding="utf-8")
    if not languages.table_path(data_file).is_file():
        raise RuntimeError(f"no languages table beside {data_file}")
    return folder


def table_of(folder: Path) -> languages.Languages:
    return languages.load(folder / "data" / "initiatives.yaml")


def make_limit(folder: Path, table: languages.Languages) -> Path:
    """One complete project per language (`qinqing render --out`), built by plain MkDocs."""
    out = folder / "limit"
    # Without the tuning layer, as the limit was before the projects carried their adapter: the
    # engine's own work on the same pages (the adapter's markup fixes cost next to nothing).
    subprocess.run([sys.executable, "-m", "qinqing.cli", "render", "--out", str(out), "data/initiatives.yaml",
                    "--site-url", ENV["SITE_URL"], "--no-tuning"], check=True, cwd=folder, env=ENV, capture_output=True)
    for row in table:
        if not (out / row.code / "mkdocs.yml").is_file():
            raise RuntimeError(f"qinqing render --out wrote no {out / row.code / 'mkdocs.yml'}")
    return out


# --- measuring --------------------------------------------------------------------------------


class Measure(NamedTuple):
    wall: float  # seconds
    rss: int  # kB, the largest single process of the tree (kernel's ru_maxrss through wait4)
    cpu: float  # seconds, user + system of the whole tree
    tree_rss: int  # kB, the largest sum of RSS over the tree's live processes (sampled)


def _tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
        except OSError:
            pass
    return pids


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class TreeSampler(threading.Thread):
    """The largest sum of RSS over a process tree, read from /proc every 0.2 s."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.done = pid, 0, threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.2):
            self.peak = max(self.peak, sum(_rss_kb(p) for p in _tree(self.pid)))


def timed(args: list[str], cwd: Path, env: dict) -> Measure:
    """Wall time, peak RSS and CPU time of one command. CPU time leaves out time spent waiting
    for a core (on the 2-core sandbox of session 4 it agreed with wall time within 1-2 %: the
    builds are CPU-bound and the contention was for the CPU)."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    sampler = TreeSampler(proc.pid)
    sampler.start()
    # stderr is read by a thread: a chatty build must not block on a full pipe.
    err: list[bytes] = []
    stderr = proc.stderr
    assert stderr is not None  # stderr=PIPE
    reader = threading.Thread(target=lambda: err.append(stderr.read()), daemon=True)
    reader.start()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    sampler.done.set()
    sampler.join()
    reader.join()
    stderr.close()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{b''.join(err).decode(errors='replace')[-3000:]}")
    return Measure(elapsed, usage.ru_maxrss, usage.ru_utime + usage.ru_stime, sampler.peak)


def _fresh(path: Path) -> Path:
    shutil.rmtree(path, ignore_errors=True)
    return path


def full_build(folder: Path, parallel: bool) -> Measure:
    name = "site-par" if parallel else "site-seq"
    _fresh(folder / name)
    return timed([sys.executable, "-m", "qinqing.cli", "build", "--quiet", "--site-dir", name,
                  *(() if parallel else ("--jobs", "1"))], folder, ENV)


def limit_build(folder: Path, table: languages.Languages) -> tuple[Measure, dict[str, float]]:
    """The languages' plain projects built one after the other (the default first, at the root)."""
    out = _fresh(folder / "site-limit")
    each = {}
    for row in table:
        each[row.code] = timed([sys.executable, "-m", "mkdocs", "build", "-q", "-f",
                                str(folder / "limit" / row.code / "mkdocs.yml"), "-d", str(out / row.path)],
                               folder, ENV)
    ms = list(each.values())
    return (Measure(sum(m.wall for m in ms), max(m.rss for m in ms), sum(m.cpu for m in ms),
                    max(m.tree_rss for m in ms)), {k: m.wall for k, m in each.items()})


def generator_time(folder: Path, table: languages.Languages) -> dict[str, float]:
    path = folder / "data" / "initiatives.yaml"
    t0 = time.perf_counter()
    document = load(path)
    t1 = time.perf_counter()
    checked = check_document(document, languages.load(path))
    t2 = time.perf_counter()
    site = Site(checked.data, checked.languages)
    for row in table:
        render_pages(site, row.code)
    t3 = time.perf_counter()
    return {"parse": t1 - t0, "validate": t2 - t1, "render": t3 - t2}


# The cost of the converted languages, in a fresh process (cold caches, as a build starts).
PROBE = r"""
import json, shutil, sys, tempfile, time
from pathlib import Path
from qinqing.i18n import languages
from qinqing.pages import render
from qinqing.pages.site import SiteData
path, limit_site, site_url = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
def clock(f):
    t = time.perf_counter(); f(); return time.perf_counter() - t
site = SiteData.load(path)
data = site.checked.data
table = site.languages
roots = table.roots(site_url)
# Each converter's set-up (OpenCC and the phrase lists), timed on a table of its own: the
# checked data's table has already made its converters while validating the lists.
fresh = languages.load(path)
init = {row.code: clock(lambda: fresh.edition(row.code).converter) for row in fresh if row.converted}
out = {}
site.files(table.default.code, roots[table.default.code])  # the downloads, the same bytes in every language
for row in table:
    if not row.converted:
        continue
    source = next(r for r in table if not r.converted and r.field == row.field)
    # Warm-up: templates compiled, so neither side pays for it; then each side on a fresh
    # render context (nothing escaped yet), as a build renders it.
    render.render_pages(render.Site(data, table), source.code)
    r_source = clock(lambda: render.render_pages(render.Site(data, table), source.code))
    r_conv = clock(lambda: render.render_pages(render.Site(data, table), row.code))
    f_source = clock(lambda: site.files(source.code, roots[source.code]))
    f_conv = clock(lambda: site.files(row.code, roots[row.code]))
    index = 0.0  # the search index is Pagefind's, made once over the whole site (qinqing.search)
    out[row.code] = {"source": source.code, "render_source_s": r_source, "render_s": r_conv,
                     "converter_init_s": init[row.code], "feed_delta_s": f_conv - f_source, "index_simplified_s": index,
                     "total_s": (r_conv - r_source) + init[row.code] + (f_conv - f_source) + index}
print(json.dumps(out))
"""


def conversion_cost(folder: Path) -> dict[str, dict[str, float]]:
    proc = subprocess.run([sys.executable, "-c", PROBE, str(folder / "data" / "initiatives.yaml"),
                           str(folder / "site-limit"), ENV["SITE_URL"]],
                          cwd=folder, env=ENV, capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def validate_time(folder: Path) -> float:
    return timed([sys.executable, "-m", "qinqing.cli", "validate", "data/initiatives.yaml"], folder, ENV).wall


def sizes(site: Path, table: languages.Languages) -> dict:
    """Pages and bytes of each language's part of a built site (the default language's part is
    the site less the other languages' folders and the search bundle)."""
    out: dict = {"pages": {}, "size": {}}
    for row in table:
        root = site / row.path
        others = [site / r.path for r in table if r is not row and r.path and (site / r.path) != root
                  and root in (site / r.path).parents]
        others.append(site / "pagefind")
        files = [p for p in root.rglob("*") if p.is_file() and not any(o in p.parents for o in others)]
        out["pages"][row.code] = sum(1 for p in files if p.name == "index.html")
        out["size"][row.code] = sum(p.stat().st_size for p in files)
    out["largest_page"] = max(p.stat().st_size for p in site.rglob("*.html"))
    return out


# --- search -----------------------------------------------------------------------------------

# One query per edition that the synthetic data answers (its records are copies of the real
# ones), then a second one: the same words as tests/test_search.py.
QUERIES = {"zh": ("基隆", "兰花"), "en": ("Keelung", "orchid"), "zh-hant": ("醫保", "泉城")}
INDEX_PROBE = r"""
import sys
from pathlib import Path
from qinqing.i18n import languages
from qinqing import search
search.index(Path(sys.argv[1]), languages.load(Path(sys.argv[2])))
"""


def index_time(folder: Path, site: Path, runs: int) -> float:
    """Median wall time of the search index over a built site, each run in a fresh process
    (the bundle removed first, outside the timing)."""
    times = []
    for _ in range(max(1, runs)):
        shutil.rmtree(site / "pagefind", ignore_errors=True)
        times.append(timed([sys.executable, "-c", INDEX_PROBE, str(site), str(folder / "data" / "initiatives.yaml")],
                           folder, ENV).wall)
    return statistics.median(times)


def index_sizes(site: Path, table: languages.Languages) -> dict[str, int]:
    """Bytes on disk of each edition's part of the Pagefind bundle (its index chunks, fragments,
    filters, metadata and word-stemming module, named by its `<html lang>`), and of the part
    they share (the loader, the worker, the entry file)."""
    bundle = site / "pagefind"
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    files = [p for p in bundle.rglob("*") if p.is_file()]
    out, owned = {}, set()
    for row in table:
        lang = next((k for k in entry["languages"] if k.lower() == row.tag.lower()), row.tag)
        mine = [p for p in files if p.name.startswith((f"{lang}_", f"pagefind.{lang}_", f"wasm.{lang}."))]
        owned.update(mine)
        out[row.code] = sum(p.stat().st_size for p in mine)
    out["shared"] = sum(p.stat().st_size for p in files if p not in owned)
    return out


DONE = ("document.querySelector('#qq-search-results').getAttribute('aria-busy') === 'false'"
        " && document.querySelector('.qq-search__status').textContent !== ''")


def search_bytes(site: Path, table: languages.Languages) -> dict[str, dict]:
    """Per edition, in headless Chromium over a gzip server: the home page's own weight, then the
    first search's bytes and requests (from opening the dialog to the first results), then a
    second query's. Each edition in a fresh browser context (cold cache)."""
    sys.path.insert(0, str(ROOT / "tests"))
    from playwright.sync_api import sync_playwright

    from conftest import CHROMIUM, serve  # the tests' server: gzip and cache headers as GitHub Pages

    out = {}
    with serve(site, prefix="/bench") as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            for row in table:
                queries = QUERIES.get(row.code)
                if queries is None:
                    continue
                context = browser.new_context()
                page = context.new_page()
                got: list[tuple[str, int]] = []

                def finished(request, got=got) -> None:
                    sizes = request.sizes()
                    got.append((request.url, sizes["responseBodySize"] + sizes["responseHeadersSize"]))

                page.on("requestfinished", finished)
                page.goto(f"{url}/{row.path}", wait_until="networkidle")
                home = sum(size for _, size in got)
                home_requests = len(got)
                got.clear()
                found = []
                figures: list[tuple[int, int]] = []
                for query in queries:
                    if not figures:
                        page.click("[data-qq-search-open]")
                    page.fill("#qq-search-input", query)
                    page.wait_for_function(DONE, timeout=60_000)
                    page.wait_for_load_state("networkidle")
                    found.append(page.locator("#qq-search-results a").count())
                    figures.append((sum(size for _, size in got), len(got)))
                    got.clear()
                context.close()
                if not all(found):
                    raise RuntimeError(f"{row.code}: a benchmark query found nothing ({dict(zip(queries, found))})")
                out[row.code] = {"home": home, "home_requests": home_requests, "queries": list(queries),
                                 "first": figures[0][0], "first_requests": figures[0][1],
                                 "second": figures[1][0], "second_requests": figures[1][1]}
        finally:
            browser.close()
    return out


def search_figures(folder: Path, site: Path, table: languages.Languages, runs: int) -> dict:
    seconds = index_time(folder, site, runs)
    return {"index_s": seconds, "index_bytes": index_sizes(site, table), "browser": search_bytes(site, table)}


def run(n: int, runs: int, search_only: bool = False) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"qinqing-bench-{n}-") as tmp:
        folder = make_project(Path(tmp), n)
        table = table_of(folder)
        if search_only:
            print("  one parallel build…", file=sys.stderr, flush=True)
            build = full_build(folder, parallel=True)
            print("  search…", file=sys.stderr, flush=True)
            figures = search_figures(folder, folder / "site-par", table, runs)
            return {"n": n, "activities": n, "languages": list(table.codes()), "parallel_s": build.wall,
                    "search": figures, **sizes(folder / "site-par", table), "runs": runs,
                    "load_average": os.getloadavg()}
        t = time.perf_counter()
        make_limit(folder, table)
        render_out_s = time.perf_counter() - t
        par, seq, lim, lim_each = [], [], [], []
        for i in range(runs):  # alternate so that machine noise hits all three alike
            print(f"  round {i + 1}/{runs}: parallel…", file=sys.stderr, flush=True)
            par.append(full_build(folder, parallel=True))
            print(f"  round {i + 1}/{runs}: limit…", file=sys.stderr, flush=True)
            m, each = limit_build(folder, table)
            lim.append(m)
            lim_each.append(each)
            print(f"  round {i + 1}/{runs}: sequential…", file=sys.stderr, flush=True)
            seq.append(full_build(folder, parallel=False))
            print(f"  round {i + 1}/{runs}: {par[-1].wall:.1f} / {lim[-1].wall:.1f} / {seq[-1].wall:.1f} s",
                  file=sys.stderr, flush=True)
        gen = [generator_time(folder, table) for _ in range(max(1, runs))]
        conv = [conversion_cost(folder) for _ in range(max(1, runs))]
        built = sizes(folder / "site-par", table)
        print("  search…", file=sys.stderr, flush=True)
        built["search"] = search_figures(folder, folder / "site-par", table, runs)
        limit_pages = sizes(folder / "site-limit", table)["pages"]
        result = {
            "n": n,
            "activities": n,
            "languages": list(table.codes()),
            "parallel_s": statistics.median(m.wall for m in par),
            "sequential_s": statistics.median(m.wall for m in seq),
            "limit_s": statistics.median(m.wall for m in lim),
            "limit_by_language_s": {c: statistics.median(e[c] for e in lim_each) for c in table.codes()},
            "render_out_s": render_out_s,
            "rss_parallel_mb": max(m.rss for m in par) / 1024,
            "rss_sequential_mb": max(m.rss for m in seq) / 1024,
            "rss_limit_mb": max(m.rss for m in lim) / 1024,
            "rss_tree_parallel_mb": max(m.tree_rss for m in par) / 1024,
            "rss_tree_sequential_mb": max(m.tree_rss for m in seq) / 1024,
            "validate_s": statistics.median(validate_time(folder) for _ in range(3)),
            **{f"gen_{k}_s": statistics.median(g[k] for g in gen) for k in gen[0]},
            "conversion": {c: {k: (statistics.median(x[c][k] for x in conv) if k != "source" else conv[0][c][k])
                               for k in conv[0][c]} for c in conv[0]},
            **built,
            "pages_limit": limit_pages,
        }
        conv_total = sum(v["total_s"] for v in result["conversion"].values())
        result["conversion_s"] = conv_total
        result["conversion_fraction_parallel"] = conv_total / result["parallel_s"]
        result["conversion_fraction_sequential"] = conv_total / result["sequential_s"]
        # Ratios are paired per round (the three builds of a round ran back to back, so they
        # met the same machine noise), then the median is taken; the minimum of each series is
        # reported too, the figure least touched by other tenants of a shared machine.
        result["ratio_sequential"] = statistics.median(s.wall / l.wall for s, l in zip(seq, lim))
        result["ratio_parallel"] = statistics.median(p.wall / l.wall for p, l in zip(par, lim))
        result["ratio_sequential_min"] = min(m.wall for m in seq) / min(m.wall for m in lim)
        result["ratio_parallel_min"] = min(m.wall for m in par) / min(m.wall for m in lim)
        result["ratio_sequential_cpu"] = statistics.median(s.cpu / l.cpu for s, l in zip(seq, lim))
        result["ratio_parallel_cpu"] = statistics.median(p.cpu / l.cpu for p, l in zip(par, lim))
        result["runs"] = runs
        # Every round as measured (parallel, limit, sequential: wall seconds, then the same three
        # builds' CPU seconds), for a reader to judge the noise.
        result["rounds"] = [[round(v, 2) for v in (p.wall, l.wall, s.wall, p.cpu, l.cpu, s.cpu)]
                            for p, l, s in zip(par, lim, seq)]
        result["load_average"] = os.getloadavg()
        return result


# --- reporting --------------------------------------------------------------------------------


def _per(values: dict, fmt) -> str:
    return "/".join(fmt(v) for v in values.values())


def table(results: list[dict]) -> str:
    codes = results[0]["languages"] if results else []
    names = "/".join(codes)
    head = ("| N | full, parallel (s) | full, sequential (s) | limit, sum (s) | par/limit (paired; min; CPU) | "
            "seq/limit (paired; min; CPU) | conversion cost (s; % of par; % of seq) | "
            "peak RSS, largest process par / seq / limit (MB) | peak RSS, tree par / seq (MB) | "
            f"pages {names} | site {names} (MB) | "
            "largest page (KB) | generator parse / validate / render (s) | `qinqing validate` (s) |")
    rows = [head, "|" + "|".join(["---"] * (head.count("|") - 1)) + "|"]
    for r in results:
        rows.append(
            f"| {r['n']} | {r['parallel_s']:.2f} | {r['sequential_s']:.2f} | {r['limit_s']:.2f} | "
            f"{r['ratio_parallel']:.3f}; {r['ratio_parallel_min']:.3f}; {r['ratio_parallel_cpu']:.3f} | "
            f"{r['ratio_sequential']:.3f}; {r['ratio_sequential_min']:.3f}; {r['ratio_sequential_cpu']:.3f} | "
            f"{r['conversion_s']:.2f}; {100 * r['conversion_fraction_parallel']:.1f} %; "
            f"{100 * r['conversion_fraction_sequential']:.1f} % | "
            f"{r['rss_parallel_mb']:.0f} / {r['rss_sequential_mb']:.0f} / {r['rss_limit_mb']:.0f} | "
            f"{r['rss_tree_parallel_mb']:.0f} / {r['rss_tree_sequential_mb']:.0f} | "
            f"{_per(r['pages'], str)} | {_per(r['size'], lambda v: f'{v / 1e6:.1f}')} | {r['largest_page'] / 1024:.0f} | "
            f"{r['gen_parse_s']:.2f} / {r['gen_validate_s']:.2f} / {r['gen_render_s']:.2f} | {r['validate_s']:.2f} |")
    return "\n".join(rows)


def search_table(results: list[dict]) -> str:
    """The search figures: per edition, first search and second query (KB as served, requests),
    index on disk (KB), home page weight (KiB gzip); the indexing time and its share of the
    full build (which includes it)."""
    rows = ["| N | edition | queries | first search (KB; requests) | second query (KB; requests) | "
            "index on disk (KB; shared KB) | home page (KiB; requests) | indexing (s) | indexing, % of build |",
            "|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        s = r.get("search")
        if not s:
            continue
        share = 100 * s["index_s"] / r["parallel_s"]  # the build includes the indexing
        for code, b in s["browser"].items():
            rows.append(f"| {r['n']} | {code} | {' then '.join(b['queries'])} | {b['first'] / 1000:.1f}; "
                        f"{b['first_requests']} | {b['second'] / 1000:.1f}; {b['second_requests']} | "
                        f"{s['index_bytes'][code] / 1000:.0f}; {s['index_bytes']['shared'] / 1000:.0f} | "
                        f"{b['home'] / 1024:.1f}; {b['home_requests']} | {s['index_s']:.1f} | {share:.1f} % |")
    return "\n".join(rows)


def detail(results: list[dict]) -> str:
    """Per-language limit times and the parts of the conversion cost."""
    rows = ["| N | limit per language (s) | converted language: render source / converted (s) | "
            "converter set-up (s) | feed Δ (s) | search index Simplified pass (s) | rounds par, limit, seq (s) |",
            "|---|---|---|---|---|---|---|"]
    for r in results:
        lim = ", ".join(f"{c} {v:.2f}" for c, v in r["limit_by_language_s"].items())
        for code, c in r["conversion"].items():
            rounds = "; ".join(", ".join(f"{v:.1f}" for v in x[:3]) for x in r["rounds"])
            rows.append(f"| {r['n']} | {lim} | {code} from {c['source']}: {c['render_source_s']:.2f} / "
                        f"{c['render_s']:.2f} | {c['converter_init_s']:.2f} | {c['feed_delta_s']:.2f} | "
                        f"{c['index_simplified_s']:.2f} | {rounds} |")
    return "\n".join(rows)


def plot(results: list[dict]) -> str:
    """Time against N on log-log axes, one line per way of building."""
    import math

    w, h, left, bottom, top, right = 640, 400, 60, 50, 20, 150
    xs = [math.log10(r["n"]) for r in results]
    series = [("parallel_s", "full, parallel", "#a31515"), ("sequential_s", "full, sequential", "#1565c0"),
              ("limit_s", "limit (plain projects)", "#2e7d32")]
    ys_all = [r[k] for r in results for k, _, _ in series]
    y0, y1 = math.log10(min(ys_all)) - 0.1, math.log10(max(ys_all)) + 0.1
    x0, x1 = min(xs) - 0.1, max(xs) + 0.1

    def px(x: float) -> float:
        return left + (x - x0) / (x1 - x0) * (w - left - right)

    def py(y: float) -> float:
        return h - bottom - (math.log10(y) - y0) / (y1 - y0) * (h - top - bottom)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" font-family="sans-serif" font-size="12">',
             '<title>Build time against number of activities</title>',
             f'<rect width="{w}" height="{h}" fill="#fff"/>',
             f'<line x1="{left}" y1="{h - bottom}" x2="{w - right}" y2="{h - bottom}" stroke="#333"/>',
             f'<line x1="{left}" y1="{top}" x2="{left}" y2="{h - bottom}" stroke="#333"/>']
    for r, x in zip(results, xs):
        parts.append(f'<text x="{px(x):.0f}" y="{h - bottom + 18}" text-anchor="middle">{r["n"]}</text>')
    for tick in (0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500):
        if 10 ** y0 <= tick <= 10 ** y1:
            parts.append(f'<text x="{left - 6}" y="{py(tick) + 4:.0f}" text-anchor="end">{tick:g}</text>')
            parts.append(f'<line x1="{left}" y1="{py(tick):.0f}" x2="{w - right}" y2="{py(tick):.0f}" stroke="#ddd"/>')
    parts.append(f'<text x="{(left + w - right) / 2}" y="{h - 10}" text-anchor="middle">activities (N)</text>')
    parts.append(f'<text x="14" y="{(top + h - bottom) / 2}" transform="rotate(-90 14 {(top + h - bottom) / 2})" '
                 'text-anchor="middle">seconds (median)</text>')
    for i, (key, label, colour) in enumerate(series):
        points = " ".join(f"{px(x):.1f},{py(r[key]):.1f}" for r, x in zip(results, xs))
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{points}"/>')
        parts.append(f'<text x="{w - right + 10}" y="{top + 20 + i * 18}" fill="{colour}">{label}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()} {platform.release()}"


def provenance() -> dict:
    """The commit measured, and the files of the working tree that differ from it (outside
    bench/): the builds run the working tree's hooks and package, committed or not."""
    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout.rstrip("\n")
        except (OSError, subprocess.CalledProcessError):
            return ""
    changed = [line[3:] for line in git("status", "--porcelain").splitlines() if not line[3:].startswith("bench/")]
    return {"commit": git("rev-parse", "--short", "HEAD").strip(), "uncommitted": changed}


def report(results: list[dict], note: str = "") -> str:
    source = "; ".join(sorted({f"N = {r['n']}: commit `{r['commit']}`"
                               + (f" with uncommitted {', '.join(r['uncommitted'])}" if r.get("uncommitted") else "")
                               for r in results if r.get("commit")}))
    full = [r for r in results if "ratio_parallel" in r]
    parts = [table(full), detail(full)] if full else []
    if any(r.get("search") for r in results):
        parts.append(search_table(results))
    return f"Machine: {machine()}\n\n{source + chr(10) + chr(10) if source else ''}{note}" + "\n\n".join(parts) + "\n"



def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10,100,1000,5000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument("--search-only", action="store_true",
                        help="one build per N, then only the search figures and the home page's weight")
    parser.add_argument("--from-json", type=Path, nargs="+", metavar="JSON",
                        help="write the tables and plot again from earlier results.json files, in order")
    args = parser.parse_args()
    results = []
    if args.from_json:
        for path in args.from_json:
            results.extend(json.loads(path.read_text(encoding="utf-8"))["results"])
        results.sort(key=lambda r: r["n"])
    else:
        for n in (int(x) for x in args.sizes.split(",")):
            runs = args.runs if n <= 1000 else max(1, args.runs - 1)
            print(f"N={n}: {runs} run(s)…", file=sys.stderr, flush=True)
            results.append({**run(n, runs, args.search_only), **provenance()})
            print(report(results[-1:]), file=sys.stderr, flush=True)
    args.out.mkdir(parents=True, exist_ok=True)
    text = report(results)
    (args.out / "results.md").write_text(text, encoding="utf-8")
    (args.out / "results.json").write_text(json.dumps({"machine": machine(), "results": results}, indent=2),
                                           encoding="utf-8")
    if all("limit_s" in r for r in results):
        (args.out / "build-time.svg").write_text(plot(results), encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
