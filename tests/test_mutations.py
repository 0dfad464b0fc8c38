"""Property: any edit of the real file gives a valid site or located errors, never a traceback."""

from __future__ import annotations

import shutil

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import DATA
from qinqing.errors import DataError
from qinqing.render import render_site
from qinqing.validation import check

LINES = DATA.read_text(encoding="utf-8").splitlines(keepends=True)
NOISE = st.sampled_from(["", " ", "\t", ":", "- ", "{", "}", "[", "]", "&a ", "*a", "!!python/name:os.system",
                         "null", "~", "-1", "2023-02-30", "'", '"', "#", "\\", "é", "\x00", "<script>", "{{ x }}",
                         "zh:", "en: null", "id: activities", "pillar: nowhere"])


@st.composite
def mutated(draw):
    lines = list(LINES)
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
        return
    pages = render_site(checked.data)
    assert set(pages["zh"]) == set(pages["en"])
