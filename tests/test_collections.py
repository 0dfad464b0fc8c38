"""The table of collections (src/qinqing/ingest/collections.py): one declaration per list of
records, and nothing the site makes of a collection spelled anywhere else."""

from __future__ import annotations

import re
import typing

from qinqing.i18n import languages
from qinqing.ingest.collections import BY_NAME, COLLECTIONS
from qinqing.ingest.model import Initiatives
from qinqing.ingest.validation import GLOBAL_ID_COLLECTIONS, check
from qinqing.pages import opendata
from qinqing.pages.figures import counts
from qinqing.pages.render import Site, page_paths
from qinqing.pages.routes import ROUTES

from conftest import DATA, ROOT

SRC = ROOT / "src" / "qinqing"
TEMPLATES = SRC / "pages" / "templates"


def record_lists() -> set[str]:
    """The data's lists of records with ids of their own (sources have theirs apart)."""
    out = set()
    for name, info in Initiatives.model_fields.items():
        if typing.get_origin(info.annotation) is list:
            [item] = typing.get_args(info.annotation)
            if isinstance(item, type) and "id" in getattr(item, "model_fields", {}):
                out.add(name)
    return out - {"sources"}


def test_every_list_of_records_is_declared_once():
    assert [c.name for c in COLLECTIONS] == list(dict.fromkeys(c.name for c in COLLECTIONS))
    assert set(BY_NAME) == record_lists()
    assert set(GLOBAL_ID_COLLECTIONS) == {c.name for c in COLLECTIONS if c.shared_ids}


def test_each_declaration_names_what_exists():
    strings = languages.load(DATA).ui_strings()
    for c in COLLECTIONS:
        for template in (c.template, c.by_year):
            assert template is None or (TEMPLATES / template).is_file(), (c.name, template)
        if c.searchable:
            assert f"search_kind_{c.kind}" in strings, c.name
        if c.feed:
            assert c.name in strings, c.name  # the feed's category label
        if c.counted:
            assert f"count_{c.name}" in strings, c.name


def test_the_site_is_made_from_the_table():
    checked = check(DATA)
    site = Site(checked.data, checked.languages)
    paths = {path for path, _, _ in page_paths(site)}
    for route in ROUTES:
        for record in getattr(checked.data, route.name):
            assert route.page(record.id) in paths
    # Every counted collection that has records, linked to a page the site has.
    counted = counts(checked.data)
    assert [c.collection for c in counted] == [c.name for c in COLLECTIONS if c.counted and getattr(checked.data, c.name)]
    assert all(c.page in paths for c in counted)
    assert opendata.COLLECTIONS == tuple(c.name for c in COLLECTIONS if c.csv)
    assert {name for name, _ in opendata.feed_entries(checked.data)} == {c.name for c in COLLECTIONS if c.feed}


def test_no_other_module_spells_a_pillar_id():
    """The pillars the collections are shown under are named in the table alone (the pillars
    themselves are the data's): a module that spelt one again could drift from it."""
    pillars = {c.pillar for c in COLLECTIONS if c.pillar}
    table = SRC / "ingest" / "collections.py"
    for file in sorted([*SRC.rglob("*.py"), *TEMPLATES.rglob("*.j2")]):
        if file == table:
            continue
        text = file.read_text(encoding="utf-8")
        for pillar in pillars:
            assert not re.search(rf"""["'/]{pillar}(?:\.md)?["']""", text), (file.relative_to(ROOT), pillar)
