"""The safe YAML loader: locations kept, dangerous or ambiguous YAML refused with a located issue."""

from __future__ import annotations

import pytest

from qinqing.errors import DataError
from qinqing.ingest.loader import load


def write(tmp_path, text: str | bytes):
    path = tmp_path / "initiatives.yaml"
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def codes(exc: DataError) -> list[tuple[int, int, str]]:
    return [(i.line, i.col, i.code) for i in exc.issues]


def test_keeps_line_and_column_of_every_value(tmp_path):
    doc = load(write(tmp_path, "a:\n  - b: 1\n    c: [x, y]\n"))
    assert doc.data == {"a": [{"b": 1, "c": ["x", "y"]}]}
    assert doc.marks[("a", 0, "b")] == (2, 8)
    assert doc.marks[("a", 0, "c", 1)] == (3, 12)
    assert doc.key_marks[("a", 0, "c")] == (3, 5)
    # An unknown path falls back to its nearest known parent.
    assert doc.locate(("a", 0, "missing")) == (2, 5)


def test_dates_stay_text(tmp_path):
    doc = load(write(tmp_path, "d: 2023-02-03\ny: 2023\n"))
    assert doc.data == {"d": "2023-02-03", "y": 2023}


def test_duplicate_key_is_refused_with_both_lines(tmp_path):
    with pytest.raises(DataError) as err:
        load(write(tmp_path, "a: 1\nb: 2\na: 3\n"))
    assert codes(err.value) == [(3, 1, "yaml_duplicate")]
    assert "第 1 行" in err.value.report() and "first on line 1" in err.value.report()


def test_tab_indentation_is_named(tmp_path):
    with pytest.raises(DataError) as err:
        load(write(tmp_path, "a:\n\t- b\n"))
    assert codes(err.value)[0][2] == "yaml_tab"
    assert "Tab" in err.value.report()


@pytest.mark.parametrize("text", [
    "a: &x [1, 2]\nb: *x\n",
    "base: &b {k: 1}\nother:\n  <<: *b\n",
])
def test_aliases_are_refused(tmp_path, text):
    with pytest.raises(DataError) as err:
        load(write(tmp_path, text))
    assert "yaml_alias" in [c for _, _, c in codes(err.value)]


def test_alias_bomb_does_not_expand(tmp_path):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i-1}"] * 9) + "]" for i in range(1, 10)]
    with pytest.raises(DataError) as err:
        load(write(tmp_path, "\n".join(lines) + "\n"))
    assert {c for _, _, c in codes(err.value)} == {"yaml_alias"}


@pytest.mark.parametrize("text", [
    "a: !!python/object:os.system {}\n",
    "a: !custom 1\n",
    "a: !!binary aGVsbG8=\n",
])
def test_custom_tags_are_refused(tmp_path, text):
    with pytest.raises(DataError) as err:
        load(write(tmp_path, text))
    assert codes(err.value)[0][2] in {"yaml_tag", "yaml_syntax"}


@pytest.mark.parametrize("text,code", [
    ("", "file_empty"),
    ("# only a comment\n", "file_empty"),
    ("- a\n- b\n", "not_mapping"),
    ("just text\n", "not_mapping"),
    ("a: [1, 2\n", "yaml_unclosed"),
])
def test_unusable_files(tmp_path, text, code):
    with pytest.raises(DataError) as err:
        load(write(tmp_path, text))
    assert codes(err.value)[0][2] == code


def test_non_utf8_is_located(tmp_path):
    with pytest.raises(DataError) as err:
        load(write(tmp_path, b"a: ok\nb: caf\xe9\n"))
    assert codes(err.value) == [(2, 7, "not_utf8")]


def test_oversized_file(tmp_path, monkeypatch):
    monkeypatch.setattr("qinqing.ingest.loader.MAX_BYTES", 10)
    with pytest.raises(DataError) as err:
        load(write(tmp_path, "a: 12345678901234567890\n"))
    assert codes(err.value)[0][2] == "file_too_large"


def test_missing_file(tmp_path):
    with pytest.raises(DataError) as err:
        load(tmp_path / "nope.yaml")
    assert codes(err.value)[0][2] == "file_missing"
