"""`include:`: a project split over several files, every diagnostic in the file it is about, and
`check`/`report` scoped to some briefs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from briefgen.build.api import check, check_briefs, render
from briefgen.cli.commands import app
from briefgen.errors import Severity, ValidationFailed
from briefgen.formats import Format, RenderOptions
from briefgen.project.load import load_project
from briefgen.project.validate import validate
from tests.conftest import MINIMAL_YAML, MakeProject, line_of
from tests.test_watch import Watch

runner = CliRunner()
MD = RenderOptions((Format.MD,))


def run(*args: str | Path) -> tuple[int, str, str]:
    result = runner.invoke(app, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def diagnostics(config: Path) -> list[str]:
    """Every diagnostic as `file:line:col: severity: message` (file relative to the project)."""
    try:
        found = validate(load_project(config)).warnings
    except ValidationFailed as failed:
        found = failed.diagnostics
    root = config.parent
    return [
        f"{d.location.path.relative_to(root).as_posix()}:{d.location.line}:{d.location.column}: "
        f"{d.severity.value}: {d.message}"
        for d in found
    ]


# -- a small split project: briefs.yaml with sources and briefs, the facts in facts/core.yaml -------------

SOURCES, _, REST = MINIMAL_YAML.partition("facts:\n")
FACTS_BODY, _, BRIEFS_BODY = REST.partition("briefs:\n")
MAIN = f"{SOURCES}include: [facts/*.yaml]\nbriefs:\n{BRIEFS_BODY}"
FACTS = f"facts:\n{FACTS_BODY}"


def split(make_project: MakeProject, main: str = MAIN, files: dict[str, str] | None = None) -> Path:
    config = make_project(main)
    for name, text in (files if files is not None else {"facts/core.yaml": FACTS}).items():
        path = config.parent / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return config


def test_a_small_split_project_is_the_unsplit_one(make_project: MakeProject, tmp_path: Path) -> None:
    config = split(make_project)
    line = line_of(MAIN, "bottom_line:")
    assert diagnostics(config) == [
        f"briefs.yaml:{line}:19: warning: bottom-line fact 'deepen' rests on a single source (art)"
    ]
    loaded = load_project(config)
    assert loaded.inputs == (config, config.parent / "facts" / "core.yaml")
    assert [f.id for f in validate(loaded).project.facts] == ["deepen", "k2"]


# -- the shipped project, split as a team would split it ------------------------------------------------


def split_shipped(config: Path, into: Path) -> Path:
    """The shipped briefs.yaml as briefs.yaml (settings, briefs), sources.yaml (sources, entities)
    and facts/a.yaml, facts/b.yaml (half the facts each), cut as text so every line stays as written."""
    lines = config.read_text(encoding="utf-8").splitlines(keepends=True)
    start = {
        key: next(i for i, line in enumerate(lines) if line.startswith(f"{key}:"))
        for key in ("sources", "facts", "briefs")
    }
    facts = lines[start["facts"] + 1 : start["briefs"]]
    items = [i for i, line in enumerate(facts) if line.startswith("  - id:")]
    middle = items[len(items) // 2]
    into.mkdir()
    shutil.copytree(config.parent / "seeds", into / "seeds")
    shutil.copy(config.parent / "briefs.lock.json", into / "briefs.lock.json")
    (into / "facts").mkdir()
    (into / "sources.yaml").write_text("".join(lines[start["sources"] : start["facts"]]), encoding="utf-8")
    (into / "facts" / "a.yaml").write_text("facts:\n" + "".join(facts[:middle]), encoding="utf-8")
    (into / "facts" / "b.yaml").write_text("facts:\n" + "".join(facts[middle:]), encoding="utf-8")
    main = (
        "".join(lines[: start["sources"]])
        + "include: [sources.yaml, facts/*.yaml]\n\n"
        + "".join(lines[start["briefs"] :])
    )
    (into / "briefs.yaml").write_text(main, encoding="utf-8")
    return into / "briefs.yaml"


@pytest.fixture
def split_project(shipped_project: Path, tmp_path: Path) -> Path:
    return split_shipped(shipped_project, tmp_path / "split")


def test_the_split_shipped_project_checks_clean_and_renders_the_same_markdown(
    shipped_project: Path, split_project: Path, tmp_path: Path
) -> None:
    whole, parts = check(shipped_project), check(split_project)
    assert parts.project == whole.project
    assert parts.warnings == whole.warnings == ()
    assert len(parts.accepted) == len(whole.accepted) > 0
    render(shipped_project, options=MD, out_dir=tmp_path / "whole")
    render(split_project, options=MD, out_dir=tmp_path / "parts")
    names = sorted(p.name for p in (tmp_path / "whole").iterdir() if not p.name.startswith("."))
    assert names == sorted(p.name for p in (tmp_path / "parts").iterdir() if not p.name.startswith("."))
    assert {"korea-poland.md", "korea-nato.md", "korea-eu.md"} <= set(names)
    for name in names:
        assert (tmp_path / "parts" / name).read_bytes() == (tmp_path / "whole" / name).read_bytes(), name
    code, out, err = run("check", "--strict", "--config", split_project)
    assert code == 0, err
    assert out.startswith(f"{split_project}: ok — 3 briefs, {len(whole.project.facts)} facts, 5 sources")


def test_an_error_in_an_included_file_is_located_in_it(split_project: Path) -> None:
    facts = split_project.parent / "facts" / "b.yaml"
    text = facts.read_text(encoding="utf-8")
    first_quote = next(line for line in text.splitlines() if "quote: " in line)
    broken = text.replace(first_quote, first_quote.replace("quote: ", "quote: Zanzibar "), 1)
    date_line = next(line for line in broken.splitlines() if line.strip().startswith("date: "))
    broken = broken.replace(date_line, date_line.split("date:")[0] + "date: 2025-13-01", 1)
    facts.write_text(broken, encoding="utf-8")
    code, _, err = run("check", "--config", split_project)
    assert code == 1
    quote_column = first_quote.index("quote: ") + len("quote: ") + 1
    date_column = date_line.index("date:") + len("date: ") + 1
    assert f"{facts}:{line_of(broken, 'quote: Zanzibar')}:{quote_column}: error: quote not found in seeds/" in err
    date_at = line_of(broken, "date: 2025-13-01")
    index = sum(line.startswith("  - id:") for line in broken.splitlines()[:date_at]) - 1  # the file's own numbering
    assert f"{facts}:{date_at}:{date_column}: error: facts[{index}].date" in err
    assert "Traceback" not in err and "briefs.yaml:" not in err


def test_a_word_inside_an_included_value_is_located_in_that_file(make_project: MakeProject) -> None:
    """Positions inside a value (yamlspan.py) read the included file's text, not briefs.yaml's."""
    facts = FACTS.replace(
        "    date: 2025-10-20\n", "    date: 2025-10-20\n    headline: >-\n      Deepening\n      topics: [x]\n", 1
    )
    config = split(make_project, files={"facts/core.yaml": "# padding\n# padding\n" + facts})
    text = (config.parent / "facts" / "core.yaml").read_text(encoding="utf-8")
    assert f"facts/core.yaml:{line_of(text, 'topics: [x]')}:7: warning: facts[0].headline" in "\n".join(
        diagnostics(config)
    )


def test_an_inherited_value_is_located_in_the_file_of_the_brief_it_comes_from(make_project: MakeProject) -> None:
    briefs = "briefs:\n  base:\n    title: Base\n    as_of: 2025-10-24\n    bottom_line: [missing-fact]\n"
    main = (
        f"{SOURCES}facts:\n{FACTS_BODY}include: [briefs/*.yaml]\nbriefs:\n  variant:\n    extends: base\n    title: V\n"
    )
    config = split(make_project, main, {"briefs/base.yaml": briefs})
    errors = [d for d in diagnostics(config) if ": error: " in d]
    assert errors == [f"briefs/base.yaml:{line_of(briefs, 'bottom_line')}:19: error: unknown fact 'missing-fact'"]


def test_an_id_defined_in_two_files_is_an_error_at_both(make_project: MakeProject) -> None:
    again = (
        "facts:\n  - id: k2\n    claim: The ministers spoke of the tank programme.\n"
        "    cite:\n      - source: art\n        quote: The ministers said the\n"
    )
    source = "sources:\n  art:\n    file: seeds/a.txt\n"
    config = split(make_project, files={"facts/core.yaml": FACTS, "facts/more.yaml": again + source})
    core, more = (config.parent / "facts" / name for name in ("core.yaml", "more.yaml"))
    k2_core, k2_more = f"{core}:{line_of(FACTS, 'id: k2')}:9", f"{more}:2:9"
    art_main, art_more = f"{config}:2:3", f"{more}:{line_of(again + source, '  art:')}:3"
    with pytest.raises(ValidationFailed) as failed:
        validate(load_project(config))
    found = sorted(d.format().splitlines()[0] for d in failed.value.diagnostics)
    assert found == sorted(
        [
            f"{art_main}: error: duplicate source id 'art': also defined at {art_more}",
            f"{art_more}: error: duplicate source id 'art': also defined at {art_main}",
        ]
    )
    (config.parent / "facts" / "more.yaml").write_text(again, encoding="utf-8")
    with pytest.raises(ValidationFailed) as failed:
        validate(load_project(config))
    found = sorted(d.format().splitlines()[0] for d in failed.value.diagnostics if d.severity is Severity.ERROR)
    assert found == sorted(
        [
            f"{k2_core}: error: duplicate fact id 'k2': also defined at {k2_more}",
            f"{k2_more}: error: duplicate fact id 'k2': also defined at {k2_core}",
        ]
    )


@pytest.mark.parametrize(
    ("include", "files", "expected"),
    [
        (
            "[facts/*.yaml, notes/*.yaml]",
            {},
            "briefs.yaml:{line}:25: error: include pattern 'notes/*.yaml' matches no file",
        ),
        (
            "[facts/*.yaml, missing.yaml]",
            {},
            "briefs.yaml:{line}:25: error: include pattern 'missing.yaml' matches no file",
        ),
        ("facts/*.yaml", {}, "briefs.yaml:{line}:10: error: include must be a list of file patterns, not a text"),
        ("[facts/*.yaml, ../x.yaml]", {}, "briefs.yaml:{line}:25: error: include pattern '../x.yaml' must be relative"),
        (
            "[facts/*.yaml, '*.yaml']",
            {},
            "briefs.yaml:{line}:25: error: include pattern '*.yaml' matches briefs.yaml itself",
        ),
        ("[facts/*.yaml]", {"facts/x.yaml": "facts: [unclosed\n"}, "facts/x.yaml:2:1: error: YAML syntax"),
        (
            "[facts/*.yaml]",
            {"facts/x.yaml": "- a list\n"},
            "facts/x.yaml:1:1: error: an included file must be a mapping",
        ),
        ("[facts/*.yaml]", {"facts/x.yaml": b"facts: []\n# caf\xe9\n"}, "facts/x.yaml:2:6: error: included file"),
        (
            "[facts/*.yaml]",
            {"facts/x.yaml": "include: [y.yaml]\n"},
            "facts/x.yaml:1:1: error: an included file cannot include",
        ),
        (
            "[facts/*.yaml]",
            {"facts/x.yaml": "project: {title: T}\n"},
            "facts/x.yaml:1:1: error: project settings belong",
        ),
        ("[facts/*.yaml]", {"facts/x.yaml": "fatcs: []\n"}, "facts/x.yaml:1:1: error: unknown key 'fatcs'"),
        ("[facts/*.yaml]", {"facts/x.yaml": "facts: {a: 1}\n"}, "facts/x.yaml:1:8: error: facts must be a list"),
    ],
)
def test_a_bad_include_is_a_located_error_without_traceback(
    make_project: MakeProject, include: str, files: dict[str, str | bytes], expected: str
) -> None:
    main = MAIN.replace("include: [facts/*.yaml]", f"include: {include}")
    config = split(make_project, main)
    for name, content in files.items():
        path = config.parent / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    code, out, err = run("check", "--config", config)
    assert (code, out) == (1, "")
    expected = expected.format(line=line_of(main, "include:"))
    assert f"{config.parent}/{expected}" in err, err
    assert "Traceback" not in err


def test_an_article_named_in_an_included_file_is_relative_to_the_project(make_project: MakeProject) -> None:
    source = "sources:\n  other:\n    file: seeds/a.txt\n    title: Again\n"
    facts = FACTS.replace("source: art", "source: other", 1)
    config = split(make_project, files={"facts/core.yaml": facts, "facts/sources.yaml": source})
    assert [d for d in diagnostics(config) if "error" in d] == []


# -- check and report scoped to some briefs ---------------------------------------------------------------

TWO_BRIEFS = MINIMAL_YAML + "  other:\n    title: Other\n    as_of: 2025-10-24\n    bottom_line: [k2]\n"


def test_check_brief_id_reports_only_what_those_briefs_rest_on(make_project: MakeProject) -> None:
    config = make_project(TWO_BRIEFS)
    code, out, err = run("check", "--config", config)
    assert err.count("rests on a single source") == 2
    code, out, err = run("check", "demo", "--config", config)
    assert code == 0
    assert err.count("rests on a single source") == 1 and "'deepen'" in err
    assert out == f"{config}: demo: ok — 2 facts, 1 source, 2 quotes verified; 1 warning\n"
    code, out, err = run("check", "other", "--config", config, "--strict")
    assert code == 1 and "'k2' rests on a single source" in err and "deepen" not in err
    # An error in a fact only `other` uses: `check demo` passes and says there is one elsewhere.
    broken = TWO_BRIEFS.replace("  other:\n", "  other:\n    marking: 12\n").replace(
        "    bottom_line: [k2]\n", "    bottom_line: [k2]\n    sections: []\n    nonsense: 1\n"
    )
    config.write_text(broken, encoding="utf-8")
    code, out, err = run("check", "demo", "--config", config)
    assert code == 0, err
    assert out.endswith("; 2 errors elsewhere in the project (`briefgen check` shows them)\n")
    code, out, err = run("check", "other", "--config", config)
    assert code == 1 and f"{config}:{line_of(broken, 'nonsense')}:5: error: briefs.other: unknown key 'nonsense'" in err


def test_check_brief_id_in_the_split_shipped_project(split_project: Path) -> None:
    facts = [
        f
        for name in ("facts/a.yaml", "facts/b.yaml")
        for f in yaml.safe_load((split_project.parent / name).read_text())["facts"]
    ]
    poland = check_briefs(split_project, ["korea-poland"]).scope
    used = {facts[i]["id"] for group, i in poland.items if group == "facts"}
    only_elsewhere = next(f for f in facts if f["id"] not in used)
    path = next(
        p for p in (split_project.parent / "facts").iterdir() if f"id: {only_elsewhere['id']}\n" in p.read_text()
    )
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(f"id: {only_elsewhere['id']}\n", f"id: {only_elsewhere['id']}\n    colour: red\n"),
        encoding="utf-8",
    )
    assert check_briefs(split_project, ["korea-poland"]).errors_elsewhere == 1
    with pytest.raises(ValidationFailed) as failed:
        check(split_project)
    assert [d.location.path for d in failed.value.diagnostics] == [path]


def test_report_brief_id_is_about_those_briefs(split_project: Path) -> None:
    code, out, err = run("report", "korea-nato", "--json", "--config", split_project)
    assert code == 0, err
    report = json.loads(out)
    assert [b["id"] for b in report["briefs"]] == ["korea-nato"]
    code, out, _ = run("report", "--json", "--config", split_project)
    everything = json.loads(out)
    assert len(everything["briefs"]) == 3
    assert {s["id"] for s in report["sources"]} <= {s["id"] for s in everything["sources"]}
    assert len(report["accepted"]) < len(everything["accepted"])
    code, _, err = run("report", "korea-nowhere", "--config", split_project)
    assert code == 2 and "briefs in" in err and "korea-nato" in err


# -- the build: cache and watch follow the included files -----------------------------------------------


def test_a_no_op_render_after_editing_an_included_fact_renders_that_brief_again(make_project: MakeProject) -> None:
    config = split(make_project)
    out = config.parent / "out"
    first = render(config, options=MD)
    assert out / "demo.md" in first.rendered
    assert render(config, options=MD).rendered == ()
    facts = config.parent / "facts" / "core.yaml"
    facts.write_text(FACTS.replace("Part of the tank", "Some of the tank"), encoding="utf-8")
    again = render(config, options=MD)
    assert out / "demo.md" in again.rendered
    assert "Some of the tank" in (out / "demo.md").read_text(encoding="utf-8")


@pytest.mark.slow
def test_watch_rerenders_when_an_included_file_is_saved(make_project: MakeProject) -> None:
    config = split(make_project)
    watch = Watch(config)
    try:
        watch.wait_for("the first render", lambda: watch.output_has("Part of the tank"))
        watch.wait_for("the watch to start", lambda: "watching" in watch.log)
        facts = config.parent / "facts" / "core.yaml"
        watch.save(facts, FACTS.replace("Part of the tank", "Some of the tank"))
        watch.wait_for("the edit to the included file", lambda: watch.output_has("Some of the tank"))
        # Broken, then fixed: the included file stays watched while the project cannot be read.
        watch.save(facts, "facts: [unclosed\n")
        watch.wait_for("the YAML error", lambda: "core.yaml:2:1: error: YAML" in watch.log)
        watch.save(facts, FACTS.replace("Part of the tank", "Most of the tank"))
        watch.wait_for("the fix", lambda: watch.output_has("Most of the tank"))
        # A new file matching the pattern is picked up too (here, with a fact id already taken).
        watch.save(config.parent / "facts" / "extra.yaml", FACTS)
        watch.wait_for("the new file", lambda: "extra.yaml:2:9: error: duplicate fact id 'deepen'" in watch.log)
    finally:
        watch.process.kill()
        watch.process.wait(timeout=20)


def test_an_included_file_that_leads_outside_the_project_is_refused(make_project: MakeProject, tmp_path: Path) -> None:
    outside = tmp_path.parent / f"{tmp_path.name}-outside.yaml"
    outside.write_text(FACTS, encoding="utf-8")
    config = split(make_project, files={})
    (config.parent / "facts").mkdir()
    (config.parent / "facts" / "core.yaml").symlink_to(outside)
    code, out, err = run("check", "--config", config)
    assert (code, out) == (1, "")
    assert f"{config}:{line_of(MAIN, 'include:')}:11: error: included file " in err
    assert "resolves outside the project" in err and "Traceback" not in err


def test_add_writes_into_briefs_yaml_of_a_split_project_and_it_still_checks(
    make_project: MakeProject, tmp_path: Path
) -> None:
    config = split(make_project)
    article = tmp_path / "incoming.txt"
    article.write_text(
        "SEOUL, Oct. 30 (Yonhap) -- South Korea and Poland signed a new agreement on Thursday to expand "
        "cooperation on tank production, officials said.\nThe deal covers 180 additional K2 tanks.\n",
        encoding="utf-8",
    )
    included = (config.parent / "facts" / "core.yaml").read_bytes()
    code, _, err = run("add", str(article), "--into", config)
    assert code == 0, err
    assert (config.parent / "facts" / "core.yaml").read_bytes() == included
    text = config.read_text(encoding="utf-8")
    assert "include: [facts/*.yaml]" in text and "DRAFT:" in text
    ids = [f.id for f in check(config).project.facts]
    assert ids[-2:] == ["deepen", "k2"] and len(ids) > 2  # briefs.yaml's own facts (the new ones) come first


def test_check_brief_id_of_a_variant_covers_the_brief_it_extends(make_project: MakeProject) -> None:
    main = TWO_BRIEFS + "  variant:\n    extends: other\n    title: Variant\n"
    broken = main.replace("    bottom_line: [k2]\n", "    bottom_line: [k2]\n    colour: red\n")
    config = make_project(broken)
    code, _, err = run("check", "variant", "--config", config)
    assert code == 1 and f"{config}:{line_of(broken, 'colour')}:5: error: briefs.other: unknown key 'colour'" in err
    assert run("check", "demo", "--config", config)[0] == 0
