"""Data as inert text in every markup language briefgen writes.

Each `escape_*` function takes any text (a claim, a title, an outlet from briefs.yaml or an
article) and returns markup that its engine shows as exactly that text — on one line, runs of
whitespace as one space, control characters as U+FFFD — and never as a link, emphasis, HTML, a
note, a list, a template or a signature. The engines disagree about what is special and about how
to say "this character is just a character", so each language gets its own function; the tests
feed hostile text through the real engine of each.
"""

from __future__ import annotations

import re

from markupsafe import Markup

_WHITESPACE = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def one_line(value: object) -> str:
    """The text on one line: whitespace runs become one space, other control characters become �."""
    return _CONTROL.sub("\ufffd", _WHITESPACE.sub(" ", str(value)))


# --- CommonMark and GitHub Flavored Markdown (GitHub, GitLab, Obsidian, Wiki.js, markdown-it) ---

# Characters that are markup anywhere in a line (GFM adds `|` tables, `~` strikethrough; `#` closes
# a heading; `^ $ @` are escaped too so that the gfm Markdown stays inert in engines with
# superscript, maths or mentions).
_GFM_INLINE = re.compile(r"([\\`*_{}\[\]<>|~^$&@#])")
# Text at the start of a line (or of a list item) that would open a block: list, quote, setext...
_GFM_BLOCK_START = re.compile(r"^( ?)(?:([>+\-=:%])|(\d+)([.)]))")
# GFM autolinks bare `www.` and `scheme://` text; an escaped `:` or `.` breaks the pattern.
_GFM_AUTOLINK = re.compile(r"(?i)(?<=[a-z])(:)(?=//)|(?<![\w.])(www)(\.)")


def escape_markdown(value: object) -> Markup:
    """CommonMark/GFM: backslash-escape every character that could start markup."""
    text = _GFM_INLINE.sub(r"\\\1", one_line(value))
    text = _GFM_AUTOLINK.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", text)
    text = _GFM_BLOCK_START.sub(lambda m: f"{m[1]}\\{m[2]}" if m[2] else f"{m[1]}{m[3]}\\{m[4]}", text)
    return Markup(text)


# --- Python-Markdown (MkDocs) ---

# Python-Markdown backslash-escapes only its ESCAPED_CHARS (plus `|` with the tables extension);
# `\$` would show the backslash. `&` and `<` become entities, which it passes through.
_PYMD_ALWAYS = {"\\": "\\\\", "`": "\\`", "*": "\\*", "_": "\\_", "{": "\\{", "}": "\\}", "[": "\\[", "]": "\\]"}
_PYMD_ALWAYS |= {"#": "\\#", "|": "\\|", "&": "&amp;", "<": "&lt;"}
_PYMD_SPECIAL = re.compile(r"[\\`*_{}\[\]#|&<]|/(?=/)")
# Line starts: quote, list, admonition (`!!!`), definition (`:`), setext underline, `~~~` fence.
_PYMD_BLOCK_START = re.compile(r"^( ?)(?:([>+\-!])|([:=~])|(\d+)(\.))")


def _pymd_special(match: re.Match[str]) -> str:
    # "///Footnotes Go Here///" anywhere in a paragraph is where the footnotes extension moves the
    # notes to; a `/` before another `/` is written as an entity so data can never spell it.
    return "&#47;" if match[0] == "/" else _PYMD_ALWAYS[match[0]]


def _pymd_block_start(match: re.Match[str]) -> str:
    if match[2]:
        return f"{match[1]}\\{match[2]}"
    if match[3]:
        return f"{match[1]}&#{ord(match[3])};"  # `:`, `=` and `~` have no backslash escape here
    return f"{match[1]}{match[4]}\\{match[5]}"


def escape_python_markdown(value: object) -> Markup:
    """Python-Markdown with footnotes and tables (MkDocs): its own escapes, entities for the rest."""
    text = _PYMD_SPECIAL.sub(_pymd_special, one_line(value))
    return Markup(_PYMD_BLOCK_START.sub(_pymd_block_start, text))


# --- pandoc's Markdown ---

# pandoc lets a backslash escape any punctuation, and nearly all of ASCII's means something there:
# `$` maths, `@` citations, `^`/`~` super/subscript, `(@)`/`a.`/`i)` lists, and with the default
# `smart` extension `'` `"` `--` `...` "Mr. " and even curly quotes become typography (a lone `‘`
# turns into `’`). So every ASCII punctuation character and curly quote is escaped, except a few
# that never start anything and `-`/`.` inside a word or number (`Kosiniak-Kamysz`, `5.6`), which
# keeps the source readable.
_PANDOC_PUNCT = re.compile(r"[!-/:-@\[-`{-~‘’“”]")
_PANDOC_INERT = frozenset(",;?/")
_WORD = re.compile(r"[^\W_]")


def escape_pandoc_markdown(value: object) -> Markup:
    """pandoc's Markdown: backslash before every ASCII punctuation character that could matter."""
    text = one_line(value)

    def escape(match: re.Match[str]) -> str:
        char, at = match[0], match.start()
        if char in _PANDOC_INERT:
            return char
        inside_word = 0 < at < len(text) - 1 and _WORD.match(text[at - 1]) and _WORD.match(text[at + 1])
        return char if char in "-." and inside_word else f"\\{char}"

    return Markup(_PANDOC_PUNCT.sub(escape, text))


# --- MediaWiki wikitext ---

# Wikitext has no escape character; character references are shown as their character but never
# parsed as markup. Always written as references: the characters of links, templates, tables,
# tags, entities, signatures (`~~~~`) and behaviour switches (`__TOC__`).
_WIKI_ALWAYS = re.compile(r"[&<>\[\]{}|~=!_]")
# `''` bold/italic: an apostrophe is only safe between two letters (`Korea's`).
_WIKI_QUOTE = re.compile(r"'(?<![^\W_]')|'(?![^\W_])")
# A free link needs `scheme:` followed by a non-space (`https://`, `mailto:x`).
_WIKI_COLON = re.compile(r":(?! )")
# At the start of a line: list, definition, heading, rule, preformatted text.
_WIKI_LINE_START = re.compile(r"^[*#:;\- ]")
# Magic links (`ISBN 0-306-40615-2`, `RFC 2119`, `PMID 123`) on wikis that enable them.
_WIKI_MAGIC = re.compile(r"\b(?=(?:ISBN|RFC|PMID)\b)(\w)", re.IGNORECASE)


_NAMED = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def _reference(match: re.Match[str]) -> str:
    return _NAMED.get(match[0]) or f"&#{ord(match[0])};"


def escape_wikitext(value: object) -> Markup:
    """MediaWiki: every character that could be markup written as a character reference."""
    text = _WIKI_ALWAYS.sub(_reference, one_line(value))  # first: the references it writes contain `&`, `#`, `;`
    for pattern in (_WIKI_QUOTE, _WIKI_COLON, _WIKI_LINE_START, _WIKI_MAGIC):
        text = pattern.sub(_reference, text)
    return Markup(text)


# --- Links to URLs (already validated as http(s) by the model) ---

_MARKDOWN_URL_UNSAFE = re.compile(r"[<>\s\"`\\]")
# A character reference, which engines decode even in a link destination: `&amp;`, `&#65;`, and for
# pandoc also a bare `&lt` before anything but a letter, digit or `=`.
_CHARACTER_REFERENCE = re.compile(r"&(?=#?[A-Za-z0-9]+(?:;|(?![A-Za-z0-9=])))")
# Also `__NOTOC__` and `!!`, which wikitext reads even there, and non-ASCII (pandoc ends a link at it).
_WIKITEXT_URL_UNSAFE = re.compile(r"[\[\]{}|<>\"'~`\\^]|[^\x21-\x7e]|[_!](?=[_!])")
_URL_WORD = frozenset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ#$%+/@\\_-&=")
TEXT_DIRECTIVE_DELIMITER = ":~:"  # starts the fragment directive of a deep link (textfragment.py)


def markdown_link(text: Markup, url: str) -> Markup:
    """`[text](<url>)` for an http(s) URL, written so every engine reads back exactly `url`."""
    # Inside <…> a destination may not hold <, > or line breaks, and character references are decoded.
    destination = _CHARACTER_REFERENCE.sub("&amp;", _MARKDOWN_URL_UNSAFE.sub(_percent, url))
    return Markup(f"[{text}](<{destination}>)")


def wikitext_link(text: Markup, url: str) -> Markup:
    """`[https://… text]`: an external link showing `text` (already escaped for wikitext).

    The address is percent-encoded where wikitext would end or reinterpret it (`]`, `|`, `{`, `'`,
    `~~~`, `__`, `!!`…) or where a reader would end it early; an `&` that would start a character
    reference is written `&amp;`, which MediaWiki decodes in link targets. A deep link's `:~:`
    stays as it is: it is syntax.
    """
    address, delimiter, directive = url.partition(TEXT_DIRECTIVE_DELIMITER)
    parts = [address, directive] if delimiter else [address]
    target = delimiter.join(_punctuation_before_word(_WIKITEXT_URL_UNSAFE.sub(_percent, part)) for part in parts)
    target = _CHARACTER_REFERENCE.sub("&amp;", target)  # MediaWiki decodes references in addresses
    return Markup(f"[{target} {text}]")


def _punctuation_before_word(url: str) -> str:
    """Percent-encode punctuation that is not followed by a letter, digit or `%XX`.

    Readers such as pandoc's end an address at punctuation that does not lead on to more of it
    (`…/x.`, `…/a::b`), as MediaWiki does for free links; encoded, the address reads to its end.
    """
    chars: list[str] = []
    leads_on = False  # whether what is already written (to the right) starts with a word character or `%`
    for char in reversed(url):
        if char in _URL_WORD or leads_on:
            chars.append(char)
            leads_on = char in _URL_WORD
        else:
            chars.append(f"%{ord(char):02X}")
            leads_on = True
    return "".join(reversed(chars))


def _percent(match: re.Match[str]) -> str:
    return "".join(f"%{byte:02X}" for byte in match[0].encode("utf-8"))
