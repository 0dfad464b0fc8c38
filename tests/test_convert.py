"""Simplified → Traditional (Taiwan) conversion for the zh-Hant edition (`qinqing.i18n.convert`)."""

from __future__ import annotations

import re
import subprocess
from functools import cache
from pathlib import Path

import opencc
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from qinqing.i18n import languages
from qinqing.i18n.convert import (
    Converter,
    Phrase,
    PhraseError,
    load_phrases,
    parse_phrases,
    phrases_path,
    to_simplified,
    traditional_quotes,
)

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "initiatives.yaml"
ARTICLE = ROOT / "data" / "source" / "article.zh.txt"


@pytest.fixture(scope="module")
def convert() -> Converter:
    return Converter.for_data(DATA)


def zh_texts() -> list[str]:
    """Every Chinese text of the data: each `zh` value, each source excerpt."""
    out: list[str] = []

    def walk(node, key=None):
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, k)
        elif isinstance(node, list):
            for v in node:
                walk(v, key)
        elif isinstance(node, str) and key in ("zh", "excerpt"):
            out.append(node)

    walk(yaml.safe_load(DATA.read_text(encoding="utf-8")))
    return list(dict.fromkeys(out))


@cache
def opencc_dict(name: str) -> dict[str, list[str]]:
    """One of the pinned OpenCC's dictionaries, {key: [candidates]}, dumped by its own tool."""
    clib = Path(opencc.__file__).parent / "clib"
    out = subprocess.run(
        [clib / "bin" / "opencc_dict", "-i", clib / "share" / "opencc" / f"{name}.ocd2",
         "-o", "/dev/stdout", "-f", "ocd2", "-t", "text"],
        check=True, capture_output=True, text=True, encoding="utf-8").stdout
    return {k: v.split(" ") for k, v in (line.split("\t") for line in out.splitlines())}


@cache
def simplified_only() -> frozenset[str]:
    """Characters a Traditional text never uses. A character is Simplified-only when OpenCC's
    Simplified→Traditional character table lists it and none of its Traditional candidates is
    the character itself (发 → 發 髮), and it is not itself a Traditional character that the
    Traditional→Simplified table maps elsewhere. This leaves out, soundly, the characters that
    are also Traditional words of their own: 台 (臺 檯 颱 台), 干 (幹 乾 干), 于 (於 于), 里, 面,
    只… A test of "s2t changes c" alone would count them; they are checked by the cases below."""
    st_chars = opencc_dict("STCharacters")
    ts_chars = opencc_dict("TSCharacters")
    return frozenset(k for k, v in st_chars.items() if k not in v and k not in ts_chars)


def test_simplified_only_set_is_sound():
    only = simplified_only()
    assert {"发", "这", "们", "济", "亲", "门", "湾"} <= only
    assert not {"台", "干", "于", "里", "面", "只", "范", "余", "后", "泉", "城"} & only
    assert len(only) > 2500


def test_whole_article_has_no_simplified_only_character_left(convert):
    text = ARTICLE.read_text(encoding="utf-8")
    out = convert(text)
    left = sorted({c for c in out if c in simplified_only()})
    assert not left, left
    # Taiwan's standard forms, not other Traditional variants (裏, 爲, 着…).
    variants = set(opencc_dict("TWVariants"))
    assert not {c for c in out if c in variants}
    assert "臺" not in out and "台港澳辦" in out and "台胞" in out and "檯" not in out


CASES = {
    "台港澳办": "台港澳辦",
    "发展": "發展",
    "头发": "頭髮",
    "面对": "面對",
    "干部": "幹部",
    "干扰": "干擾",
    "一只只": "一隻隻",
    "里面": "裡面",
    "公里": "公里",
    "和面对": "和面對",
    "台胞": "台胞",
    "台湾": "台灣",
    "“济台情深 ‘泉’家幸福”": "「濟台情深 『泉』家幸福」",
    # From the data: OpenCC takes 服务台 (service desk) and writes 服務檯胞.
    "服务台胞圆桌恳谈会": "服務台胞圓桌懇談會",
    "全方位服务台胞台青生活": "全方位服務台胞台青生活",
    "台企": "台企",
    "台青": "台青",
    "台商": "台商",
    "中共中央台办、国务院台办": "中共中央台辦、國務院台辦",
    "新窗口新平台": "新窗口新平台",
    # Other words than 臺 stay: typhoon, counter; 台 in a compound OpenCC changes is kept too.
    "台风": "颱風",
    "柜台": "櫃檯",
    "后台企业": "後台企業",
    "面对面了解台企发展情况": "面對面了解台企發展情況",  # 了解, Taiwan's standard form (phrase list)
    "据发布日期推定": "據發布日期推定",  # 發布, not OpenCC's 發佈 (phrase list)
    "血浓于水": "血濃於水",
    "项目于 10 月签约、11 月开建": "項目於 10 月簽約、11 月開建",
    "乾隆集团": "乾隆集團",
    # Segmentation errors fixed by the phrase list: OpenCC matches 中签 (to win a draw) and
    # 名表 (a famous watch) first.
    "集中签约": "集中簽約",
    "项目集中签约仪式": "項目集中簽約儀式",
    "译名表": "譯名表",
}


@pytest.mark.parametrize("simplified, traditional", CASES.items())
def test_cases(convert, simplified, traditional):
    assert convert(simplified) == traditional


def test_the_tables_converter_uses_the_lists_beside_the_data_file():
    convert = languages.load(DATA).edition("zh-hant").converter
    assert convert("和面对") == "和面對"
    assert convert("于洋", person_name=True) == "于洋"


def test_surname_yu_stays(convert, tmp_path):
    # OpenCC writes the preposition 於 for every lone 于, the surname included.
    assert opencc.OpenCC("s2tw").convert("于洋") == "於洋"
    # A person-name field: the surname list keeps 于 (and 余, 范… the same way).
    assert convert("于洋", person_name=True) == "于洋"
    assert convert("余明", person_name=True) == "余明"
    assert convert("范丽华", person_name=True) == "范麗華"
    assert convert("林纯如", person_name=True) == "林純如"
    # Not a name field: 于 is the preposition.
    assert convert("于洋") == "於洋"
    # Elsewhere (于先生 in running text): a phrase line, or the field's hand-written form.
    assert convert("于先生说", override="于先生說") == "于先生說"
    extra = tmp_path / "phrases.txt"
    extra.write_text("于先生 → 于先生  # the surname 于\n于洋 → 于洋  # a person's name\n", encoding="utf-8")
    with_names = Converter([*convert.phrases, *load_phrases(extra)])
    assert with_names("于先生说") == "于先生說"
    assert with_names("记者于洋报道") == "記者于洋報道"


def test_override_wins(convert):
    assert convert("和面对", override="和麵對") == "和麵對"
    assert convert("台湾", override="臺灣") == "臺灣"
    assert convert("发展", override="") == ""
    assert convert("发展", override=None) == "發展"


def test_quotes():
    assert traditional_quotes("“济台情深 ‘泉’家幸福”") == "「济台情深 『泉』家幸福」"
    assert traditional_quotes("二安文化 Er’an") == "二安文化 Er’an"
    assert traditional_quotes("“Jinan’s ‘spring’”") == "「Jinan’s 『spring』」"
    assert traditional_quotes("no quotes") == "no quotes"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="ascii")))
def test_ascii_is_never_changed(text):
    assert Converter.for_data(DATA)(text) == text


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.text(alphabet=st.characters(codec="ascii"), max_size=4), st.text(max_size=3),
                          st.sampled_from(["发展", "台胞", "里", "只", "面对", "干", "“", "’", "服务台", "于"]))))
def test_ascii_digits_and_spacing_keep_their_places(pieces):
    text = "".join(pieces)
    out = Converter.for_data(DATA)(text)
    assert len(out) == len(text)
    assert [c for c in out if c.isascii()] == [c for c in text if c.isascii()]
    assert all(o == s for s, o in zip(text, out) if s.isascii())


def test_the_data_converts(convert):
    """Every Chinese text of the data: the same length (so 台 maps back position by position),
    no Simplified-only character, 台 kept, and the phrase list changes nothing outside the
    phrases it protects except the reviewed fixes."""
    plain = Converter()  # OpenCC with 台 kept and quotes, no phrase list
    fixed = []
    for text in zh_texts():
        out = convert(text)
        assert len(out) == len(text), text
        assert not {c for c in out if c in simplified_only()}, (text, out)
        assert all(o == "台" for s, o in zip(text, out) if s == "台"), (text, out)
        inside = {i for start, end in convert.protected_spans(text) for i in range(start, end)}
        other = plain(text)
        for i, (a, b) in enumerate(zip(out, other)):
            if a != b:
                assert i in inside, (text, i, a, b)
                fixed.append((text[max(0, i - 2):i + 2], b, a))
    # The only differences: the 服务台胞 fix, and Taiwan's standard 了解 for OpenCC's 瞭解.
    assert fixed and all((b, a) in {("檯", "台"), ("瞭", "了")} for _, b, a in fixed), fixed


def test_search_helper():
    assert to_simplified("醫保") == "医保"
    assert to_simplified("蘭花") == "兰花"
    assert to_simplified("泉城") == "泉城"
    assert to_simplified("基隆") == "基隆"
    assert to_simplified("臺灣") == to_simplified("台灣") == "台湾"
    assert to_simplified("ASCII 123") == "ASCII 123"
    assert to_simplified("醫\x00保") == "医\x00保"


def test_search_helper_undoes_the_conversion_of_the_data(convert):
    """Apart from quotation marks, the Simplified form of every converted text is its source:
    converting a query (or indexing the Simplified form) finds what the source text would."""
    back = str.maketrans("「」『』", "“”‘’")
    for text in zh_texts():
        assert to_simplified(convert(text)).translate(back) == text


def test_default_lists_load():
    phrases = load_phrases(phrases_path(DATA))
    assert {p.simplified for p in phrases} >= {"台胞", "面对", "一只只"}
    assert all(p.comment for p in phrases)
    table = languages.load(DATA)
    converter = table.converter("s2tw")
    assert converter.phrases_file and converter.surnames_file
    # Made once per table (validation checks the lists with it, rendering reuses it), and
    # gone with the table: a table read again reads the lists again.
    assert converter is table.converter("s2tw")
    assert converter is not languages.load(DATA).converter("s2tw")


def test_lists_are_optional(tmp_path):
    data = tmp_path / "initiatives.yaml"
    data.write_text("", encoding="utf-8")
    converter = Converter.for_data(data)
    assert converter.phrases == () and converter.phrases_file is None
    assert converter("台胞") == "台胞"  # 台 is kept by the code, not by the list


def test_list_change_is_picked_up(tmp_path):
    data = tmp_path / "initiatives.yaml"
    (tmp_path / "zh-hant").mkdir()
    list_file = phrases_path(data)
    list_file.write_text("面对 → 面對  # 和面对\n", encoding="utf-8")
    assert languages.load(data).converter("s2tw")("和面对") == "和面對"
    list_file.write_text("面对 → 面對  # 和面对\n一只只 → 一隻隻  # 一隻只\n", encoding="utf-8")
    assert languages.load(data).converter("s2tw")("一只只") == "一隻隻"


@pytest.mark.parametrize("line, col, needle", [
    ("面对 面對  # no arrow", 1, "一个 →"),
    ("面对 → 面對 → 面对  # two arrows", 1, "one →"),
    ("→ 面對  # empty left", 1, "left side"),
    ("面对 →   # empty right", 4, "right side"),
    ("面对 → 面對", 8, "no comment"),
    ("面对 → 面對  #   ", 10, "no comment"),
])
def test_malformed_line_is_located(tmp_path, line, col, needle):
    path = tmp_path / "phrases.txt"
    path.write_text(f"# header\n\n台胞 → 台胞  # fine\n{line}\n", encoding="utf-8")
    with pytest.raises(PhraseError) as caught:
        load_phrases(path)
    message = str(caught.value)
    assert message.startswith(f"{path.name}:4:{col}: ") or f"phrases.txt:4:{col}: " in message
    assert needle in message and " / " in message
    assert [p.line for p in caught.value.problems] == [4]


def test_every_problem_is_reported_at_once():
    text = "台胞 → 台胞  # ok\n台胞 → 臺胞  # again\nbad line  # x\n面对 → 面對\n"
    with pytest.raises(PhraseError) as caught:
        parse_phrases(text, "phrases.txt")
    lines = str(caught.value).splitlines()
    assert [p.line for p in caught.value.problems] == [2, 3, 4]
    assert lines[0] == ("phrases.txt:2:1: “台胞”已在第1行列出，请删去或合并其中一行"
                        " / “台胞” is already listed on line 1; delete or merge one of the lines")
    assert lines[1].startswith("phrases.txt:3:1: ") and lines[2].startswith("phrases.txt:4:")


def test_surname_lines_take_one_character():
    with pytest.raises(PhraseError, match=r"surnames.txt:2:1: .*one character"):
        parse_phrases("于 → 于  # ok\n于明 → 于明  # two\n", "surnames.txt", one_char=True)


def test_phrase_is_applied_longest_first():
    converter = Converter([Phrase("面对", "面對", "x", 1), Phrase("面对面", "面對面", "y", 2)])
    assert converter.protected_spans("和面对面") == [(1, 4)]
    assert converter("和面对面") == "和面對面"


# --- every text the edition converts, against the known wrong forms -------------------------


def ui_texts() -> list[str]:
    """Every Chinese UI string (src/qinqing/i18n/strings.yaml, the zh of each entry)."""
    strings = yaml.safe_load((ROOT / "src" / "qinqing" / "i18n" / "strings.yaml").read_text(encoding="utf-8"))
    return list(dict.fromkeys(entry["zh"] for entry in strings.values()))


def people_names() -> list[str]:
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    return [p["name"]["zh"] for p in data.get("people") or [] if p.get("name", {}).get("zh")]


# Forms the conversion must never produce, with the Simplified they come from and why.
WRONG_FORMS = {
    "中籤約": "集中签约: OpenCC reads 中签 (to win a draw); 簽約 (to sign) is meant",
    "譯名錶": "译名表: OpenCC reads 名表 (a famous watch); 譯名表 (a glossary) is meant",
    "瞭解": "了解: Taiwan's standard form is 了解",
    "發佈": "发布: Taiwan's standard form is 發布",
    "麵對": "和面对: OpenCC reads 和面 (to knead dough)",
    "一隻只": "一只只: both 只 are the measure word",
    "幹隆": "乾隆 (the company 乾隆集团) stays 乾隆",
    "干隆": "乾隆 (the company 乾隆集团) stays 乾隆",
    "服務檯": "服务台胞: OpenCC reads 服务台 (a service desk)",
    "臺": "台 is kept as the source writes it",
}
# Simplified → the Traditional it must become wherever it occurs (OpenCC keeps lengths, so
# the same positions of the converted text are compared).
MUST_BECOME = {
    "乾隆": "乾隆",
    "签约": "簽約",
    "译名表": "譯名表",
    "了解": "了解",
    "发布": "發布",
    "面对": "面對",
    "台胞": "台胞",
}


def test_the_wrong_form_list_is_what_opencc_alone_does():
    """Each listed wrong form is a real one: OpenCC alone (no phrase list) produces it."""
    plain = opencc.OpenCC("s2tw")
    for simplified, wrong in (("集中签约", "中籤約"), ("译名表", "譯名錶"), ("面对面了解", "瞭解"),
                              ("发布日期", "發佈"), ("和面对", "麵對"), ("一只只", "一隻只"),
                              ("服务台胞", "服務檯"), ("于洋", "於洋")):
        assert wrong in plain.convert(simplified), simplified


@pytest.mark.parametrize("source", ["data", "ui"])
def test_no_text_converts_to_a_known_wrong_form(convert, source):
    """Every text of the data (each zh text, each excerpt) and every UI string, converted: no
    known wrong form, each listed phrase converted as reviewed, and no Simplified-only
    character left."""
    texts = zh_texts() if source == "data" else ui_texts()
    problems = []
    for text in texts:
        out = convert(text)
        assert len(out) == len(text), text
        problems += [f"{text} → {out}: {wrong} ({why})" for wrong, why in WRONG_FORMS.items() if wrong in out]
        for simplified, traditional in MUST_BECOME.items():
            for m in re.finditer(re.escape(simplified), text):
                if out[m.start():m.end()] != traditional:
                    problems.append(f"{text} → {out}: {simplified} must become {traditional}")
        left = sorted({c for c in out if c in simplified_only()})
        if left:
            problems.append(f"{text} → {out}: Simplified characters {left}")
    assert not problems, problems


def test_surnames_keep_their_form_in_names_and_in_running_text(convert):
    """A person's surname that OpenCC would turn into another word (于 → 於) keeps its form, in
    the name field and wherever the full name occurs in a text of the data."""
    surnames = {p.simplified for p in load_phrases(ROOT / "data" / "zh-hant" / "surnames.txt", one_char=True)}
    texts = zh_texts()
    problems = []
    for name in people_names():
        if name[0] not in surnames:
            continue
        if convert(name, person_name=True)[0] != name[0]:
            problems.append(f"{name}: the name field")
        for text in texts:
            for m in re.finditer(re.escape(name), text):
                if convert(text)[m.start()] != name[0]:
                    problems.append(f"{name} in “{text}”: add “{name} → …” to phrases.txt")
    assert not problems, problems
    # The rule itself: a surname in running text needs a phrase line, and with one it holds.
    assert convert("记者于洋报道")[2] == "於"


def test_the_phrase_list_changes_characters_only():
    """The edition's vocabulary policy: the conversion writes the source's words in Taiwan's
    character forms and never changes a word (no 项目 → 專案, no 信息 → 資訊). Each phrase of
    the list has as many characters as its Simplified side, and each is one of OpenCC's own
    candidates for that character (or a variant Taiwan's standard prefers)."""
    st_chars = opencc_dict("STCharacters")
    tw_variants = {k: v for k, v in opencc_dict("TWVariants").items()}
    problems = []
    for phrase in load_phrases(phrases_path(DATA)):
        if len(phrase.simplified) != len(phrase.traditional):
            problems.append(f"line {phrase.line}: {phrase.simplified} → {phrase.traditional}: lengths differ")
            continue
        for s, t in zip(phrase.simplified, phrase.traditional):
            candidates = {s, *st_chars.get(s, [])}
            candidates |= {v for c in list(candidates) for v in tw_variants.get(c, [])}
            if t not in candidates:
                problems.append(f"line {phrase.line}: {s} → {t} is not a character form of {s}")
    assert not problems, problems
