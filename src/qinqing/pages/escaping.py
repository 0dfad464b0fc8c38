"""One escaping function per kind of output the generator writes data text into.

Data text comes from files a pull request can change: it is shown as typed, never read as
markup. Which function is for which output:

| output | function |
| --- | --- |
| Markdown text (pages, tables, lists) | `markdown` |
| an HTML attribute or front matter (Markdown attribute lists, `title=`) | `attribute` |
| raw HTML or SVG inside a Markdown page (charts, the timeline filter) | `raw_html` |
| a terminal, a log, a CI annotation | `safety.terminal` |

The open data (CSV, JSON, the Atom feed) and the pull-request comment have their own, next to
the code that writes them (`opendata`, `diff`).
"""

from __future__ import annotations

import re

from markupsafe import escape

# With pymdownx.escapeall every ASCII punctuation character can be backslash-escaped,
# which makes any Markdown, HTML, emoji or attribute syntax in data inert.
_MD_SPECIAL = re.compile(r"[!-/:-@\[-`{-~]")
_FOLD = re.compile(r"\s+")


def _folded(text: object) -> str:
    text = str(text)
    # Line breaks inside a field would end a table row, a list item or an HTML block.
    if not text.isprintable() or "  " in text:
        text = _FOLD.sub(" ", text)
    return text


def markdown(text: object) -> str:
    """Text for Markdown: every ASCII punctuation character backslash-escaped."""
    text = _folded(text)
    if _MD_SPECIAL.search(text) is None:  # most Chinese text: full-width punctuation only
        return text
    return _MD_SPECIAL.sub(_backslash, text)


def _backslash(match: re.Match[str]) -> str:
    return "\\" + match.group()


def attribute(text: object) -> str:
    """Text for an HTML attribute value (quoted): HTML-escaped, on one line."""
    return str(escape(" ".join(str(text).split())))


def raw_html(text: object) -> str:
    """Text inside raw HTML or inline SVG in a Markdown page, as element text or a quoted
    attribute. Backslash escapes do not apply inside raw HTML (they would show), and Markdown
    does apply inside an element marked `markdown` (its `![x](y){: onerror=…}` would become an
    image with an event handler): so every ASCII punctuation character becomes a numeric
    character reference, which neither Markdown nor HTML reads as syntax and every browser
    shows as the character."""
    text = _folded(text)
    if _MD_SPECIAL.search(text) is None:
        return text
    return _MD_SPECIAL.sub(_reference, text)


def _reference(match: re.Match[str]) -> str:
    return f"&#{ord(match.group())};"
