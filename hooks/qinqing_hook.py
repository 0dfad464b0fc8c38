"""MkDocs adapter: the thin layer MkDocs (or ProperDocs) loads to build one language's project.

`qinqing build` (and `qinqing render --out`) writes one complete project per language, whose
mkdocs.yml names a copy of this file and of its two neighbours: the pages, the navigation and
every value the templates read are already in the project. This file only:

- fixes the theme's markup the checkers reject (qinqing_markup.py): part of the site;
- dates the build from the data (`extra.qinqing.epoch` as SOURCE_DATE_EPOCH: the sitemap's
  dates and the gzip headers), so the project builds to the same bytes on any day;
- notes the nav's pages for the table of contents' title (partials/toc.html as fixed);
- hands on the Material tuning layer's events (qinqing_theme.py), when the project's
  `extra.qinqing.tuning` is on.

The project's own base config (mkdocs.yml at the top of the repository) names this file too,
but is no language's project: a build of it stops before MkDocs cleans anything, and says to
run `qinqing build`.
"""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from qinqing.errors import render_message

# Beside this file (MkDocs puts the hook's folder on sys.path while loading it).
import qinqing_markup
import qinqing_theme

# One build per process: MkDocs loads the hook for a build, and `qinqing build` runs one
# engine process per language.
_tuning = qinqing_theme.Tuning()
on_post_page, on_post_template = _tuning.on_post_page, _tuning.on_post_template


def on_page_content(html, page, config, files):
    html = qinqing_markup.label_cells(html)  # phone tables as cards: part of the site, tuned or not
    return _tuning.on_page_content(html, page, config, files)


@event_priority(50)  # before other plugins': they read the language's settings
def on_config(config):
    settings = config.extra.get("qinqing") or {}
    if "lang" not in settings:
        raise PluginError(render_message("build_base_config", {}))
    if settings.get("epoch"):
        os.environ.setdefault("SOURCE_DATE_EPOCH", str(settings["epoch"]))
    _tuning.configure(config, Path(config.config_file_path).resolve().parent, bool(settings.get("tuning", True)))
    return config


def on_pre_build(config) -> None:
    _tuning.on_pre_build(config)


def on_env(env, config, files):
    qinqing_markup.fix_sources(env)  # valid, accessible markup: part of the site, tuned or not
    return _tuning.on_env(env, config, files)


def on_nav(nav, config, files):
    # For the theme's templates (partials/toc.html as qinqing_markup fixes it): the nav's pages.
    config.extra["qinqing"]["nav_urls"] = frozenset(page.url for page in nav.pages)
    return nav


def on_post_build(config) -> None:
    _tuning.finish_site(config)
