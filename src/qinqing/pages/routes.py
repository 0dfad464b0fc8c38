"""Where each collection's records live on the site, from the one table of collections
(ingest/collections.py): the collections with a page per record.

A record with a page of its own is at `<folder>/<id>.md` (MkDocs gives it the address
`<folder>/<id>/`), drawn by its template; its collection's list is `<folder>/index.md`, split
into `<folder>/years/<year>.md` pages when it grows long (render.LIST_LIMIT) where the
collection has a by-year template. The pages (render.page_paths), the templates' links
(`link(page_of(…))`), the timeline and the figures (which link each record), the search's kind
filter (project.search_filters) and the pull-request summary (diff) all ask this table.
"""

from __future__ import annotations

from qinqing.ingest.collections import COLLECTIONS, Collection

Route = Collection
ROUTES = tuple(c for c in COLLECTIONS if c.template is not None)
BY_COLLECTION = {route.name: route for route in ROUTES}


def page(collection: str, record_id: str) -> str:
    """The page (Markdown path) of record `record_id` of `collection`."""
    return BY_COLLECTION[collection].page(record_id)


__all__ = ["BY_COLLECTION", "ROUTES", "Route", "page"]
