"""The model and the rules across records, on the real data and on one-mistake variants of it."""

from __future__ import annotations

import shutil

import pytest
from pydantic import ValidationError

from qinqing.errors import DataError
from qinqing.ingest.model import Localized, Money
from qinqing.ingest.validation import check

from conftest import DATA

REAL = DATA.read_text(encoding="utf-8")


def variant(tmp_path, old: str, new: str, count: int = 1):
    """The real data file with `old` replaced by `new` (which must occur), beside its source text."""
    assert old in REAL, old
    folder = tmp_path / "data"
    shutil.copytree(DATA.parent, folder, dirs_exist_ok=True)
    path = folder / "initiatives.yaml"
    path.write_text(REAL.replace(old, new, count), encoding="utf-8")
    return path


def issues(path):
    with pytest.raises(DataError) as err:
        check(path)
    return err.value.issues


def line_of(text: str) -> int:
    return REAL[: REAL.index(text)].count("\n") + 1


def test_real_data_is_valid_and_complete():
    checked = check(DATA)
    data = checked.data
    assert checked.warnings == []
    assert len(data.activities) >= 8 and len(data.stations) >= 4 and len(data.projects) >= 4
    assert {p.id for p in data.pillars} == {"culture", "service", "investment"}
    assert len(data.method.principles) == 4
    # Facts kept at the precision the article gives.
    visit = data.index("activities")["shanghai-new-year-visit"]
    assert visit.date == "2023-02-03" and visit.date_note.zh == "正月十三"
    rural = data.index("projects")["rural-revitalisation-tourism"]
    assert rural.amount == Money(amount=1_500_000_000, currency="CNY", qualifier="about")
    # Nothing the article does not say: no station has an address, no undated activity gets a date.
    assert all(s.address is None for s in data.stations)
    assert data.index("activities")["jinan-keelung-neighbourhood-festival"].date is None


def test_localized_needs_both_languages():
    with pytest.raises(ValidationError):
        Localized.model_validate({"zh": "济南"})
    with pytest.raises(ValidationError):
        Localized.model_validate({"zh": " ", "en": "Jinan"})
    assert Localized.model_validate({"zh": "济南", "en": None}).pending


def test_missing_english_is_located(tmp_path):
    path = variant(tmp_path, "    title: {zh: 正月十三赴上海“拜年式”招商, en: \"A New Year call on Taiwan-funded enterprises in Shanghai\"}",
                   "    title: {zh: 正月十三赴上海“拜年式”招商}")
    [issue] = issues(path)
    assert issue.code == "missing_language"
    assert issue.field_path() == "activities[0].title.en"
    assert issue.line == line_of("    title: {zh: 正月十三赴上海")


def test_pending_english_is_a_warning(tmp_path):
    path = variant(tmp_path, 'en: "A New Year call on Taiwan-funded enterprises in Shanghai"', "en: null")
    checked = check(path)
    [warning] = checked.warnings
    assert warning.code == "translation_pending" and warning.field_path() == "activities[0].title.en"


@pytest.mark.parametrize("old,new,code,field", [
    ("date: 2023-02-03", "date: 2023-02-30", "date_day", "activities[0].date"),
    ("date: 2023-02-03", "date: 2023-13", "date_month", "activities[0].date"),
    ("date: 2023-02-03", "date: 3 Feb 2023", "date_format", "activities[0].date"),
    ("amount: 1500000000", "amount: -1", "negative", "projects[0].amount.amount"),
    ("amount: 1500000000", "amount: 15亿", "want_number", "projects[0].amount.amount"),
    ("currency: CNY", "currency: RMB", "choice", "projects[0].amount.currency"),
    ("  - id: shanghai-new-year-visit", "  - id: Shanghai Visit", "id_pattern", "activities[0].id"),
    ("    pillar: investment\n    date: 2023-02-03", "    pilar: investment\n    date: 2023-02-03", "extra_close", "activities[0].pilar"),
    ("places: [shanghai]", "places: [shanghia]", "unknown_ref_close", "activities[0].places[0]"),
    ("  - id: community-twinning", "  - id: shanghai-new-year-visit", "duplicate_id", "activities[5].id"),
    ("excerpt: 今年正月十三，济南市台港澳办主要领导带队赴上海", "excerpt: 今年正月十五，济南市台港澳办主要领导带队赴上海", "excerpt_not_found", "activities[0].source.excerpt"),
    ("section: investment, excerpt: 今年正月十三", "section: culturee, excerpt: 今年正月十三", "unknown_section", "activities[0].source.section"),
])
def test_one_mistake_gives_one_located_error(tmp_path, old, new, code, field):
    path = variant(tmp_path, old, new)
    found = issues(path)
    assert [(i.code, i.field_path()) for i in found] == [(code, field)]
    assert found[0].line > 1 and found[0].col >= 1


def test_all_errors_at_once(tmp_path):
    path = variant(tmp_path, "date: 2023-02-03", "date: 2023-02-30")
    text = path.read_text(encoding="utf-8").replace("currency: CNY", "currency: RMB")
    path.write_text(text, encoding="utf-8")
    assert {i.code for i in issues(path)} == {"date_day", "choice"}


def test_report_line_format(tmp_path):
    path = variant(tmp_path, "date: 2023-02-03", "date: 2023-02-30")
    with pytest.raises(DataError) as err:
        check(path)
    line = err.value.report("data/initiatives.yaml")
    assert line.startswith(f"data/initiatives.yaml:{line_of('date: 2023-02-03')}:11: activities[0].date: ")
    assert "日期" in line and "does not exist" in line


def test_icon_the_theme_lacks_is_a_located_error():
    from qinqing.pages.site import SiteData

    site = SiteData.load(DATA)
    site.check_icons(lambda name: name != "material/handshake")
    [issue] = site.error.issues
    assert issue.code == "icon_missing" and issue.field_path() == "pillars[2].icon"
    assert issue.line == line_of("icon: material/handshake")
