"""Stylesheet pruning (qinqing.engines.stylesheet) on small inputs; the browser test in test_quality
checks the real site looks the same with the pruned theme stylesheet."""

from __future__ import annotations

from qinqing.engines.stylesheet import classes_in_html, classes_in_script, drop_unused_properties, minify, prune


def test_rules_needing_an_unused_class_go_and_the_rest_stay():
    css = ".a{color:red}.b{color:blue}.a .b{margin:0}p{padding:0}.a,.c{top:0}"
    assert prune(css, {"a"}) == ".a{color:red}p{padding:0}.a{top:0}"


def test_grouping_rules_keep_what_is_used_and_vanish_when_empty():
    css = "@media screen{.a{x:1}.b{x:2}}@media print{.b{x:3}}@keyframes spin{0%{x:0}to{x:1}}"
    assert prune(css, {"a"}) == "@media screen{.a{x:1}}@keyframes spin{0%{x:0}to{x:1}}"


def test_attribute_values_outside_the_offer_go():
    css = "[data-md-color-primary=red]{x:1}[data-md-color-primary=custom] .a{x:2}[dir=rtl] .a{x:3}[data-x=y]{x:4}"
    offer = {"data-md-color-primary": {"custom"}, "dir": {"ltr"}}
    assert prune(css, {"a"}, offer) == "[data-md-color-primary=custom] .a{x:2}[data-x=y]{x:4}"
    assert prune(css, None, offer) == "[data-md-color-primary=custom] .a{x:2}[data-x=y]{x:4}"


def test_functional_pseudo_classes_and_strings_never_drop_a_rule():
    css = '.a:not(.gone){x:1}.a:is(.gone,.a){x:2}.a:after{content:"}{.gone"}.a[title="b.c"]{x:3}'
    assert prune(css, {"a"}) == css


def test_classes_come_from_html_attributes_and_theme_scripts():
    assert classes_in_html('<p class="x  y"></p><a class="z">') == {"x", "y", "z"}
    assert classes_in_script('e.classList.add("md-search-result__item");x="other"') == {"md-search-result__item"}


def test_minify_keeps_meaning():
    css = "/* note */\n.a :hover ,\n.b > .c {\n  color : red ;\n}\n"
    assert minify(css) == ".a :hover,.b>.c{color : red;}"



def test_custom_properties_nothing_reads_go_chains_included():
    css = ":root{--a:1;--b:var(--a);--c:2;--d:var(--c);color:red}.x{margin:var(--d)}.y{--e:var(--b)}"
    # --e is read by nothing, so --b goes after it, then --a; the .y rule is left empty and goes.
    assert drop_unused_properties(css) == ":root{--c:2;--d:var(--c);color:red}.x{margin:var(--d)}"
    # A name that a script or another stylesheet uses stays, with what it reads.
    assert drop_unused_properties(css, {"--e"}) == css


def test_dropping_properties_respects_strings_brackets_and_at_rules():
    css = (':root{--icon:url("data:image/svg+xml;charset=utf-8,<svg/>");--gone:url("a;b")}'
           ".i{mask-image:var(--icon)}@media screen{.m{--only-here:1}}@keyframes k{0%{--kept:1}}")
    assert drop_unused_properties(css) == (':root{--icon:url("data:image/svg+xml;charset=utf-8,<svg/>")}'
                                           ".i{mask-image:var(--icon)}@keyframes k{0%{--kept:1}}")
