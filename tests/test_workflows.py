"""The GitHub workflows pass the linters, offline: zizmor (nothing at medium severity or above)
and actionlint; every action is pinned to a commit with its version beside it."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def tool(name: str) -> str:
    found = shutil.which(name) or shutil.which(name, path=str(Path(sys.executable).parent))
    if not found:
        pytest.fail(f"{name} is missing: install requirements/ci.txt (./dev check does)")
    return found


def test_zizmor_finds_nothing_at_medium_or_above():
    result = subprocess.run([tool("zizmor"), "--offline", "--no-progress", "--min-severity", "medium",
                             *map(str, WORKFLOWS)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


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
