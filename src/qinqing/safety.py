"""What an editable file's text may hold, how text is shown in a terminal, and where a build
may write.

Every file a pull request can change (the data, the languages table, the phrase and surname
lists, the source texts) is read as hostile. This module holds the rules that are the same
for all of them, so each reader applies one function rather than its own copy:

- `text_problems`: control characters are refused everywhere; bidirectional overrides and
  zero-width characters are refused where a value names something (ids, names, codes) and
  reported elsewhere, because they make one text look like another.
- `terminal`: text for a terminal or a log, with every control and invisible character
  written out (`<U+001B>`), so a value cannot move the cursor, recolour or hide itself.
- `confined` / `remove_tree`: a path the build writes or removes is proven to lie inside its
  root before anything happens to it.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

# The build's scratch folders beside the site (qinqing.build, and the search's index view in
# qinqing.search): anything named so is the build's own, removed by it or by the next build.
SCRATCH = ".site-scratch-"

# C0 and C1 controls and DEL (a line break and a tab are text: block scalars, source texts),
# lone surrogates (not text at all: no UTF-8 file can hold one, a YAML escape can) and the two
# noncharacters XML 1.0 forbids.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# Characters that change how the text around them is shown, or are not shown at all:
# bidirectional embeddings, overrides and isolates, marks, zero-width spaces and joiners,
# the word joiner and the byte-order mark.
_INVISIBLE = re.compile(r"[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
# For a terminal: those, a carriage return (it would overwrite the line), the line and paragraph
# separators, and lone surrogates (from arguments that are not UTF-8; print would fail on them).
_SHOWN_AS_CODE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064"
                            "\u2066-\u2069\ufeff\ud800-\udfff]")


def first_control(text: str) -> tuple[int, str] | None:
    """The position and code point (U+0007) of the first control character, if any."""
    match = _CONTROL.search(text)
    return (match.start(), f"U+{ord(match.group()):04X}") if match else None


def first_invisible(text: str) -> tuple[int, str] | None:
    """The position and code point of the first bidi or zero-width character, if any."""
    match = _INVISIBLE.search(text)
    return (match.start(), f"U+{ord(match.group()):04X}") if match else None


def terminal(text: object) -> str:
    """Text for a terminal, a log or a CI annotation: control and invisible characters are
    written out as <U+XXXX>; a line break stays a line break."""
    return _SHOWN_AS_CODE.sub(lambda m: f"<U+{ord(m.group()):04X}>", str(text))


class UnsafePath(RuntimeError):
    """A path the build was about to write or remove lies outside the folder it may touch."""


def confined(root: str | os.PathLike[str], target: str | os.PathLike[str], *, allow_root: bool = False) -> Path:
    """`target` as an absolute path, proven to lie inside `root` (symbolic links resolved);
    `UnsafePath` otherwise. The root itself counts only when `allow_root`."""
    base = Path(root).resolve()
    where = Path(os.path.abspath(Path(root) / target))
    # The folder that would be written: its resolved parent, plus its own name unresolved (it
    # may not exist yet; if it is a link, rmtree refuses it and rename replaces the link).
    resolved = where.parent.resolve() / where.name if where != base else base
    from qinqing.errors import bilingual  # here: errors imports this module

    if resolved == base:
        if allow_root:
            return base
        raise UnsafePath(f"{target}: {bilingual('path_is_root', base=base)}")
    if base not in resolved.parents:
        raise UnsafePath(f"{target}: {bilingual('path_outside', base=base)}")
    return resolved


def remove_tree(root: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
    """Remove the folder `target` (or file), after proving it lies inside `root`."""
    path = confined(root, target)
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path)
