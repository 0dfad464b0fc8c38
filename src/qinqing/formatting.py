"""How dates, amounts and quantities read in each language (15 亿元 / CNY 1.5 billion)."""

from __future__ import annotations

from .model import Money, Quantity

LANGS = ("zh", "en")

MONTHS_EN = (
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
)

# zh: a number pattern; en: singular | plural.
UNITS = {
    "m2": ("{n} 平方米", "{n} m²|{n} m²"),
    "kWh": ("{n} 千瓦时", "{n} kWh|{n} kWh"),
    "times": ("{n} 次", "{n} time|{n} times"),
    "families": ("{n} 个家庭", "{n} family|{n} families"),
    "people": ("{n} 名", "{n} person|{n} people"),
    "companies": ("{n} 家企业", "{n} company|{n} companies"),
}


def number(value: float, lang: str) -> str:
    """A plain number: no trailing .0, thousands separators in English only."""
    if float(value).is_integer():
        return f"{int(value):,}" if lang == "en" else str(int(value))
    text = f"{value:,.2f}" if lang == "en" else f"{value:.2f}"
    return text.rstrip("0").rstrip(".")


def date(value: str | None, lang: str, *, as_of: bool = False) -> str:
    """A partial date at its own precision: 2023 年 10 月 / October 2023."""
    if not value:
        return ""
    parts = [int(p) for p in value.split("-")]
    if lang == "zh":
        text = f"{parts[0]} 年"
        if len(parts) > 1:
            text += f" {parts[1]} 月"
        if len(parts) > 2:
            text += f" {parts[2]} 日"
        return f"截至 {text}" if as_of else text
    if len(parts) == 1:
        text = str(parts[0])
    elif len(parts) == 2:
        text = f"{MONTHS_EN[parts[1] - 1]} {parts[0]}"
    else:
        text = f"{parts[2]} {MONTHS_EN[parts[1] - 1]} {parts[0]}"
    return f"by {text}" if as_of else text


def money(value: Money, lang: str) -> str:
    """An amount as readers of each language say it: 约 15 亿元 / about CNY 1.5 billion."""
    amount = value.amount
    if lang == "zh":
        for scale, unit in ((1e8, "亿元"), (1e4, "万元")):
            if amount >= scale:
                n = number(amount / scale, "zh")
                break
        else:
            n, unit = number(amount, "zh"), "元"
        if value.qualifier == "more_than":
            text = f"{n} 余{unit}"
        elif value.qualifier == "about":
            text = f"约 {n} {unit}"
        else:
            text = f"{n} {unit}"
        return f"每年{text}" if value.per == "year" else text
    for scale, word in ((1e9, " billion"), (1e6, " million")):
        if amount >= scale:
            n = number(amount / scale, "en") + word
            break
    else:
        n = number(amount, "en")
    prefix = {"about": "about ", "more_than": "more than ", "exact": ""}[value.qualifier]
    text = f"{prefix}{value.currency} {n}"
    return f"{text} a year" if value.per == "year" else text


def quantity(value: Quantity, lang: str) -> str:
    zh, en = UNITS[value.unit]
    n = number(value.value, lang)
    if lang == "zh":
        text = zh.format(n=n)
        return {"about": f"约 {text}", "more_than": f"{text}以上"}.get(value.qualifier, text)
    singular, plural = en.split("|")
    text = (singular if value.value == 1 else plural).format(n=n)
    return {"about": f"about {text}", "more_than": f"more than {text}"}.get(value.qualifier, text)


def sort_key(value: str | None) -> str:
    """Dated records in date order; undated ones after them."""
    return value or "9999"
