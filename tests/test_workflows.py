"""The GitHub workflows pass the linters, offline: zizmor over the whole of .github/ (workflows and
dependabot.yml, nothing at medium severity or above) and actionlint; every action is pinned to a
commit with its version beside it. The comment workflow's truncation, the deploy's branch
condition and the ignored scratch folders are checked by what they do."""

from __future__ import annotations

import copy
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

GITHUB = ROOT / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))
DEPENDABOT = GITHUB / "dependabot.yml"


def tool(name: str) -> str:
    found = shutil.which(name) or shutil.which(name, path=str(Path(sys.executable).parent))
    if not found:
        pytest.fail(f"{name} is missing: install requirements/ci.txt (./dev check does)")
    return found


def zizmor(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run([tool("zizmor"), "--offline", "--no-progress", "--min-severity", "medium", str(folder)],
                          capture_output=True, text=True, timeout=120)


def test_zizmor_finds_nothing_at_medium_or_above():
    """The whole .github/ folder: every workflow and dependabot.yml."""
    result = zizmor(GITHUB)
    assert result.returncode == 0, result.stdout + result.stderr
    for path in [*WORKFLOWS, DEPENDABOT]:
        assert f"completed {path}" in result.stderr, result.stderr


def test_zizmor_reads_dependabot_yml(tmp_path):
    """A dependabot.yml without its cooldown fails the same run (the linter does look at it)."""
    folder = tmp_path / ".github"
    folder.mkdir()
    config = yaml.safe_load(DEPENDABOT.read_text(encoding="utf-8"))
    for update in config["updates"]:
        update.pop("cooldown")
    (folder / "dependabot.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    result = zizmor(folder)
    assert result.returncode != 0 and result.stdout.count("dependabot-cooldown") >= len(config["updates"]), \
        result.stdout + result.stderr


def test_every_dependabot_update_waits_a_week():
    config = yaml.safe_load(DEPENDABOT.read_text(encoding="utf-8"))
    assert config["version"] == 2 and config["updates"]
    # The keys GitHub's schema allows in `cooldown` (dependabot-2.0).
    allowed = {"default-days", "semver-major-days", "semver-minor-days", "semver-patch-days", "include", "exclude"}
    for update in config["updates"]:
        cooldown = update["cooldown"]
        assert set(cooldown) <= allowed, update["package-ecosystem"]
        assert isinstance(cooldown["default-days"], int) and 7 <= cooldown["default-days"] <= 90


def test_actionlint_passes():
    result = subprocess.run([tool("actionlint"), "-no-color", *map(str, WORKFLOWS)], capture_output=True,
                            text=True, timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actions_pinned_no_persisted_credentials_permissions_per_job():
    assert WORKFLOWS
    for path in WORKFLOWS:
        text = path.read_text(encoding="utf-8")
        for line in re.findall(r"uses:.*", text):
            assert re.fullmatch(r"uses: [\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+", line), (path.name, line)
        flow = yaml.safe_load(text)
        assert flow["permissions"] == {}, path.name
        for name, job in flow["jobs"].items():
            assert "permissions" in job, (path.name, name)
            for step in job["steps"]:
                if step.get("uses", "").startswith("actions/checkout@"):
                    assert step["with"]["persist-credentials"] is False, (path.name, name)


def test_every_lock_holds_what_pyproject_asks_for():
    """requirements/<extra>.txt pins each direct dependency at pyproject's version, with hashes
    (after an edit of pyproject.toml: ./dev lock)."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]

    def direct(extra: str) -> list[str]:
        out = list(project["dependencies"])
        for req in extras[extra]:
            nested = re.fullmatch(r"qinqing\[(\w+)\]", req)
            out += direct(nested.group(1)) if nested else [req]
        return out

    def norm(name: str) -> str:
        return re.sub(r"[-_.]+", "-", name).lower()

    for extra in extras:
        lock = (ROOT / "requirements" / f"{extra}.txt").read_text(encoding="utf-8")
        pinned = {norm(n): v for n, v in re.findall(r"^([A-Za-z0-9_.-]+)==(\S+) \\$", lock, re.M)}
        assert pinned and lock.count("--hash=sha256:") >= len(pinned), extra
        for req in direct(extra):
            match = re.fullmatch(r"([A-Za-z0-9_.-]+)(?:\[[\w,]+\])?\s*==\s*(\S+)", req)
            if match:
                name, version = match.groups()
                assert pinned.get(norm(name)) == version, f"requirements/{extra}.txt: {req} (run ./dev lock)"
            else:
                name = re.match(r"[A-Za-z0-9_.-]+", req).group()
                assert norm(name) in pinned, f"requirements/{extra}.txt lacks {req} (run ./dev lock)"


def test_deploy_jobs_run_only_on_main():
    """The deploy workflow deploys main only, by each job's own condition, whatever its triggers."""
    flow = yaml.safe_load((GITHUB / "workflows" / "deploy.yml").read_text(encoding="utf-8"))
    assert flow[True]["push"]["branches"] == ["main"]  # YAML 1.1 reads the key `on` as true
    for name, job in flow["jobs"].items():
        assert re.sub(r"\s+", " ", str(job.get("if", "")).strip()) in (
            "github.ref == 'refs/heads/main'", "${{ github.ref == 'refs/heads/main' }}"), name


def test_build_scratch_folders_are_ignored(tmp_path):
    ignored = [".qinqing-zh-hant-abc123/index.md", ".qinqing-en-x1y2/index.md", ".site-scratch-3f2a/index.html",
               ".site-old-9b1c/index.html", "site/index.html"]
    kept = ["src/qinqing/site.py", "data/initiatives.yaml", "docs/index.md", "hooks/qinqing_hook.py",
            ".github/dependabot.yml"]
    for path in ignored + kept:
        result = subprocess.run(["git", "check-ignore", "--no-index", "-q", path], cwd=ROOT, capture_output=True)
        assert result.returncode == (0 if path in ignored else 1), path


# --- the comment workflow cuts a long summary with the note visible -----------------------------


def _comment_script() -> str:
    flow = yaml.safe_load((GITHUB / "workflows" / "comment.yml").read_text(encoding="utf-8"))
    [run] = [s["run"] for s in flow["jobs"]["comment"]["steps"] if "python3 -" in s.get("run", "")]
    return re.search(r"<<'PY'\n(.*?)\nPY\n", run, re.S).group(1)


MARKER = "<!-- qinqing-data-summary -->"
RUN_URL = "https://github.com/o/r/actions/runs/1"
NOTE = "The summary is too long and was cut"


def _comment(folder: Path, summary: str, limit: int | None = None) -> str:
    """The comment the workflow's own script writes for `summary` (with another limit than
    GitHub's, to cut a real summary anywhere)."""
    (folder / "summary").mkdir(exist_ok=True)
    (folder / "summary" / "summary.md").write_text(summary, encoding="utf-8")
    script = _comment_script()
    if limit is not None:
        assert script.count("limit = 65536") == 1
        script = script.replace("limit = 65536", f"limit = {limit}")
    result = subprocess.run([sys.executable, "-", MARKER, RUN_URL], input=script, cwd=folder, text=True,
                            capture_output=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return (folder / "comment.md").read_text(encoding="utf-8")


def _open_blocks(text: str) -> tuple[int, bool]:
    """The <details> left open at the end of `text`, and whether a code fence is, read as
    GitHub reads them (lines indented by four spaces are code)."""
    details, fence = 0, None
    for line in text.split("\n"):
        stripped = line.lstrip(" ")
        if fence:
            if stripped.startswith(fence) and not stripped.strip(fence[0]).strip():
                fence = None
            continue
        if len(line) - len(stripped) >= 4:
            continue
        if re.match(r"`{3,}|~{3,}", stripped):
            fence = re.match(r"`{3,}|~{3,}", stripped).group()
        details += len(re.findall(r"<details[\s>]", stripped)) - len(re.findall(r"</details>", stripped))
    return details, fence is not None


def _assert_cut_well(comment: str, body: str, limit: int) -> None:
    assert len(comment) <= limit and comment.startswith(MARKER + "\n")
    before, _, after = comment.partition("\n\n…\n\n**")
    assert NOTE in after and after.endswith(".**\n"), comment[-300:]
    # Nothing left open before the note: it is shown, not folded into a <details> or code.
    assert _open_blocks(before) == (0, False), before[-400:]
    # Cut between two lines of the summary, whose open blocks were then closed.
    kept = before[len(MARKER) + 1:]
    closers = re.search(r"(\n```|\n~~~)?(\n\n</details>)*$", kept)
    kept = kept[: closers.start()] if closers.group() else kept
    assert body.startswith(kept) and body[len(kept):][:1] in ("\n", ""), (kept[-200:], body[len(kept):][:50])


@pytest.fixture(scope="module")
def real_summary(tmp_path_factory) -> str:
    """The summary `qinqing diff` writes for a change with added records (each with its
    folded content) and pages (the folded list of every page)."""
    from qinqing.diff import diff_files, markdown

    from conftest import DATA

    folder = tmp_path_factory.mktemp("summary") / "data"
    shutil.copytree(DATA.parent, folder)
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    for n, base in enumerate(data["activities"][:3]):
        added = {**copy.deepcopy(base), "id": f"test-added-{n}",
                 "title": {"zh": f"测试新增活动{n}", "en": f"Test added activity {n}"}}
        data["activities"].append(added)
    data["activities"][0]["title"]["en"] += " (revised)"
    (folder / "initiatives.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                                             encoding="utf-8")
    text = markdown(diff_files(DATA, folder / "initiatives.yaml"))
    assert text.count("<details>") >= 4 and "</details>" in text
    return text


def test_a_short_summary_is_posted_whole(tmp_path, real_summary):
    assert _comment(tmp_path, real_summary) == MARKER + "\n" + real_summary


def test_a_long_summary_is_cut_at_githubs_limit_with_the_note_visible(tmp_path, real_summary):
    body = real_summary * (70000 // len(real_summary) + 2)
    _assert_cut_well(_comment(tmp_path, body), body, 65536)


def test_a_summary_cut_anywhere_keeps_the_note_outside_every_block(tmp_path, real_summary):
    """Every place a real summary can be cut: inside a folded record, inside the folded list of
    pages, inside a table, between blocks."""
    script = _comment_script()
    smallest = len(MARKER) + 400
    for limit in range(smallest, len(real_summary) + len(MARKER), max(1, (len(real_summary) - smallest) // 150)):
        _assert_cut_well(_comment(tmp_path, real_summary, limit), real_summary, limit)
    assert script  # the same script every time


def test_the_error_summary_is_code_that_cannot_be_broken_out_of(tmp_path):
    """When the data is invalid, the report goes into the summary as an indented code block:
    a ``` or a <details> in it stays text, and a cut keeps the note visible."""
    flow = yaml.safe_load((GITHUB / "workflows" / "pull-request.yml").read_text(encoding="utf-8"))
    [step] = [s for s in flow["jobs"]["check"]["steps"] if s.get("name") == "Summary of the data change"]
    bin_folder = tmp_path / ".venv" / "bin"
    bin_folder.mkdir(parents=True)
    hostile = ["```", "<details>", "@everyone [x](https://evil.test)", "~~~", "</details>", "# heading", ""] * 40
    (bin_folder / "qinqing").write_text("#!/bin/sh\ncat report.txt >&2\nexit 1\n", encoding="utf-8")
    (bin_folder / "qinqing").chmod(0o755)
    (tmp_path / "report.txt").write_text("\n".join(hostile) + "\n", encoding="utf-8")
    result = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=tmp_path, capture_output=True, text=True,
                            env={"PATH": "/usr/bin:/bin", "BASE_SHA": "0" * 40, "PR_NUMBER": "7",
                                 "GITHUB_STEP_SUMMARY": str(tmp_path / "step-summary.md")}, timeout=60)
    assert result.returncode == 0, result.stderr
    summary = (tmp_path / "summary" / "summary.md").read_text(encoding="utf-8")
    report = summary.split("The data has errors: see the annotations of this check.\n\n", 1)[1]
    assert all(line.startswith("    ") for line in report.splitlines()), report[:300]
    assert _open_blocks(summary) == (0, False)
    comment = _comment(tmp_path, summary, 1200)
    _assert_cut_well(comment, summary, 1200)
