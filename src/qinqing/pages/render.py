"""Renders the model into Markdown pages: a pure function from data to `{path: markdown}`.

One Jinja environment, templates in `templates/`; every page gets the shared macros of
`_macros.md.j2` as `m`, made once per language. Every `{{ … }}` goes through
`_finalize`, which picks the page's language from a `Localized` and escapes data text
for Markdown and HTML, so a `<script>`, a `*` or a `{{` typed into the YAML is shown
as typed. Template-made markup is wrapped in `Markup` to pass through untouched.
"""

from __future__ import annotations

import json
import os
import posixpath
import stat
import tempfile
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemBytecodeCache, PackageLoader, StrictUndefined, pass_context
from markupsafe import Markup

from qinqing.i18n import formatting
from qinqing.i18n.languages import Edition, Languages
from qinqing.ingest.collections import BY_NAME, pillar_of
from qinqing.ingest.model import Initiatives, Localized, Money, Quantity
from qinqing.pages import charts, escaping, opendata
from qinqing.pages.figures import compute as compute_figures
from qinqing.pages.routes import BY_COLLECTION, ROUTES, page

escape_markdown = escaping.markdown
escape_attr = escaping.attribute


def _pick(site: Site, value: Localized, lang: str) -> tuple[str, bool]:
    """The text to show in `lang`, and whether it stands in (labelled) for a pending translation.
    A person's name is converted as a name: a surname keeps its form (于)."""
    return site.edition(lang).pick(value, person_name=id(value) in site.person_names)


def _edition(ctx: Any) -> Edition:
    """The page's language, from the template context (its `site` and `lang`)."""
    return ctx["site"].edition(ctx["lang"])


@pass_context
def _finalize(ctx: Any, value: Any) -> Any:
    if isinstance(value, Markup):
        return value
    if value is None:
        return ""
    lang = ctx["lang"]
    if isinstance(value, Localized):
        site = ctx["site"]
        # The same names and titles appear on thousands of pages: escape each once per language.
        key = (id(value), lang)
        hit = site.escaped.get(key)
        if hit is not None and hit[0] is value:
            return hit[1]
        result = _localized_markup(site, value, lang)
        site.escaped[key] = (value, result)
        return result
    if isinstance(value, Money):
        return Markup(escape_markdown(formatting.money(value, _edition(ctx))))
    if isinstance(value, Quantity):
        return Markup(escape_markdown(formatting.quantity(value, _edition(ctx))))
    return Markup(escape_markdown(str(value)))


def _localized_markup(site: Site, value: Localized, lang: str) -> Markup:
    text, pending = _pick(site, value, lang)
    if pending:
        label = site.edition(lang).ui("pending_label")
        return Markup(
            f'<span lang="{site.table.default.tag}">{escape_markdown(text)}</span> '
            f'<small class="qq-pending">({escape_markdown(label)})</small>'
        )
    return Markup(escape_markdown(text))


def _bytecode_cache() -> FileSystemBytecodeCache | None:
    """Compiled templates shared by the processes of a build and by later builds (about
    0.15 s per process otherwise). Jinja checks each template's source, so edits still apply.

    A compiled template is code that runs: the folder is used only if it is this user's own,
    a real folder (not a link) that nobody else can write to or read (another user could
    otherwise plant a cache that runs as whoever builds next). Anything else: no cache."""
    if not hasattr(os, "getuid"):
        return None
    folder = Path(tempfile.gettempdir()) / f"qinqing-jinja-{os.getuid()}"
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        info = os.lstat(folder)
    except OSError:
        return None
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        return None
    return FileSystemBytecodeCache(str(folder))


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader(__package__, "templates"),
        bytecode_cache=_bytecode_cache(),
        autoescape=True,
        finalize=_finalize,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # Templates ship inside the package, like its code: checking every one for changes
        # on each page (a stat per import) is wasted work within a build.
        auto_reload=False,
    )
    env.globals.update(
        ui=_ui,
        ui_plain=_ui_plain,
        link=_link,
        page_of=page,
        year_page_of=lambda collection, year: BY_COLLECTION[collection].year_page(year),
        date=_date,
        attr=_attr,
        raw_html=_raw_html,
        front=_front,
        icon=_icon,
        zh=_zh,
        number=_number,
        paren=_paren,
        quoted=_quoted,
        count_text=_count_text,
        note_text=_note_text,
    )
    return env


def _one_or_many(text: str, n: int | None) -> str:
    """A string written "one|many" (Figures stated in the source|… sources), for `n` things."""
    if n is None or "|" not in text:
        return text
    one, many = text.split("|")
    return one if n == 1 else many


@pass_context
def _ui(ctx: Any, key: str, n: int | None = None) -> Markup:
    """A UI string, escaped; `n`: the number of things it names, for a "one|many" string."""
    lang, site = ctx["lang"], ctx["site"]
    if n is not None:
        return Markup(escape_markdown(_one_or_many(site.edition(lang).ui(key), n)))
    hit = site.ui_markup.get((key, lang))
    if hit is None:
        hit = site.ui_markup[(key, lang)] = Markup(escape_markdown(site.edition(lang).ui(key)))
    return hit


@pass_context
def _ui_plain(ctx: Any, key: str, n: int | None = None) -> str:
    return _one_or_many(_edition(ctx).ui(key), n)


# The page being rendered. Links are relative to it; the shared macros (`m`, made once per
# language, see render_pages) cannot take it from their context, which is not the page's.
# A context variable, so that renders in other threads or nested renders keep their own.
_PAGE: ContextVar[str] = ContextVar("qinqing_page", default="index.md")


def _link(target: str, anchor: str | None = None) -> Markup:
    """A Markdown link target from the current page to `target` (a page path), checked by MkDocs."""
    rel = _relative(posixpath.dirname(_PAGE.get()) or ".", target)
    return Markup(rel + (f"#{anchor}" if anchor else ""))


@lru_cache(maxsize=65536)
def _relative(here: str, target: str) -> str:
    return posixpath.relpath(target, here)


@pass_context
def _date(ctx: Any, value: str | None, as_of: bool = False, basis: str = "stated", short: bool = False,
          since: bool = False, note: Any = None) -> Markup:
    text = _plain(ctx, note) if note is not None else None
    return Markup(escape_markdown(formatting.date(value, _edition(ctx), as_of=as_of, basis=basis, short=short,
                                                  since=since, note=text)))


@pass_context
def _paren(ctx: Any, inner: Any) -> Markup:
    """An aside in brackets as each language writes it: （…） in Chinese, " (…)" in English."""
    return _wrapped(ctx, "paren", inner)


@pass_context
def _quoted(ctx: Any, inner: Any) -> Markup:
    """A quotation as each language marks it: “…”, and 「…」 in Traditional Chinese."""
    return _wrapped(ctx, "quoted", inner)


def _wrapped(ctx: Any, key: str, inner: Any) -> Markup:
    open_, close = _edition(ctx).ui(key).split("…")
    return Markup(escape_markdown(open_) + _finalize(ctx, inner) + escape_markdown(close))


@pass_context
def _note_text(ctx: Any, note: Any) -> Markup | None:
    """A translator's note in the page's language, or None where it has none."""
    ed = _edition(ctx)
    text = getattr(note, ed.row.field, None) if note is not None else None
    return Markup(escape_markdown(ed.localize(text))) if text else None


@pass_context
def _count_text(ctx: Any, key: str, n: int) -> Markup:
    """A count of this site's records in words: 本站收录5个服务站点与平台 / 5 … on this site."""
    ed = _edition(ctx)
    text = _one_or_many(ed.ui(key), n)
    return Markup(escape_markdown(text.format(n=formatting.number(n, ed))))


@pass_context
def _number(ctx: Any, value: float) -> Markup:
    return Markup(formatting.number(value, _edition(ctx)))


@pass_context
def _plain(ctx: Any, value: Any) -> str:
    """The plain text of a value in the page's language, unescaped (for front matter and attributes)."""
    if isinstance(value, Localized):
        return _pick(ctx["site"], value, ctx["lang"])[0]
    if isinstance(value, Money):
        return formatting.money(value, _edition(ctx))
    if isinstance(value, Quantity):
        return formatting.quantity(value, _edition(ctx))
    return str(value)


@pass_context
def _raw_html(ctx: Any, value: Any) -> Markup:
    """A value inside raw HTML of a page (see escaping.raw_html)."""
    return Markup(escaping.raw_html(_plain(ctx, value)))


@pass_context
def _attr(ctx: Any, value: Any) -> Markup:
    return Markup(escape_attr(_plain(ctx, value)))


@pass_context
def _front(ctx: Any, value: Any) -> Markup:
    """A front-matter value: JSON is valid YAML, and HTML-escaped because themes print it raw."""
    return Markup(json.dumps(escape_attr(_plain(ctx, value)), ensure_ascii=False))


def _icon(name: str, classes: str = "") -> Markup:
    shortcode = ":" + name.replace("/", "-") + ":"
    return Markup(shortcode + (f"{{ {classes} }}" if classes else ""))


@pass_context
def _zh(ctx: Any, value: Localized) -> Markup:
    """Source text kept as the source writes it on every page (excerpts, terms), marked as such."""
    text = value.zh if isinstance(value, Localized) else value
    return Markup(f'<span lang="{ctx["site"].table.default.tag}">{escape_markdown(text)}</span>')


PAGES = {
    "index.md": "home.md.j2",
    "activities/index.md": "activities.md.j2",
    "timeline.md": "timeline.md.j2",
    "stations/index.md": "stations.md.j2",
    "projects/index.md": "projects.md.j2",
    "figures.md": "figures.md.j2",
    "data.md": "data.md.j2",
    "voices.md": "voices.md.j2",
    "about.md": "about.md.j2",
}


# Where the navigation lists the data's pillars, each by its title (navigation()).
PILLARS = "pillars"

NAV = (
    ("nav_home", "index.md"),
    ("nav_pillars", PILLARS),
    ("nav_records", (
        ("nav_activities", "activities/index.md"),
        ("nav_timeline", "timeline.md"),
        ("nav_stations", "stations/index.md"),
        ("nav_projects", "projects/index.md"),
    )),
    ("nav_data", (
        ("nav_figures", "figures.md"),
        ("nav_opendata", "data.md"),
    )),
    ("nav_voices", "voices.md"),
    ("nav_about", "about.md"),
)


def navigation(ed: Edition, pillars: list[Any]) -> list[dict[str, Any]]:
    """The explicit navigation of one language (detail pages stay out of it: it is on every page).
    The pillars are the data's, each by its title: data text, HTML-escaped (the theme prints
    nav titles raw, as it does the site name)."""
    route = BY_COLLECTION["pillars"]

    def entries(items: tuple) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for key, target in items:
            if target == PILLARS:
                out.append({ed.ui(key): [{escape_attr(ed.pick(p.title)[0]): route.page(p.id)} for p in pillars]})
            else:
                out.append({ed.ui(key): entries(target) if isinstance(target, tuple) else target})
        return out

    return entries(NAV)


# Lists longer than this are split into one page per year, so that no page grows with the
# whole data set (build time and page weight stay linear in the number of records).
LIST_LIMIT = 100
# How many related records a pillar page shows before linking to the full list.
PREVIEW = 12


def page_paths(site: Site) -> list[tuple[str, str, dict[str, Any]]]:
    """Every page: its path, its template and what it is about."""
    data = site.data
    pages: list[tuple[str, str, dict[str, Any]]] = [(p, t, {}) for p, t in PAGES.items()]
    pillars = BY_COLLECTION["pillars"]
    pages += [(pillars.page(p.id), str(pillars.template), {"pillar": p}) for p in data.pillars]
    for route in ROUTES:
        if route.by_year and site.split[route.name]:
            pages += [(route.year_page(y), route.by_year, {"year": y, "records": r})
                      for y, r in site.years[route.name].items()]
    if site.split_timeline:
        pages += [(f"timeline/{y}.md", "timeline_year.md.j2", {"year": y, "moments": m})
                  for y, m in site.timeline.items()]
    for route in ROUTES:
        if route is not pillars:
            pages += [(route.page(r.id), str(route.template), {"record": r}) for r in getattr(data, route.name)]
    return pages


class Site:
    """The render's build context: the data and its languages table, the lookups the templates
    share (computed once for every language), and what rendering keeps while it runs (escaped
    texts): dropped with the object."""

    def __init__(self, data: Initiatives, table: Languages) -> None:
        self.data = data
        self.table = table
        # People's names (ids of their Localized), converted as names.
        self.person_names = frozenset(id(p.name) for p in data.people)
        self.escaped: dict[tuple[int, str], tuple[Any, Markup]] = {}
        self.ui_markup: dict[tuple[str, str], Markup] = {}
        self.documents = {d.id: d for d in data.sources}
        self.places = data.index("places")
        self.organisations = data.index("organisations")
        self.people = data.index("people")
        self.pillars = data.index("pillars")
        self.projects = data.index("projects")
        self.stations = data.index("stations")
        self.figures = compute_figures(data)
        self.order = formatting.activity_order(data)
        self.activities = sorted(data.activities, key=lambda a: self.order[a.id])
        self.recent = [a for a in reversed(self.activities) if a.date]
        self.projects_sorted = sorted(data.projects, key=self.project_key)
        self.undated = [a for a in self.activities if not a.date]
        self.timeline = _timeline(data, self)
        self.activity_years = _by_year(self.activities)
        self.project_years = _by_year(self.projects_sorted)
        self.split_activities = len(data.activities) > LIST_LIMIT
        self.split_projects = len(data.projects) > LIST_LIMIT
        # Per collection with a by-year template (routes.ROUTES): its years, and whether its
        # list is split into them.
        self.years = {"activities": self.activity_years, "projects": self.project_years}
        self.split = {"activities": self.split_activities, "projects": self.split_projects}
        self.split_timeline = sum(len(m) for m in self.timeline.values()) > LIST_LIMIT
        self.feed_limit = 50
        self.dictionary = {ed.code: opendata.dictionary(data, ed) for ed in table.editions()}
        self._chart_cache: dict[str, dict[str, Any]] = {}
        self._pillar_groups: dict[tuple[str, str], list[Any]] = {}
        self._cases: dict[str, list[Any]] | None = None
        self._quotes: dict[str, list[tuple[int, Any]]] | None = None

    def pillar_of(self, collection: str) -> str | None:
        """The pillar a collection's records are shown under (ingest/collections.py)."""
        return pillar_of(collection)

    def edition(self, lang: str) -> Edition:
        return self.table.edition(lang)

    _REFERENCED = {"places": "places", "organisations": "organisations", "people": "people",
                   "parties": "organisations", "partners": "organisations"}

    def inferred_ids(self, record: Any, field: str) -> frozenset[str]:
        """The ids of a record's `field` that this site infers (the passages do not state them)."""
        if record is None:
            return frozenset()
        return frozenset(x.id for x in getattr(record, "inferred", ()) if x.field == field)

    def referenced(self, field: str, record_id: str) -> Any:
        return getattr(self, self._REFERENCED[field])[record_id]

    def project_key(self, p: Any) -> tuple[str, ...]:
        """A project in date order; one dated only by the activity that brought it about
        (`after`) right after that activity; within a period, as the article reports them."""
        if p.after and p.after in self.order:
            return self.order[p.after] + ("~" + self.data.position("projects", p.id), p.id)
        return (formatting.sort_key(p.date), self.data.position("projects", p.id), p.id)

    def pillar_number(self, pillar_id: str | None) -> int:
        """1-based position of a pillar: the timeline filter's CSS has a rule per position."""
        ids = [p.id for p in self.data.pillars]
        return ids.index(pillar_id) + 1 if pillar_id in ids else 0

    def pillar_numbers(self, records: Any) -> list[int]:
        """The pillars (numbers, see pillar_number) that some records or moments belong to."""
        return sorted({self.pillar_number(r.pillar) for r in records})

    def distinct_sources(self, records: list[Any]) -> list[Any]:
        """The citations of some records, each once, in order (a table cites every row's source)."""
        seen: dict[tuple[str, str, str], Any] = {}
        for r in records:
            seen.setdefault((r.source.document, r.source.section, r.source.excerpt), r.source)
        return list(seen.values())

    def headline_figures(self) -> list[Any]:
        """The home page's figures: one per subject (a record, a company's case), so that the
        few shown cover different things; the figures page lists them all."""
        seen: set[tuple[str, str | None]] = set()
        out = []
        for f in self.figures["stated"]:
            if f.headline and (f.page, f.anchor) not in seen:
                seen.add((f.page, f.anchor))
                out.append(f)
        return out

    def chart(self, name: str, lang: str) -> Markup:
        return Markup(_charts(self, lang)[name]["html"])

    def chart_rows(self, name: str, lang: str) -> list[charts.Bar]:
        return _charts(self, lang)[name]["bars"]

    def section(self, citation: Any) -> Any:
        document = self.documents[citation.document]
        return document, next(s for s in document.sections if s.id == citation.section)

    preview_size = PREVIEW

    def preview(self, records: list[Any]) -> list[Any]:
        """The most recent few of a long list (all of a short one), for pillar pages."""
        if len(records) <= PREVIEW:
            return records
        dated = sorted((r for r in records if getattr(r, "date", None)), key=lambda r: (r.date, r.id))
        return (dated[-PREVIEW:] if dated else records[:PREVIEW])

    def quotes_of(self, people: list[str]) -> list[Any]:
        """The quotes of some people (an activity's), in the data's order (an index made once)."""
        if not people:
            return []
        if self._quotes is None:
            self._quotes = {}
            for i, quote in enumerate(self.data.quotes):
                if quote.speaker:
                    self._quotes.setdefault(quote.speaker, []).append((i, quote))
        hits = {i: q for person in set(people) for i, q in self._quotes.get(person, [])}
        return [hits[i] for i in sorted(hits)]

    def cases_of(self, project_id: str) -> list[Any]:
        """The support cases about a project, in the data's order (an index made once)."""
        if self._cases is None:
            self._cases = {}
            for case in self.data.support_cases:
                if case.project:
                    self._cases.setdefault(case.project, []).append(case)
        return self._cases.get(project_id, [])

    def related(self, collection: str, record: Any, n: int = 4) -> list[Any]:
        """Up to `n` other records of the same pillar, the latest first (a record page's
        related list). Each pillar's list is made once: a record page costs no pass over the
        whole collection."""
        key = (collection, record.pillar)
        group = self._pillar_groups.get(key)
        if group is None:
            group = self._pillar_groups[key] = self.by_pillar(collection, record.pillar)
        out: list[Any] = []
        for other in reversed(group):
            if other.id != record.id:
                out.append(other)
                if len(out) == n:
                    break
        return out

    def by_pillar(self, collection: str, pillar_id: str) -> list[Any]:
        records = getattr(self, collection) if collection in ("activities",) else getattr(self.data, collection)
        return [r for r in records if getattr(r, "pillar", None) == pillar_id]


def _by_year(records: list[Any]) -> dict[str, list[Any]]:
    """Records grouped by year, newest year first; undated ones under "undated"."""
    years: dict[str, list[Any]] = {}
    for r in records:
        years.setdefault(r.date[:4] if r.date else "undated", []).append(r)
    return dict(sorted(years.items(), key=lambda kv: (kv[0] == "undated", kv[0]), reverse=False))


@dataclass(frozen=True)
class Moment:
    """One dated thing on the timeline."""

    date: str
    as_of: bool
    basis: str
    order: tuple[str, ...]
    kind: str
    title: Any
    pillar: str | None
    page: str
    anchor: str | None = None
    note: Any = None
    label: str = ""
    """The UI string naming its kind (moment_activity, kind_agreement…)."""
    since: bool = False
    date_note: Any = None


def _timeline(data: Initiatives, site: Site) -> dict[str, list[Moment]]:
    moments: list[Moment] = []
    key = formatting.sort_key
    for a in data.activities:
        if a.date:
            moments.append(Moment(a.date, a.as_of, a.date_basis, site.order[a.id], "activity", a.title,
                                  a.pillar, page("activities", a.id), label="moment_activity",
                                  date_note=a.date_note if a.after else None))
    where = data.position
    for p in data.projects:
        if p.milestones:
            for stone in p.milestones:
                moments.append(Moment(stone.date, False, stone.date_basis, (key(stone.date), where("projects", p.id), p.id),
                                      "project", p.name, p.pillar, page("projects", p.id), note=stone.event,
                                      label=f"kind_{p.kind}"))
        elif p.date:
            moments.append(Moment(p.date, p.as_of, p.date_basis, site.project_key(p), "project",
                                  p.name, p.pillar, page("projects", p.id), label=f"kind_{p.kind}"))
    for i, r in enumerate(data.partnerships):
        if r.date:
            title = _joined(site, [site.organisations[o].name for o in r.parties])
            # Several partnerships cite one sentence: among them, the order the data (and the
            # article's list) gives.
            moments.append(Moment(r.date, r.as_of, r.date_basis, (key(r.date), where("partnerships", r.id), f"{i:06d}"),
                                  "partnership", title, pillar_of("partnerships"), BY_NAME["partnerships"].listed,
                                  anchor="partnerships", note=r.relation, label="moment_partnership"))
    for h in data.honours:
        if h.year:
            moments.append(Moment(h.year, False, h.date_basis, (key(h.year), where("honours", h.id), h.id), "honour",
                                  h.title, pillar_of("honours"), BY_NAME["honours"].listed,
                                  anchor="honours", note=h.recipients,
                                  label="moment_honour", since=h.since))
    moments.sort(key=lambda m: m.order)
    years: dict[str, list[Moment]] = {}
    for m in moments:
        years.setdefault(m.date[:4], []).append(m)
    return dict(sorted(years.items()))


def _joined(site: Site, names: list[Localized]) -> Localized:
    """Names as one text, in each written language (with its list separator) and, where a
    name has a converted language's own form, in that language's too; a language some name
    lacks is pending."""
    table = site.table
    texts: dict[str, str | None] = {"en": None}
    for field in table.written_fields():
        parts: list[str] = [getattr(n, field, None) or "" for n in names]
        if all(parts):
            texts[field] = table.edition_of_field(field).ui("list_sep").join(parts)
    overrides = {ed.code: ed.ui("list_sep").join(ed.pick(n)[0] for n in names)
                 for ed in map(table.edition, table.converted_codes()) if any(ed.code in n.overrides for n in names)}
    return Localized(**texts, overrides=overrides)


def _charts(site: Site, lang: str) -> dict[str, dict[str, Any]]:
    cached = site._chart_cache
    if lang in cached:
        return cached[lang]
    def t(value: Localized) -> str:
        return _pick(site, value, lang)[0]

    out: dict[str, dict[str, Any]] = {}
    # Amounts of money only, one scale for like things. The largest only: a chart of a thousand
    # bars reads as nothing. (No chart counts this site's records: they do not measure the work.)
    largest = [(p, p.amount) for p in site.projects_sorted if p.amount is not None]
    largest = sorted(largest, key=lambda pair: -pair[1].amount)[:15]
    bars = [charts.Bar(t(p.name), amount.amount, formatting.money(amount, site.edition(lang))) for p, amount in largest]
    # (The chart's name and element id: "chart-investment", the amounts invested, not a pillar.)
    out["amounts"] = {"bars": bars, "html": charts.bar_chart("chart-investment", bars)}
    cached[lang] = out
    return out


def render_pages(site: Site, lang: str) -> dict[str, str]:
    """All pages of one language, as `{path: markdown}`. `site`: the data, its languages and
    their shared lookups (Site(data, table)), made once for all languages."""
    env = environment()
    data = site.data
    # The shared macros, made once per language and handed to every page as `m`: a page's
    # own `{% import … with context %}` would remake them for each page (about 40% of the
    # rendering time at thousands of pages).
    macros = env.get_template("_macros.md.j2").make_module({"site": site, "data": data, "lang": lang})
    out: dict[str, str] = {}
    outer = _PAGE.set(_PAGE.get())
    try:
        for path, template, extra in page_paths(site):
            _PAGE.set(path)
            out[path] = env.get_template(template).render(
                site=site, data=data, lang=lang, page=path, m=macros, **extra
            )
    finally:
        _PAGE.reset(outer)
    return out


def render_site(data: Initiatives, table: Languages) -> dict[str, dict[str, str]]:
    """Every language of the table: `{code: {path: markdown}}`."""
    site = Site(data, table)
    return {code: render_pages(site, code) for code in table.codes()}
