"""Where each collection's records live on the site: one declaration per collection.

A record with a page of its own is at `<folder>/<id>.md` (MkDocs gives it the address
`<folder>/<id>/`), drawn by its template; its collection's list is `<folder>/index.md`, split
into `<folder>/years/<year>.md` pages when it grows long (render.LIST_LIMIT) where the route
has a by-year template. The pages (render.page_paths), the templates' links (`link(page(…))`),
the timeline and the figures (which link each record), the search's kind filter
(project.search_filters) and the pull-request summary (diff) all ask this table; a new
collection with pages is one more row here and its templates.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Route:
    collection: str
    """The data's list (Initiatives.<collection>)."""
    kind: str
    """One record's kind: its UI strings (`search_kind_<kind>`, `moment_<kind>`)."""
    template: str
    """The template of a record's page."""
    by_year: str | None = None
    """The template of a year of the list, when a long list is split by year."""
    searchable: bool = False
    """Offered as a kind in the search's filter (the record pages carry `m.facts`)."""

    @property
    def folder(self) -> str:
        return self.collection

    def page(self, record_id: str) -> str:
        return f"{self.folder}/{record_id}.md"

    @property
    def list_page(self) -> str:
        return f"{self.folder}/index.md"

    def year_page(self, year: str) -> str:
        return f"{self.folder}/years/{year}.md"


ROUTES = (
    Route("pillars", "pillar", "pillar.md.j2"),
    Route("activities", "activity", "activity.md.j2", by_year="activities_year.md.j2", searchable=True),
    Route("stations", "station", "station.md.j2", searchable=True),
    Route("projects", "project", "project.md.j2", by_year="projects_year.md.j2", searchable=True),
)
BY_COLLECTION = {route.collection: route for route in ROUTES}


def page(collection: str, record_id: str) -> str:
    """The page (Markdown path) of record `record_id` of `collection`."""
    return BY_COLLECTION[collection].page(record_id)


__all__ = ["BY_COLLECTION", "ROUTES", "Route", "page"]
