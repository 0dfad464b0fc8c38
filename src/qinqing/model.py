"""The typed model of `data/initiatives.yaml`.

Every human text is a `Localized(zh, en)`, so a record cannot exist in one language only.
Cross-record checks (unique ids, references that resolve, excerpts that quote the source)
live in `Initiatives`' validators, so `model_validate` is the single gate the build and
`qinqing validate` both pass through.
"""

from __future__ import annotations

import calendar
import re
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    model_validator,
)

SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


class Record(BaseModel):
    """Base of every mapping in the file: unknown fields are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("blank")
    return value


Text = Annotated[str, AfterValidator(_not_blank)]


class Localized(Record):
    """A text in Simplified Chinese and English.

    `en: null` marks an English translation as pending: it is a warning, not an error,
    and the English page shows the Chinese text labelled as untranslated.
    """

    zh: Text = Field(description="简体中文 / Simplified Chinese")
    en: Text | None = Field(
        description="English; null = translation pending / 英文；null 表示译文待补"
    )

    @property
    def pending(self) -> bool:
        return self.en is None


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
    if day is not None and not 1 <= int(day) <= calendar.monthrange(int(year), int(month))[1]:
        raise ValueError("date_day")
    return value


PartialDate = Annotated[
    str,
    BeforeValidator(_coerce_date),
    AfterValidator(_check_date),
    Field(
        description="YYYY, YYYY-MM or YYYY-MM-DD: only the precision the source gives / "
        "年、年-月或年-月-日，只写来源给出的精度",
        json_schema_extra={"pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"},
    ),
]

Id = Annotated[
    str,
    Field(
        pattern=SLUG,
        description="Stable ASCII id used in URLs, e.g. shanghai-visit / 稳定的英文标识，用于网址",
    ),
]


def _check_url(value: str) -> str:
    if not re.match(r"^https?://[^\s/$.?#][^\s]*$", value, re.IGNORECASE):
        raise ValueError("url_scheme")
    return value


Url = Annotated[str, AfterValidator(_check_url), Field(description="http(s) URL")]

Qualifier = Literal["exact", "about", "more_than"]
Unit = Literal["m2", "kWh", "times", "families", "people", "companies"]


class Money(Record):
    """An amount of money as a number, displayed as 15 亿元 / CNY 1.5 billion."""

    amount: float = Field(ge=0, description="金额（元）/ amount in yuan")
    currency: Literal["CNY"] = Field(description="货币 / currency")
    qualifier: Qualifier = Field(
        "exact", description="exact, about (约) or more_than (余) / 精确、约或余"
    )
    per: Literal["year"] | None = Field(None, description="per year / 每年")


class Quantity(Record):
    """A number with a unit, displayed as 2000 平方米 / 2,000 m²."""

    value: float = Field(ge=0, description="数值 / number")
    unit: Unit = Field(description="单位 / unit")
    qualifier: Qualifier = "exact"


class Citation(Record):
    """Where a record's facts come from: a section of a source and a verbatim excerpt."""

    document: Id = Field("article", description="来源文件的 id / id of the source document")
    section: Id = Field(description="来源章节的 id / id of the section in the source")
    excerpt: Text = Field(
        description="来源原文摘录（逐字）/ verbatim excerpt of the source, in Chinese"
    )


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
    text_file: str | None = Field(
        None,
        description="Path of the plain text, relative to the data file, used to check excerpts "
        "/ 原文纯文本路径（相对数据文件），用于核对摘录",
    )
    sections: list[Section] = Field(min_length=1)


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
    """The work method itself: name, motto, principles and set phrases."""

    name: Localized
    motto: Localized
    summary: Localized
    principles: list[Principle] = Field(min_length=1)
    sayings: list[Saying] = []
    source: Citation


class Point(Record):
    """One strand of a pillar (文化共情, 社区联姻…), as the article states it."""

    id: Id
    title: Localized
    text: Localized
    source: Citation


class Pillar(Record):
    id: Id
    icon: str = Field(
        pattern=r"^(material|fontawesome|octicons|simple)/[a-z0-9-/]+$",
        description="A bundled theme icon, e.g. material/heart / 主题自带图标",
    )
    title: Localized
    heading: Localized
    summary: Localized
    points: list[Point] = []
    source: Citation


class Place(Record):
    id: Id
    name: Localized
    kind: Literal["city", "province", "municipality", "district", "zone", "region"]
    within: Id | None = None
    description: Localized | None = None
    source: Citation


class Organisation(Record):
    id: Id
    name: Localized
    short_name: Localized | None = None
    kind: Literal["government", "company", "association", "group"]
    taiwan_funded: bool = False
    description: Localized | None = None
    source: Citation


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
    as_of: bool = Field(False, description="The date is a 'by' date (截至) / 日期为截至日期")
    date_note: Localized | None = None
    summary: Localized
    festivals: list[Localized] = []
    formats: list[Localized] = []
    count: Quantity | None = None
    places: list[Id] = []
    organisations: list[Id] = []
    people: list[Id] = []
    source: Citation


class Station(Record):
    id: Id
    name: Localized
    kind: Literal["station", "platform"]
    pillar: Id = "service"
    partners: list[Id] = []
    location: Localized | None = None
    address: Localized | None = None
    summary: Localized
    services: list[Localized] = []
    url: Url | None = None
    source: Citation


class Milestone(Record):
    date: PartialDate
    event: Localized


class Project(Record):
    id: Id
    name: Localized
    kind: Literal["project", "agreement"]
    pillar: Id = "investment"
    date: PartialDate | None = None
    as_of: bool = False
    amount: Money | None = None
    parties: list[Id] = []
    party_note: Localized | None = None
    places: list[Id] = []
    summary: Localized
    milestones: list[Milestone] = []
    source: Citation


class Partnership(Record):
    id: Id
    parties: list[Id] = Field(min_length=2)
    relation: Localized
    date: PartialDate | None = None
    as_of: bool = False
    source: Citation


class CaseFigure(Record):
    label: Localized
    money: Money | None = None
    quantity: Quantity | None = None

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
    source: Citation


class Honour(Record):
    id: Id
    title: Localized
    awarded_by: Localized | None = None
    year: PartialDate | None = None
    recipients: Quantity
    recipient_kind: Localized
    source: Citation


class Quote(Record):
    id: Id
    text: Localized
    speaker: Id | None = None
    speaker_label: Localized | None = None
    role: Localized
    pillar: Id | None = None
    source: Citation

    @model_validator(mode="after")
    def _who(self) -> Quote:
        if self.speaker is None and self.speaker_label is None:
            raise ValueError("quote_speaker")
        return self


class Initiatives(Record):
    """The whole data file."""

    sources: list[Document] = Field(min_length=1)
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

    def collections(self) -> dict[str, list[Record]]:
        return {
            name: getattr(self, name)
            for name in (
                "sources", "pillars", "places", "organisations", "people", "activities",
                "stations", "projects", "partnerships", "support_cases", "honours", "quotes",
            )
        }

    def index(self, collection: str) -> dict[str, Record]:
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
}


def schema_text() -> str:
    """The JSON Schema of the data file, as committed in schema/initiatives.schema.json."""
    import json

    schema = Initiatives.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "济南“亲情工作法”网站数据 / Data of the family-affection work method site"
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
