"""The generator's one entry point for any engine: checked data and its pages, cached.

`SiteData.cached(path)` parses and validates the data file once per change (keyed by
modification time and size), so repeated builds in `mkdocs serve` cost nothing until the
file is edited. It never raises on bad data: `error` holds the located issues instead, so
an adapter decides how to stop.
"""

from __future__ import annotations

import gc
import os
import pickle
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from .errors import DataError, display_path
from .filestamp import file_stamp
from . import languages, opendata
from .loader import Document
from .model import walk
from .render import release_caches as release_render_caches
from .render import render_pages, ui_strings
from .validation import Checked, check, unknown_icons


@dataclass
class SiteData:
    path: Path
    checked: Checked | None = None
    error: DataError | None = None
    _pages: dict[str, dict[str, str]] = field(default_factory=dict)
    _downloads: dict[str, bytes] | None = None

    @classmethod
    def cached(cls, path: str | os.PathLike[str]) -> SiteData:
        path = Path(path).resolve()
        key = (str(path), file_stamp(path))
        hit = _CACHE.get(str(path))
        if hit is not None and hit[0] == key:
            return hit[1]
        site = _preloaded(key) or cls.load(path)
        _CACHE[str(path)] = (key, site)
        return site

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> SiteData:
        path = Path(path)
        try:
            languages.use(path)
            with _collector_paused():
                return cls(path=path, checked=check(path))
        except DataError as exc:
            return cls(path=path, error=exc)

    def dumps(self) -> bytes:
        """The checked data for another process of the same build (see PRELOADED_ENV)."""
        key = (str(self.path.resolve()), file_stamp(self.path))
        # The downloads too (the same bytes in every language): made once, here, rather than
        # in each process, where they would need the converter and a peak of their own.
        return pickle.dumps((key, self._portable(), self.downloads()), protocol=pickle.HIGHEST_PROTOCOL)

    def _portable(self) -> Checked:
        # The raw data and its locations stay behind: a valid file needs neither.
        return Checked(data=self.checked.data, document=Document(path=self.path, data=None),
                       warnings=self.checked.warnings)

    def release(self) -> None:
        """Forget the model and everything rendered from it, once the engine holds a build's
        pages (each process builds one language); the next use reloads. The freed memory goes
        back to the system, so that what the engine allocates next does not stack on top."""
        self._pages.clear()
        self._downloads = None
        self.checked = None
        release_render_caches()
        # OpenCC's tables (about 40 MB) too: a later use sets them up again.
        languages.release_converters()
        _CACHE.pop(str(Path(self.path).resolve()), None)
        gc.collect()  # the converter's cache and the model hold cycles
        return_free_memory()

    def pages(self, lang: str) -> dict[str, str]:
        if self.checked is None:
            raise RuntimeError("no valid data")
        if lang not in self._pages:
            with _collector_paused():
                self._pages[lang] = render_pages(self.checked.data, lang)
        return self._pages[lang]

    def downloads(self) -> dict[str, bytes]:
        """The data downloads, the same bytes in every language."""
        if self._downloads is None:
            self._downloads = dict(opendata.downloads(self.checked.data))
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
        start = max(datetime(y, m, d, tzinfo=opendata.SITE_TZ), datetime(y, m, d, tzinfo=timezone.utc))
        return int(start.timestamp())

    def files(self, lang: str, root: str) -> dict[str, bytes]:
        """Non-page outputs of one language: data downloads and the Atom feed (at `root`)."""
        if self.checked is None:
            raise RuntimeError("no valid data")
        data = self.checked.data
        out = dict(self.downloads())
        out["feed.xml"] = opendata.atom_bytes(data, lang, root, ui_strings())
        if lang == languages.active().default.code:
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

    def error_report(self) -> str:
        return self.error.report() if self.error else ""

    def error_annotations(self) -> str:
        if not self.error:
            return ""
        file = display_path(self.error.path)
        return "\n".join(issue.github_annotation(file) for issue in self.error.issues)

    def warnings_report(self) -> list[str]:
        if not self.checked:
            return []
        file = display_path(self.path)
        return [w.line_text(file) for w in self.checked.warnings]


_CACHE: dict[str, tuple[tuple, SiteData]] = {}


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

def return_free_memory() -> None:
    """Give freed heap back to the system (glibc keeps it otherwise)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to do
        pass


# Set to "stdin" in the processes that build the other languages: each reads the data checked
# by the first process from its standard input (a pipe, or a file), as a pickle
# (SiteData.dumps), instead of parsing and validating the YAML again.
PRELOADED_ENV = "QINQING_PRELOADED"


def _preloaded(key: tuple) -> SiteData | None:
    if os.environ.get(PRELOADED_ENV) != "stdin":
        return None
    try:
        stored_key, checked, downloads = pickle.load(sys.stdin.buffer)
    except (EOFError, pickle.UnpicklingError, ValueError, OSError):
        return None  # nothing sent (the first process stopped): check the file here instead
    if stored_key != key:  # the file changed in between
        return None
    return SiteData(path=Path(key[0]), checked=checked, _downloads=downloads)


def language_roots(site_url: str) -> dict[str, str]:
    """Absolute root URL of each language of the table: the default at the site root."""
    return languages.active().roots(site_url)
