"""Builds the languages of the table other than the default one, over the available cores.

Used by qinqing_hook.py while it builds the default language. Each other language is built
from a config generated from the shared base (`qinqing.project.language_config`):

- with two cores or more (or under `serve`), in child processes started before the data is
  checked and then sent it (`SiteData.dumps`, read back by `PRELOADED_ENV`), so the YAML is
  parsed once and their start-up overlaps the check; each writes a scratch folder beside
  the site, renamed into place once the default build is done;
- with one core (QINQING_PARALLEL=0), one after another in this process once the default
  build has returned, reusing the checked data, the imports and the segmenter's dictionary,
  with no two languages' pages in memory together.
"""

from __future__ import annotations

import gc
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import yaml

from qinqing import languages, project
from qinqing.site import PRELOADED_ENV

log = logging.getLogger("mkdocs.hooks.qinqing")

# Set in the children so that they do not start children of their own.
CHILD_ENV = "QINQING_CHILD_BUILD"


def is_child() -> bool:
    return bool(os.environ.get(CHILD_ENV))


def parallel() -> bool:
    setting = os.environ.get("QINQING_PARALLEL")
    if setting is not None:
        return setting != "0"
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return cores > 1


class OtherLanguages:
    def __init__(self) -> None:
        self.children: list[dict] = []
        self.queue: list[dict] = []
        self.remaining = 0  # queued languages still to build after the current one
        self._configs: Path | None = None

    # -- set-up (the default build's on_config) --------------------------------------------

    def start(self, config, root: Path, codes: list[str], in_children: bool) -> None:
        self.stop()
        if in_children:
            for lang in codes:
                self._launch(config, root, lang)
        else:
            self.queue = [{"lang": lang, "config_file": str(self._config_file(config, root, lang, site_dir)),
                           "strict": config.strict, "site_dir": str(site_dir), "ready": False}
                          for lang in codes
                          for site_dir in [Path(config.site_dir) / languages.get(lang).path]]

    def _config_file(self, config, root: Path, lang: str, site_dir: Path) -> Path:
        values = project.language_config(lang, Path(config.config_file_path), site_dir)
        values["extra"]["qinqing"]["root"] = str(root)
        if self._configs is None:
            self._configs = Path(tempfile.mkdtemp(prefix="qinqing-configs-"))
        path = self._configs / f"mkdocs.{lang}.yml"
        path.write_text(yaml.safe_dump(values, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return path

    def _launch(self, config, root: Path, lang: str) -> None:
        """A language's build in a process of its own, waiting on its standard input for
        the data (see send) once it has started up."""
        out = _scratch_dir(Path(config.site_dir).parent, lang)
        args = [sys.executable, "-m", "mkdocs", "build", "--quiet",
                "-f", str(self._config_file(config, root, lang, out)), "-d", str(out)]
        if config.strict:
            args.append("--strict")
        env = {**os.environ, CHILD_ENV: "1", PRELOADED_ENV: "stdin"}
        if config.site_url:
            env["SITE_URL"] = config.site_url
        proc = subprocess.Popen(args, cwd=root, env=env, stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.children.append({"lang": lang, "proc": proc, "out": out, "sender": None})

    def send(self, site) -> None:
        """The checked data, to each child's standard input, from a thread: a child reads it
        only once started up, and this build goes on meanwhile."""
        if not self.children:
            return
        payload = site.dumps()
        for child in self.children:
            def write(proc=child["proc"]) -> None:
                try:
                    proc.stdin.buffer.write(payload)
                    proc.stdin.close()
                except (BrokenPipeError, OSError, ValueError):  # it ended first: its output says why
                    pass

            child["sender"] = threading.Thread(target=write, daemon=True)
            child["sender"].start()

    @property
    def keep_model(self) -> bool:
        """Whether this process still needs the model after its current build."""
        return bool(self.queue) or self.remaining > 0

    # -- the default build's on_post_build: the children's sites into place ------------------

    def collect(self, site_dir: str) -> list[str]:
        """Wait for the children; move their sites under `site_dir`. Returns the failures."""
        children, self.children = self.children, []
        failed = []
        for child in children:
            _join_sender(child)
            output, _ = child["proc"].communicate()
            if child["proc"].returncode != 0:
                failed.append(f"[{child['lang']}]\n{output or ''}")
                continue
            for line in (output or "").splitlines():
                # Children run --quiet, so MkDocs prints only problems; jieba's chatter is not one.
                if line.startswith(("WARNING", "ERROR")):
                    log.warning(f"[{child['lang']}] {line}")
        if failed:
            self.children = children
            self.stop()
            return failed
        for child in children:
            target = Path(site_dir) / languages.get(child["lang"]).path
            shutil.rmtree(target, ignore_errors=True)
            shutil.move(str(child["out"]), str(target))
        if not self.queue:
            self._clean_configs()
        return []

    def mark_ready(self) -> None:
        for queued in self.queue:
            queued["ready"] = True

    # -- on_shutdown: the queued languages, in this process --------------------------------

    def build_queued(self) -> None:
        # Taken off first: each build below runs the hook's on_shutdown too.
        queue, self.queue = self.queue, []
        for i, queued in enumerate(queue):
            self.remaining = len(queue) - i - 1
            if queued.pop("ready"):
                _build_here(**queued)
        self.remaining = 0
        if queue:
            self._clean_configs()

    def stop(self) -> None:
        for child in self.children:
            if child["proc"].poll() is None:
                child["proc"].kill()
                child["proc"].wait()
            _join_sender(child)
            shutil.rmtree(child["out"], ignore_errors=True)
        self.children = []
        if not self.queue:
            self._clean_configs()

    def _clean_configs(self) -> None:
        if self._configs is not None:
            shutil.rmtree(self._configs, ignore_errors=True)
            self._configs = None


def _scratch_dir(beside: Path, lang: str) -> Path:
    """A folder on the same file system as the site, so that moving it into place is a
    rename; a temporary folder elsewhere (often a RAM disk) would mean copying the whole
    language's site (250 MB at 5000 activities)."""
    try:
        return Path(tempfile.mkdtemp(prefix=f".qinqing-{lang}-", dir=beside))
    except OSError:  # not writable there: the system's temporary folder still works
        return Path(tempfile.mkdtemp(prefix=f"qinqing-{lang}-"))


def _join_sender(child: dict) -> None:
    sender = child.pop("sender", None)
    if sender is not None:
        sender.join()
    child["proc"].stdin = None  # closed by the sender; communicate() must not flush it again


def _build_here(lang: str, config_file: str, site_dir: str, strict: bool) -> None:
    """A language's site in this process, once the previous build has returned: its pages,
    navigation and search entries are garbage by now. Errors end the command as the first
    build's would (exit 1)."""
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
    """Give the previous build's freed heap back to the OS (glibc keeps it otherwise, and the
    next build's peak would stack on top of it)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to do
        pass
