"""Checked data and what is made from it for every language: pages, downloads, the feed,
and the build's timestamp taken from the data.

`SiteData.load(path)` parses and validates the data file; it never raises on bad data:
`error` holds the located issues instead, so the caller decides how to stop.
"""

from __future__ import annotations

import gc
import os
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from qinqing.errors import DataError
from qinqing.i18n import languages
from qinqing.ingest.model import walk
from qinqing.ingest.validation import Checked, check, unknown_icons
from qinqing.pages import opendata
from qinqing.pages.render import Site, render_pages


@dataclass
class SiteData:
    path: Path
    checked: Checked | None = None
    error: DataError | None = None
    _downloads: dict[str, bytes] | None = None
    _site: Site | None = None  # the data's shared lookups, made once for every language

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> SiteData:
        path = Path(path)
        try:
            with _collector_paused():
                return cls(path=path, checked=check(path))
        except DataError as exc:
            return cls(path=path, error=exc)

    @property
    def languages(self) -> languages.Languages:
        """The languages table the data was checked with."""
        if self.checked is None:
            raise RuntimeError("no valid data")
        return self.checked.languages

    def site(self) -> Site:
        """The data's shared lookups for rendering, made once for every language."""
        if self.checked is None:
            raise RuntimeError("no valid data")
        if self._site is None:
            with _collector_paused():
                self._site = Site(self.checked.data, self.checked.languages)
        return self._site

    def pages(self, lang: str) -> dict[str, str]:
        """Every page of `lang`, `{path: Markdown}`, rendered afresh (the caller writes them
        out and lets them go: no language's pages are kept)."""
        if self.checked is None:
            raise RuntimeError("no valid data")
        site = self.site()
        with _collector_paused():
            return render_pages(site, lang)

    def downloads(self) -> dict[str, bytes]:
        """The data downloads, the same bytes in every language."""
        if self._downloads is None:
            if self.checked is None:
                raise RuntimeError("no valid data")
            self._downloads = dict(opendata.downloads(self.checked.data, self.checked.languages))
        return self._downloads

    def date(self) -> str:
        """The data's own date, YYYY-MM-DD: its latest date (a partial one as its first day),
        a day in the site's time zone (opendata.SITE_TZ)."""
        if self.checked is None:
            return "1970-01-01"
        latest = max((v for p, v in walk(self.checked.data) if p[-1] in ("date", "year") and isinstance(v, str)),
                     default="1970")
        y, m, d = opendata.day(latest)
        return f"{y:04d}-{m:02d}-{d:02d}"

    def epoch(self) -> int:
        """A build timestamp taken from the data (`date`), never from the clock, so two builds
        of the same commit are byte-identical (the build's SOURCE_DATE_EPOCH).

        It must be the data's day wherever it is read: MkDocs formats it in UTC (the sitemap's
        lastmod, the gzip headers), a reader in the site's time zone. So it is the later of the
        day's start there and in UTC, an instant on that day in both: for 2024-01-12 in
        Asia/Shanghai, 2024-01-12T08:00:00+08:00 = 2024-01-12T00:00:00Z. (The day's start
        there, 00:00+08:00, is still 2024-01-11 in UTC: MkDocs would date the sitemap a day early.)"""
        if self.checked is None:
            return 0
        y, m, d = opendata.day(self.date())
        start = max(datetime(y, m, d, tzinfo=opendata.SITE_TZ), datetime(y, m, d, tzinfo=UTC))
        return int(start.timestamp())

    def files(self, lang: str, root: str) -> dict[str, bytes]:
        """Non-page outputs of one language: data downloads and the Atom feed (at `root`)."""
        if self.checked is None:
            raise RuntimeError("no valid data")
        data = self.checked.data
        out = dict(self.downloads())
        table = self.checked.languages
        out["feed.xml"] = opendata.atom_bytes(data, table.edition(lang), root)
        if lang == table.default.code:
            # Crawlers read robots.txt at the site root only, which is the default language's.
            out["robots.txt"] = f"User-agent: *\nAllow: /\n\nSitemap: {root}sitemap.xml\n".encode()
        return out

    def check_icons(self, exists) -> None:
        """Turn icons the theme lacks into data errors (the model alone cannot know the theme)."""
        if self.checked is None:
            return
        issues = unknown_icons(self.checked, exists)
        if issues:
            self.error = DataError(self.path, issues)
            self.checked = None


@contextmanager
def _collector_paused():
    """Parsing and rendering allocate many objects and free them by reference counting; the
    cycle collector's passes over the whole heap meanwhile find nothing (about 7% of render time)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()

