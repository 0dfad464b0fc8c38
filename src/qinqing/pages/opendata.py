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

from qinqing.i18n import formatting
from qinqing.i18n.languages import Edition, Languages
from qinqing.ingest.collections import COLLECTIONS as TABLE_OF_COLLECTIONS
from qinqing.ingest.model import (
    REFERENCES,
    Citation,
    Initiatives,
    Localized,
    Money,
    Note,
    PartialDate,
    Quantity,
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


# The published CSV files, in the order the data dictionary lists them (ingest/collections.py).
COLLECTIONS = tuple(c.name for c in TABLE_OF_COLLECTIONS if c.csv)
FEED_ID = "tag:qinqing.jinan,2024:"


def json_bytes(data: Initiatives, table: Languages) -> bytes:
    """Everything in the data file, sources included, in the shape of the YAML; every text
    (`{zh, en}`) also in each converted language of the table (`zh-hant`), as the CSV's
    `_zh-hant` columns write it, so the JSON carries every language the CSV does."""
    payload = data.model_dump(mode="json", exclude_none=False)
    _add_converted(data, payload, tuple(table.edition(c) for c in table.converted_codes()))
    return (json_text(payload) + "\n").encode("utf-8")


def _add_converted(value: Any, dumped: Any, codes: tuple[Edition, ...]) -> None:
    """Walk the model and its dump side by side; give each text's dump its converted forms,
    after `en` (a text with no source-language form, an empty note's, is null there too)."""
    if not codes:
        return
    if isinstance(value, (Localized, Note)):
        if isinstance(dumped, dict):
            head = {k: dumped.pop(k) for k in codes[0].table.written_fields() if k in dumped}
            rest = dict(dumped)
            dumped.clear()
            dumped.update(head)
            for ed in codes:
                dumped[ed.code] = ed.pick(value)[0]
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


def _columns(model: type[BaseModel], table: Languages) -> list[tuple[str, str, Any]]:
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
        converted = table.converted_codes()
        if kind is Localized or kind is Note:
            out += [(f"{name}_{f}", name, f"field:{f}") for f in table.written_fields()]
            # A converted language's text, a column each (title_zh-hant): read beside the others.
            out += [(f"{name}_{code}", name, f"lang:{code}") for code in converted]
        elif item is Localized:
            out += [(f"{name}_{f}", name, f"list_field:{f}") for f in table.written_fields()]
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
                out += [(f"{name}_names_{code}", name, f"names:{code}") for code in table.codes()]
        elif origin is list:
            out.append((name, name, "json"))
        else:
            out.append((name, name, "plain"))
    return out


def _source_code(field: str, table: Languages) -> str:
    """The language written in a data field as it is (zh, en): the code of its UI strings."""
    return table.edition_of_field(field).code


def _open_end(record: BaseModel, field: str, ed: Edition) -> str:
    """What ends a list the source leaves open (等, “, among others”), in language `ed`."""
    if field not in (getattr(record, "open_lists", None) or ()):
        return ""
    return ed.ui("open_list_end")


# Records by id, of the collections references point at, for the lists of names (set by
# csv_bytes for the data it writes).
_Index = dict[str, dict[str, Any]]


def _cell(record: BaseModel, field: str, how: str, table: Languages, index: _Index | None = None) -> Any:
    value = getattr(record, field)
    if value is None:
        return ""
    if field == "date_basis" and not (getattr(record, "date", None) or getattr(record, "year", None)):
        return ""  # no date, no basis: an undated record's date is not "stated"
    if how.startswith("field:"):
        return getattr(value, how[6:], None) or ""
    if how.startswith("list_field:"):
        if not value:
            return ""
        written = how[11:]
        source = table.edition(_source_code(written, table))
        return " | ".join(getattr(v, written, None) or "" for v in value) + _open_end(record, field, source)
    if how.startswith("lang:"):
        text, pending = table.edition(how[5:]).pick(value)
        return "" if pending else text
    if how.startswith("list_lang:"):
        if not value:
            return ""
        ed = table.edition(how[10:])
        return " | ".join(ed.pick(v)[0] for v in value) + _open_end(record, field, ed)
    if how.startswith("names:"):
        return _names(record, field, table.edition(how[6:]), index or {}) if value else ""
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


def _names(record: BaseModel, field: str, ed: Edition, index: _Index) -> str:
    """The names of a list of references in language `ed`: an inferred one marked as the
    pages mark it, an open list ended as the pages end it."""
    collection = REFERENCES[field]
    records = index.get(collection, {})
    inferred = {x.id for x in getattr(record, "inferred", ()) if x.field == field}
    names = []
    for ref in getattr(record, field):
        target = records.get(ref)
        name = ed.pick(target.name, person_name=collection == "people")[0] if target else ref
        names.append(name + (ed.ui("inferred_mark") if ref in inferred else ""))
    return " | ".join(names) + _open_end(record, field, ed)


def _number(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def record_model(data: Initiatives, collection: str) -> type[BaseModel]:
    [kind] = _inner(Initiatives.model_fields[collection].annotation)
    return typing.get_args(kind)[0]


def csv_bytes(data: Initiatives, collection: str, table: Languages) -> bytes:
    model = record_model(data, collection)
    columns = _columns(model, table)
    named = {REFERENCES[field] for _, field, how in columns if how.startswith("names:")}
    index = {name: data.index(name) for name in named}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([csv_cell(c) for c, _, _ in columns])
    for record in getattr(data, collection):
        writer.writerow([csv_cell(_cell(record, field, how, table, index)) for _, field, how in columns])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def downloads(data: Initiatives, table: Languages) -> dict[str, bytes]:
    """The published data files, `{path: bytes}`, identical in every language."""
    files = {"data/initiatives.json": json_bytes(data, table)}
    for collection in COLLECTIONS:
        files[f"data/{collection}.csv"] = csv_bytes(data, collection, table)
    return files


# --- data dictionary ---------------------------------------------------------------------


# The data dictionary's names of value types: UI strings type_<kind> (strings.yaml).
TYPE_WORDS = ("type_text", "type_texts", "type_ids", "type_date", "type_number", "type_bool", "type_bool_or_empty",
              "type_str", "type_money", "type_quantity", "type_source", "type_list", "type_names", "type_fields",
              "type_one_of")


def _type_name(annotation: Any, ed: Edition) -> str:
    words = {key[len("type_"):]: ed.ui(key) for key in TYPE_WORDS}
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


def _doc(model: type[BaseModel], field: str) -> dict[str, str]:
    """What a column means, `{language field: text}`: fields.yaml's `open_data` entry where the
    field's own description says less than a reader of the CSV needs (tri-state and
    kind-of-speech values, the lists the source leaves open, inferred references, further
    passages), else `fields`."""
    return field_text(model, field, "open_data") or field_text(model, field)


def _language_label(code_or_field: str, source: Edition) -> str:
    """（中文） / (English) / （繁體中文）: which language a column is written in, in the
    words of `source` (the written language the dictionary's text is made in)."""
    table = source.table
    row = table.get(code_or_field) if code_or_field in table.codes() else None
    if row is None or not row.converted:
        field = row.field if row is not None else code_or_field
        if f"in_language_{field}" in table.ui_strings():
            return source.ui(f"in_language_{field}")
    name = row.name if row is not None else code_or_field
    return source.ui("dict_written_in").format(name=name)


def _written(ed: Edition) -> Edition:
    """The written language whose text a language reads (itself, or the one it converts)."""
    return ed.table.edition(_source_code(ed.row.field, ed.table))


def dictionary(data: Initiatives, ed: Edition) -> list[dict[str, Any]]:
    """For each collection: its CSV file and, for each column, the type and meaning, made in
    the words of the written language `ed` reads and then converted (as UI strings are)."""
    table = ed.table
    source = _written(ed)
    field_of = ed.row.field

    def doc(texts: dict[str, str]) -> str:
        # A written language fields.yaml does not describe yet reads the default's description.
        return texts.get(field_of) or texts.get(table.default.field, "")

    out = []
    for collection in COLLECTIONS:
        model = record_model(data, collection)
        can_be_open = "open_lists" in model.model_fields
        rows = []
        for column, field, how in _columns(model, table):
            info = model.model_fields[field]
            meaning = doc(_doc(model, field))
            if how.startswith(("field:", "list_field:")):
                meaning += _language_label(how.split(":", 1)[1], source)
            elif how.startswith(("lang:", "list_lang:")):
                meaning += _language_label(how.split(":", 1)[1], source)
            elif how.startswith("names:"):
                meaning = source.ui("dict_names").format(meaning=meaning, field=field) + \
                    _language_label(how[6:], source)
            if can_be_open and (how.startswith(("list_", "names:"))):
                code = how.split(":", 1)[1]
                code = _source_code(code, table) if how.startswith("list_field:") else code
                column_ed = table.edition(code)
                end, mark = column_ed.ui("open_list_end").strip(), column_ed.ui("inferred_mark").strip()
                meaning += source.ui("dict_open_end").format(end=end)
                if how.startswith("names:"):
                    # A bare mark where the half-width brackets would stack on the text's own.
                    bare = mark.removeprefix("(").removesuffix(")")
                    meaning += source.ui("dict_inferred").format(mark=mark, bare=bare)
            elif can_be_open and how == "ids" and field in REFERENCES:
                meaning += source.ui("dict_see_open_lists")
            if how.startswith(("money:", "quantity:", "source:")):
                sub = how.split(":", 1)[1]
                models: dict[str, type[BaseModel]] = {"money": Money, "quantity": Quantity, "source": Citation}
                inner = models[how.split(":")[0]]
                meaning = f"{meaning}{source.ui('colon')}{doc(field_text(inner, sub))}"
                if how == "source:excerpt" and field == "source" and "more_sources" in model.model_fields:
                    meaning += source.ui("dict_more_passages")
                type_name = _type_name(inner.model_fields[sub].annotation, ed)
            elif how.startswith("names:"):
                type_name = _type_name("names", ed)
            elif field == "open_lists":
                type_name = _type_name("fields", ed)
            else:
                type_name = _type_name(info.annotation, ed)
            rows.append({"column": column, "type": type_name, "meaning": ed.localize(meaning)})
        out.append({"collection": collection, "title": ed.localize(doc(field_text(Initiatives, collection))),
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
    """The records of the feed's collections (ingest/collections.py: activities and projects),
    newest first (a partial date as the end of its period; an activity that follows another
    right after it); undated records last, in file order."""
    order = formatting.activity_order(data)  # ids are unique across collections
    records = [(c.name, r) for c in TABLE_OF_COLLECTIONS if c.feed for r in getattr(data, c.name)]

    def key(r: tuple[str, Any]) -> tuple[str, ...]:
        return order[r[1].id] if r[1].id in order else (formatting.sort_key(r[1].date), r[1].id)

    dated = sorted((r for r in records if r[1].date), key=key, reverse=True)
    return dated + [r for r in records if not r[1].date]


def atom_bytes(data: Initiatives, ed: Edition, root: str, limit: int = 50) -> bytes:
    """An Atom feed of one language. Entry ids are tag URIs of the record ids, so they stay the
    same wherever the site is deployed; an entry's `updated` is the publication date of the
    source it cites (the data has no time of its own), at the start of that day in the site's
    time zone (`rfc3339`), the feed's the newest of them, never the clock."""
    published = {d.id: rfc3339(d.date) for d in data.sources}
    updated = max(published.values())  # one offset throughout: the latest text is the latest day

    def text(value: Localized | str) -> str:
        if isinstance(value, Localized):
            return ed.pick(value)[0]
        return value

    lang = ed.code
    title = ed.ui("site_name")
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{xml_text(ed.row.tag)}">',
        f"  <title>{xml_text(title)}</title>",
        f"  <subtitle>{xml_text(ed.ui('feed_subtitle'))}</subtitle>",
        f'  <link rel="self" type="application/atom+xml" href="{xml_text(root)}feed.xml"/>',
        f'  <link rel="alternate" type="text/html" href="{xml_text(root)}"/>',
        f"  <id>{xml_text(FEED_ID + lang)}</id>",
        f"  <updated>{xml_text(updated)}</updated>",
        f"  <author><name>{xml_text(title)}</name></author>",
    ]
    # The newest entries only, as feeds do: a reader polls it, the archive is the site.
    for collection, record in feed_entries(data)[:limit]:
        name = getattr(record, "title", None) or record.name
        url = f"{root}{collection}/{record.id}/"
        # A date the source gives only relative to another record says so (不久后).
        note = getattr(record, "date_note", None) if getattr(record, "after", None) else None
        when = formatting.date(record.date, ed, as_of=record.as_of, basis=record.date_basis,
                               note=text(note) if note is not None else None)
        cited = published[record.source.document]
        kind = ed.ui(collection)  # the collection's name in the edition's words
        summary = text(record.summary)
        if getattr(record, "amount", None):
            summary = ed.ui("feed_amount").format(amount=formatting.money(record.amount, ed), summary=summary)
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
