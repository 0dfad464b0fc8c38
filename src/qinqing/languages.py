"""The site's languages, as data: one table, `languages.yaml` beside the data file.

Each row says a language's code, URL path, tag (html lang, hreflang), switcher name, theme
language, Open Graph locale, how its numbers and dates read (`format`), where its text comes
from (a field of the data as written, or converted from one), and its search settings. The
renderer, formatting, open data, feeds, the build and the theme's templates loop over the
table; no other module names a language.

Converted text: `{convert: zh, with: s2tw}` reads the data's zh texts through an OpenCC
config with the reviewed phrase list beside the data (see `convert.Converter`); a text's
`overrides: {<code>: …}` wins as written. `with: pseudo` brackets every string (⟦…⟧), a
pseudo-locale that shows which strings a language would still need.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urljoin

import yaml

from .filestamp import file_stamp

FILE_NAME = "languages.yaml"
# The data this repository ships, for callers that name no data file (unit tests, scripts).
DEFAULT_DATA = Path(__file__).resolve().parents[2] / "data" / "initiatives.yaml"


@dataclass(frozen=True)
class Language:
    code: str
    path: str
    tag: str
    name: str
    theme: str
    locale: str
    format: str
    field: str
    """The data field its text is read from (zh, en)."""
    convert: str | None = None
    """How that text is converted (an OpenCC config such as s2tw, or pseudo); None: as written."""
    search: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    @property
    def converted(self) -> bool:
        return self.convert is not None

    def search_plugin(self) -> dict[str, Any]:
        """The settings for the theme's search plugin, as written (our own keys left out)."""
        return {k: v for k, v in self.search.items() if k != "index_simplified"}


class LanguageTableError(ValueError):
    """The languages table cannot be used: a bilingual message naming the file."""


@dataclass(frozen=True)
class Languages:
    rows: tuple[Language, ...]
    data_file: Path

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def default(self) -> Language:
        return self.rows[0]

    def get(self, code: str) -> Language:
        for row in self.rows:
            if row.code == code:
                return row
        raise KeyError(code)

    def codes(self) -> tuple[str, ...]:
        return tuple(row.code for row in self.rows)

    def converted_codes(self) -> tuple[str, ...]:
        return tuple(row.code for row in self.rows if row.converted)

    def roots(self, site_url: str) -> dict[str, str]:
        """Absolute root URL of each language: the default at the site root, others under
        their path. A site_url that already ends in a language's path is taken back to the root."""
        base = site_url if site_url.endswith("/") else site_url + "/"
        for row in self.rows:
            if row.path and base.endswith("/" + row.path):
                base = base[: -len(row.path)]
        return {row.code: urljoin(base, row.path) for row in self.rows}


def table_path(data_file: str | os.PathLike[str]) -> Path:
    return Path(data_file).resolve().parent / FILE_NAME


def table_file(data_file: str | os.PathLike[str]) -> Path:
    """The table file for `data_file`: beside it, or where there is none (a data file
    elsewhere, such as a test's or a benchmark's), the one this repository ships."""
    path = table_path(data_file)
    return path if path.is_file() else table_path(DEFAULT_DATA)


def load(data_file: str | os.PathLike[str] = DEFAULT_DATA) -> Languages:
    """The table beside `data_file` (see `table_file`)."""
    path = table_file(data_file)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise LanguageTableError(f"{path}: 语言表无法读取 / the languages table cannot be read: {exc}") from None
    try:
        rows = []
        for entry in raw["languages"]:
            text = entry["text"]
            rows.append(Language(
                code=str(entry["code"]), path=str(entry.get("path") or ""), tag=str(entry["tag"]),
                name=str(entry["name"]), theme=str(entry["theme"]), locale=str(entry["locale"]),
                format=str(entry["format"]), field=str(text.get("field") or text["convert"]),
                convert=text.get("with") if "convert" in text else None,
                search=dict(entry.get("search") or {}),
            ))
    except (KeyError, TypeError, AttributeError) as exc:
        raise LanguageTableError(
            f"{path}: 语言表缺少或写错了字段 {exc} / a row of the languages table lacks or mistypes {exc}") from None
    codes = [r.code for r in rows]
    if not rows or len(set(codes)) != len(codes) or rows[0].path or any(r.format not in ("zh", "en") for r in rows):
        raise LanguageTableError(
            f"{path}: 语言表须至少一行、代码不重复、第一行 path 为空、format 为 zh 或 en / "
            "the table needs a row, unique codes, an empty path on the first row and format zh or en")
    return Languages(tuple(rows), Path(data_file).resolve())


_ACTIVE: list[Languages] = []
# The file last read by `use`, as (data file, table file, mtime, size): a build asks for the
# table at every stage, and it is read again only when it changed.
_READ: list[tuple] = []


def use(data_file: str | os.PathLike[str]) -> Languages:
    """Make the table beside `data_file` the one every module reads, and return it."""
    path = table_file(data_file)
    stamp = file_stamp(path)
    key = (Path(data_file).resolve(), path, stamp) if stamp is not None else None  # None: load() says why
    if _ACTIVE and key is not None and _READ == [key]:
        return _ACTIVE[0]
    table = load(data_file)
    _READ[:] = [key]
    if not _ACTIVE or _ACTIVE[0] != table:
        _ACTIVE[:] = [table]
        _converters.clear()
        _strings_cache.clear()
    return table


def active() -> Languages:
    if not _ACTIVE:
        use(DEFAULT_DATA)
    return _ACTIVE[0]


def get(code: str) -> Language:
    return active().get(code)


def codes() -> tuple[str, ...]:
    return active().codes()


def family(code: str) -> str:
    """How numbers and dates read in `code`: zh or en."""
    return active().get(code).format


_converters: dict[str, Callable[..., str] | None] = {}
_strings_cache: dict[str, Any] = {}


def converter(code: str) -> Callable[..., str] | None:
    """The function that writes a text of the source field in language `code`, or None when
    the language is written in the data."""
    if code not in _converters:
        row = active().get(code)
        if row.convert is None:
            _converters[code] = None
        elif row.convert == "pseudo":
            _converters[code] = _pseudo
        else:
            from .convert import Converter

            conv = Converter.cached(active().data_file)
            if conv.config != row.convert:  # another OpenCC config than the cached one
                conv = Converter.for_data(active().data_file, config=row.convert)
            _converters[code] = conv.convert
    return _converters[code]


def release_converters() -> None:
    """Forget the converters (and their caches); the next use sets them up again."""
    from .convert import forget_cached

    _converters.clear()
    forget_cached()


def _pseudo(text: str, override: str | None = None, *, person_name: bool = False) -> str:
    return override if override is not None else f"⟦{text}⟧"


def localize(text: str, code: str) -> str:
    """A string made in the source language (a UI string, a formatted date) in language `code`."""
    conv = converter(code)
    return conv(text) if conv is not None and text else text


def pick(value: Any, code: str, *, person_name: bool = False) -> tuple[str, bool]:
    """The text of a `Localized` in `code`, and whether it stands in for a missing translation
    (the default language's text is shown instead, labelled)."""
    row = active().get(code)
    source = getattr(value, row.field, None)
    if source is None:
        return getattr(value, active().default.field), True
    conv = converter(code)
    if conv is None:
        return source, False
    return conv(source, (getattr(value, "overrides", None) or {}).get(code), person_name=person_name), False


def ui_table(strings: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """UI strings `{key: {code: text}}` for every language of the table: as written where a
    row has its own, converted from the source language where the language is converted."""
    key = id(strings)
    hit = _strings_cache.get("ui")
    if hit is not None and hit[0] == key:
        return hit[1]
    table = active()
    out = {}
    for name, entry in strings.items():
        filled = dict(entry)
        for row in table:
            if row.code not in filled:
                source = entry.get(row.field) or entry[table.default.field]
                filled[row.code] = localize(source, row.code)
        out[name] = filled
    _strings_cache["ui"] = (key, out)
    return out
