"""The site's search index: a post-build step over the assembled site, for any engine.

Pagefind's extended build (it segments Chinese) reads the built HTML and writes one index per
`<html lang>` into `pagefind/` at the site root; a page searches its own edition's index, in
chunks, so a first search fetches a few hundred kilobytes at most whatever the site's size.
What it indexes is marked in the pages themselves: `data-pagefind-body` on the text of a
searchable page (overrides/main.html), `data-pagefind-ignore` on the lists that repeat
records found on their own pages, and the kind and pillar filters on each record's page.

A converted edition (zh-Hant) is indexed as readers see it, in Traditional characters. A
reader who types the Simplified form (医保) is served by a character map written beside the
edition (`assets/search-variants.json`): each Simplified character of the edition's text
and the Traditional ones it stands for there, most frequent first, which the search script
applies to the query. The map comes from the edition's own text, so it holds only characters
that can match, and excerpts stay in Traditional.

Chinese is indexed character by character. Pagefind's segmenter (jieba's dictionary, without
its guessing of unknown words) cuts a name it does not know into pieces and Traditional text
into single characters, and it matches a query only as a word's beginning: 泉城 inside
台胞台青泉城之家 or 医保 inside 台胞医保服务站 were not found. So Pagefind reads an index view
of the pages, in a scratch folder (each page's language and its marked text only), whose
text has a space between any two Chinese characters (attributes, and so the filters' values,
untouched), and the search script asks
for a Chinese query both as a phrase (the pages that hold it, characters adjacent) and as
characters (Pagefind's ranking, titles first); it shows the first list in the second's order.
Words joined by a dash (Jinan–Keelung) get a space after it too, or Pagefind would read one
word. The excerpts come back spaced: the script closes the spaces between Chinese characters
and after such dashes, except where a block of text ends (a fact's label and its value, a
heading and the text after it), which the index view marks with an invisible separator
(U+2063) before each closing block tag, twice before a fact's label ends (</dt>): the script
shows a label's end as the edition's colon and a block's as its semicolon (unless the block
already ends with punctuation), so that an excerpt of a record's facts reads "Type: Service
station; Services: …", not "Type Service station Services …".
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

from qinqing.errors import bilingual
from qinqing.i18n.convert import to_simplified
from qinqing.safety import SCRATCH, remove_tree

BUNDLE = "pagefind"
# Pagefind's ready-made interfaces, written beside its index: the site has its own dialog.
_UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
           "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")
VARIANTS = Path("assets") / "search-variants.json"
# Left out of every page's indexed text: the headings' permalink signs (¶, from Markdown's
# table of contents), which would end every result's title. The site turns them off today
# (mkdocs.yml: toc permalink false); this keeps the index right if they come back.
EXCLUDED = ".headerlink"
# Where a page's indexed text starts (overrides/main.html); what follows is read by Pagefind.
BODY_MARK = "<div data-pagefind-body"
BODY_END = "<!--/data-pagefind-body-->"  # overrides/main.html writes it after the text's </div>
# The page's <html …> tag: its language picks the edition's index.
_OPENING = re.compile(r"^.*?<html\b[^>]*>", re.S)
_HAN_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_HAN = re.compile(f"[{_HAN_CLASS}]")
_HAN_PAIR = re.compile(f"([{_HAN_CLASS}])(?=[{_HAN_CLASS}])")
# Text between two tags (a tag's attributes are never touched).
_TEXT = re.compile(r"(?<=>)[^<]+")
_DASH = re.compile(r"(?<=\w)([–—])(?=\w)")
BLOCK_END = "\u2063"
LABEL_END = BLOCK_END * 2
_BLOCK_CLOSE = re.compile(r"(?=</(?:p|li|dd|h[1-6]|td|th|caption|figcaption|blockquote)>)")
_LABEL_CLOSE = re.compile(r"(?=</dt>)")


class SearchIndexError(RuntimeError):
    """Pagefind failed; the message is its output."""


def index(site_dir: Path, table, *, quiet: bool = True) -> None:
    """Index the assembled site at `site_dir` (every edition of `table`), then write each
    converted edition's query map. Raises SearchIndexError when Pagefind fails."""
    site_dir = Path(site_dir).resolve()
    bundle = site_dir / BUNDLE
    view = Path(tempfile.mkdtemp(prefix=f"{SCRATCH}{os.getpid()}-", dir=site_dir.parent))
    try:
        converted: dict[Path, Counter[str]] = {site_dir / row.path: Counter() for row in table if row.converted}
        nested = [site_dir / row.path for row in table if row.path]
        for page in sorted(site_dir.rglob("*.html")):
            if page.is_relative_to(bundle):
                continue
            html = page.read_text(encoding="utf-8", errors="replace")
            start = html.find(BODY_MARK)
            opening = _OPENING.match(html)
            if start < 0 or opening is None:
                continue  # not indexed (Pagefind reads only pages that mark their text)
            end = html.find(BODY_END, start)
            text = html[start:] if end < 0 else html[start:end]
            body = _LABEL_CLOSE.sub(LABEL_END, _BLOCK_CLOSE.sub(BLOCK_END, _TEXT.sub(_spaced, text)))
            target = view / page.relative_to(site_dir)
            target.parent.mkdir(parents=True, exist_ok=True)
            # Only what Pagefind reads: the language, the marked text (with its title, filters
            # and metadata). The theme's head, header, navigation and scripts are four fifths
            # of a page; without them Pagefind takes 40 % less time.
            target.write_text(f'{opening.group(0)}<head><meta charset="utf-8"></head><body>{body}</body></html>',
                              encoding="utf-8")
            edition = _edition(page, site_dir, nested)
            if edition in converted:
                converted[edition].update(_HAN.findall(text))
        args = [sys.executable, "-m", "pagefind", "--site", str(view), "--output-path", str(bundle),
                "--exclude-selectors", EXCLUDED]
        result = subprocess.run(args, capture_output=True, text=True)
    finally:
        remove_tree(site_dir.parent, view)
    if result.returncode != 0 or not (bundle / "pagefind.js").is_file():
        raise SearchIndexError((result.stdout + result.stderr).strip() or f"exit {result.returncode}")
    for name in _UNUSED:
        (bundle / name).unlink(missing_ok=True)
    for edition, counts in converted.items():
        target = edition / VARIANTS
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(variants(counts), ensure_ascii=False, separators=(",", ":"), sort_keys=True),
                          encoding="utf-8")
    if not quiet:
        entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
        pages = ", ".join(f"{code} {lang['page_count']}" for code, lang in sorted(entry["languages"].items()))
        print(f"qinqing: {bilingual('search_index')}: {pages}")


def _edition(page: Path, site_dir: Path, nested: list[Path]) -> Path:
    """The edition a page belongs to: the deepest edition folder holding it (the default
    edition is the site's root)."""
    return max((folder for folder in nested if page.is_relative_to(folder)), key=lambda f: len(f.parts),
               default=site_dir)


def _spaced(match: re.Match) -> str:
    """A run of text between two tags, with a space between any two Chinese characters, and
    after a dash joining two words (Jinan–Keelung: Pagefind splits words at hyphens only)."""
    text = match.group()
    if "–" in text or "—" in text:
        text = _DASH.sub("\\1 ", text)
    return _HAN_PAIR.sub(r"\1 ", text) if _HAN.search(text) else text


def variants(counts: Counter) -> dict[str, list[str]]:
    """Each Simplified character of a Traditional text (given as its characters' `counts`) →
    the characters it stands for there, most frequent first (itself among them where the
    text has it too); characters written the same in both are left out."""
    by_simple: dict[str, Counter] = defaultdict(Counter)
    for char, n in counts.items():
        simple = to_simplified(char)
        if len(simple) == 1:  # itself too: 台 stays 台 where the edition keeps it
            by_simple[simple][char] += n
    return {s: [t for t, _ in sorted(c.items(), key=lambda item: (-item[1], item[0]))]
            for s, c in sorted(by_simple.items()) if set(c) != {s}}


__all__ = ["BODY_MARK", "BUNDLE", "SearchIndexError", "VARIANTS", "index", "variants"]
