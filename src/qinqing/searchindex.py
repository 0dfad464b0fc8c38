"""The search index of a Traditional Chinese edition, made findable in Simplified too.

A reader of the zh-Hant site may type 医保 rather than 醫保. The index is built from the
Traditional pages (segmented by the search plugin); here each entry gets one more field,
`simplified`, holding the Simplified form (OpenCC tw2s) of each of its words that differs,
and the index's field list gains it, so the theme's search matches either form. Titles and
texts, which readers see in results, are untouched.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from .convert import to_simplified

_TAGS = re.compile(r"<[^>]+>")


def add_simplified(site_dir: str | Path) -> None:
    path = Path(site_dir) / "search" / "search_index.json"
    if not path.is_file():
        return
    index = json.loads(path.read_text(encoding="utf-8"))
    config = index.get("config", {})
    separator = re.compile(config.get("separator") or r"[\s\-]+")
    for doc in index.get("docs", []):
        text = _TAGS.sub(" ", f"{doc.get('title', '')} {doc.get('text', '')}")
        words = {w for w in separator.split(text) if w and not w.isascii()}
        extra = sorted({s for s in map(to_simplified, words) if s not in words})
        if extra:
            doc["simplified"] = "\u200b".join(extra)
    config.setdefault("fields", {})["simplified"] = {"boost": 1.0}
    path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
