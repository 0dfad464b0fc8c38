"""The data's collections, one declaration each: what the site makes of each list of records.

Every module that walks the collections asks this table, in its order: validation (whose ids
share one namespace), the pages and their templates (pages/routes: a record's page, its list,
the list's years), the search's kind filter, the figures page's counts, the feed, the open
data's CSV files and data dictionary, and the pillar a collection without one of its own is
shown under. A new collection is one row here (and its model in `model.Initiatives`, its
templates and its UI strings). No imports: every stage may read it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Collection:
    name: str
    """The data's list (Initiatives.<name>); also the folder of its pages."""
    kind: str
    """One record's kind: its UI strings (`search_kind_<kind>`, `moment_<kind>`)."""
    template: str | None = None
    """The template of a record's page (None: its records have no page of their own)."""
    by_year: str | None = None
    """The template of a year of its list, when a long list is split by year."""
    searchable: bool = False
    """Offered as a kind in the search's filter (its record pages carry `m.facts`)."""
    csv: bool = True
    """Published as data/<name>.csv (and described in the data dictionary)."""
    counted: bool = False
    """Counted on the figures page, linked to where its records are listed (`listed`)."""
    listed_on: str | None = None
    """The page that lists its records, where it is neither its own list nor its pillar's page."""
    anchor: str | None = None
    """Where on that page (a heading's id)."""
    feed: bool = False
    """Its records are entries of the Atom feed."""
    pillar: str | None = None
    """The pillar its records are shown under where a record names none (or has no `pillar`)."""
    shared_ids: bool = True
    """Its ids name pages and anchors: unique across every collection with this flag."""

    @property
    def folder(self) -> str:
        return self.name

    def page(self, record_id: str) -> str:
        """The page (Markdown path) of one record."""
        return f"{self.folder}/{record_id}.md"

    @property
    def list_page(self) -> str:
        return f"{self.folder}/index.md"

    @property
    def listed(self) -> str:
        """The page that lists its records: its own list page, or its pillar's, or `listed_on`."""
        if self.listed_on is not None:
            return self.listed_on
        if self.template is None and self.pillar is not None:
            return BY_NAME["pillars"].page(self.pillar)
        return self.list_page

    def year_page(self, year: str) -> str:
        return f"{self.folder}/years/{year}.md"


# The only pillar ids the code names: where collections are shown (validation checks that the
# data has each pillar a collection needs).
SERVICE, INVESTMENT = "service", "investment"

# In the order the site lists them (the data dictionary, the figures page's counts).
COLLECTIONS = (
    Collection("pillars", "pillar", "pillar.md.j2", csv=False),
    Collection("activities", "activity", "activity.md.j2", by_year="activities_year.md.j2", searchable=True,
               counted=True, feed=True),
    Collection("stations", "station", "station.md.j2", searchable=True, counted=True, pillar=SERVICE),
    Collection("projects", "project", "project.md.j2", by_year="projects_year.md.j2", searchable=True,
               counted=True, feed=True, pillar=INVESTMENT),
    Collection("partnerships", "partnership", counted=True, listed_on="projects/index.md", anchor="partnerships",
               pillar=INVESTMENT),
    Collection("support_cases", "support_case", counted=True, anchor="support-cases", pillar=SERVICE),
    Collection("honours", "honour", counted=True, anchor="honours", pillar=SERVICE),
    Collection("quotes", "quote", counted=True, listed_on="voices.md"),
    Collection("places", "place"),
    Collection("organisations", "organisation"),
    Collection("people", "person"),
)
BY_NAME = {c.name: c for c in COLLECTIONS}


def pillar_of(name: str) -> str | None:
    """The pillar a collection's records are shown under (None: each record says)."""
    return BY_NAME[name].pillar if name in BY_NAME else None


__all__ = ["BY_NAME", "COLLECTIONS", "Collection", "pillar_of"]
