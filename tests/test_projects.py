"""`qinqing render --out DIR` writes one complete project per language, DIR/<code>/ (config,
docs, overrides, and the thin adapter in hooks/), exactly what `qinqing build` builds: plain
MkDocs on a project gives the very pages of the main build, and so does ProperDocs (the
maintained fork). The main build's pages are checked by the Nu Html Checker and axe in
test_quality; the fork's output is checked here too."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from qinqing.i18n import languages

from conftest import DATA, ROOT

TABLE = languages.load(DATA)
SITE_URL = "https://example.test/qinqing/"
SAMPLE = ["", "activities/shanghai-new-year-visit", "pillars/culture", "stations/spring-city-home",
          "projects", "figures", "about"]
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


@pytest.fixture(scope="module")
def projects(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("projects") / "out"
    result = subprocess.run([sys.executable, "-m", "qinqing.cli", "render", "--out", str(out),
                             "--site-url", SITE_URL], cwd=ROOT, capture_output=True, text=True, env=ENV)
    assert result.returncode == 0, result.stderr
    return out


def build(project: Path, engine: str) -> Path:
    site = project / f"site-{engine}"
    result = subprocess.run([sys.executable, "-m", engine, "build", "--strict", "-q", "-f",
                             str(project / "mkdocs.yml"), "-d", str(site)],
                            cwd=project, capture_output=True, text=True, env=ENV, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return site


def pages_of(site: Path, row) -> set[str]:
    """A language's pages in a built folder (the default language's without the others')."""
    base = site / row.path
    others = [site / r.path for r in TABLE if r.path and r is not row]
    return {p.parent.relative_to(base).as_posix() for p in base.rglob("index.html")
            if not any(o in p.parents for o in others)}


def article_text(html: str) -> str:
    article = re.search(r"<article[^>]*>(.*?)</article>", html, re.S).group(1)
    article = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", article, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", article).split())


def hreflang(html: str) -> dict[str, str]:
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)"', html))


def test_each_project_is_complete(projects):
    for row in TABLE:
        folder = projects / row.code
        assert (folder / "mkdocs.yml").is_file() and (folder / "docs" / "index.md").is_file()
        assert (folder / "overrides" / "main.html").is_file()
        assert (folder / "docs" / "assets" / "stylesheets" / "qinqing.css").is_file()
        assert sorted(p.name for p in (folder / "hooks").iterdir()) == ["qinqing_hook.py", "qinqing_markup.py",
                                                                        "qinqing_theme.py"]
        config = (folder / "mkdocs.yml").read_text(encoding="utf-8")
        assert "INHERIT" not in config and "hooks/qinqing_hook.py" in config
        # Nothing in it names the folder it was written from: it builds wherever it is moved.
        assert str(ROOT) not in config and str(projects) not in config


def files_of(site: Path, row) -> dict[str, bytes]:
    """A language's built files (the default language's without the others' folders, nor what
    the post-build steps add: the search bundle and the query map)."""
    base = site / row.path
    others = [site / r.path for r in TABLE if r.path and r is not row] + [site / "pagefind"]
    return {p.relative_to(base).as_posix(): p.read_bytes() for p in base.rglob("*")
            if p.is_file() and not any(o in p.parents for o in others) and p.name != "search-variants.json"}


@pytest.mark.parametrize("lang", TABLE.codes())
def test_plain_mkdocs_on_a_project_gives_the_main_builds_pages(projects, site, lang):
    row = TABLE.get(lang)
    built = build(projects / lang, "mkdocs")
    main, plain = files_of(site, row), files_of(built, TABLE.default)
    assert sorted(plain) == sorted(main)
    assert [rel for rel in main if plain[rel] != main[rel]] == []
    assert f'<html lang="{row.tag}"'.encode() in plain["index.html"]


@pytest.fixture(scope="module")
def forked(projects) -> dict[str, Path]:
    return {row.code: build(projects / row.code, "properdocs") for row in TABLE}


def test_properdocs_builds_each_project_as_the_main_build_does(forked, site):
    for row in TABLE:
        built = forked[row.code]
        assert pages_of(built, TABLE.default) == pages_of(site, row)
        for rel in SAMPLE:
            main = (site / row.path / rel / "index.html").read_text(encoding="utf-8")
            fork = (built / rel / "index.html").read_text(encoding="utf-8")
            assert article_text(fork) == article_text(main), (row.code, rel)
            assert hreflang(fork) == hreflang(main), (row.code, rel)
            assert fork.count('class="md-tabs__item') == main.count('class="md-tabs__item') > 3


@pytest.mark.quality
def test_properdocs_pages_pass_the_nu_html_checker(forked):
    from test_quality import VNU, need

    need(VNU)
    java = shutil.which("java")
    assert java, "a Java runtime is needed for the Nu Html Checker (apt-get install default-jre-headless)"
    pages = [str(p) for built in forked.values() for p in sorted(built.rglob("*.html"))]
    result = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--format", "json", *pages],
                            capture_output=True, text=True, timeout=600)
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    errors = [f"{m['url']}:{m.get('lastLine')}: {m['message']}" for m in messages if m["type"] == "error"]
    assert len(pages) > 60
    assert errors == [], "\n".join(errors[:20])


def test_without_the_tuning_layer_the_site_is_the_same_to_read(site, untuned_site):
    """QINQING_TUNING=0: the same pages in every language, the same text, links and hreflang;
    only the stylesheets and scripts differ (the theme's own, the site's linked)."""
    for row in TABLE:
        assert pages_of(untuned_site, row) == pages_of(site, row)
        for rel in SAMPLE:
            tuned = (site / row.path / rel / "index.html").read_text(encoding="utf-8")
            plain = (untuned_site / row.path / rel / "index.html").read_text(encoding="utf-8")
            assert article_text(plain) == article_text(tuned), (row.code, rel)
            assert hreflang(plain) == hreflang(tuned), (row.code, rel)
            assert "<style>" not in plain and re.search(r'href="[./]*assets/stylesheets/qinqing.css"', plain)
