"""The checked data handed from the Chinese build to the English one (qinqing.site): the second
process reads it from its standard input instead of parsing and validating the YAML again,
and checks the file itself if nothing usable arrives."""

from __future__ import annotations

import io
import shutil
import sys

import pytest

from conftest import DATA
from qinqing import site as site_module
from qinqing.site import PRELOADED_ENV, SiteData


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    shutil.copytree(DATA.parent, tmp_path / "data")
    path = tmp_path / "data" / DATA.name
    monkeypatch.setattr(site_module, "_CACHE", {})
    monkeypatch.setenv(PRELOADED_ENV, "stdin")
    return path


def _stdin(monkeypatch, payload: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(payload)))


def _loads_counted(monkeypatch) -> list:
    calls = []
    original = SiteData.load.__func__

    def counted(cls, path):
        calls.append(path)
        return original(cls, path)

    monkeypatch.setattr(SiteData, "load", classmethod(counted))
    return calls


def test_second_process_takes_the_checked_data_without_parsing(data_copy, monkeypatch):
    sent = SiteData.load(data_copy)
    _stdin(monkeypatch, sent.dumps())
    calls = _loads_counted(monkeypatch)
    received = SiteData.cached(data_copy)
    assert calls == []
    assert received.error is None
    assert [a.id for a in received.checked.data.activities] == [a.id for a in sent.checked.data.activities]
    assert received.pages("en") == sent.pages("en")


@pytest.mark.parametrize("payload", [b"", b"not a pickle"], ids=["nothing-sent", "garbage"])
def test_nothing_usable_sent_means_checking_the_file_here(data_copy, monkeypatch, payload):
    _stdin(monkeypatch, payload)
    calls = _loads_counted(monkeypatch)
    received = SiteData.cached(data_copy)
    assert calls == [data_copy]
    assert received.error is None


def test_data_of_another_version_of_the_file_is_not_used(data_copy, monkeypatch):
    payload = SiteData.load(data_copy).dumps()
    data_copy.write_text(data_copy.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    _stdin(monkeypatch, payload)
    calls = _loads_counted(monkeypatch)
    SiteData.cached(data_copy)
    assert calls == [data_copy]
