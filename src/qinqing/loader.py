"""Reads `initiatives.yaml` safely and remembers where every value came from.

The YAML is composed into nodes (never constructed into arbitrary objects), then walked
by hand so that duplicate keys, aliases and custom tags are refused and every value's
line and column is kept for error messages. The C loader is used when available: it
keeps node marks and is several times faster than the pure-Python one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import DataError, Issue

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

# Far above the real file (about 60 KB) and the 5000-activity benchmark (about 6 MB), far below
# what would make a build swap: a pasted blob is caught before it is parsed.
MAX_BYTES = 16 * 1024 * 1024

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


def _mark(node: yaml.Node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


class _Walker:
    def __init__(self, loader: Any, doc: Document) -> None:
        self.loader = loader
        self.doc = doc
        self.seen: set[int] = set()
        self.issues: list[Issue] = []

    def issue(self, node: yaml.Node, path: Path_, code: str, **params: Any) -> None:
        line, col = _mark(node)
        if "tag" in params:
            params["tag"] = str(params["tag"]).replace("tag:yaml.org,2002:", "!!")
        self.issues.append(Issue(line=line, col=col, path=path, code=code, params=params))

    def walk(self, node: yaml.Node, path: Path_) -> Any:
        # The composer shares one node between an anchor and its aliases; meeting a node
        # twice means an alias, refused outright so no file can expand exponentially.
        if id(node) in self.seen:
            self.issue(node, path, "yaml_alias")
            return None
        self.seen.add(id(node))
        self.doc.marks[path] = _mark(node)
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != "tag:yaml.org,2002:seq":
                self.issue(node, path, "yaml_tag", tag=node.tag)
                return None
            return [self.walk(item, path + (i,)) for i, item in enumerate(node.value)]
        if node.tag not in _PLAIN_TAGS:
            self.issue(node, path, "yaml_tag", tag=node.tag)
            return None
        if node.tag == "tag:yaml.org,2002:timestamp":
            return node.value
        return self.loader.construct_object(node, deep=True)

    def mapping(self, node: yaml.MappingNode, path: Path_) -> dict[str, Any] | None:
        if node.tag != "tag:yaml.org,2002:map":
            self.issue(node, path, "yaml_tag", tag=node.tag)
            return None
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.issue(key_node, path, "yaml_alias")
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.issue(key_node, path, "yaml_key")
                continue
            key = str(key_node.value)
            child = path + (key,)
            if key in result:
                self.issue(key_node, child, "yaml_duplicate", key=key,
                           first=self.doc.key_marks[child][0])
                continue
            self.doc.key_marks[child] = _mark(key_node)
            result[key] = self.walk(value_node, child)
        return result


def _yaml_error(path: Path, exc: yaml.YAMLError, text: str) -> Issue:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = getattr(exc, "problem", None) or str(exc)
    # libyaml reports a tab as "found character that cannot start any token"; say what it is.
    lines = text.splitlines()
    if mark and 0 <= mark.line < len(lines) and "\t" in lines[mark.line][: mark.column + 1]:
        return Issue(line=line, col=col, path=(), code="yaml_tab")
    return Issue(line=line, col=col, path=(), code="yaml_syntax", params={"problem": problem})


def load(path: str | os.PathLike[str]) -> Document:
    """Parse `path` into a `Document`, or raise `DataError` listing every problem found."""
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
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise DataError(path, [Issue(line, col, (), "not_utf8")]) from None
    text = text.removeprefix("\ufeff")
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        raise DataError(path, [Issue(1, 1, (), "file_empty")])

    loader = _Loader(text)
    try:
        try:
            root = loader.get_single_node()
        except yaml.YAMLError as exc:
            raise DataError(path, [_yaml_error(path, exc, text)]) from None
    finally:
        loader.dispose()
    if root is None:
        raise DataError(path, [Issue(1, 1, (), "file_empty")])
    if not isinstance(root, yaml.MappingNode):
        line, col = _mark(root)
        raise DataError(path, [Issue(line, col, (), "not_mapping")])
    walker = _Walker(loader, doc)
    doc.data = walker.walk(root, ())
    if walker.issues:
        raise DataError(path, walker.issues)
    return doc
