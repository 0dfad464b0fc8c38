"""The field descriptions (src/qinqing/i18n/fields.yaml): complete, alive, and the only ones.

Every field of the data file is described there in both languages, every entry describes a
field the model has, and no model carries a description of its own that an entry would
silently replace in the JSON Schema.
"""

from __future__ import annotations

import inspect
import json
import re
import typing

import pytest
from pydantic import BaseModel
from test_wording import AMERICAN, bracket_problems, term_problems, written

from qinqing.ingest import model
from qinqing.ingest.model import Initiatives, Quote, field_doc, field_text, field_texts, schema_text
from qinqing.pages import opendata


def reachable(root: type[BaseModel] = Initiatives) -> list[type[BaseModel]]:
    """Every model the data file can hold, from Initiatives down (Localized, Citation, Money…)."""
    seen: list[type[BaseModel]] = []

    def visit(annotation: object) -> None:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if annotation not in seen:
                seen.append(annotation)
                for info in annotation.model_fields.values():
                    visit(info.annotation)
            return
        for arg in typing.get_args(annotation):
            visit(arg)

    visit(root)
    return seen


MODELS = reachable()
ALL_MODELS = [m for m in vars(model).values()
              if isinstance(m, type) and issubclass(m, BaseModel) and m.__module__ == model.__name__]
FIELDS = [(m, name) for m in MODELS for name in m.model_fields]
ENTRIES = [(section, key, texts) for section, entries in field_texts().items() for key, texts in entries.items()]


def resolved_key(section: str, m: type[BaseModel], name: str) -> str | None:
    """The key of fields.yaml that describes a field in a section, as model.field_text looks it up."""
    entries = field_texts()[section]
    return next((key for key in (f"{m.__name__}.{name}", name) if key in entries), None)


def test_the_walk_reaches_the_nested_models():
    names = {m.__name__ for m in MODELS}
    assert {"Localized", "Citation", "Money", "Quantity", "Note", "Inferred", "CaseFigure", "Term"} <= names
    # Bases, not records of their own: every record, and every text.
    assert set(ALL_MODELS) - set(MODELS) == {model.Record, model.Texts}, "a model the data file cannot hold"


def test_the_file_has_its_two_sections():
    assert set(field_texts()) == {"fields", "open_data"}


@pytest.mark.parametrize("section, key, texts", ENTRIES, ids=[f"{s}:{k}" for s, k, _ in ENTRIES])
def test_every_entry_is_in_both_languages(section, key, texts):
    assert isinstance(texts, dict) and set(texts) == {"zh", "en"}, f"{section}.{key}: {texts}"
    for code, text in texts.items():
        assert isinstance(text, str) and text.strip() == text and text, f"{section}.{key}.{code}: {text!r}"
    assert not re.search(r"[\u4e00-\u9fff] +\d|\d +[\u4e00-\u9fff]", texts["zh"]), (
        f"{section}.{key}: no space between Chinese and digits")
    assert not re.search(r"[\u4e00-\u9fff][(),:;]|[(),:;][\u4e00-\u9fff]", texts["zh"]), (
        f"{section}.{key}: Chinese takes full-width punctuation: {texts['zh']}")
    en = texts["en"]
    american = [m.group() for pattern in AMERICAN for m in re.finditer(pattern, en, re.I)]
    assert not american, f"{section}.{key}: American spelling {american}"
    assert "'" not in en and '"' not in en, f"{section}.{key}: write ’ and “ ”: {en}"
    for code, text in texts.items():
        assert not bracket_problems(text), f"{section}.{key}.{code}: {bracket_problems(text)}"


@pytest.mark.parametrize("section, key, texts", ENTRIES, ids=[f"{s}:{k}" for s, k, _ in ENTRIES])
def test_every_entry_follows_the_termbase(section, key, texts):
    """The rule tests/test_wording.py applies to the UI strings: a termbase term in the Chinese
    asks for its English (or an accepted form) in the English."""
    problems = term_problems(texts["zh"], texts["en"])
    assert not problems, f"{section}.{key}: the English lacks the termbase’s English of {problems}"


# The UI string (strings.yaml) that names each top-level collection on the site.
COLLECTION_UI = {
    "sources": "about", "termbase": "termbase", "pillars": "pillars", "places": "places",
    "organisations": "organisations", "people": "people", "activities": "activities",
    "stations": "stations", "projects": "projects", "partnerships": "partnerships",
    "support_cases": "support_cases", "honours": "honours", "quotes": "voices",
}


def test_collections_are_titled_as_the_site_names_them():
    """A collection's title (the Data page's dictionary, the diff's headings) is the site's
    own name for it, not the text of a reference field of the same name."""
    assert set(COLLECTION_UI) | {"site", "method"} == set(Initiatives.model_fields)
    for collection, ui_key in COLLECTION_UI.items():
        ui = written()[ui_key]
        assert field_doc(Initiatives, collection) == (ui["zh"], ui["en"]), collection


@pytest.mark.parametrize("m, name", FIELDS, ids=[f"{m.__name__}.{n}" for m, n in FIELDS])
def test_every_field_is_described(m, name):
    zh, en = field_doc(m, name)
    assert zh and en, f"{m.__name__}.{name} has no entry in fields.yaml"


def test_no_model_describes_its_own_fields():
    """A description in the model would be replaced by fields.yaml's without a word, or be the
    only one of its field: either way it belongs in fields.yaml."""
    inline = [f"{m.__name__}.{name}" for m in ALL_MODELS for name, info in m.model_fields.items()
              if info.description is not None]
    assert not inline, f"inline descriptions (move them to fields.yaml): {inline}"
    source = inspect.getsource(model)
    assert not re.search(r"\bdescription\s*=", source), "a Field(description=…) in model.py: use fields.yaml"


def test_every_entry_describes_a_field():
    """No dead entry: each key is the one some field of the model is described by (a plain key
    that every model holding that field overrides with its own `Model.field` is dead too)."""
    used = {resolved_key("fields", m, name) for m, name in FIELDS}
    dead = set(field_texts()["fields"]) - used
    assert not dead, f"entries of fields.yaml no field reads: {sorted(dead)}"
    records = [opendata.record_model(Initiatives, collection) for collection in opendata.COLLECTIONS]
    columns = [(m, name) for m in records for name in m.model_fields]
    used = {resolved_key("open_data", m, name) for m, name in columns}
    dead = set(field_texts()["open_data"]) - used
    assert not dead, f"open_data entries no column of the published CSV reads: {sorted(dead)}"


def test_model_keys_name_a_model_and_its_field():
    by_name = {m.__name__: m for m in MODELS}
    for section, key, _ in ENTRIES:
        if "." in key:
            model_name, name = key.split(".", 1)
            assert model_name in by_name and name in by_name[model_name].model_fields, f"{section}.{key}"


def test_the_schema_describes_every_field_in_both_languages():
    """`qinqing schema`: every property carries its fields.yaml text, "zh / en", and nothing
    below a property (a list's items, a union's branches) carries one of its own."""
    schema = json.loads(schema_text())
    by_name = {m.__name__: m for m in MODELS}
    defs = {**schema["$defs"], "Initiatives": schema}
    for model_name, definition in defs.items():
        for name, prop in definition["properties"].items():
            zh, en = field_doc(by_name[model_name], name)
            assert prop.get("description") == f"{zh} / {en}", f"{model_name}.{name}"
            inner = json.dumps({k: v for k, v in prop.items() if k != "description"})
            assert '"description"' not in inner, f"{model_name}.{name}: a description below the property"


def test_the_data_dictionary_reads_open_data_first():
    assert opendata._doc(Quote, "kind") == field_text(Quote, "kind", "open_data")
    assert opendata._doc(Quote, "kind") != field_text(Quote, "kind")
    assert opendata._doc(Quote, "text") == field_text(Quote, "text") == {"zh": "正文", "en": "Text"}


def test_a_field_without_entry_has_empty_texts():
    assert field_doc(Initiatives, "no_such_field") == ("", "")
    assert field_text(Initiatives, "no_such_field") == {}
