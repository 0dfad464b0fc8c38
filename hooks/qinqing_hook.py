"""MkDocs adapter: hands the generated pages to MkDocs and builds the other languages.

All the work (load, validate, render, per-language settings) is in the `qinqing` package,
which imports nothing from MkDocs. This file only:

- validates the data in `on_config`, before MkDocs cleans `site/`, so bad data stops the
  build with the editor's error list and leaves the previous site as it was;
- applies the language's row of the languages table (`data/languages.yaml`) to the config;
- adds the pages of the config's language as in-memory files in `on_files`;
- when building the default language (`mkdocs.yml`), builds every other language of the
  table too, so one `mkdocs build` gives the whole site: each from a config generated from
  the shared base (`qinqing.project.language_config`); with two cores or more at the same
  time in child processes, started first and then sent the checked data (the YAML is parsed
  once), into scratch folders moved under `site/` in `on_post_build`; with one core (or
  QINQING_PARALLEL=0) one after another in this same process, reusing the checked data, the
  imports and the search segmenter's dictionary;
- watches `data/` in `mkdocs serve`.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import yaml
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from qinqing import languages, project, searchindex
from qinqing.render import navigation
from qinqing.site import PRELOADED_ENV, SiteData
from qinqing.stylesheet import classes_in_html
from qinqing.validation import icons_in

import qinqing_theme  # beside this file (MkDocs puts the hook's folder on sys.path while loading it)

log = logging.getLogger("mkdocs.hooks.qinqing")

# Set in the other languages' child builds so that they do not start children of their own.
CHILD_ENV = "QINQING_CHILD_BUILD"

_state: dict = {"command": "build", "children": [], "queue": [], "data": None, "configs": None}


def on_startup(command: str, dirty: bool) -> None:
    _state["command"] = command
    if jieba := _segmenter():  # its start-up chatter is noise here
        jieba.setLogLevel(logging.WARNING)


def _project_root(config) -> Path:
    """The project's folder: the config's own, or the one a generated config names."""
    named = config.extra.get("qinqing", {}).get("root")
    return Path(named) if named else Path(config.config_file_path).resolve().parent


def on_config(config):
    settings = config.extra.get("qinqing", {})
    root = _project_root(config)
    data_path = root / settings.get("data", "data/initiatives.yaml")
    table = languages.use(data_path)
    lang = settings.get("lang") or table.default.code
    # Every other language is an independent build: beside this one when there is a core for
    # it, otherwise after it (see on_shutdown); `serve` always uses children, as it rebuilds
    # without ever shutting down. Children start first, and are sent the data once it is
    # checked here: their start-up (imports, the segmenter's dictionary) overlaps the check.
    first = lang == table.default.code and not os.environ.get(CHILD_ENV)
    if first:
        others = [row.code for row in table if row.code != lang]
        if others and (_parallel() or _state["command"] == "serve"):
            _launch_children(config, root, others)
        else:
            _state["queue"] = [_queued(config, root, code) for code in others]
    else:
        _load_segmenter()  # while the first process checks the data (it reads it next)
    try:
        return _configure(config, lang, root, data_path)
    except BaseException:  # bad data, or anything else: no other language goes on without us
        _stop_children()
        raise


def _configure(config, lang: str, root: Path, data_path: Path):
    site = SiteData.cached(data_path)
    site.check_icons(icons_in([Path(d) / ".icons" for d in config.theme.dirs]))
    if site.error is not None:
        if os.environ.get("GITHUB_ACTIONS") and not os.environ.get(CHILD_ENV):
            print(site.error_annotations(), file=sys.stderr)
        raise PluginError(
            "数据文件有误，未构建网站 / The data file has errors; nothing was built:\n" + site.error_report()
        )
    # Pending translations are fine in a preview or a pull request; QINQING_STRICT (set by the
    # deploy workflow) turns them into warnings, which `--strict` makes fatal.
    for warning in site.warnings_report():
        log.warning(warning) if os.environ.get("QINQING_STRICT") else log.info(warning)
    _state["data"] = site
    if _state["children"]:
        _send_data(site)
    # Sitemap dates and gzip headers come from the data, not the clock (reproducible builds).
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(site.epoch()))
    _teach_segmenter(site.search_words())

    extra = project.extra_values(lang, config.site_url or "")
    config.extra["qinqing"] = {**config.extra.get("qinqing", {}), **extra}
    # The Material tuning layer (hooks/qinqing_theme.py: stylesheet pruning and inlining, HTML
    # fixes, the deferred theme script), behind one switch: the site is correct without it,
    # only heavier. Off, the theme's own stylesheets and the site's (extra_css) are linked.
    _state["tuned"] = os.environ.get("QINQING_TUNING", "1") != "0"
    if _state["tuned"]:
        config.extra["qinqing"].update(qinqing_theme.stylesheets(config, root))
        _state["page_styles"] = qinqing_theme.page_styles(config)
    elif project.SITE_CSS not in config.extra_css:
        config.extra_css.append(project.SITE_CSS)
    config.nav = navigation(lang)
    # The language's row: names, theme language and the palette toggles' labels.
    settings = project.settings(lang)
    config.site_name = settings["site_name"]
    config.site_description = settings["site_description"]
    config.theme["language"] = languages.get(lang).theme
    for entry, name in zip(config.theme["palette"] or [], settings["palette_names"]):
        if isinstance(entry, dict) and isinstance(entry.get("toggle"), dict):
            entry["toggle"]["name"] = name
    search = config.plugins.get("material/search")
    if search is not None:
        # The language's search settings; the plugin has already copied its own into its index.
        index = getattr(getattr(search, "search_index", None), "config", None)
        for key, value in languages.get(lang).search_plugin().items():
            search.config[key] = value
            if isinstance(index, dict):
                index[key] = value
    # The theme shows the switcher when this is not empty; overrides/partials/alternate.html
    # lists the table's languages from extra.qinqing.
    config.extra["alternate"] = [{"name": l["name"], "link": l["root_path"], "lang": l["tag"]}
                                 for l in extra["languages"]]
    if lang != languages.active().default.code and config.site_url:
        config.site_url = extra["roots"][lang]
    return config


def _configs_dir() -> Path:
    """Where the other languages' generated config files go, for this build."""
    if _state["configs"] is None:
        _state["configs"] = Path(tempfile.mkdtemp(prefix="qinqing-configs-"))
    return _state["configs"]


def _language_config(config, root: Path, lang: str, site_dir: Path) -> Path:
    values = project.language_config(lang, Path(config.config_file_path), site_dir)
    values["extra"]["qinqing"]["root"] = str(root)
    path = _configs_dir() / f"mkdocs.{lang}.yml"
    path.write_text(yaml.safe_dump(values, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _queued(config, root: Path, lang: str) -> dict:
    site_dir = Path(config.site_dir) / languages.get(lang).path
    return {"lang": lang, "config_file": str(_language_config(config, root, lang, site_dir)),
            "strict": config.strict, "site_dir": str(site_dir), "ready": False}


def _parallel() -> bool:
    setting = os.environ.get("QINQING_PARALLEL")
    if setting is not None:
        return setting != "0"
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return cores > 1


def _segmenter():
    """jieba, which Material's search plugin uses when it is installed; None otherwise
    (Material then indexes Chinese unsegmented; the tests catch that)."""
    try:
        import jieba
    except ImportError:
        return None
    return jieba


def _load_segmenter() -> None:
    if jieba := _segmenter():
        jieba.initialize()


def _teach_segmenter(words: list[str]) -> None:
    if jieba := _segmenter():
        for word in words:
            jieba.add_word(word)


def _launch_children(config, root: Path, codes: list[str]) -> None:
    """The other languages' builds, each in a process of its own, waiting on its standard
    input for the data (see _send_data) once it has started up."""
    _stop_children()
    for lang in codes:
        out = _scratch_dir(Path(config.site_dir).parent, lang)
        config_file = _language_config(config, root, lang, out)
        args = [sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", str(config_file), "-d", str(out)]
        if config.strict:
            args.append("--strict")
        env = {**os.environ, CHILD_ENV: "1", PRELOADED_ENV: "stdin"}
        if config.site_url:
            env["SITE_URL"] = config.site_url
        proc = subprocess.Popen(args, cwd=root, env=env, stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        _state["children"].append({"lang": lang, "proc": proc, "out": out, "sender": None})


def _send_data(site: SiteData) -> None:
    """The checked data, to each child's standard input, from a thread: a child reads it
    only once started up, and this build goes on meanwhile."""
    payload = site.dumps()
    for child in _state["children"]:
        proc = child["proc"]

        def send(proc=proc) -> None:
            try:
                proc.stdin.buffer.write(payload)
                proc.stdin.close()
            except (BrokenPipeError, OSError, ValueError):  # the child ended first: its output says why
                pass

        child["sender"] = threading.Thread(target=send, daemon=True)
        child["sender"].start()


def _scratch_dir(beside: Path, lang: str) -> Path:
    """A folder for a language's build on the same file system as the site, so that moving it
    into place is a rename; a temporary folder elsewhere (often a RAM disk) would mean copying
    the whole language's site (250 MB at 5000 activities)."""
    try:
        return Path(tempfile.mkdtemp(prefix=f".qinqing-{lang}-", dir=beside))
    except OSError:  # not writable there: the system's temporary folder still works
        return Path(tempfile.mkdtemp(prefix=f"qinqing-{lang}-"))


def _stop_children() -> None:
    for child in _state["children"]:
        proc = child["proc"]
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        _join_sender(child)
        shutil.rmtree(child["out"], ignore_errors=True)
    _state["children"] = []


def _join_sender(child: dict) -> None:
    sender = child.pop("sender", None)
    if sender is not None:
        sender.join()
    child["proc"].stdin = None  # closed by the sender; communicate() must not flush it again


def on_files(files: Files, config) -> Files:
    lang = config.extra["qinqing"]["lang"]
    for path, markdown in _state["data"].pages(lang).items():
        existing = files.get_file_from_path(path)
        if existing is not None:
            files.remove(existing)
        files.append(File.generated(config, path, content=markdown))
    root = config.extra["qinqing"]["roots"][lang]
    for path, content in _state["data"].files(lang, root).items():
        files.append(File.generated(config, path, content=content))
    if _state["command"] != "serve":
        # MkDocs now holds every page; a one-off build needs nothing else from the generator,
        # except the model when other languages follow in this process.
        _state["data"].release(lang if _state["queue"] or _state.get("more") else None)
    return files


def on_page_read_source(page, config) -> str | None:
    """A generated page's Markdown, handed over rather than copied: MkDocs keeps the page's
    own copy, so in a one-off build the in-memory file need not keep another (about 14 MB
    per language at 5000 activities)."""
    file = page.file
    if file.generated_by is None or _state["command"] == "serve":
        return None
    source = file.content_string
    file.content_string = ""
    return source


def on_pre_build(config) -> None:
    _state["classes"] = set()


def on_env(env, config, files):
    if _state["tuned"]:
        qinqing_theme.fix_sources(env)
    return env


def on_nav(nav, config, files):
    # For the theme's templates (see qinqing_theme): which pages the nav lists.
    config.extra["qinqing"]["nav_urls"] = frozenset(page.url for page in nav.pages)
    return nav


def on_page_content(html: str, page, config, files) -> str:
    return qinqing_theme.wrap_tables(html) if _state["tuned"] else html


def on_post_page(output: str, page, config) -> str:
    return _finish_html(output, page.content or "") if _state["tuned"] else output


def on_post_template(output_content: str, template_name: str, config) -> str:
    if _state["tuned"] and template_name.endswith(".html"):
        return _finish_html(output_content)
    return output_content


def _finish_html(html: str, content: str | None = None) -> str:
    """A built page's last fixes, its inlined stylesheet cut to fit it, and its classes
    noted for the main stylesheet's pruning."""
    html = qinqing_theme.fix_html(html, content)
    classes = classes_in_html(html)
    _state["classes"] |= classes
    return _state["page_styles"].fit(html, classes)


def on_post_build(config) -> None:
    lang = config.extra["qinqing"]["lang"]
    row = languages.get(lang)
    if row.search.get("index_simplified"):
        # Before the index is compacted: a reader may type the Simplified form (医保).
        searchindex.add_simplified(config.site_dir)
    if _state["tuned"]:
        qinqing_theme.prune_main_stylesheet(config, _state.get("classes") or set())
        if _state["command"] == "serve":
            qinqing_theme.compact_search_index(config.site_dir)
        else:
            # Parsing the index costs memory (about 20 MB at 5000 activities): done once MkDocs
            # has let go of the pages (on_shutdown), not on top of them.
            _state["compact_index"] = config.site_dir
    if _state["queue"] and lang == languages.active().default.code:
        for queued in _state["queue"]:
            queued["ready"] = True
        # The other languages are built next in this process, while MkDocs still holds this
        # config: the search plugin's index of every page, written out by now, need not stay.
        search = config.plugins.get("material/search")
        if search is not None and hasattr(search, "search_index"):
            search.search_index = None
    children, _state["children"] = _state["children"], []
    failed = []
    for child in children:
        _join_sender(child)
        output, _ = child["proc"].communicate()
        if child["proc"].returncode != 0:
            failed.append(f"[{child['lang']}]\n{output or ''}")
            continue
        for line in (output or "").splitlines():
            # Children run --quiet, so MkDocs prints only problems; jieba's start-up chatter is not one.
            if line.startswith(("WARNING", "ERROR")):
                log.warning(f"[{child['lang']}] {line}")
    if failed:
        _state["children"] = children
        _stop_children()
        raise PluginError("构建失败 / A language's build failed:\n" + "\n".join(failed))
    for child in children:
        target = Path(config.site_dir) / languages.get(child["lang"]).path
        shutil.rmtree(target, ignore_errors=True)
        shutil.move(str(child["out"]), str(target))


def on_build_error(error: Exception) -> None:
    _stop_children()


def on_shutdown() -> None:
    _stop_children()
    site_dir = _state.pop("compact_index", None)
    if site_dir:
        import gc

        gc.collect()
        qinqing_theme.compact_search_index(site_dir)
    # Taken off the state first: each build below runs this hook's on_shutdown too.
    queue, _state["queue"] = _state["queue"], []
    for i, queued in enumerate(queue):
        _state["more"] = len(queue) - i - 1  # keep the model for the languages after this one
        if queued.pop("ready"):
            _build_language(**queued)
    _state["more"] = 0
    if queue and _state["configs"] is not None:
        shutil.rmtree(_state["configs"], ignore_errors=True)
        _state["configs"] = None


def _build_language(lang: str, config_file: str, site_dir: str, strict: bool) -> None:
    """Another language's site, in this process, once the default build has returned: its
    pages, navigation and search entries are garbage by now, so two languages' pages are
    never in memory together. Errors end the command as the first build's would (exit 1)."""
    import gc

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    gc.collect()
    _return_free_memory()
    try:
        config = load_config(config_file, site_dir=site_dir, strict=strict)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    except BaseException:
        log.error(f"[{lang}] 构建失败 / build failed")
        raise


def _return_free_memory() -> None:
    """Give the Chinese build's freed heap back to the OS before English starts (glibc keeps
    it otherwise, and the English build's peak would stack on top of it)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to do
        pass


def on_serve(server, config, builder):
    server.watch(str(_project_root(config) / "data"))
    return server
