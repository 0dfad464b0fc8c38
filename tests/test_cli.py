"""The `qinqing` command as editors and CI run it."""

from __future__ import annotations

import ast
import io
import re
import string
import subprocess
import sys
import tokenize
from pathlib import Path

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


def test_the_command_s_lines_read_as_before():
    """The lines editors and CI read, now from messages.yaml, word for word."""
    result = run("validate")
    assert result.stdout == "data/initiatives.yaml: 数据有效 / valid\n"
    result = run("validate", "--no-such-flag")
    assert "qinqing: 用法错误 / usage error: unrecognized arguments: --no-such-flag" in result.stderr
    helped = run("build", "--help").stdout
    assert "警告也算错误 / warnings are errors" in helped and "同时构建的语言数 / languages built at once" in helped


def test_the_preview_s_error_page_escapes_what_the_build_said():
    from qinqing.serve import _failure_page

    page = _failure_page("data/initiatives.yaml:1:1: <script>alert(1)</script>\x1b[31m", 7).decode()
    assert "<title>预览未更新 / Preview not updated</title>" in page and "<h1>预览未更新 / Preview not updated</h1>" in page
    assert "<p>修改下列问题后，本页会自动刷新。 / Fix what follows; this page reloads by itself.</p>" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;U+001B&gt;[31m" in page and "<script>alert" not in page


# --- every message is data: messages.yaml, never a Chinese string in the code ---------------

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")

# Where Chinese in the code is data or logic rather than a message, each with why: (file, the
# innermost function, class or module-level name holding it, or "*" for the whole file).
CHINESE_IN_CODE = {
    ("src/qinqing/i18n/convert.py", "_keep_tai"):
        "the conversion's 台/臺 rule: which character OpenCC wrote and which the source kept",
    ("src/qinqing/ingest/faithfulness.py", "*"):
        "the source's own words the faithfulness checks look for in the Chinese text (约, 近, 余, 多, 可, "
        "the closing 等 of a list, 纷纷表示, Chinese numerals and counters): patterns, not messages; a "
        "message quotes the one found as a value",
    ("src/qinqing/ingest/model.py", "*"):
        "the JSON Schema's bilingual title (the field descriptions themselves are i18n/fields.yaml)",
}


def _docstring_spans(tree: ast.AST) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Where each string statement is: the docstrings of modules, classes and functions, and the
    attribute docstrings under a field."""
    return [((node.lineno, node.col_offset), (node.end_lineno or node.lineno, node.end_col_offset or 0))
            for node in ast.walk(tree)
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)]


def _scopes(tree: ast.Module) -> list[tuple[int, int, str]]:
    """(first line, last line, name) of every function and class, and of each module-level
    assignment to a name."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            found.append((node.lineno, node.end_lineno or node.lineno, node.name))
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        for target in targets:
            if isinstance(target, ast.Name):
                found.append((node.lineno, node.end_lineno or node.lineno, target.id))
    return found


def _chinese_outside_comments_and_docstrings(path: Path) -> list[tuple[int, str, str]]:
    """(line, innermost scope, token) for each token holding a Han character, comments and
    docstrings left out."""
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    docstrings = _docstring_spans(tree)
    scopes = _scopes(tree)
    found = []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT or not HAN.search(token.string):
            continue
        if token.type == tokenize.STRING and any(start <= token.start < end for start, end in docstrings):
            continue
        line = token.start[0]
        holding = [(last - first, name) for first, last, name in scopes if first <= line <= last]
        found.append((line, min(holding)[1] if holding else "<module>", token.string))
    return found


def test_no_message_is_written_in_the_code():
    """Every text the tool shows (the command's lines and help, the preview, the build's lines,
    the refused paths) is a code of messages.yaml with its zh and en: a Han character outside
    comments and docstrings is a message left inline, unless CHINESE_IN_CODE says why it is not."""
    files = sorted([*(ROOT / "src" / "qinqing").rglob("*.py"), *(ROOT / "hooks").glob("*.py")])
    assert len(files) > 20
    inline, used = [], set()
    for file in files:
        name = file.relative_to(ROOT).as_posix()
        for line, scope, text in _chinese_outside_comments_and_docstrings(file):
            key = (name, "*") if (name, "*") in CHINESE_IN_CODE else (name, scope)
            if key in CHINESE_IN_CODE:
                used.add(key)
            else:
                inline.append(f"{name}:{line} ({scope}): {text[:60]}")
    assert not inline, "move these to messages.yaml:\n" + "\n".join(inline)
    assert used == set(CHINESE_IN_CODE), f"allowed but no longer there: {set(CHINESE_IN_CODE) - used}"


def test_the_scan_sees_strings_and_skips_comments_and_docstrings(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text('"""模块。"""\n\n\ndef f():\n    """函数。"""\n    x = 1  # 注释\n'
                      '    return f"{x} 个 / {x} items"\n\n\nclass C:\n    a: int = 0\n    """属性。"""\n'
                      '    b = "乙"\n', encoding="utf-8")
    assert [(line, scope) for line, scope, _ in _chinese_outside_comments_and_docstrings(sample)] == [
        (7, "f"), (13, "C")]


def test_every_message_has_both_languages_with_the_same_values():
    from qinqing.errors import _messages

    for code, entry in _messages().items():
        assert set(entry) == {"zh", "en"}, code
        fields = {}
        for lang, text in entry.items():
            assert isinstance(text, str) and text.strip(), f"{code}.{lang} is empty"
            fields[lang] = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
        assert fields["zh"] == fields["en"], f"{code}: zh has {fields['zh']}, en has {fields['en']}"
        if code.startswith("cli_help") or code == "cli_description":  # argparse formats help with %
            assert "%" not in entry["zh"] + entry["en"], code


def test_every_code_the_tool_names_is_in_messages_yaml():
    """A code passed as a literal to bilingual, render_message or message_texts exists (bilingual
    has no fallback: a missing code would be a traceback in front of an editor)."""
    from qinqing.errors import _messages

    named = set()
    for file in [*(ROOT / "src" / "qinqing").rglob("*.py"), *(ROOT / "hooks").glob("*.py")]:
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)
                    and getattr(node.func, "id", getattr(node.func, "attr", None)) in (
                        "bilingual", "render_message", "message_texts", "_both")):
                named.add(node.args[0].value)
    assert "cli_errors" in named and "serve_failure_title" in named
    assert named <= set(_messages()), named - set(_messages())
