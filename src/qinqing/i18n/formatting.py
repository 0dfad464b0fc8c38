"""How dates, amounts and quantities read in each language (15 亿元 / CNY 1.5 billion).

A language reads numbers and dates as its table row's `format` says (zh or en); a converted
language (繁體中文) gets the zh form converted (約15億元)."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

from qinqing.i18n import languages
from qinqing.i18n.languages import family, localize
from qinqing.ingest.model import Money, Quantity


@cache
def _written_strings() -> dict[str, dict[str, str]]:
    text = resources.files(__package__).joinpath("strings.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def ui_strings() -> dict[str, dict[str, str]]:
    """Every UI string, `{key: {code: text}}`, for every language of the table: as written in
    strings.yaml, or converted for a converted language that has none of its own."""
    return languages.ui_table(_written_strings())

MONTHS_EN = (
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
)

# zh: a number pattern; en: singular | plural.
# Chinese in mainland official style: no space between a number and a Chinese character.
UNITS = {
    "m2": ("{n}平方米", "{n} m²|{n} m²"),
    "kWh": ("{n}千瓦时", "{n} kWh|{n} kWh"),
    "times": ("{n}次", "{n} time|{n} times"),
    "visits": ("{n}次", "{n} visit|{n} visits"),
    "families": ("{n}个家庭", "{n} family|{n} families"),
    "people": ("{n}名", "{n} person|{n} people"),
    "companies": ("{n}家企业", "{n} company|{n} companies"),
}


def number(value: float, lang: str) -> str:
    """A plain number: no trailing .0, thousands separators in English only."""
    return _number(value, family(lang))


def _number(value: float, fam: str) -> str:
    en = fam == "en"
    if float(value).is_integer():
        return f"{int(value):,}" if en else str(int(value))
    text = f"{value:,.2f}" if en else f"{value:.2f}"
    return text.rstrip("0").rstrip(".")


def date(value: str | None, lang: str, *, as_of: bool = False, basis: str = "stated",
         short: bool = False, since: bool = False, note: str | None = None) -> str:
    """A partial date at its own precision: 2023年10月 / October 2023; a 'by' date as
    截至2023年10月底 / as of the end of October 2023; a 'since' date (今年以来) as 2023年以来 /
    since 2023; an inferred one says so, in full or (`short`, for lists) briefly. A note on
    the date (正月十三, 赴上海走访后不久) shares the one bracket with the basis: never two
    brackets in a row."""
    if not value:
        return ""
    parts = [int(p) for p in value.split("-")]
    if family(lang) == "zh":
        text = f"{parts[0]}年"
        if len(parts) > 1:
            text += f"{parts[1]}月"
        if len(parts) > 2:
            text += f"{parts[2]}日"
        if as_of:
            text = f"截至{text}" + ("底" if len(parts) < 3 else "")
        if since:
            text += "以来"
    else:
        if len(parts) == 1:
            text = str(parts[0])
        elif len(parts) == 2:
            text = f"{MONTHS_EN[parts[1] - 1]} {parts[0]}"
        else:
            text = f"{parts[2]} {MONTHS_EN[parts[1] - 1]} {parts[0]}"
        if as_of:
            text = f"as of the end of {text}" if len(parts) < 3 else f"as of {text}"
        if since:
            text = f"since {text}"
    asides = [a for a in (note, _basis_text(basis, lang, short=short)) if a]
    if not asides:
        return localize(text, lang)
    if family(lang) == "zh":
        return localize(f"{text}（{'；'.join(asides)}）", lang)
    return localize(f"{text} ({'; '.join(asides)})", lang)


def _basis_text(basis: str, lang: str, *, short: bool = False) -> str:
    if basis == "stated":
        return ""
    return ui_strings()[f"basis_{basis}{'_short' if short else ''}"][lang]


def basis_note(basis: str, lang: str, *, short: bool = False) -> str:
    """What a date's basis adds after it: （年份据发布日期推定） / (year inferred from the
    publication date); nothing for a stated date."""
    if basis == "stated":
        return ""
    text = ui_strings()[f"basis_{basis}{'_short' if short else ''}"][lang]
    return f"（{text}）" if family(lang) == "zh" else f" ({text})"


def money(value: Money, lang: str) -> str:
    """An amount as readers of each language say it: 约15亿元 / about CNY 1.5 billion."""
    return localize(_money(value, family(lang)), lang)


def _money(value: Money, lang: str) -> str:
    amount = value.amount
    if lang == "zh":
        for scale, unit in ((1e8, "亿元"), (1e4, "万元")):  # noqa: B007 (the unit the loop stops at is used)
            if amount >= scale:
                n = _number(amount / scale, "zh")
                break
        else:
            n, unit = _number(amount, "zh"), "元"
        if value.qualifier == "more_than":
            text = f"{n}余{unit}"
        elif value.qualifier == "about":
            text = f"约{n}{unit}"
        else:
            text = f"{n}{unit}"
        return f"每年{text}" if value.per == "year" else text
    for scale, word in ((1e9, " billion"), (1e6, " million")):
        if amount >= scale:
            n = _number(amount / scale, "en") + word
            break
    else:
        n = _number(amount, "en")
    prefix = {"about": "about ", "more_than": "more than ", "exact": ""}[value.qualifier]
    text = f"{prefix}{value.currency} {n}"
    return f"{text} a year" if value.per == "year" else text


def quantity(value: Quantity, lang: str) -> str:
    return localize(_quantity(value, family(lang)), lang)


def _quantity(value: Quantity, lang: str) -> str:
    zh, en = UNITS[value.unit]
    n = _number(value.value, lang)
    if lang == "zh":
        text = zh.format(n=n)
        return {"about": f"约{text}", "more_than": f"{text}以上"}.get(value.qualifier, text)
    singular, plural = en.split("|")
    text = (singular if value.value == 1 else plural).format(n=n)
    return {"about": f"about {text}", "more_than": f"more than {text}"}.get(value.qualifier, text)


def sort_key(value: str | None) -> str:
    """Dated records in date order, a partial date after the exact dates of its period
    (2023-10 after 2023-10-31, 2023 after 2023-12); undated ones after them."""
    if not value:
        return "9999"
    return value + "-99" * (2 - value.count("-"))


def _position(data: Any, record_id: str) -> str:
    position = getattr(data, "position", None)
    return position("activities", record_id) if position is not None else ""


def activity_order(data: Any) -> dict[str, tuple[str, ...]]:
    """Each activity's place in date order: a partial date after the exact dates of its
    period, and an activity that follows another (`after`, the source's 不久后) right after it."""
    index = data.index("activities")
    keys: dict[str, tuple[str, ...]] = {}

    for a in data.activities:
        # Walk up the chain to an activity whose key is known (or that follows none), then
        # down again: a loop, not recursion, so a long chain cannot exhaust the stack.
        chain, current, seen = [], a, set()
        while current.id not in keys and current.id not in seen:
            seen.add(current.id)
            chain.append(current)
            target = index.get(current.after) if current.after else None
            if target is None:
                break
            current = target
        # Validation rejects cycles; in a bad file one is cut where it closes.
        for record in reversed(chain):
            target = index.get(record.after) if record.after else None
            if target is not None and target.id in keys:
                keys[record.id] = keys[target.id] + (record.id,)
            else:
                # Within a period, as the article reports them (then by id, for records the
                # article does not place).
                keys[record.id] = (sort_key(record.date), _position(data, record.id), record.id)
    return keys
