"""Deep links to the evidence: URL text fragments that make a browser scroll to and highlight a quote.

Syntax, from the WICG "URL Fragment Text Directives" specification:

    https://example.org/page#:~:text=[prefix-,]textStart[,textEnd][,-suffix]&text=...

Each parameter is percent-encoded text. The specification's grammar allows only
TextDirectiveExplicitChar unencoded — ASCII letters and digits and ``! $ ' ( ) * + . / : ; = ? @ _ ~``
— so everything else is UTF-8 percent-encoded here, above all ``-``, ``&`` and ``,``, which are the
directive's own syntax, and ``%``, space and every non-ASCII letter. Browsers match the decoded text
case-insensitively against the page's rendered text, take the first match, and highlight every
directive of the fragment, scrolling to the first.
"""

from __future__ import annotations

import string
from collections.abc import Sequence
from functools import lru_cache

EXPLICIT_CHARS = frozenset(string.ascii_letters + string.digits + "!$'()*+./:;=?@_~")
EXACT_MAX_WORDS = 8  # a quote this short is given whole; a longer one as its first and last words
EDGE_WORDS = 4  # the fewest words at either end of a textStart,textEnd range


def encode(text: str) -> str:
    """Percent-encode one directive parameter: every character outside EXPLICIT_CHARS, as UTF-8 bytes."""
    return "".join(c if c in EXPLICIT_CHARS else "".join(f"%{b:02X}" for b in c.encode("utf-8")) for c in text)


def text_directive(passage: str, page_text: str) -> str:
    """`text=…` selecting `passage`, the first occurrence of that text in `page_text`.

    A passage of up to EXACT_MAX_WORDS words is given whole. A longer one becomes
    `textStart,textEnd`: its first and last words, each end lengthened until the browser's search
    (first match of the start, then first match of the end after it) lands on this passage and not
    on an earlier copy of its opening, such as a photo caption repeated in the text.
    """
    words = passage.split()
    if len(words) <= EXACT_MAX_WORDS:
        return "text=" + encode(" ".join(words))
    page = _searchable(page_text)
    target = " ".join(words).casefold()
    at = page.find(target)
    start_words = _shortest_unique_start(words, page, at)
    end_words = _shortest_unique_end(words, page, at, at + len(target), start_words)
    if start_words + end_words >= len(words):
        return "text=" + encode(" ".join(words))
    start, end = " ".join(words[:start_words]), " ".join(words[-end_words:])
    return f"text={encode(start)},{encode(end)}"


@lru_cache(maxsize=4)
def _searchable(page_text: str) -> str:
    """The page as a browser's search sees it, worked out once per article: a brief quoting an
    article 3,000 times asks for it 3,000 times (a string keeps its hash, so the lookup is cheap)."""
    return " ".join(page_text.split()).casefold()


def _shortest_unique_start(words: list[str], page: str, at: int) -> int:
    count = EDGE_WORDS
    while count < len(words) and at >= 0 and page.find(" ".join(words[:count]).casefold()) != at:
        count += 1
    return count


def _shortest_unique_end(words: list[str], page: str, at: int, stop: int, start_words: int) -> int:
    after_start = at + len(" ".join(words[:start_words]))
    count = EDGE_WORDS
    while count < len(words) and at >= 0:
        end = " ".join(words[-count:]).casefold()
        if page.find(end, after_start) == stop - len(end):
            break
        count += 1
    return count


def deep_link(url: str, directives: Sequence[str]) -> str:
    """`url` with the text directives in its fragment directive (after `#…:~:`), joined by `&`."""
    if not directives:
        return url
    joined = "&".join(directives)
    if ":~:" in url:
        return f"{url}&{joined}"
    return f"{url}{'' if '#' in url else '#'}:~:{joined}"
