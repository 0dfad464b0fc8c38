"""The `qinqing` command as editors and CI run it."""

from __future__ import annotations

import subprocess
import sys

import pytest

from qinqing.i18n import languages
from qinqing.ingest.model import schema_text

from conftest import DATA, ROOT


def run(*args, cwd=ROOT, env=None):
    import os
    return subprocess.run([sys.executable, "-m", "qinqing.cli", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=60, env={**os.environ, **(env or {})})


def test_validate_exit_codes(tmp_path):
    assert run("validate").returncode == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text("activities: [\n", encoding="utf-8")
    result = run("validate", str(bad))
    assert result.returncode == 1 and "bad.yaml:" in result.stderr
    assert run("validate", "--no-such-flag").returncode == 2
    assert run().returncode == 2


def test_github_annotations(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(DATA.read_text(encoding="utf-8").replace("date: 2023-02-03", "date: 2023-02-30"), encoding="utf-8")
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "article.zh.txt").write_text((DATA.parent / "source" / "article.zh.txt").read_text(encoding="utf-8"), encoding="utf-8")
    result = run("validate", str(bad), env={"GITHUB_ACTIONS": "true"})
    assert result.returncode == 1
    assert "::error file=" in result.stdout and ",line=" in result.stdout and "activities[0].date" in result.stdout


@pytest.mark.build
def test_render_writes_every_language(tmp_path):
    out = tmp_path / "pages"
    result = run("render", "--out", str(out))
    assert result.returncode == 0, result.stderr
    for lang in languages.load().codes():
        assert (out / lang / "mkdocs.yml").is_file()
        assert (out / lang / "docs" / "index.md").is_file()
        assert (out / lang / "docs" / "activities" / "shanghai-new-year-visit.md").is_file()
        assert (out / lang / "docs" / "assets" / "stylesheets" / "qinqing.css").is_file()
    assert "正月十三" in (out / "zh" / "docs" / "activities" / "shanghai-new-year-visit.md").read_text(encoding="utf-8")


@pytest.mark.build
def test_render_with_bad_data_keeps_previous_output(tmp_path):
    out = tmp_path / "pages"
    assert run("render", "--out", str(out)).returncode == 0
    before = sorted(p.relative_to(out) for p in out.rglob("*"))
    bad = tmp_path / "bad.yaml"
    bad.write_text("- not a mapping\n", encoding="utf-8")
    assert run("render", str(bad), "--out", str(out)).returncode == 1
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before


@pytest.mark.build
def test_render_replaces_only_its_own_output(tmp_path):
    """`render --out` replaces a folder it wrote before, never another one (`--out .` must not
    delete a repository)."""
    mine = tmp_path / "pages"
    assert run("render", "--out", str(mine)).returncode == 0
    assert run("render", "--out", str(mine)).returncode == 0
    other = tmp_path / "other"
    other.mkdir()
    (other / "keep.txt").write_text("keep", encoding="utf-8")
    result = run("render", "--out", str(other))
    assert result.returncode == 2 and "was not written by qinqing render" in result.stderr
    assert sorted(p.name for p in other.iterdir()) == ["keep.txt"]
    assert not list(tmp_path.glob(".qinqing-*"))


def test_committed_schema_matches_the_model():
    committed = (ROOT / "schema" / "initiatives.schema.json").read_text(encoding="utf-8")
    assert committed == schema_text(), "run `qinqing schema` and commit the result"
    first_line = DATA.read_text(encoding="utf-8").splitlines()[0]
    assert first_line == "# yaml-language-server: $schema=../schema/initiatives.schema.json"
