"""The catalogue of broken and hostile input: each row a project, the error it must get, and where.

Every row runs through the real command line twice: `check` must exit 1 with the diagnostic at the
expected `file:line:column` (computed from the file's text, by finding a marker in it), and
`render` must fail the same way, say that nothing was written, and write nothing. No row may print
a Python traceback. The last rows are unusual but valid input, which must pass.
"""

from __future__ import annotations

import os
import resource
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefgen.cli import app
from briefgen.cli.console import NOTHING_WRITTEN
from briefgen.limits import Limits
from briefgen.project import load
from tests.conftest import ARTICLE, MINIMAL_YAML

runner = CliRunner()
ARTICLE_NAME = "seeds/a.txt"


@dataclass(frozen=True)
class Row:
    """One catalogue entry: the project's files, and the diagnostic it must produce (or none)."""

    id: str
    yaml: str | bytes
    message: str  # a substring of the diagnostic's message; "" for valid input
    at: str | bytes | None = None  # the diagnostic points at the first occurrence of this text...
    file: str = "briefs.yaml"  # ...in this file of the project
    hint: str | None = None  # a substring of the hint line, when one is expected
    articles: dict[str, str | bytes] = field(default_factory=lambda: {ARTICLE_NAME: ARTICLE})
    env: dict[str, str] = field(default_factory=dict)
    setup: Callable[[Path], None] | None = None  # for what files cannot say: symlinks, FIFOs, sparse files


def replace(*pairs: str, base: str = MINIMAL_YAML) -> str:
    """MINIMAL_YAML with each (old, new) pair replaced; each `old` must be present."""
    text = base
    for old, new in zip(pairs[::2], pairs[1::2], strict=True):
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def alias_bomb() -> str:
    """Ten lines that would expand to 20**10 values."""
    lines = [f"l0: &l0 [{', '.join(['lol'] * 20)}]"]
    lines += [f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 20)}]" for n in range(1, 10)]
    return "\n".join(lines) + "\n" + MINIMAL_YAML


def merge_bomb(levels: int) -> str:
    """Lines whose mapping merges the one before twenty times: few keys, but 20**levels merged pairs."""
    lines = ["m0: &m0 {x: 1, y: 2}"]
    lines += [f"m{n}: &m{n} {{<<: [{', '.join([f'*m{n - 1}'] * 20)}]}}" for n in range(1, levels + 1)]
    return "\n".join(lines) + "\n" + MINIMAL_YAML


def merge_chain(length: int) -> str:
    """Each mapping merges the one before it (and adds a key): a chain of `length` merges."""
    lines = ["c0: &c0 {x: 0}"] + [f"c{n}: &c{n} {{<<: *c{n - 1}, x{n}: {n}}}" for n in range(1, length + 1)]
    return "\n".join(lines) + "\n" + MINIMAL_YAML


def nested_lists(first_item_level: int, levels: int) -> str:
    """`[level-5, [level-6, [level-7, …]]]`: the first item of each list says how deep it is nested."""
    return "".join(f"[level-{n}, " for n in range(first_item_level, first_item_level + levels)) + "]" * levels


def symlink_out(project: Path) -> None:
    outside = project.parent / "elsewhere.txt"
    outside.write_text(ARTICLE, encoding="utf-8")
    (project / ARTICLE_NAME).unlink()
    (project / ARTICLE_NAME).symlink_to(outside)


def fifo_article(project: Path) -> None:
    (project / ARTICLE_NAME).unlink()
    os.mkfifo(project / ARTICLE_NAME)


def symlink_to_inside(target: str, content: str = ARTICLE) -> Callable[[Path], None]:
    """seeds/a.txt becomes a symlink to `target`, a file inside the project that is not an article."""

    def make(project: Path) -> None:
        (project / target).parent.mkdir(parents=True, exist_ok=True)
        (project / target).write_text(content, encoding="utf-8")
        (project / ARTICLE_NAME).unlink()
        (project / ARTICLE_NAME).symlink_to(project / target)

    return make


def socket_article(project: Path) -> None:
    (project / ARTICLE_NAME).unlink()
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(project / ARTICLE_NAME))


def sparse(name: str, size: int) -> Callable[[Path], None]:
    """A file of `size` bytes that takes no disk space: proves the size is checked before reading."""

    def make(project: Path) -> None:
        with (project / name).open("r+b" if (project / name).exists() else "wb") as handle:
            handle.truncate(size)

    return make


LATIN1_ARTICLE = ARTICLE.replace("welcomed", "welcomed the caf\xe9 plan and").encode("latin-1", "replace")
LATIN1_YAML = replace("title: Demo brief", "title: Demo caf\xe9 brief").encode("latin-1")
DEFAULTS = Limits()
LONG_QUOTE = " ".join(["would move part of its production to Poland"] * (DEFAULTS.quote_chars // 40))
CRLF_YAML = MINIMAL_YAML.replace("\n", "\r\n")
TYPOGRAPHIC_ARTICLE = ARTICLE.replace("Radmila Šekerinska welcomed", "Radmila\u00a0Šekerinska said “we welcome”")

CATALOGUE = [
    # -- YAML that is not YAML, or not the shape of briefs.yaml ------------------------------------
    Row(
        "yaml-syntax",
        replace("    claim: Part of", "    claim: Part: of"),
        "YAML syntax: mapping values are not allowed here",
        at=": of",
    ),
    Row(
        "yaml-unclosed-flow",
        replace("bottom_line: [deepen]", "bottom_line: [deepen"),
        "YAML syntax: expected ',' or ']', but got ':' (while parsing a flow sequence at line",
        at=":\n      - title: Details",
    ),
    Row("tab", replace("    claim: The two", "\tclaim: The two"), "a tab character here", at="\tclaim", hint="spaces"),
    Row("empty-file", "", "briefs.yaml is empty", at=""),
    Row("only-comments", "# nothing yet\n", "briefs.yaml is empty", at="# nothing"),
    Row("list-document", "- sources\n- facts\n", "briefs.yaml is a list; it must be a mapping", at="- sources"),
    Row("text-document", "just some text\n", "briefs.yaml is a text; it must be a mapping", at="just"),
    Row("control-character", replace("Demo brief", "Demo\x07brief"), "character U+0007 is not allowed", at="\x07"),
    Row(
        "python-tag",
        replace("title: Demo brief", "title: !!python/object/apply:os.system [ls]"),
        "unsupported YAML tag",
        at="!!python",
    ),
    *(
        Row(
            f"tag-{kind}-{name}",
            replace("as_of: 2025-10-24", f"as_of: !!{kind} {text}"),
            f"is not a valid !!{kind}",
            at=f"!!{kind}",
            hint="drop the tag",
        )
        for kind, name, text in [
            ("int", "empty", "''"),
            ("float", "empty", "''"),
            ("bool", "maybe", "maybe"),
            ("bool", "empty", "''"),
            ("int", "underscore", "'_'"),
            ("null", "text", "nothing"),
        ]
    ),
    Row("huge-number", replace("as_of: 2025-10-24", "as_of: " + "9" * 5000), "as a number", at="9999"),
    # -- the schema -------------------------------------------------------------------------------
    Row(
        "wrong-type",
        replace("bottom_line: [deepen]", "bottom_line: deepen"),
        "briefs.demo.bottom_line: expected a list, got text",
        at="deepen\n    sections",
    ),
    Row(
        "wrong-type-mapping",
        replace("    title: Demo brief", "    title: [Demo, brief]"),
        "briefs.demo.title: expected text, got list",
        at="[Demo",
    ),
    Row(
        "missing-field",
        replace("    claim: Part of the tank programme's production would move to Poland.\n", ""),
        "facts[1] (fact 'k2'): missing required key 'claim'",
        at="id: k2",
    ),
    Row(
        "missing-top-level",
        MINIMAL_YAML[: MINIMAL_YAML.index("briefs:")],
        "missing required top-level key 'briefs'",
        at="sources:",
    ),
    Row(
        "misspelled-key",
        replace("    claim: Part of", "    claym: Part of"),
        "facts[1] (fact 'k2'): unknown key 'claym'",
        at="claym",
        hint="did you mean 'claim'?",
    ),
    Row(
        "misspelled-top-level-key",
        replace("briefs:", "brefs:"),
        "unknown top-level key 'brefs'",
        at="brefs",
        hint="did you mean 'briefs'?",
    ),
    Row(
        "duplicate-yaml-key",
        replace("    as_of: 2025-10-24", "    as_of: 2025-10-24\n    title: Second title"),
        "duplicate key 'title' in briefs.demo",
        at="title: Second",
        hint="first given at line",
    ),
    Row(
        "duplicate-fact-id", replace("id: k2", "id: deepen"), "duplicate fact id 'deepen'", at="deepen\n    claim: Part"
    ),
    Row(
        "unknown-fact",
        replace("facts: [k2]", "facts: [k3]"),
        "unknown fact 'k3'",
        at="k3",
        hint="did you mean 'k2'?",
    ),
    Row(
        "unknown-source",
        replace("- source: art\n        quote: would", "- source: arts\n        quote: would"),
        "unknown source 'arts'",
        at="arts",
        hint="did you mean 'art'?",
    ),
    Row(
        "invalid-date",
        replace("    date: 2025-10-20", "    date: 2025-13-40"),
        "'2025-13-40' is not a calendar date",
        at="2025-13-40",
    ),
    Row(
        "not-a-date",
        replace("as_of: 2025-10-24", "as_of: 24 Oct 2025"),
        "'24 Oct 2025' is not a date; write YYYY, YYYY-MM or YYYY-MM-DD",
        at="24 Oct",
    ),
    Row("brief-id-escapes-out", replace("  demo:", '  "../x":'), "briefs id '../x' is not valid", at='"../x"'),
    Row("brief-id-absolute", replace("  demo:", '  "/tmp/x":'), "briefs id '/tmp/x' is not valid", at='"/tmp/x"'),
    Row(
        "template-outside",
        replace("    title: Demo brief", "    title: Demo brief\n    template: ../../etc/passwd"),
        "is not a template file name",
        at="../../etc",
    ),
    Row(
        "template-dot-dot",
        replace("    title: Demo brief", "    title: Demo brief\n    template: '..'"),
        "is not a template file name",
        at="'..'",
    ),
    *(
        Row(
            f"url-{name}",
            replace("    published: 2025-10-20", f"    published: 2025-10-20\n    url: {url}"),
            "is not an http(s) URL",
            at=url,
        )
        for name, url in [
            ("javascript", "javascript:alert(1)"),
            ("file", "file:///etc/passwd"),
            ("data", "'data:text/html,<script>alert(1)</script>'"),
            ("space", "'https://example.com/a b'"),
            ("quote", "'https://example.com/\"onmouseover=\"x'"),
            ("angle", "'https://example.com/<script>'"),
            ("relative", "/etc/passwd"),
        ]
    ),
    # -- quotes -----------------------------------------------------------------------------------
    Row(
        "quote-not-found",
        replace("quote: would move part", "quote: would move most"),
        "quote not found in seeds/a.txt",
        at="would move most",
        hint="nearest passage (seeds/a.txt:2:",
    ),
    # Terminal escapes in an article reach the messages through the nearest passage: shown escaped.
    Row(
        "quote-not-found-escapes-in-article",
        replace("quote: would move part", "quote: would move most"),
        "quote not found in seeds/a.txt",
        at="would move most",
        hint="\\x1b]0;owned\\x07\\x1b[2Jpart of its production",
        articles={ARTICLE_NAME: ARTICLE.replace("would move part", "would move \x1b]0;owned\x07\x1b[2Jpart")},
    ),
    Row(
        "article-name-with-escapes",
        replace("file: seeds/a.txt", 'file: "seeds/\\e[31ma\\x9b.txt"'),
        "file not found",
        at='"seeds/',
    ),
    # A quote starts and ends at the article's word boundaries, and numbers in it are whole.
    *(
        Row(
            f"quote-cut-{name}",
            replace("quote: would move part of its production to Poland", f"quote: '{quote}'"),
            "quote not found in seeds/a.txt",
            at=f"'{quote}'",
            articles={
                ARTICLE_NAME: ARTICLE.replace(
                    "in Brussels.", "in Brussels, impossible to agree on $56.2 billion. Talks go on."
                )
            },
        )
        for name, quote in [
            ("word-start", "ould move part of its production to Poland"),
            ("word-end", "would move part of its production to Pol"),
            ("prefix", "possible to agree on $56.2 billion"),
            ("number-end", "impossible to agree on $5"),
            ("number-at-point", "impossible to agree on $56."),
            ("number-start", "2 billion. Talks go on"),
        ]
    ),
    # NFKC may fold letters (ﬁ, full-width forms), never what a number says: ⁶, ₂, ½, ① match only themselves.
    *(
        Row(
            f"quote-folds-{name}",
            replace("quote: would move part of its production to Poland", f"quote: '{quote}'"),
            "quote not found in seeds/a.txt",
            at=f"'{quote}'",
            articles={ARTICLE_NAME: ARTICLE.replace("in Brussels.", f"in Brussels: {article}")},
        )
        for name, quote, article in [
            ("superscript", "a plan of 10⁶ rounds", "a plan of 106 rounds."),
            ("superscript-in-article", "a plan of 106 rounds", "a plan of 10⁶ rounds."),
            ("subscript", "emissions of CO₂ fell", "emissions of CO2 fell."),
            ("fraction", "with ½ of the budget", "with 1\u20442 of the budget."),
            ("circled", "item ① was agreed", "item 1 was agreed."),
        ]
    ),
    Row(
        "quote-too-short",
        replace("quote: would move part of its production to Poland", "quote: to Poland"),
        "quote too short to be evidence (9 characters; at least 12)",
        at="to Poland\n",
    ),
    Row(
        "quote-too-long",
        replace("quote: would move part of its production to Poland", "quote: " + LONG_QUOTE),
        f"quote is {len(LONG_QUOTE):,} characters long, more than the {DEFAULTS.quote_chars:,}-character limit",
        at=LONG_QUOTE[:60],
        hint="BRIEFGEN_MAX_QUOTE_CHARS",
    ),
    Row(
        "quote-limit-lowered",
        MINIMAL_YAML,
        "more than the 20-character limit",
        at="agreed on Monday",
        env={"BRIEFGEN_MAX_QUOTE_CHARS": "20"},
    ),
    # -- articles ---------------------------------------------------------------------------------
    Row(
        "article-missing",
        replace("file: seeds/a.txt", "file: seeds/missing.txt"),
        "article 'seeds/missing.txt': file not found",
        at="seeds/missing.txt",
    ),
    Row(
        "article-not-utf8",
        MINIMAL_YAML,
        "not UTF-8 text: byte 0xe9 cannot be decoded",
        at=b"\xe9 plan",
        file=ARTICLE_NAME,
        articles={ARTICLE_NAME: LATIN1_ARTICLE},
        hint="save the file as UTF-8",
    ),
    Row(
        "article-dot-dot",
        replace("file: seeds/a.txt", "file: ../elsewhere.txt"),
        "must be relative and stay inside the project",
        at="../elsewhere.txt",
    ),
    Row(
        "article-absolute",
        replace("file: seeds/a.txt", "file: /etc/passwd"),
        "must be relative and stay inside the project",
        at="/etc/passwd",
    ),
    Row("article-symlink-out", MINIMAL_YAML, "resolves outside the project", at="seeds/a.txt", setup=symlink_out),
    # Files inside the project that nobody put among the articles: each is refused at its `file:`
    # value, whatever it holds (here it holds the article's text, so only the rule can stop it).
    *(
        Row(
            f"article-{name}",
            replace("file: seeds/a.txt", f"file: {path}"),
            message,
            at=f"{path}\n",
            hint="article directory such as seeds/",
            articles={ARTICLE_NAME: ARTICLE, path: ARTICLE},
        )
        for name, path, message in [
            ("git-config", ".git/config", "is a hidden path ('.git'), not an article"),
            ("dotenv", "seeds/.env", "is a hidden path ('.env'), not an article"),
            ("venv", ".venv/lib/site.txt", "is a hidden path ('.venv'), not an article"),
            ("lock-file", "briefs.lock.json", "is a file at the top of the project"),
            ("top-level", "notes.txt", "is a file at the top of the project"),
            ("in-out", "out/demo.md", "is inside out/, which holds no articles"),
            ("in-templates", "templates/brief.md.j2", "is inside templates/, which holds no articles"),
        ]
    ),
    Row(
        "article-config-itself",
        replace("file: seeds/a.txt", "file: briefs.yaml"),
        "top of the project",
        at="briefs.yaml\n",
    ),
    Row(
        "article-symlink-to-hidden",
        MINIMAL_YAML,
        "is a symlink to '.git/config', which is a hidden path ('.git')",
        at="seeds/a.txt",
        hint="article directory such as seeds/",
        setup=symlink_to_inside(".git/config"),
    ),
    Row(
        "article-symlink-to-top",
        MINIMAL_YAML,
        "is a symlink to 'briefs.lock.json', which is a file at the top of the project",
        at="seeds/a.txt",
        setup=symlink_to_inside("briefs.lock.json"),
    ),
    Row(
        "article-symlink-to-out",
        MINIMAL_YAML,
        "is a symlink to 'out/x.md', which is inside out/",
        at="seeds/a.txt",
        setup=symlink_to_inside("out/x.md"),
    ),
    Row("article-socket", MINIMAL_YAML, "is not a regular file", at="seeds/a.txt", setup=socket_article),
    Row(
        "article-device",
        replace("file: seeds/a.txt", "file: seeds/zero"),
        "resolves outside the project",
        at="seeds/zero",
        setup=lambda project: (project / "seeds" / "zero").symlink_to("/dev/zero"),
    ),
    Row(
        "article-directory",
        replace("file: seeds/a.txt", "file: seeds/old"),
        "is a directory",
        at="seeds/old\n",
        setup=lambda project: (project / "seeds" / "old").mkdir(),
    ),
    Row("article-fifo", MINIMAL_YAML, "is not a regular file", at="seeds/a.txt", setup=fifo_article),
    Row(
        "article-huge",
        MINIMAL_YAML,
        f"file is larger than the {DEFAULTS.article_bytes:,}-byte limit",
        at="seeds/a.txt",
        hint="BRIEFGEN_MAX_ARTICLE_BYTES",
        setup=sparse(ARTICLE_NAME, 3_000_000_000),
    ),
    Row(
        "article-limit-lowered",
        MINIMAL_YAML,
        "file is larger than the 100-byte limit",
        at="seeds/a.txt",
        env={"BRIEFGEN_MAX_ARTICLE_BYTES": "100"},
    ),
    # -- the config file itself -------------------------------------------------------------------
    Row("config-not-utf8", LATIN1_YAML, "not UTF-8 text: byte 0xe9 cannot be decoded", at=b"\xe9 brief"),
    Row(
        "config-huge",
        MINIMAL_YAML,
        f"file is larger than the {DEFAULTS.yaml_bytes:,}-byte limit",
        at="",
        hint="BRIEFGEN_MAX_YAML_BYTES",
        setup=sparse("briefs.yaml", 3_000_000_000),
    ),
    Row(
        "config-limit-lowered",
        MINIMAL_YAML,
        "file is larger than the 100-byte limit",
        at="",
        env={"BRIEFGEN_MAX_YAML_BYTES": "100"},
    ),
    # With the limit at 250,000 for this row: l0-l3 take 177,285 values and one *l3 adds 168,421, so
    # the first alias of l4 crosses it. (test_limits.py runs the same bomb at the default limit.)
    Row(
        "alias-bomb",
        alias_bomb(),
        "more than 250,000 values once aliases are expanded",
        at="*l3",
        hint="BRIEFGEN_MAX_YAML_VALUES",
        env={"BRIEFGEN_MAX_YAML_VALUES": "250000"},
    ),
    # Each list's first item says its own nesting level (the document is level 1; briefs, demo and
    # bottom_line's list are levels 2-4), so the marker names the first value nested too deep.
    Row(
        "deep-nesting",
        replace("bottom_line: [deepen]", "bottom_line: " + nested_lists(first_item_level=5, levels=10_000)),
        f"lists and mappings nested more than {DEFAULTS.yaml_depth} levels deep",
        at=f"level-{DEFAULTS.yaml_depth + 1},",
        hint="BRIEFGEN_MAX_YAML_DEPTH",
    ),
    # Five lines of `<<: [*m, *m, …]`: millions of merged pairs, nearly all duplicates, counted as
    # values; m0-m4 stay under 500,000 of them, so the merge that crosses the limit is m5's.
    Row(
        "merge-bomb",
        merge_bomb(5),
        "more than 500,000 values once merge keys (<<) are expanded",
        at="<<: [*m4",
        hint="BRIEFGEN_MAX_YAML_VALUES",
    ),
    # c65 merges c64, which merges c63, … : 65 levels of merges, one more than the depth limit.
    Row(
        "merge-chain",
        merge_chain(1_100),
        f"merge keys (<<) chained more than {DEFAULTS.yaml_depth} levels deep",
        at=f"<<: *c{DEFAULTS.yaml_depth}",
        hint="BRIEFGEN_MAX_YAML_DEPTH",
    ),
    # -- unusual input must not move the reported position -----------------------------------------
    Row(
        "crlf-error-line",
        CRLF_YAML.replace("quote: would move part", "quote: would move most"),
        "quote not found",
        at="would move most",
    ),
    Row(
        "bom-error-column",
        "\ufeff" + replace("    date: 2025-10-20", "    date: 2025-13-40"),
        "is not a calendar date",
        at="2025-13-40",
    ),
]

VALID = [
    Row(
        "quote-folds-letters-not-numbers",
        replace(
            "quote: would move part of its production to Poland",
            "quote: 'would move part of its production to Poland'\n"
            "      - source: art\n        quote: 'the ﬁnal plan of 10⁶ rounds with ½ of ＣＯ₂'",
        ),
        "",
        articles={
            ARTICLE_NAME: ARTICLE.replace("in Brussels.", "in Brussels: the final plan of 10⁶ rounds with ½ of CO₂.")
        },
    ),
    Row(
        "quote-whole-words-and-numbers",
        replace(
            "quote: would move part of its production to Poland",
            "quote: 'would move part of its production to Poland'\n"
            "      - source: art\n        quote: 'impossible to agree on $56.2 billion.'",
        ),
        "",
        articles={
            ARTICLE_NAME: ARTICLE.replace(
                "in Brussels.", "in Brussels, impossible to agree on $56.2 billion. Talks go on."
            )
        },
    ),
    Row("article-dot-slash", replace("file: seeds/a.txt", "file: ./seeds/a.txt"), ""),
    Row(
        "article-in-another-directory",
        replace("file: seeds/a.txt", "file: articles/2025/a.txt"),
        "",
        articles={"articles/2025/a.txt": ARTICLE},
    ),
    Row("article-symlink-among-articles", MINIMAL_YAML, "", setup=symlink_to_inside("archive/2025/a.txt")),
    Row("bom-in-yaml", "\ufeff" + MINIMAL_YAML, ""),
    Row("bom-in-article", MINIMAL_YAML, "", articles={ARTICLE_NAME: "\ufeff" + ARTICLE}),
    Row("crlf-in-yaml", CRLF_YAML, ""),
    Row("crlf-in-article", MINIMAL_YAML, "", articles={ARTICLE_NAME: ARTICLE.replace("\n", "\r\n")}),
    Row(
        "nbsp-and-curly-quotes-in-article",
        replace(
            "        quote: would move part of its production to Poland",
            "        quote: would move part of its production to Poland\n"
            "      - source: art\n"
            "        quote: 'Radmila Šekerinska said \"we welcome\"'",
        ),
        "",
        articles={ARTICLE_NAME: TYPOGRAPHIC_ARTICLE},
    ),
    Row(
        "everything-at-once",
        "\ufeff" + CRLF_YAML,
        "",
        articles={ARTICLE_NAME: "\ufeff" + TYPOGRAPHIC_ARTICLE.replace("\n", "\r\n")},
    ),
]


def make(tmp_path: Path, row: Row) -> Path:
    """Write the row's project into tmp_path/project; return its briefs.yaml."""
    project = tmp_path / "project"
    for name, content in row.articles.items():
        path = project / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    config = project / "briefs.yaml"
    config.write_bytes(row.yaml if isinstance(row.yaml, bytes) else row.yaml.encode("utf-8"))
    if row.setup:
        row.setup(project)
    return config


def expected_location(row: Row, project: Path) -> str:
    """`path:line:column` of the row's marker, computed from the file's bytes as an editor counts."""
    path = project / row.file
    text = row.yaml if row.file == "briefs.yaml" else row.articles[row.file]
    data = (text if isinstance(text, bytes) else text.encode("utf-8")).removeprefix(b"\xef\xbb\xbf")
    marker = row.at if isinstance(row.at, bytes) else (row.at or "").encode("utf-8")
    offset = data.index(marker)
    line_start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", "replace")) + 1
    line = data.count(b"\n", 0, offset) + 1
    return f"{path}:{line}:{column}"


def invoke(*args: str | Path, env: dict[str, str]) -> tuple[int, str, str]:
    result = runner.invoke(app, [str(a) for a in args], env=env)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("row", CATALOGUE, ids=[row.id for row in CATALOGUE])
def test_broken_input_gets_a_located_error_and_writes_nothing(row: Row, tmp_path: Path) -> None:
    config = make(tmp_path, row)
    where = expected_location(row, config.parent)

    code, out, err = invoke("check", "--config", config, env=row.env)
    assert "Traceback" not in out + err
    assert code == 1, err
    assert not [c for c in err if (ord(c) < 0x20 and c != "\n") or 0x7F <= ord(c) < 0xA0], repr(err)  # escaped
    lines = err.splitlines()
    matching = [n for n, line in enumerate(lines) if line.startswith(f"{where}: error: ") and row.message in line]
    assert matching, f"expected {where}: error: …{row.message}…\n{err}"
    if row.hint:
        assert lines[matching[0] + 1].startswith("    hint: ") and row.hint in lines[matching[0] + 1], err

    out_dir = tmp_path / "out"
    code, out, err = invoke("render", "--config", config, "--out", out_dir, "-f", "md", "-f", "html", env=row.env)
    assert "Traceback" not in out + err
    assert code == 1
    assert f"{where}: error: " in err
    assert err.rstrip().endswith(NOTHING_WRITTEN)
    assert not out_dir.exists()


@pytest.mark.parametrize("row", VALID, ids=[row.id for row in VALID])
def test_unusual_but_valid_input_passes(row: Row, tmp_path: Path) -> None:
    config = make(tmp_path, row)
    code, out, err = invoke("check", "--config", config, env=row.env)
    assert code == 0 and "error:" not in err, err  # a small project gets warnings (single source), no error
    assert "quotes verified" in out
    code, _, err = invoke("render", "--config", config, "--out", tmp_path / "out", "-f", "md", env=row.env)
    assert code == 0 and "error:" not in err, err
    assert "The two sides agreed" in (tmp_path / "out" / "demo.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "lock",
    [
        b"[[[[",
        b"[" * 100_000 + b"]" * 100_000,  # json.loads recurses
        b'{"version": 1, "articles": {"seeds/a.txt": {"sha256": "x", "quotes": [{"selector": []}]}}}',
        b'{"version": 99}',
        b"\xff\xfe not UTF-8",
        b"null",
    ],
    ids=["truncated", "deep", "wrong-shape", "wrong-version", "not-utf8", "null"],
)
def test_a_broken_lock_file_is_a_located_warning_not_a_failure(lock: bytes, tmp_path: Path) -> None:
    config = make(tmp_path, Row("lock", MINIMAL_YAML, ""))
    (config.parent / "briefs.lock.json").write_bytes(lock)
    code, _, err = invoke("check", "--config", config, env={})
    assert code == 0 and "Traceback" not in err and "internal error" not in err, err
    assert f"{config.parent / 'briefs.lock.json'}:1:1: warning: " in err


# -- every path briefgen writes stays inside the output directory -------------------------------------


def render_into(config: Path, *extra: str | Path) -> tuple[int, str]:
    code, out, err = invoke("render", "--config", config, "-f", "md", "-f", "html", *extra, env={})
    assert "Traceback" not in out + err and "internal error" not in err, err
    return code, err


@pytest.mark.parametrize("explicit", [False, True], ids=["default-out", "given-out"])
def test_an_output_directory_that_is_a_symlink_is_refused(explicit: bool, tmp_path: Path) -> None:
    config = make(tmp_path, Row("out-symlink", MINIMAL_YAML, ""))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (config.parent / "out").symlink_to(elsewhere)
    code, err = render_into(config, *(["--out", config.parent / "out"] if explicit else []))
    assert code == 1
    assert f"{config.parent / 'out'}: error: cannot write into it: it is a symlink (to {elsewhere})" in err
    assert f"pass --out {elsewhere}" in err
    assert err.rstrip().endswith(NOTHING_WRITTEN)
    assert list(elsewhere.iterdir()) == []


def test_a_symlinked_directory_inside_the_output_directory_is_refused(tmp_path: Path) -> None:
    config = make(tmp_path, Row("fonts-symlink", MINIMAL_YAML, ""))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / "fonts").symlink_to(elsewhere)  # the screen page's fonts are written into out/fonts/
    code, err = render_into(config, "--out", out)
    assert code == 1
    assert f"outside the output directory {out} (a symlink?)" in err
    assert err.rstrip().endswith(NOTHING_WRITTEN)
    assert list(elsewhere.iterdir()) == []


def test_a_screen_asset_named_with_dot_dot_in_template_css_is_not_written_outside(tmp_path: Path) -> None:
    config = make(tmp_path, Row("css-dot-dot", MINIMAL_YAML, ""))
    templates = config.parent / "templates"
    (templates / "a" / "b").mkdir(parents=True)
    (templates / "fonts").symlink_to(templates / "a" / "b")  # so fonts/../../x.css is templates/x.css
    (templates / "x.css").write_text("p { color: red }\n", encoding="utf-8")
    (templates / "extra.css").write_text("@font-face { src: url(fonts/../../x.css) }\n", encoding="utf-8")
    out = tmp_path / "out"
    code, err = render_into(config, "--out", out)
    assert code == 1
    assert f"{out / 'fonts/../../x.css'}: error: cannot write: it is outside the output directory {out}" in err
    assert err.rstrip().endswith(NOTHING_WRITTEN)
    assert not (tmp_path / "x.css").exists() and not out.exists()


# -- special files where briefgen's outputs and cache are --------------------------------------------

SPECIAL_FILE_SECONDS = 60  # a render of this project takes a second; a hang is stopped here


def fifo_at(path: Path) -> None:
    path.unlink(missing_ok=True)
    os.mkfifo(path)


def dev_zero_at(path: Path) -> None:
    path.unlink(missing_ok=True)
    path.symlink_to("/dev/zero")


def nested_brackets_at(path: Path) -> None:
    path.write_bytes(b"[" * 100_000 + b"]" * 100_000)


def huge_sparse_at(path: Path) -> None:
    path.unlink(missing_ok=True)
    with path.open("wb") as handle:
        handle.truncate(3_000_000_000)


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (2_000_000_000, 2_000_000_000))  # /dev/zero read whole: MemoryError


@pytest.mark.parametrize("target", ["demo.md", ".briefgen-cache.json"])
@pytest.mark.parametrize(
    "plant", [fifo_at, dev_zero_at, nested_brackets_at, huge_sparse_at], ids=["fifo", "dev-zero", "brackets", "huge"]
)
def test_a_special_file_at_an_output_or_the_cache_is_replaced_never_read(
    plant: Callable[[Path], None], target: str, tmp_path: Path
) -> None:
    config = make(tmp_path, Row("special", MINIMAL_YAML, ""))
    out = tmp_path / "out"
    command = [sys.executable, "-m", "briefgen", "render", "--config", str(config), "-o", str(out), "-f", "md"]
    command += ["-f", "html"]
    first = subprocess.run(command, capture_output=True, text=True, timeout=SPECIAL_FILE_SECONDS, check=False)
    assert first.returncode == 0, first.stderr
    good = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    plant(out / target)  # with the cache still saying the output is up to date
    second = subprocess.run(
        command, capture_output=True, text=True, timeout=SPECIAL_FILE_SECONDS, check=False, preexec_fn=_limit_memory
    )
    assert second.returncode == 0 and "Traceback" not in second.stderr and "internal error" not in second.stderr
    assert (out / target).is_file() and not (out / target).is_symlink()
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}.keys() == good.keys()
    for name in ("demo.md", "demo.html"):
        assert (out / name).read_bytes() == good[name]


def test_a_symlink_at_an_output_is_replaced_even_when_its_target_holds_the_same_bytes(tmp_path: Path) -> None:
    config = make(tmp_path, Row("same-bytes", MINIMAL_YAML, ""))
    out = tmp_path / "out"
    code, err = render_into(config, "--out", out)
    assert code == 0, err
    victim = tmp_path / "victim.md"
    victim.write_bytes((out / "demo.md").read_bytes())
    (out / "demo.md").unlink()
    (out / "demo.md").symlink_to(victim)
    code, err = render_into(config, "--out", out)
    assert code == 0, err
    assert not (out / "demo.md").is_symlink()
    assert (out / "demo.md").read_bytes() == victim.read_bytes()


@pytest.mark.parametrize("value", ["\u00b2", "\u0663", "99999999999999999999", "253402300800", "12.5", "-1"])
def test_a_source_date_epoch_that_is_no_time_is_a_usage_error(value: str, tmp_path: Path) -> None:
    config = make(tmp_path, Row("epoch", MINIMAL_YAML, ""))
    env = {"SOURCE_DATE_EPOCH": value}
    code, out, err = invoke("render", "--config", config, "--out", tmp_path / "out", "-f", "md", env=env)
    assert "Traceback" not in out + err and "internal error" not in err, err
    assert code == 2 and "SOURCE_DATE_EPOCH" in err, err
    assert not (tmp_path / "out").exists()


def test_the_last_source_date_epoch_before_year_10000_is_accepted(tmp_path: Path) -> None:
    config = make(tmp_path, Row("epoch", MINIMAL_YAML, ""))
    env = {"SOURCE_DATE_EPOCH": "253402300799"}
    code, _, err = invoke("render", "--config", config, "--out", tmp_path / "out", "-f", "md", env=env)
    assert code == 0, err


def test_many_quotes_not_found_in_a_long_article_cost_a_bounded_time(tmp_path: Path) -> None:
    """Each quote not found is searched for its nearest passage (0.5 s in a 2 MB article) only while
    the run's search budget lasts: fifty of them took 15 s and more, however many there were."""
    words = [
        "the",
        "ministry",
        "of",
        "defence",
        "said",
        "that",
        "talks",
        "on",
        "joint",
        "production",
        "would",
        "continue",
        "next",
        "month",
    ]
    article = " ".join(f"{words[n % len(words)]}{n % 97}" for n in range(240_000))[:1_990_000]
    facts = "".join(
        f"  - id: f{n}\n    claim: Claim {n}.\n    cite: [{{source: art, quote: 'no such words here, number {n}'}}]\n"
        for n in range(50)
    )
    text = replace("facts:\n", "facts:\n" + facts)
    config = make(tmp_path, Row("missing-quotes", text, "", articles={ARTICLE_NAME: article}))
    start = time.perf_counter()
    code, out, err = invoke("check", "--config", config, env={})
    elapsed = time.perf_counter() - start
    assert code == 1 and "Traceback" not in out + err
    assert err.count("error: quote not found in seeds/a.txt") == 50 + 2  # and the two quotes of MINIMAL_YAML
    assert err.count("nearest passage not searched") == 52 - 10  # the budget: ten searches of a 2 MB article
    assert elapsed < 20, elapsed  # ~6 s here; without the budget, 52 searches of 0.3-0.9 s each


def test_a_file_that_grows_as_it_is_read_is_read_to_its_end_and_never_far_past_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"x" * 5_000)
    real = os.fstat

    def smaller(fd: int) -> os.stat_result:  # 10 bytes when opened: it grew since
        status = real(fd)
        return os.stat_result((*status[:6], 10, *status[7:10]))

    monkeypatch.setattr(os, "fstat", smaller)
    assert load.read_text(path, 6_000, "article_bytes") == "x" * 5_000
    reads: list[int] = []
    real_read = os.read
    monkeypatch.setattr(os, "read", lambda fd, n: reads.append(n) or real_read(fd, n))
    too_large = load.read_text(path, 4_000, "article_bytes")
    assert isinstance(too_large, load.Unreadable) and "larger than the 4,000-byte limit" in too_large.message
    assert sum(reads) <= 4_001  # never more than one byte past the limit asked for
