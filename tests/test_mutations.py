"""Property: any edit of the real file gives a valid site or located errors, never a traceback."""

from __future__ import annotations

import re
import shutil

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qinqing.errors import DataError
from qinqing.i18n import languages
from qinqing.ingest.validation import check
from qinqing.pages.render import render_site

from conftest import DATA

LINES = DATA.read_text(encoding="utf-8").splitlines(keepends=True)
NOISE = st.sampled_from(["", " ", "\t", ":", "- ", "{", "}", "[", "]", "&a ", "*a", "!!python/name:os.system",
                         "null", "~", "-1", "2023-02-30", "'", '"', "#", "\\", "é", "\x00", "<script>", "{{ x }}",
                         "zh:", "en: null", "id: activities", "pillar: nowhere",
                         # hostile: what a stranger's pull request could try
                         "\x1b[31m", "\x07", "\u202e", "\u200b", "2203-02-03", "0000", ".inf", ".nan", "1e400",
                         "con", "[" * 60, "/etc/passwd", "../../x", "/dev/zero", "![x](y){: onerror=alert(1) }",
                         "<plaintext>", "=cmd|' /C calc'!A0", "@SUM(1)", "&commat;x", "x" * 400])
TABLE_LINES = (DATA.parent / "languages.yaml").read_text(encoding="utf-8").splitlines(keepends=True)


@st.composite
def mutated(draw, source=LINES):
    lines = list(source)
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["delete", "duplicate", "insert", "replace_value", "indent", "swap"]))
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "insert":
            col = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:col] + draw(NOISE) + lines[i][col:]
        elif op == "replace_value" and ":" in lines[i]:
            key = lines[i].split(":", 1)[0]
            lines[i] = f"{key}: {draw(NOISE)}{draw(st.text(max_size=8))}\n"
        elif op == "indent":
            lines[i] = draw(st.sampled_from([" ", "  ", "\t"])) + lines[i]
        elif op == "swap" and i + 1 < len(lines):
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
        if not lines:
            break
    return "".join(lines)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=mutated())
def test_mutations_never_crash(tmp_path_factory, text):
    folder = tmp_path_factory.mktemp("mut")
    shutil.copytree(DATA.parent / "source", folder / "source")
    path = folder / "initiatives.yaml"
    path.write_bytes(text.encode("utf-8", errors="surrogatepass"))
    try:
        checked = check(path)
    except DataError as exc:
        assert exc.issues
        for issue in exc.issues:
            assert issue.line >= 1 and issue.col >= 1
            assert " / " in issue.message()
        report = exc.report()
        assert report.count("\n") == len(exc.issues) - 1
        assert not CONTROL.search(report), "no raw control character reaches the terminal"
        return
    pages = render_site(checked.data, checked.languages)
    assert set(pages["zh"]) == set(pages["en"])
    for page in pages["en"].values():
        assert not CONTROL.search(page)


CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=mutated(TABLE_LINES))
def test_languages_table_mutations_never_crash(tmp_path_factory, text):
    """Any edit of the languages table: a usable table or located errors of that file."""
    folder = tmp_path_factory.mktemp("table")
    shutil.copytree(DATA.parent, folder, dirs_exist_ok=True)
    (folder / "languages.yaml").write_bytes(text.encode("utf-8", errors="surrogatepass"))
    try:
        table = languages.load(folder / "initiatives.yaml")
    except DataError as exc:
        assert exc.path.name == "languages.yaml"
        for issue in exc.issues:
            assert issue.line >= 1 and issue.col >= 1 and " / " in issue.message()
        assert not CONTROL.search(exc.report())
        return
    # A usable table: every language's folder lies inside the site, and no two share one.
    paths = [row.path for row in table]
    assert paths[0] == "" and len(set(paths)) == len(paths)
    for path in paths[1:]:
        assert re.fullmatch(r"[a-z0-9-]+/", path)
