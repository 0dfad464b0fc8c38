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
from datetime import datetime, timezone
from typing import Any, Literal

from pydantic import BaseModel

from . import formatting, languages
from .model import (
    Citation,
    Initiatives,
    Localized,
    Money,
    Note,
    Quantity,
    field_doc,
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
    """Everything in the data file, sources included, in the shape of the YAML."""
    payload = data.model_dump(mode="json", exclude_none=False)
    return (json_text(payload) + "\n").encode("utf-8")


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
    """(column, field, how) for every field of a record: how says how a value is flattened."""
    out: list[tuple[str, str, Any]] = []
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
            out += [(f"source_{k}", name, f"source:{k}") for k in ("document", "section", "excerpt")]
        elif origin is list and item is str:
            out.append((name, name, "ids"))
        elif origin is list:
            out.append((name, name, "json"))
        else:
            out.append((name, name, "plain"))
    return out


def _cell(record: BaseModel, field: str, how: str) -> Any:
    value = getattr(record, field)
    if value is None:
        return ""
    if how in ("zh", "en"):
        return getattr(value, how) or ""
    if how in ("list_zh", "list_en"):
        return " | ".join(getattr(v, how[5:]) or "" for v in value)
    if how.startswith("lang:"):
        text, pending = languages.pick(value, how[5:])
        return "" if pending else text
    if how.startswith("list_lang:"):
        return " | ".join(languages.pick(v, how[10:])[0] for v in value)
    if how == "ids":
        return ";".join(value)
    if how == "json":
        return json.dumps([v.model_dump(mode="json") for v in value], ensure_ascii=False) if value else ""
    if how.startswith(("money:", "quantity:", "source:")):
        key = how.split(":", 1)[1]
        inner = getattr(value, key)
        return "" if inner is None else _number(inner)
    if isinstance(value, bool):
        return "true" if value else "false"
    return _number(value)


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
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([csv_cell(c) for c, _, _ in columns])
    for record in getattr(data, collection):
        writer.writerow([csv_cell(_cell(record, field, how)) for _, field, how in columns])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def downloads(data: Initiatives) -> dict[str, bytes]:
    """The published data files, `{path: bytes}`, identical in both languages."""
    files = {"data/initiatives.json": json_bytes(data)}
    for collection in COLLECTIONS:
        files[f"data/{collection}.csv"] = csv_bytes(data, collection)
    return files


# --- data dictionary ---------------------------------------------------------------------


def _type_name(annotation: Any, lang: str) -> str:
    fam = languages.family(lang)
    words = {
        "zh": {"text": "中英文文本", "texts": "中英文文本列表", "ids": "id 列表", "date": "日期",
               "number": "数字", "bool": "true / false", "str": "文字", "money": "金额",
               "quantity": "数量", "source": "来源", "list": "列表", "one_of": "取值之一："},
        "en": {"text": "text (zh, en)", "texts": "list of texts (zh, en)", "ids": "list of ids",
               "date": "date", "number": "number", "bool": "true / false", "str": "text",
               "money": "money", "quantity": "quantity", "source": "source", "list": "list",
               "one_of": "one of: "},
    }[fam]
    words = {k: languages.localize(v, lang) for k, v in words.items()}
    metadata = getattr(annotation, "__metadata__", ())
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
        return words["bool"]
    if kind in (int, float):
        return words["number"]
    if any("YYYY" in str(getattr(m, "description", "") or "") for m in metadata) or "date" in str(annotation):
        return words["date"]
    return words["str"]


def dictionary(data: Initiatives, lang: str) -> list[dict[str, Any]]:
    """For each collection: its CSV file and, for each column, the type and meaning."""
    fam = languages.family(lang)
    zh_site = fam == "zh"
    out = []
    for collection in COLLECTIONS:
        model = record_model(data, collection)
        rows = []
        for column, field, how in _columns(model):
            info = model.model_fields[field]
            zh, en = field_doc(model, field)
            meaning = zh if zh_site else en
            if how in ("zh", "en", "list_zh", "list_en"):
                meaning += {"zh": "（中文）", "en": " (Chinese)"}[fam] if how.endswith("zh") else \
                    {"zh": "（英文）", "en": " (English)"}[fam]
            elif how.startswith(("lang:", "list_lang:")):
                row = languages.get(how.split(":", 1)[1])
                meaning += f"（{row.name}）" if zh_site else f" ({row.name})"
            if how.startswith(("money:", "quantity:", "source:")):
                sub = how.split(":", 1)[1]
                inner = {"money": Money, "quantity": Quantity, "source": Citation}[how.split(":")[0]]
                szh, sen = field_doc(inner, sub)
                meaning = f"{meaning}：{szh}" if zh_site else f"{meaning}: {sen}"
                type_name = _type_name(inner.model_fields[sub].annotation, lang)
            else:
                type_name = _type_name(info.annotation, lang)
            rows.append({"column": column, "type": type_name, "meaning": languages.localize(meaning, lang)})
        zh, en = field_doc(Initiatives, collection)
        out.append({"collection": collection, "title": languages.localize(zh if zh_site else en, lang),
                    "file": f"data/{collection}.csv", "count": len(getattr(data, collection)),
                    "rows": rows})
    return out


# --- feeds -------------------------------------------------------------------------------


def _rfc3339(date: str) -> str:
    parts = [int(p) for p in date.split("-")] + [1, 1]
    return datetime(parts[0], parts[1], parts[2], tzinfo=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


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
    source it cites (the data has no time of its own), the feed's the newest of them, never
    the clock."""
    published = {d.id: _rfc3339(d.date) for d in data.sources}
    updated = max(published.values())

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
        when = formatting.date(record.date, lang, as_of=record.as_of, basis=record.date_basis)
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


__all__ = ["atom_bytes", "csv_bytes", "csv_cell", "dictionary", "downloads", "json_bytes", "xml_text"]
