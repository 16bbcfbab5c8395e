"""Swedish hyphenation points for the web: soft hyphens (U+00AD) in long words, so a narrow table column
breaks "kompetensförsörjnings-perspektiv" at a syllable with a hyphen instead of running off the page
(browsers on Linux have no Swedish dictionary for ``hyphens: auto``). The PDF uses the same dictionary."""

import re
from functools import cache

import pyphen

SOFT_HYPHEN = "\u00ad"
# Words shorter than this are never hyphenated; at least this many letters stay on each side of a break.
MIN_WORD, MIN_PART = 7, 3


@cache
def _dictionary() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="sv", left=MIN_PART, right=MIN_PART)


def soft_hyphens(text: str, min_word: int = 12) -> str:
    """``text`` with a soft hyphen at each Swedish hyphenation point of its words of ``min_word`` letters or
    more (shorter words keep to one line: a column is always at least as wide as those)."""
    if not text:
        return text
    long_word = re.compile(r"[^\W\d_]{" + str(max(min_word, MIN_WORD)) + ",}")
    return long_word.sub(lambda match: _dictionary().inserted(match.group(), hyphen=SOFT_HYPHEN), str(text))
