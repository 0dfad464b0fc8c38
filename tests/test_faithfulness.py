"""Each faithfulness rule (qinqing.ingest.faithfulness) with a case that breaks it and one that keeps
it, on the corpus's smallest valid file: a located warning, an error under --strict."""

from __future__ import annotations

import shutil

import pytest

from qinqing.cli import main
from qinqing.ingest.validation import check

from conftest import DATA, ROOT

CORPUS = ROOT / "tests" / "invalid"
BASE = (CORPUS / "base.yaml.txt").read_text(encoding="utf-8")
ACTIVITY_SOURCE = "    source: {section: investment, excerpt: 带队赴上海，走访旺旺集团}\nstations:"
QUOTE = """quotes:
  - id: wang
    kind: {kind}
    speaker_label: {{zh: 台企负责人, en: Head of a company}}
    text: {{zh: 更为看重的是这里的人, en: We value its people even more}}
    source: {{section: investment, excerpt: "{excerpt}"}}
"""
WANG = "王克璋表示，在济南投资除了看重这里良好的营商环境和优惠的产业扶持政策之外,更为看重的是这里的人"
LIN = "能安排在结对家庭体验济南当地生活，真的是非常令人欣喜"

# name: (edits of the base file as (old, new) pairs, the warning's code or None, its field path)
CASES = {
    # numbers and their qualifiers
    "number-not-in-passage": ([("summary: {zh: 走访旺旺集团, en: Visiting Want Want Group}",
                                "summary: {zh: 走访旺旺集团3次, en: Visiting Want Want Group 3 times}")],
                              "faith_number", "activities[0].summary.zh"),
    "number-in-passage": ([("summary: {zh: 走访旺旺集团, en: Visiting Want Want Group}",
                            "summary: {zh: 走访台企12次, en: 12 visits}"),
                           (ACTIVITY_SOURCE, "    source: {section: investment, excerpt: 带队赴上海，走访旺旺集团}\n"
                            "    more_sources:\n      - {section: investment, excerpt: 走访台企12次}\nstations:")],
                          None, ""),
    "qualifier-dropped": ([("summary: {zh: 总投资约 15 亿元, en: About CNY 1.5 billion}",
                            "summary: {zh: 总投资15亿元, en: CNY 1.5 billion}")], "faith_qualifier", "projects[0].summary.zh"),
    "qualifier-dropped-in-english": ([("en: About CNY 1.5 billion}", "en: CNY 1.5 billion}")],
                                     "faith_qualifier_en", "projects[0].summary.en"),
    "figure-qualifier-changed": ([("qualifier: about}", "qualifier: exact}")], "faith_qualifier",
                                 "projects[0].amount.qualifier"),
    # lists
    "list-item-not-in-passage": ([("    places: [shanghai]\n    organisations: [want-want]\n",
                                   "    places: [shanghai]\n    organisations: [want-want]\n"
                                   "    festivals: [{zh: 春节, en: Spring Festival}]\n")],
                                 "faith_list_item", "activities[0].festivals[0].zh"),
    "list-continued-with-deng": ([(ACTIVITY_SOURCE, "    source: {section: investment, excerpt: 带队赴上海，走访旺旺集团、乾隆集团等台企}"
                                   "\nstations:")], "faith_list_open", "activities[0].organisations"),
    "list-marked-open": ([(ACTIVITY_SOURCE, "    open_lists: [organisations]\n    source: {section: investment, "
                           "excerpt: 带队赴上海，走访旺旺集团、乾隆集团等台企}\nstations:")], None, ""),
    "open-list-not-a-list": ([(ACTIVITY_SOURCE, "    open_lists: [colours]\n" + ACTIVITY_SOURCE)],
                             "faith_open_unknown", "activities[0].open_lists[0]"),
    # names
    "place-not-named": ([(ACTIVITY_SOURCE, "    source: {section: investment, excerpt: 走访旺旺集团}\nstations:")],
                        "faith_name", "activities[0].places[0]"),
    "place-marked-inferred": ([(ACTIVITY_SOURCE, "    inferred:\n      - field: places\n        id: shanghai\n"
                                "        reason: {zh: 走访地点据上文推定, en: Inferred from the passage before}\n"
                                "    source: {section: investment, excerpt: 走访旺旺集团}\nstations:")], None, ""),
    "inferred-but-not-listed": ([(ACTIVITY_SOURCE, "    inferred:\n      - field: people\n        id: shanghai\n"
                                  "        reason: {zh: 理由, en: Reason}\n" + ACTIVITY_SOURCE)],
                                "faith_inferred_ref", "activities[0].inferred[0].id"),
    # sections
    "filed-under-another-pillar": ([("    pillar: investment\n    date: 2023-02-03\n", "    pillar: culture\n    date: 2023-02-03\n"),
                                    ("pillars:\n", "pillars:\n  - id: culture\n    icon: material/heart\n"
                                     "    title: {zh: 亲情文化, en: Culture}\n    heading: {zh: 文化, en: Culture}\n"
                                     "    summary: {zh: 以亲情为纽带, en: Ties}\n    source: {section: intro, excerpt: 以亲情为纽带}\n"),
                                    ("      - id: investment\n", "      - id: culture\n        title: {zh: 一, en: I}\n"
                                     "      - id: investment\n")],
                                   "faith_section", "activities[0].pillar"),
    # speech
    "reported-speech-marked-direct": ([("stations:", QUOTE.format(kind="direct", excerpt=WANG) + "stations:")],
                                      "faith_speech", "quotes[0].kind"),
    "reported-speech-marked-reported": ([("stations:", QUOTE.format(kind="reported", excerpt=WANG) + "stations:")],
                                        None, ""),
    "direct-speech-marked-reported": ([("stations:", QUOTE.format(kind="reported", excerpt=LIN) + "stations:")],
                                      "faith_speech", "quotes[0].kind"),
    "direct-speech-marked-direct": ([("stations:", QUOTE.format(kind="direct", excerpt=LIN) + "stations:")], None, ""),
}


@pytest.fixture
def folder(tmp_path, monkeypatch):
    shutil.copytree(DATA.parent / "source", tmp_path / "source")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _write(folder, edits) -> str:
    text = BASE
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    (folder / "case.yaml").write_text(text, encoding="utf-8")
    return "case.yaml"


@pytest.mark.parametrize("name", sorted(CASES), ids=str)
def test_each_rule_warns_where_broken_and_is_silent_where_kept(name, folder, capsys):
    edits, code, field = CASES[name]
    path = _write(folder, edits)
    warnings = check(path).warnings
    assert [(w.code, w.field_path()) for w in warnings] == ([(code, field)] if code else [])
    # A warning by default (exit 0), an error under --strict (exit 1), located.
    assert main(["validate", path]) == 0
    assert main(["validate", "--strict", path]) == (1 if code else 0)
    err = capsys.readouterr().err
    if code:
        assert f"case.yaml:{warnings[0].line}:{warnings[0].col}: warning: {field}: " in err


def test_the_real_data_passes_every_rule():
    assert [w for w in check(DATA).warnings if w.code.startswith("faith_")] == []
