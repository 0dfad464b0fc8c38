"""The typed model of `data/initiatives.yaml`.

Every human text is a `Localized(zh, en)`, so a record cannot exist in one language only.
Cross-record checks (unique ids, references that resolve, excerpts that quote the source)
live in `Initiatives`' validators, so `model_validate` is the single gate the build and
`qinqing validate` both pass through.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    model_serializer,
    model_validator,
)

from qinqing.ingest.collections import BY_NAME

SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


def _describe(schema: dict, model: type) -> None:
    """Bilingual field descriptions from fields.yaml, added when the JSON Schema is generated
    (not at import: rebuilding every model would cost each build process ~50 ms). The models
    carry no description of their own: fields.yaml is the one place a field is described."""
    for name, prop in schema.get("properties", {}).items():
        zh, en = field_doc(model, name)
        if zh:
            prop["description"] = f"{zh} / {en}"


class Record(BaseModel):
    """Base of every mapping in the file: unknown fields are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True,
                              json_schema_extra=_describe)


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("blank")
    return value


Text = Annotated[str, AfterValidator(_not_blank)]


class Texts(Record):
    """Base of the data's texts (`Localized`, `Note`): zh and en are fields; the text of a
    further written language of the languages table is a key of its own (`de: …`, the row's
    `text.field`), each a Text. Validation allows only the keys the table declares (a located
    "unknown field" otherwise), and the schema lists them."""

    model_config = ConfigDict(extra="allow", frozen=True, str_strip_whitespace=True,
                              json_schema_extra=_describe)
    __pydantic_extra__: dict[str, Text] = Field(init=False)

    def written(self) -> dict[str, str]:
        """The further written languages' texts, `{field: text}`."""
        return dict(self.__pydantic_extra__ or {})


class Localized(Texts):
    """A text in Simplified Chinese and English (and any further written language of the
    languages table, see `Texts`).

    `en: null` marks an English translation as pending (a further language's: no key): it is a
    warning, not an error, and that edition shows the Chinese text labelled as untranslated.
    """

    zh: Text
    en: Text | None
    overrides: dict[str, Text] = {}

    @property
    def pending(self) -> bool:
        return self.en is None

    @model_serializer(mode="wrap")
    def _without_empty_overrides(self, handler: Any) -> Any:
        # Open data and diffs keep the YAML's shape: no `overrides: {}` on every text.
        out = handler(self)
        if isinstance(out, dict) and not out.get("overrides"):
            out.pop("overrides", None)
        return out


# The years a date may have: far wider than the work described (2010s–2020s), narrower than
# what a timestamp can hold.
YEARS = (1900, 2099)


def _coerce_date(value: object) -> object:
    # YAML reads `2023` as an int; an editor should not need quotes for a year.
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def _check_date(value: str) -> str:
    match = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value)
    if not match:
        raise ValueError("date_format")
    year, month, day = match.groups()
    if month is not None and not 1 <= int(month) <= 12:
        raise ValueError("date_month")
    if not YEARS[0] <= int(year) <= YEARS[1]:
        # Year 0 cannot be a date at all, and from 2106 a build's timestamp no longer fits the
        # gzip header: a typo such as 2203 would stop the build after the site was cleaned.
        raise ValueError("date_year")
    if day is not None and not 1 <= int(day) <= calendar.monthrange(int(year), int(month))[1]:
        raise ValueError("date_day")
    return value


PartialDate = Annotated[
    str,
    BeforeValidator(_coerce_date),
    AfterValidator(_check_date),
    Field(json_schema_extra={"pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"}),
]

# Names Windows cannot give a file or folder (an id is a page's folder: unzipping the preview
# artifact there would fail).
RESERVED_IDS = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))})
ID_MAX = 64


def _check_id(value: str) -> str:
    if value in RESERVED_IDS:
        raise ValueError("id_reserved")
    return value


Id = Annotated[
    str,
    AfterValidator(_check_id),
    Field(pattern=SLUG, max_length=ID_MAX),
]


def _check_url(value: str) -> str:
    # http(s) only, and only the characters a URL needs: no quote, bracket, space or angle
    # bracket that could end the attribute or the Markdown link it is written into.
    if not re.fullmatch(r"https?://[a-z0-9.-]+(?::[0-9]{1,5})?(?:[/?#][a-z0-9._~/?#@!$&*+,;=%:-]*)?", value,
                        re.IGNORECASE) or len(value) > 2000:
        raise ValueError("url_scheme")
    return value


Url = Annotated[str, AfterValidator(_check_url)]

Qualifier = Literal["exact", "about", "more_than"]
# Far above any figure of the work (the largest is 15 亿元), far below where a float stops
# being exact to the yuan: 1e400 or .inf is a mistake, not an amount.
MAX_NUMBER = 1e15
Unit = Literal["m2", "kWh", "times", "visits", "families", "people", "companies"]


class Money(Record):
    """An amount of money as a number, displayed as 15 亿元 / CNY 1.5 billion."""

    amount: float = Field(ge=0, le=MAX_NUMBER, allow_inf_nan=False)
    currency: Literal["CNY"]
    qualifier: Qualifier = "exact"
    per: Literal["year"] | None = None


class Quantity(Record):
    """A number with a unit, displayed as 2000 平方米 / 2,000 m²."""

    value: float = Field(ge=0, le=MAX_NUMBER, allow_inf_nan=False)
    unit: Unit
    qualifier: Qualifier = "exact"


DateBasis = Literal["stated", "year_inferred", "lunar_year_inferred"]


class Note(Texts):
    """An explanation for readers that the source does not give (a pun, a byname): shown
    labelled as a translator's (editor's) note, apart from the source's facts. A language
    without its text shows no note."""

    zh: Text | None = None
    en: Text | None = None


class Term(Record):
    """One entry of the termbase: the one English form of a Chinese name the site repeats."""

    zh: Text
    en: Text
    forms: list[Text] = []
    note: Text | None = None


class Citation(Record):
    """Where a record's facts come from: a section of a source and a verbatim excerpt."""

    document: Id = "article"
    section: Id
    excerpt: Text


class Inferred(Record):
    """A reference the cited passages do not state for this record, kept with the reason."""

    field: str
    id: Id
    reason: Localized


class Section(Record):
    id: Id
    title: Localized


class Document(Record):
    """A published text the data cites."""

    id: Id
    title: Localized
    publisher: Localized
    date: PartialDate
    language: Literal["zh-Hans", "en"] = "zh-Hans"
    url: Url | None = None
    text_file: str | None = None
    sections: list[Section] = Field(min_length=1)
    note: Note | None = None


class Principle(Record):
    id: Id
    text: Localized
    source: Citation


class Saying(Record):
    """A set phrase of the method (以文搭桥、以文聚心…)."""

    id: Id
    text: Localized
    pillar: Id | None = None
    source: Citation


class Method(Record):
    """The Family Ties Approach itself: its name, motto, principles and set phrases."""

    name: Localized
    motto: Localized
    summary: Localized
    lead: Localized | None = None
    lead_sources: list[Citation] = []
    principles: list[Principle] = Field(min_length=1)
    sayings: list[Saying] = []
    source: Citation


class Point(Record):
    """One strand of a pillar (文化共情, 社区联姻…), as the article states it."""

    id: Id
    title: Localized
    text: Localized
    note: Note | None = None
    source: Citation


class Pillar(Record):
    id: Id
    icon: str = Field(pattern=r"^(material|fontawesome|octicons|simple)/[a-z0-9-/]+$")
    title: Localized
    heading: Localized
    summary: Localized
    note: Note | None = None
    points: list[Point] = []
    source: Citation


class Place(Record):
    id: Id
    name: Localized
    kind: Literal["city", "province", "municipality", "district", "zone", "region"]
    within: Id | None = None
    abbreviations: list[Text] = []
    description: Localized | None = None
    note: Note | None = None
    source: Citation


class Organisation(Record):
    id: Id
    name: Localized
    short_name: Localized | None = None
    kind: Literal["government", "company", "association", "group"]
    taiwan_funded: bool | None = None
    taiwan_funded_source: Citation | None = None
    abbreviations: list[Text] = []
    description: Localized | None = None
    source: Citation

    @model_validator(mode="after")
    def _no_needs_source(self) -> Organisation:
        if self.taiwan_funded is False and self.taiwan_funded_source is None:
            raise ValueError("taiwan_funded_false")
        return self


class Person(Record):
    id: Id
    name: Localized
    roles: list[Localized] = []
    organisations: list[Id] = []
    description: Localized | None = None
    source: Citation


class Activity(Record):
    id: Id
    title: Localized
    pillar: Id
    date: PartialDate | None = None
    date_basis: DateBasis = "stated"
    as_of: bool = False
    date_note: Localized | None = None
    after: Id | None = None
    summary: Localized
    note: Note | None = None
    festivals: list[Localized] = []
    formats: list[Localized] = []
    count: Quantity | None = None
    places: list[Id] = []
    organisations: list[Id] = []
    people: list[Id] = []
    open_lists: list[str] = []
    inferred: list[Inferred] = []
    source: Citation
    more_sources: list[Citation] = []


class Station(Record):
    id: Id
    name: Localized
    kind: Literal["station", "platform"]
    pillar: Id = BY_NAME["stations"].pillar or ""
    partners: list[Id] = []
    location: Localized | None = None
    address: Localized | None = None
    summary: Localized
    note: Note | None = None
    services: list[Localized] = []
    url: Url | None = None
    open_lists: list[str] = []
    inferred: list[Inferred] = []
    source: Citation
    more_sources: list[Citation] = []


class Milestone(Record):
    date: PartialDate
    date_basis: DateBasis = "stated"
    event: Localized


class Project(Record):
    id: Id
    name: Localized
    kind: Literal["project", "agreement", "introduced"]
    pillar: Id = BY_NAME["projects"].pillar or ""
    date: PartialDate | None = None
    date_basis: DateBasis = "stated"
    as_of: bool = False
    after: Id | None = None
    amount: Money | None = None
    parties: list[Id] = []
    party_note: Localized | None = None
    places: list[Id] = []
    summary: Localized
    note: Note | None = None
    milestones: list[Milestone] = []
    open_lists: list[str] = []
    inferred: list[Inferred] = []
    source: Citation
    more_sources: list[Citation] = []


class Partnership(Record):
    id: Id
    parties: list[Id] = Field(min_length=2)
    relation: Localized
    date: PartialDate | None = None
    date_basis: DateBasis = "stated"
    as_of: bool = False
    source: Citation


class CaseFigure(Record):
    label: Localized
    money: Money | None = None
    quantity: Quantity | None = None
    noted: bool = False

    @model_validator(mode="after")
    def _one_value(self) -> CaseFigure:
        if (self.money is None) == (self.quantity is None):
            raise ValueError("one_value")
        return self


class SupportCase(Record):
    id: Id
    company: Id
    title: Localized
    summary: Localized
    figures: list[CaseFigure] = []
    project: Id | None = None
    note: Note | None = None
    source: Citation
    more_sources: list[Citation] = []


class Honour(Record):
    id: Id
    title: Localized
    awarded_by: Localized | None = None
    year: PartialDate | None = None
    date_basis: DateBasis = "stated"
    since: bool = False
    recipients: Quantity
    recipient_kind: Localized
    source: Citation


SpeechKind = Literal["direct", "reported", "paraphrase"]


class Quote(Record):
    """What someone said, as the source gives it: `direct` (说：“…”, quoted word for word),
    `reported` (表示，… in the source's own words) or `paraphrase` (纷纷表示: what many said,
    summed up by the source). Only direct speech is called a quotation."""

    id: Id
    kind: SpeechKind
    text: Localized
    speaker: Id | None = None
    speaker_label: Localized | None = None
    role: Localized | None = None
    pillar: Id | None = None
    source: Citation
    more_sources: list[Citation] = []

    @model_validator(mode="after")
    def _who(self) -> Quote:
        if self.speaker is None and self.speaker_label is None:
            raise ValueError("quote_speaker")
        return self


class SiteInfo(Record):
    """Who publishes this site and how to reach them, shown in every page's footer. Every
    field is optional: fill in only what is known (nothing is shown for a field left out)."""

    publisher: Localized | None = None
    contact: Localized | None = None
    website: Url | None = None
    icp: str | None = Field(None, max_length=60)


class Initiatives(Record):
    """The whole data file."""

    site: SiteInfo = SiteInfo()
    sources: list[Document] = Field(min_length=1)
    termbase: list[Term] = []
    method: Method
    pillars: list[Pillar] = Field(min_length=1)
    places: list[Place] = []
    organisations: list[Organisation] = []
    people: list[Person] = []
    activities: list[Activity]
    stations: list[Station]
    projects: list[Project]
    partnerships: list[Partnership] = []
    support_cases: list[SupportCase] = []
    honours: list[Honour] = []
    quotes: list[Quote] = []
    # Where each record's first passage stands in its source (set by validation, which reads
    # the source texts): records of the same period are ordered as the article reports them.
    _positions: dict[tuple[str, str], int] = PrivateAttr(default_factory=dict)

    def position(self, collection: str, record_id: str) -> str:
        """A sortable key of where the article reports a record (unknown: after the rest)."""
        return f"{self._positions.get((collection, record_id), 10 ** 9):010d}"

    def collections(self) -> dict[str, list[Record]]:
        return {
            name: getattr(self, name)
            for name in (
                "sources", "pillars", "places", "organisations", "people", "activities",
                "stations", "projects", "partnerships", "support_cases", "honours", "quotes",
            )
        }

    def index(self, collection: str) -> dict[str, Any]:  # the collection's own record type
        return {record.id: record for record in getattr(self, collection)}

    def pillar(self, pillar_id: str) -> Pillar:
        return self.index("pillars")[pillar_id]


# Which collection each reference field points at: checked in one place (`checks`) so
# every reference field gets the same located "does not exist" error.
REFERENCES: dict[str, str] = {
    "pillar": "pillars",
    "places": "places",
    "within": "places",
    "organisations": "organisations",
    "people": "people",
    "partners": "organisations",
    "parties": "organisations",
    "company": "organisations",
    "project": "projects",
    "speaker": "people",
    "after": "activities",
}
# `after` of a project points at an activity too (checked with the rest through REFERENCES).


def schema_text(written: tuple[str, ...] = ()) -> str:
    """The JSON Schema of the data file, as committed in schema/initiatives.schema.json.
    `written`: the languages table's further written fields (beyond zh and en), the only other
    keys a text may have."""
    import json

    schema = Initiatives.model_json_schema()
    for name in ("Localized", "Note"):
        definition = schema.get("$defs", {}).get(name)
        if definition is not None:
            definition["additionalProperties"] = False
            for field in written:
                definition.setdefault("properties", {})[field] = {"type": "string", "minLength": 1}
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "济南“亲情工作法”网站数据 / Data of the Family Ties Approach site"
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def walk(obj: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    """Every value below a record, depth first, with its path in the data file. Texts, citations,
    amounts, quantities and lists of ids are values in their own right: their insides are not
    visited."""
    # An explicit stack: nested `yield from` costs a frame per level for every value.
    stack = [(path, obj)]
    while stack:
        here, value = stack.pop()
        if isinstance(value, _LEAVES):
            continue
        if isinstance(value, BaseModel):
            children = [(here + (name,), getattr(value, name)) for name in type(value).model_fields]
        elif isinstance(value, list) and value and not isinstance(value[0], str):
            children = [(here + (k,), item) for k, item in enumerate(value)]
        else:
            continue
        yield from children
        stack.extend(reversed(children))


_LEAVES = (Localized, Citation, Money, Quantity, Note)


@cache
def field_texts() -> dict[str, dict[str, dict[str, str]]]:
    """What each field means, in every language: src/qinqing/i18n/fields.yaml,
    `{section: {key: {language code: text}}}`. Shown to editors by their YAML tools (through the
    JSON Schema) and to readers on the Data page."""
    text = resources.files("qinqing.i18n").joinpath("fields.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def field_text(model: type[BaseModel], name: str, section: str = "fields") -> dict[str, str]:
    """A field's description `{language code: text}` in a section of fields.yaml: the entry of
    "Model.field" if there is one, else that of the field's name, else `{}`."""
    docs = field_texts()[section]
    return docs.get(f"{model.__name__}.{name}") or docs.get(name) or {}


def field_doc(model: type[BaseModel], name: str) -> tuple[str, str]:
    """A field's description as (zh, en); ("", "") for a field fields.yaml does not describe."""
    texts = field_text(model, name)
    return texts.get("zh", ""), texts.get("en", "")


