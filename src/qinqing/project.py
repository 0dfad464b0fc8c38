"""What a language's build needs beyond its pages, from the languages table: the values the
theme's templates read (`extra.qinqing`), the config settings that differ per language, and
the config file of a language built beside the default one. No MkDocs import: the adapter
in `hooks/` applies these to MkDocs' config."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from . import languages
from .formatting import ui_strings

# The UI strings the theme's own templates (the 404 page) need.
THEME_KEYS = ("not_found_title", "not_found_text", "search_label")


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


def settings(lang: str) -> dict[str, Any]:
    """The config values that differ per language, besides the theme's language."""
    strings = ui_strings()
    return {"site_name": strings["site_name"][lang], "site_description": strings["site_description"][lang],
            "palette_names": (strings["palette_to_dark"][lang], strings["palette_to_light"][lang])}


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
        "plugins": [{"search": row.search_plugin()}],
    }
