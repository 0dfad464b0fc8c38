"""What a language's build needs beyond its pages, from the languages table: the values the
theme's templates read (`extra.qinqing`), the config settings that differ per language, and
the config file of a language built beside the default one. No MkDocs import: the adapter
in `hooks/` applies these to MkDocs' config."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from markupsafe import escape

from . import languages
from .formatting import ui_strings

# The UI strings the theme's own templates (the 404 page) need.
THEME_KEYS = ("not_found_title", "not_found_text", "search_label", "search_title", "search_placeholder",
              "search_close", "search_kind", "search_pillar", "search_any", "search_count_one",
              "search_count", "search_none", "search_loading", "search_failed", "search_hint",
              "search_excerpt_length")


def theme_strings(lang: str) -> dict[str, str]:
    strings = ui_strings()
    return {key: strings[key][lang] for key in THEME_KEYS}


def extra_values(lang: str, site_url: str) -> dict[str, Any]:
    """`extra.qinqing` of one language: its tag and locale, every language's root (hreflang,
    switcher, sitemap, 404), the converted-edition notice, and the theme's strings."""
    table = languages.active()
    row = table.get(lang)
    roots = table.roots(site_url or "")
    strings = ui_strings()
    listed = [{"code": r.code, "tag": r.tag, "name": r.name, "path": r.path, "root": roots[r.code],
               "root_path": urlsplit(roots[r.code]).path or "/",
               "home": strings["home_in_language"][r.code].format(name=r.name)} for r in table]
    notice = None
    if row.converted:
        source = next((r for r in table if not r.converted and r.field == row.field), table.default)
        name = languages.localize(source.name, lang)
        notice = {"text": strings["converted_notice"][lang].format(source=name),
                  "link": strings["converted_link"][lang].format(source=name),
                  "code": source.code, "tag": source.tag, "path": source.path}
    return {"lang": lang, "tag": row.tag, "locale": row.locale, "path": row.path,
            "roots": roots, "languages": listed, "converted": notice, "ui": theme_strings(lang)}


def apply(cfg: Any, lang: str, site_url: str) -> dict[str, Any]:
    """Set a language's row on a config: a dict, or MkDocs' config (both mappings; its theme
    too). Site name and description, the theme's language and its palette toggles' labels,
    the navigation, `extra.qinqing` (see extra_values) and the switcher's list (`extra.alternate`,
    which makes the theme show it). Returns `extra.qinqing`."""
    from .render import navigation

    strings = ui_strings()
    extra = extra_values(lang, site_url)
    # The theme's templates print these raw (no autoescape), so they are given escaped.
    cfg["site_name"] = str(escape(strings["site_name"][lang]))
    cfg["site_description"] = str(escape(strings["site_description"][lang]))
    theme = cfg["theme"]
    theme["language"] = languages.get(lang).theme
    labels = (strings["palette_to_dark"][lang], strings["palette_to_light"][lang])
    for entry, name in zip((theme["palette"] if "palette" in theme else None) or [], labels):
        if isinstance(entry, dict) and isinstance(entry.get("toggle"), dict):
            entry["toggle"]["name"] = name
    cfg["nav"] = navigation(lang)
    if cfg.get("extra") is None:
        cfg["extra"] = {}
    cfg["extra"]["qinqing"] = {**(cfg["extra"].get("qinqing") or {}), **extra}
    cfg["extra"]["alternate"] = [{"name": row["name"], "link": row["root_path"], "lang": row["tag"]}
                                 for row in extra["languages"]]
    return extra


def language_config(lang: str, base: Path, site_dir: Path) -> dict[str, Any]:
    """The config file of a language built beside the default one: the shared base config
    (`INHERIT`) with this language's row. Paths are absolute, as the file is written elsewhere."""
    row = languages.get(lang)
    root = base.resolve().parent
    return {
        "INHERIT": str(base.resolve()),
        "docs_dir": str(root / "docs"),
        "site_dir": str(site_dir),
        "theme": {"name": "material", "custom_dir": str(root / "overrides"), "language": row.theme},
        "hooks": [str(root / "hooks" / "qinqing_hook.py")],
        "extra": {"qinqing": {"lang": lang}},
    }


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


def complete_config(lang: str, root: Path, site_url: str) -> dict[str, Any]:
    """A language's whole config, for a project that any MkDocs-compatible engine builds with
    no hook: the base with the language's row, its navigation and the theme's values."""
    cfg = base_config(root)
    cfg.pop("hooks", None)
    cfg.pop("INHERIT", None)
    cfg.setdefault("theme", {})["custom_dir"] = "overrides"
    extra = apply(cfg, lang, site_url)
    cfg["site_url"] = extra["roots"][lang]
    cfg["docs_dir"] = "docs"
    cfg["site_dir"] = "site"
    cfg["extra_css"] = [SITE_CSS]
    # No engine plugin: search is Pagefind's index over the built site (qinqing.search).
    cfg["plugins"] = []
    return cfg


def dump_config(cfg: dict[str, Any]) -> str:
    return yaml.dump(cfg, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)
