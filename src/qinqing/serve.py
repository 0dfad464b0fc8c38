"""`qinqing serve`: the preview. The whole site, every language, as `qinqing build` makes it,
served on the loopback and made again whenever a file of the project changes.

Each rebuild is `qinqing build` in a process of its own (nothing of an earlier build's data
stays in memory), into `.preview/site` (a folder of the project, replaced only by a complete
build, as `site/` is). The server serves that folder; every HTML page it sends carries a small
script that asks the server for the build's number every half second and reloads the page when
it changes. While the files are wrong (bad data, a failed build) every address answers with
the build's messages, escaped, until they are fixed.
"""

from __future__ import annotations

import argparse
import functools
import html
import http.server
import subprocess
import sys
import threading
import time
from pathlib import Path

from qinqing.errors import bilingual
from qinqing.safety import terminal

PREVIEW = Path(".preview") / "site"
# What a rebuild follows: the data, the pages' static files, the theme's overrides, the adapter
# and the base config.
WATCHED = ("data", "docs", "overrides", "hooks", "mkdocs.yml")
STATE_PATH = "/.qinqing/build"


def reload_script(number: int) -> str:
    """The script each served page carries: it reloads the page once the build's number is no
    longer the one the page was served with."""
    return (f'<script>(function () {{ setInterval(function () {{ fetch("{STATE_PATH}")'
            f'.then(function (r) {{ return r.text(); }}).then(function (n) {{ if (n !== "{int(number)}") '
            'location.reload(); }).catch(function () {}); }, 500); })();</script>')


def _with_reload(html: bytes, number: int) -> bytes:
    at = html.rfind(b"</body>")
    script = reload_script(number).encode()
    return html + script if at < 0 else html[:at] + script + html[at:]


class Preview:
    """The state the server shows: the build's number, and the last failure's messages."""

    def __init__(self) -> None:
        self.number = 0
        self.failure: str | None = None
        self.lock = threading.Lock()

    def done(self, failure: str | None) -> None:
        with self.lock:
            self.number += 1
            self.failure = failure


def _stamp(root: Path) -> tuple:
    """Every watched file's name, size and modification time."""
    found = []
    for name in WATCHED:
        path = root / name
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else []
        for file in files:
            try:
                stat = file.stat()
            except OSError:
                continue
            found.append((str(file), stat.st_size, stat.st_mtime_ns))
    return tuple(found)


def _rebuild(args: argparse.Namespace, root: Path) -> str | None:
    """One `qinqing build` into the preview folder; None on success, else what it printed."""
    command = [sys.executable, "-m", "qinqing.cli", "build", str(args.path), "--project", str(root),
               "--site-dir", str(PREVIEW), "--engine", args.engine, "--quiet"]
    if args.strict:
        command.append("--strict")
    if not args.tuning:
        command.append("--no-tuning")
    if args.jobs:
        command += ["--jobs", str(args.jobs)]
    result = subprocess.run(command, cwd=Path.cwd(), capture_output=True, text=True, errors="replace")
    output = (result.stdout + result.stderr).strip()
    return None if result.returncode == 0 else output or f"exit {result.returncode}"


def _failure_page(text: str, number: int) -> bytes:
    title, hint = html.escape(bilingual("serve_failure_title")), html.escape(bilingual("serve_failure_hint"))
    return ("<!doctype html>\n<html lang=\"zh-Hans\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{title}</title></head><body><main>"
            f"<h1>{title}</h1>"
            f"<p>{hint}</p>"
            f"<pre>{html.escape(terminal(text))}</pre></main>{reload_script(number)}</body></html>\n").encode()


class _Handler(http.server.SimpleHTTPRequestHandler):
    preview: Preview

    def log_message(self, *args) -> None:  # the terminal is for the builds' messages
        pass

    def do_GET(self) -> None:
        # Only requests addressed to this server by its loopback name: a page elsewhere that
        # rebinds its own name to 127.0.0.1 cannot read the preview (or its error messages).
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0]
        if host not in ("127.0.0.1", "localhost"):
            return self._send(403, "text/plain; charset=utf-8", b"forbidden\n")
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        with self.preview.lock:
            number, failure = self.preview.number, self.preview.failure
        if path == STATE_PATH:
            return self._send(200, "text/plain; charset=utf-8", str(number).encode())
        if failure is not None:
            return self._send(503, "text/html; charset=utf-8", _failure_page(failure, number))
        local = Path(self.translate_path(path))
        if local.is_dir() and path.endswith("/"):
            local = local / "index.html"
        if local.suffix == ".html" and local.is_file():
            return self._send(200, "text/html; charset=utf-8", _with_reload(local.read_bytes(), number))
        if not local.exists() and not local.is_dir():
            missing = Path(self.directory) / "404.html"
            if missing.is_file():
                return self._send(404, "text/html; charset=utf-8", _with_reload(missing.read_bytes(), number))
        return super().do_GET()

    def _send(self, status: int, kind: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)


def serve(args: argparse.Namespace) -> int:
    root = args.project.resolve()
    site = root / PREVIEW
    preview = Preview()
    print(f"qinqing: {bilingual('serve_building')}", file=sys.stderr, flush=True)
    stamp = _stamp(root)
    preview.done(_rebuild(args, root))
    if preview.failure:
        print(terminal(preview.failure), file=sys.stderr, flush=True)
    site.mkdir(parents=True, exist_ok=True)
    handler = type("Handler", (_Handler,), {"preview": preview})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), functools.partial(handler, directory=str(site)))
    address = f"http://127.0.0.1:{server.server_address[1]}/"
    print(f"qinqing: {bilingual('serve_preview')}: {address} ({bilingual('serve_stop')})", file=sys.stderr, flush=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        while True:
            time.sleep(0.3)
            now = _stamp(root)
            if now == stamp:
                continue
            time.sleep(0.1)  # an editor saving in two steps
            stamp = _stamp(root)
            started = time.perf_counter()
            failure = _rebuild(args, root)
            preview.done(failure)
            if failure:
                print(terminal(failure), file=sys.stderr, flush=True)
            else:
                seconds = f"{time.perf_counter() - started:.1f}"
                print("qinqing: " + bilingual("serve_rebuilt", seconds=seconds), file=sys.stderr, flush=True)
    except KeyboardInterrupt:
        return 0
    finally:
        server.shutdown()
        server.server_close()


__all__ = ["PREVIEW", "serve"]
