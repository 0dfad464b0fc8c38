"""`qinqing diff` on real edits of the real data file: each test loads data/initiatives.yaml,
changes it as an editor would, and reads what the summary says."""

from __future__ import annotations

import copy
import json
import re
import shutil
import subprocess

import pytest
import yaml

from qinqing.cli import main
from qinqing.diff import comment_text
from qinqing.i18n import formatting, languages
from qinqing.ingest.model import Money

from conftest import DATA

TABLE = languages.load(DATA)
ROOTS = TABLE.roots("/")  # every language's root path: "/", "/en/", …


class _NoAliases(yaml.SafeDumper):
    def ignore_aliases(self, data):
        return True


def original() -> dict:
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


@pytest.fixture
def folder(tmp_path):
    """A data folder beside the real one's source texts (excerpts are checked against them)."""
    data = tmp_path / "data"
    shutil.copytree(DATA.parent, data, ignore=shutil.ignore_patterns("*.yaml"))
    return data


def write(folder, data: dict, name: str = "initiatives.yaml"):
    path = folder / name
    path.write_text(yaml.dump(data, Dumper=_NoAliases, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["diff", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


def diff_json(capsys, new) -> dict:
    code, out, err = run(capsys, DATA, new, "--json")
    assert code == 0, err
    return json.loads(out)


def only(result: dict, kind: str) -> dict:
    found = [c for c in result["changes"] if c["kind"] == kind]
    assert len(found) == 1, result["changes"]
    return found[0]


def test_no_change(capsys, folder):
    code, out, _ = run(capsys, DATA, write(folder, original()))
    assert code == 0
    assert "数据没有变化" in out and "The data has not changed" in out
    assert diff_json(capsys, folder / "initiatives.yaml")["changes"] == []


def test_changed_english_title(capsys, folder):
    data = original()
    record = data["activities"][0]
    old_title = record["title"]["en"]
    record["title"]["en"] = old_title + " (revised)"
    new = write(folder, data)

    change = only(diff_json(capsys, new), "changed")
    assert (change["collection"], change["id"]) == ("activities", record["id"])
    assert change["fields"] == [{"path": "title", "old": {"zh": record["title"]["zh"], "en": old_title},
                                 "new": {"zh": record["title"]["zh"], "en": old_title + " (revised)"}}]
    # English pages only: the Chinese site shows no English title.
    assert change["pages"]["en"][0] == f"{ROOTS['en']}activities/{record['id']}/"
    assert f"{ROOTS['en']}activities/" in change["pages"]["en"]
    assert change["pages"]["zh"] == []

    _, out, _ = run(capsys, DATA, new)
    row = next(line for line in out.splitlines() if "`title` (en)" in line)
    assert comment_text(old_title) in row and comment_text(old_title + " (revised)") in row
    zh_row = next(line for line in out.splitlines() if "`title` (zh)" in line)
    assert comment_text(record["title"]["zh"]) in zh_row and "unchanged" in zh_row
    assert "修改 · Changed" in out


def test_a_chinese_title_lists_the_same_pages_in_every_chinese_edition(capsys, folder):
    """A change to the Chinese text shows on the Simplified pages and on the Traditional ones,
    which convert it: the pages listed are found through the languages table (each language's
    field and converter), not by the code's prefix. The English pages do not show it."""
    data = original()
    record = data["activities"][0]
    record["title"]["zh"] += "（修订）"
    change = only(diff_json(capsys, write(folder, data)), "changed")
    zh = [page.removeprefix(ROOTS["zh"]) for page in change["pages"]["zh"]]
    hant = [page.removeprefix(ROOTS["zh-hant"]) for page in change["pages"]["zh-hant"]]
    assert len(zh) > 1 and hant == zh
    assert f"activities/{record['id']}/" in hant
    assert change["pages"]["en"] == []


def test_added_activity(capsys, folder):
    data = original()
    added = copy.deepcopy(data["activities"][0])
    added.update(id="test-mid-autumn-gathering", title={"zh": "中秋联谊测试活动", "en": "Mid-Autumn test gathering"})
    data["activities"].append(added)
    result = diff_json(capsys, write(folder, data))

    change = only(result, "added")
    assert (change["collection"], change["id"]) == ("activities", "test-mid-autumn-gathering")
    assert change["label"] == {"zh": "中秋联谊测试活动", "en": "Mid-Autumn test gathering"}
    assert result["counts"] == {"added": 1, "removed": 0, "renamed": 0, "changed": 0}
    for lang, root in ROOTS.items():
        page = f"{root}activities/test-mid-autumn-gathering/"
        assert change["pages"][lang][0] == page
        assert page in result["pages"][lang]["added"]
        assert f"{root}activities/" in change["pages"][lang]  # the list shows it too

    _, out, _ = run(capsys, DATA, folder / "initiatives.yaml")
    assert "新增 · Added" in out and "中秋联谊测试活动 · Mid-Autumn test gathering" in out


def test_removed_station(capsys, folder):
    data = original()
    gone = data["stations"].pop()
    result = diff_json(capsys, write(folder, data))

    change = only(result, "removed")
    assert (change["collection"], change["id"]) == ("stations", gone["id"])
    for lang, root in ROOTS.items():
        assert f"{root}stations/{gone['id']}/" in result["pages"][lang]["removed"]
        assert f"{root}stations/" in change["pages"][lang]
    _, out, _ = run(capsys, DATA, folder / "initiatives.yaml")
    assert f"删除 · Removed** {comment_text(gone['name']['zh'])}" in out


def test_renamed_id(capsys, folder):
    data = original()
    # Nothing refers to an activity by id, so a new id changes nothing else.
    record = data["activities"][-1]
    old_id, new_id = record["id"], record["id"] + "-renamed"
    record["id"] = new_id
    result = diff_json(capsys, write(folder, data))

    change = only(result, "renamed")
    assert (change["old_id"], change["id"]) == (old_id, new_id)
    assert result["counts"] == {"added": 0, "removed": 0, "renamed": 1, "changed": 0}
    for lang, root in ROOTS.items():
        assert f"{root}activities/{new_id}/" in result["pages"][lang]["added"]
        assert f"{root}activities/{old_id}/" in result["pages"][lang]["removed"]
    _, out, _ = run(capsys, DATA, folder / "initiatives.yaml")
    assert f"改 id · Renamed** `{old_id}` →" in out and f"(`{new_id}`)" in out


def test_changed_amount(capsys, folder):
    data = original()
    project = next((p for p in data["projects"] if p.get("amount")), data["projects"][0])
    before = copy.deepcopy(project.get("amount"))
    project["amount"] = {**(before or {"currency": "CNY", "qualifier": "about"}), "amount": 2_345_000_000}
    result = diff_json(capsys, write(folder, data))

    change = only(result, "changed")
    assert change["id"] == project["id"]
    [field] = change["fields"]
    assert field["path"] == "amount" and field["new"]["amount"] == 2_345_000_000
    assert field["old"] == (None if before is None else {**{"per": None, "qualifier": "exact"}, **before,
                                                         "amount": float(before["amount"])})
    for lang, root in ROOTS.items():
        assert change["pages"][lang][0] == f"{root}projects/{project['id']}/"

    _, out, _ = run(capsys, DATA, folder / "initiatives.yaml")
    money = Money.model_validate(project["amount"])
    row = next(line for line in out.splitlines() if "| `amount` |" in line)
    assert comment_text(formatting.money_in(money, "zh")) in row and comment_text(formatting.money_in(money, "en")) in row


def test_changed_saying_of_the_method_by_its_id(capsys, folder):
    data = original()
    if not data["method"].get("sayings"):
        pytest.skip("the data has no sayings")
    saying = data["method"]["sayings"][0]
    saying["text"]["en"] = (saying["text"]["en"] or "") + " (revised)"
    change = only(diff_json(capsys, write(folder, data)), "changed")
    assert change["collection"] == "method"
    assert [f["path"] for f in change["fields"]] == [f"sayings[{saying['id']}].text"]


def test_every_top_level_list_is_compared_termbase_included(capsys, folder):
    """Lists without ids (a termbase, a phrase list) are matched by their first field."""
    data = original()
    name = next((k for k, v in data.items() if isinstance(v, list) and v and isinstance(v[0], dict)
                 and "id" not in v[0]), None)
    if name is None:
        pytest.skip("the data has no top-level list without ids (no termbase yet)")
    entry = data[name][0]
    key = next(k for k, v in entry.items() if isinstance(v, str) and k != next(iter(entry)))
    entry[key] = entry[key] + " (revised)"
    change = only(diff_json(capsys, write(folder, data)), "changed")
    assert change["collection"] == name


def test_a_list_without_ids_is_matched_by_its_first_field():
    """A termbase or phrase list added to the model later is compared like any collection."""
    from qinqing.diff import compare
    from qinqing.ingest.model import Initiatives, Localized, Record

    class Term(Record):
        zh: str
        en: str
        note: Localized | None = None

    class WithTermbase(Initiatives):
        termbase: list[Term] = []

    from qinqing.ingest.loader import load

    data = load(DATA, marks=False).data  # dates as text, as the model reads them
    data["termbase"] = [{"zh": "亲情", "en": "family affection"}, {"zh": "台胞", "en": "Taiwan compatriots"}]
    old = WithTermbase.model_validate(data)
    data["termbase"][0]["en"] = "kinship"
    data["termbase"].pop()
    data["termbase"].append({"zh": "台商", "en": "Taiwanese business people"})
    new = WithTermbase.model_validate(data)
    found = {(c.kind, c.id): c for c in compare(old, new) if c.collection == "termbase"}
    assert set(found) == {("changed", "亲情"), ("removed", "台胞"), ("added", "台商")}
    assert [(f.path, f.old, f.new) for f in found["changed", "亲情"].fields] == [("en", "family affection", "kinship")]


def test_data_text_is_inert_in_the_summary(capsys, folder):
    data = original()
    data["activities"][0]["title"]["en"] = "<script>alert(1)</script> | @everyone [x](https://evil.test)"
    _, out, _ = run(capsys, DATA, write(folder, data))
    row = next(line for line in out.splitlines() if "`title` (en)" in line)
    assert "<script>" not in row and " @everyone" not in row and "](https" not in row
    assert row.count(" | ") == 3  # the table row keeps its three cells


def test_bad_yaml_gets_the_located_error_of_validate(capsys, folder):
    lines = DATA.read_text(encoding="utf-8").splitlines()
    n = next(i for i, line in enumerate(lines) if line.strip().startswith("- id:"))
    lines[n] = lines[n] + ": {"
    bad = folder / "initiatives.yaml"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")

    code, out, err = run(capsys, DATA, bad)
    assert code == 1 and out == ""
    assert re.search(rf"initiatives\.yaml:{n + 1}:\d+: ", err), err
    assert main(["validate", str(bad)]) == 1
    assert capsys.readouterr().err == err  # the same report as `validate`


def test_invalid_data_gets_the_located_error_of_validate(capsys, folder):
    data = original()
    data["activities"][0]["pillar"] = "no-such-pillar"
    bad = write(folder, data)
    code, _, err = run(capsys, bad, DATA)
    assert code == 1
    assert re.search(r"initiatives\.yaml:\d+:\d+: activities\[0\]\.pillar: ", err), err
    main(["validate", str(bad)])
    assert capsys.readouterr().err == err


def test_json_shape(capsys, folder):
    data = original()
    data["activities"][0]["title"]["en"] += " (revised)"
    result = diff_json(capsys, write(folder, data))
    assert set(result) == {"old", "new", "counts", "changes", "pages"}
    assert set(result["counts"]) == {"added", "removed", "renamed", "changed"}
    assert set(result["pages"]) == set(ROOTS)
    for kinds in result["pages"].values():
        assert set(kinds) == {"changed", "added", "removed"}
    for change in result["changes"]:
        assert {"collection", "kind", "id", "label", "fields", "pages"} <= set(change)
        assert set(change["pages"]) == set(ROOTS)
        for f in change["fields"]:
            assert set(f) == {"path", "old", "new"}


def _git(repo, *args):
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.test", "-c", "commit.gpgsign=false",
                    *args], cwd=repo, check=True, capture_output=True)


def test_git_ref_against_the_working_tree(capsys, tmp_path, monkeypatch):
    repo = tmp_path / "repo"
    shutil.copytree(DATA.parent, repo / "data")
    _git(repo, "init", "-q")
    _git(repo, "add", "data")
    _git(repo, "commit", "-q", "-m", "data")
    data = original()
    gone = data["stations"].pop()
    write(repo / "data", data)
    monkeypatch.chdir(repo)

    code, out, err = run(capsys, "HEAD")
    assert code == 0, err
    assert "`HEAD:data/initiatives.yaml` → `data/initiatives.yaml`" in out
    assert f"(`{gone['id']}`)" in out and "删除 · Removed" in out
    result = json.loads(run(capsys, "HEAD", "--json")[1])
    assert only(result, "removed")["id"] == gone["id"]

    code, _, err = run(capsys, "no-such-ref")
    assert code == 2 and "no-such-ref" in err


# --- hostile input: refs that look like options, and data text written for the comment ----------


def _repo(tmp_path):
    """A git repository holding a copy of the data folder, committed."""
    repo = tmp_path / "repo"
    shutil.copytree(DATA.parent, repo / "data")
    _git(repo, "init", "-q")
    _git(repo, "add", "data")
    _git(repo, "commit", "-q", "-m", "data")
    return repo


@pytest.mark.parametrize("ref", ["--output={out}", "--remote=/nonexistent", "-o{out}", "--format=zip", "-"])
def test_a_ref_is_never_read_as_an_option(capsys, tmp_path, monkeypatch, ref):
    """`qinqing diff -- --output=FILE` once made `git archive` write FILE: a ref starting
    with `-` is the bad-ref usage error (exit 2) and nothing is written."""
    repo = _repo(tmp_path)
    out = tmp_path / "written"
    monkeypatch.chdir(repo)
    code, stdout, err = run(capsys, "--", ref.format(out=out))
    assert code == 2 and stdout == ""
    assert "cannot read the git ref" in err and "not a git ref" in err
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("written")]


def test_a_ref_is_never_an_option_for_the_real_command(tmp_path):
    """The installed `qinqing` command, as the workflow runs it."""
    import sys
    from pathlib import Path

    repo = _repo(tmp_path)
    out = tmp_path / "x"
    command = shutil.which("qinqing", path=str(Path(sys.executable).parent)) or shutil.which("qinqing")
    assert command, "the qinqing command is not installed"
    result = subprocess.run([command, "diff", "--", f"--output={out}"], cwd=repo, capture_output=True, text=True)
    assert result.returncode == 2, result.stdout + result.stderr
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("x")]
    # A ref that resolves but is not a commit is the same error; a good ref still works.
    assert subprocess.run([command, "diff", "HEAD^{tree}"], cwd=repo, capture_output=True).returncode == 2
    assert subprocess.run([command, "diff", "--", "HEAD"], cwd=repo, capture_output=True).returncode == 0


def test_a_bad_ref_is_shown_with_its_controls_written_out(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(_repo(tmp_path))
    code, _, err = run(capsys, "\x1b[2J\x1b]0;owned\x07no-such\u202eref\r")
    assert code == 2
    assert "<U+001B>[2J" in err and "<U+0007>" in err and "<U+202E>" in err and "<U+000D>" in err
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", err), repr(err)


def rendered(markdown_text: str) -> str:
    """What GitHub shows for Markdown inline text: backslash escapes and character references
    read in one pass, left to right, as CommonMark does."""
    import html

    def one(m: re.Match[str]) -> str:
        token = m.group()
        return token[1] if token.startswith("\\") else html.unescape(token)

    return re.sub(r"\\[!-/:-@\[-`{-~]|&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});",
                  one, markdown_text)


HOSTILE = [
    "&commat;everyone", "&#64;org/team", "&#x40;octocat", "&#X0040;x", "&#0064;y", "&commat;", "&amp;commat;z",
    "@everyone", "<script>alert(1)</script>", "<details>", "</details>", "[x](https://evil.test)", "a | b",
    "`code`", "**bold**", "\\&commat;w", "x\u202ey", "a\u2066b\u2069", "z\u200bw\u200c\u200d\u2060\ufeff",
    "bell\x07", "esc\x1b[31m", "nul\x00", "c1\x85\x9b", "del\x7f", "ＡＢ＠ｃ",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_comment_text_is_inert(text):
    out = comment_text(text)
    shown = rendered(out)
    # No mention: every @ GitHub would read is followed by the word joiner (full-width ＠ is not one).
    assert not re.search(r"@(?!\u2060)", shown), (out, shown)
    # No tag, no link, no table cell, no character reference left to decode.
    assert "<" not in out and ">" not in out and "](" not in out
    assert not re.search(r"(?<!\\)[|`*\[]", out)
    assert not re.search(r"&(?!amp;|lt;|gt;)", out)
    # No control, bidi or zero-width character raw: each is written out as its code point.
    assert not re.search("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]", out)
    assert not re.search("[\u2060](?<!@\u2060)", out)
    for ch in text:
        if re.match("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200d\u202a-\u202e\u2060\u2066-\u2069\ufeff]", ch):
            assert f"<U+{ord(ch):04X}>" in shown


@pytest.mark.parametrize("text", HOSTILE)
def test_terminal_text_writes_out_what_a_terminal_would_obey(text):
    from qinqing.diff import terminal_text

    out = terminal_text(text + "\r")
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]", out)
    assert out.endswith("<U+000D>")
    assert terminal_text("line\n\tnext") == "line\n\tnext"  # a line break and a tab stay


def test_hostile_data_text_is_inert_in_the_real_summary(capsys, folder):
    """Entities, tags and invisible characters typed into the data, through the real command."""
    data = original()
    data["activities"][0]["title"]["en"] = "&commat;everyone &#64;org/team &#x40;x <details> [a](b)"
    data["activities"][0]["summary"]["en"] = "r\u202eb\u2066c\u2069z\u200bw\ufeffj"
    shutil.copy2(DATA.parent / "languages.yaml", folder / "languages.yaml")
    code, out, err = run(capsys, DATA, write(folder, data))
    assert code == 0, err
    title = next(line for line in out.splitlines() if "`title` (en)" in line)
    summary = next(line for line in out.splitlines() if "`summary` (en)" in line)
    assert "&amp;commat;everyone" in title and "&lt;details&gt;" in title
    assert not re.search(r"@(?!\u2060)", rendered(title))
    assert rendered(summary).endswith("r<U+202E>b<U+2066>c<U+2069>z<U+200B>w<U+FEFF>j |")
    # Nothing invisible anywhere in the output but the word joiner the code puts after an @.
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]", out)
    assert out.count("\u2060") == out.count("@\u2060")
    # The JSON for a terminal: the same data, every invisible character as a \u escape.
    from qinqing.diff import diff_files, json_text

    text = json_text(diff_files(DATA, folder / "initiatives.yaml"))
    assert "\\u202e" in text and "\u202e" not in text and "\ufeff" not in text
    change = only(json.loads(text), "changed")
    [field] = [f for f in change["fields"] if f["path"] == "summary"]
    assert field["new"]["en"] == "r\u202eb\u2066c\u2069z\u200bw\ufeffj"


def test_code_spans_hold_only_plain_names(capsys):
    from qinqing.diff import _code

    assert _code("HEAD:data/initiatives.yaml") == "`HEAD:data/initiatives.yaml`"
    assert _code("points[culture-empathy].title") == "`points[culture-empathy].title`"
    for name in ("a|b", "a`b", "亲情", "x\u202ey", " lead", "&commat;x", "<b>"):
        out = _code(name)
        assert not out.startswith("`") and "|" not in out.replace("\\|", "")
