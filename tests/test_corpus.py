"""The corpus of invalid files: one mistake each, each with its exact located message."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT
from qinqing.errors import DataError
from qinqing.validation import check

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


def test_base_file_is_valid():
    base = CORPUS / "base.yaml"
    base.write_bytes((CORPUS / "base.yaml.txt").read_bytes())
    try:
        assert check(base).warnings == []
    finally:
        base.unlink()


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_each_mistake_gives_its_exact_located_message(case, monkeypatch):
    monkeypatch.chdir(ROOT)
    rel = case.relative_to(ROOT).as_posix()
    with pytest.raises(DataError) as err:
        check(rel)
    lines = err.value.report().splitlines()
    assert lines == expected()[rel]
    assert len(lines) == 1, "each case holds exactly one mistake"
