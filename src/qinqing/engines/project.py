"""One language's complete project, as `qinqing render --out` and `qinqing build` write it:
DIR/mkdocs.yml (the shared base config, mkdocs.yml, with the language's row of the languages
table: names, theme language, navigation, the values the theme's templates read in
`extra.qinqing`), DIR/docs/ (the static files of docs/, the rendered pages and the downloads),
DIR/overrides/ and DIR/hooks/ (the thin adapter MkDocs or ProperDocs loads: the markup fixes
and, when `extra.qinqing.tuning` is on, the Material tuning layer). Any MkDocs-compatible
engine builds it with `mkdocs build`. No MkDocs import here."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from markupsafe import escape

from qinqing.engines import card
from qinqing.i18n import formatting
from qinqing.i18n.languages import Edition
from qinqing.pages.routes import ROUTES

# The UI strings the theme's own templates (the 404 page) need.
THEME_KEYS = ("not_found_title", "not_found_text", "search_label", "search_title", "search_placeholder",
              "search_close", "search_kind", "search_pillar", "search_any", "search_count_one",
              "search_count", "search_none", "search_loading", "search_failed", "search_hint", "search_more",
              "search_label_end", "search_block_end",
              "search_excerpt_length", "language_switch", "menu_open", "title_sep")


# The theme's own strings (its partials/languages/*.html keys) that the site words itself, as
# Taiwan readers expect them in the zh-Hant edition (the theme's zh-TW says 跳轉到): key → UI string.
THEME_WORDS = {"action.skip": "theme_skip"}


def theme_strings(ed: Edition) -> dict[str, str]:
    return {key: ed.ui(key) for key in THEME_KEYS}


def extra_values(ed: Edition, site_url: str) -> dict[str, Any]:
    """`extra.qinqing` of one language: its tag and locale, every language's root (hreflang,
    switcher, sitemap, 404), the converted-edition notice, and the theme's strings."""
    table, row, lang = ed.table, ed.row, ed.code
    roots = table.roots(site_url or "")
    strings = table.ui_strings()
    listed = [{"code": r.code, "tag": r.tag, "name": r.name, "short": r.short, "path": r.path, "root": roots[r.code],
               "root_path": urlsplit(roots[r.code]).path or "/",
               "home": strings["home_in_language"][r.code].format(name=r.name)} for r in table]
    notice = None
    if row.converted:
        source = next((r for r in table if not r.converted and r.field == row.field), table.default)
        name = ed.localize(source.name)
        notice = {"text": ed.ui("converted_notice").format(source=name),
                  "link": ed.ui("converted_link").format(source=name),
                  "code": source.code, "tag": source.tag, "path": source.path}
    return {"lang": lang, "tag": row.tag, "locale": row.locale, "path": row.path,
            "roots": roots, "languages": listed, "converted": notice, "ui": theme_strings(ed),
            "theme_words": {key: ed.ui(name) for key, name in THEME_WORDS.items()}}


def apply(cfg: Any, ed: Edition, site_url: str, pillars: list[Any]) -> dict[str, Any]:
    """Set a language's row on a config: a dict, or MkDocs' config (both mappings; its theme
    too). Site name and description, the theme's language and its palette toggles' labels,
    the navigation (with the data's `pillars`), `extra.qinqing` (see extra_values) and the switcher's list (`extra.alternate`,
    which makes the theme show it). Returns `extra.qinqing`."""
    from qinqing.pages.render import navigation

    extra = extra_values(ed, site_url)
    # The theme's templates print these raw (no autoescape), so they are given escaped.
    cfg["site_name"] = str(escape(ed.ui("site_name")))
    cfg["site_description"] = str(escape(ed.ui("site_description")))
    theme = cfg["theme"]
    theme["language"] = ed.row.theme
    labels = (ed.ui("palette_to_dark"), ed.ui("palette_to_light"))
    for entry, name in zip((theme["palette"] if "palette" in theme else None) or [], labels):
        if isinstance(entry, dict) and isinstance(entry.get("toggle"), dict):
            entry["toggle"]["name"] = name
    cfg["nav"] = navigation(ed, pillars)
    if cfg.get("extra") is None:
        cfg["extra"] = {}
    cfg["extra"]["qinqing"] = {**(cfg["extra"].get("qinqing") or {}), **extra}
    # The theme keeps the reader's choices (the palette) under this path: the site's root, so
    # that a choice made in one edition holds in all of them.
    cfg["extra"]["scope"] = extra["languages"][0]["root_path"]
    cfg["extra"]["alternate"] = [{"name": row["name"], "link": row["root_path"], "lang": row["tag"]}
                                 for row in extra["languages"]]
    return extra


# --- complete projects (`qinqing render --out`) ----------------------------------------------

# The site's stylesheet, in docs/: linked as extra_css where the tuning layer does not inline it.
SITE_CSS = "assets/stylesheets/qinqing.css"


class Tagged:
    """A config value written with a YAML tag the core does not interpret (`!ENV`,
    `!!python/name:…`): read and written back as it is, for the engine to resolve."""

    def __init__(self, tag: str, value: Any) -> None:
        self.tag, self.value = tag, value


class _Loader(yaml.SafeLoader):
    pass


class _Dumper(yaml.SafeDumper):
    pass


def _construct(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Tagged:
    if isinstance(node, yaml.ScalarNode):
        return Tagged(node.tag, loader.construct_scalar(node))
    if isinstance(node, yaml.SequenceNode):
        return Tagged(node.tag, loader.construct_sequence(node, deep=True))
    assert isinstance(node, yaml.MappingNode)
    return Tagged(node.tag, loader.construct_mapping(node, deep=True))


def _represent(dumper: yaml.SafeDumper, data: Tagged) -> yaml.Node:
    if isinstance(data.value, list):
        return dumper.represent_sequence(data.tag, data.value)
    if isinstance(data.value, dict):
        return dumper.represent_mapping(data.tag, data.value)
    return dumper.represent_scalar(data.tag, data.value)


_Loader.add_multi_constructor("!", _construct)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", _construct)
_Dumper.add_representer(Tagged, _represent)


def base_config(root: Path) -> dict[str, Any]:
    """The shared base config (mkdocs.yml), its tags kept as written."""
    return yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506 (safe loader subclass)


def site_url(root: Path) -> str:
    """The public address: $SITE_URL, else the base config's `site_url` (its `!ENV` default)."""
    value = (base_config(root) or {}).get("site_url")
    if isinstance(value, Tagged) and value.tag == "!ENV":
        names = value.value if isinstance(value.value, list) else [value.value]
        found = next((os.environ[n] for n in names[:-1] if isinstance(n, str) and os.environ.get(n)), None)
        value = found or (names[-1] if len(names) > 1 else os.environ.get(str(names[0]), ""))
    return str(value or "")


def search_filters(data: Any, ed: Edition) -> dict[str, list[str]]:
    """The search dialog's filter options in `ed`, as the record pages give them to the index
    (data-pagefind-filter, `m.facts` in the templates): each kind that has records, each pillar
    that a record belongs to. Written in the dialog at build time, so that opening the search
    fetches none of Pagefind's filter files (about 28 KB at 5,000 activities)."""
    routes = [route for route in ROUTES if route.searchable]
    used = {record.pillar for route in routes for record in getattr(data, route.name)}
    return {"kind": [ed.ui(f"search_kind_{route.kind}") for route in routes if getattr(data, route.name)],
            "pillar": [ed.pick(p.title)[0] for p in data.pillars if p.id in used]}


def footer(data: Any, ed: Edition, updated: str) -> dict[str, Any]:
    """What every page's footer says in `ed` (overrides/partials/copyright.html): the site's
    publisher, contact, website and ICP number where the data's `site` gives them (nothing
    otherwise), each source with its publisher, date and address where known, and `updated`,
    the data's latest date. Plain text: the template escapes it."""
    def text(value: Any) -> str | None:
        return ed.pick(value)[0] if value is not None else None

    def source_line(document: Any) -> dict[str, Any]:
        # The title is a link where the address is known: the line around it, split at it.
        before, after = ed.ui("footer_source").split("{title}")
        fields = {"publisher": text(document.publisher), "date": formatting.date(document.date, ed)}
        # A source in another language than the edition's says which, after its title: (in Chinese).
        written_in = document.language.split("-")[0].lower()
        note = f"in_language_{written_in}"
        if written_in != ed.row.tag.split("-")[0].lower() and note in ed.table.ui_strings():
            after = ed.ui(note) + after
        return {"before": before.format(**fields), "after": after.format(**fields), "url": document.url,
                "title": ed.ui("title_marks").replace("…", text(document.title) or "")}

    def original(document: Any) -> str:
        return document.title.zh if document.language == "zh-Hans" else document.title.en or document.title.zh

    info = data.site
    labels = ("footer_publisher", "footer_contact", "footer_website", "cite_sep")
    # For the pages' JSON-LD (overrides/main.html): the site's publisher where known and the
    # sources each page is based on.
    linked = {
        "publisher": {"@type": "Organization", "name": text(info.publisher),
                      **({"url": info.website} if info.website else {})} if info.publisher else None,
        # The source's own title as it is published; the page's language's form beside it.
        "sources": [{"@type": "Article", "headline": original(d), "datePublished": d.date,
                     **({"alternativeHeadline": text(d.title)} if text(d.title) != original(d) else {}),
                     "inLanguage": d.language,
                     "publisher": {"@type": "Organization", "name": text(d.publisher)},
                     **({"url": d.url} if d.url else {})} for d in data.sources],
    }
    return {
        "linked": linked,
        "publisher": text(info.publisher), "contact": text(info.contact), "website": info.website, "icp": info.icp,
        "sources": [source_line(d) for d in data.sources],
        "updated": ed.ui("footer_updated").format(date=formatting.date(updated, ed)),
        **{key: ed.ui(key) for key in labels},
    }


def complete_config(ed: Edition, root: Path, site_url: str, *, tuning: bool = True, epoch: int = 0,
                    filters: dict[str, list[str]] | None = None,
                    about: dict[str, Any] | None = None, pillars: list[Any] | None = None) -> dict[str, Any]:
    """A language's whole config: the base with the language's row, its navigation and the
    theme's values, and the project's own adapter (HOOK). `epoch`: the build's timestamp,
    taken from the data (SiteData.epoch), which the adapter gives MkDocs (reproducible builds)."""
    cfg = base_config(root)
    cfg.pop("INHERIT", None)
    cfg.setdefault("theme", {})["custom_dir"] = "overrides"
    extra = apply(cfg, ed, site_url, pillars or [])
    cfg["extra"]["qinqing"]["tuning"] = bool(tuning)
    cfg["extra"]["qinqing"]["epoch"] = int(epoch)
    cfg["extra"]["qinqing"]["search_filters"] = filters or {}
    cfg["extra"]["qinqing"]["footer"] = about or {}
    cfg["site_url"] = extra["roots"][ed.code]
    cfg["docs_dir"] = "docs"
    cfg["site_dir"] = "site"
    # The tuning layer inlines the site's stylesheet; without it, it is linked.
    cfg["extra_css"] = [] if tuning else [SITE_CSS]
    cfg["hooks"] = [HOOK]
    # No engine plugin: search is Pagefind's index over the built site (qinqing.search).
    cfg["plugins"] = []
    return cfg


# The share card's place in every edition.
CARD = "assets/images/card.png"

# The adapter each project carries, copied from the project's hooks/ folder.
HOOK = "hooks/qinqing_hook.py"
ADAPTER = ("qinqing_hook.py", "qinqing_markup.py", "qinqing_theme.py")


def write(out: Path, lang: str, site, root: Path, site_url: str, *, tuning: bool = True,
          assets: Path | None = None, share_card: bytes | None = None) -> int:
    """Write `lang`'s complete project into the new folder `out` (see the module's docstring)
    from `site` (a SiteData with valid data) and the project at `root`; returns the number of
    pages written. `assets`: the static files copied beside the pages (default root/docs).
    `share_card`: the card's PNG, drawn once by a caller writing every language (else here)."""
    assets = root / "docs" if assets is None else assets
    docs = out / "docs"
    docs.mkdir(parents=True)
    if assets.is_dir():
        shutil.copytree(assets, docs, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
    ed = site.languages.edition(lang)
    count = 0
    for rel, markdown in site.pages(lang).items():
        target = docs / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(markdown, encoding="utf-8")
        count += 1
    roots = ed.table.roots(site_url)
    # The share card (og:image in overrides/main.html), in every edition: a link shared from
    # any of them shows it from that edition's own address.
    card_file = docs / CARD
    card_file.parent.mkdir(parents=True, exist_ok=True)
    card_file.write_bytes(share_card if share_card is not None else card.png())
    for rel, content in site.files(lang, roots[lang]).items():
        target = docs / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    if (root / "mkdocs.yml").is_file():
        config = complete_config(ed, root, site_url, tuning=tuning, epoch=site.epoch(),
                                 filters=search_filters(site.checked.data, ed),
                                 about=footer(site.checked.data, ed, site.date()),
                                 pillars=site.checked.data.pillars)
        (out / "mkdocs.yml").write_text(dump_config(config), encoding="utf-8")
        if (root / "overrides").is_dir():
            shutil.copytree(root / "overrides", out / "overrides", ignore=shutil.ignore_patterns("__pycache__"))
        (out / "hooks").mkdir()
        for name in ADAPTER:
            shutil.copy2(root / "hooks" / name, out / "hooks" / name)
    return count


def dump_config(cfg: dict[str, Any]) -> str:
    return yaml.dump(cfg, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)
