"""MkDocs adapter: hands the generated pages to MkDocs, one language per build.

All the work (load, validate, render, each language's settings) is in the `qinqing` package,
which imports nothing from MkDocs. This file only:

- validates the data in `on_config`, before MkDocs cleans `site/`, so bad data stops the
  build with the editor's error list and leaves the previous site as it was;
- applies the language's row of the languages table (`data/languages.yaml`) to the config;
- adds the language's pages as in-memory files in `on_files`;
- when building the default language (`mkdocs.yml`), has every other language built too
  (qinqing_builds.py, over the available cores), so one `mkdocs build` gives the whole site;
- switches the Material tuning layer (qinqing_theme.py) on or off (QINQING_TUNING=0);
- watches `data/` in `mkdocs serve`.
"""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from qinqing import languages, project, searchindex, segmenter
from qinqing.render import navigation
from qinqing.site import SiteData
from qinqing.stylesheet import classes_in_html
from qinqing.validation import icons_in

# Beside this file (MkDocs puts the hook's folder on sys.path while loading it).
import qinqing_builds
import qinqing_theme

_state: dict = {"command": "build", "data": None, "tuned": True, "classes": set()}
_others = qinqing_builds.OtherLanguages()


def on_startup(command: str, dirty: bool) -> None:
    _state["command"] = command
    segmenter.quiet()


def on_config(config):
    settings = config.extra.get("qinqing", {})
    # A generated config (another language's) names the project's folder; mkdocs.yml is in it.
    root = Path(settings.get("root") or Path(config.config_file_path).resolve().parent)
    data_path = root / settings.get("data", "data/initiatives.yaml")
    table = languages.use(data_path)
    lang = settings.get("lang") or table.default.code
    if lang == table.default.code and not qinqing_builds.is_child():
        # Started before the data is checked: children's start-up overlaps the check; `serve`
        # always uses children, as it rebuilds without ever shutting down.
        others = [row.code for row in table if row.code != lang]
        _others.start(config, root, others, qinqing_builds.parallel() or _state["command"] == "serve")
    else:
        segmenter.load()  # while the first process checks the data (it reads it next)
    try:
        return _configure(config, lang, root, data_path)
    except BaseException:  # bad data, or anything else: no other language goes on without us
        _others.stop()
        raise


def _configure(config, lang: str, root: Path, data_path: Path):
    site = SiteData.cached(data_path)
    site.check_icons(icons_in([Path(d) / ".icons" for d in config.theme.dirs]))
    if site.error is not None:
        if os.environ.get("GITHUB_ACTIONS") and not qinqing_builds.is_child():
            print(site.error_annotations(), file=sys.stderr)
        raise PluginError("数据文件有误，未构建网站 / The data file has errors; nothing was built:\n"
                          + site.error_report())
    # Pending translations are fine in a preview or a pull request; QINQING_STRICT (set by the
    # deploy workflow) turns them into warnings, which `--strict` makes fatal.
    for warning in site.warnings_report():
        qinqing_builds.log.warning(warning) if os.environ.get("QINQING_STRICT") else qinqing_builds.log.info(warning)
    _state["data"] = site
    _others.send(site)
    # Sitemap dates and gzip headers come from the data, not the clock (reproducible builds).
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(site.epoch()))
    segmenter.teach(site.search_words())

    extra = project.extra_values(lang, config.site_url or "")
    config.extra["qinqing"] = {**config.extra.get("qinqing", {}), **extra}
    config.extra["alternate"] = [{"name": l["name"], "link": l["root_path"], "lang": l["tag"]}
                                 for l in extra["languages"]]  # the theme shows the switcher then
    config.nav = navigation(lang)
    names = project.settings(lang)
    config.site_name, config.site_description = names["site_name"], names["site_description"]
    config.theme["language"] = languages.get(lang).theme
    for entry, name in zip(config.theme["palette"] or [], names["palette_names"]):
        if isinstance(entry, dict) and isinstance(entry.get("toggle"), dict):
            entry["toggle"]["name"] = name
    search = config.plugins.get("material/search")
    if search is not None:
        # The plugin has already copied its settings into its index: set both.
        index = getattr(getattr(search, "search_index", None), "config", None)
        for key, value in languages.get(lang).search_plugin().items():
            search.config[key] = value
            if isinstance(index, dict):
                index[key] = value
    if lang != languages.active().default.code and config.site_url:
        config.site_url = extra["roots"][lang]
    # The tuning layer, behind one switch: the site is correct without it, only heavier. Off,
    # the theme's own stylesheets and scripts, and the site stylesheet as extra_css.
    _state["tuned"] = os.environ.get("QINQING_TUNING", "1") != "0"
    if _state["tuned"]:
        config.extra["qinqing"].update(qinqing_theme.stylesheets(config, root))
        _state["page_styles"] = qinqing_theme.page_styles(config)
    elif project.SITE_CSS not in config.extra_css:
        config.extra_css.append(project.SITE_CSS)
    return config


def on_files(files: Files, config) -> Files:
    lang = config.extra["qinqing"]["lang"]
    for path, markdown in _state["data"].pages(lang).items():
        existing = files.get_file_from_path(path)
        if existing is not None:
            files.remove(existing)
        files.append(File.generated(config, path, content=markdown))
    for path, content in _state["data"].files(lang, config.extra["qinqing"]["roots"][lang]).items():
        files.append(File.generated(config, path, content=content))
    if _state["command"] != "serve":
        # MkDocs now holds every page: the generator's copy goes, and the model too unless
        # other languages follow in this process.
        _state["data"].release(lang if _others.keep_model else None)
    return files


def on_page_read_source(page, config) -> str | None:
    """A generated page's Markdown, handed over rather than copied: MkDocs keeps the page's
    own copy (about 14 MB per language at 5000 activities)."""
    if page.file.generated_by is None or _state["command"] == "serve":
        return None
    source, page.file.content_string = page.file.content_string, ""
    return source


def on_pre_build(config) -> None:
    _state["classes"] = set()


def on_env(env, config, files):
    if _state["tuned"]:
        qinqing_theme.fix_sources(env)
    return env


def on_nav(nav, config, files):
    # For the tuned theme templates (see qinqing_theme): which pages the nav lists.
    config.extra["qinqing"]["nav_urls"] = frozenset(page.url for page in nav.pages)
    return nav


def on_page_content(html: str, page, config, files) -> str:
    return qinqing_theme.wrap_tables(html) if _state["tuned"] else html


def on_post_page(output: str, page, config) -> str:
    return _finish_html(output, page.content or "") if _state["tuned"] else output


def on_post_template(output_content: str, template_name: str, config) -> str:
    tuned = _state["tuned"] and template_name.endswith(".html")
    return _finish_html(output_content) if tuned else output_content


def _finish_html(html: str, content: str | None = None) -> str:
    """Tuning: a page's last fixes, its inlined stylesheet cut to fit it, its classes noted."""
    html = qinqing_theme.fix_html(html, content)
    classes = classes_in_html(html)
    _state["classes"] |= classes
    return _state["page_styles"].fit(html, classes)


def on_post_build(config) -> None:
    lang = config.extra["qinqing"]["lang"]
    if _state["tuned"]:
        qinqing_theme.prune_main_stylesheet(config, _state["classes"])
    # The search index is parsed again (Simplified forms, compaction): in a one-off build once
    # MkDocs has let go of the pages (on_shutdown), not on top of them (tens of MB at N = 5000).
    _state["index"] = (config.site_dir, bool(languages.get(lang).search.get("index_simplified")))
    if _state["command"] == "serve":
        _rework_index()
    if lang == languages.active().default.code and _others.queue:
        _others.mark_ready()
        search = config.plugins.get("material/search")
        if search is not None and hasattr(search, "search_index"):
            search.search_index = None  # written out; the next languages need the memory
    failed = _others.collect(config.site_dir)
    if failed:
        raise PluginError("构建失败 / A language's build failed:\n" + "\n".join(failed))


def on_build_error(error: Exception) -> None:
    _others.stop()


def _rework_index() -> None:
    site_dir, simplified = _state.pop("index", (None, False))
    if site_dir is None:
        return
    if simplified:
        searchindex.add_simplified(site_dir)  # before the tuning layer compacts it
    if _state["tuned"]:
        qinqing_theme.compact_search_index(site_dir)


def on_shutdown() -> None:
    _others.stop()
    if "index" in _state:
        gc.collect()
        _rework_index()
    _others.build_queued()


def on_serve(server, config, builder):
    root = config.extra["qinqing"].get("root") or Path(config.config_file_path).resolve().parent
    server.watch(str(Path(root) / "data"))
    return server
