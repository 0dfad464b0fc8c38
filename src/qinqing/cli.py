"""The `qinqing` command: validate the data, or render the pages without MkDocs.

    qinqing validate [PATH] [--strict]     exit 0 valid, 1 invalid, 2 usage
    qinqing schema [--out FILE]            writes the JSON Schema editors' tools read
    qinqing render --out DIR [PATH]        writes DIR/<code>/ for each language: a complete
                                           project (mkdocs.yml, docs/, overrides/, hooks/)
    qinqing diff OLD NEW | diff REF [--json]  what changed between two data files, or between
                                           git REF and the working tree (exit 1 bad data, 2 bad ref)
    qinqing build [--strict] [--engine mkdocs|properdocs] [--jobs N] [--no-tuning] [--site-dir site]
                                           check everything, then build every language into
                                           site/, replaced only by a complete build
    qinqing serve [--port 8000] [build options]
                                           build into .preview/site, serve it, rebuild and
                                           reload the browser on every edit
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import NoReturn

from qinqing.build import ENGINES
from qinqing.engines import card, project
from qinqing.errors import DataError, bilingual, display_path, render_message
from qinqing.i18n import languages
from qinqing.ingest.model import schema_text
from qinqing.ingest.validation import check, icons_in, unknown_icons
from qinqing.pages.site import SiteData
from qinqing.safety import terminal

DEFAULT_DATA = Path("data/initiatives.yaml")
# Marks a folder `qinqing render --out` wrote, which a later render may replace.
RENDERED = ".qinqing-render"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # usage errors exit 2, as argparse does, in both languages
        self.print_usage(sys.stderr)
        print(f"qinqing: {bilingual('cli_usage_error')}: {message}", file=sys.stderr)
        raise SystemExit(2)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="qinqing", description=bilingual("cli_description"))
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    v = sub.add_parser("validate", help=bilingual("cli_help_validate"))
    v.add_argument("path", nargs="?", type=Path, default=DEFAULT_DATA)
    v.add_argument("--strict", action="store_true",
                   help=bilingual("cli_help_validate_strict"))
    r = sub.add_parser("render", help=bilingual("cli_help_render"))
    r.add_argument("path", nargs="?", type=Path, default=DEFAULT_DATA)
    r.add_argument("--out", type=Path, required=True, help=bilingual("cli_help_render_out"))
    r.add_argument("--strict", action="store_true")
    r.add_argument("--site-url", default=os.environ.get("SITE_URL", "https://qinqing.example.org/"),
                   help=bilingual("cli_help_render_site_url"))
    r.add_argument("--project", type=Path, default=Path("."),
                   help=bilingual("cli_help_render_project"))
    r.add_argument("--no-tuning", dest="tuning", action="store_false", default=_tuning_default(),
                   help=bilingual("cli_help_render_no_tuning"))
    r.add_argument("--assets", type=Path, default=Path("docs"),
                   help=bilingual("cli_help_render_assets"))
    d = sub.add_parser("diff", help=bilingual("cli_help_diff"))
    d.add_argument("old", help=bilingual("cli_help_diff_old"))
    d.add_argument("new", nargs="?", type=Path,
                   help=bilingual("cli_help_diff_new"))
    d.add_argument("--data", type=Path, default=DEFAULT_DATA, help=bilingual("cli_help_diff_data"))
    d.add_argument("--json", action="store_true", help=bilingual("cli_help_diff_json"))
    b = sub.add_parser("build", help=bilingual("cli_help_build"))
    b.add_argument("path", nargs="?", type=Path, default=DEFAULT_DATA)
    _build_options(b)
    b.add_argument("--site-dir", type=Path, default=Path("site"), help=bilingual("cli_help_site_dir"))
    s = sub.add_parser("serve", help=bilingual("cli_help_serve"))
    s.add_argument("path", nargs="?", type=Path, default=DEFAULT_DATA)
    _build_options(s)
    s.add_argument("--port", type=int, default=8000, help=bilingual("cli_help_port"))
    sc = sub.add_parser("schema", help=bilingual("cli_help_schema"))
    sc.add_argument("--out", type=Path, default=Path("schema/initiatives.schema.json"))
    return parser


def _tuning_default() -> bool:
    return os.environ.get("QINQING_TUNING", "1") != "0"


def _build_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--strict", action="store_true", help=bilingual("cli_help_strict"))
    p.add_argument("--quiet", action="store_true")
    p.add_argument("--engine", choices=ENGINES, default=os.environ.get("QINQING_ENGINE", "mkdocs"),
                   help=bilingual("cli_help_engine"))
    p.add_argument("--no-tuning", dest="tuning", action="store_false", default=_tuning_default(),
                   help=bilingual("cli_help_no_tuning"))
    p.add_argument("--jobs", type=int, default=None,
                   help=bilingual("cli_help_jobs"))
    p.add_argument("--project", type=Path, default=Path("."), help=bilingual("cli_help_project"))


def _report(exc: DataError, file: str | None = None) -> None:
    file = file or display_path(exc.path)
    print(exc.report(file), file=sys.stderr)
    if os.environ.get("GITHUB_ACTIONS"):
        for issue in exc.issues:
            print(issue.github_annotation(file))
    print(bilingual("cli_errors", n=len(exc.issues)), file=sys.stderr)


def _theme_icons():
    """Whether an icon exists in the installed theme, as the build checks; None without the theme."""
    # Located, not imported: the core stays free of MkDocs and its theme.
    spec = importlib.util.find_spec("material")
    if spec is None or not spec.submodule_search_locations:
        return None
    return icons_in([Path(list(spec.submodule_search_locations)[0]) / "templates" / ".icons"])


def _theme_languages(project: Path):
    """Whether the theme, or the project's overrides, has strings for a language code (as the
    build looks them up); None without the theme."""
    spec = importlib.util.find_spec("material")
    if spec is None or not spec.submodule_search_locations:
        return None
    folders = [project / "overrides" / "partials" / "languages", Path("overrides") / "partials" / "languages",
               Path(list(spec.submodule_search_locations)[0]) / "templates" / "partials" / "languages"]
    return lambda code: any((folder / f"{code}.html").is_file() for folder in folders)


def _validate(path: Path, strict: bool):
    try:
        checked = check(path)
        # The project's folder: the one holding the languages table's data/ folder.
        has_language = _theme_languages(languages.table_file(path).parent.parent)
        if has_language is not None:
            table = checked.languages
            issues = languages.unknown_themes(table, has_language)
            if issues:
                raise DataError(languages.table_file(table.data_file), issues)
        exists = _theme_icons()
        if exists is not None:
            issues = unknown_icons(checked, exists)
            if issues:
                raise DataError(checked.path, issues)
    except DataError as exc:
        _report(exc)
        return None
    file = display_path(checked.path)
    for warning in checked.warnings:
        print(warning.line_text(file), file=sys.stderr)
        if os.environ.get("GITHUB_ACTIONS"):
            print(warning.github_annotation(file))
    if strict and checked.warnings:
        print(render_message("strict_warnings", {"n": len(checked.warnings)}), file=sys.stderr)
        return None
    return checked


def _diff(args: argparse.Namespace) -> int:

    from qinqing.diff import RefError, data_at_ref, diff_files, json_text, markdown

    try:
        if args.new is None:
            with data_at_ref(args.old, args.data) as (old, name):
                result = diff_files(old, args.data, name, display_path(args.data))
        else:
            result = diff_files(Path(args.old), args.new, display_path(Path(args.old)), display_path(args.new))
    except RefError as exc:
        print(f"qinqing: {bilingual('cli_ref_error')} {exc}", file=sys.stderr)
        return 2
    except DataError as exc:
        _report(exc, getattr(exc, "display", None))
        return 1
    if args.json:
        print(json_text(result))
    else:
        print(markdown(result), end="")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "schema":
        args.out.parent.mkdir(parents=True, exist_ok=True)
        # The texts' keys: zh, en and any further written language of the languages table.
        try:
            further = languages.load(DEFAULT_DATA).further_fields()
        except DataError as exc:
            _report(exc)
            return 1
        args.out.write_text(schema_text(further), encoding="utf-8")
        print(f"{args.out}")
        return 0
    if args.command == "diff":
        return _diff(args)
    if args.command == "serve":  # it checks the data at every rebuild, and shows what is wrong
        from qinqing.serve import serve

        return serve(args)
    checked = _validate(args.path, args.strict)
    if checked is None:
        return 1
    if args.command == "validate":
        print(f"{display_path(checked.path)}: {bilingual('cli_valid')}")
        return 0
    site = SiteData(path=checked.path, checked=checked)
    if args.command == "build":
        from qinqing.build import UnsafePath, build

        try:
            code = build(args.project, args.site_dir, site, engine=args.engine, strict=args.strict,
                         quiet=args.quiet, tuning=args.tuning, jobs=args.jobs)
        except UnsafePath as exc:
            print(f"qinqing: {terminal(exc)}", file=sys.stderr)
            return 2
        if code:
            print("qinqing: " + bilingual("cli_build_failed", site=terminal(args.site_dir)), file=sys.stderr)
            return 1
        return 0
    # Render everything in a scratch folder first, then swap it in: a failure never leaves
    # a half-written output folder behind.
    out: Path = args.out
    # Only a folder `render` wrote (or none, or an empty one) is replaced: `--out .` must never
    # delete a repository.
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / RENDERED).is_file())):
        print("qinqing: " + bilingual("cli_render_refused", out=terminal(out)), file=sys.stderr)
        return 2
    out.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".qinqing-", dir=out.parent))
    try:
        # One complete project per language: DIR/<code>/mkdocs.yml, docs/, overrides/ and the
        # adapter in hooks/, which `mkdocs build` (or ProperDocs) builds as `qinqing build` does.
        share_card = card.png()  # the same image in every edition: drawn once
        count = sum(project.write(scratch / lang, lang, site, args.project.resolve(), args.site_url,
                                  share_card=share_card,
                                  tuning=args.tuning, assets=args.assets) for lang in site.languages.codes())
        (scratch / RENDERED).write_text("qinqing render --out\n", encoding="utf-8")
        if out.exists():
            shutil.rmtree(out)
        scratch.rename(out)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(bilingual("cli_pages_written", count=count, out=out))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
