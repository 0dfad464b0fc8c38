"""`qinqing build`: the whole site into `site/`, all or nothing.

The orchestrator of the stages, after the command line has checked every editable file (the
data, the languages table, the phrase and surname lists, the source texts, and what the theme
must have: icons, interface languages), so bad input stops with located errors before anything
is touched:

1. one complete project per language (`qinqing.engines.project.write`: exactly what `qinqing render
   --out` writes) in a scratch folder beside `site/`;
2. the engine (MkDocs, or ProperDocs, the maintained fork; a setting) builds each project, one
   process per language, as many at once as there are cores (`jobs`), each started as soon as
   its project is written;
3. the languages' sites assembled into one, the default language's at the root;
4. the post-build steps over the assembled site, once (the search index: `qinqing.search`);
5. only a complete build replaces `site/`, by renaming: a failed or interrupted build leaves
   the previous site as it was (stopped between the two renames, the next build puts it back).
   Every folder removed is proven first to lie inside the project; an interrupted build stops
   its engines before its scratch folder goes.

Nothing passes between processes but files on disk.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from qinqing import search
from qinqing.engines import card
from qinqing.engines import project as project_module
from qinqing.errors import bilingual, render_message
from qinqing.safety import SCRATCH, UnsafePath, confined, remove_tree, terminal

ENGINES = ("mkdocs", "properdocs")
OLD = ".site-old-"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# Scratch folders carry the id of the process that made them: `.site-scratch-<pid>-…` (the
# projects, the languages' sites and the assembled one) and `.site-old-<pid>-…` (the previous
# site on its way out). Earlier versions also left `.qinqing-<lang>-<pid>-…` beside the site and
# `qinqing-configs-<pid>-…` in the temporary folder: still cleared.
_LEFTOVER = re.compile(r"^(?:\.site-scratch|\.site-old|\.qinqing-[a-z0-9-]+?|qinqing-configs)-(\d+)-[a-z0-9_]+$")


def clear_leftovers(*folders: Path, site: Path | None = None) -> list[Path]:
    """Remove the scratch folders of builds that were interrupted (their process is gone);
    returns what was removed. A running build's folders are left alone. If `site` is missing
    because a build was stopped between taking the previous site out and putting the new one
    in, the previous site is put back first (it is never deleted for want of a new one)."""
    removed = []
    for root in folders:
        try:
            entries = sorted(Path(root).iterdir())
        except OSError:
            continue
        for folder in entries:
            match = _LEFTOVER.match(folder.name)
            if not (match and folder.is_dir() and not folder.is_symlink() and not _alive(int(match.group(1)))):
                continue
            try:
                kept = folder / "site"
                if (site is not None and folder.name.startswith(OLD) and not site.exists() and kept.is_dir()
                        and site.parent.resolve() == Path(root).resolve()):
                    os.rename(kept, site)
                remove_tree(root, folder)
                removed.append(folder)
            except OSError:  # another user's, or gone meanwhile: not ours to clear
                continue
    return removed


def jobs_default() -> int:
    """Engine processes at once: the cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def build(project: Path, site_dir: Path, site, *, engine: str = "mkdocs", strict: bool = False,
          quiet: bool = False, tuning: bool = True, site_url: str | None = None, jobs: int | None = None,
          env: dict[str, str] | None = None) -> int:
    """Build every language of the project at `project` from `site` (a SiteData holding the
    checked data) into `site_dir`; 0 on success, else 1 with `site_dir` untouched."""
    if engine not in ENGINES:
        raise ValueError(engine)
    project = project.resolve()
    # The site folder is the project's own: nothing outside it is ever replaced.
    target = confined(project, site_dir)
    parent = target.parent
    parent.mkdir(parents=True, exist_ok=True)
    clear_leftovers(parent, site=target)
    table = site.languages
    url = site_url if site_url is not None else project_module.site_url(project)
    # Material's end-of-life banner on every build says nothing an editor can act on. (Each
    # project dates its build from the data itself: qinqing.engines.project.complete_config.)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    scratch = Path(tempfile.mkdtemp(prefix=f"{SCRATCH}{os.getpid()}-", dir=parent))
    try:
        projects, built, whole = scratch / "projects", scratch / "built", scratch / "site"
        engines = _Engines()
        pool = ThreadPoolExecutor(max(1, jobs or jobs_default()))
        try:
            runs = {}
            share_card = card.png()  # the same image in every edition: drawn once
            for row in table:
                project_module.write(projects / row.code, row.code, site, project, url, tuning=tuning,
                                     share_card=share_card)
                runs[row.code] = pool.submit(engines.run, engine, projects / row.code, built / row.code,
                                             strict, quiet, env)
            results = {code: run.result() for code, run in runs.items()}
        except BaseException:
            # Interrupted (Ctrl+C) or failed: no language not yet started starts, the running
            # engines stop, and only then is the scratch folder removed (below).
            pool.shutdown(wait=False, cancel_futures=True)
            engines.stop()
            raise
        finally:
            pool.shutdown(wait=True)
        failed = {code: output for code, (ok, output) in results.items() if not ok}
        for code, (ok, output) in results.items():
            # What an editor can act on (the engine's warnings), not its progress lines, which
            # name scratch folders; then one line per language.
            said = "\n".join(line for line in output.splitlines() if line.strip() and not line.startswith("INFO"))
            if ok and said:
                print(_labelled(code, said), file=sys.stderr)
            if ok and not quiet:
                pages = sum(1 for _ in (built / code).rglob("*.html"))
                print("qinqing: " + render_message("build_language_built", {"code": code, "pages": pages}))
        if failed:
            print(render_message("build_language_failed", {}) + "\n"
                  + "\n".join(_labelled(code, output) for code, output in failed.items()), file=sys.stderr)
            return 1
        _assemble(table, built, whole)
        if not post_build(whole, table, quiet=quiet):
            return 1
        old = None
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f"{OLD}{os.getpid()}-", dir=parent))
            os.rename(target, old / "site")
        try:
            os.rename(whole, target)
        except BaseException:
            if old is not None and not target.exists():
                os.rename(old / "site", target)  # the previous site back in place
            raise
        if old is not None:
            remove_tree(parent, old)
        return 0
    finally:
        if scratch.exists():
            remove_tree(parent, scratch)


class _Engines:
    """The engine processes of one build, so that an interrupted build can stop them."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.running: list[subprocess.Popen] = []
        self.stopping = False

    def run(self, engine: str, project: Path, out: Path, strict: bool, quiet: bool,
            env: dict[str, str]) -> tuple[bool, str]:
        """One language's project built by the engine into `out`: (succeeded, what it printed)."""
        args = [sys.executable, "-m", engine, "build", "-f", str(project / "mkdocs.yml"), "-d", str(out)]
        if strict:
            args.append("--strict")
        if quiet:
            args.append("--quiet")
        with self.lock:
            if self.stopping:
                return False, "stopped"
            proc = subprocess.Popen(args, cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                    text=True, errors="replace")
            self.running.append(proc)
        output, _ = proc.communicate()
        ok = proc.returncode == 0 and (out / "index.html").is_file()
        return ok, output.strip() or ("" if ok else f"exit {proc.returncode}")

    def stop(self) -> None:
        with self.lock:
            self.stopping = True
            for proc in self.running:
                if proc.poll() is None:
                    proc.terminate()
        for proc in self.running:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _labelled(code: str, output: str) -> str:
    return "\n".join(f"[{code}] {terminal(line)}" for line in output.splitlines())


def _assemble(table, built: Path, whole: Path) -> None:
    """The languages' sites as one: the default language's at the root, each other in its
    folder (a path of the languages table, proven to lie inside the site)."""
    os.rename(built / table.default.code, whole)
    for row in table:
        if row is table.default:
            continue
        place = confined(whole, row.path)
        if place.exists():  # the default language's docs/ holds a folder of that name
            raise UnsafePath(f"{row.path}: {bilingual('path_taken_by_default')}")
        place.parent.mkdir(parents=True, exist_ok=True)
        os.rename(built / row.code, place)


def post_build(site_dir: Path, table, *, quiet: bool = False) -> bool:
    """The steps over the whole assembled site, after every language is built: the search
    index of every edition. False (with the reason printed) when one fails."""
    try:
        search.index(site_dir, table, quiet=quiet)
    except search.SearchIndexError as exc:
        print(render_message("build_search_failed", {}) + "\n" + terminal(str(exc)), file=sys.stderr)
        return False
    return True


__all__ = ["ENGINES", "UnsafePath", "build", "clear_leftovers", "jobs_default", "post_build"]
