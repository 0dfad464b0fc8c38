"""What the build does to Material's own output, kept apart from the hook's events.

- HTML: the templates' indentation collapsed in their source as they load; blank lines out
  of each rendered page; tables wrapped as the theme's script would wrap them (no layout
  shift when it starts). The markup the checkers reject is fixed apart (qinqing_markup.py):
  that is part of the site, tuned or not.
- Stylesheets: the palette and the site's own CSS inlined in every page, the palette
  without the colours this site never offers, and each page's copy cut to the rules its
  classes can match; the main stylesheet without the rules no built page can match, nor the
  custom properties nothing left reads (the pruning itself is `qinqing.engines.stylesheet`,
  engine-free); hand-written CSS minified.

Each function takes MkDocs' config, its Jinja environment or plain values; none keeps state
(PageStyles keeps the cuts it made, for the one build it belongs to). `Tuning` gathers them
as the events of the hook, behind the switch.
"""

from __future__ import annotations

import re
from pathlib import Path

import jinja2

from qinqing.engines.stylesheet import (
    classes_in_css,
    classes_in_html,
    classes_in_script,
    drop_unused_properties,
    minify,
    properties_named,
    properties_read,
    prune,
)

# Beside this file (MkDocs puts the hook's folder on sys.path while loading it).
from qinqing_markup import TABLE, EditedSource

SITE_CSS = "docs/assets/stylesheets/qinqing.css"

# A run of whitespace that starts a line: the theme's templates indent every tag, which is
# about a sixth of a page's bytes (650 bytes gzipped on a home page).
_INDENTATION = re.compile(r"\n\s+")


def _collapse(template: str, source: str) -> str:
    """An HTML template's indentation collapsed: every whitespace run that contains a line
    break, down to the line break alone. Outside preformatted text a browser shows any such
    run as one space, so nothing a reader sees changes; the theme's templates have no <pre>
    or <textarea>, and the pages' own content is inserted as it is."""
    if template.endswith(".html") and "<pre" not in source and "<textarea" not in source:
        source = _INDENTATION.sub("\n", source)
    return source


def collapse_sources(env: jinja2.Environment) -> None:
    assert env.loader is not None  # the theme's environment always has its loader
    env.loader = EditedSource(env.loader, _collapse)


# Lines that held only a template tag, left empty in the output.
_BLANK_LINES = re.compile(r"\n\n+")


# Material's script wraps each plain table in two divs (so that it scrolls sideways on a
# phone) when it starts. A table painted before that moved what follows it down by 8 px when
# the script arrived late: a layout shift. The build wraps them first, the same way; the site
# stylesheet makes the script's second wrapping, inside the first, inert.
_WRAPPED_TABLE = r'<div class="md-typeset__scrollwrap"><div class="md-typeset__table"><table>\1</table></div></div>'


def wrap_tables(content: str) -> str:
    """A page's content with its plain tables wrapped as Material's script wraps them."""
    return TABLE.sub(_WRAPPED_TABLE, content)


def fix_html(html: str, content: str | None = None) -> str:
    """Blank lines out of a rendered page, unless it has preformatted text. Only a page's own
    content can (the theme's templates have none): given, `content` is where to look."""
    where = html if content is None else content
    if "<pre" not in where and "<textarea" not in where:
        html = _BLANK_LINES.sub("\n", html)
    return html


def palette_values(config) -> dict[str, set[str]]:
    """Values the pages can give the palette attributes (the toggle switches among these only)."""
    palettes = config.theme.get("palette") or []
    palettes = palettes if isinstance(palettes, list) else [palettes]
    values = {"data-md-color-scheme": {"default"}, "data-md-color-primary": set(),
              "data-md-color-accent": set(), "dir": {config.theme.get("direction") or "ltr"}}
    for palette in palettes:
        for key in ("scheme", "primary", "accent"):
            if palette.get(key):
                values[f"data-md-color-{key}"].add(palette[key])
    return {name: found for name, found in values.items() if found}


def _theme_assets(config) -> Path:
    return next(Path(d) for d in config.theme.dirs if (Path(d) / "assets" / "stylesheets").is_dir()) / "assets"


def stylesheets(config, root: Path) -> dict[str, str]:
    """Material's main stylesheet (linked) and the palette and site styles (inlined in the
    head, the palette without the colours this site never uses)."""
    assets = _theme_assets(config)
    main = sorted((assets / "stylesheets").glob("main.*.min.css"))[0]
    palette = sorted((assets / "stylesheets").glob("palette.*.min.css"))[0]
    palette_css = prune(palette.read_text(encoding="utf-8"), None, palette_values(config))
    # Inlined in every page: without the indentation its multi-line values keep.
    inline = _INDENTATION.sub("\n", palette_css + minify((root / SITE_CSS).read_text(encoding="utf-8")))
    bundle = sorted((assets / "javascripts").glob("bundle.*.min.js"))[0]
    return {"main_css": f"assets/stylesheets/{main.name}", "inline_css": inline.replace("</", "<\\/"),
            "bundle_js": f"assets/javascripts/{bundle.name}"}


def _features_off(config) -> tuple[str, ...]:
    """Class prefixes of Material features this configuration leaves off: the bundle names
    them, but adds them only to markup those features would have put in the pages."""
    features = set(config.theme.get("features") or [])
    off = []
    if "content.tooltips" not in features:
        off.append("md-tooltip")
    if "content.code.annotate" not in features:
        off.append("md-annotation")
    if not features & {"content.code.copy", "content.code.select"}:
        off += ["md-code__", "md-clipboard"]
    if not config.repo_url:
        off.append("md-source")
    if not config.extra.get("version"):
        off.append("md-version")
    if not config.extra.get("status"):
        off.append("md-status")
    if not any(name.endswith("tags") for name in config.plugins):
        off.append("md-tag")
    return tuple(off)


def _scripts(folder: Path) -> list[str]:
    return [script.read_text(encoding="utf-8") for script in folder.rglob("*.js")]


def runtime_classes(config, scripts: list[str]) -> set[str]:
    """Classes the theme's scripts (and the site's own inline scripts) may add to a page as
    it runs: a page's markup does not show them."""
    unused = _features_off(config)
    classes = {"js"}  # overrides/main.html swaps no-js for js
    for script in scripts:
        classes |= {c for c in classes_in_script(script) if not c.startswith(unused)}
    return classes


class PageStyles:
    """The inlined stylesheet, cut down for each page to the rules its classes (and those the
    scripts add) can match: the home page carries about two thirds of it. Pages of one kind
    share a set of classes, so each cut is made once per build."""

    def __init__(self, inline_css: str, runtime: set[str]):
        self.css, self.tag = inline_css, f"<style>{inline_css}</style>"
        self.named = classes_in_css(inline_css)
        self.runtime = runtime
        self.cuts: dict[frozenset[str], str] = {}

    def fit(self, html: str, classes: set[str]) -> str:
        key = frozenset(classes & self.named)
        cut = self.cuts.get(key)
        if cut is None:
            cut = self.cuts[key] = f"<style>{prune(self.css, key | self.runtime)}</style>"
        return html.replace(self.tag, cut, 1)


def page_styles(config) -> PageStyles:
    # The theme's scripts and the site's own (the search dialog draws its results).
    scripts = _scripts(_theme_assets(config) / "javascripts") + _scripts(Path(config.docs_dir) / "assets" / "javascripts")
    return PageStyles(config.extra["qinqing"]["inline_css"], runtime_classes(config, scripts))


def prune_main_stylesheet(config, page_classes: set[str]) -> None:
    """Material's stylesheet in the built site without the rules that neither the pages'
    classes nor the theme's scripts can match (less than two thirds of its gzipped size,
    render-blocking on every first visit), and then without the custom properties no rule
    left, no inlined style and no script reads. The file keeps its name: like MkDocs' own
    extra_css it is not fingerprinted, and hosts such as GitHub Pages cache for minutes."""
    site = Path(config.site_dir)
    path = site / config.extra["qinqing"]["main_css"]
    if not path.is_file():
        return
    scripts = _scripts(site / "assets" / "javascripts")
    classes = set(page_classes) | runtime_classes(config, scripts)
    css = prune(path.read_text(encoding="utf-8"), classes, palette_values(config))
    read = properties_read(config.extra["qinqing"]["inline_css"]).union(*map(properties_named, scripts))
    path.write_text(drop_unused_properties(css, read), encoding="utf-8")


class Tuning:
    """The tuning layer as hook events, for one build at a time: qinqing_hook.py hands these
    on as its own. Switched off (the project's `extra.qinqing.tuning`, which `qinqing build`
    sets from --no-tuning or QINQING_TUNING=0) they change nothing; the project then links the
    site stylesheet as extra_css instead (qinqing.engines.project.complete_config)."""

    def __init__(self) -> None:
        self.on = True
        self.classes: set[str] = set()
        self.styles: PageStyles | None = None

    def configure(self, config, root: Path, on: bool) -> None:
        self.on = on
        if self.on:
            config.extra["qinqing"].update(stylesheets(config, root))
            self.styles = page_styles(config)

    def on_pre_build(self, config) -> None:
        self.classes = set()

    def on_env(self, env, config, files):
        if self.on:
            collapse_sources(env)
        return env

    def on_page_content(self, html: str, page, config, files) -> str:
        return wrap_tables(html) if self.on else html

    def on_post_page(self, output: str, page, config) -> str:
        return self._finish(output, page.content or "") if self.on else output

    def on_post_template(self, output_content: str, template_name: str, config) -> str:
        return self._finish(output_content) if self.on and template_name.endswith(".html") else output_content

    def _finish(self, html: str, content: str | None = None) -> str:
        """A page's last fixes, its inlined stylesheet cut to fit it, its classes noted."""
        html = fix_html(html, content)
        classes = classes_in_html(html)
        self.classes |= classes
        return self.styles.fit(html, classes) if self.styles is not None else html

    def finish_site(self, config) -> None:
        if self.on:
            prune_main_stylesheet(config, self.classes)
