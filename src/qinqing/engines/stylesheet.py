"""Stylesheet pruning: drop the theme's CSS rules that no page of the site can match.

Material ships one stylesheet for every feature it has (versions, tags, code annotations,
tooltips, twenty colour palettes…), about 23 KiB gzipped, render-blocking on every first
visit. A rule is kept when each class its selector needs is used by a built page or named by
the theme's scripts (which add classes at run time: search results, table wrappers…), and
each palette attribute it tests has a value the site offers. Attribute selectors otherwise,
element selectors, at-rules such as @keyframes, and the arguments of :not(), :is(),
:where() and :has() never cause a rule to be dropped: the pruning errs towards keeping.

Custom properties (`--name: value`) that nothing reads are dropped as well, once the rules
that read them are gone (code highlighting's colours on a site without code, for example).

Pure text in, text out, no engine imports; `tests/test_quality.py` checks in a browser that
pages look the same (every computed style of every element) with the pruned stylesheet.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

_CLASS_ATTRIBUTE = re.compile(r'class="([^"]*)"')
_SCRIPT_CLASS = re.compile(r"(?:md|qq)-[a-z0-9_-]+")
_SELECTOR_CLASS = re.compile(r"\.(-?[_a-zA-Z][_a-zA-Z0-9-]*)")
_SELECTOR_ATTRIBUTE = re.compile(r"\[([a-z-]+)=[\"']?([^\]\"']*)[\"']?\]")
_FUNCTIONAL = re.compile(r":(?:not|is|where|has)\((?:[^()]|\([^()]*\))*\)")
_BRACKETS = re.compile(r"\[[^\]]*\]")

_GROUPING = ("@media", "@supports", "@container", "@layer")


def classes_in_html(html: str) -> set[str]:
    # A page repeats a few dozen class attributes hundreds of times: split each once.
    return {name for value in set(_CLASS_ATTRIBUTE.findall(html)) for name in value.split()}


def classes_in_script(script: str) -> set[str]:
    """Class names a script may add at run time: the theme's start with `md-`, the site's
    own (assets/javascripts) with `qq-`."""
    return set(_SCRIPT_CLASS.findall(script))


_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_SPACE = re.compile(r"\s+")
_SPACE_AROUND = re.compile(r" ?([{};,>]) ?")


def minify(css: str) -> str:
    """Comments and layout whitespace out (hand-written CSS inlined in every page). Spaces
    before a colon stay: in a selector `a :hover` is not `a:hover`."""
    return _SPACE_AROUND.sub(r"\1", _SPACE.sub(" ", _COMMENT.sub("", css))).strip()


def prune(css: str, classes: Iterable[str] | None, attributes: Mapping[str, Iterable[str]] | None = None) -> str:
    """`css` without the rules that need a class outside `classes` (None: any class may
    occur), or a value outside `attributes[name]` for an attribute named there (e.g. the
    palette's colours)."""
    keep_classes = None if classes is None else set(classes)
    keep_attributes = {name: set(values) for name, values in (attributes or {}).items()}
    rules, _ = _parse(css, 0)
    return _emit(rules, keep_classes, keep_attributes)


def _scan(css: str, start: int, stops: str) -> int:
    """Index of the first character in `stops` at or after `start`, outside strings."""
    i, quote = start, None
    while i < len(css):
        char = css[i]
        if quote:
            if char == "\\":
                i += 2
                continue
            if char == quote:
                quote = None
        elif char in "\"'":
            quote = char
        elif char in stops:
            return i
        i += 1
    return len(css)


def _parse(css: str, i: int) -> tuple[list, int]:
    """Rules as (prelude, body): body is the declarations' text, a list of nested rules for
    grouping at-rules, or None for statements such as @charset."""
    rules: list = []
    while i < len(css):
        j = _scan(css, i, "{};")
        if j >= len(css):
            break
        if css[j] == "}":
            return rules, j + 1
        prelude = css[i:j].strip()
        if css[j] == ";":
            rules.append((prelude, None))
            i = j + 1
        elif prelude.startswith(_GROUPING):
            body, i = _parse(css, j + 1)
            rules.append((prelude, body))
        else:
            k, depth = j + 1, 1
            while k < len(css):
                k = _scan(css, k, "{}")
                if k >= len(css):
                    break
                depth += 1 if css[k] == "{" else -1
                if depth == 0:
                    break
                k += 1
            rules.append((prelude, css[j + 1:k]))
            i = k + 1
    return rules, i


def _selectors(prelude: str) -> list[str]:
    return _split_top_level(prelude, ",")


def _split_top_level(text: str, separator: str) -> list[str]:
    """`text` split at each `separator` outside strings and brackets (a selector list's
    commas inside :is(); a data: URL's `;charset=` inside a declaration)."""
    parts, depth, start, quote = [], 0, 0, None
    for index, char in enumerate(text):
        if quote:
            if char == quote and text[index - 1] != "\\":
                quote = None
        elif char in "\"'":
            quote = char
        elif char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == separator and depth == 0:
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    return parts


def _matchable(selector: str, classes: set[str] | None, attributes: dict[str, set[str]]) -> bool:
    bare = _FUNCTIONAL.sub("", selector)
    for name, value in _SELECTOR_ATTRIBUTE.findall(bare):
        if name in attributes and value not in attributes[name]:
            return False
    return classes is None or all(name in classes for name in _SELECTOR_CLASS.findall(_BRACKETS.sub("", bare)))


def _emit(rules: list, classes: set[str] | None, attributes: dict[str, set[str]]) -> str:
    out = []
    for prelude, body in rules:
        if body is None:
            out.append(prelude + ";")
        elif isinstance(body, list):
            inner = _emit(body, classes, attributes)
            if inner:
                out.append(prelude + "{" + inner + "}")
        elif prelude.startswith("@"):  # @keyframes, @font-face, @property, @page
            out.append(prelude + "{" + body + "}")
        else:
            kept = [s for s in _selectors(prelude) if _matchable(s, classes, attributes)]
            if kept:
                out.append(",".join(kept) + "{" + body + "}")
    return "".join(out)


_CUSTOM_PROPERTY = re.compile(r"--[a-zA-Z0-9_-]+")
_READ_PROPERTY = re.compile(r"var\(\s*(--[a-zA-Z0-9_-]+)")


def drop_unused_properties(css: str, read_elsewhere: Iterable[str] = ()) -> str:
    """`css` without the custom property declarations that no `var()` in it reads and that
    are not in `read_elsewhere` (names that other stylesheets or scripts use). Repeated until
    nothing changes: a property read only by a dropped one is unused too."""
    rules, _ = _parse(css, 0)
    external = set(read_elsewhere)
    while True:
        read = external | set(_READ_PROPERTY.findall(_emit(rules, None, {})))
        rules, dropped = _drop_properties(rules, read)
        if not dropped:
            return _emit(rules, None, {})


def _drop_properties(rules: list, read: set[str]) -> tuple[list, bool]:
    out, dropped = [], False
    for prelude, body in rules:
        if isinstance(body, list):
            body, inner = _drop_properties(body, read)
            dropped |= inner
        elif body is not None and not prelude.startswith("@"):
            declarations = _declarations(body)
            kept = [d for d in declarations
                    if not (d.lstrip().startswith("--") and d.split(":", 1)[0].strip() not in read)]
            if len(kept) < len(declarations):
                dropped = True
                if not kept:
                    continue
                body = ";".join(kept)
        out.append((prelude, body))
    return out, dropped


def _declarations(body: str) -> list[str]:
    return [part for part in _split_top_level(body, ";") if part.strip()]


def properties_named(text: str) -> set[str]:
    """Custom property names anywhere in `text` (a script that reads or sets them)."""
    return set(_CUSTOM_PROPERTY.findall(text))


def properties_read(css: str) -> set[str]:
    """Custom property names that a stylesheet reads (`var()`)."""
    return set(_READ_PROPERTY.findall(css))


def classes_in_css(css: str) -> set[str]:
    """Class names that the selectors (and, harmlessly, the values) of a stylesheet name."""
    return set(_SELECTOR_CLASS.findall(css))
