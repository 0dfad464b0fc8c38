"""What a change to the data file does, in words a reviewer reads: `qinqing diff`.

Two versions of the data file are each checked as `validate` checks them (bad input raises
the same located `DataError`), then compared record by record, by id, in every top-level
collection of the model: records added, removed, renamed (a removed and an added record
equal apart from their id) and changed (each field path, old → new; texts in both
languages). Lists without ids (a termbase, a phrase list) are matched by their first field.
Both versions are also rendered, so the pages listed are the pages whose content really
changes, in every language, as site paths.

Output: Markdown for a pull request's summary (`markdown`) or plain data (`as_json`). Every
text of the data reaches an output through the one escaping function of that output:
`comment_text` for the Markdown (the pull-request comment, also what `qinqing diff` prints),
`terminal_text` for plain messages on a terminal (a bad ref), `json_text` for the JSON as text.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from pydantic import BaseModel

from qinqing.errors import DataError, bilingual, message_texts
from qinqing.i18n import formatting
from qinqing.i18n.languages import Edition, Languages
from qinqing.ingest.model import Initiatives, Localized, Money, Note, Quantity, field_doc
from qinqing.ingest.validation import check
from qinqing.pages import render
from qinqing.safety import terminal

# Fields that name a record, most telling first.
_LABEL_FIELDS = ("title", "name", "text", "label", "relation", "event")

# The headings and words of the summary, Chinese first (the office's language), then English.
def _both(code: str) -> str:
    """A word of the summary in both languages, as the summary writes it: 新增 · Added."""
    entry = message_texts(code)
    return f"{entry['zh']} · {entry['en']}"


# The summary's words: messages.yaml's diff_<key>, in both languages.
WORDS = {key: _both(f"diff_{key}") for key in (
    "title", "none", "added", "removed", "renamed", "changed", "field", "before", "after", "pages", "content",
    "all_pages", "new_page", "gone_page")}
WORDS["unchanged"] = f"（{_both('diff_unchanged')}）"
WORDS["empty"] = "—"
_COUNTS = {key: (message_texts(f"diff_count_{key}")["zh"], message_texts(f"diff_count_{key}")["en"])
           for key in ("added", "removed", "renamed", "changed")}

# Collection headings: the collection's bilingual description (fields.yaml) where it has one.
def _collection_title(name: str) -> str:
    zh, en = field_doc(Initiatives, name)
    return f"{zh} · {en} (`{name}`)" if zh else f"`{name}`"


# --- comparing -----------------------------------------------------------------------------


@dataclass
class FieldChange:
    path: str
    old: Any
    new: Any


@dataclass
class Change:
    collection: str
    kind: str  # added, removed, renamed, changed
    id: str
    label: Localized | None
    old_id: str | None = None
    fields: list[FieldChange] = field(default_factory=list)
    pages: dict[str, list[str]] = field(default_factory=dict)
    # The records themselves (new, or old when removed), to find the pages they touch.
    record: Any = None
    old_record: Any = None


@dataclass
class Diff:
    old_name: str
    new_name: str
    changes: list[Change]
    # Every page that differs, per language: {"changed": [...], "added": [...], "removed": [...]}.
    pages: dict[str, dict[str, list[str]]]
    # Each language's root path on the site ("/", "/en/", …), from the languages table.
    roots: dict[str, str] = field(default_factory=dict)

    def count(self, kind: str) -> int:
        return sum(1 for c in self.changes if c.kind == kind)


def _items(data: Initiatives) -> Iterator[tuple[str, Any]]:
    """Every top-level field of the model, in the model's order (new collections included)."""
    for name in type(data).model_fields:
        yield name, getattr(data, name)


def _key(item: Any, position: int) -> str:
    """How an item of a list is matched between the versions: its id, or its first field."""
    if isinstance(item, BaseModel):
        if "id" in type(item).model_fields:
            return str(cast(Any, item).id)
        first = next(iter(type(item).model_fields), None)
        value = getattr(item, first) if first else None
        if isinstance(value, Localized):
            return value.zh
        if isinstance(value, (str, int, float)):
            return str(value)
    elif isinstance(item, (str, int, float)):
        return str(item)
    return f"#{position}"


def _keyed(items: list[Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for i, item in enumerate(items):
        key = _key(item, i)
        while key in out:  # two items with the same first field: keep both
            key += "'"
        out[key] = item
    return out


def _is_leaf(value: Any) -> bool:
    return isinstance(value, (Localized, Money, Quantity)) or not isinstance(value, (BaseModel, list))


def _flatten(value: Any, path: str = "") -> dict[str, Any]:
    """Every leaf of a record by field path: texts, amounts and quantities whole; lists of
    records by id (points[culture-empathy].title) or by position (milestones[0].event); a
    list of plain values (ids, texts) whole."""
    if _is_leaf(value):
        return {path: value}
    if isinstance(value, BaseModel):
        out: dict[str, Any] = {}
        # A note's further written languages are keys of their own (Texts.written).
        names = [*type(value).model_fields, *(value.written() if isinstance(value, Note) else ())]
        for name in names:
            out.update(_flatten(getattr(value, name), f"{path}.{name}" if path else name))
        return out
    # A list.
    if not value or not all(isinstance(v, BaseModel) and not isinstance(v, Localized) for v in value):
        return {path: tuple(value)}
    with_ids = all("id" in type(v).model_fields for v in value)
    out = {}
    for i, item in enumerate(value):
        out.update(_flatten(item, f"{path}[{item.id if with_ids else i}]"))
    return out


def _field_changes(old: Any, new: Any) -> list[FieldChange]:
    a, b = _flatten(old), _flatten(new)
    paths = list(a) + [p for p in b if p not in a]
    return [FieldChange(p, a.get(p), b.get(p)) for p in paths if a.get(p) != b.get(p)]


def _without_id(record: Any) -> Any:
    if isinstance(record, BaseModel):
        return record.model_dump(mode="json", exclude={"id"} if "id" in type(record).model_fields else None)
    return record


def _label(record: Any) -> Localized | None:
    if isinstance(record, Localized):
        return record
    if isinstance(record, BaseModel):
        for name in _LABEL_FIELDS:
            value = getattr(record, name, None)
            if isinstance(value, Localized):
                return value
        for name in type(record).model_fields:
            value = getattr(record, name)
            if isinstance(value, Localized):
                return value
    return None


def compare(old: Initiatives, new: Initiatives) -> list[Change]:
    changes: list[Change] = []
    old_fields = dict(_items(old))
    for name, new_value in _items(new):
        old_value = old_fields.get(name)
        if not isinstance(new_value, list) and not isinstance(old_value, list):
            # A single record (the method): its fields, with nested lists by id.
            if old_value != new_value:
                fields = _field_changes(old_value, new_value)
                changes.append(Change(name, "changed", name, _label(new_value), fields=fields,
                                      record=new_value, old_record=old_value))
            continue
        a, b = _keyed(old_value or []), _keyed(new_value or [])
        removed = [k for k in a if k not in b]
        added = [k for k in b if k not in a]
        # A removed and an added record equal apart from their id: the id moved.
        renames: dict[str, str] = {}
        for gone in removed:
            body = _without_id(a[gone])
            match = next((k for k in added if k not in renames.values() and _without_id(b[k]) == body), None)
            if match is not None and isinstance(a[gone], BaseModel) and "id" in type(a[gone]).model_fields:
                renames[gone] = match
        for key in b:
            if key in a and a[key] != b[key]:
                changes.append(Change(name, "changed", key, _label(b[key]),
                                      fields=_field_changes(a[key], b[key]), record=b[key], old_record=a[key]))
        for gone, moved in renames.items():
            changes.append(Change(name, "renamed", moved, _label(b[moved]), old_id=gone,
                                  fields=[FieldChange("id", gone, moved)], record=b[moved], old_record=a[gone]))
        for key in added:
            if key not in renames.values():
                changes.append(Change(name, "added", key, _label(b[key]), record=b[key]))
        for key in removed:
            if key not in renames:
                changes.append(Change(name, "removed", key, _label(a[key]), old_record=a[key]))
    return changes


# --- pages ---------------------------------------------------------------------------------


def site_path(page: str, root: str) -> str:
    """The address of a page (its Markdown path) under a language's root: directory URLs."""
    if page.endswith("index.md"):
        rel = page[: -len("index.md")]
    else:
        rel = page.removesuffix(".md") + "/"
    return root + rel


def roots(table: Languages) -> dict[str, str]:
    """Each language's root path on the site, from the one place the site defines them."""
    return {lang: (root if root.startswith("/") else "/" + root) for lang, root in table.roots("/").items()}


def _rendered(site: render.Site) -> dict[str, dict[str, str]]:
    return {lang: render.render_pages(site, lang) for lang in site.table.codes()}


def _own_pages(site: render.Site) -> dict[int, str]:
    """The page of each record that has one (activities/<id>.md, pillars/<id>.md…), as
    `page_paths` names it, keyed by the record object."""
    out: dict[int, str] = {}
    for path, _template, extra in render.page_paths(site):
        for value in extra.values():
            if isinstance(value, BaseModel) and "id" in type(value).model_fields:
                out.setdefault(id(value), path)
    return out


def _shown(value: Any, ed: Edition, person_name: bool = False) -> list[str]:
    """How a value reads on a page in `ed`, as far as it can be known without the templates:
    the text the languages table picks for it (its field, converted if the row says so),
    amounts formatted in its format."""
    if isinstance(value, Localized):
        text, _ = ed.pick(value, person_name=person_name)
        return [text, render.escape_markdown(text)]
    if isinstance(value, (Money, Quantity)):
        text = formatting.money(value, ed) if isinstance(value, Money) else formatting.quantity(value, ed)
        return [text, render.escape_markdown(text)]
    if isinstance(value, tuple):
        return [t for item in value for t in _shown(item, ed, person_name)]
    return []


def _mentions(change: Change, ed: Edition) -> list[re.Pattern[str] | str]:
    """What on a page shows that it is touched by `change`: the changed texts as they read in
    `ed` (a change to the English only touches no Chinese page), amounts as they are
    formatted, and the record's id (its links) for anything else."""
    def by_id(i: str) -> re.Pattern[str]:
        return re.compile(rf"(?<![a-z0-9-]){re.escape(i)}(?![a-z0-9-])")

    needles: list[Any] = []
    if change.kind != "changed":
        needles += [by_id(i) for i in (change.id, change.old_id) if i]
        for record in (change.record, change.old_record):
            label = _label(record)
            if label is not None:
                needles += _shown(label, ed, change.collection == "people")
    else:
        for f in change.fields:
            # A person's name converts as a name (a surname keeps its form), as the pages do.
            named = change.collection == "people" and f.path == "name"
            old, new = _shown(f.old, ed, named), _shown(f.new, ed, named)
            if isinstance(f.old, (Localized, Money, Quantity)) or isinstance(f.new, (Localized, Money, Quantity)):
                if old != new:  # this language's text is what changed
                    needles += old + new
            elif change.collection != "method":
                needles.append(by_id(change.id))
    return [n for n in needles if not isinstance(n, str) or len(n) >= 2]


def _attach_pages(diff: Diff, old: render.Site, new: render.Site,
                  old_pages: dict[str, dict[str, str]], new_pages: dict[str, dict[str, str]]) -> None:
    own_new, own_old = _own_pages(new), _own_pages(old)
    for change in diff.changes:
        own = [p for p in (own_new.get(id(change.record)), own_old.get(id(change.old_record))) if p]
        for lang, root in diff.roots.items():
            touched = {**{p: 1 for p in diff.pages[lang]["changed"]},
                       **{p: 1 for p in diff.pages[lang]["added"]},
                       **{p: 1 for p in diff.pages[lang]["removed"]}}
            found = [p for p in own if p in touched]
            needles = _mentions(change, new.edition(lang))
            for page in touched:
                if page in found:
                    continue
                texts = (old_pages[lang].get(page, ""), new_pages[lang].get(page, ""))
                if any((n.search(t) if isinstance(n, re.Pattern) else n in t) for n in needles for t in texts):
                    found.append(page)
            # The record's own page first, then the others from the top of the site down.
            change.pages[lang] = [site_path(p, root) for p in dict.fromkeys(
                [p for p in own if p in found] + _page_order(found))]


def _page_order(pages: list[str]) -> list[str]:
    return sorted(dict.fromkeys(pages), key=lambda p: (p.count("/"), p))


def diff_data(old: Initiatives, new: Initiatives, table: Languages, old_name: str = "old",
              new_name: str = "new") -> Diff:
    """What changed from `old` to `new`, and which pages of each language of `table` (the new
    data's languages: the site as it will be) it touches."""
    changes = compare(old, new)
    old_site, new_site = render.Site(old, table), render.Site(new, table)
    old_pages = _rendered(old_site)
    new_pages = _rendered(new_site)
    pages: dict[str, dict[str, list[str]]] = {}
    for lang in table.codes():
        a, b = old_pages[lang], new_pages[lang]
        pages[lang] = {
            "changed": _page_order([p for p in b if p in a and a[p] != b[p]]),
            "added": _page_order([p for p in b if p not in a]),
            "removed": _page_order([p for p in a if p not in b]),
        }
    result = Diff(old_name, new_name, changes, pages, roots(table))
    _attach_pages(result, old_site, new_site, old_pages, new_pages)
    order = {"added": 0, "removed": 1, "renamed": 2, "changed": 3}
    collections = [name for name, _ in _items(new)]
    result.changes.sort(key=lambda c: (collections.index(c.collection) if c.collection in collections else 99,
                                       order[c.kind]))
    return result


# --- inputs --------------------------------------------------------------------------------


class RefError(Exception):
    """A git ref that cannot be read (exit 2: a usage error, not bad data)."""


def diff_files(old: Path, new: Path, old_name: str | None = None, new_name: str | None = None) -> Diff:
    """Check both files (raising `DataError` as `validate` would) and compare them."""
    old_checked = _checked(old, old_name)
    new_checked = _checked(new, new_name)
    return diff_data(old_checked.data, new_checked.data, new_checked.languages, old_name or str(old),
                     new_name or str(new))


def _checked(path: Path, name: str | None):
    try:
        return check(path)
    except DataError as exc:
        exc.display = name  # type: ignore[attr-defined]
        raise


@contextmanager
def data_at_ref(ref: str, data: Path) -> Iterator[tuple[Path, str]]:
    """The data file as it is at git `ref`, with the files beside it (the source texts that
    excerpts are checked against), in a temporary folder; and its name, REF:path.

    A ref is never read as an option (`--output=FILE` would make `git archive` write a file):
    one starting with `-` is refused, and the ref is resolved to a commit by `git rev-parse
    --verify --end-of-options` before `git archive` sees anything but that commit's id."""
    data = data.resolve()
    if not ref or ref.startswith("-"):
        raise RefError(terminal_text(f"{ref}: {bilingual('diff_ref_invalid')}"))
    try:
        top = Path(subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=data.parent, check=True,
                                  capture_output=True, text=True).stdout.strip())
        folder = data.parent.relative_to(top).as_posix()
        commit = subprocess.run(["git", "rev-parse", "--verify", "--end-of-options", f"{ref}^{{commit}}"],
                                cwd=top, check=True, capture_output=True, text=True).stdout.strip()
        if not re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}", commit):
            raise ValueError(f"git rev-parse: {commit!r}")
        # After --end-of-options every argument is the tree or a path (a `--` would be a path).
        archive = subprocess.run(["git", "archive", "--format=tar", "--end-of-options", f"{commit}^{{tree}}",
                                  folder or "."], cwd=top, check=True, capture_output=True).stdout
    except (subprocess.CalledProcessError, FileNotFoundError, ValueError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        detail = detail.decode(errors="replace") if isinstance(detail, bytes) else str(detail)
        raise RefError(terminal_text(f"{ref}: {detail.strip() or exc}")) from None
    scratch = Path(tempfile.mkdtemp(prefix="qinqing-diff-"))
    try:
        import io

        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(scratch, filter="data")
        target = scratch / folder / data.name
        if not target.is_file():
            raise RefError(terminal_text(f"{ref}: {bilingual('diff_ref_missing', file=f'{folder}/{data.name}')}"))
        yield target, f"{ref}:{(Path(folder) / data.name).as_posix()}"
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


# --- output --------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


def as_json(diff: Diff) -> dict[str, Any]:
    return {
        "old": diff.old_name,
        "new": diff.new_name,
        "counts": {k: diff.count(k) for k in ("added", "removed", "renamed", "changed")},
        "changes": [
            {
                "collection": c.collection,
                "kind": c.kind,
                "id": c.id,
                **({"old_id": c.old_id} if c.old_id else {}),
                "label": _plain(c.label),
                "fields": [{"path": f.path, "old": _plain(f.old), "new": _plain(f.new)} for f in c.fields],
                "pages": c.pages,
            }
            for c in diff.changes
        ],
        "pages": {lang: {kind: [site_path(p, root) for p in pages]
                         for kind, pages in diff.pages[lang].items()}
                  for lang, root in diff.roots.items() if lang in diff.pages},
    }


# Characters a reader must never get raw, in the comment or on a terminal: C0 and C1 controls
# (ESC starts a terminal escape sequence, BEL rings, NUL truncates), the bidi marks, embeddings,
# overrides and isolates (they reorder what a reviewer reads: "Trojan Source"), zero-width and
# invisible characters (they hide text or split a word a check looks for), and lone surrogates
# (no encoding can write them). Tab, LF and CR are whitespace and handled by each output.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff\ud800-\udfff]"
)
# On a terminal also CR (it moves back to the start of the line, to print over it) and the
# Unicode line and paragraph separators.
_TERMINAL_INVISIBLE = re.compile(f"{_INVISIBLE.pattern[:-1]}\r\u2028\u2029]")


def _marker(match: re.Match[str]) -> str:
    """A character shown by its code point, as text: `<U+202E>`."""
    return f"<U+{ord(match.group()):04X}>"


def terminal_text(text: Any) -> str:
    """THE escaping of a plain message of `qinqing diff` for a terminal (a bad ref, git's own
    message about it): every control, bidi, zero-width or invisible character written out as
    its code point (`<U+001B>`), so that nothing in a ref or a data value can move the cursor,
    recolour the terminal or reorder the line. (The one terminal escaping: `safety.terminal`.)"""
    return terminal(text)


# Markdown punctuation that could make a link, emphasis, a heading, a code span or a table cell
# out of data text: each is backslash-escaped. `&`, `<` and `>` are written as entities instead,
# which read the same in Markdown and in the HTML lines of the comment (<details>, <summary>):
# no tag, and no character reference (`&commat;`, `&#64;` are an @ to GitHub) from the data.
_MD_SPECIAL = re.compile(r"[\\`*_{}\[\]()#+!|~:]")


def comment_text(text: Any) -> str:
    """THE escaping of a data value for the pull-request comment (GitHub Markdown): inert, on
    one line. Controls, bidi, zero-width and invisible characters are written out as their
    code point (`<U+202E>`), whitespace is collapsed, `&`, `<` and `>` become `&amp;`, `&lt;`
    and `&gt;` (so that no tag is made and no entity such as `&commat;` or `&#64;` is decoded),
    the other Markdown punctuation is backslash-escaped, and a word joiner follows each @
    (GitHub mentions whatever follows an @)."""
    text = _INVISIBLE.sub(_marker, str(text))
    text = " ".join(text.split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(lambda m: "\\" + m.group(), text).replace("@", "@\u2060")


# What may stand in a code span of the comment as it is: ids, field paths, site paths, git refs
# and file names of plain ASCII (a `|` would split a table cell even in a code span).
_CODE_SAFE = re.compile(r"[A-Za-z0-9 ._/:^~@{}\[\]'#,+=-]+")


def _code(text: Any) -> str:
    """An id, path or name as a code span when it is plain ASCII; anything else through
    `comment_text`."""
    text = str(text)
    return f"`{text}`" if _CODE_SAFE.fullmatch(text) and text.strip() == text else comment_text(text)


def json_text(diff: Diff) -> str:
    """`as_json` as text for a terminal or a file: json.dumps (quotes and C0 controls escaped)
    with the other characters `terminal_text` marks written as JSON escapes (\\u202e): the
    same data, nothing raw."""
    import json

    text = json.dumps(as_json(diff), ensure_ascii=False, indent=2)
    return _TERMINAL_INVISIBLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _show(value: Any, lang: str | None = None) -> str:
    if value is None or value == ():
        return WORDS["empty"]
    if isinstance(value, Localized):
        text = getattr(value, lang or "zh", None)
        return comment_text(text) if text is not None else f"*null*（{_both('diff_pending')}）"
    if isinstance(value, Money):
        # The data's two written fields, each in its written format (formats.yaml).
        return f"{comment_text(formatting.money_in(value, 'zh'))} / {comment_text(formatting.money_in(value, 'en'))}"
    if isinstance(value, Quantity):
        return (f"{comment_text(formatting.quantity_in(value, 'zh'))} / "
                f"{comment_text(formatting.quantity_in(value, 'en'))}")
    if isinstance(value, tuple):
        return "、".join(_show(v, lang) for v in value) if value and isinstance(value[0], Localized) \
            else ", ".join(comment_text(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return comment_text(value)


def _name(change: Change) -> str:
    label = change.label
    ident = _code(change.id)
    if label is None:
        return ident
    en = f" · {comment_text(label.en)}" if label.en and label.en != label.zh else ""
    return f"{comment_text(label.zh)}{en} ({ident})"


def _written(*values: Any) -> list[str]:
    """The written fields of some texts: zh, en and any further written language's key."""
    further = {k for v in values if isinstance(v, Localized) for k in v.written()}
    return ["zh", "en", *sorted(further)]


def _rows(change: Change) -> list[str]:
    rows = [f"| {WORDS['field']} | {WORDS['before']} | {WORDS['after']} |", "| --- | --- | --- |"]
    for f in change.fields:
        if isinstance(f.old, Localized) or isinstance(f.new, Localized):
            for lang in _written(f.old, f.new):
                before, after = _show(f.old, lang), _show(f.new, lang)
                after = WORDS["unchanged"] if before == after else after
                rows.append(f"| {_code(f.path)} ({lang}) | {before} | {after} |")
        else:
            rows.append(f"| {_code(f.path)} | {_show(f.old)} | {_show(f.new)} |")
    return rows


def _pages_line(change: Change) -> str:
    parts = [f"{comment_text(lang)}: " + " ".join(_code(p) for p in paths)
             for lang, paths in change.pages.items() if paths]
    return f"{WORDS['pages']} — " + "; ".join(parts) if parts else ""


def _added_rows(change: Change) -> list[str]:
    rows = [f"| {WORDS['field']} | {WORDS['after']} |", "| --- | --- |"]
    for path, value in _flatten(change.record).items():
        if value is None or value == () or value is False or path == "id":
            continue
        if isinstance(value, Localized):
            rows += [f"| {_code(path)} ({lang}) | {_show(value, lang)} |" for lang in _written(value)]
        else:
            rows.append(f"| {_code(path)} | {_show(value)} |")
    return rows


def markdown(diff: Diff) -> str:
    out = [f"## {WORDS['title']}", "", f"{_code(diff.old_name)} → {_code(diff.new_name)}", ""]
    if not diff.changes:
        out.append(WORDS["none"])
        return "\n".join(out) + "\n"
    counts = [(zh.format(n=diff.count(k)), en.format(n=diff.count(k))) for k, (zh, en) in _COUNTS.items()
              if diff.count(k)]
    out += ["，".join(zh for zh, _ in counts) + " · " + ", ".join(en for _, en in counts), ""]
    current = None
    for change in diff.changes:
        if change.collection != current:
            current = change.collection
            out += [f"### {_collection_title(current)}", ""]
        if change.kind == "renamed":
            out.append(f"- **{WORDS['renamed']}** {_code(change.old_id)} → {_name(change)}")
        else:
            out.append(f"- **{WORDS[change.kind]}** {_name(change)}")
        line = _pages_line(change)
        if line:
            out.append(f"  - {line}")
        if change.kind == "changed":
            out += [""] + ["  " + row for row in _rows(change)]
        elif change.kind == "added" and isinstance(change.record, BaseModel):
            out += ["", f"  <details><summary>{WORDS['content']}</summary>", ""]
            out += ["  " + row for row in _added_rows(change)] + ["", "  </details>"]
        out.append("")
    total = {lang: sum(len(v) for v in kinds.values()) for lang, kinds in diff.pages.items()}
    if any(total.values()):
        roots = diff.roots
        out += ["<details>", f"<summary>{WORDS['all_pages']}: "
                + ", ".join(f"{comment_text(lang)} {n}" for lang, n in total.items()) + "</summary>", ""]
        for lang, kinds in diff.pages.items():
            for kind, pages in kinds.items():
                if not pages:
                    continue
                note = {"changed": "", "added": f" ({WORDS['new_page']})", "removed": f" ({WORDS['gone_page']})"}[kind]
                out += [f"- {_code(site_path(p, roots[lang]))}{note}" for p in pages]
        out += ["", "</details>"]
    return "\n".join(out).rstrip() + "\n"


def display_name(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:  # pragma: no cover
        return str(path)
