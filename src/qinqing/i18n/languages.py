"""The site's languages, as data: one table, `languages.yaml` beside the data file.

Each row says a language's code, URL path, tag (html lang, hreflang), switcher name, theme
language, Open Graph locale, how its numbers and dates read (`format`), where its text comes
from (a field of the data as written, or converted from one). The
renderer, formatting, open data, feeds, the build and the theme's templates loop over the
table; no other module names a language.

Converted text: `{convert: zh, with: s2tw}` reads the data's zh texts through an OpenCC
config with the reviewed phrase list beside the data (see `convert.Converter`); a text's
`overrides: {<code>: …}` wins as written. `with: pseudo` brackets every string (⟦…⟧), a
pseudo-locale that shows which strings a language would still need.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

FILE_NAME = "languages.yaml"
# The data this repository ships, for callers that name no data file (unit tests, scripts).
DEFAULT_DATA = Path(__file__).resolve().parents[3] / "data" / "initiatives.yaml"


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
    short: str = ""
    """The language switcher's label (简, EN, 繁)."""

    @property
    def converted(self) -> bool:
        return self.convert is not None


@dataclass(frozen=True)
class Languages:
    """The table: its rows and the data file it belongs to. What is made from it once (each
    language's `Edition`, the OpenCC converters, the UI strings filled in for every row) is
    kept on the table itself, so that it goes when the table goes: no module holds a table."""

    rows: tuple[Language, ...]
    data_file: Path
    _made: dict[Any, Any] = field(default_factory=dict, compare=False, hash=False, repr=False)

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

    def written_fields(self) -> tuple[str, ...]:
        """The data fields a text is written in (zh, en, and a further written language's),
        in the table's order: the keys a text of the data may have besides `overrides`."""
        fields = [row.field for row in self.rows if not row.converted]
        return tuple(dict.fromkeys(["zh", "en", *fields]))

    def further_fields(self) -> tuple[str, ...]:
        """The written fields beyond the model's own zh and en (a third written language)."""
        return tuple(f for f in self.written_fields() if f not in ("zh", "en"))

    def edition(self, code: str) -> Edition:
        """Language `code` as the renderer, formatting and open data use it (see `Edition`)."""
        hit = self._made.get(("edition", code))
        if hit is None:
            hit = self._made[("edition", code)] = Edition(self, self.get(code))
        return hit

    def edition_of_field(self, field: str) -> Edition:
        """The language written in a data field as it is (zh, en): the one whose words (UI
        strings, list separators) go with a text of that field."""
        row = next((r for r in self.rows if r.field == field and not r.converted), self.default)
        return self.edition(row.code)

    def editions(self) -> tuple[Edition, ...]:
        return tuple(self.edition(row.code) for row in self.rows)

    def converter(self, config: str):
        """The OpenCC converter of `config` with the reviewed lists beside the data file, made
        once per table (validation checks the lists with it; rendering then reuses it)."""
        hit = self._made.get(("converter", config))
        if hit is None:
            from qinqing.i18n.convert import Converter

            hit = self._made[("converter", config)] = Converter.for_data(self.data_file, config=config)
        return hit

    def ui_strings(self) -> dict[str, dict[str, str]]:
        """Every UI string, `{key: {code: text}}`, for every language of the table: as written
        in strings.yaml where a row has its own, converted from the source language where the
        language is converted."""
        hit = self._made.get("ui")
        if hit is None:
            out = {}
            for name, entry in written_strings().items():
                filled = dict(entry)
                for row in self.rows:
                    if row.code not in filled:
                        source = entry.get(row.field) or entry[self.default.field]
                        filled[row.code] = self.edition(row.code).localize(source)
                out[name] = filled
            hit = self._made["ui"] = out
        return hit


    def roots(self, site_url: str) -> dict[str, str]:
        """Absolute root URL of each language: the default at the site root, others under
        their path. A site_url that already ends in a language's path is taken back to the root."""
        base = site_url if site_url.endswith("/") else site_url + "/"
        for row in self.rows:
            if row.path and base.endswith("/" + row.path):
                base = base[: -len(row.path)]
        return {row.code: urljoin(base, row.path) for row in self.rows}


class Edition:
    """One language of the table as the pages are written in it: its row, and how a text of
    the data reads in it (`pick`, `localize`), with its converter made once."""

    def __init__(self, table: Languages, row: Language) -> None:
        self.table = table
        self.row = row
        self.code = row.code
        self.format = row.format
        self._convert: Callable[..., str] | None | bool = False  # False: not made yet

    def __repr__(self) -> str:
        return f"Edition({self.code!r})"

    @property
    def converter(self) -> Callable[..., str] | None:
        """The function that writes a text of the source field in this language, or None when
        the language is written in the data."""
        if self._convert is False:
            if self.row.convert is None:
                self._convert = None
            elif self.row.convert == "pseudo":
                self._convert = _pseudo
            else:
                self._convert = self.table.converter(self.row.convert).convert
        return self._convert  # type: ignore[return-value]

    def ui(self, key: str) -> str:
        """The UI string `key` (strings.yaml) in this language."""
        return self.table.ui_strings()[key][self.code]

    def localize(self, text: str) -> str:
        """A string made in the source language (a UI string, a formatted date) in this language."""
        conv = self.converter
        return conv(text) if conv is not None and text else text

    def pick(self, value: Any, *, person_name: bool = False) -> tuple[str, bool]:
        """The text of a `Localized` in this language, and whether it stands in for a missing
        translation (the default language's text is shown instead, labelled)."""
        source = getattr(value, self.row.field, None)
        if source is None:
            return getattr(value, self.table.default.field), True
        conv = self.converter
        if conv is None:
            return source, False
        return conv(source, (getattr(value, "overrides", None) or {}).get(self.code), person_name=person_name), False


def table_path(data_file: str | os.PathLike[str]) -> Path:
    return Path(data_file).resolve().parent / FILE_NAME


def table_file(data_file: str | os.PathLike[str]) -> Path:
    """The table file for `data_file`: beside it, or where there is none (a data file
    elsewhere, such as a test's or a benchmark's), the one this repository ships."""
    path = table_path(data_file)
    return path if path.is_file() else table_path(DEFAULT_DATA)


# Top-level folders of every edition: a language's path may not be one of them (the
# default edition's pages would be overwritten). A test compares this with a real build.
SITE_FOLDERS = frozenset({"about", "activities", "assets", "data", "figures", "pillars", "projects",
                          "search", "stations", "timeline", "voices", "pagefind"})
# OpenCC configurations from Simplified, and the pseudo-locale.
CONVERSIONS = ("s2t", "s2tw", "s2twp", "s2hk", "pseudo")
_CODE = r"^[a-z]{2,3}(?:-[a-z0-9]{2,8}){0,2}$"


@cache
def written_strings() -> dict[str, dict[str, str]]:
    """The UI strings as written (strings.yaml beside this file), `{key: {code: text}}`: data
    of the package, read once."""
    from importlib import resources

    import yaml

    text = resources.files(__package__).joinpath("strings.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def written_formats() -> tuple[str, ...]:
    """The written formats a row's `format` may name (formats.yaml beside this file)."""
    from importlib import resources

    import yaml

    text = resources.files(__package__).joinpath("formats.yaml").read_text(encoding="utf-8")
    return tuple(yaml.safe_load(text))


def _row_models():
    """The table's shape as pydantic models (made on first use: most processes read the
    table once, and the models cost more to build than the check)."""
    from typing import Annotated, Literal

    from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

    from qinqing.safety import first_control, first_invisible

    def plain(value: str) -> str:
        # A language's name is printed by the theme's templates: plain text, no markup.
        if first_control(value) or first_invisible(value) or any(c in value for c in '<>&"\'`{}[]\\'):
            raise ValueError("lang_name_chars")
        if not value.strip():
            raise ValueError("blank")
        return value

    class Strict(BaseModel):
        model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    class Text(Strict):
        # A written language's data field: zh, en or a further one (de), a key of every text.
        field: str | None = Field(None, pattern=r"^[a-z]{2,3}$")
        convert: str | None = Field(None, pattern=r"^[a-z]{2,3}$")
        with_: Literal[CONVERSIONS] | None = Field(None, alias="with")

        @model_validator(mode="after")
        def _one_source(self):
            if (self.field is None) == (self.convert is None) or (self.convert is None) != (self.with_ is None):
                raise ValueError("lang_text")
            return self

    class Row(Strict):
        code: str = Field(pattern=_CODE, max_length=20)
        path: str = Field("", pattern=r"^(?:[a-z0-9]+(?:-[a-z0-9]+)*/)?$", max_length=40)
        tag: str = Field(pattern=r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8}){0,3}$", max_length=35)
        name: Annotated[str, AfterValidator(plain)] = Field(max_length=40)
        # The language switcher's label (简, EN, 繁); the name where there is none.
        short: Annotated[str, AfterValidator(plain)] | None = Field(None, max_length=6)
        theme: str = Field(pattern=r"^[a-z]{2,3}(?:-[A-Za-z]{2,4})?$")
        locale: str = Field(pattern=r"^[a-z]{2,3}_[A-Z]{2}$")
        format: Literal[written_formats()]
        text: Text

    class Table(Strict):
        languages: list[Row] = Field(min_length=1, max_length=20)

    return Table


def load(data_file: str | os.PathLike[str] = DEFAULT_DATA) -> Languages:
    """The table beside `data_file` (see `table_file`), checked: every mistake is a located,
    bilingual `DataError` of the table file, before anything is built."""
    from pydantic import ValidationError

    from qinqing.errors import DataError, Issue
    from qinqing.ingest.loader import load as load_yaml
    from qinqing.ingest.validation import pydantic_issues

    path = table_file(data_file)
    document = load_yaml(path)
    model = _row_models()
    try:
        table = model.model_validate(document.data)
    except ValidationError as exc:
        raise DataError(path, pydantic_issues(exc, document, root=model)) from None
    issues: list[Issue] = []

    def add(where: tuple, code: str, **params) -> None:
        line, col = document.locate(where)
        issues.append(Issue(line, col, where, code, params))

    seen: dict[tuple[str, str], int] = {}
    for i, row in enumerate(table.languages):
        for key in ("code", "path", "tag"):
            value = getattr(row, key)
            if key == "tag":
                value = value.lower()  # zh-Hans and zh-hans are one tag
            if (key, value) in seen:
                add(("languages", i, key), "lang_duplicate", field=key, value=getattr(row, key),
                    line=document.locate(("languages", seen[(key, value)]))[0])
            seen.setdefault((key, value), i)
        if i == 0 and (row.path or row.text.convert):
            add(("languages", 0, "path" if row.path else "text"), "lang_first_row")
        if i > 0 and not row.path:
            add(("languages", i, "path"), "lang_path_missing")
        if row.path and row.path.rstrip("/") in SITE_FOLDERS:
            add(("languages", i, "path"), "lang_path_taken", value=row.path, known=", ".join(sorted(SITE_FOLDERS)))
        if row.text.convert and not any(r.text.field == row.text.convert for r in table.languages):
            add(("languages", i, "text", "convert"), "lang_convert_source", value=row.text.convert)
        if (row.text.with_ not in (None, "pseudo") and path == table_path(data_file)):
            from qinqing.i18n.convert import phrases_path, surnames_path

            for needed in (phrases_path(data_file), surnames_path(data_file)):
                if not needed.is_file():
                    add(("languages", i, "text", "with"), "lang_list_missing", file=str(needed.name))
    if issues:
        raise DataError(path, issues)
    rows = tuple(Language(
        code=row.code, path=row.path, tag=row.tag, name=row.name, short=row.short or row.name,
        theme=row.theme, locale=row.locale,
        format=row.format, field=row.text.field or row.text.convert, convert=row.text.with_,
    ) for row in table.languages)
    return Languages(rows, Path(data_file).resolve())


def unknown_themes(table: Languages, exists) -> list:
    """Rows whose `theme` the theme does not ship (`exists(code)`, from the engine's adapter),
    as located issues of the table file."""
    from qinqing.errors import Issue
    from qinqing.ingest.loader import load as load_yaml

    missing = [i for i, row in enumerate(table.rows) if not exists(row.theme)]
    if not missing:
        return []
    document = load_yaml(table_file(table.data_file))
    issues = []
    for i in missing:
        line, col = document.locate(("languages", i, "theme"))
        issues.append(Issue(line, col, ("languages", i, "theme"), "lang_theme_unknown", {"value": table.rows[i].theme}))
    return issues


def _pseudo(text: str, override: str | None = None, *, person_name: bool = False) -> str:
    return override if override is not None else f"⟦{text}⟧"
