"""The figures the site shows, in two kinds that are never mixed.

- **Stated**: a number a source gives (12 visits, about CNY 1.5 billion), taken from the one
  record that holds it, shown with the source's qualifier (约, 余, 截至) and its wording.
  Nothing is summed or counted across records: a total the source does not give is not a
  fact, and a list ending in 等 is never complete.
- **Counts of this site's records** ("5 service stations and platforms on this site"),
  labelled as such wherever they appear.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from qinqing.ingest.collections import BY_NAME, COLLECTIONS
from qinqing.ingest.model import Citation, Initiatives, Localized, Money, Quantity
from qinqing.pages.routes import page


def shown_on(collection: str) -> str:
    """The page that lists a collection's records (ingest/collections.py)."""
    return BY_NAME[collection].listed


@dataclass(frozen=True)
class Stated:
    """A number as a source states it."""

    value: Money | Quantity
    label: Localized | str
    """The data's label, or the key of a UI string."""
    context: Localized | None
    """What the number is about when the label alone does not say (a company, a project)."""
    page: str
    anchor: str | None
    date: str | None
    as_of: bool
    basis: str
    source: Citation
    headline: bool
    """Shown on the home page (honours have their own table on the services page)."""
    since: bool = False
    """A 'since' date (今年以来)."""
    note_anchor: str | None = None
    """Where the record's translator's note is, when it has one (the kWh of a capacity)."""


@dataclass(frozen=True)
class Count:
    """How many records of a collection this site holds."""

    collection: str
    n: int
    page: str
    anchor: str | None = None


def stated(data: Initiatives) -> list[Stated]:
    """Every number a source states, from the record that holds it, in the data's order."""
    out: list[Stated] = []
    for a in data.activities:
        if a.count is not None:
            out.append(Stated(a.count, a.title, None, page("activities", a.id), None,
                              a.date, a.as_of, a.date_basis, a.source, True))
    for p in data.projects:
        if p.amount is not None:
            out.append(Stated(p.amount, "total_investment", p.name, page("projects", p.id), None,
                              p.date, p.as_of, p.date_basis, p.source, True))
    companies = data.index("organisations")
    for c in data.support_cases:
        for f in c.figures:
            out.append(Stated(cast("Money | Quantity", f.money or f.quantity), f.label, companies[c.company].name,
                              shown_on("support_cases"), c.id, None, False, "stated", c.source, True,
                              note_anchor=c.id if c.note and f.noted else None))
    for h in data.honours:
        out.append(Stated(h.recipients, h.title, h.recipient_kind, shown_on("honours"), "honours",
                          h.year, False, h.date_basis, h.source, False, since=h.since))
    return out


def counts(data: Initiatives) -> list[Count]:
    """The collections counted on the figures page (ingest/collections.py), each linked to the
    page that lists it."""
    return [Count(c.name, len(getattr(data, c.name)), c.listed, c.anchor)
            for c in COLLECTIONS if c.counted and getattr(data, c.name)]


def compute(data: Initiatives) -> dict[str, Any]:
    return {"stated": stated(data), "counts": counts(data)}
