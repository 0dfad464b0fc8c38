"""Simplified → Traditional Chinese (Taiwan) for the zh-Hant edition, and back for search.

Pure text functions (no MkDocs). The conversion of one text:

1. A hand-written Traditional form (`override`) wins: it is returned as written.
2. The reviewed phrase list (`data/zh-hant/phrases.txt`, beside the data file) applies first:
   each listed Simplified phrase found in the text (leftmost, longest first) is written as its
   reviewed Traditional form, and the text is cut around it; OpenCC converts each remaining
   piece on its own, so it never sees a listed phrase and cannot segment across one (that is
   how 和面对 becomes 和面對 rather than 和麵對).
3. OpenCC, official `opencc` package, config `s2tw`: characters only, Taiwan character forms,
   no vocabulary changes (`s2twp` would rewrite 信息 → 資訊, 视频 → 影片).
4. 台 as the source writes it: wherever the Simplified text has 台 and OpenCC wrote 臺, 台 is
   put back (台港澳辦, 台胞, 台灣, 平台), as mainland official Traditional texts do. OpenCC's
   conversions keep the length of the text (every dictionary entry of the pinned version maps
   n characters to n; a test checks the data), so this is a position-by-position comparison.
   檯 (櫃檯) and 颱 (颱風) are other words and stay.
5. Quotation marks: “” → 「」 and ‘’ → 『』 (Simplified nests ‘’ in “”, Taiwan 『』 in 「」); a ’
   with no ‘ open before it is an apostrophe and stays. ASCII, digits and spacing are never
   changed.

For people's names (`person_name=True`) the first character, when it is listed in
`data/zh-hant/surnames.txt`, keeps its surname form (于 stays 于, not 於).

Results are cached per converter: the same strings repeat thousands of times in a build.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from qinqing.errors import display_path

OPENCC_CONFIG = "s2tw"
SEARCH_CONFIG = "tw2s"
#: Where the reviewed lists live, relative to the folder of the data file.
PHRASES_FILE = Path("zh-hant") / "phrases.txt"
SURNAMES_FILE = Path("zh-hant") / "surnames.txt"
ARROW = "→"
CACHE_SIZE = 1 << 16

def _NOT_IN_PHRASE(char: str) -> bool:
    """ASCII punctuation (markup, Markdown), control and invisible characters."""
    from qinqing.safety import first_control, first_invisible

    return (char in "!\"$%&'()*+,./:;<=>?@[\\]^_`{|}~") or bool(first_control(char) or first_invisible(char))


_QUOTES = str.maketrans({"“": "「", "”": "」"})

@dataclass(frozen=True)
class Phrase:
    simplified: str
    traditional: str
    comment: str
    line: int


@dataclass(frozen=True)
class PhraseProblem:
    line: int
    col: int
    code: str
    params: tuple[tuple[str, str], ...] = ()

    def message(self) -> str:
        """Its wording in both languages, from messages.yaml (phrase_* codes)."""
        from qinqing.errors import render_message

        return render_message(self.code, dict(self.params))


class PhraseError(ValueError):
    """A phrase list cannot be used; every problem found, each as `file:line:col: zh / en`."""

    def __init__(self, path: Path | str, problems: list[PhraseProblem]) -> None:
        self.path = Path(path)
        self.problems = sorted(problems, key=lambda p: (p.line, p.col))
        where = display_path(self.path)
        super().__init__("\n".join(f"{where}:{p.line}:{p.col}: {p.message()}" for p in self.problems))


def phrases_path(data_file: str | os.PathLike[str]) -> Path:
    """The phrase list that belongs to a data file: `<its folder>/zh-hant/phrases.txt`."""
    return Path(data_file).parent / PHRASES_FILE


def surnames_path(data_file: str | os.PathLike[str]) -> Path:
    return Path(data_file).parent / SURNAMES_FILE


def parse_phrases(text: str, path: str | os.PathLike[str] = "<phrases>", *, one_char: bool = False) -> list[Phrase]:
    """Phrases of a list's text; raises `PhraseError` with every malformed line located."""
    phrases: list[Phrase] = []
    problems: list[PhraseProblem] = []
    first: dict[str, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.lstrip("\ufeff")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        body, hash_, comment = line.partition("#")
        comment = comment.strip()
        col = len(line) - len(line.lstrip()) + 1
        if body.count(ARROW) != 1:
            problems.append(PhraseProblem(number, col, "phrase_format"))
            continue
        left, _, right = body.partition(ARROW)
        simplified, traditional = left.strip(), right.strip()
        if not simplified:
            problems.append(PhraseProblem(number, col, "phrase_empty_left"))
            continue
        if not traditional:
            problems.append(PhraseProblem(number, body.index(ARROW) + 1, "phrase_empty_right"))
            continue
        if not comment:
            problems.append(PhraseProblem(number, (len(body) + 1) if hash_ else len(line.rstrip()) + 1, "phrase_comment"))
            continue
        bad = next(((i, c) for i, c in enumerate(line) if i < len(body) and _NOT_IN_PHRASE(c)), None)
        if bad is not None:
            # A phrase is written into every page that holds it: words only, never markup.
            problems.append(PhraseProblem(number, bad[0] + 1, "phrase_chars", (("char", f"U+{ord(bad[1]):04X}"),)))
            continue
        if len(simplified) > 40 or len(traditional) > 40:
            problems.append(PhraseProblem(number, col, "phrase_long", (("limit", "40"),)))
            continue
        if one_char and len(simplified) != 1:
            problems.append(PhraseProblem(number, col, "phrase_one_char", (("phrase", simplified),)))
            continue
        if simplified in first:
            problems.append(PhraseProblem(number, col, "phrase_duplicate", (
                ("phrase", simplified), ("first", str(first[simplified])))))
            continue
        first[simplified] = number
        phrases.append(Phrase(simplified, traditional, comment, number))
    if problems:
        raise PhraseError(Path(path), problems)
    return phrases


def load_phrases(path: str | os.PathLike[str], *, one_char: bool = False) -> list[Phrase]:
    """The phrases of a list file (UTF-8); `PhraseError` for malformed lines, with line numbers."""
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        start = raw.rfind(b"\n", 0, exc.start) + 1
        raise PhraseError(Path(path), [PhraseProblem(line, len(raw[start: exc.start].decode("utf-8", "replace")) + 1,
                                               "not_utf8")]) from None
    if len(raw) > 1024 * 1024:
        raise PhraseError(Path(path), [PhraseProblem(1, 1, "file_too_large", (("size", str(len(raw))),
                                                                       ("limit", str(1024 * 1024))))])
    return parse_phrases(text, path, one_char=one_char)


def traditional_quotes(text: str) -> str:
    """“” → 「」, ‘’ → 『』; a ’ closing no ‘ (an apostrophe) stays."""
    if "“" in text or "”" in text:
        text = text.translate(_QUOTES)
    if "‘" not in text:
        return text
    out: list[str] = []
    open_single = 0
    for ch in text:
        if ch == "‘":
            open_single += 1
            ch = "『"
        elif ch == "’" and open_single:
            open_single -= 1
            ch = "』"
        out.append(ch)
    return "".join(out)


def _keep_tai(source: str, converted: str) -> str:
    """臺 back to 台 wherever the source wrote 台 (OpenCC keeps lengths: see the module doc)."""
    if "台" not in source or "臺" not in converted or len(source) != len(converted):
        return converted
    return "".join("台" if c == "臺" and s == "台" else c for s, c in zip(source, converted))


class Converter:
    """Simplified → Traditional (Taiwan) with a reviewed phrase list; results cached."""

    def __init__(self, phrases: Iterable[Phrase] = (), surnames: Iterable[Phrase] = (), *,
                 config: str = OPENCC_CONFIG, cache_size: int = CACHE_SIZE,
                 phrases_file: Path | None = None, surnames_file: Path | None = None) -> None:
        import opencc  # the official package (C++ library); imported only when converting

        self._opencc = opencc.OpenCC(config)
        self.config = config
        self.phrases = tuple(phrases)
        self.surnames = {p.simplified: p.traditional for p in surnames}
        self.phrases_file = phrases_file
        self.surnames_file = surnames_file
        self._table = {p.simplified: p.traditional for p in self.phrases}
        # Python's alternation takes the first alternative that matches: longest first.
        ordered = sorted(self._table, key=lambda s: (-len(s), s))
        self._pattern = re.compile("|".join(map(re.escape, ordered))) if ordered else None
        self._cached = lru_cache(maxsize=cache_size)(self._convert)

    @classmethod
    def for_data(cls, data_file: str | os.PathLike[str], **kwargs) -> Converter:
        """The converter of a data file: its phrase and surname lists (`zh-hant/` beside it;
        a list that does not exist counts as empty, e.g. for generated benchmark data)."""
        files = {}
        lists = {}
        for name, path, one_char in (("phrases", phrases_path(data_file), False),
                                     ("surnames", surnames_path(data_file), True)):
            exists = path.is_file()
            files[f"{name}_file"] = path if exists else None
            lists[name] = load_phrases(path, one_char=one_char) if exists else []
        return cls(lists["phrases"], lists["surnames"], phrases_file=files["phrases_file"],
                   surnames_file=files["surnames_file"], **kwargs)

    def convert(self, text: str, override: str | None = None, *, person_name: bool = False) -> str:
        """The Traditional form of `text`; a hand-written `override` (not None) wins as written.
        `person_name`: the text is a person's name, whose first character may be a surname."""
        if override is not None:
            return override
        if person_name and text[:1] in self.surnames:
            converted = self._cached(text)
            return self.surnames[text[0]] + converted[1:] if len(converted) == len(text) else converted
        return self._cached(text)

    __call__ = convert

    def cache_info(self):
        return self._cached.cache_info()

    def protected_spans(self, text: str) -> list[tuple[int, int]]:
        """Where listed phrases occur in `text` (start, end): what OpenCC never sees."""
        if self._pattern is None:
            return []
        return [m.span() for m in self._pattern.finditer(text)]

    def _convert(self, text: str) -> str:
        if text.isascii():
            return text
        if self._pattern is None:
            return traditional_quotes(self._plain(text))
        parts: list[str] = []
        pos = 0
        for match in self._pattern.finditer(text):
            parts.append(self._plain(text[pos:match.start()]))
            parts.append(self._table[match.group()])
            pos = match.end()
        parts.append(self._plain(text[pos:]))
        return traditional_quotes("".join(parts))

    def _plain(self, text: str) -> str:
        """OpenCC alone, with 台 kept: no phrase list, no quotation marks."""
        if not text or text.isascii():
            return text
        if "\x00" in text:  # OpenCC's C++ side stops at a NUL
            return "\x00".join(map(self._plain, text.split("\x00")))
        return _keep_tai(text, self._opencc.convert(text))


@lru_cache(maxsize=1)
def _search_opencc():
    import opencc

    return opencc.OpenCC(SEARCH_CONFIG)


@lru_cache(maxsize=CACHE_SIZE)
def to_simplified(text: str) -> str:
    """The Simplified form of Traditional text (OpenCC `tw2s`), for search: index it beside
    the Traditional text, or convert a reader's query. 醫保 → 医保; 台 and 臺 both → 台."""
    if text.isascii():
        return text
    if "\x00" in text:  # OpenCC's C++ side stops at a NUL
        return "\x00".join(map(to_simplified, text.split("\x00")))
    return _search_opencc().convert(text)
