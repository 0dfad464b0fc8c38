"""Who speaks and when, read back from real builds: the footer of every page, its linked data
(JSON-LD) and the share card, with the data's `site` section empty (as shipped: nothing is
known, nothing is invented) and filled in with hostile text."""

from __future__ import annotations

import html as html_lib
import json
import re
import struct

import pytest

from conftest import build_site, copy_project

EDITIONS = ("", "en/", "zh-hant/")


def pages(site) -> list:
    return sorted(p for p in site.rglob("index.html") if "pagefind" not in p.parts and "assets" not in p.parts)


def linked_data(page_html: str) -> dict:
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page_html, re.S)
    assert len(found) == 1
    return json.loads(found[0])


def test_every_page_says_where_its_facts_come_from_and_when(site):
    """The shipped data names no publisher of this site: the footer says only what is known,
    the source with its publisher and date, and the date of the data's latest entry."""
    expected = {
        "": ("内容来源：《济南市台港澳办以“亲情工作法”促进济台融合发展》，中共中央台办、国务院台办，2024年1月12日",
             "资料更新至2024年1月12日"),
        "en/": ("Source: “The Jinan Municipal Taiwan, Hong Kong and Macao Affairs Office advances the integrated "
                "development of Jinan and Taiwan with its Family Ties Approach” (in Chinese), Taiwan Work Office of the CPC Central "
                "Committee / Taiwan Affairs Office of the State Council, 12 January 2024",
                "Information as at 12 January 2024"),
        "zh-hant/": ("內容來源：《濟南市台港澳辦以「親情工作法」促進濟台融合發展》，中共中央台辦、國務院台辦，2024年1月12日",
                     "資料更新至2024年1月12日"),
    }
    checked = 0
    for page in pages(site):
        rel = page.relative_to(site).as_posix()
        edition = next(e for e in ("en/", "zh-hant/", "") if rel.startswith(e))
        footer = page.read_text(encoding="utf-8").split('class="md-copyright qq-footer"', 1)[1].split("</footer>")[0]
        text = " ".join(html_lib.unescape(re.sub(r"<[^>]+>", "", footer)).split())
        source, updated = expected[edition]
        assert source in text and updated in text, rel
        assert "主办单位" not in text and "Published by" not in text, rel  # nothing invented
        checked += 1
    assert checked >= 80


def test_linked_data_describes_the_page_and_its_source(site):
    for edition in EDITIONS:
        page = (site / edition / "activities" / "shanghai-new-year-visit" / "index.html").read_text(encoding="utf-8")
        data = linked_data(page)
        canonical = re.search(r'<link rel="canonical" href="([^"]+)"', page).group(1)
        assert data["@type"] == "WebPage" and data["url"] == canonical
        assert data["inLanguage"] == re.search(r'<html lang="([^"]+)"', page).group(1)
        assert "publisher" not in data  # nobody is named who is not known
        source = data["isBasedOn"][0]
        # The article as it is published, whatever the edition.
        assert source["headline"] == "济南市台港澳办以“亲情工作法”促进济台融合发展"
        assert source["datePublished"] == "2024-01-12" and source["inLanguage"] == "zh-Hans"
    english = linked_data((site / "en" / "index.html").read_text(encoding="utf-8"))
    assert english["isBasedOn"][0]["alternativeHeadline"].startswith("The Jinan Municipal")
    assert english["name"] == "The Family Ties Approach"


def test_each_edition_has_its_share_card(site):
    for edition in EDITIONS:
        page = (site / edition / "index.html").read_text(encoding="utf-8")
        image = re.search(r'<meta property="og:image" content="([^"]+)"', page).group(1)
        assert image.endswith(f"/{edition}assets/images/card.png")
        card = (site / edition / "assets" / "images" / "card.png").read_bytes()
        assert card[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", card[16:24]) == (1200, 630)


HOSTILE_SITE = """site:
  publisher: {zh: "济南市</script><script>window.__pwned=1</script>", en: "Jinan <b>Office</b>"}
  contact: {zh: "电话 0531-1234", en: "Phone 0531-1234 & \\"quotes\\""}
  website: https://example.org/office
  icp: 鲁ICP备00000000号
"""


@pytest.mark.build
def test_a_filled_in_site_section_is_shown_escaped_everywhere(tmp_path):
    project = copy_project(tmp_path / "project")
    data = project / "data" / "initiatives.yaml"
    data.write_text(data.read_text(encoding="utf-8").replace("site: {}\n", HOSTILE_SITE), encoding="utf-8")
    out = tmp_path / "out"
    result = build_site(project, out)
    assert result.returncode == 0, result.stdout + result.stderr
    zh = (out / "index.html").read_text(encoding="utf-8")
    en = (out / "en" / "about" / "index.html").read_text(encoding="utf-8")
    assert "window.__pwned=1</script>" not in zh and "<b>Office</b>" not in en
    footer = zh.split('class="md-copyright qq-footer"', 1)[1].split("</footer>")[0]
    assert "主办单位：济南市&lt;/script&gt;&lt;script&gt;" in footer and "鲁ICP备00000000号" in footer
    assert '<a href="https://example.org/office" rel="noopener">官方网站</a>' in footer
    assert "Published by Jinan &lt;b&gt;Office&lt;/b&gt;" in en and "Phone 0531-1234 &amp; &#34;quotes&#34;" in en
    # In the linked data the text is whole again (read back by a JSON parser), written with
    # its < and > escaped so that the script element cannot end early.
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', zh, re.S).group(1)
    assert "<" not in script and ">" not in script
    data_zh = linked_data(zh)
    assert data_zh["publisher"] == {"@type": "Organization", "name": "济南市</script><script>window.__pwned=1</script>",
                                    "url": "https://example.org/office"}


def test_titles_name_the_site_once(site):
    assert "<title>济南“亲情工作法”</title>" in (site / "index.html").read_text(encoding="utf-8")
    assert "<title>Jinan’s Family Ties Approach</title>" in (site / "en" / "index.html").read_text(encoding="utf-8")
    figures = (site / "en" / "figures" / "index.html").read_text(encoding="utf-8")
    assert "<title>Figures – Jinan’s Family Ties Approach</title>" in figures
    # Each edition's own separator: an en dash in English, a full-width bar in Chinese.
    assert "<title>数据一览｜济南“亲情工作法”</title>" in (site / "figures" / "index.html").read_text(encoding="utf-8")
