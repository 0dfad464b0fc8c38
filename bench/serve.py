"""Edit-to-browser latency of `qinqing serve` (./dev serve) on the real data.

    python bench/serve.py [--edits 5]

Starts `qinqing serve` on a copy of the project, opens an English detail page in
headless Chromium, then edits its title in data/initiatives.yaml several times and measures,
for each edit, the time from saving the file until the open page shows the new title (live
reload included). Prints each time and the median.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
TITLE = 'en: "A New Year call on Taiwan-funded enterprises in Shanghai"'


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edits", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="qinqing-serve-") as tmp:
        project = Path(tmp)
        shutil.copy2(ROOT / "mkdocs.yml", project / "mkdocs.yml")
        for name in ("docs", "data", "hooks", "overrides"):
            shutil.copytree(ROOT / name, project / name)
        data = project / "data" / "initiatives.yaml"
        original = data.read_text(encoding="utf-8")
        if TITLE not in original:
            raise SystemExit(f"bench/serve.py: {TITLE!r} is no longer in the data; update TITLE")
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "qinqing.cli", "serve", "--port", str(port)],
            cwd=project, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )
        try:
            url = f"http://127.0.0.1:{port}/en/activities/shanghai-new-year-visit/"
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=[
                    "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
                page = browser.new_page()
                for _ in range(120):
                    try:
                        page.goto(url)
                        if page.locator("h1").count():
                            break
                    except Exception:
                        pass
                    time.sleep(0.5)
                times = []
                for i in range(args.edits):
                    marker = f"Edited title {i}"
                    data.write_text(original.replace(TITLE, f'en: "{marker}"'), encoding="utf-8")
                    start = time.perf_counter()
                    page.wait_for_function(
                        "m => document.querySelector('h1') && document.querySelector('h1').textContent.includes(m)",
                        arg=marker, timeout=60000)
                    times.append(time.perf_counter() - start)
                    print(f"edit {i + 1}: {times[-1]:.2f} s", flush=True)
                    time.sleep(1.0)
                browser.close()
            print(f"median edit-to-browser time: {statistics.median(times):.2f} s over {len(times)} edits")
        finally:
            server.terminate()
            server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
