"""Writes the invalid-data corpus: the base file with one mistake per case.

Run from the repository root after changing a case: python tests/invalid/make_cases.py;
then regenerate expected.txt with `qinqing validate` on each case and review the diff.
The cases read their source text from tests/invalid/source/ (a copy of the article, so that
a case stays a file of its own folder; the test copies the corpus into a temporary folder).
Cases marked "hostile" are what a stranger's pull request could try (control characters,
pasted blobs, paths out of the data folder, numbers that are not numbers, deep nesting).
"""
from pathlib import Path
base = Path("tests/invalid/base.yaml.txt").read_text(encoding="utf-8")
body = base.split("\n", 1)[1]  # drop the header comment
cases = {
 "duplicate-key": ("    date: 2023-02-03\n", "    date: 2023-02-03\n    date: 2023-02-04\n"),
 "tab-indent": ("    pillar: investment\n    date: 2023-02-03\n", "    pillar: investment\n\tdate: 2023-02-03\n"),
 "python-tag": ("    date: 2023-02-03\n", "    date: !!python/object/apply:os.system [echo hi]\n"),
 "alias": ("    places: [shanghai]\n    organisations: [want-want]\n", "    places: &p [shanghai]\n    organisations: *p\n"),
 "yaml-syntax": ("    places: [shanghai]\n", "    places: [shanghai\n"),
 "missing-field": ("    summary: {zh: 走访旺旺集团, en: Visiting Want Want Group}\n", ""),
 "missing-english": ("    title: {zh: 赴上海招商, en: A visit to Shanghai}\n", "    title: {zh: 赴上海招商}\n"),
 "blank-text": ("    title: {zh: 赴上海招商, en: A visit to Shanghai}\n", "    title: {zh: \"  \", en: A visit to Shanghai}\n"),
 "date-format": ("    date: 2023-02-03\n", "    date: 2023/02/03\n"),
 "date-month": ("    date: 2023-02-03\n", "    date: 2023-13\n"),
 "date-day": ("    date: 2023-02-03\n", "    date: 2023-02-30\n"),
 "negative-amount": ("amount: 1500000000", "amount: -5"),
 "amount-text": ("amount: 1500000000", "amount: 15亿"),
 "unknown-currency": ("currency: CNY", "currency: RMB"),
 "unknown-qualifier": ("qualifier: about", "qualifier: approx"),
 "id-not-url-safe": ("  - id: shanghai-visit\n", "  - id: Shanghai Visit\n"),
 "duplicate-id": ("  - id: rural-tourism\n", "  - id: shanghai-visit\n"),
 "unknown-pillar": ("    pillar: investment\n    date: 2023-02-03\n", "    pillar: culture\n    date: 2023-02-03\n"),
 "misspelt-reference": ("    places: [shanghai]\n", "    places: [shanghia]\n"),
 "misspelt-field": ("    summary: {zh: 走访旺旺集团", "    sumary: {zh: 走访旺旺集团"),
 "unknown-field": ("    kind: station\n", "    kind: station\n    colour: red\n"),
 "url-scheme": ("    kind: station\n", "    kind: station\n    url: javascript:alert(1)\n"),
 "excerpt-not-in-source": ("excerpt: 带队赴上海，走访旺旺集团}\nstations", "excerpt: 带队赴上海，走访旺旺集团和台积电}\nstations"),
 "unknown-section": ("    source: {section: investment, excerpt: 带队赴上海，走访旺旺集团}\nstations", "    source: {section: culture, excerpt: 带队赴上海，走访旺旺集团}\nstations"),
 "unknown-kind": ("    kind: station\n", "    kind: office\n"),
 "text-not-pair": ("    title: {zh: 赴上海招商, en: A visit to Shanghai}\n", "    title: 赴上海招商\n"),
 "not-a-list": ("    places: [shanghai]\n", "    places: shanghai\n"),
 "not-a-bool": ("    as_of: true\n", "    as_of: maybe\n"),
 "icon-name": ("    icon: material/handshake\n", "    icon: handshake\n"),
 "missing-collection": (body[body.index("projects:\n"):], ""),
 "not-a-mapping": (None, "- activities\n- stations\n"),
 "empty": (None, "# nothing here yet\n"),
 # hostile
 "control-char": ("    title: {zh: 赴上海招商, en: A visit to Shanghai}\n", "    title: {zh: 赴上海招商, en: \"A visit\\x1b[31m to Shanghai\"}\n"),
 "nul-char": ("    title: {zh: 赴上海招商, en: A visit to Shanghai}\n", "    title: {zh: \"赴上海\\0招商\", en: A visit to Shanghai}\n"),
 "bidi-in-name": ("    name: {zh: 上海, en: Shanghai}\n", "    name: {zh: 上海, en: \"Shang\\u202ehai\"}\n"),
 "title-too-long": ("    title: {zh: 赴上海招商, en: A visit to Shanghai}\n", "    title: {zh: " + "招" * 20000 + ", en: A visit to Shanghai}\n"),
 "date-far-future": ("    date: 2023-02-03\n", "    date: 2203-02-03\n"),
 "date-zero": ("    date: 2024-01-12\n", "    date: 0000\n"),
 "amount-inf": ("amount: 1500000000", "amount: .inf"),
 "amount-nan": ("amount: 1500000000", "amount: .nan"),
 "amount-huge": ("amount: 1500000000", "amount: 1e400"),
 "amount-too-large": ("amount: 1500000000", "amount: 1e20"),
 "id-reserved": ("  - id: shanghai-visit\n", "  - id: con\n"),
 "text-file-absolute": ("    text_file: source/article.zh.txt\n", "    text_file: /etc/passwd\n"),
 "text-file-device": ("    text_file: source/article.zh.txt\n", "    text_file: /dev/zero\n"),
 "text-file-parent": ("    text_file: source/article.zh.txt\n", "    text_file: ../../../etc/passwd\n"),
 "text-file-folder": ("    text_file: source/article.zh.txt\n", "    text_file: source\n"),
 "url-quote": ("    kind: station\n", "    kind: station\n    url: \"https://example.org/\\\"onmouseover=alert(1)\"\n"),
 "site-website": ("sources:\n", "site: {publisher: {zh: 主办单位, en: Publisher}, website: \"javascript:alert(1)\"}\nsources:\n"),
 "honour-pillar": (None, "honours:\n  - id: visits\n    title: {zh: 走访, en: Visits}\n"
                   "    recipients: {value: 1, unit: companies}\n    recipient_kind: {zh: 企业, en: Company}\n"
                   "    source: {section: investment, excerpt: 走访旺旺集团}\n"),
 "deep-nesting": ("    kind: station\n", "    kind: station\n    partners: " + "[" * 200 + "]" * 200 + "\n"),
 "second-document": (None, "---\n# a second document\nsources: []\n"),
 "unclosed-bracket": ("    places: [shanghai]\n", "    places: [shanghai, \"pudong\n"),
 # faithfulness: warnings, errors under --strict (each rule's passing case: tests/test_faithfulness.py)
 "faith-number": ("summary: {zh: 走访旺旺集团, en: Visiting Want Want Group}", "summary: {zh: 走访旺旺集团3次, en: Visiting Want Want Group 3 times}"),
 "faith-qualifier": ("summary: {zh: 总投资约 15 亿元, en: About CNY 1.5 billion}", "summary: {zh: 总投资15亿元, en: CNY 1.5 billion}"),
 "faith-list-open": ("excerpt: 带队赴上海，走访旺旺集团}\nstations", "excerpt: 带队赴上海，走访旺旺集团、乾隆集团等台企}\nstations"),
 "faith-name": ("excerpt: 带队赴上海，走访旺旺集团}\nstations", "excerpt: 走访旺旺集团}\nstations"),
}
out = Path("tests/invalid")
for name, (old, new) in cases.items():
    if old is None:
        text = body + new if name in ("second-document", "honour-pillar") else new
    else:
        assert body.count(old) == 1, (name, body.count(old))
        text = body.replace(old, new)
    (out / f"{name}.yaml").write_text(text, encoding="utf-8")
(out / "not-utf8.yaml").write_bytes(body.replace("A visit to Shanghai", "A visit to Shangha\xe9").encode("latin-1", errors="strict") if False else body.encode("utf-8").replace(b"A visit to Shanghai", b"A visit to Shangha\xe9"))
print(len(cases) + 1)
