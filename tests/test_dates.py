"""Machine-readable dates are the data's own day in the site's time zone (Asia/Shanghai,
+08:00): the sitemap's lastmod, its gzip header, the build's SOURCE_DATE_EPOCH and the
feeds' dates, read back from a real build. The article is of 2024-01-12."""

from __future__ import annotations

import gzip
import re
import time
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta, timezone

import feedparser
import pytest

from qinqing.i18n import languages
from qinqing.ingest.validation import Checked, check
from qinqing.pages import opendata
from qinqing.pages.site import SiteData

from conftest import DATA

SHANGHAI = timezone(timedelta(hours=8))
DAY = "2024-01-12"
ATOM = {"a": "http://www.w3.org/2005/Atom"}
SITEMAP = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def test_the_site_time_zone_is_shanghai():
    assert opendata.SITE_TZ.utcoffset(None) == timedelta(hours=8)


@pytest.mark.parametrize("date,expected", [
    ("2024-01-12", "2024-01-12T00:00:00+08:00"),
    ("2023-10", "2023-10-01T00:00:00+08:00"),
    ("2023", "2023-01-01T00:00:00+08:00"),
    ("2024-12-31", "2024-12-31T00:00:00+08:00"),
])
def test_rfc3339_is_the_start_of_the_day_in_the_site_time_zone(date, expected):
    written = opendata.rfc3339(date)
    assert written == expected
    parsed = datetime.fromisoformat(written)
    assert parsed.utcoffset() == timedelta(hours=8) and parsed.astimezone(SHANGHAI).date().isoformat() == expected[:10]


def test_the_build_epoch_is_the_data_day_in_utc_and_in_shanghai(monkeypatch):
    site = SiteData.load(DATA)
    assert site.date() == DAY
    epoch = site.epoch()
    assert datetime.fromtimestamp(epoch, UTC).date().isoformat() == DAY
    assert datetime.fromtimestamp(epoch, SHANGHAI).date().isoformat() == DAY
    # As MkDocs reads it (the sitemap's lastmod): whatever the machine's own time zone.
    from mkdocs.utils import get_build_date

    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch))
    try:
        for zone in ("UTC", "Asia/Shanghai", "America/Los_Angeles", "Pacific/Kiritimati"):
            monkeypatch.setenv("TZ", zone)
            time.tzset()
            assert get_build_date() == DAY, zone
    finally:
        monkeypatch.undo()
        time.tzset()


@pytest.mark.parametrize("latest", ["2024-02-29", "2025-03-04", "2099-12-31"])
def test_the_epoch_of_any_day(latest):
    """Whatever the data's latest day, the epoch falls on it in UTC and in the site's time zone."""
    checked = check(DATA)
    sources = [checked.data.sources[0].model_copy(update={"date": latest})]
    data = checked.data.model_copy(update={"sources": sources})
    site = SiteData(path=DATA, checked=Checked(data=data, document=checked.document, warnings=[],
                                                      languages=checked.languages))
    assert site.date() == latest
    epoch = site.epoch()
    assert datetime.fromtimestamp(epoch, UTC).date().isoformat() == latest
    assert datetime.fromtimestamp(epoch, SHANGHAI).date().isoformat() == latest


def test_the_sitemap_is_dated_the_data_day(site):
    root = ET.fromstring((site / "sitemap.xml").read_bytes())
    urls = root.findall("s:url", SITEMAP)
    assert len(urls) > 30
    dates = {u.find("s:lastmod", SITEMAP).text for u in urls}
    assert dates == {DAY}
    # The compressed copy: the same document, its header dated on that day too.
    raw = (site / "sitemap.xml.gz").read_bytes()
    mtime = int.from_bytes(raw[4:8], "little")
    assert datetime.fromtimestamp(mtime, SHANGHAI).date().isoformat() == DAY
    assert datetime.fromtimestamp(mtime, UTC).date().isoformat() == DAY
    assert ET.fromstring(gzip.decompress(raw)).findall("s:url", SITEMAP)


def test_every_feed_is_dated_the_data_day_in_shanghai(site):
    table = languages.load(DATA)
    for row in table:
        raw = (site / row.path / "feed.xml").read_bytes()
        root = ET.fromstring(raw)
        stamps = [root.find("a:updated", ATOM).text]
        for entry in root.findall("a:entry", ATOM):
            stamps += [entry.find("a:updated", ATOM).text, entry.find("a:published", ATOM).text]
        assert len(stamps) > 10
        for stamp in stamps:
            # RFC 3339 with the site's offset, at the start of the day the source gives.
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T00:00:00\+08:00", stamp), stamp
            assert stamp == f"{DAY}T00:00:00+08:00", (row.code, stamp)
        # A feed reader's view: the instant is the start of 2024-01-12 in Shanghai.
        feed = feedparser.parse(raw)
        assert feed.bozo == 0, feed.get("bozo_exception")
        for entry in feed.entries:
            instant = datetime(*entry.published_parsed[:6], tzinfo=UTC)
            assert instant.astimezone(SHANGHAI).isoformat() == f"{DAY}T00:00:00+08:00"
            assert entry.published.startswith(DAY)


def test_dates_do_not_depend_on_the_machine_time_zone(monkeypatch):
    checked = check(DATA)
    data = checked.data
    feeds = []
    try:
        for zone in ("UTC", "America/Los_Angeles", "Asia/Shanghai", "Pacific/Kiritimati"):
            monkeypatch.setenv("TZ", zone)
            time.tzset()
            feeds.append(opendata.atom_bytes(data, checked.languages.edition("en"), "https://example.test/"))
            assert SiteData.load(DATA).epoch() == int(datetime(2024, 1, 12, tzinfo=UTC).timestamp())
    finally:
        monkeypatch.undo()
        time.tzset()
    assert len(set(feeds)) == 1
