"""The wording of the UI strings (src/qinqing/i18n/strings.yaml) and of the theme's strings we override.

English as a native editor of an official British publication writes it: British spelling,
curly apostrophes and quotation marks, sentence case, no brackets inside or straight after
brackets, and one name per thing. The data's termbase (data/initiatives.yaml `termbase`)
applies to the UI strings as `qinqing validate` applies it to the data. The Traditional
Chinese edition's own interface words are the ones Taiwan readers use, and every label of
Simplified text shown in that edition says it is Simplified.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
import yaml

from qinqing.i18n import languages
from qinqing.i18n.convert import Converter

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "initiatives.yaml"
TABLE = languages.load(DATA)


def ui_strings() -> dict[str, dict[str, str]]:
    return TABLE.ui_strings()
STRINGS = ROOT / "src" / "qinqing" / "i18n" / "strings.yaml"
THEME_LANGUAGES = ROOT / "overrides" / "partials" / "languages"


@cache
def written() -> dict[str, dict[str, str]]:
    """strings.yaml as written: {key: {code: text}}."""
    return yaml.safe_load(STRINGS.read_text(encoding="utf-8"))


@cache
def data() -> dict:
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


def english() -> list[tuple[str, str]]:
    return [(key, entry["en"]) for key, entry in written().items()]


def theme_english() -> list[tuple[str, str]]:
    """The English strings of our theme language files (overrides/partials/languages/en*.html)."""
    out = []
    for path in sorted(THEME_LANGUAGES.glob("en*.html")):
        text = re.sub(r"\{#.*?#\}", "", path.read_text(encoding="utf-8"), flags=re.S)
        out += [(f"{path.name}:{key}", value) for key, value in re.findall(r'"([\w.]+)":\s*"((?:[^"\\]|\\.)*)"', text)
                if not key.startswith(("search.config", "language", "direction"))]
    return out


# --- English -----------------------------------------------------------------------------

# American spellings and their British forms (GOV.UK and the data's own style: -ise, -our).
AMERICAN = {
    r"\bcolor": "colour",
    r"\b(?:center|theater|liter|fiber|somber|caliber)(?:s|ed|ing)?\b": "-re (centre, theatre…)",
    r"\b(?!(?:size|prize|seize|capsize|maize|baize)(?:s|d)?\b)\w+iz(?:e|es|ed|ing|ation|ations|er|ers)\b":
        "-ise, -isation (organise, initialising)",
    r"\b\w+yz(?:e|es|ed|ing)\b": "-yse (analyse)",
    r"\bprogram(?:s|med|ming)?\b": "programme",
    r"\b(?:hono|favo|labo|behavio|neighbo|harbo|humo|rumo|vapo|endeavo|flavo|armo|odo|rigo|vigo|fervo)r"
    r"(?:s|ed|ing|able|ably|ite|ites)?\b": "-our (honour, favourite)",
    r"\blicenses?\b": "licence (the noun)",
    r"\b(?:catalog|dialog|analog)(?:s|ed|ing)?\b": "-logue (catalogue)",
    r"\b(?:defense|offense|pretense)s?\b": "-ce (defence)",
    r"\b(?:travel|cancel|model|label|level|signal|fuel|channel|counsel|total|equal|dial)(?:ed|ing|er|ers)\b":
        "-lled, -lling (labelled, travelling)",
    r"\b(?:fulfill|enroll|instill)(?:s|ment)?\b|\b(?:skillful|willful|installment)\b": "fulfil, enrol, skilful",
    r"\bpractic(?:ed|ing)\b": "practise (the verb)",
    r"\b(?:gray|aging|jewelry|aluminum|airplane|cozy|plow|mold)\b": "grey, ageing, jewellery…",
    r"\bpercent\b": "per cent",
    r"\b(?:toward|afterward)\b(?!-)": "towards, afterwards",
}


def test_the_spelling_list_catches_what_it_should():
    hits = "color center organize organization Initializing program honor favorite license catalog analyze labeled"
    for word in hits.split():
        assert any(re.search(p, word, re.I) for p in AMERICAN), word
    for word in "colour centre organise size sized medium-sized prize citizen forward programme honour honorary licence catalogue analyse labelled".split():
        assert not any(re.search(p, word, re.I) for p in AMERICAN), word


@pytest.mark.parametrize("key, text", english() + theme_english())
def test_english_is_british(key, text):
    found = [(m.group(), british) for pattern, british in AMERICAN.items() for m in re.finditer(pattern, text, re.I)]
    assert not found, f"{key}: American spelling {found}"


@pytest.mark.parametrize("key, text", english() + theme_english())
def test_english_has_curly_apostrophes_and_quotation_marks(key, text):
    assert "'" not in text, f"{key}: straight apostrophe, write ’: {text}"
    assert '"' not in text.replace('\\"', ""), f"{key}: straight quotation mark, write “ ”: {text}"
    assert "`" not in text and "´" not in text, f"{key}: {text}"


BRACKETS = {"(": ")", "[": "]", "（": "）", "【": "】"}


def bracket_problems(text: str) -> list[str]:
    """Brackets inside brackets, brackets straight after brackets, and unbalanced ones."""
    problems, stack = [], []
    closers = {v: k for k, v in BRACKETS.items()}
    for i, c in enumerate(text):
        if c in BRACKETS:
            if stack:
                problems.append(f"nested at {i}")
            if re.search(r"[)\]）】]\s*$", text[:i]):
                problems.append(f"stacked at {i}")
            stack.append(c)
        elif c in closers:
            if not stack or stack.pop() != closers[c]:
                problems.append(f"unbalanced at {i}")
    return problems + (["unclosed"] if stack else [])


def test_bracket_check_itself():
    assert bracket_problems("a (b) c") == []
    assert bracket_problems("a (b (c))")
    assert bracket_problems("a (b) (c)")
    assert bracket_problems("转述（原文（表述））")
    assert bracket_problems("a (b")


@pytest.mark.parametrize("key", sorted(written()))
def test_no_nested_or_stacked_brackets(key):
    for code, text in ui_strings()[key].items():
        assert not bracket_problems(text), f"{key}.{code}: {bracket_problems(text)}: {text}"


# Capitalised words that are names (or parts of names) rather than a heading's capitals.
PROPER = {
    "Jinan", "Municipal", "Taiwan", "Hong", "Kong", "Macao", "Affairs", "Office", "Family", "Ties", "Approach",
    "Chinese", "English", "Simplified", "Traditional", "Excel", "Atom", "OpenCC", "Hanyu", "Pinyin",
    "Wade–Giles-based", "Lin", "Chun-ju", "Taiwan-funded", "Mainland",
}


def sentence_case_problems(text: str) -> list[str]:
    """Capitalised words that neither start a sentence or a quotation nor are names or acronyms."""
    problems = []
    for m in re.finditer(r"[A-Za-z][\w’\-–]*", text):
        word = m.group()
        if not word[0].isupper() or word.isupper() or any(ch.isdigit() for ch in word):
            continue
        before = text[:m.start()].rstrip(" ")
        if not before or before.endswith((".", "?", "!", "“", "|")):
            continue  # the start of the string, of a sentence, of a quotation, of a plural form
        base = re.sub(r"’s$|’$", "", word)
        if base in PROPER:
            continue
        problems.append(word)
    return problems


def test_sentence_case_check_itself():
    assert sentence_case_problems("Figures and Charts") == ["Charts"]
    assert sentence_case_problems("Figures at a glance. Records on this site") == []
    assert sentence_case_problems("the “Pillar” column of Jinan’s CSV files") == []


@pytest.mark.parametrize("key, text", english())
def test_english_is_in_sentence_case(key, text):
    assert not sentence_case_problems(text), f"{key}: capitals {sentence_case_problems(text)}: {text}"


def termbase() -> list[dict]:
    return data().get("termbase") or []


def term_problems(zh: str, en: str) -> list[str]:
    """The rule of qinqing.ingest.validation._term_warnings: longer terms first, each masked once
    found, so 全国台企联 asks for its own English and not also that of 台企; no regard to case."""
    problems = []
    en = en.casefold()
    for term in sorted(termbase(), key=lambda t: -len(t["zh"])):
        if term["zh"] not in zh:
            continue
        zh = zh.replace(term["zh"], "\0" * len(term["zh"]))
        if not any(form.casefold() in en for form in [term["en"], *term.get("forms", [])]):
            problems.append(f"{term['zh']} → {term['en']}")
    return problems


def test_term_check_itself():
    assert term_problems("亲情文化", "Culture") == ["亲情文化 → family ties through culture"]
    assert term_problems("全国台企联", "ATIEM") == []
    assert term_problems("济南市台港澳办", "what the Office does") == []


@pytest.mark.parametrize("key", sorted(written()))
def test_ui_strings_follow_the_termbase(key):
    entry = written()[key]
    assert not term_problems(entry["zh"], entry["en"]), (
        f"{key}: the Chinese holds a term of the termbase, the English lacks its English: "
        f"{term_problems(entry['zh'], entry['en'])}")


# Keys whose Chinese is the same word for two different things (each with why).
SAME_CHINESE_DIFFERENT_THINGS = {
    frozenset({"figure", "nav_data"}): "数据: one figure (a number) in a table vs the site's data section",
    frozenset({"list_sep", "list_last_sep"}): "、: Chinese separates every item alike, English puts “and” before the last",
}


def _one_name(text: str) -> str:
    """A name without case, spacing or a plural ending: Activities and Activity are one name."""
    text = text.strip().casefold()
    return text[:-3] + "y" if text.endswith("ies") else text[:-1] if text.endswith("s") else text


def test_one_name_per_thing():
    """Keys with the same Chinese (nav label, page title, heading, table header) have the same
    English and the same Traditional Chinese: one thing is never named two ways."""
    table = ui_strings()
    by_zh: dict[str, list[str]] = {}
    for key, entry in written().items():
        by_zh.setdefault(entry["zh"], []).append(key)
    problems = []
    for zh, keys in by_zh.items():
        for code in TABLE.codes():
            names = {key: _one_name(table[key][code]) for key in keys}
            for a in keys:
                for b in keys:
                    if a < b and names[a] != names[b] and frozenset({a, b}) not in SAME_CHINESE_DIFFERENT_THINGS:
                        problems.append(f"{zh}: {a}.{code} “{table[a][code]}” ≠ {b}.{code} “{table[b][code]}”")
    assert not problems, problems


def test_pillars_are_named_as_the_data_names_them():
    """The nav lists the data's pillars by their own titles (data/initiatives.yaml `pillars`),
    in every edition: no second name to drift from them."""
    from qinqing.ingest.validation import check
    from qinqing.pages.render import navigation

    checked = check(DATA)
    for ed in checked.languages.editions():
        label = ed.ui("nav_pillars")
        [pillars] = [entry[label] for entry in navigation(ed, checked.data.pillars) if label in entry]
        assert pillars == [{ed.pick(p.title)[0]: f"pillars/{p.id}.md"} for p in checked.data.pillars], ed.code


def test_the_collections_are_named_one_way_in_running_text():
    """Where running text names a collection that has a label, it uses the label's words."""
    strings = written()
    for key, entry in strings.items():
        if "平台与站点" in entry["zh"]:
            assert "service platforms and stations" in entry["en"].casefold() or \
                "service platform or station" in entry["en"].casefold(), (key, entry["en"])
        if "台胞之声" in entry["zh"]:
            assert entry["en"] == strings["voices"]["en"], key


# --- Traditional Chinese (Taiwan) ---------------------------------------------------------------

# Mainland wording in the site's own interface words, and what Taiwan readers expect instead.
MAINLAND_UI = {
    "搜索": "搜尋", "導航": "導覽", "頁腳": "頁尾", "頁脚": "頁尾", "時間線": "時間軸", "開放數據": "開放資料",
    "數據字典": "資料字典", "數據文件": "資料檔", "文件": "檔案", "字段": "欄位", "構建": "建置", "打開": "開啟",
    "身份": "身分", "記錄": "紀錄", "條紀錄": "筆紀錄", "編者注": "編者註", "默認": "預設", "鏈接": "連結",
    "視頻": "影片", "軟件": "軟體", "網絡": "網路", "信息": "資訊", "設置": "設定", "用戶": "使用者", "屏幕": "螢幕",
    "菜單": "選單", "帶BOM": "含BOM", "个": "個", "含義": "涵義",
}


@cache
def converter() -> Converter:
    return Converter.for_data(DATA)


def traditional_codes() -> list[str]:
    return [row.code for row in TABLE if row.convert not in (None, "pseudo")]


def test_traditional_interface_uses_taiwan_wording():
    table = ui_strings()
    problems = [f"{key}.{code}: {word} → {taiwan}: {table[key][code]}"
                for code in traditional_codes() for key in table
                for word, taiwan in MAINLAND_UI.items() if word in table[key][code]]
    assert not problems, problems


def test_hand_written_traditional_is_traditional():
    """A hand-written zh-hant value has no Simplified character left: the conversion (with 台
    kept and the reviewed phrases) leaves it as it is."""
    for key, entry in written().items():
        for code in traditional_codes():
            if code in entry:
                assert converter()(entry[code]) == entry[code], (key, entry[code], converter()(entry[code]))


def test_hand_written_traditional_keeps_the_placeholders():
    for key, entry in written().items():
        for code in traditional_codes():
            if code in entry:
                assert re.findall(r"\{\w+\}", entry[code]) == re.findall(r"\{\w+\}", entry["zh"]), key
                assert ("…" in entry[code]) == ("…" in entry["zh"]), key


# Labels of text the converted edition shows in Simplified Chinese, as the source writes it
# (the source box, the honours table's excerpts, the figures' wording, the glossary's terms).
SIMPLIFIED_LABELS = ("source", "source_excerpt", "source_wording", "term_zh")


@pytest.mark.parametrize("key", SIMPLIFIED_LABELS)
def test_simplified_text_is_labelled_as_such_in_the_traditional_edition(key):
    for code in traditional_codes():
        assert "簡體" in ui_strings()[key][code], (key, code, ui_strings()[key][code])


def test_the_sources_page_states_the_conversion_policy():
    """The Sources page of every language says how the Traditional edition is converted."""
    from qinqing.ingest.validation import check
    from qinqing.pages.render import Site, render_pages

    checked = check(DATA)
    site = Site(checked.data, checked.languages)
    for code in TABLE.codes():
        page = render_pages(site, code)["about.md"]
        assert "s2tw" in page and "{ #conversion }" in page, code
        assert ui_strings()["conversion"][code] in page, code
