"""Shared fixtures: the repository, a real bilingual build in a temporary folder, a local server."""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import io
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "initiatives.yaml"


def build_site(project: Path, out: Path, *, strict: bool = True, env: dict | None = None,
               engine: str = "mkdocs", jobs: int | None = None) -> subprocess.CompletedProcess:
    """Build `project` with `qinqing build` (every language, then the post-build steps) and
    move the site to `out`, replacing it only when the build succeeded. `qinqing build` writes
    only inside its project, so the repository itself is built from a copy beside `out`."""
    if project.resolve() == ROOT:
        project = copy_project(out.parent / f".{out.name}-project")
    args = [sys.executable, "-m", "qinqing.cli", "build", "--project", str(project), "--engine", engine, "--quiet",
            "--site-dir", "site"]
    if strict:
        args.append("--strict")
    if jobs is not None:
        args += ["--jobs", str(jobs)]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    result = subprocess.run(args, cwd=project, capture_output=True, text=True, timeout=600, env=env)
    if result.returncode == 0:
        if out.exists():
            shutil.rmtree(out)
        (project / "site").rename(out)
    return result


def copy_project(dest: Path) -> Path:
    """A private copy of the project (configs, docs, data, hooks, overrides) to build with other data."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("mkdocs.yml",):
        shutil.copy2(ROOT / name, dest / name)
    for name in ("docs", "data", "hooks", "overrides"):
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"), dirs_exist_ok=True)
    return dest


# Fixtures that build a site or a project: a test using one is in the build lane (marker
# `build`); tests that build by themselves carry the marker. The rest is the unit lane:
# `pytest -m "not build and not browser and not quality"`, no engine run.
BUILDING_FIXTURES = {"site", "untuned_site", "server", "projects", "forked", "hostile_site", "two_sources"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if BUILDING_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.build)
    # With QINQING_TUNING=0 the session's site is built without the tuning layer (the build
    # inherits the environment): its own tests have nothing to test there. Every other test
    # must pass on that site too (./dev test runs the browser and checker tests on it).
    if os.environ.get("QINQING_TUNING") == "0":
        skip = pytest.mark.skip(reason="QINQING_TUNING=0: the tuning layer is off")
        for item in items:
            if "tuning" in item.keywords:
                item.add_marker(skip)


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The real site, built once per session into its own folder."""
    out = tmp_path_factory.mktemp("site") / "site"
    # Two languages at once, whatever the machine's cores (one at a time is compared with this
    # site in test_build).
    result = build_site(ROOT, out, env={"SITE_URL": "https://example.test/qinqing/"}, jobs=2)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.fixture(scope="session")
def untuned_site(tmp_path_factory) -> Path:
    """The real site built without the Material tuning layer (QINQING_TUNING=0): the theme's
    own stylesheets and scripts, its whitespace, no deferred script (the markup fixes of
    hooks/qinqing_markup.py still apply). It must be as correct, only heavier."""
    out = tmp_path_factory.mktemp("untuned") / "site"
    result = build_site(ROOT, out, env={"SITE_URL": "https://example.test/qinqing/", "QINQING_TUNING": "0"})
    assert result.returncode == 0, result.stdout + result.stderr
    return out


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    prefix = ""

    def log_message(self, *args):  # keep test output readable
        pass

    def end_headers(self):
        # Assets are cached as a static host caches them (GitHub Pages: ten minutes), so that
        # the theme's script, prefetched during the load, comes from the cache when the
        # reader's first interaction starts it. Pages are not, so that a test that loads a
        # page again gets it from this server again.
        if not self.path.split("?", 1)[0].endswith(("/", ".html")):
            self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def send_head(self):
        # Compress text as a static host (GitHub Pages) does, so page weight and Lighthouse
        # timings are those a reader gets.
        path = self.translate_path(self.path.split("?", 1)[0].split("#", 1)[0])
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        compressible = path.endswith((".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".csv"))
        if not compressible or "gzip" not in self.headers.get("Accept-Encoding", "") or not os.path.isfile(path):
            return super().send_head()
        if os.path.isdir(self.translate_path(self.path.split("?", 1)[0])) and not self.path.split("?", 1)[0].endswith("/"):
            return super().send_head()  # let the base class redirect to the trailing slash
        body = gzip.compress(Path(path).read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def translate_path(self, path):
        # Serve the site under its deployed sub-path, as GitHub Pages does for a project site.
        if self.prefix and not path.startswith(self.prefix + "/"):
            return "/nonexistent"
        return super().translate_path(path[len(self.prefix):])


@contextlib.contextmanager
def serve(folder: Path, prefix: str = "", handler: type = None):
    """Serve `folder` on a free loopback port under `prefix` (with `handler`, a subclass of
    the quiet gzip handler, if given); yields its base URL."""
    handler_class = type("Handler", (handler or QuietHandler,), {"prefix": prefix})
    handler = functools.partial(handler_class, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}{prefix}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="session")
def server(site):
    """The real site served on a free loopback port; yields its base URL."""
    with serve(site, prefix="/qinqing") as url:
        yield url


CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (no browser download is used)")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield b
        b.close()


# True once the theme's script runs (it defines window.component$ when it starts).
THEME_RUNNING = "typeof window.component$ !== 'undefined'"


def start_theme_script(page) -> None:
    """Make the reader's first interaction, which starts the theme's script (a press of Shift,
    which does nothing else), and return once the script runs."""
    page.keyboard.press("Shift")
    page.wait_for_function(THEME_RUNNING)


@pytest.fixture
def page(browser):
    context = browser.new_context()
    pg = context.new_page()
    yield pg
    context.close()
