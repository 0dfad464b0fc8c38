"""Located, bilingual data errors: what an editor sees when the data file is wrong.

Every problem is an `Issue` (line, column, field path, message code, parameters); the
wording of each code, in Chinese and English, lives in `messages.yaml` beside this file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from qinqing.safety import terminal


@dataclass(frozen=True)
class Issue:
    line: int
    col: int
    path: tuple[str | int, ...]
    code: str
    params: dict[str, Any] = field(default_factory=dict)
    warning: bool = False

    def field_path(self) -> str:
        out = ""
        for part in self.path:
            out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
        return out

    def message(self) -> str:
        return render_message(self.code, self.params)

    def line_text(self, file: str) -> str:
        where = f"{file}:{self.line}:{self.col}" if self.line else file
        kind = "warning: " if self.warning else ""
        label = self.field_path()
        # Values quoted in a message come from the file: shown, never obeyed by the terminal.
        return terminal(f"{where}: {kind}{label + ': ' if label else ''}{self.message()}")

    def github_annotation(self, file: str) -> str:
        level = "warning" if self.warning else "error"
        text = terminal(f"{self.field_path() + ': ' if self.path else ''}{self.message()}")
        # Workflow commands end at a newline and treat % specially.
        text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return f"::{level} file={file},line={max(self.line, 1)},col={max(self.col, 1)}::{text}"


class DataError(Exception):
    """The data file cannot be used; carries every issue found."""

    def __init__(self, path: Path | str, issues: list[Issue]) -> None:
        self.path = Path(path)
        self.issues = sorted(issues, key=lambda i: (i.line, i.col, i.field_path()))
        super().__init__(self.report())

    def report(self, display: str | None = None) -> str:
        return format_issues(self.issues, display or display_path(self.path))


def display_path(path: Path) -> str:
    """The path as the editor knows it: relative to the working folder when inside it."""
    try:
        return os.path.relpath(path)
    except ValueError:  # pragma: no cover - other drive on Windows
        return str(path)


def format_issues(issues: list[Issue], file: str) -> str:
    return "\n".join(issue.line_text(file) for issue in issues)


@cache
def _messages() -> dict[str, dict[str, str]]:
    text = resources.files(__package__).joinpath("messages.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def message_texts(code: str) -> dict[str, str]:
    """A message's text in each language, unfilled: `{zh: …, en: …}`."""
    return _messages()[code]


def bilingual(code: str, /, **params: object) -> str:
    """A message of the tool itself (the command, the preview, the build) in both languages,
    `zh / en`, its placeholders filled with `params` as given: a caller escapes each value for
    where the line goes (`terminal`, `html.escape`) before passing it. Unlike `render_message`,
    an unknown code or a missing value is an error, and line breaks are kept."""
    entry = _messages()[code]
    return f"{entry['zh'].format_map(params)} / {entry['en'].format_map(params)}"


def render_message(code: str, params: dict[str, Any]) -> str:
    entry = _messages().get(code) or _messages()["unknown"]
    safe = _Defaulting(params)
    zh = entry["zh"].format_map(safe)
    en = entry["en"].format_map(safe)
    # One issue, one line: a value quoted in the message may itself hold a line break.
    return " ".join(f"{zh} / {en}".split())


class _Defaulting(dict):
    def __missing__(self, key: str) -> str:
        return "?"
