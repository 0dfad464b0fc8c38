"""The theme's templates as the build loads them: markup fixes (hooks/qinqing_markup.py) and
collapsed indentation (hooks/qinqing_theme.py) applied to their source once, not to every page. The checkers in
test_quality prove the built pages valid; these pin the transformation itself."""

from __future__ import annotations

import logging
import re
import sys
from pathlib import Path

import jinja2
import material

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "hooks"))

import qinqing_markup  # noqa: E402
import qinqing_theme  # noqa: E402

CONFIG = {"extra": {"qinqing": {"ui": {}}}}


def _env(templates: dict[str, str]) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.DictLoader(templates))
    qinqing_markup.fix_sources(env)
    qinqing_theme.collapse_sources(env)
    return env


def test_fixes_apply_and_indentation_collapses_in_html_templates():
    env = _env({
        "base.html": '<body>\n    <input type="checkbox" id="__drawer" autocomplete="off">\n    {% include "partials/nav-item.html" %}\n</body>',
        "partials/nav-item.html": '{% for tabindex in ["0", ""] %}\n      <label for="x" tabindex="{{ tabindex }}">\n{% endfor %}',
    })
    html = env.get_template("base.html").render(config=CONFIG)
    assert html == ('<body>\n<input type="checkbox" id="__drawer">\n\n<label for="x" tabindex="0">\n\n<label for="x">\n\n</body>')


def test_preformatted_and_non_html_templates_keep_their_whitespace():
    env = _env({"a.html": "<pre>\n    code\n</pre>", "sitemap.xml": "<urlset>\n    <url/>\n</urlset>"})
    assert env.get_template("a.html").render() == "<pre>\n    code\n</pre>"
    assert env.get_template("sitemap.xml").render() == "<urlset>\n    <url/>\n</urlset>"


def test_a_fix_the_theme_no_longer_needs_is_reported(caplog):
    env = _env({"partials/nav-item.html": '<label for="x">\n</label>'})
    with caplog.at_level(logging.WARNING, logger="mkdocs.hooks.qinqing"):
        env.get_template("partials/nav-item.html").render()
    assert "partials/nav-item.html no longer contains" in caplog.text


def test_toc_title_labels_the_toggle_only_on_pages_in_the_nav():
    toc = '<nav>\n  <label class="md-nav__title" for="__toc">\n    Contents\n  </label>\n</nav>'
    env = _env({"partials/toc.html": toc})
    config = {"extra": {"qinqing": {"nav_urls": frozenset({"", "about/"})}}}
    render = env.get_template("partials/toc.html").render
    assert render(config=config, page={"url": "about/"}) == '<nav>\n<label class="md-nav__title" for="__toc">\nContents\n</label>\n</nav>'
    assert render(config=config, page={"url": "activities/x/"}) == '<nav>\n<div class="md-nav__title">\nContents\n</div>\n</nav>'


def test_blank_lines_go_unless_the_content_is_preformatted():
    page = '<nav>\n\n\n<a>x</a>\n\n</nav>'
    assert qinqing_theme.fix_html(page) == '<nav>\n<a>x</a>\n</nav>'
    assert qinqing_theme.fix_html(page, content="<p>x</p>") == '<nav>\n<a>x</a>\n</nav>'
    with_code = page + "<pre>\n\n</pre>"
    assert qinqing_theme.fix_html(with_code) == with_code
    assert qinqing_theme.fix_html(page, content="<pre>\n\n</pre>") == page


def test_tables_come_wrapped_as_the_theme_script_wraps_them():
    content = "<p>a</p>\n<table>\n<tr><td>1</td></tr>\n</table>\n<p>b</p>\n<table>\n<tr><td>2</td></tr>\n</table>"
    wrapped = qinqing_theme.wrap_tables(content)
    opening = '<div class="md-typeset__scrollwrap"><div class="md-typeset__table"><table>'
    assert wrapped.count(opening) == 2 and wrapped.count("</table></div></div>") == 2
    assert re.sub(r"</?div[^>]*>", "", wrapped) == content
    # The theme's script wraps them the same way (a newer theme may not: then the late
    # wrapping shifts the page again, and the site stylesheet's rules for it need a look).
    bundle = next((Path(material.__file__).parent / "templates/assets/javascripts").glob("bundle.*.min.js"))
    assert re.search(r'\{class:"md-typeset__scrollwrap"\},\w+\("div",\{class:"md-typeset__table"\},\w+\)\)',
                     bundle.read_text(encoding="utf-8"))


def test_each_page_gets_the_inlined_rules_its_classes_can_match():
    css = ".qq-hero{x:1}.qq-tl{x:2}.md-search-result{x:3}[data-md-color-scheme=slate]{x:4}"
    styles = qinqing_theme.PageStyles(css, runtime={"md-search-result"})
    page = f'<head><style>{css}</style></head><body class="qq-hero"><style>{css}</style>'
    fitted = styles.fit(page, {"qq-hero", "other"})
    # Added by a script at run time, or needing no class: kept. Only the head's tag is cut.
    assert fitted == (f'<head><style>.qq-hero{{x:1}}.md-search-result{{x:3}}[data-md-color-scheme=slate]{{x:4}}</style>'
                      f'</head><body class="qq-hero"><style>{css}</style>')
    # Pages of one kind share one cut: made once.
    assert styles.fit(page, {"qq-hero", "another"}) == fitted and len(styles.cuts) == 1
