"""Proves each record against the passages it cites: what a record says must be in them.

Rules, each a located, bilingual warning (an error under `--strict`):

- `faith_number`: every number in a record's Chinese texts and figure fields (Arabic digits,
  or Chinese numerals before a measure word) occurs in its excerpts, with the same qualifier:
  约, 近 before it, 余, 多 after it, and the modal 可 before it in the same clause. A text whose
  Chinese keeps 约/余/可 keeps it in English too (about, more than, can).
- `faith_list_item` / `faith_list_open`: every item of a list field (festivals, formats, services,
  places, organisations, people, parties, partners) occurs in the excerpts; where the source
  continues that list with 等, the field is listed in `open_lists`.
- `faith_name`: every place, organisation and person a record refers to is named in its
  excerpts (by its name, short name or an abbreviation the source uses), or listed in
  `inferred` with the reason.
- `faith_section`: a record is filed under the pillar whose section of the article reports it.
- `faith_speech`: a quotation's kind agrees with its passage: `direct` only where the source
  quotes with a colon and quotation marks (说：“…”), `paraphrase` where it sums up what many
  said (纷纷表示), `reported` otherwise.

Excerpts are verbatim (checked by validation); here they are the ground truth.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from qinqing.ingest.model import Citation, Initiatives, Localized, Money, Quantity

Add = Callable[..., None]

# Chinese numerals count only before a measure word (十五次, 十三): 一 and 两 alone are words
# (一家亲, 两岸) far more often than numbers.
_CN_DIGITS = "零一二三四五六七八九十百千万亿两"
_NUMBER = re.compile(
    rf"(?P<pre>约|近|逾|超过)?(?P<n>\d+(?:[.,]\d+)*|[{_CN_DIGITS}]{{2,}}(?=[次个名家位项月日年届])|"
    rf"[三四五六七八九十](?=[次个名家位项届]))(?P<post>余|多)?")
_LIST_FIELDS = ("festivals", "formats", "services", "places", "organisations", "people", "parties", "partners")
_REF_FIELDS = {"places": "places", "organisations": "organisations", "people": "people",
               "parties": "organisations", "partners": "organisations"}
_EN_QUALIFIER = {"约": ("about", "around", "approximately", "some "), "近": ("nearly", "almost", "close to"),
                 "余": ("more than", "over"), "多": ("more than", "over"), "可": ("can", "could")}


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _excerpts(record: Any) -> list[Citation]:
    return [record.source, *getattr(record, "more_sources", [])]


def _texts(value: Any, path: tuple) -> Iterator[tuple[tuple, Localized]]:
    """The record's own texts (not those of records it refers to), with their paths."""
    if isinstance(value, Localized):
        yield path, value
    elif isinstance(value, list):
        for k, item in enumerate(value):
            yield from _texts(item, path + (k,))
    elif hasattr(value, "model_fields") and not isinstance(value, (Citation, Money, Quantity)):
        for name in type(value).model_fields:
            if name in ("source", "more_sources", "note", "inferred", "date_note", "role", "roles"):
                continue  # citations are the proof; notes are labelled as not the source's
            yield from _texts(getattr(value, name), path + (name,))


def _numbers(text: str) -> Iterator[tuple[str, str, str]]:
    """(number, qualifier before, qualifier after) in a Chinese text; 可 counts as a qualifier
    before when it stands earlier in the same clause."""
    for match in _NUMBER.finditer(text):
        n = match.group("n").replace(",", "")
        pre = match.group("pre") or ""
        clause = re.split(r"[，。；、：,;]", text[: match.start()])[-1]
        modal = "可" if "可" in clause[-8:] else ""
        yield n, pre + modal, match.group("post") or ""


def _qualifiers_in(source: str, number: str) -> set[tuple[str, str]]:
    """How the source qualifies each occurrence of `number`."""
    found = set()
    for n, pre, post in _numbers(source):
        if n == number:
            found.add((pre, post))
    return found


def check(data: Initiatives, texts: dict[str, str | None], locate: Callable[[tuple], tuple[int, int]]) -> list:
    """Every rule over every record that cites a passage; returns warnings (errors under --strict)."""
    from qinqing.errors import Issue

    issues: list[Issue] = []

    def add(path: tuple, code: str, **params: Any) -> None:
        line, col = locate(path)
        issues.append(Issue(line, col, path, code, params, warning=True))

    indexes = {name: data.index(name) for name in ("places", "organisations", "people")}
    pillars = {p.id for p in data.pillars}
    for collection in ("activities", "stations", "projects", "support_cases", "honours", "quotes", "partnerships"):
        for i, record in enumerate(getattr(data, collection)):
            citations = _excerpts(record)
            if any(texts.get(c.document) is None for c in citations):
                continue  # a source without a text (or an unreadable one) proves nothing here
            passage = "".join(_squeeze(c.excerpt) for c in citations)
            base = (collection, i)
            _check_numbers(record, base, passage, add)
            _check_lists(record, base, citations, texts, indexes, add)
            if collection == "quotes":
                _check_speech(record, base, texts, add)
            # Filed under the part of the article that reports it (pillars are its sections).
            pillar = getattr(record, "pillar", None)
            sections = {s.id for d in data.sources for s in d.sections}
            if pillar in sections and record.source.section in pillars and pillar != record.source.section:
                add(base + ("pillar",), "faith_section", pillar=pillar, section=record.source.section)
    return issues


def _check_numbers(record: Any, base: tuple, passage: str, add: Add) -> None:
    for path, text in _texts(record, base):
        for number, pre, post in _numbers(_squeeze(text.zh)):
            kinds = _qualifiers_in(passage, number)
            if not kinds:
                if not (path[-1] in ("title", "name") and number in passage):
                    add(path + ("zh",), "faith_number", number=number)
                continue
            if (pre, post) not in kinds:
                shown = sorted(f"{a}{number}{b}" for a, b in kinds)
                add(path + ("zh",), "faith_qualifier", written=f"{pre}{number}{post}", source=" / ".join(shown))
            elif text.en:
                for mark in (pre + post):
                    if not any(word in text.en.lower() for word in _EN_QUALIFIER.get(mark, ())):
                        add(path + ("en",), "faith_qualifier_en", mark=mark,
                            words=" / ".join(w.strip() for w in _EN_QUALIFIER[mark]))
    for path, value in _figures(record, base):
        number = _zh_number(value)
        kinds = _qualifiers_in(passage, number)
        if not kinds:
            add(path, "faith_number", number=number)
            continue
        wanted = {"about": "约", "more_than": "余", "exact": ""}[value.qualifier]
        if not any((a + b).replace("可", "").replace("多", "余") == wanted for a, b in kinds):
            shown = sorted(f"{a}{number}{b}" for a, b in kinds)
            add(path + ("qualifier",), "faith_qualifier", written=f"{value.qualifier} {number}", source=" / ".join(shown))
        if all("可" in a for a, _ in kinds) and "figures" in path:
            label = record.figures[path[path.index("figures") + 1]].label
            if "可" not in label.zh:
                add(path[:-1] + ("label", "zh"), "faith_qualifier", written=label.zh, source=f"可…{number}")
            elif label.en and not any(w in label.en.lower() for w in _EN_QUALIFIER["可"]):
                add(path[:-1] + ("label", "en"), "faith_qualifier_en", mark="可", words="can / could")


def _figures(record: Any, base: tuple) -> Iterator[tuple[tuple, Money | Quantity]]:
    for name in ("amount", "count", "recipients"):
        value = getattr(record, name, None)
        if isinstance(value, (Money, Quantity)):
            yield base + (name,), value
    for k, figure in enumerate(getattr(record, "figures", []) or []):
        value = figure.money or figure.quantity
        yield base + ("figures", k, "money" if figure.money else "quantity"), value


def _zh_number(value: Money | Quantity) -> str:
    """The number as the Chinese source writes it: 15 for 15亿元, 200 for 200余万元."""
    n = value.amount if isinstance(value, Money) else value.value
    if isinstance(value, Money):
        for scale in (1e8, 1e4):
            if n >= scale:
                n = n / scale
                break
    return f"{n:g}"


def _check_lists(record: Any, base: tuple, citations: list[Citation], texts: dict, indexes: dict, add: Add) -> None:
    passage = "".join(_squeeze(c.excerpt) for c in citations)
    inferred = {(x.field, x.id) for x in getattr(record, "inferred", [])}
    for field in _LIST_FIELDS:
        items = getattr(record, field, None)
        if not items:
            continue
        last_end = -1
        for k, item in enumerate(items):
            if field in _REF_FIELDS:
                target = indexes[_REF_FIELDS[field]].get(item)
                if target is None or (field, item) in inferred:
                    continue
                forms = [target.name.zh, *([target.short_name.zh] if getattr(target, "short_name", None) else []),
                         *getattr(target, "abbreviations", [])]
                where = max((passage.find(_squeeze(f)) for f in forms), default=-1)
                form = next((f for f in forms if passage.find(_squeeze(f)) == where), forms[0])
                if where < 0:
                    add(base + (field, k), "faith_name", name=target.name.zh, field=field)
                    continue
            else:
                form = item.zh
                where = passage.find(_squeeze(form))
                if where < 0:
                    add(base + (field, k, "zh"), "faith_list_item", item=item.zh)
                    continue
            last_end = max(last_end, where + len(_squeeze(form)))
        if last_end >= 0 and _CONTINUED.match(passage, last_end) and field not in getattr(record, "open_lists", []):
            add(base + (field,), "faith_list_open", field=field)
    for k, x in enumerate(getattr(record, "inferred", [])):
        if x.id not in (getattr(record, x.field, None) or []):
            add(base + ("inferred", k, "id"), "faith_inferred_ref", id=x.id, field=x.field)
    for k, name in enumerate(getattr(record, "open_lists", [])):
        if name not in _LIST_FIELDS or not getattr(record, name, None):
            add(base + ("open_lists", k), "faith_open_unknown", field=name)


# The source's list goes on after the last item the record holds, and ends with 等: directly
# (四川等), or after items the record leaves out (旺旺集团、乾隆集团等).
_CONTINUED = re.compile(r"(?:[、和与及][^、，。；：等]{1,15})*等")
_DIRECT = re.compile(r"[:：]\s*[“\"「]$")


def _check_speech(quote: Any, base: tuple, texts: dict, add: Add) -> None:
    text = _squeeze(texts.get(quote.source.document) or "")
    where = text.find(_squeeze(quote.source.excerpt))
    if where < 0:
        return
    before = text[max(0, where - 40): where]
    excerpt = _squeeze(quote.source.excerpt)
    # Direct speech: the source opens quotation marks after a colon, just before the excerpt
    # or within it (说：“…”). A summary of many: 纷纷表示. Anything else is reported.
    direct = bool(_DIRECT.search(before)) or bool(re.search(r"[:：][“\"「]", excerpt[:40]))
    paraphrase = "纷纷表示" in before[-12:] + excerpt[:20]
    actual = "direct" if direct else "paraphrase" if paraphrase else "reported"
    if quote.kind != actual:
        add(base + ("kind",), "faith_speech", kind=quote.kind, actual=actual)
