"""Reads `initiatives.yaml` safely and remembers where every value came from.

The YAML is read as libyaml's event stream and composed by hand (never constructed into
arbitrary objects), so that duplicate keys, aliases and custom tags are refused and every
value's line and column can be kept for error messages. The C parser is used when
available; it gives marks too and is many times faster than the pure-Python one.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from qinqing.errors import DataError, Issue
from qinqing.safety import first_control

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

# Far above the real file (about 60 KB) and the 5000-activity benchmark (about 6 MB), far below
# what would make a build swap: a pasted blob is caught before it is parsed.
MAX_BYTES = 16 * 1024 * 1024
# The real file nests 7 levels deep; a hand-made file of 1,000 levels would otherwise exhaust
# the stack of every reader after this one (validation, rendering, diff).
MAX_DEPTH = 32
# A plain number written with a leading zero (0000, 0123) is YAML 1.1 octal: 0123 would be
# read as 83 without a word. It stays the text the editor wrote, and the field says what it wants.
_LEADING_ZERO = re.compile(r"[-+]?0[0-9_]+")

Path_ = tuple[str | int, ...]

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    # Dates stay text: the model parses them at their own precision.
    "tag:yaml.org,2002:timestamp",
}


@dataclass
class Document:
    """The parsed data and the location (line, column; 1-based) of every value."""

    path: Path
    data: Any
    marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def locate(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """The nearest known location of `path` (its key's when `key`), walking up to its parent."""
        probe = tuple(path)
        while True:
            if key and probe in self.key_marks:
                return self.key_marks[probe]
            if probe in self.marks:
                return self.marks[probe]
            if not probe:
                return (1, 1)
            probe = probe[:-1]


class _Composer:
    """Builds plain Python data from libyaml's event stream.

    Events come from the C parser at about 15 MB/s; PyYAML's own composer spends most of its
    time resolving every scalar's tag in Python and building node objects, which is five times
    slower. Here only plain scalars that can be something other than text are resolved.
    Marks are recorded only when asked for (they cost memory): the build parses without them
    and parses again with them only to report errors.
    """

    def __init__(self, events: Any, doc: Document, with_marks: bool) -> None:
        self.events = events
        self.doc = doc
        self.with_marks = with_marks
        self.issues: list[Issue] = []

    def issue(self, event: Any, path: Path_, code: str, **params: Any) -> None:
        if "tag" in params:
            params["tag"] = str(params["tag"]).replace("tag:yaml.org,2002:", "!!")
        self.issues.append(Issue(event.start_mark.line + 1, event.start_mark.column + 1, path, code, params))

    def node(self, event: Any, path: Path_) -> Any:
        if self.with_marks:
            self.doc.marks[path] = (event.start_mark.line + 1, event.start_mark.column + 1)
        kind = type(event)
        if len(path) > MAX_DEPTH and kind in (yaml.MappingStartEvent, yaml.SequenceStartEvent):
            self.issue(event, path, "yaml_depth", limit=MAX_DEPTH)
            self.skip(event)
            return None
        if kind is yaml.ScalarEvent:
            return self.scalar(event, path)
        if kind is yaml.MappingStartEvent:
            if event.tag not in (None, "tag:yaml.org,2002:map"):
                self.issue(event, path, "yaml_tag", tag=event.tag)
            return self.mapping(path)
        if kind is yaml.SequenceStartEvent:
            if event.tag not in (None, "tag:yaml.org,2002:seq"):
                self.issue(event, path, "yaml_tag", tag=event.tag)
            items: list[Any] = []
            for event in self.events:
                if type(event) is yaml.SequenceEndEvent:
                    return items
                items.append(self.node(event, path + (len(items),)))
        if kind is yaml.AliasEvent:
            # Aliases are refused outright, so no file can expand exponentially.
            self.issue(event, path, "yaml_alias")
            return None
        raise AssertionError(f"unexpected YAML event {event!r}")  # pragma: no cover

    def mapping(self, path: Path_) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for event in self.events:
            kind = type(event)
            if kind is yaml.MappingEndEvent:
                return result
            if kind is not yaml.ScalarEvent:
                self.issue(event, path, "yaml_alias" if kind is yaml.AliasEvent else "yaml_key")
                self.skip(event)
                self.skip(next(self.events))
                continue
            key = event.value
            self.check_text(event, path + (key,), key)
            child = path + (key,)
            value_event = next(self.events)
            if key == "<<" and event.implicit[0]:
                self.issue(event, path, "yaml_alias")
                self.skip(value_event)
                continue
            if key in result:
                first = self.doc.key_marks.get(child, (0, 0))[0] if self.with_marks else 0
                self.issue(event, child, "yaml_duplicate", key=key, first=first or "?")
                self.skip(value_event)
                continue
            if self.with_marks:
                self.doc.key_marks[child] = (event.start_mark.line + 1, event.start_mark.column + 1)
            result[key] = self.node(value_event, child)
        return result  # pragma: no cover - the parser always closes a mapping

    def skip(self, event: Any) -> None:
        """Consume the rest of a node whose value is not used."""
        if type(event) in (yaml.MappingStartEvent, yaml.SequenceStartEvent):
            depth = 1
            for inner in self.events:
                if type(inner) in (yaml.MappingStartEvent, yaml.SequenceStartEvent):
                    depth += 1
                elif type(inner) in (yaml.MappingEndEvent, yaml.SequenceEndEvent):
                    depth -= 1
                    if depth == 0:
                        return

    def check_text(self, event: Any, path: Path_, value: str) -> None:
        """Control characters (NUL, ESC, BEL…) are refused in every value and key: they make
        the feed malformed XML and reach pages and terminals as raw bytes."""
        found = first_control(value)
        if found is not None:
            self.issue(event, path, "control_char", char=found[1], position=found[0] + 1)

    def scalar(self, event: Any, path: Path_) -> Any:
        value = event.value
        tag = event.tag
        self.check_text(event, path, value)
        if tag is None or tag == "!":
            if not event.implicit[0]:
                return value  # quoted: always text
            tag = _resolve_plain(value)
        if tag == "tag:yaml.org,2002:str":
            return value
        if tag not in _PLAIN_TAGS:
            self.issue(event, path, "yaml_tag", tag=tag)
            return None
        if tag == "tag:yaml.org,2002:timestamp":
            return value  # dates stay text: the model parses them at their own precision
        return _CONSTRUCT[tag](yaml.ScalarNode(tag, value))


_RESOLVERS = yaml.resolver.Resolver.yaml_implicit_resolvers
_SAFE = yaml.constructor.SafeConstructor()
_CONSTRUCT = {
    "tag:yaml.org,2002:int": _SAFE.construct_yaml_int,
    "tag:yaml.org,2002:float": _SAFE.construct_yaml_float,
    "tag:yaml.org,2002:bool": _SAFE.construct_yaml_bool,
    "tag:yaml.org,2002:null": _SAFE.construct_yaml_null,
}


def _resolve_plain(value: str) -> str:
    if value[:1] in "0+-" and _LEADING_ZERO.fullmatch(value):
        return "tag:yaml.org,2002:str"
    for tag, pattern in _RESOLVERS.get(value[:1], ()):
        if pattern.match(value):
            return tag
    return "tag:yaml.org,2002:str"


def _yaml_error(path: Path, exc: yaml.YAMLError, text: str) -> Issue:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    context = getattr(exc, "context_mark", None)
    if context is not None and mark is not None and (
            mark.index >= len(text.rstrip()) - 1 or "flow" in str(getattr(exc, "context", ""))):
        # An unclosed bracket or quote is found only further on (the next line, or the end of
        # the file): the editor needs the place where it was opened.
        problem = getattr(exc, "problem", None) or str(exc)
        return Issue(line=context.line + 1, col=context.column + 1, path=(), code="yaml_unclosed",
                     params={"problem": problem})
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = getattr(exc, "problem", None) or str(exc)
    # libyaml reports a tab as "found character that cannot start any token"; say what it is.
    lines = text.splitlines()
    if mark and 0 <= mark.line < len(lines) and "\t" in lines[mark.line][: mark.column + 1]:
        return Issue(line=line, col=col, path=(), code="yaml_tab")
    return Issue(line=line, col=col, path=(), code="yaml_syntax", params={"problem": problem})


def _where(event: yaml.Event) -> tuple[int, int]:
    """An event's line and column, counted from 1 (every event the parser emits has a mark)."""
    mark = event.start_mark
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def load(path: str | os.PathLike[str], *, marks: bool = True) -> Document:
    """Parse `path` into a `Document`, or raise `DataError` listing every problem found.

    With `marks=False` the location of each value is not kept (faster, less memory); a caller
    that then finds the data invalid loads it again with marks to report where."""
    path = Path(path)
    doc = Document(path=path, data=None)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise DataError(path, [Issue(1, 1, (), "file_too_large", {"size": size, "limit": MAX_BYTES})])
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataError(path, [Issue(0, 0, (), "file_missing")]) from None
    except IsADirectoryError:
        raise DataError(path, [Issue(0, 0, (), "file_missing")]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        # The column in characters, as an editor counts them, not in bytes.
        start = raw.rfind(b"\n", 0, exc.start) + 1
        col = len(raw[start: exc.start].decode("utf-8", "replace")) + 1
        raise DataError(path, [Issue(line, col, (), "not_utf8")]) from None
    text = text.removeprefix("\ufeff")
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        raise DataError(path, [Issue(1, 1, (), "file_empty")])

    events = yaml.parse(text, Loader=_Loader)
    composer = _Composer(events, doc, with_marks=marks)
    try:
        next(events)  # StreamStart
        first = next(events)
        if type(first) is yaml.StreamEndEvent:
            raise DataError(path, [Issue(1, 1, (), "file_empty")])
        root = next(events)
        if type(root) is not yaml.MappingStartEvent:
            raise DataError(path, [Issue(*_where(root), (), "not_mapping")])
        if root.tag not in (None, "tag:yaml.org,2002:map"):
            composer.issue(root, (), "yaml_tag", tag=root.tag)
        if marks:
            doc.marks[()] = _where(root)
        doc.data = composer.mapping(())
        next(events)  # DocumentEnd
        after = next(events)
        if type(after) is not yaml.StreamEndEvent:
            raise DataError(path, [Issue(*_where(after), (), "yaml_syntax",
                                         {"problem": "more than one document (---)"})])
    except yaml.YAMLError as exc:
        raise DataError(path, [_yaml_error(path, exc, text)]) from None
    if composer.issues:
        if not marks:
            return load(path, marks=True)  # report duplicate keys with both lines
        raise DataError(path, composer.issues)
    return doc
