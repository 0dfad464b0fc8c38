"""jieba, the Chinese word segmenter that the theme's search plugin uses when it is installed.

Taught the data's names (`SiteData.search_words`) so that 陈森田 stays one word. Without
jieba the plugin indexes Chinese unsegmented; the search tests catch that."""

from __future__ import annotations

import logging


def jieba():
    try:
        import jieba as module
    except ImportError:
        return None
    return module


def quiet() -> None:
    """Its start-up chatter is noise in a build's output."""
    if module := jieba():
        module.setLogLevel(logging.WARNING)


def load() -> None:
    """Load the dictionary now (about 0.6 s), e.g. while another process checks the data."""
    if module := jieba():
        module.initialize()


def teach(words: list[str]) -> None:
    if module := jieba():
        for word in words:
            module.add_word(word)
