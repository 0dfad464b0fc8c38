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
from typing import Annotated, Any, Literal

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

SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


def _describe(schema: dict, model: type) -> None:
    """Bilingual field descriptions from FIELD_DOCS, added when the JSON Schema is generated
    (not at import: rebuilding every model would cost each build process ~50 ms)."""
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


class Localized(Record):
    """A text in Simplified Chinese and English.

    `en: null` marks an English translation as pending: it is a warning, not an error,
    and the English page shows the Chinese text labelled as untranslated.
    """

    zh: Text = Field(description="简体中文 / Simplified Chinese")
    en: Text | None = Field(
        description="English; null = translation pending / 英文；null 表示译文待补"
    )
    overrides: dict[str, Text] = Field(
        {}, description="Hand-written forms for converted languages, by language code (e.g. "
        "zh-hant), which win over the automatic conversion / 转换语言的人工写法，按语言代码（如 zh-hant）"
        "填写，优先于自动转换")

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
    Field(
        description="YYYY, YYYY-MM or YYYY-MM-DD: only the precision the source gives / "
        "年、年-月或年-月-日，只写来源给出的精度",
        json_schema_extra={"pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"},
    ),
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
    Field(
        pattern=SLUG,
        max_length=ID_MAX,
        description="Stable ASCII id used in URLs, e.g. shanghai-visit / 稳定的英文标识，用于网址",
    ),
]


def _check_url(value: str) -> str:
    # http(s) only, and only the characters a URL needs: no quote, bracket, space or angle
    # bracket that could end the attribute or the Markdown link it is written into.
    if not re.fullmatch(r"https?://[a-z0-9.-]+(?::[0-9]{1,5})?(?:[/?#][a-z0-9._~/?#@!$&*+,;=%:-]*)?", value,
                        re.IGNORECASE) or len(value) > 2000:
        raise ValueError("url_scheme")
    return value


Url = Annotated[str, AfterValidator(_check_url), Field(description="http(s) URL")]

Qualifier = Literal["exact", "about", "more_than"]
# Far above any figure of the work (the largest is 15 亿元), far below where a float stops
# being exact to the yuan: 1e400 or .inf is a mistake, not an amount.
MAX_NUMBER = 1e15
Unit = Literal["m2", "kWh", "times", "visits", "families", "people", "companies"]


class Money(Record):
    """An amount of money as a number, displayed as 15 亿元 / CNY 1.5 billion."""

    amount: float = Field(ge=0, le=MAX_NUMBER, allow_inf_nan=False, description="金额（元）/ amount in yuan")
    currency: Literal["CNY"] = Field(description="货币 / currency")
    qualifier: Qualifier = Field(
        "exact", description="exact, about (约) or more_than (余) / 精确、约或余"
    )
    per: Literal["year"] | None = Field(None, description="per year / 每年")


class Quantity(Record):
    """A number with a unit, displayed as 2000 平方米 / 2,000 m²."""

    value: float = Field(ge=0, le=MAX_NUMBER, allow_inf_nan=False, description="数值 / number")
    unit: Unit = Field(description="单位 / unit")
    qualifier: Qualifier = "exact"


DateBasis = Literal["stated", "year_inferred", "lunar_year_inferred"]
DATE_BASIS_FIELD: Any = Field(
    "stated",
    description="How the date was obtained: stated (as the source gives it), year_inferred (the source "
    "gives no year; it is inferred from the publication date), lunar_year_inferred (converted from a lunar "
    "date, year inferred) / 日期依据：stated 原文写明；year_inferred 年份据发布日期推定；"
    "lunar_year_inferred 由农历换算、年份推定",
)


class Note(Record):
    """An explanation for readers that the source does not give (a pun, a byname): shown
    labelled as a translator's (editor's) note, apart from the source's facts. A language
    without its text shows no note."""

    zh: Text | None = Field(None, description="编者注（中文，可省略）/ editor's note in Chinese, optional")
    en: Text | None = Field(None, description="Translator's note in English / 英文译者注")


class Term(Record):
    """One entry of the termbase: the one English form of a Chinese name the site repeats."""

    zh: Text = Field(description="中文术语 / the Chinese term")
    en: Text = Field(description="唯一的英文译法 / its one English form")
    forms: list[Text] = Field([], description="Other accepted English forms (plural, short form after "
                              "the first mention) / 其他可接受的英文形式（复数、简称）")
    note: Text | None = Field(None, description="为何如此译 / why this form")


class Citation(Record):
    """Where a record's facts come from: a section of a source and a verbatim excerpt."""

    document: Id = Field("article", description="来源文件的 id / id of the source document")
    section: Id = Field(description="来源章节的 id / id of the section in the source")
    excerpt: Text = Field(
        description="来源原文摘录（逐字）/ verbatim excerpt of the source, in Chinese"
    )


OPEN_LISTS_FIELD: Any = Field(
    [], description="List fields the source ends with 等 (春节、端午节……等): shown as open wherever they "
    "appear / 原文以“等”结尾的列表字段：显示时注明“等”")


class Inferred(Record):
    """A reference the cited passages do not state for this record, kept with the reason."""

    field: str = Field(description="The list field, e.g. places / 字段名，如 places")
    id: Id = Field(description="The id it refers to / 所指记录的 id")
    reason: Localized = Field(description="Why it is inferred / 推定的理由")


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
    """The work method itself: name, motto, principles and set phrases."""

    name: Localized
    motto: Localized
    summary: Localized
    lead: Localized | None = Field(None, description="One plain sentence naming the concrete work, for the "
                                   "home page / 首页导语：一句话说明具体做了什么")
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
    icon: str = Field(
        pattern=r"^(material|fontawesome|octicons|simple)/[a-z0-9-/]+$",
        description="A bundled theme icon, e.g. material/heart / 主题自带图标",
    )
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
    abbreviations: list[Text] = Field([], description="Short forms the source uses for it (济 for 济南, as in "
                                      "来济) / 原文所用简称（如“来济”的“济”）")
    description: Localized | None = None
    note: Note | None = None
    source: Citation


class Organisation(Record):
    id: Id
    name: Localized
    short_name: Localized | None = None
    kind: Literal["government", "company", "association", "group"]
    taiwan_funded: bool | None = Field(
        None, description="Whether the source calls it Taiwan-funded (台企): true, false, or left out when the "
        "source does not say / 原文是否称其为台企：true、false；原文未说明则不写")
    taiwan_funded_source: Citation | None = Field(
        None, description="Where the source says it is not Taiwan-funded (needed for false) / 原文说明其非台企之处")
    abbreviations: list[Text] = Field([], description="Short forms the source uses for it (市医保局) / 原文所用简称")
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
    date_basis: DateBasis = DATE_BASIS_FIELD
    as_of: bool = Field(False, description="The date is a 'by' date (截至) / 日期为截至日期")
    date_note: Localized | None = None
    after: Id | None = Field(None, description="Id of an activity this one follows (不久后): it is listed "
                             "right after it / 紧随其后的活动 id")
    summary: Localized
    note: Note | None = None
    festivals: list[Localized] = []
    formats: list[Localized] = []
    count: Quantity | None = None
    places: list[Id] = []
    organisations: list[Id] = []
    people: list[Id] = []
    open_lists: list[str] = OPEN_LISTS_FIELD
    inferred: list[Inferred] = []
    source: Citation
    more_sources: list[Citation] = []


class Station(Record):
    id: Id
    name: Localized
    kind: Literal["station", "platform"]
    pillar: Id = "service"
    partners: list[Id] = []
    location: Localized | None = None
    address: Localized | None = None
    summary: Localized
    note: Note | None = None
    services: list[Localized] = []
    url: Url | None = None
    open_lists: list[str] = OPEN_LISTS_FIELD
    inferred: list[Inferred] = []
    source: Citation
    more_sources: list[Citation] = []


class Milestone(Record):
    date: PartialDate
    date_basis: DateBasis = DATE_BASIS_FIELD
    event: Localized


class Project(Record):
    id: Id
    name: Localized
    kind: Literal["project", "agreement", "introduced"]
    pillar: Id = "investment"
    date: PartialDate | None = None
    date_basis: DateBasis = DATE_BASIS_FIELD
    as_of: bool = False
    after: Id | None = Field(None, description="Id of the activity that brought it about, when the source dates "
                             "it only by that (不久后…达成合作协议): it is listed with it / 原文只以某活动为时间参照时，该活动的 id")
    amount: Money | None = None
    parties: list[Id] = []
    party_note: Localized | None = None
    places: list[Id] = []
    summary: Localized
    note: Note | None = None
    milestones: list[Milestone] = []
    open_lists: list[str] = OPEN_LISTS_FIELD
    inferred: list[Inferred] = []
    source: Citation
    more_sources: list[Citation] = []


class Partnership(Record):
    id: Id
    parties: list[Id] = Field(min_length=2)
    relation: Localized
    date: PartialDate | None = None
    date_basis: DateBasis = DATE_BASIS_FIELD
    as_of: bool = False
    source: Citation


class CaseFigure(Record):
    label: Localized
    money: Money | None = None
    quantity: Quantity | None = None
    noted: bool = Field(False, description="The case’s translator’s note explains this figure (shown with it) / "
                        "本案例的编者注说明此数字")

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
    date_basis: DateBasis = DATE_BASIS_FIELD
    since: bool = Field(False, description="The date is a 'since' date (今年以来): since the start of the year / "
                        "日期为“以来”")
    recipients: Quantity
    recipient_kind: Localized
    source: Citation


SpeechKind = Literal["direct", "reported", "paraphrase"]


class Quote(Record):
    """What someone said, as the source gives it: `direct` (说：“…”, quoted word for word),
    `reported` (表示，… in the source's own words) or `paraphrase` (纷纷表示: what many said,
    summed up by the source). Only direct speech is called a quotation."""

    id: Id
    kind: SpeechKind = Field(description="direct (说：“…”), reported (表示，…) or paraphrase (纷纷表示) / "
                             "直接引语、间接转述或概括转述")
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


def schema_text() -> str:
    """The JSON Schema of the data file, as committed in schema/initiatives.schema.json."""
    import json

    schema = Initiatives.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "济南“亲情工作法”网站数据 / Data of the Family Ties Approach site"
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


# What each field means, in both languages: shown to editors by their YAML tools (through the
# JSON Schema) and to readers on the Data page. Keyed by field name, or "Model.field" where a
# field means something different in one model.
FIELD_DOCS: dict[str, tuple[str, str]] = {
    "id": ("稳定的英文标识（小写字母、数字、连字符），用于网址，发布后不改", "Stable ASCII id (lowercase, digits, hyphens) used in URLs; never changes once published"),
    "zh": ("简体中文", "Simplified Chinese"),
    "en": ("英文；null 表示译文待补", "English; null while the translation is pending"),
    "title": ("标题", "Title"),
    "name": ("名称", "Name"),
    "short_name": ("简称", "Short name"),
    "summary": ("概述（依据原文）", "Summary, following the source"),
    "text": ("正文", "Text"),
    "heading": ("原文章节标题", "Heading of the article’s section"),
    "description": ("说明", "Description"),
    "source": ("来源：章节与原文摘录", "Source: section and verbatim excerpt"),
    "document": ("来源文件的 id", "Id of the source document"),
    "section": ("来源章节的 id", "Id of the section in the source"),
    "excerpt": ("原文摘录，逐字照录的中文", "Verbatim excerpt of the source, in Chinese"),
    "date": ("日期：年、年-月或年-月-日，只写来源给出的精度", "Date: YYYY, YYYY-MM or YYYY-MM-DD, only the precision the source gives"),
    "as_of": ("为 true 时日期表示“截至”", "When true, the date is a “by” date"),
    "date_note": ("日期说明，如农历日期", "Note on the date, such as its lunar form"),
    "date_basis": ("日期依据：stated 原文写明、year_inferred 年份推定、lunar_year_inferred 农历换算且年份推定", "Basis of the date: stated, year_inferred, or lunar_year_inferred"),
    "after": ("紧随其后的活动 id（原文“不久后”）", "Id of the activity this one follows (the source’s “soon after”)"),
    "note": ("编者注/译者注：原文没有的解释，单独标注", "Translator’s note: an explanation the source does not give, labelled as such"),
    "lead": ("首页导语", "Home page lead sentence"),
    "site": ("本站信息（页脚）：只填已知的，不得编造", "About this site (footer): only what is known, nothing invented"),
    "SiteInfo.publisher": ("本站主办单位", "Publisher of this site"),
    "contact": ("联系方式", "How to contact the publisher"),
    "website": ("主办单位官方网站（http/https 地址）", "The publisher’s official website (http/https address)"),
    "icp": ("ICP 备案号，照证书填写", "ICP registration number, as registered"),
    "Document.url": ("原文网址（已知时填写）", "Address of the original publication, when known"),
    "lead_sources": ("导语的来源", "Sources of the lead sentence"),
    "termbase": ("术语表：中文术语的唯一英文译法", "Termbase: the one English form of each Chinese term"),
    "forms": ("其他可接受的英文形式", "Other accepted English forms"),
    "overrides": ("转换语言的人工写法（如繁体）", "Hand-written forms for converted languages (e.g. Traditional)"),
    "pillar": ("所属板块的 id（culture、service、investment）", "Id of the pillar (culture, service, investment)"),
    "places": ("地点 id 列表", "Ids of places"),
    "organisations": ("机构与企业 id 列表", "Ids of organisations and companies"),
    "people": ("人物 id 列表", "Ids of people"),
    "festivals": ("节日", "Festivals"),
    "formats": ("形式", "Formats"),
    "count": ("次数等数量", "Count, with its unit"),
    "kind": ("类型", "Kind"),
    "partners": ("合作单位（机构 id）", "Partner organisations (ids)"),
    "location": ("位置描述（来源给出时）", "Location as the source describes it"),
    "address": ("地址，仅当来源给出时填写", "Address, only when the source gives one"),
    "services": ("服务内容", "Services"),
    "url": ("网址（仅 http/https）", "Web address (http/https only)"),
    "amount": ("金额", "Amount"),
    "Money.amount": ("金额数字（元）", "Amount in yuan"),
    "currency": ("货币（CNY）", "Currency (CNY)"),
    "qualifier": ("exact 精确、about 约、more_than 余", "exact, about (约) or more_than (余)"),
    "per": ("周期（year 表示每年）", "Period (year = per year)"),
    "value": ("数值", "Number"),
    "unit": ("单位", "Unit"),
    "parties": ("各方（机构 id）", "Parties (organisation ids)"),
    "party_note": ("各方说明（来源未列名时）", "Note on the parties when the source does not name them"),
    "milestones": ("进展（日期与事件）", "Milestones (date and event)"),
    "event": ("事件", "Event"),
    "relation": ("合作关系", "Relationship"),
    "company": ("企业（机构 id）", "Company (organisation id)"),
    "figures": ("数字（金额或数量）", "Figures (money or quantity)"),
    "label": ("名称", "Label"),
    "money": ("金额", "Money"),
    "quantity": ("数量", "Quantity"),
    "project": ("相关项目 id", "Id of the related project"),
    "awarded_by": ("授予单位", "Awarded by"),
    "year": ("年度", "Year"),
    "recipients": ("获得者数量", "Number of recipients"),
    "recipient_kind": ("获得者类型", "Kind of recipient"),
    "speaker": ("说话人（人物 id）", "Speaker (person id)"),
    "speaker_label": ("说话人说明（非具体人物时）", "Speaker, when not one named person"),
    "role": ("说话人身份", "Speaker’s role"),
    "roles": ("身份", "Roles"),
    "within": ("所在地（地点 id）", "Located within (place id)"),
    "taiwan_funded": ("原文是否称其为台企：true、false；原文未说明则为空", "Whether the source calls it Taiwan-funded: true, false, or empty where the source does not say"),
    "icon": ("主题自带图标名，如 material/heart", "Bundled theme icon, e.g. material/heart"),
    "points": ("要点", "Points"),
    "publisher": ("发布机构", "Publisher"),
    "language": ("语言", "Language"),
    "text_file": ("原文纯文本路径（相对数据文件），用于核对摘录", "Plain text of the source, relative to the data file, used to check excerpts"),
    "sections": ("章节", "Sections"),
    "motto": ("理念", "Motto"),
    "principles": ("四个“以”", "Principles"),
    "sayings": ("工作理念短语", "Guiding phrases"),
    "sources": ("来源文件", "Source documents"),
    "method": ("亲情工作法", "The work method"),
    "pillars": ("三大板块", "The three pillars"),
    "activities": ("活动", "Activities"),
    "stations": ("服务平台与站点", "Service platforms and stations"),
    "projects": ("项目与合作", "Projects and partnerships"),
    "partnerships": ("战略合作", "Strategic partnerships"),
    "support_cases": ("惠企案例", "Help for enterprises"),
    "honours": ("荣誉", "Honours"),
    "quotes": ("台胞之声：所说的话，注明直接引语、转述或概括转述", "Voices: what people said, marked as quotation, reported speech or summary"),
    "Quote.kind": ("说话方式：direct 原话（说：“…”）、reported 转述（表示，…）、paraphrase 概括转述（纷纷表示）", "Kind of speech: direct (a quotation), reported (in the source’s words) or paraphrase (what many said, summed up)"),
    "open_lists": ("原文以“等”结尾的列表字段", "List fields the source ends with 等 (among others)"),
    "inferred": ("原文未写明、由本站推定的引用，附理由", "References the source does not state, inferred by this site, with the reason"),
    "more_sources": ("另引的原文段落（逐字）", "Further verbatim passages the record cites"),
    "abbreviations": ("原文所用简称（如“来济”的“济”）", "Short forms the source uses (济 in 来济)"),
    "since": ("为 true 时日期表示“以来”（今年以来）", "When true, the date is a “since” date (今年以来)"),
    "taiwan_funded_source": ("原文说明其非台企之处", "Where the source says it is not Taiwan-funded"),
    "Project.after": ("原文只以某活动为时间参照时，该活动的 id", "Id of the activity that dates it, when the source dates it only by that activity"),
}


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


def field_doc(model: type[BaseModel], name: str) -> tuple[str, str]:
    return FIELD_DOCS.get(f"{model.__name__}.{name}") or FIELD_DOCS.get(name) or ("", "")


