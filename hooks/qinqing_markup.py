"""Markup of Material 9.8 that the Nu Html Checker or axe rejects, fixed in the theme's
templates as they load (once per build, not once per page). Part of the site, not of the
tuning layer: the site is valid and accessible with QINQING_TUNING=0 too."""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Callable

import jinja2

log = logging.getLogger("mkdocs.hooks.qinqing")

# `autocomplete` on checkboxes and an empty `tabindex` on section labels (removing them changes
# nothing a reader sees), and the theme's search toggle without a name (the base template
# writes it whether or not its search is used; screen readers need a name).
_SEARCH_LABEL = 'aria-label="{{ config.extra.qinqing.ui.search_label | e }}"'
_SOURCE_FIXES = {
    "base.html": (
        (' type="checkbox" id="__drawer" autocomplete="off">', ' type="checkbox" id="__drawer">'),
        (' type="checkbox" id="__search" autocomplete="off">', f' type="checkbox" id="__search" {_SEARCH_LABEL}>'),
    ),
    "partials/nav-item.html": (
        (' tabindex="{{ tabindex }}">', '{% if tabindex %} tabindex="{{ tabindex }}"{% endif %}>'),
    ),
    # A record's page is in no tab's section (detail pages stay out of the nav): its front
    # matter's `tab` (its list's address) marks the tab whose section holds that list.
    "partials/tabs-item.html": (
        ("{% if ref.active %}",
         "{% if ref.active or (page and page.meta and page.meta.tab and ref.children"
         " and page.meta.tab in (ref.children | map(attribute='url') | list)) %}"),
    ),
    # The table of contents' title labels the toggle that only pages in the nav have (the nav
    # draws it beside the page's own entry); elsewhere it is a plain title.
    "partials/toc.html": (
        ('<label class="md-nav__title" for="__toc">',
         '{% if page.url in config.extra.qinqing.nav_urls %}<label class="md-nav__title" for="__toc">'
         '{% else %}<div class="md-nav__title">{% endif %}'),
        ("</label>", "{% if page.url in config.extra.qinqing.nav_urls %}</label>{% else %}</div>{% endif %}"),
    ),
}


class EditedSource(jinja2.BaseLoader):
    """A Jinja loader whose templates' source goes through `edit(name, source)` as it loads:
    once per build, not once per page. This module's fixes, and the tuning layer's collapsed
    indentation (qinqing_theme.py), each wrap the theme's loader in one."""

    def __init__(self, loader: jinja2.BaseLoader, edit: Callable[[str, str], str]):
        self.loader, self.edit = loader, edit

    def get_source(self, environment, template):
        source, filename, uptodate = self.loader.get_source(environment, template)
        return self.edit(template, source), filename, uptodate

    def list_templates(self):
        return self.loader.list_templates()


def _fix(template: str, source: str) -> str:
    for old, new in _SOURCE_FIXES.get(template, ()):
        if old not in source:
            # A newer theme changed this markup: the checkers in the tests say whether
            # the fix is still needed.
            log.warning(f"theme template {template} no longer contains {old.strip()!r}; fix not applied")
        source = source.replace(old, new)
    return source


def fix_sources(env: jinja2.Environment) -> None:
    assert env.loader is not None  # the theme's environment always has its loader
    env.loader = EditedSource(env.loader, _fix)


# Each data cell of a table with a header row gets its column's header as `data-label`: on a
# phone the rows are shown as cards, each value under its label (the stylesheet's
# `td[data-label]::before`). Header text is page text, made plain and escaped again for the attribute.
# A plain table of Markdown (no attributes): labelled here, wrapped by the tuning layer.
TABLE = re.compile(r"<table>(.*?)</table>", re.S)
_HEADER_CELL = re.compile(r"<th\b[^>]*>(.*?)</th>", re.S)
_ROW = re.compile(r"<tr>(.*?)</tr>", re.S)
_DATA_CELL = re.compile(r"<td\b")
_TAG = re.compile(r"<[^>]+>")


def _attribute(markup: str) -> str:
    return html.escape(" ".join(html.unescape(_TAG.sub("", markup)).split()), quote=True)


def _labelled(match: re.Match) -> str:
    table = match.group(1)
    head, sep, body = table.partition("</thead>")
    if not sep:
        return match.group(0)
    labels = [_attribute(cell) for cell in _HEADER_CELL.findall(head)]

    def row(found: re.Match) -> str:
        cells = iter(labels)
        return "<tr>" + _DATA_CELL.sub(lambda _: f'<td data-label="{next(cells, "")}"', found.group(1)) + "</tr>"

    return "<table>" + head + sep + _ROW.sub(row, body) + "</table>"


def label_cells(content: str) -> str:
    """A page's content with every table's data cells labelled by their column's header."""
    return TABLE.sub(_labelled, content) if "<table>" in content else content
