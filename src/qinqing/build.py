"""`qinqing build`: the whole site into `site/`, all or nothing.

Checks every editable file first (the data, the languages table, the phrase and surname
lists, the source texts, and what the theme must have: icons, interface languages), so bad
input stops with located errors before anything is touched. Then the engine (MkDocs, or
ProperDocs, the maintained fork; a setting) builds every language into a scratch folder
beside `site/`; the post-build steps run over that assembled site once (the search index:
`qinqing.search`), and only a complete build replaces `site/`, by renaming: a failed or
interrupted build leaves the previous site as it was. Every folder removed is proven first
to lie inside the project.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from . import languages, search
from .errors import render_message
from .safety import UnsafePath, confined, remove_tree, terminal

ENGINES = ("mkdocs", "properdocs")
SCRATCH = ".site-scratch-"
OLD = ".site-old-"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# Scratch folders carry the id of the process that made them: `.site-scratch-<pid>-…` and
# `.site-old-<pid>-…` (this module), `.qinqing-<lang>-<pid>-…` (another language's site, beside
# the site) and `qinqing-configs-<pid>-…` (its generated config, in the temporary folder).
_LEFTOVER = re.compile(r"^(?:\.site-scratch|\.site-old|\.qinqing-[a-z0-9-]+?|qinqing-configs)-(\d+)-[a-z0-9_]+$")


def clear_leftovers(*folders: Path) -> list[Path]:
    """Remove the scratch folders of builds that were interrupted (their process is gone);
    returns what was removed. A running build's folders are left alone."""
    removed = []
    for root in folders:
        try:
            entries = list(Path(root).iterdir())
        except OSError:
            continue
        for folder in entries:
            match = _LEFTOVER.match(folder.name)
            if match and folder.is_dir() and not folder.is_symlink() and not _alive(int(match.group(1))):
                remove_tree(root, folder)
                removed.append(folder)
    return removed


def build(project: Path, site_dir: Path, *, engine: str = "mkdocs", strict: bool = False,
          quiet: bool = False, env: dict[str, str] | None = None) -> int:
    """Build `project` (its mkdocs.yml) into `site_dir`; 0 on success, else the engine's exit
    code, with `site_dir` untouched."""
    if engine not in ENGINES:
        raise ValueError(engine)
    project = project.resolve()
    # The site folder is the project's own: nothing outside it is ever replaced.
    target = confined(project, site_dir)
    parent = target.parent
    parent.mkdir(parents=True, exist_ok=True)
    clear_leftovers(parent, Path(tempfile.gettempdir()))
    scratch = Path(tempfile.mkdtemp(prefix=f"{SCRATCH}{os.getpid()}-", dir=parent))
    try:
        args = [sys.executable, "-m", engine, "build", "-f", str(project / "mkdocs.yml"), "-d", str(scratch)]
        if strict:
            args.append("--strict")
        if quiet:
            args.append("--quiet")
        # Material's end-of-life banner on every build says nothing an editor can act on.
        result = subprocess.run(args, cwd=project, env={"NO_MKDOCS_2_WARNING": "1", **os.environ, **(env or {}),
                                                        "QINQING_ENGINE": engine})
        if result.returncode != 0 or not (scratch / "index.html").is_file():
            return result.returncode or 1
        if not post_build(scratch, project / "data" / "initiatives.yaml", quiet=quiet):
            return 1
        old = None
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f"{OLD}{os.getpid()}-", dir=parent))
            os.rename(target, old / "site")
        os.rename(scratch, target)
        if old is not None:
            remove_tree(parent, old)
        return 0
    finally:
        if scratch.exists():
            remove_tree(parent, scratch)


def post_build(site_dir: Path, data_file: Path, *, quiet: bool = False) -> bool:
    """The steps over the whole assembled site, after every language is built: the search
    index of every edition. False (with the reason printed) when one fails."""
    try:
        search.index(site_dir, languages.load(data_file), quiet=quiet)
    except search.SearchIndexError as exc:
        print(render_message("build_search_failed", {}) + "\n" + terminal(str(exc)), file=sys.stderr)
        return False
    return True


__all__ = ["ENGINES", "UnsafePath", "build", "clear_leftovers", "post_build"]
