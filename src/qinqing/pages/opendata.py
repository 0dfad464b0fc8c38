"""Open data and feeds: the records as JSON, CSV and Atom, and the data dictionary.

Everything here is derived from the model at build time: adding a record to the YAML adds
it to the downloads and feeds. CSV files are UTF-8 with a byte-order mark so Excel opens
Chinese text correctly, with one column per language for every text field.
"""

from __future__ import annotations

import csv
import io
import json
import re
import types
import typing
from datetime import datetime, timedelta, timezone
from typing import Any, Literal

from pydantic import BaseModel

from qinqing.i18n import formatting, languages
from qinqing.ingest.model import (
    REFERENCES,
    Citation,
    Initiatives,
    Localized,
    Money,
    Note,
    PartialDate,
    Quantity,
    field_doc,
    field_text,
)

# Characters XML 1.0 does not allow anywhere in a document: C0 controls other than tab, LF and
# CR, lone surrogates, and U+FFFE/U+FFFF. One of them in a data value would make the whole feed
# malformed (a reader rejects it), so each is replaced by U+FFFD.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: Any) -> str:
    """THE escaping of every text written into XML here (element text and double-quoted
    attribute values): `&`, `<`, `>` and `"` as entities, and the characters XML 1.0
    forbids replaced by U+FFFD. (xml.sax.saxutils would import urllib's HTTP stack, a tenth
    of the generator's start-up.)"""
    text = _XML_FORBIDDEN.sub("\ufffd", str(text))
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


# A cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets
# (OWASP "CSV injection"): `=1+1`, `@SUM(…)`, `-2+3`, or a tab or CR before one.
_CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """THE escaping of every cell of every CSV file written here: a text that a spreadsheet
    would run as a formula gets a leading apostrophe, as OWASP recommends, so it is shown as
    text. Numbers the code writes (amounts, values) are not texts and are left as they are;
    the csv module quotes separators, quotes and line breaks."""
    if isinstance(value, str) and value.startswith(_CSV_FORMULA_START):
        return "'" + value
    return value


COLLECTIONS = (
    "activities", "stations", "projects", "partnerships", "support_cases", "honours",
    "quotes", "places", "organisations", "people",
)
FEED_ID = "tag:qinqing.jinan,2024:"


def json_bytes(data: Initiatives) -> bytes:
    """Everything in the data file, sources included, in the shape of the YAML; every text
    (`{zh, en}`) also in each converted language of the table (`zh-hant`), as the CSV's
    `_zh-hant` columns write it, so the JSON carries every language the CSV does."""
    payload = data.model_dump(mode="json", exclude_none=False)
    _add_converted(data, payload, languages.active().converted_codes())
    return (json_text(payload) + "\n").encode("utf-8")


def _add_converted(value: Any, dumped: Any, codes: tuple[str, ...]) -> None:
    """Walk the model and its dump side by side; give each text's dump its converted forms,
    after `en` (a text with no source-language form, an empty note's, is null there too)."""
    if not codes:
        return
    if isinstance(value, (Localized, Note)):
        if isinstance(dumped, dict):
            head = {k: dumped.pop(k) for k in ("zh", "en") if k in dumped}
            rest = dict(dumped)
            dumped.clear()
            dumped.update(head)
            for code in codes:
                dumped[code] = languages.pick(value, code)[0]
            dumped.update(rest)
        return
    if isinstance(value, BaseModel):
        if not isinstance(dumped, dict):
            return
        for name in type(value).model_fields:
            child = getattr(value, name)
            if child is not None and name in dumped and isinstance(child, (BaseModel, list)):
                _add_converted(child, dumped[name], codes)
    elif isinstance(value, list) and isinstance(dumped, list):
        for item, out in zip(value, dumped):
            if isinstance(item, (BaseModel, list)):
                _add_converted(item, out, codes)


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def json_text(payload: Any) -> str:
    """THE writing of the published JSON: json.dumps (quotes, backslashes and control
    characters escaped), readable Chinese, and a lone surrogate (which UTF-8 cannot encode)
    written as its \\u escape rather than failing the build."""
    text = json.dumps(payload, ensure_ascii=False, indent=2)
    return _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _inner(annotation: Any) -> list[Any]:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _inner(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [t for a in typing.get_args(annotation) if a is not type(None) for t in _inner(a)]
    return [annotation]


def _columns(model: type[BaseModel]) -> list[tuple[str, str, Any]]:
    """(column, field, how) for every field of a record: how says how a value is flattened.

    A record that can say a list is open (`open_lists`) or a reference inferred (`inferred`)
    has its lists of references named too, a column per language (`places_names_en`), where
    the open list ends as the pages end it (等, “, among others”) and an inferred reference
    carries the pages' mark; the list of ids itself stays a list of ids."""
    out: list[tuple[str, str, Any]] = []
    can_be_open = "open_lists" in model.model_fields
    for name, info in model.model_fields.items():
        [kind] = _inner(info.annotation)[:1] or [str]
        origin = typing.get_origin(kind)
        item = _inner(typing.get_args(kind)[0])[0] if origin is list else None
        converted = languages.active().converted_codes()
        if kind is Localized or kind is Note:
            out += [(f"{name}_zh", name, "zh"), (f"{name}_en", name, "en")]
            # A converted language's text, a column each (title_zh-hant): read beside the others.
            out += [(f"{name}_{code}", name, f"lang:{code}") for code in converted]
        elif item is Localized:
            out += [(f"{name}_zh", name, "list_zh"), (f"{name}_en", name, "list_en")]
            out += [(f"{name}_{code}", name, f"list_lang:{code}") for code in converted]
        elif kind is Money:
            out += [(f"{name}_{k}", name, f"money:{k}") for k in ("amount", "currency", "qualifier", "per")]
        elif kind is Quantity:
            out += [(f"{name}_{k}", name, f"quantity:{k}") for k in ("value", "unit", "qualifier")]
        elif kind is Citation:
            # The record's source is `source_*`; another citation (taiwan_funded_source) its own.
            prefix = "source" if name == "source" else name
            out += [(f"{prefix}_{k}", name, f"source:{k}") for k in ("document", "section", "excerpt")]
        elif origin is list and item is str:
            out.append((name, name, "ids"))
            if can_be_open and name in REFERENCES:
                out += [(f"{name}_names_{code}", name, f"names:{code}") for code in languages.codes()]
        elif origin is list:
            out.append((name, name, "json"))
        else:
            out.append((name, name, "plain"))
    return out


def _source_code(field: str) -> str:
    """The language written in a data field as it is (zh, en): the code of its UI strings."""
    for row in languages.active():
        if row.field == field and not row.converted:
            return row.code
    return field


def _open_end(record: BaseModel, field: str, code: str) -> str:
    """What ends a list the source leaves open (等, “, among others”), in language `code`."""
    if field not in (getattr(record, "open_lists", None) or ()):
        return ""
    return formatting.ui_strings()["open_list_end"][code]


# Records by id, of the collections references point at, for the lists of names (set by
# csv_bytes for the data it writes).
_Index = dict[str, dict[str, Any]]


def _cell(record: BaseModel, field: str, how: str, index: _Index | None = None) -> Any:
    value = getattr(record, field)
    if value is None:
        return ""
    if field == "date_basis" and not (getattr(record, "date", None) or getattr(record, "year", None)):
        return ""  # no date, no basis: an undated record's date is not "stated"
    if how in ("zh", "en"):
        return getattr(value, how) or ""
    if how in ("list_zh", "list_en"):
        if not value:
            return ""
        return " | ".join(getattr(v, how[5:]) or "" for v in value) + _open_end(record, field, _source_code(how[5:]))
    if how.startswith("lang:"):
        text, pending = languages.pick(value, how[5:])
        return "" if pending else text
    if how.startswith("list_lang:"):
        if not value:
            return ""
        code = how[10:]
        return " | ".join(languages.pick(v, code)[0] for v in value) + _open_end(record, field, code)
    if how.startswith("names:"):
        return _names(record, field, how[6:], index or {}) if value else ""
    if how == "ids":
        return ";".join(value)
    if how == "json":
        return json.dumps([v.model_dump(mode="json") for v in value], ensure_ascii=False) if value else ""
    if how == "source:excerpt" and field == "source":
        # Every passage the record cites: its further ones (more_sources) after the first.
        more = getattr(record, "more_sources", None) or []
        return EXCERPT_SEP.join([value.excerpt, *(c.excerpt for c in more)])
    if how.startswith(("money:", "quantity:", "source:")):
        key = how.split(":", 1)[1]
        inner = getattr(value, key)
        return "" if inner is None else _number(inner)
    if isinstance(value, bool):
        return "true" if value else "false"
    return _number(value)


EXCERPT_SEP = " / "


def _names(record: BaseModel, field: str, code: str, index: _Index) -> str:
    """The names of a list of references in language `code`: an inferred one marked as the
    pages mark it, an open list ended as the pages end it."""
    strings = formatting.ui_strings()
    collection = REFERENCES[field]
    records = index.get(collection, {})
    inferred = {x.id for x in getattr(record, "inferred", ()) if x.field == field}
    names = []
    for ref in getattr(record, field):
        target = records.get(ref)
        name = languages.pick(target.name, code, person_name=collection == "people")[0] if target else ref
        names.append(name + (strings["inferred_mark"][code] if ref in inferred else ""))
    return " | ".join(names) + _open_end(record, field, code)


def _number(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def record_model(data: Initiatives, collection: str) -> type[BaseModel]:
    [kind] = _inner(Initiatives.model_fields[collection].annotation)
    return typing.get_args(kind)[0]


def csv_bytes(data: Initiatives, collection: str) -> bytes:
    model = record_model(data, collection)
    columns = _columns(model)
    named = {REFERENCES[field] for _, field, how in columns if how.startswith("names:")}
    index = {name: data.index(name) for name in named}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([csv_cell(c) for c, _, _ in columns])
    for record in getattr(data, collection):
        writer.writerow([csv_cell(_cell(record, field, how, index)) for _, field, how in columns])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def downloads(data: Initiatives) -> dict[str, bytes]:
    """The published data files, `{path: bytes}`, identical in both languages."""
    files = {"data/initiatives.json": json_bytes(data)}
    for collection in COLLECTIONS:
        files[f"data/{collection}.csv"] = csv_bytes(data, collection)
    return files


# --- data dictionary ---------------------------------------------------------------------


# The data dictionary's names of value types: UI strings type_<kind> (strings.yaml).
TYPE_WORDS = ("type_text", "type_texts", "type_ids", "type_date", "type_number", "type_bool", "type_bool_or_empty",
              "type_str", "type_money", "type_quantity", "type_source", "type_list", "type_names", "type_fields",
              "type_one_of")


def _type_name(annotation: Any, lang: str) -> str:
    strings = formatting.ui_strings()
    words = {key[len("type_"):]: strings[key][lang] for key in TYPE_WORDS}
    if annotation in ("names", "fields"):
        return words[annotation]
    [kind] = _inner(annotation)[:1] or [str]
    origin = typing.get_origin(kind)
    if kind is Localized or kind is Note:
        return words["text"]
    if origin is list:
        item = _inner(typing.get_args(kind)[0])[0]
        return words["texts"] if item is Localized else (words["ids"] if item is str else words["list"])
    if kind is Money:
        return words["money"]
    if kind is Quantity:
        return words["quantity"]
    if kind is Citation:
        return words["source"]
    if typing.get_origin(kind) is Literal:
        return words["one_of"] + ", ".join(str(a) for a in typing.get_args(kind))
    if kind is bool:
        optional = type(None) in typing.get_args(annotation) or any(
            type(None) in typing.get_args(a) for a in typing.get_args(annotation))
        return words["bool_or_empty" if optional else "bool"]
    if kind in (int, float):
        return words["number"]
    # A PartialDate, bare or in a union (`PartialDate | None` is written with its date checks).
    if annotation is PartialDate or "date" in str(annotation):
        return words["date"]
    return words["str"]


def _doc(model: type[BaseModel], field: str) -> tuple[str, str]:
    """What a column means, (zh, en): fields.yaml's `open_data` entry where the field's own
    description says less than a reader of the CSV needs (tri-state and kind-of-speech values,
    the lists the source leaves open, inferred references, further passages), else `fields`."""
    texts = field_text(model, field, "open_data")
    return (texts["zh"], texts["en"]) if texts else field_doc(model, field)


def _language_label(code_or_field: str, fam: str) -> str:
    """（中文） / (English) / （繁體中文）: which language a column is written in."""
    zh_site = fam == "zh"
    try:
        row = languages.get(code_or_field)
    except KeyError:
        row = None
    if row is None or not row.converted:
        field = row.field if row is not None else code_or_field
        if field in ("zh", "en"):
            return {("zh", "zh"): "（中文）", ("zh", "en"): "（英文）", ("en", "zh"): " (Chinese)",
                    ("en", "en"): " (English)"}[(fam, field)]
    name = row.name if row is not None else code_or_field
    return f"（{name}）" if zh_site else f" ({name})"


def dictionary(data: Initiatives, lang: str) -> list[dict[str, Any]]:
    """For each collection: its CSV file and, for each column, the type and meaning."""
    fam = languages.family(lang)
    zh_site = fam == "zh"
    out = []
    for collection in COLLECTIONS:
        model = record_model(data, collection)
        can_be_open = "open_lists" in model.model_fields
        rows = []
        for column, field, how in _columns(model):
            info = model.model_fields[field]
            zh, en = _doc(model, field)
            meaning = zh if zh_site else en
            if how in ("zh", "en", "list_zh", "list_en"):
                meaning += _language_label(how[-2:], fam)
            elif how.startswith(("lang:", "list_lang:")):
                meaning += _language_label(how.split(":", 1)[1], fam)
            elif how.startswith("names:"):
                meaning = (f"{meaning}所指的名称" if zh_site else f"Names of the records in {field}") + \
                    _language_label(how[6:], fam)
            if can_be_open and (how.startswith(("list_", "names:"))):
                code = how.split(":", 1)[1] if ":" in how else _source_code(how[-2:])
                strings = formatting.ui_strings()
                end, mark = strings["open_list_end"][code].strip(), strings["inferred_mark"][code].strip()
                if zh_site:  # Chinese text takes no half-width brackets: (inferred) as “inferred”
                    mark = mark.removeprefix("(").removesuffix(")")
                meaning += f"；原文列举未完的，以“{end}”结尾" if zh_site else \
                    f"; ends with “{end}” when the source leaves the list open"
                if how.startswith("names:"):
                    meaning += f"；本站推定的，标“{mark}”" if zh_site else f"; an inferred one is marked “{mark}”"
            elif can_be_open and how == "ids" and field in REFERENCES:
                meaning += "；列表是否完整见 open_lists，推定的见 inferred" if fam == "zh" else \
                    "; whether the list is complete: see open_lists; inferred references: see inferred"
            if how.startswith(("money:", "quantity:", "source:")):
                sub = how.split(":", 1)[1]
                models: dict[str, type[BaseModel]] = {"money": Money, "quantity": Quantity, "source": Citation}
                inner = models[how.split(":")[0]]
                szh, sen = field_doc(inner, sub)
                meaning = f"{meaning}：{szh}" if zh_site else f"{meaning}: {sen}"
                if how == "source:excerpt" and field == "source" and "more_sources" in model.model_fields:
                    meaning += "；引用多段时，各段以“ / ”分隔" if zh_site else \
                        "; when the record cites more passages, each follows, separated by “ / ”"
                type_name = _type_name(inner.model_fields[sub].annotation, lang)
            elif how.startswith("names:"):
                type_name = _type_name("names", lang)
            elif field == "open_lists":
                type_name = _type_name("fields", lang)
            else:
                type_name = _type_name(info.annotation, lang)
            rows.append({"column": column, "type": type_name, "meaning": languages.localize(meaning, lang)})
        zh, en = field_doc(Initiatives, collection)
        out.append({"collection": collection, "title": languages.localize(zh if zh_site else en, lang),
                    "file": f"data/{collection}.csv", "count": len(getattr(data, collection)),
                    "rows": rows})
    return out


# --- feeds -------------------------------------------------------------------------------


# The site's time zone, Asia/Shanghai: the day a source gives is a day there. A fixed offset
# (China has kept +08:00 all year since 1991): no time zone database, the same in every build.
SITE_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")


def day(date: str) -> tuple[int, int, int]:
    """A date of the data (YYYY, YYYY-MM or YYYY-MM-DD) as a day: a partial one as its first."""
    parts = [int(p) for p in date.split("-")] + [1, 1]
    return parts[0], parts[1], parts[2]


def rfc3339(date: str) -> str:
    """The start of a date's day in the site's time zone, in RFC 3339: 2024-01-12T00:00:00+08:00
    (never converted to UTC, which would put it on the day before)."""
    return datetime(*day(date), tzinfo=SITE_TZ).isoformat(timespec="seconds")


def feed_entries(data: Initiatives) -> list[tuple[str, Any]]:
    """Activities and projects, newest first (a partial date as the end of its period);
    undated records last, in file order."""
    order = formatting.activity_order(data)
    records = [("activities", a) for a in data.activities] + [("projects", p) for p in data.projects]

    def key(r: tuple[str, Any]) -> tuple[str, ...]:
        return order[r[1].id] if r[0] == "activities" else (formatting.sort_key(r[1].date), r[1].id)

    dated = sorted((r for r in records if r[1].date), key=key, reverse=True)
    return dated + [r for r in records if not r[1].date]


def atom_bytes(data: Initiatives, lang: str, root: str, strings: dict[str, dict[str, str]],
               limit: int = 50) -> bytes:
    """An Atom feed of one language. Entry ids are tag URIs of the record ids, so they stay the
    same wherever the site is deployed; an entry's `updated` is the publication date of the
    source it cites (the data has no time of its own), at the start of that day in the site's
    time zone (`rfc3339`), the feed's the newest of them, never the clock."""
    published = {d.id: rfc3339(d.date) for d in data.sources}
    updated = max(published.values())  # one offset throughout: the latest text is the latest day

    def text(value: Localized | str) -> str:
        if isinstance(value, Localized):
            return languages.pick(value, lang)[0]
        return value

    title = strings["site_name"][lang]
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{xml_text(languages.get(lang).tag)}">',
        f"  <title>{xml_text(title)}</title>",
        f"  <subtitle>{xml_text(strings['feed_subtitle'][lang])}</subtitle>",
        f'  <link rel="self" type="application/atom+xml" href="{xml_text(root)}feed.xml"/>',
        f'  <link rel="alternate" type="text/html" href="{xml_text(root)}"/>',
        f"  <id>{xml_text(FEED_ID + lang)}</id>",
        f"  <updated>{xml_text(updated)}</updated>",
        f"  <author><name>{xml_text(title)}</name></author>",
    ]
    # The newest entries only, as feeds do: a reader polls it, the archive is the site.
    for collection, record in feed_entries(data)[:limit]:
        name = record.title if collection == "activities" else record.name
        url = f"{root}{collection}/{record.id}/"
        # A date the source gives only relative to another record says so (不久后).
        note = getattr(record, "date_note", None) if getattr(record, "after", None) else None
        when = formatting.date(record.date, lang, as_of=record.as_of, basis=record.date_basis,
                               note=text(note) if note is not None else None)
        cited = published[record.source.document]
        kind = strings["activities" if collection == "activities" else "projects"][lang]
        summary = text(record.summary)
        if getattr(record, "amount", None):
            summary = f"{formatting.money(record.amount, lang)}. {summary}" if languages.family(lang) == "en" else \
                f"{formatting.money(record.amount, lang)}。{summary}"
        lines += [
            "  <entry>",
            f"    <title>{xml_text(text(name))}</title>",
            f'    <link rel="alternate" type="text/html" href="{xml_text(url)}"/>',
            f"    <id>{xml_text(f'{FEED_ID}{lang}/{collection}/{record.id}')}</id>",
            f"    <updated>{xml_text(cited)}</updated>",
            f"    <published>{xml_text(cited)}</published>",
            f'    <category term="{xml_text(collection)}" label="{xml_text(kind)}"/>',
            f"    <summary>{xml_text((when + ' · ' if when else '') + summary)}</summary>",
            "  </entry>",
        ]
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode("utf-8")


__all__ = ["SITE_TZ", "atom_bytes", "csv_bytes", "csv_cell", "day", "dictionary", "downloads", "json_bytes",
           "rfc3339", "xml_text"]
