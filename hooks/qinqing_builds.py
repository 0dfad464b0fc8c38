"""Builds the languages of the table other than the default one, each in a process of its own.

Used by qinqing_hook.py while it builds the default language. Each other language is built
by `mkdocs build` from a config generated from the shared base (`qinqing.project.language_config`),
and gets the data checked by the default build as a pickle on its standard input
(`SiteData.dumps`, read back by `PRELOADED_ENV`), so the YAML is parsed and checked once.
Each writes a scratch folder beside the site, renamed into place once it has succeeded.

- With two cores or more (or under `serve`), all at once, started before the data is checked,
  so that their start-up overlaps the check; they are sent the data once it is checked.
- With one core (QINQING_PARALLEL=0), one after another once the default build is over, each
  reading the data from a file written when it was checked.

One language per process keeps each process's memory to one language's (under 300 MB at 5000
activities): builds one after another in one process each started higher than the last.
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

from qinqing import languages, project
from qinqing.build import clear_leftovers
from qinqing.safety import confined, remove_tree
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
        self.children: list[dict] = []  # running
        self.pending: list[str] = []  # to build one after another once the default build is over
        self.ready = False  # the default build is over and succeeded
        self._setup: tuple | None = None  # (config, root) of the default build, for pending ones
        self._folder: Path | None = None  # the generated configs and the data file

    # -- set-up (the default build's on_config) --------------------------------------------

    def start(self, config, root: Path, codes: list[str], at_once: bool) -> None:
        self.stop()
        # What an interrupted build left behind (its process is gone), before adding ours.
        clear_leftovers(Path(config.site_dir).parent, Path(tempfile.gettempdir()))
        self._setup = (config, root)
        if at_once:
            for lang in codes:
                self._launch(lang, subprocess.PIPE)
        else:
            self.pending = list(codes)

    def send(self, site) -> None:
        """The checked data: to each running child's standard input, from a thread (a child
        reads it only once started up, and this build goes on meanwhile); for the pending
        ones, to a file."""
        if not (self.children or self.pending):
            return
        payload = site.dumps()
        if self.pending:
            (self._work_folder() / "data.pickle").write_bytes(payload)
        for child in self.children:
            def write(proc=child["proc"]) -> None:
                try:
                    proc.stdin.write(payload)
                    proc.stdin.close()
                except (BrokenPipeError, OSError, ValueError):  # it ended first: its output says why
                    pass

            child["sender"] = threading.Thread(target=write, daemon=True)
            child["sender"].start()

    def _work_folder(self) -> Path:
        if self._folder is None:
            self._folder = Path(tempfile.mkdtemp(prefix=f"qinqing-configs-{os.getpid()}-"))
        return self._folder

    def _launch(self, lang: str, stdin) -> None:
        """A language's build in a process of its own, reading the data from `stdin`."""
        config, root = self._setup
        out = _scratch_dir(Path(config.site_dir).parent, lang)
        values = project.language_config(lang, Path(config.config_file_path), out)
        values["extra"]["qinqing"]["root"] = str(root)
        config_file = self._work_folder() / f"mkdocs.{lang}.yml"
        config_file.write_text(yaml.safe_dump(values, allow_unicode=True, sort_keys=False), encoding="utf-8")
        # The engine the whole build runs on (qinqing build --engine): the same for every language.
        engine = os.environ.get("QINQING_ENGINE", "mkdocs")
        if engine not in ("mkdocs", "properdocs"):
            engine = "mkdocs"
        args = [sys.executable, "-m", engine, "build", "--quiet", "-f", str(config_file), "-d", str(out)]
        if config.strict:
            args.append("--strict")
        env = {**os.environ, CHILD_ENV: "1", PRELOADED_ENV: "stdin"}
        if config.site_url:
            env["SITE_URL"] = config.site_url
        # Its output to a file, not a pipe: a pipe nobody reads until the end would stop a
        # child that prints much (warnings) until the default build is over.
        log_file = tempfile.TemporaryFile()
        try:
            proc = subprocess.Popen(args, cwd=root, env=env, stdin=stdin, stdout=log_file, stderr=subprocess.STDOUT)
        except BaseException:
            log_file.close()
            shutil.rmtree(out, ignore_errors=True)
            raise
        self.children.append({"lang": lang, "proc": proc, "out": out, "log": log_file, "sender": None})

    # -- the default build's on_post_build: the children's sites into place ------------------

    def collect(self, site_dir: str) -> list[str]:
        """Wait for the running children; move their sites under `site_dir`. Returns the failures."""
        # Each child stays listed until its site is in place: interrupted here (Ctrl-C), stop()
        # still ends it and removes its scratch folder.
        failed = []
        for child in self.children:
            _join_sender(child)
            child["proc"].wait()
            child["log"].seek(0)
            output = child["log"].read().decode("utf-8", "replace")
            if child["proc"].returncode != 0:
                failed.append(f"[{child['lang']}]\n{output}")
                continue
            for line in output.splitlines():
                # Children run --quiet, so MkDocs prints only problems (and a library's chatter is not one).
                if line.startswith(("WARNING", "ERROR")):
                    log.warning(f"[{child['lang']}] {line}")
        if failed:
            self.stop()
            return failed
        while self.children:
            child = self.children[0]
            # Proven inside the site before anything is removed (the path comes from the
            # languages table, which a pull request can change).
            target = confined(site_dir, languages.get(child["lang"]).path)
            remove_tree(site_dir, target)
            shutil.move(str(child["out"]), str(target))
            self.children.pop(0)["log"].close()
        if not self.pending:
            self._clean()
        return []

    # -- the default build's on_shutdown: the pending languages, one after another ----------

    def finish(self) -> list[str]:
        """Build the pending languages if the default build succeeded; then nothing is left
        running. Returns the failures."""
        try:
            while self.ready and self.pending:
                lang = self.pending.pop(0)
                with open(self._work_folder() / "data.pickle", "rb") as data:
                    self._launch(lang, data)
                failed = self.collect(self._setup[0].site_dir)
                if failed:
                    return failed
            return []
        finally:
            self.stop()

    def stop(self) -> None:
        for child in self.children:
            if child["proc"].poll() is None:
                child["proc"].kill()
                child["proc"].wait()
            _join_sender(child)
            child["log"].close()
            shutil.rmtree(child["out"], ignore_errors=True)
        self.children, self.pending, self.ready = [], [], False
        self._clean()

    def _clean(self) -> None:
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None


def _scratch_dir(beside: Path, lang: str) -> Path:
    """A folder on the same file system as the site, so that moving it into place is a
    rename; a temporary folder elsewhere (often a RAM disk) would mean copying the whole
    language's site (250 MB at 5000 activities)."""
    # Named with this process's id: an interrupted build's leftovers are recognised and cleared
    # by the next build (qinqing.build.clear_leftovers).
    try:
        return Path(tempfile.mkdtemp(prefix=f".qinqing-{lang}-{os.getpid()}-", dir=beside))
    except OSError:  # not writable there: the system's temporary folder still works
        return Path(tempfile.mkdtemp(prefix=f".qinqing-{lang}-{os.getpid()}-"))


def _join_sender(child: dict) -> None:
    sender = child.pop("sender", None)
    if sender is not None:
        sender.join()
    if child["proc"].stdin is not None and not child["proc"].stdin.closed:
        child["proc"].stdin.close()  # a pipe the sender did not get to close (it failed first)
