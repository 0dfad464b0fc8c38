"""MkDocs adapter: hands the generated pages to MkDocs and builds the second language.

All the work (load, validate, render) is in the `qinqing` package, which imports nothing
from MkDocs. This file only:

- validates the data in `on_config`, before MkDocs cleans `site/`, so bad data stops the
  build with the editor's error list and leaves the previous site as it was;
- adds the pages of the config's language as in-memory files in `on_files`;
- when building the default language (zh, `mkdocs.yml`), builds the English config
  (`mkdocs.en.yml`) too, so one `mkdocs build` gives the whole site: with two cores or more
  at the same time in a child process, started first and then sent the checked data (the
  YAML is parsed once), into a scratch folder moved to `site/en` in `on_post_build`; with
  one core (or QINQING_PARALLEL=0) afterwards in this same process, which reuses the checked
  data, the imports and the search segmenter's dictionary;
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
from urllib.parse import urlsplit

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from qinqing.render import navigation, theme_strings
from qinqing.site import PRELOADED_ENV, SiteData, language_roots
from qinqing.stylesheet import classes_in_html
from qinqing.validation import icons_in

import qinqing_theme  # beside this file (MkDocs puts the hook's folder on sys.path while loading it)

log = logging.getLogger("mkdocs.hooks.qinqing")

# Set in the English child build so that it does not start a child of its own.
CHILD_ENV = "QINQING_CHILD_BUILD"

_state: dict = {"command": "build", "child": None, "child_dir": None, "data": None}


def on_startup(command: str, dirty: bool) -> None:
    _state["command"] = command
    if jieba := _segmenter():  # its start-up chatter is noise here
        jieba.setLogLevel(logging.WARNING)


def _config_dir(config) -> Path:
    return Path(config.config_file_path).resolve().parent


def on_config(config):
    lang = config.extra.get("qinqing", {}).get("lang", "zh")
    root = _config_dir(config)
    data_path = root / config.extra.get("qinqing", {}).get("data", "data/initiatives.yaml")
    # The two languages are independent builds: English runs beside Chinese when there is a
    # core for it, otherwise after it (see on_shutdown); `serve` always uses a child, as it
    # rebuilds without ever shutting down. The child starts first, and is sent the data once
    # it is checked here: its start-up (imports, the segmenter's dictionary) overlaps the check.
    first = lang == "zh" and not os.environ.get(CHILD_ENV)
    if first and (_parallel() or _state["command"] == "serve"):
        _launch_child(config, root)
    elif not first:
        _load_segmenter()  # while the first process checks the data (it reads it next)
    try:
        return _configure(config, lang, root, data_path, first)
    except BaseException:  # bad data, or anything else: no English build goes on without us
        _stop_child()
        raise


def _configure(config, lang: str, root: Path, data_path: Path, first: bool):
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
    if _state.get("child") is not None:
        _send_data(site)
    # Sitemap dates and gzip headers come from the data, not the clock (reproducible builds).
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(site.epoch()))
    _teach_segmenter(site.search_words())

    roots = language_roots(config.site_url or "")
    config.extra["qinqing"] = {**config.extra.get("qinqing", {}), "lang": lang, "roots": roots,
                               "paths": {k: urlsplit(v).path or "/" for k, v in roots.items()},
                               "ui": theme_strings(lang), **qinqing_theme.stylesheets(config, root)}
    _state["page_styles"] = qinqing_theme.page_styles(config)
    config.nav = navigation(lang)
    if lang != "zh" and config.site_url:
        config.site_url = roots[lang]

    if first and _state.get("child") is None:
        _state["english_next"] = {"config_file": str(root / "mkdocs.en.yml"), "strict": config.strict,
                                  "site_dir": str(Path(config.site_dir) / "en"), "ready": False}
    return config


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


def _launch_child(config, root: Path) -> None:
    """The English build, in a second process, waiting on its standard input for the data
    (see _send_data) once it has started up."""
    _stop_child()
    out = _scratch_dir(Path(config.site_dir).parent)
    args = [sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", str(root / "mkdocs.en.yml"),
            "-d", str(out)]
    if config.strict:
        args.append("--strict")
    env = {**os.environ, CHILD_ENV: "1", PRELOADED_ENV: "stdin"}
    if config.site_url:
        env["SITE_URL"] = config.site_url
    _state["child_dir"] = out
    _state["child"] = subprocess.Popen(args, cwd=root, env=env, stdin=subprocess.PIPE,
                                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _send_data(site: SiteData) -> None:
    """The checked data, to the child's standard input, from a thread: the child reads it
    only once started up, and this build goes on meanwhile."""
    child, payload = _state["child"], site.dumps()

    def send() -> None:
        try:
            child.stdin.buffer.write(payload)
            child.stdin.close()
        except (BrokenPipeError, OSError, ValueError):  # the child ended first: its output says why
            pass

    _state["sender"] = threading.Thread(target=send, daemon=True)
    _state["sender"].start()


def _scratch_dir(beside: Path) -> Path:
    """A folder for the English build on the same file system as the site, so that moving it
    into place is a rename; a temporary folder elsewhere (often a RAM disk) would mean copying
    the whole English site (250 MB at 5000 activities)."""
    try:
        return Path(tempfile.mkdtemp(prefix=".qinqing-en-", dir=beside))
    except OSError:  # not writable there: the system's temporary folder still works
        return Path(tempfile.mkdtemp(prefix="qinqing-en-"))


def _stop_child() -> None:
    child = _state.get("child")
    if child is not None and child.poll() is None:
        child.kill()
        child.wait()
    _join_sender()
    if _state.get("child_dir"):
        shutil.rmtree(_state["child_dir"], ignore_errors=True)
    _state["child"] = _state["child_dir"] = None


def _join_sender() -> None:
    sender = _state.pop("sender", None)
    if sender is not None:
        sender.join()
    child = _state.get("child")
    if child is not None:
        child.stdin = None  # closed by the sender; communicate() must not flush it again


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
        # except the model when English follows in this process.
        english_next = _state.get("english_next") and lang == "zh"
        _state["data"].release(lang if english_next else None)
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
    qinqing_theme.fix_sources(env)
    return env


def on_nav(nav, config, files):
    # For the theme's templates (see qinqing_theme): which pages the nav lists.
    config.extra["qinqing"]["nav_urls"] = frozenset(page.url for page in nav.pages)
    return nav


def on_page_content(html: str, page, config, files) -> str:
    return qinqing_theme.wrap_tables(html)


def on_post_page(output: str, page, config) -> str:
    return _finish_html(output, page.content or "")


def on_post_template(output_content: str, template_name: str, config) -> str:
    return _finish_html(output_content) if template_name.endswith(".html") else output_content


def _finish_html(html: str, content: str | None = None) -> str:
    """A built page's last fixes, its inlined stylesheet cut to fit it, and its classes
    noted for the main stylesheet's pruning."""
    html = qinqing_theme.fix_html(html, content)
    classes = classes_in_html(html)
    _state["classes"] |= classes
    return _state["page_styles"].fit(html, classes)


def on_post_build(config) -> None:
    qinqing_theme.prune_main_stylesheet(config, _state.get("classes") or set())
    if _state["command"] == "serve":
        qinqing_theme.compact_search_index(config.site_dir)
    else:
        # Parsing the index costs memory (about 20 MB at 5000 activities): done once MkDocs
        # has let go of the pages (on_shutdown), not on top of them.
        _state["compact_index"] = config.site_dir
    if _state.get("english_next") and config.extra["qinqing"]["lang"] == "zh":
        _state["english_next"]["ready"] = True
        # English is built next in this process, while MkDocs still holds this config: the
        # search plugin's index of every Chinese page, written out by now, need not stay.
        search = config.plugins.get("material/search")
        if search is not None and hasattr(search, "search_index"):
            search.search_index = None
    child = _state.get("child")
    if child is None:
        return
    _join_sender()
    output, _ = child.communicate()
    out_dir = _state["child_dir"]
    _state["child"] = None
    if child.returncode != 0:
        _stop_child()
        raise PluginError("English build failed / 英文版构建失败:\n" + (output or ""))
    for line in (output or "").splitlines():
        # The child runs --quiet, so MkDocs prints only problems; jieba's start-up chatter is not one.
        if line.startswith(("WARNING", "ERROR")):
            log.warning(f"[en] {line}")
    target = Path(config.site_dir) / "en"
    shutil.rmtree(target, ignore_errors=True)
    shutil.move(str(out_dir), str(target))
    _state["child_dir"] = None
    _stop_child()


def on_build_error(error: Exception) -> None:
    _stop_child()


def on_shutdown() -> None:
    _stop_child()
    site_dir = _state.pop("compact_index", None)
    if site_dir:
        import gc

        gc.collect()
        qinqing_theme.compact_search_index(site_dir)
    english = _state.pop("english_next", None)
    if english and english.pop("ready"):
        _build_english(**english)


def _build_english(config_file: str, site_dir: str, strict: bool) -> None:
    """The English site, in this process, once the Chinese build has returned: the Chinese
    pages, navigation and search entries are garbage by now, so the two languages' pages are
    never in memory together. Errors end the command as the Chinese build's would (exit 1)."""
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
        log.error("English build failed / 英文版构建失败")
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
    server.watch(str(_config_dir(config) / "data"))
    server.watch(str(_config_dir(config) / "mkdocs.en.yml"))
    return server
