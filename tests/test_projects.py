"""`qinqing render --out DIR` writes one complete project per language, DIR/<code>/ (config,
docs, overrides), that plain MkDocs and ProperDocs (the maintained fork) build with no hook
and no tuning layer; compared with the main build page by page."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DATA, ROOT
from qinqing import languages

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
        config = (folder / "mkdocs.yml").read_text(encoding="utf-8")
        assert "hooks" not in config and "INHERIT" not in config


@pytest.mark.parametrize("lang", TABLE.codes())
def test_plain_mkdocs_builds_each_language_as_the_main_build_does(projects, site, lang):
    row = TABLE.get(lang)
    built = build(projects / lang, "mkdocs")
    assert pages_of(built, TABLE.default) == pages_of(site, row)
    for rel in SAMPLE:
        main = (site / row.path / rel / "index.html").read_text(encoding="utf-8")
        plain = (built / rel / "index.html").read_text(encoding="utf-8")
        assert f'<html lang="{row.tag}"' in plain
        assert article_text(plain) == article_text(main), (lang, rel)
        assert hreflang(plain) == hreflang(main), (lang, rel)
        # The navigation's tabs, and the site's stylesheet linked (the tuning layer inlines it).
        assert plain.count('class="md-tabs__item') == main.count('class="md-tabs__item') > 3
        assert re.search(r'<link rel="stylesheet" href="[./]*assets/stylesheets/qinqing.css"', plain)


def test_properdocs_builds_a_project_as_the_main_build_does(projects, site):
    row = TABLE.get("en")
    built = build(projects / "en", "properdocs")
    assert pages_of(built, TABLE.default) == pages_of(site, row)
    for rel in SAMPLE:
        main = (site / row.path / rel / "index.html").read_text(encoding="utf-8")
        fork = (built / rel / "index.html").read_text(encoding="utf-8")
        assert article_text(fork) == article_text(main), rel
        assert hreflang(fork) == hreflang(main), rel
        assert fork.count('class="md-tabs__item') == main.count('class="md-tabs__item')


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
