"""Key figures, computed from the records so that no number is typed twice.

Each figure names the pillar it belongs to and the page (and anchor) of the records behind it.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Initiatives, Money, Quantity


@dataclass(frozen=True)
class Figure:
    key: str
    value: Money | Quantity | int
    pillar: str
    page: str
    anchor: str | None = None
    as_of: str | None = None
    """The date the figure holds at, when the data gives one."""


def _total(amounts: list[Money]) -> Money:
    qualifiers = {a.qualifier for a in amounts}
    qualifier = "about" if "about" in qualifiers else ("more_than" if "more_than" in qualifiers else "exact")
    return Money(amount=sum(a.amount for a in amounts), currency=amounts[0].currency, qualifier=qualifier)


def compute(data: Initiatives) -> list[Figure]:
    figures: list[Figure] = []
    amounts = [p.amount for p in data.projects if p.amount is not None]
    if amounts:
        figures.append(Figure("figure_investment", _total(amounts), "investment", "projects/index.md"))
    visits = [a for a in data.activities if a.count is not None and a.count.unit == "times"]
    if visits:
        page = f"activities/{visits[0].id}.md" if len(visits) == 1 else "activities/index.md"
        as_of = visits[0].date if len(visits) == 1 and visits[0].as_of else None
        figures.append(Figure("figure_visits", Quantity(value=sum(a.count.value for a in visits), unit="times"),
                              "investment", page, as_of=as_of))
        places = data.index("places")
        visited = {p for a in visits for p in a.places if places[p].kind in ("province", "municipality")}
        figures.append(Figure("figure_provinces", len(visited), "investment", page, as_of=as_of))
    figures.append(Figure("figure_projects", len(data.projects), "investment", "projects/index.md"))
    if data.partnerships:
        partners = {p for rec in data.partnerships for p in rec.parties[1:]}
        figures.append(Figure("figure_partnerships", len(partners), "investment", "projects/index.md",
                              anchor="partnerships"))
    figures.append(Figure("figure_stations", len(data.stations), "service", "stations/index.md"))
    if data.support_cases:
        companies = {c.company for c in data.support_cases}
        figures.append(Figure("figure_companies_helped", len(companies), "service", "pillars/service.md",
                              anchor="support-cases"))
    if data.honours:
        figures.append(Figure("figure_honours", int(sum(h.recipients.value for h in data.honours)), "service",
                              "pillars/service.md", anchor="honours"))
    culture = [a for a in data.activities if a.pillar == "culture"]
    if culture:
        figures.append(Figure("figure_culture_activities", len(culture), "culture", "pillars/culture.md",
                              anchor="related-activities"))
        festivals = {f.zh for a in culture for f in a.festivals}
        if festivals:
            figures.append(Figure("figure_festivals", len(festivals), "culture",
                                  f"activities/{next(a.id for a in culture if a.festivals)}.md"))
    return figures
