"""Every file a pull request can change is hostile: the languages table, the phrase and surname
lists, the source texts and the data. Each mistake or attack below ends with exit 1 and one
located, bilingual error naming the file it is in, never a traceback; the build writes only
inside its own folders and a failed build leaves the previous site/ as it was.

(The data file's own cases are the corpus in tests/invalid/; the pages a valid but hostile
file makes are in test_safety.py.)"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from qinqing.errors import DataError
from qinqing.i18n import formatting, languages
from qinqing.ingest.validation import check
from qinqing.pages import render
from qinqing.safety import UnsafePath, confined, remove_tree, terminal

from conftest import DATA, ROOT, copy_project

TABLE = (DATA.parent / "languages.yaml").read_text(encoding="utf-8")
EN_ROW = "  - code: en\n    path: en/\n    tag: en\n    name: English\n"
HANT_ROW = "  - code: zh-hant\n    path: zh-hant/\n    tag: zh-Hant\n    name: 繁體中文\n"

# name: (text to replace, replacement, message code's words (English half), row field)
TABLE_CASES = {
    "path-parent": ("    path: en/\n", "    path: ../\n", "is not well formed ('../')", "languages[1].path"),
    "path-two-up": ("    path: en/\n", "    path: ../../victim/\n", "is not well formed", "languages[1].path"),
    "path-absolute": ("    path: en/\n", "    path: /en/\n", "is not well formed ('/en/')", "languages[1].path"),
    "path-no-slash": ("    path: en/\n", "    path: en\n", "is not well formed ('en')", "languages[1].path"),
    "path-a-site-folder": ("    path: en/\n", "    path: assets/\n", "a folder the site already uses", "languages[1].path"),
    "path-empty-second-row": ("    path: en/\n", '    path: ""\n', "the path '' is already in the languages table",
                              "languages[1].path"),
    "path-duplicate": ("    path: zh-hant/\n", "    path: en/\n", "the path 'en/' is already in the languages table",
                       "languages[2].path"),
    "code-duplicate": ("  - code: zh-hant\n", "  - code: en\n", "the code 'en' is already in the languages table",
                       "languages[2].code"),
    "code-empty": ("  - code: zh-hant\n", '  - code: ""\n', "'code' is not well formed ('')", "languages[2].code"),
    "tag-missing": (EN_ROW, "  - code: en\n    path: en/\n    name: English\n", "the required field 'tag' is missing",
                    "languages[1].tag"),
    "tag-quote": ("    tag: en\n", "    tag: 'en\" onload=\"alert(1)'\n", "'tag' is not well formed", "languages[1].tag"),
    "tag-duplicate-case": ("    tag: zh-Hant\n", "    tag: zh-hans\n", "the tag 'zh-hans' is already", "languages[2].tag"),
    "name-script": ("    name: English\n", '    name: "<script>alert(1)</script>"\n', "must be plain text",
                    "languages[1].name"),
    "name-control": ("    name: English\n", '    name: "Eng\\x1b[31mlish"\n', "control character U+001B",
                     "languages[1].name"),
    "name-bidi": ("    name: English\n", '    name: "Eng\\u202elish"\n', "must be plain text", "languages[1].name"),
    "locale-bad": ("    locale: en_GB\n", "    locale: 'en_US\"><script>'\n", "'locale' is not well formed",
                   "languages[1].locale"),
    "format-unknown": ("    format: en\n", "    format: fr\n", "'fr' is not one of the allowed values",
                       "languages[1].format"),
    "converter-unknown": ("    text: {convert: zh, with: s2tw}", "    text: {convert: zh, with: s2xx}", "'s2xx' is not one of the allowed values",
                          "languages[2].text.with"),
    "text-both": ("    text: {field: en}\n", "    text: {field: en, convert: zh, with: s2tw}\n", "text takes either",
                  "languages[1].text"),
    "first-row-converted": ("    text: {field: zh}\n", "    text: {convert: en, with: s2tw}\n",
                            "the first row is the default language", "languages[0].text"),
    "unknown-field": ("    locale: en_GB\n", "    locale: en_US\n    colour: red\n", "unknown field 'colour'",
                      "languages[1].colour"),
    # Search has no settings in the table any more (Pagefind indexes each edition by its tag).
    "search-settings": ("    text: {field: en}\n", "    text: {field: en}\n    search: {lang: en}\n", "unknown field 'search'",
                        "languages[1].search"),
    "yaml-syntax": ("    name: English\n", "    name: [English\n", "is never closed", ""),
    "yaml-python-tag": ("    name: English\n", "    name: !!python/object/apply:os.system [id]\n",
                        "the YAML tag !!python/object/apply:os.system is not allowed", "languages[1].name"),
    "no-rows": (None, "languages: []\n", "at least 1", "languages"),
}


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """data/ copied into a temporary project folder, which is the working folder."""
    shutil.copytree(DATA.parent, tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "data"


def _write_table(data: Path, old: str | None, new: str) -> None:
    text = new if old is None else TABLE.replace(old, new, 1)
    assert old is None or TABLE.count(old) >= 1, old
    (data / "languages.yaml").write_text(text, encoding="utf-8")


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


@pytest.mark.parametrize("case", sorted(TABLE_CASES), ids=str)
def test_languages_table_mistake_is_one_located_error(case, data_copy):
    old, new, words, field = TABLE_CASES[case]
    _write_table(data_copy, old, new)
    with pytest.raises(DataError) as err:
        languages.load(data_copy / "initiatives.yaml")
    report = err.value.report()
    assert err.value.path.name == "languages.yaml"
    assert re.match(r"data/languages\.yaml:\d+:\d+: ", report), report
    first = report.splitlines()[0]
    assert words in first, report
    if field:
        assert f": {field}: " in first, report
    if old is not None and new in TABLE.replace(old, new, 1) and case not in ("yaml-syntax",):
        # Located on the edited line (or the row it belongs to).
        line = int(first.split(":")[1])
        edited = _line_of(TABLE, old)
        assert edited - 8 <= line <= edited + new.count("\n"), (line, edited, report)
    assert "\x1b" not in report and "\u202e" not in report


@pytest.mark.parametrize("case", ["path-parent", "name-script", "converter-unknown"])
def test_validate_and_build_stop_on_a_bad_table_before_touching_anything(case, data_copy):
    old, new, words, _ = TABLE_CASES[case]
    _write_table(data_copy, old, new)
    for command in (["validate", "data/initiatives.yaml"], ["validate", "--strict"]):
        result = subprocess.run([sys.executable, "-m", "qinqing.cli", *command], capture_output=True, text=True,
                                timeout=120)
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr
        assert re.search(r"^data/languages\.yaml:\d+:\d+: .*" + re.escape(words), result.stderr, re.M), result.stderr


def test_an_unknown_theme_language_is_a_located_error(data_copy):
    _write_table(data_copy, "    theme: zh-TW\n", "    theme: xx\n")
    result = subprocess.run([sys.executable, "-m", "qinqing.cli", "validate"], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 1
    line = _line_of(TABLE.replace("    theme: zh-TW\n", "    theme: xx\n"), "    theme: xx\n")
    assert re.search(rf"^data/languages\.yaml:{line}:\d+: languages\[2\]\.theme: .*no interface language 'xx'",
                     result.stderr, re.M), result.stderr


def test_a_missing_phrase_list_is_a_located_error(data_copy):
    (data_copy / "zh-hant" / "phrases.txt").unlink()
    with pytest.raises(DataError) as err:
        languages.load(data_copy / "initiatives.yaml")
    assert "languages[2].text.with" in err.value.report() and "phrases.txt" in err.value.report()


def test_languages_table_not_utf8_is_located_in_characters(data_copy):
    (data_copy / "languages.yaml").write_bytes(TABLE.encode("utf-8").replace(b"    name: English", b"    name: Engl\xe9sh"))
    with pytest.raises(DataError) as err:
        languages.load(data_copy / "initiatives.yaml")
    line = _line_of(TABLE, "    name: English")
    assert err.value.report().startswith(f"data/languages.yaml:{line}:{len('    name: Engl') + 1}: ")


PHRASE_CASES = {
    "markup-on-the-right": ("台湾 → <script>alert(1)</script>  # test\n", "U+003C"),
    "markdown-on-the-right": ("台湾 → 台灣![x](y){: onerror=alert(1) }  # test\n", "U+0021"),
    "control-character": ("台湾 → 台\x1b灣  # test\n", "U+001B"),
    "zero-width": ("台湾 → 台\u200b灣  # test\n", "U+200B"),
}


@pytest.mark.parametrize("case", sorted(PHRASE_CASES), ids=str)
def test_phrase_list_refuses_markup_and_hidden_characters(case, data_copy):
    line, char = PHRASE_CASES[case]
    phrases = data_copy / "zh-hant" / "phrases.txt"
    text = phrases.read_text(encoding="utf-8")
    phrases.write_text(text + line, encoding="utf-8")
    with pytest.raises(DataError) as err:
        check(data_copy / "initiatives.yaml")
    report = err.value.report()
    number = text.count("\n") + 1
    assert re.match(rf"data/zh-hant/phrases\.txt:{number}:\d+: .*{re.escape(char)}", report), report
    assert "\x1b" not in report


def test_phrase_list_not_utf8_is_a_located_error(data_copy):
    phrases = data_copy / "zh-hant" / "phrases.txt"
    phrases.write_bytes(phrases.read_bytes() + "台湾 → 台灣  # x\n".encode().replace("灣".encode(), b"\xff\xfe"))
    with pytest.raises(DataError) as err:
        check(data_copy / "initiatives.yaml")
    # 台湾 → 台 is five characters and a space: the bad byte is the seventh character.
    assert re.match(r"data/zh-hant/phrases\.txt:\d+:7: .*UTF-8", err.value.report()), err.value.report()


def test_a_source_text_with_a_control_character_is_a_located_error(data_copy):
    source = data_copy / "source" / "article.zh.txt"
    source.write_text(source.read_text(encoding="utf-8") + "\n尾\x07\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        check(data_copy / "initiatives.yaml")
    lines = source.read_text(encoding="utf-8").count("\n")
    assert f"control character at {lines}:2" in err.value.report(), err.value.report()


def test_a_source_text_through_a_link_out_of_the_data_folder_is_refused(data_copy, tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("secret", encoding="utf-8")
    source = data_copy / "source" / "article.zh.txt"
    source.unlink()
    source.symlink_to(outside)
    with pytest.raises(DataError) as err:
        check(data_copy / "initiatives.yaml")
    assert "must be a relative path inside the data folder" in err.value.report()


def test_a_long_after_chain_is_an_error_and_never_a_recursion(data_copy):
    text = (data_copy / "initiatives.yaml").read_text(encoding="utf-8")
    head = text.index("\nactivities:\n") + len("\nactivities:\n")
    chain = "".join(
        f"  - id: chained-{i}\n    title: {{zh: 活动{i}, en: Activity {i}}}\n    pillar: culture\n"
        + (f"    after: chained-{i - 1}\n" if i else "    date: 2023\n")
        + "    summary: {zh: 亲情, en: Family ties}\n"
        + "    source: {section: culture, excerpt: 亲情}\n"
        for i in range(1000))
    (data_copy / "initiatives.yaml").write_text(text[:head] + chain + text[head:], encoding="utf-8")
    with pytest.raises(DataError) as err:
        check(data_copy / "initiatives.yaml")
    assert "the 'after' chain is too long (51 activities" in err.value.report()
    # The order itself is a loop, not recursion: a chain of any length is ordered.
    records = [SimpleNamespace(id=f"a{i}", after=f"a{i - 1}" if i else None, date="2023") for i in range(5000)]
    data = SimpleNamespace(activities=records, index=lambda _: {r.id: r for r in records})
    order = formatting.activity_order(data)
    assert sorted(order, key=order.get) == [r.id for r in records]


# --- where the build may write -------------------------------------------------------------


def test_confined_refuses_every_way_out(tmp_path):
    root = tmp_path / "site"
    root.mkdir()
    (tmp_path / "elsewhere").mkdir()
    (root / "link").symlink_to(tmp_path / "elsewhere")
    assert confined(root, "en/") == root.resolve() / "en"
    for target in ("../", "../../victim/", "/en/", "/", "", ".", "en/../..", "link/inside"):
        with pytest.raises(UnsafePath):
            confined(root, target)
    with pytest.raises(UnsafePath):
        remove_tree(root, "..")
    assert (tmp_path / "elsewhere").is_dir()


def test_terminal_shows_control_and_invisible_characters():
    assert terminal("a\x1b[31mb\u202ec\x00\nd") == "a<U+001B>[31mb<U+202E>c<U+0000>\nd"


def test_the_template_cache_is_used_only_when_it_is_private(tmp_path, monkeypatch):
    monkeypatch.setattr(render.tempfile, "gettempdir", lambda: str(tmp_path))
    folder = tmp_path / f"qinqing-jinja-{os.getuid()}"
    assert render._bytecode_cache() is not None
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    folder.chmod(0o777)  # as another user's planted folder would be
    assert render._bytecode_cache() is None
    folder.rmdir()
    (tmp_path / "planted").mkdir(mode=0o700)
    folder.symlink_to(tmp_path / "planted")
    assert render._bytecode_cache() is None


# --- builds: all or nothing ----------------------------------------------------------------


@pytest.fixture
def project_with_site(tmp_path):
    """A private project with a previous site/ in it, and a sentinel folder beside the project
    that no build may touch."""
    sentinel = tmp_path / "sentinel"
    sentinel.mkdir()
    (sentinel / "keep.txt").write_text("keep", encoding="utf-8")
    project = copy_project(tmp_path / "project")
    site = project / "site"
    site.mkdir()
    (site / "index.html").write_text("previous", encoding="utf-8")
    return project, sentinel


def _qinqing_build(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "qinqing.cli", "build", "--quiet", *args], cwd=project,
                          capture_output=True, text=True, timeout=600,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})


def _untouched(project: Path, sentinel: Path) -> None:
    assert (project / "site" / "index.html").read_text(encoding="utf-8") == "previous"
    assert sorted(p.name for p in (project / "site").iterdir()) == ["index.html"]
    assert (sentinel / "keep.txt").read_text(encoding="utf-8") == "keep"
    assert sorted(p.name for p in sentinel.parent.iterdir()) == ["project", "sentinel"]
    assert not [p.name for p in project.iterdir() if p.name.startswith((".site-", ".qinqing-"))]


@pytest.mark.build
@pytest.mark.parametrize("case", ["path-parent", "path-two-up", "path-absolute"])
def test_a_hostile_table_path_stops_the_build_and_touches_nothing(case, project_with_site):
    project, sentinel = project_with_site
    old, new, words, _ = TABLE_CASES[case]
    _write_table(project / "data", old, new)
    result = _qinqing_build(project, "--strict")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and words in result.stderr
    _untouched(project, sentinel)
    # Plain MkDocs on the base config stops before cleaning site/ too (the base config is no
    # language's project: it says to run qinqing build).
    plain = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet"], cwd=project, capture_output=True,
                           text=True, timeout=600, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert plain.returncode == 1 and "Traceback" not in plain.stderr
    assert "run qinqing build" in plain.stdout + plain.stderr
    _untouched(project, sentinel)


@pytest.mark.build
def test_a_build_that_fails_in_the_engine_leaves_the_previous_site(project_with_site):
    """Valid data, but the engine stops once it has cleaned its output and written pages (a page
    it cannot read)."""
    project, sentinel = project_with_site
    (project / "docs" / "broken.md").write_bytes(b"# Broken \xff\n")
    result = _qinqing_build(project, "--strict")
    assert result.returncode == 1, result.stderr
    assert "the build failed; site is as it was" in result.stderr
    _untouched(project, sentinel)


@pytest.mark.build
def test_a_complete_build_replaces_the_site(project_with_site):
    project, sentinel = project_with_site
    result = _qinqing_build(project, "--strict")
    assert result.returncode == 0, result.stderr
    assert "previous" not in (project / "site" / "index.html").read_text(encoding="utf-8")
    assert (project / "site" / "en" / "index.html").is_file() and (project / "site" / "zh-hant" / "index.html").is_file()
    assert not [p.name for p in project.iterdir() if p.name.startswith((".site-", ".qinqing-"))]
    assert (sentinel / "keep.txt").read_text(encoding="utf-8") == "keep"


@pytest.mark.build
def test_the_site_folder_must_lie_inside_the_project(project_with_site):
    project, sentinel = project_with_site
    result = _qinqing_build(project, "--site-dir", "../sentinel")
    assert result.returncode == 2 and "lies outside" in result.stderr
    assert (sentinel / "keep.txt").is_file()


def test_site_folders_of_the_table_check_match_a_real_build(site):
    """languages.SITE_FOLDERS (paths a language may not take) holds every top-level folder of
    the default edition."""
    codes_paths = {row.path.rstrip("/") for row in languages.load(DATA) if row.path}
    folders = {p.name for p in site.iterdir() if p.is_dir()} - codes_paths
    assert folders <= languages.SITE_FOLDERS, folders - languages.SITE_FOLDERS


def test_every_message_formats_in_both_languages():
    """A message with a stray brace would turn an editor's error into a traceback."""
    from qinqing.errors import _messages, render_message

    for code, entry in _messages().items():
        assert set(entry) == {"zh", "en"}, code
        text = render_message(code, {})
        assert " / " in text and "\n" not in text, code


@pytest.mark.parametrize("case", sorted(p.name for p in (ROOT / "tests" / "invalid").glob("*.yaml")), ids=str)
def test_validate_exits_1_with_the_corpus_message_and_no_traceback(case, tmp_path, monkeypatch, capsys):
    """Each case of the corpus through the command an editor runs: exit 1, the exact located
    message, the count, nothing else."""
    from qinqing.cli import main

    shutil.copytree(ROOT / "tests" / "invalid", tmp_path / "tests" / "invalid")
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "--strict", f"tests/invalid/{case}"]) == 1
    err = capsys.readouterr().err.splitlines()
    expected = [line for line in (ROOT / "tests" / "invalid" / "expected.txt").read_text(encoding="utf-8").splitlines()
                if line.startswith(f"tests/invalid/{case}:")]
    if case.startswith("faith-"):
        assert err == expected + ["共1条提示（--strict 视为错误） / 1 warning(s), errors under --strict"]
    else:
        assert err == expected + ["1 个错误 / 1 error(s)"]


def test_a_site_left_out_by_an_interrupted_swap_is_put_back(tmp_path):
    """A build stopped between taking the previous site out and putting the new one in leaves
    the previous site in `.site-old-…/site`: the next build puts it back, never deletes it."""
    from qinqing.build import clear_leftovers

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True).stdout.strip()
    kept = tmp_path / f".site-old-{dead}-ab12cd_3" / "site"
    kept.mkdir(parents=True)
    (kept / "index.html").write_text("previous", encoding="utf-8")
    clear_leftovers(tmp_path, site=tmp_path / "site")
    assert (tmp_path / "site" / "index.html").read_text(encoding="utf-8") == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


@pytest.mark.build
def test_an_interrupted_build_stops_its_engines_and_leaves_the_site(project_with_site):
    """Ctrl+C while the engines run: they stop, no language not yet started starts, the scratch
    folder goes and the previous site stays."""
    import signal
    import time

    project, sentinel = project_with_site
    proc = subprocess.Popen([sys.executable, "-m", "qinqing.cli", "build", "--quiet", "--jobs", "1"], cwd=project,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    deadline = time.monotonic() + 120
    while not list(project.glob(".site-scratch-*/built")) and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    assert proc.poll() is None, "the build ended before its engines ran"
    proc.send_signal(signal.SIGINT)
    proc.communicate(timeout=120)
    assert proc.returncode != 0
    _untouched(project, sentinel)
    engines = subprocess.run(["pgrep", "-f", str(project / ".site-scratch-")], capture_output=True, text=True).stdout
    assert engines.strip() == ""


def test_leftovers_of_an_interrupted_build_are_cleared_and_a_running_ones_kept(tmp_path):
    from qinqing.build import clear_leftovers

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True).stdout.strip()
    names = [f".site-scratch-{dead}-ab12cd_3", f".qinqing-zh-hant-{dead}-x9y8z7w6", f"qinqing-configs-{dead}-q1w2e3r4",
             f".site-old-{os.getpid()}-keepme12", "site", ".qinqing-notes"]
    for name in names:
        (tmp_path / name).mkdir()
    removed = clear_leftovers(tmp_path)
    assert sorted(p.name for p in removed) == sorted(names[:3])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names[3:])


@pytest.mark.build
def test_serve_shows_the_located_errors_on_every_address_and_recovers(tmp_path):
    """`./dev serve` with bad data answers every address with the errors (escaped), instead of
    leaving the browser waiting; fixing the file brings the site back."""
    import socket
    import time
    import urllib.error
    import urllib.request

    project = copy_project(tmp_path / "project")
    data = project / "data" / "initiatives.yaml"
    good = data.read_text(encoding="utf-8")
    bad = good.replace("    date: 2023-02-03\n", '    date: 2203-02-03\n', 1).replace(
        "    title: {zh: 亲情文化, en: Family ties through culture}\n",
        '    title: {zh: 亲情文化, en: "Family ties <script>window.__pwned = 1</script>"}\n    colour: red\n', 1)
    assert bad != good
    data.write_text(bad, encoding="utf-8")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "qinqing.cli", "serve", "--port", str(port)],
                            cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})

    def get(path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode("utf-8")
        except OSError:
            return 0, ""

    def wait_for(condition, seconds: float = 120) -> tuple[int, str]:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            result = get("/en/activities/")
            if condition(*result):
                return result
            time.sleep(0.5)
        raise AssertionError(f"timed out: {get('/en/activities/')[0]}")

    try:
        status, body = wait_for(lambda status, body: "data/initiatives.yaml:" in body)
        # Only requests addressed to the loopback: a rebinding page elsewhere reads nothing.
        request = urllib.request.Request(f"http://127.0.0.1:{port}/", headers={"Host": "attacker.example"})
        try:
            urllib.request.urlopen(request, timeout=10)
            raise AssertionError("a request for another host was answered")
        except urllib.error.HTTPError as exc:
            assert exc.code == 403
        assert "out of range (1900–2099)" in body and html.escape("unknown field 'colour'") in body
        main = body.split("</main>")[0]
        assert get("/")[1].split("</main>")[0] == get("/stations/nowhere/")[1].split("</main>")[0] == main
        assert "<script>window.__pwned" not in body
        data.write_text(good, encoding="utf-8")
        status, body = wait_for(lambda status, body: status == 200)
        assert 'lang="en"' in body and "data/initiatives.yaml:" not in body
    finally:
        proc.terminate()
        proc.wait(timeout=30)


# Values the theme's overrides print that are not text from an editable file, each with why.
TRUSTED_IN_OVERRIDES = {
    "super()": "the theme's own block",
    "body": "the theme's own block (super()) with the notice below inserted",
    "ld | tojson": "Jinja's tojson: JSON with <, >, & and ' escaped for a script element",
    "sep": "the footer's cite_sep, escaped (| e) where it is set",
    "notice": "main.html's converted-edition line, every value in it escaped (| e) where it is made",
    "page.canonical_url": "site_url (mkdocs.yml or SITE_URL) and the page's path (ids are slugs)",
    "description": "page.meta.description is escaped by the renderer (front matter); site_description by project.apply",
    "page.meta.title if page and page.meta and page.meta.title else config.site_name":
        "the same: escaped by the renderer and by project.apply",
    "config.extra.qinqing.inline_css": "the theme's stylesheet as the tuning layer cut it",
    "option.media": "mkdocs.yml's palette", "loop.index0": "a number",
    "scheme | replace(' ', '-')": "mkdocs.yml's palette", "primary | replace(' ', '-')": "mkdocs.yml's palette",
    "accent | replace(' ', '-')": "mkdocs.yml's palette", "loop.index % loop.length": "a number",
    "file.page.update_date": "a date the build computes", "lang.t('select.language')": "the theme's own strings",
    # partials/header.html, the theme's own with the search replaced, kept as the theme writes it:
    "class": "a constant of the template", "lang.t('header')": "the theme's own strings",
    "config.site_name": "escaped by project.apply (the stock header writes it so)",
    "page.meta.title": "escaped by the renderer (front matter)", "page.title": "the front matter's title, escaped by the renderer",
    "page.title | striptags": "the front matter's title (escaped by the renderer) or a nav title (escaped by "
                              "render.navigation), its tags stripped as the theme's own title does",
}


def test_theme_overrides_escape_every_value():
    """No template of the theme's overrides writes a value from the data or the languages table
    unescaped: each {{ … }} is escaped (| e), a URL (| url), or listed above with its reason."""
    unescaped = []
    for path in sorted((ROOT / "overrides").rglob("*.html")) + sorted((ROOT / "overrides").rglob("*.xml")):
        text = re.sub(r"\{#.*?#\}", "", path.read_text(encoding="utf-8"), flags=re.S)
        for expr in re.findall(r"\{\{-?\s*(.*?)\s*-?\}\}", text, flags=re.S):
            if re.search(r"\|\s*(e|escape|url)\s*\)?$", expr) or expr in TRUSTED_IN_OVERRIDES:
                continue
            if path.name == "language.html" and expr.count("| e if key") == 2:
                continue
            unescaped.append(f"{path.relative_to(ROOT)}: {{{{ {expr} }}}}")
    assert unescaped == []


@pytest.mark.build
def test_the_whole_build_runs_on_properdocs_too(project_with_site):
    """The engine is a setting: ProperDocs (the maintained MkDocs fork) builds every language,
    the other languages' processes included, with the same hook."""
    project, sentinel = project_with_site
    result = _qinqing_build(project, "--strict", "--engine", "properdocs")
    assert result.returncode == 0, result.stderr
    for path, tag in (("index.html", "zh-Hans"), ("en/index.html", "en"), ("zh-hant/index.html", "zh-Hant")):
        assert f'<html lang="{tag}"' in (project / "site" / path).read_text(encoding="utf-8")
    # The post-build step ran over the ProperDocs site too: its search index, every edition.
    entry = json.loads((project / "site" / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert set(entry["languages"]) == {"zh-hans", "en", "zh-hant"}
    assert (project / "site" / "zh-hant" / "assets" / "search-variants.json").is_file()
    assert (sentinel / "keep.txt").is_file()
