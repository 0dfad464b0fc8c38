"""Key figures, computed from the records so that no number is typed twice."""

from __future__ import annotations

from dataclasses import dataclass

from .model import Initiatives, Money, Quantity


@dataclass(frozen=True)
class Figure:
    key: str
    value: Money | Quantity | int
    page: str
    as_of: str | None = None
    """The date the figure holds at, when the data gives one."""


def compute(data: Initiatives) -> list[Figure]:
    figures: list[Figure] = []
    amounts = [p.amount for p in data.projects if p.amount is not None]
    if amounts:
        qualifiers = {a.qualifier for a in amounts}
        total = Money(
            amount=sum(a.amount for a in amounts),
            currency=amounts[0].currency,
            qualifier="about" if "about" in qualifiers else ("more_than" if "more_than" in qualifiers else "exact"),
        )
        figures.append(Figure("figure_investment", total, "projects/index.md"))
    visits = [a for a in data.activities if a.count is not None and a.count.unit == "times"]
    if visits:
        figures.append(Figure(
            "figure_visits",
            Quantity(value=sum(a.count.value for a in visits), unit="times"),
            f"activities/{visits[0].id}.md" if len(visits) == 1 else "activities/index.md",
            visits[0].date if len(visits) == 1 and visits[0].as_of else None,
        ))
        places = data.index("places")
        visited = {
            p for a in visits for p in a.places
            if places[p].kind in ("province", "municipality")
        }
        figures.append(Figure(
            "figure_provinces", len(visited),
            f"activities/{visits[0].id}.md" if len(visits) == 1 else "activities/index.md",
            visits[0].date if len(visits) == 1 and visits[0].as_of else None,
        ))
    figures.append(Figure("figure_stations", len(data.stations), "stations/index.md"))
    figures.append(Figure("figure_projects", len(data.projects), "projects/index.md"))
    if data.partnerships:
        partners = {p for rec in data.partnerships for p in rec.parties[1:]}
        figures.append(Figure("figure_partnerships", len(partners), "projects/index.md"))
    if data.support_cases:
        companies = {c.company for c in data.support_cases}
        figures.append(Figure("figure_companies_helped", len(companies), "pillars/service.md"))
    if data.honours:
        figures.append(Figure(
            "figure_honours", int(sum(h.recipients.value for h in data.honours)), "pillars/service.md"
        ))
    return figures
