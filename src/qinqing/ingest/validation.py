"""Turns a loaded `Document` into a checked `Initiatives`, or into located issues.

Three layers, all reported together: the YAML itself (`loader`), the shape of each record
(pydantic), and the rules across records (unique ids, references that resolve, excerpts
that really quote the source). Pending translations come back as warnings.
"""

from __future__ import annotations

import difflib
import math
import os
import re
import stat
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from qinqing.errors import DataError, Issue
from qinqing.i18n import languages
from qinqing.ingest.collections import COLLECTIONS
from qinqing.ingest.loader import Document, load
from qinqing.ingest.model import REFERENCES, Citation, Initiatives, Localized, Note, Term, walk
from qinqing.safety import first_control, first_invisible, terminal

# Top-level collections whose ids name pages and must be unique across the whole file, in the
# model's order (which record a duplicate is reported at).
GLOBAL_ID_COLLECTIONS = tuple(sorted((c.name for c in COLLECTIONS if c.shared_ids),
                                     key=list(Initiatives.model_fields).index))


@dataclass
class Checked:
    """A valid data file: the model, where it came from, and its warnings."""

    data: Initiatives
    document: Document
    warnings: list[Issue]
    languages: languages.Languages
    """The languages table beside the data: every language the site is built in."""

    @property
    def path(self) -> Path:
        return self.document.path


def check(path: str | Path) -> Checked:
    """Load and validate `path`; raise `DataError` with every problem found.

    Valid data (the usual case) is read without locations, which is faster and lighter;
    invalid data is read again with them so that every issue names its line and column."""
    table = languages.load(path)  # the languages table beside the data: which overrides are allowed
    _check_lists(table)
    document = load(path, marks=False)
    try:
        checked = check_document(document, table)
    except DataError:
        return check_document(load(path, marks=True), table)
    # Locations are only needed for warnings; look them up if there are any.
    if checked.warnings:
        return check_document(load(path, marks=True), table)
    checked.document.data = None  # the model holds everything now; free the raw copy
    return checked


def check_document(document: Document, table: languages.Languages | None = None) -> Checked:
    """Validate a loaded document against `table` (by default, the languages table beside it)."""
    if table is None:
        table = languages.load(document.path)
    try:
        data = Initiatives.model_validate(document.data)
    except ValidationError as exc:
        raise DataError(document.path, pydantic_issues(exc, document)) from None
    issues = _cross_issues(data, document, table)
    text_errors, text_warnings = _text_issues(data, document)
    issues += text_errors
    if issues:
        raise DataError(document.path, issues)
    warnings = _pending(data, document, table) + _term_warnings(data, document) + text_warnings
    # Faithfulness: each record proven against the passages it cites.
    from qinqing.ingest.faithfulness import check as faithful

    texts = {d.id: _source_text(d, document.path)[0] for d in data.sources}
    warnings += faithful(data, texts, document.locate)
    _set_positions(data, texts)
    warnings.sort(key=lambda i: (i.line, i.col))
    return Checked(data=data, document=document, warnings=warnings, languages=table)


def _set_positions(data: Initiatives, texts: dict[str, str | None]) -> None:
    """Where each record's first passage stands in its source, for the renderer's order."""
    documents = [d.id for d in data.sources]
    positions = {}
    for collection in GLOBAL_ID_COLLECTIONS:
        for record in getattr(data, collection):
            source = getattr(record, "source", None)
            text = texts.get(source.document) if source is not None else None
            if text and source is not None:
                where = text.find(_normalise(source.excerpt))
                if where >= 0:
                    positions[(collection, record.id)] = documents.index(source.document) * 10 ** 7 + where
    data._positions = positions


def icons_in(folders: list[Path]):
    """Whether an icon name (material/heart) is an SVG in one of the theme's `.icons` folders."""
    return lambda name: any((folder / f"{name}.svg").is_file() for folder in folders)


def unknown_icons(checked: Checked, exists) -> list[Issue]:
    """Icons the theme does not ship; `exists(name)` is supplied by the engine's adapter."""
    missing = [i for i, pillar in enumerate(checked.data.pillars) if not exists(pillar.icon)]
    if not missing:
        return []
    document = checked.document if checked.document.marks else load(checked.path, marks=True)
    issues = []
    for i in missing:
        path = ("pillars", i, "icon")
        line, col = document.locate(path)
        issues.append(Issue(line, col, path, "icon_missing", {"value": checked.data.pillars[i].icon}))
    return issues


# --- shape errors -----------------------------------------------------------------------


def _unwrap(annotation: Any) -> list[Any]:
    """The concrete types an annotation may hold (Optional, Annotated and unions opened)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [t for arg in typing.get_args(annotation) for t in _unwrap(arg)]
    return [annotation]


def _model_at(path: tuple[str | int, ...], root: type[BaseModel] = Initiatives) -> type[BaseModel] | None:
    """The model class that a path in the data points into, for "did you mean" hints."""
    current: Any = root
    for part in path:
        candidates = _unwrap(current)
        nxt = None
        for cand in candidates:
            if isinstance(part, int) and typing.get_origin(cand) is list:
                nxt = typing.get_args(cand)[0]
            elif isinstance(cand, type) and issubclass(cand, BaseModel) and part in cand.model_fields:
                nxt = cand.model_fields[part].annotation
            if nxt is not None:
                break
        if nxt is None:
            return None
        current = nxt
    for cand in _unwrap(current):
        if isinstance(cand, type) and issubclass(cand, BaseModel):
            return cand
    return None


def pydantic_issues(exc: ValidationError, document: Document, root: type[BaseModel] = Initiatives) -> list[Issue]:
    """Pydantic's errors as located issues of `document` (whose shape `root` describes)."""
    issues = []
    seen = set()
    for err in exc.errors(include_url=False):
        # Union members and validator names show up in loc; keep only data keys.
        path = tuple(p for p in err["loc"] if isinstance(p, int) or not _is_internal(p))
        code, params, on_key = _classify(dict(err), path, root)
        key = (path, code)
        if key in seen:
            continue
        seen.add(key)
        line, col = document.locate(path, key=on_key)
        issues.append(Issue(line=line, col=col, path=path, code=code, params=params))
    # A misspelt field shows up twice (unknown "pilar", missing "pillar"): keep only the hint.
    misspelt = {i.path[:-1] + (i.params["suggestion"],) for i in issues if i.code == "extra_close"}
    return [i for i in issues if not (i.code == "missing" and i.path in misspelt)]


def _is_internal(part: str) -> bool:
    return part in {"str", "float", "int", "bool", "list", "dict", "none", "lax-or-strict",
                    "function-after", "function-before", "tagged-union", "nullable"} or \
        part.startswith(("function-", "constrained-", "json-or-python"))


def _classify(err: dict[str, Any], path: tuple[str | int, ...],
              root: type[BaseModel] = Initiatives) -> tuple[str, dict[str, Any], bool]:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    name = str(path[-1]) if path else ""
    value = err.get("input")
    shown = _show(value)
    if kind == "finite_number" or (isinstance(value, float) and not math.isfinite(value)):
        return "not_finite", {"value": shown}, False
    if kind == "missing":
        if name in ("zh", "en"):
            return "missing_language", {"field": name}, False
        return "missing", {"field": name}, False
    if kind == "extra_forbidden":
        model = _model_at(path[:-1], root)
        known = sorted(model.model_fields) if model else []
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
        if close:
            return "extra_close", {"field": name, "suggestion": close[0]}, True
        return "extra", {"field": name, "known": ", ".join(known)}, True
    if kind == "value_error":
        code = str(ctx.get("error", ""))
        if code == "blank":
            return "blank", {"field": name}, False
        if code in {"date_format", "date_month", "date_day", "date_year", "url_scheme", "one_value",
                    "quote_speaker", "id_reserved", "lang_name_chars", "lang_text", "taiwan_funded_false"}:
            return code, {"value": shown}, False
        return "invalid", {"value": shown, "detail": err.get("msg", "")}, False
    if kind == "string_pattern_mismatch":
        if root is not Initiatives:
            return "lang_pattern", {"field": name, "value": shown, "example": _LANG_EXAMPLES.get(name, "")}, False
        if name == "icon":
            return "icon", {"value": shown}, False
        return "id_pattern", {"value": shown}, False
    if kind == "literal_error":
        options = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        return "choice", {"value": shown, "expected": ", ".join(options)}, False
    if kind in {"greater_than_equal", "greater_than"}:
        return "negative", {"value": shown}, False
    if kind == "too_short":
        return "too_short", {"field": name, "min": ctx.get("min_length", 1)}, False
    if kind in {"string_type"}:
        if isinstance(value, dict) and {"zh", "en"} & set(value):
            return "want_text_got_localized", {"field": name}, False
        return "want_text", {"value": shown}, False
    if kind in {"less_than_equal", "less_than"}:
        limit = ctx.get("le", ctx.get("lt"))
        return "too_large", {"value": shown, "limit": f"{limit:.0f}" if isinstance(limit, float) else limit}, False
    if kind == "string_too_long":
        return "too_long", {"field": name, "length": len(value) if isinstance(value, str) else "?",
                            "limit": ctx.get("max_length", "?")}, False
    if kind in {"float_parsing", "float_type", "int_parsing", "int_type"}:
        return "want_number", {"value": shown}, False
    if kind in {"bool_parsing", "bool_type"}:
        return "want_bool", {"value": shown}, False
    if kind == "list_type":
        return "want_list", {"field": name}, False
    if kind in {"model_type", "dict_type", "model_attributes_type"}:
        if isinstance(value, str) and _model_at(path, root) is Localized:
            return "want_localized", {"value": shown}, False
        return "want_mapping", {"field": name}, False
    return "invalid", {"value": shown, "detail": err.get("msg", "")}, False


# What a good value of each patterned field of the languages table looks like.
_LANG_EXAMPLES = {"code": "zh-hant", "path": "en/", "tag": "zh-Hant", "theme": "zh-Hant", "locale": "zh_TW",
                  "lang": "en", "field": "en", "convert": "zh"}


def _show(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else value
    return terminal(text if len(text) <= 40 else text[:37] + "…")


# --- what a text may hold ------------------------------------------------------------------

# Fields that name something (a page title, a link text, a chart label, a table cell): a few
# hundred characters at most. The longest in the real data is 148 (an English title).
NAME_FIELDS = frozenset({"name", "short_name", "title", "label", "heading", "speaker_label",
                         "recipient_kind", "role", "roles", "awarded_by", "festivals", "formats",
                         "publisher", "motto", "termbase"})
NAME_MAX = 300
# Any other text (a summary, a note, an excerpt): the longest in the real data is 483.
TEXT_MAX = 3000


def _text_issues(data: Initiatives, document: Document) -> tuple[list[Issue], list[Issue]]:
    """Length limits per kind of field, and characters that hide or reorder text: refused in
    names, reported elsewhere. (Control characters never get this far: the loader refuses them.)"""
    errors: list[Issue] = []
    warnings: list[Issue] = []

    def texts(path: tuple[str | int, ...], value: Any):
        if isinstance(value, (Localized, Note, Term)):
            for lang in ("zh", "en"):
                if getattr(value, lang, None):
                    yield path + (lang,), getattr(value, lang)
            for code, text in (getattr(value, "overrides", None) or {}).items():
                yield path + ("overrides", code), text
            if isinstance(value, (Localized, Note)):  # a further written language's text
                for field, text in value.written().items():
                    yield path + (field,), text
            for k, form in enumerate(getattr(value, "forms", None) or ()):
                yield path + ("forms", k), form
        elif isinstance(value, Citation):
            yield path + ("excerpt",), value.excerpt
        elif isinstance(value, str) and path[-1] not in ("zh", "en"):  # a term's are above
            yield path, value

    for path, value in walk(data):
        for where, text in texts(path, value):
            named = next((p for p in reversed(where) if isinstance(p, str) and p not in ("zh", "en", "overrides", "forms")
                          and not (isinstance(value, (Localized, Note)) and p in value.written())), "")
            is_name = named in NAME_FIELDS
            limit = NAME_MAX if is_name else TEXT_MAX
            if len(text) > limit:
                line, col = document.locate(where)
                errors.append(Issue(line, col, where, "too_long", {"field": named, "length": len(text), "limit": limit}))
            found = first_invisible(text)
            if found is not None:
                line, col = document.locate(where)
                issue = Issue(line, col, where, "invisible_char", {"char": found[1], "position": found[0] + 1},
                              warning=not is_name)
                (warnings if issue.warning else errors).append(issue)
    return errors, warnings


# --- rules across records -----------------------------------------------------------------


def _cross_issues(data: Initiatives, document: Document, table: languages.Languages) -> list[Issue]:
    issues: list[Issue] = []

    def add(path: tuple[str | int, ...], code: str, **params: Any) -> None:
        line, col = document.locate(path)
        issues.append(Issue(line=line, col=col, path=path, code=code, params=params))

    ids: dict[str, dict[str, tuple[str | int, ...]]] = {}
    first_seen: dict[str, tuple[str | int, ...]] = {}
    for collection in ("sources",) + GLOBAL_ID_COLLECTIONS:
        ids[collection] = {}
        for i, record in enumerate(getattr(data, collection)):
            path: tuple[str | int, ...] = (collection, i, "id")
            if record.id in first_seen:
                other = first_seen[record.id]
                add(path, "duplicate_id", id=record.id,
                    other=f"{other[0]}[{other[1]}]", line=document.locate(other)[0])
                continue
            # Sources are a namespace of their own: an article may share an id with a page.
            if collection != "sources":
                first_seen[record.id] = path
            ids[collection][record.id] = path

    groups: tuple[tuple[tuple[str | int, ...], Any], ...] = (
        (("method", "principles"), data.method.principles),
        (("method", "sayings"), data.method.sayings),
        *((("pillars", i, "points"), p.points) for i, p in enumerate(data.pillars)),
        *((("sources", i, "sections"), d.sections) for i, d in enumerate(data.sources)),
    )
    for list_path, records in groups:
        seen: dict[str, int] = {}
        for j, record in enumerate(records):
            if record.id in seen:
                add(list_path + (j, "id"), "duplicate_id", id=record.id,
                    other=f"{'.'.join(map(str, list_path))}[{seen[record.id]}]",
                    line=document.locate(list_path + (seen[record.id],))[0])
            seen.setdefault(record.id, j)

    converted = table.converted_codes()
    further = table.further_fields()
    documents = {d.id: d for d in data.sources}
    texts = {}
    for i, source in enumerate(data.sources):
        text, problem, where = _source_text(source, document.path)
        texts[source.id] = text
        if problem is not None:
            add(("sources", i, "text_file"), problem, value=terminal(source.text_file),
                where=f"{where[0]}:{where[1]}" if where else "", limit=SOURCE_MAX_BYTES)

    for path, value in walk(data):
        name = path[-1]
        if name in REFERENCES and len(path) >= 2 and _is_refs(value):
            target = REFERENCES[name]
            refs = [(path, value)] if isinstance(value, str) else [(path + (k,), v) for k, v in enumerate(value)]
            for ref_path, ref in refs:
                if ref not in ids[target]:
                    close = difflib.get_close_matches(ref, list(ids[target]), n=1, cutoff=0.6)
                    if close:
                        add(ref_path, "unknown_ref_close", ref=ref, collection=target, suggestion=close[0])
                    else:
                        add(ref_path, "unknown_ref", ref=ref, collection=target)
        elif isinstance(value, Citation):
            _check_citation(value, path, documents, texts, add)
        elif isinstance(value, (Localized, Note)):
            for key in value.written():
                if key not in further:  # a written language the table does not have
                    add(path + (key,), "extra", field=key,
                        known=", ".join([*type(value).model_fields, *further]))
            if isinstance(value, Localized) and value.overrides:
                for code in value.overrides:
                    if code not in converted:
                        add(path + ("overrides", code), "override_language", lang=code,
                            known=", ".join(converted) or "-")

    seen_terms: dict[str, int] = {}
    for i, term in enumerate(data.termbase):
        if term.zh in seen_terms:
            add(("termbase", i, "zh"), "term_duplicate", zh=term.zh,
                line=document.locate(("termbase", seen_terms[term.zh]))[0])
        seen_terms.setdefault(term.zh, i)

    # A collection shown under a pillar the data no longer has would vanish from the site. (A
    # record with a `pillar` field of its own, defaulted or not, is checked as a reference.)
    for entry in COLLECTIONS:
        records = getattr(data, entry.name)
        if (entry.pillar and records and "pillar" not in type(records[0]).model_fields
                and entry.pillar not in ids["pillars"]):
            add(("pillars",), "collection_pillar_missing", pillar=entry.pillar, collection=entry.name,
                known=", ".join(ids["pillars"]))

    if not issues:  # a duplicate or unknown id would make the chain meaningless
        _check_after(data, ids["activities"], add)
    return issues


def _check_lists(table: languages.Languages) -> None:
    """The reviewed lists a converted language reads (data/zh-hant/phrases.txt, surnames.txt):
    a malformed line is a located error of that file, before anything is built."""
    from qinqing.i18n.convert import PhraseError

    configs = {row.convert for row in table if row.convert not in (None, "pseudo")}
    try:
        for config in sorted(configs):
            table.converter(config)
    except PhraseError as exc:
        raise DataError(exc.path, [Issue(p.line, p.col, (), p.code, dict(p.params)) for p in exc.problems]) from None


# The source's longest chain of "soon after" is two activities.
AFTER_MAX = 50


def _check_after(data: Initiatives, known: dict[str, Any], add: Any) -> None:
    """An `after` chain must end (a circle would leave the activities without an order), and
    stay short."""
    after = {a.id: a.after for a in data.activities if a.after in known}
    depth: dict[str, int] = {}
    reported: set[str] = set()
    for i, activity in enumerate(data.activities):
        chain, current = [activity.id], after.get(activity.id)
        while current is not None and current not in chain and current not in depth:
            chain.append(current)
            current = after.get(current)
        if current is not None and current in chain:
            if current == activity.id and not reported & set(chain):
                reported.update(chain)
                add(("activities", i, "after"), "after_cycle", chain=" → ".join(chain + [current]))
            continue
        # Lengths from the end of the chain back to this activity, remembered for the others.
        base = depth.get(current, 0) if current is not None else 0
        for k, name in enumerate(reversed(chain)):
            depth[name] = base + k + 1
        if depth[activity.id] > AFTER_MAX and activity.after and depth.get(activity.after, 0) <= AFTER_MAX:
            add(("activities", i, "after"), "after_chain", length=depth[activity.id], limit=AFTER_MAX)


def _is_refs(value: Any) -> bool:
    return isinstance(value, str) or (isinstance(value, list) and all(isinstance(v, str) for v in value))


def _normalise(text: str) -> str:
    return re.sub(r"\s+", "", text)


# A source text is an article, not a book: the real one is 9 KB.
SOURCE_MAX_BYTES = 2 * 1024 * 1024


def source_file(data_path: Path, text_file: str) -> tuple[Path | None, str | None]:
    """The source text a record names, proven safe to read: a relative path to a regular file
    inside the data folder, of sensible size. Returns (path, None), or (None, problem code):
    `/dev/zero` would be read until memory ran out, `/etc/passwd` would be read at all, and
    the excerpt check would tell whether any text is in any readable file."""
    folder = data_path.resolve().parent
    if os.path.isabs(text_file) or "\\" in text_file or ".." in Path(text_file).parts:
        return None, "text_file_outside"
    path = (folder / text_file).resolve()
    if folder not in path.parents:  # through a symbolic link
        return None, "text_file_outside"
    try:
        info = path.stat()
    except OSError:
        return None, "text_file_missing"
    if not stat.S_ISREG(info.st_mode):
        return None, "text_file_not_regular"
    if info.st_size > SOURCE_MAX_BYTES:
        return None, "text_file_too_large"
    return path, None


def _source_text(source: Any, data_path: Path) -> tuple[str | None, str | None, tuple[int, int] | None]:
    """A source's text, normalised for the excerpt check, or why it cannot be read (a problem
    code, and for a bad character its line and column in that file)."""
    if not source.text_file:
        return "", None, None
    path, problem = source_file(data_path, source.text_file)
    if path is None:
        return None, problem, None
    try:
        raw = path.read_bytes()[: SOURCE_MAX_BYTES + 1]
        text = raw.decode("utf-8")
    except OSError:
        return None, "text_file_missing", None
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        start = raw.rfind(b"\n", 0, exc.start) + 1
        return None, "text_file_not_utf8", (line, len(raw[start: exc.start].decode("utf-8", "replace")) + 1)
    found = first_control(text.replace("\r", ""))
    if found is not None:
        before = text.replace("\r", "")[: found[0]]
        return None, "text_file_control", (before.count("\n") + 1, found[0] - (before.rfind("\n") + 1) + 1)
    return _normalise(text), None, None


def _check_citation(citation: Any, path: tuple[str | int, ...], documents: dict, texts: dict, add: Any) -> None:
    source = documents.get(citation.document)
    if source is None:
        add(path + ("document",), "unknown_document", ref=citation.document,
            known=", ".join(documents))
        return
    sections = [s.id for s in source.sections]
    if citation.section not in sections:
        add(path + ("section",), "unknown_section", ref=citation.section, known=", ".join(sections))
    text = texts.get(citation.document)
    if text and _normalise(citation.excerpt) not in text:
        add(path + ("excerpt",), "excerpt_not_found", document=citation.document)


def _pending(data: Initiatives, document: Document, table: languages.Languages) -> list[Issue]:
    """A text without its English (`en: null`), or without a further written language's key:
    a warning each, located where the translation goes (the text itself, for a missing key)."""
    further = {row.field: row.name for row in table if not row.converted and row.field in table.further_fields()}
    warnings: list[Issue] = []
    for path, value in walk(data):
        if not isinstance(value, Localized):
            continue
        if value.pending:
            line, col = document.locate(path + ("en",))
            warnings.append(Issue(line, col, path + ("en",), "translation_pending",
                                  {"zh": value.zh[:20]}, warning=True))
        written = value.written()
        for field, name in further.items():
            if field not in written:
                line, col = document.locate(path)
                warnings.append(Issue(line, col, path + (field,), "translation_pending_in",
                                      {"zh": value.zh[:20], "language": name, "field": field}, warning=True))
    return warnings


def _term_warnings(data: Initiatives, document: Document) -> list[Issue]:
    """Every English text whose Chinese holds a termbase term must use the term's English.

    Longer terms are matched first and masked, so 全国台企联 asks for its own English and
    not also for that of 台企; the English is compared without regard to case."""
    if not data.termbase:
        return []
    terms = sorted(enumerate(data.termbase), key=lambda t: -len(t[1].zh))
    warnings: list[Issue] = []
    for path, value in walk(data):
        if path[0] == "termbase" or not isinstance(value, (Localized, Note)):
            continue
        if not value.zh or not value.en:
            continue
        zh, en = value.zh, value.en.casefold()
        for i, term in terms:
            if term.zh not in zh:
                continue
            zh = zh.replace(term.zh, "\0" * len(term.zh))
            if any(form.casefold() in en for form in [term.en, *term.forms]):
                continue
            line, col = document.locate(path + ("en",))
            warnings.append(Issue(line, col, path + ("en",), "term_missing",
                                  {"zh": term.zh, "en": term.en,
                                   "line": document.locate(("termbase", i))[0]}, warning=True))
    return warnings


__all__ = ["Checked", "DataError", "check", "check_document", "load"]
