"""How dates, amounts and quantities read in each language (15 亿元 / CNY 1.5 billion).

A language reads numbers and dates as its table row's `format` says: one of the written
formats of formats.yaml (zh, en), whose patterns this module fills in; a converted language
(繁體中文) gets its source's form converted (約15億元)."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

from qinqing.i18n.languages import Edition
from qinqing.ingest.model import Money, Quantity


@cache
def formats() -> dict[str, dict[str, Any]]:
    """The written formats (formats.yaml), `{format: {…}}`."""
    text = resources.files(__package__).joinpath("formats.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def number(value: float, ed: Edition) -> str:
    """A plain number: no trailing .0, thousands grouped as the format groups them."""
    return _number(value, ed.format)


def _number(value: float, fam: str) -> str:
    form = formats()[fam]
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", form["thousands"])
    whole, _, fraction = f"{value:,.2f}".partition(".")
    fraction = fraction.rstrip("0")
    whole = whole.replace(",", form["thousands"])
    return f"{whole}{form['decimal']}{fraction}" if fraction else whole


def date(value: str | None, ed: Edition, *, as_of: bool = False, basis: str = "stated",
         short: bool = False, since: bool = False, note: str | None = None) -> str:
    """A partial date at its own precision: 2023年10月 / October 2023; a 'by' date as
    截至2023年10月底 / as of the end of October 2023; a 'since' date (今年以来) as 2023年以来 /
    since 2023; an inferred one says so, in full or (`short`, for lists) briefly. A note on
    the date (正月十三, 赴上海走访后不久) shares the one bracket with the basis: never two
    brackets in a row. The patterns are the language's format's (formats.yaml)."""
    if not value:
        return ""
    form = formats()[ed.format]
    parts = [int(p) for p in value.split("-")]
    fields = {"y": parts[0], "m": parts[1] if len(parts) > 1 else "", "d": parts[2] if len(parts) > 2 else "",
              "month": form["months"][parts[1] - 1] if len(parts) > 1 and form["months"] else ""}
    text = form["date"][("year", "month", "day")[len(parts) - 1]].format(**fields)
    if as_of:
        text = form["as_of"]["day" if len(parts) == 3 else "partial"].format(date=text)
    if since:
        text = form["since"].format(date=text)
    asides = [a for a in (note, _basis_text(basis, ed, short=short)) if a]
    if asides:
        text = form["aside"].format(text=text, asides=form["aside_join"].join(asides))
    return ed.localize(text)


def _basis_text(basis: str, ed: Edition, *, short: bool = False) -> str:
    if basis == "stated":
        return ""
    return ed.ui(f"basis_{basis}{'_short' if short else ''}")


def basis_note(basis: str, ed: Edition, *, short: bool = False) -> str:
    """What a date's basis adds after it: （年份据发布日期推定） / (year inferred from the
    publication date); nothing for a stated date."""
    if basis == "stated":
        return ""
    text = ed.ui(f"basis_{basis}{'_short' if short else ''}")
    return formats()[ed.format]["basis"].format(text=text)


def money(value: Money, ed: Edition) -> str:
    """An amount as readers of each language say it: 约15亿元 / about CNY 1.5 billion."""
    return ed.localize(_money(value, ed.format))


def money_in(value: Money, fam: str) -> str:
    """An amount in the written format `fam` (formats.yaml), unconverted."""
    return _money(value, fam)


def quantity_in(value: Quantity, fam: str) -> str:
    """A quantity in the written format `fam` (formats.yaml), unconverted."""
    return _quantity(value, fam)


def _money(value: Money, fam: str) -> str:
    form = formats()[fam]["money"]
    amount = value.amount
    scale, n = form["base"], _number(amount, fam)
    for size, word in form["scales"]:
        if amount >= size:
            scale, n = word, _number(amount / size, fam)
            break
    text = form[value.qualifier].format(n=n, scale=scale, currency=value.currency)
    return form["per_year"].format(text=text) if value.per == "year" else text


def quantity(value: Quantity, ed: Edition) -> str:
    return ed.localize(_quantity(value, ed.format))


def _quantity(value: Quantity, fam: str) -> str:
    form = formats()[fam]["quantity"]
    unit = form["units"][value.unit]
    singular, plural = (unit, unit) if isinstance(unit, str) else unit
    text = (singular if value.value == 1 else plural).format(n=_number(value.value, fam))
    return form[value.qualifier].format(text=text) if value.qualifier in ("about", "more_than") else text


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
