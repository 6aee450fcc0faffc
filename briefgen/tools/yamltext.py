"""Writing YAML by hand, safely: scalars that read back as exactly the text given, and comments.

`suggest` and `init` write YAML with comments and a chosen layout, which a YAML dumper cannot do;
these two functions are what keeps hand-written YAML correct whatever the article contains.
"""

from __future__ import annotations

import re

import yaml

# A plain scalar must not start like YAML syntax, nor look like a number, date or boolean to any
# YAML version (YAML 1.1 reads `0o14` as text, YAML 1.2 as a number; briefgen and editors differ).
_UNSAFE_START = re.compile(r"^[-?:,\[\]{}#&*!|>'\"%@`+.\d~]")


def scalar(value: str) -> str:
    """`value` as a YAML scalar: plain when that reads back unchanged, otherwise double-quoted."""
    if _plain_is_safe(value):
        return value
    if '"' in value and _printable(value):
        return "'" + value.replace("'", "''") + "'"  # reads better than a run of \" escapes
    return double_quoted(value)


def double_quoted(value: str) -> str:
    """A double-quoted YAML scalar; characters YAML would fold or reject are escaped."""
    out = []
    for char in value:
        if char in '"\\':
            out.append("\\" + char)
        elif _printable(char):
            out.append(char)
        else:
            code = ord(char)
            out.append(f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
    return '"' + "".join(out) + '"'


def comment(text: str) -> str:
    """Text that can follow `#` on one line: anything that could break the line becomes a space."""
    return "".join(c if _printable(c) else " " for c in text)


def _printable(text: str) -> bool:
    """No control characters, and none that YAML treats as a line break or byte-order mark."""
    return text.isprintable() and not any(c in text for c in "\u2028\u2029\ufeff")


def _plain_is_safe(value: str) -> bool:
    if not value or value != value.strip() or not _printable(value) or _UNSAFE_START.match(value):
        return False
    if ": " in value or " #" in value or value.endswith(":"):
        return False
    try:
        return bool(yaml.safe_load(f"k: {value}") == {"k": value})
    except yaml.YAMLError:
        return False
