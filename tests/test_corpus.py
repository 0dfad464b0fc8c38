"""The corpus of invalid files: one mistake each, each with its exact located message."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from qinqing.errors import DataError
from qinqing.ingest.validation import check

from conftest import ROOT

CORPUS = Path(__file__).parent / "invalid"


def expected() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for line in (CORPUS / "expected.txt").read_text(encoding="utf-8").splitlines():
        out.setdefault(line.split(":", 1)[0], []).append(line)
    return out


CASES = sorted(CORPUS.glob("*.yaml"))


def test_corpus_is_large_enough():
    assert len(CASES) >= 25
    assert set(expected()) == {case.relative_to(ROOT).as_posix() for case in CASES}


@pytest.fixture
def corpus(tmp_path, monkeypatch):
    """The corpus copied into a temporary folder (as tests/invalid/, so that messages name the
    same paths): a test never writes into the source tree."""
    shutil.copytree(CORPUS, tmp_path / "tests" / "invalid")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "tests" / "invalid"


def test_base_file_is_valid(corpus):
    base = corpus / "base.yaml"
    base.write_bytes((corpus / "base.yaml.txt").read_bytes())
    assert check(base).warnings == []


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_each_mistake_gives_its_exact_located_message(case, corpus):
    rel = case.relative_to(ROOT).as_posix()
    if case.name.startswith("faith-"):  # a faithfulness rule: a warning (an error under --strict)
        lines = [w.line_text(rel) for w in check(rel).warnings]
        assert lines == expected()[rel]
        assert len(lines) == 1, "each case holds exactly one mistake"
        return
    with pytest.raises(DataError) as err:
        check(rel)
    lines = err.value.report().splitlines()
    assert lines == expected()[rel]
    assert len(lines) == 1, "each case holds exactly one mistake"
    assert "\x1b" not in lines[0] and "\x00" not in lines[0], "no raw control character reaches the terminal"
