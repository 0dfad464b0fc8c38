"""MkDocs adapter: hands the generated pages to MkDocs, one language per build.

All the work (load, validate, render, each language's settings) is in the `qinqing` package,
which imports nothing from MkDocs. This file only:

- validates the data in `on_config`, before MkDocs cleans `site/`, so bad data stops the
  build with the editor's error list and leaves the previous site as it was;
- applies the language's row of the languages table (`data/languages.yaml`) to the config;
- adds the language's pages as in-memory files in `on_files`;
- when building the default language (`mkdocs.yml`), has every other language built too
  (qinqing_builds.py: a process each, at once when there are cores for it), so one
  `mkdocs build` gives the whole site;
- fixes the theme's markup the checkers reject (qinqing_markup.py), and hands on the
  Material tuning layer's events (qinqing_theme.py), on unless QINQING_TUNING=0;
- watches `data/` in `mkdocs serve`, and there indexes the site for search once every
  language is built (`qinqing build` does it as a post-build step: qinqing.build).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

from qinqing import languages, project
from qinqing.build import post_build
from qinqing.errors import DataError, render_message
from qinqing.languages import unknown_themes
from qinqing.site import SiteData, return_free_memory
from qinqing.validation import icons_in

# Beside this file (MkDocs puts the hook's folder on sys.path while loading it).
import qinqing_builds
import qinqing_markup
import qinqing_theme

log = qinqing_builds.log
_state: dict = {"command": "build", "data": None}
_others = qinqing_builds.OtherLanguages()
# The tuning layer's events, as this hook's own (each does nothing when it is switched off).
_tuning = qinqing_theme.Tuning()
on_pre_build, on_page_content = _tuning.on_pre_build, _tuning.on_page_content
on_post_page, on_post_template = _tuning.on_post_page, _tuning.on_post_template


def on_startup(command: str, dirty: bool) -> None:
    _state["command"] = command


@event_priority(50)  # before other plugins': they read the language's settings
def on_config(config):
    settings = config.extra.get("qinqing", {})
    # A generated config (another language's) names the project's folder; mkdocs.yml is in it.
    root = Path(settings.get("root") or Path(config.config_file_path).resolve().parent)
    data_path = root / settings.get("data", "data/initiatives.yaml")
    _state.pop("error", None)
    try:
        table = languages.use(data_path)
        theme_languages(config, table)
    except DataError as exc:  # the languages table: located errors, before site/ is touched
        return _stop(config, render_message("build_data_errors", {}) + "\n" + exc.report())
    lang = settings.get("lang") or table.default.code
    if lang == table.default.code and not qinqing_builds.is_child():
        # Started before the data is checked: children's start-up overlaps the check. `serve`
        # starts them at once on one core too, as it rebuilds without ever shutting down.
        others = [row.code for row in table if row.code != lang]
        _others.start(config, root, others, qinqing_builds.parallel() or _state["command"] == "serve")
    try:
        return _configure(config, lang, root, data_path)
    except BaseException:  # bad data, or anything else: no other language goes on without us
        _others.stop()
        raise


def _stop(config, message: str):
    """Bad input: the build stops with the located errors. Under `serve` (not a child build)
    the preview shows them instead, on every address, until the file is fixed: a browser
    waiting on a build that never comes looks like a hang."""
    if _state["command"] != "serve" or qinqing_builds.is_child():
        raise PluginError(message)
    _others.stop()
    log.error(message)
    _state["error"] = message
    _tuning.on = False
    config.extra["qinqing_error"] = message.splitlines()
    config["nav"] = None
    config.theme.static_templates.clear()  # the theme's 404 and sitemap need the valid data's values
    return config


def theme_languages(config, table) -> None:
    """A `theme` of the languages table that the theme has no strings for is a located error
    of the table (MkDocs would stop on it only after cleaning site/)."""
    folders = [Path(d) / "partials" / "languages" for d in config.theme.dirs]
    issues = unknown_themes(table, lambda code: any((f / f"{code}.html").is_file() for f in folders))
    if issues:
        raise DataError(languages.table_file(table.data_file), issues)


def _configure(config, lang: str, root: Path, data_path: Path):
    site = SiteData.cached(data_path)
    site.check_icons(icons_in([Path(d) / ".icons" for d in config.theme.dirs]))
    if site.error is not None:
        if os.environ.get("GITHUB_ACTIONS") and not qinqing_builds.is_child():
            print(site.error_annotations(), file=sys.stderr)
        return _stop(config, render_message("build_data_errors", {}) + "\n" + site.error_report())
    # Pending translations are fine in a preview or a pull request; QINQING_STRICT (set by the
    # deploy workflow) turns them into warnings, which `--strict` makes fatal.
    report = qinqing_builds.log.warning if os.environ.get("QINQING_STRICT") else qinqing_builds.log.info
    for warning in site.warnings_report():
        report(warning)
    _state["data"] = site
    _others.send(site)
    # Sitemap dates and gzip headers come from the data, not the clock (reproducible builds).
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(site.epoch()))

    extra = project.apply(config, lang, config.site_url or "")
    if lang != languages.active().default.code and config.site_url:
        config.site_url = extra["roots"][lang]
    _tuning.configure(config, root, project.SITE_CSS)
    return config


def on_files(files: Files, config) -> Files:
    if "error" in _state:
        page = File.generated(config, "index.md", content="---\ntemplate: qinqing-error.html\n---\n")
        return Files([page])
    lang = config.extra["qinqing"]["lang"]
    for path, markdown in _state["data"].pages(lang).items():
        existing = files.get_file_from_path(path)
        if existing is not None:
            files.remove(existing)
        files.append(File.generated(config, path, content=markdown))
    for path, content in _state["data"].files(lang, config.extra["qinqing"]["roots"][lang]).items():
        files.append(File.generated(config, path, content=content))
    if _state["command"] != "serve":
        _state["data"].release()  # MkDocs now holds every page: the generator's copy goes
    return files


def on_page_read_source(page, config) -> str | None:
    """A generated page's Markdown, handed over rather than copied: MkDocs keeps the page's
    own copy (about 14 MB per language at 5000 activities)."""
    if page.file.generated_by is None or _state["command"] == "serve":
        return None
    source, page.file.content_string = page.file.content_string, ""
    return source


def on_env(env, config, files):
    if "error" in _state:
        return env
    qinqing_markup.fix_sources(env)  # valid, accessible markup: part of the site, tuned or not
    return _tuning.on_env(env, config, files)


def on_nav(nav, config, files):
    if "error" in _state:
        return nav
    # For the theme's templates (partials/toc.html as qinqing_markup fixes it): the nav's pages.
    config.extra["qinqing"]["nav_urls"] = frozenset(page.url for page in nav.pages)
    return nav


def on_post_build(config) -> None:
    if "error" in _state:  # every address shows the errors (the server serves 404.html)
        site = Path(config.site_dir)
        (site / "404.html").write_bytes((site / "index.html").read_bytes())
        return
    _tuning.finish_site(config)
    _others.ready = True
    _fail_if(_others.collect(config.site_dir))
    if _state["command"] == "serve" and not qinqing_builds.is_child():
        # The preview searches too: the index over every language, once they are all in.
        root = config.extra["qinqing"].get("root") or Path(config.config_file_path).resolve().parent
        data = Path(root) / config.extra["qinqing"].get("data", "data/initiatives.yaml")
        if not post_build(Path(config.site_dir), data, quiet=True):
            log.error(render_message("build_search_failed", {}))


def _fail_if(failed: list[str]) -> None:
    if failed:
        raise PluginError(render_message("build_language_failed", {}) + "\n" + "\n".join(failed))


def on_build_error(error: Exception) -> None:
    _others.stop()


def on_shutdown() -> None:
    try:
        if _state["data"] is not None and _state["command"] != "serve":
            return_free_memory()  # before the languages built after this one, if any
    finally:
        _fail_if(_others.finish())


def on_serve(server, config, builder):
    root = config.extra["qinqing"].get("root") or Path(config.config_file_path).resolve().parent
    server.watch(str(Path(root) / "data"))
    return server
