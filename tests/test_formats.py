"""The written formats (src/qinqing/i18n/formats.yaml): every format covers what the model can
hold, and a new format is an entry of that file, not code."""

from __future__ import annotations

import typing

import pytest

from qinqing.i18n import formatting
from qinqing.ingest.model import Money, Quantity, Unit

QUALIFIERS = ("exact", "about", "more_than")


@pytest.mark.parametrize("name", sorted(formatting.formats()))
def test_every_format_covers_the_model(name):
    form = formatting.formats()[name]
    assert set(form["quantity"]["units"]) == set(typing.get_args(Unit))
    assert all(q in form["money"] for q in QUALIFIERS) and "per_year" in form["money"]
    assert {"year", "month", "day"} <= set(form["date"]) and {"partial", "day"} <= set(form["as_of"])
    assert len(form["months"]) in (0, 12)


def test_a_third_written_format_is_an_entry_of_the_file(monkeypatch):
    real = formatting.formats()
    de = {**real["en"], "thousands": ".", "decimal": ",",
          "money": {"scales": [[1000000000, " Mrd."], [1000000, " Mio."]], "base": "",
                    "exact": "{n}{scale} {currency}", "about": "etwa {n}{scale} {currency}",
                    "more_than": "über {n}{scale} {currency}", "per_year": "{text} im Jahr"},
          "quantity": {"about": "etwa {text}", "more_than": "über {text}",
                       "units": {**real["en"]["quantity"]["units"], "companies": ["{n} Unternehmen"] * 2}}}
    monkeypatch.setattr(formatting, "formats", lambda: {**real, "de": de})
    assert formatting._number(12345, "de") == "12.345"
    assert formatting._money(Money(amount=1.5e9, currency="CNY", qualifier="about"), "de") == "etwa 1,5 Mrd. CNY"
    assert formatting._quantity(Quantity(value=3, unit="companies", qualifier="more_than"), "de") == "über 3 Unternehmen"
    # The formats that ship still read as before.
    assert formatting._money(Money(amount=1.5e9, currency="CNY", qualifier="about"), "zh") == "约15亿元"
    assert formatting._money(Money(amount=1.5e9, currency="CNY", qualifier="about"), "en") == "about CNY 1.5 billion"
