"""The `briefgen` command: parse arguments, call one library function, map errors to exit codes.

Exit codes: 0 success; 1 problems found in the input (or an output could not be written);
2 usage errors (unknown option, unknown brief id). The pipeline is imported inside each command,
so `briefgen --help` does not pay for pydantic, Jinja or WeasyPrint.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, NoReturn

import typer

import briefgen.cpus  # noqa: F401 - first: cpus.SINCE_START measures the CPUs from the start on
from briefgen.cli.console import EchoReporter, print_warnings, progress_bar, reporting
from briefgen.collector import freeze_for_good
from briefgen.errors import interrupt
from briefgen.formats import DEFAULT_FLAVOR, DEFAULT_FORMATS, Flavor, Format, Paper, PdfVariant
from briefgen.version import __version__

app = typer.Typer(
    name="briefgen",
    help="Sourced policy briefs (Markdown + PDF) from news articles and curated YAML facts.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

ConfigOption = Annotated[
    Path,
    typer.Option(
        "--config", "-c", help="The project file; articles and templates resolve relative to it.", dir_okay=False
    ),
]
DebugOption = Annotated[bool, typer.Option("--debug", help="Show a Python traceback for internal errors.")]
StrictOption = Annotated[
    bool, typer.Option("--strict", help="Treat warnings as errors: report them and exit 1 (render writes nothing).")
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"briefgen {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Sourced policy briefs (Markdown + PDF) from news articles and curated YAML facts."""


BriefIdsArgument = Annotated[
    list[str] | None,
    typer.Argument(metavar="BRIEF-ID", help="Briefs to render (default: all).", show_default=False),
]
FormatOption = Annotated[
    list[Format] | None,
    typer.Option("--format", "-f", help="Output format; repeat for several. \\[default: md, pdf]", show_default=False),
]
OutOption = Annotated[
    Path | None,
    typer.Option(
        "--out", "-o", help="Output directory. \\[default: out/ beside the config]", file_okay=False, show_default=False
    ),
]
PaperOption = Annotated[
    Paper | None,
    typer.Option(
        help="Paper size of the PDFs and Word files, for every brief. \\[default: each brief's setting, else A4]",
        show_default=False,
    ),
]
PdfVariantOption = Annotated[
    PdfVariant, typer.Option(help="PDF standard: accessible (pdf/ua-1) or archival (pdf/a-3b); both tagged.")
]
JobsOption = Annotated[
    int | None,
    typer.Option(
        "--jobs",
        "-j",
        min=1,
        help="Processes laying out PDFs at once. \\[default: helpers only where they pay]",
        show_default=False,
    ),
]
ForceOption = Annotated[
    bool, typer.Option("--force", help="Render every output, even those whose inputs have not changed.")
]
FlavorOption = Annotated[
    Flavor,
    typer.Option(help="Markdown for: gfm (GitHub/GitLab files, Obsidian, Wiki.js), github-wiki, mkdocs, pandoc."),
]
FrontMatterOption = Annotated[
    bool,
    typer.Option("--front-matter", help="Start the Markdown with YAML front matter (MkDocs, Jekyll, Hugo, pandoc)."),
]


# Commands that take no arguments let click collect any given (in ctx.args, not in their usage line),
# to answer `briefgen check korea-poland` with what the command does take rather than click's
# "Got unexpected extra argument(s)". Unknown options are still click's usage errors.
NO_ARGUMENTS = {"allow_extra_args": True}


def _reject_arguments(command: str, given: list[str], scope: str) -> None:
    """A usage error (exit 2) for arguments given to a command that takes none, saying what it does take."""
    from briefgen.errors import UsageError  # noqa: PLC0415

    if not given:
        return
    if any(arg.endswith((".yaml", ".yml")) for arg in given):
        hint = f"to {command} another project file, name it with --config: briefgen {command} --config {given[0]}"
    else:
        hint = f"to render only some briefs: briefgen render {' '.join(given)}"
    shown = ", ".join(map(repr, given))
    raise UsageError(f"`briefgen {command}` takes no arguments, only options (got {shown}): it {scope}", hint)


@app.command()
def render(
    brief_ids: BriefIdsArgument = None,
    formats: FormatOption = None,
    flavor: FlavorOption = DEFAULT_FLAVOR,
    front_matter: FrontMatterOption = False,
    out: OutOption = None,
    paper: PaperOption = None,
    pdf_variant: PdfVariantOption = PdfVariant.UA1,
    jobs: JobsOption = None,
    force: ForceOption = False,
    config: ConfigOption = Path("briefs.yaml"),
    strict: StrictOption = False,
    debug: DebugOption = False,
) -> None:
    """Render briefs into OUT as <brief-id>.md and .pdf (.html, .wiki, .json, .docx when asked).

    Outputs whose inputs have not changed since the last run are not rendered again (--force: all).
    """
    with reporting(debug, writes=True):
        from briefgen.build.api import render as render_briefs  # noqa: PLC0415
        from briefgen.formats import RenderOptions  # noqa: PLC0415

        options = RenderOptions(
            tuple(formats or DEFAULT_FORMATS),
            paper,
            pdf_variant,
            flavor=flavor,
            front_matter=front_matter,
            jobs=jobs,
            force=force,
        )
        with progress_bar() as progress:
            result = render_briefs(config, brief_ids or (), options, out, progress, strict=strict)
        print_warnings(result.warnings)
        for path in result.report.written:
            typer.echo(f"wrote {path}")
        for path in result.report.unchanged:
            typer.echo(f"unchanged {path}")
        if result.up_to_date:
            from briefgen.errors import plural  # noqa: PLC0415

            typer.echo(f"{plural(len(result.up_to_date), 'output')} up to date (inputs unchanged; --force re-renders)")


ScopeArgument = Annotated[
    list[str] | None,
    typer.Argument(
        metavar="BRIEF-ID",
        help="Only these briefs and the facts, sources and entities they rest on (default: the whole project).",
        show_default=False,
    ),
]


@app.command()
def check(
    brief_ids: ScopeArgument = None,
    config: ConfigOption = Path("briefs.yaml"),
    strict: StrictOption = False,
    debug: DebugOption = False,
) -> None:
    """Validate the whole project (schema, references, every quote against its article); render nothing.

    Exit status 0 when there are no errors (warnings are shown), 1 when errors were found (or, with
    --strict, warnings). Problems are printed as path:line:col. With BRIEF-IDs, only the problems
    about those briefs and what they rest on are reported (and fail the check).
    """
    # A check is one pass over data that lives until the process ends: the cyclic collector would
    # only rescan it (~0.2 s for 10,000 facts after validation, again when the interpreter exits).
    # Frozen at the end, it is skipped by the collection at exit too; the collector then runs again,
    # for whatever the process does next (a test or a tool running the app in-process).
    was_enabled = gc.isenabled()
    gc.disable()
    made = None
    try:
        made = _check(brief_ids, config, strict, debug)
    finally:
        _process_end.at_once(keeping=made)  # a check leaves no helper running and no file open
        freeze_for_good()
        if was_enabled:
            gc.enable()


def _check(brief_ids: list[str] | None, config: Path, strict: bool, debug: bool) -> object:
    """Check and report; what was made, kept to the process's end (see _ProcessEnd)."""
    with reporting(debug):
        from briefgen.errors import plural  # noqa: PLC0415

        if brief_ids:
            return _check_scoped(config, brief_ids, strict)
        from briefgen.build.checking import check as check_project  # noqa: PLC0415
        from briefgen.project.walk import project_citations  # noqa: PLC0415

        valid = check_project(config, strict=strict)
        print_warnings(valid.warnings)
        project = valid.project
        quotes = sum(1 for _ in project_citations(project))
        typer.echo(
            f"{config}: ok — {plural(len(project.briefs), 'brief')}, {plural(len(project.facts), 'fact')}, "
            f"{plural(len(project.sources), 'source')}, {plural(quotes, 'quote')} verified"
            + (f"; {plural(len(valid.warnings), 'warning')}" if valid.warnings else "")
            + (f"; {len(valid.accepted)} accepted (listed by `briefgen report`)" if valid.accepted else "")
        )
        return valid


def _refuse_project_file(command: str, given: list[str]) -> None:
    """`briefgen check other.yaml` means another project, not a brief called that: say how."""
    from briefgen.errors import UsageError  # noqa: PLC0415

    named = next((arg for arg in given if arg.endswith((".yaml", ".yml"))), None)
    if named is not None:
        raise UsageError(
            f"`briefgen {command}` takes brief ids, not a project file ({named!r})",
            f"to {command} another project file, name it with --config: briefgen {command} --config {named}",
        )


def _check_scoped(config: Path, brief_ids: list[str], strict: bool) -> object:
    """`check BRIEF-ID…`: the summary line counts what those briefs rest on."""
    from briefgen.build.checking import check_briefs  # noqa: PLC0415
    from briefgen.errors import plural  # noqa: PLC0415

    _refuse_project_file("check", brief_ids)
    result = check_briefs(config, brief_ids, strict=strict)
    print_warnings(result.warnings)
    scope = result.scope
    elsewhere = result.errors_elsewhere
    typer.echo(
        f"{config}: {', '.join(scope.brief_ids)}: ok — {plural(scope.count('facts'), 'fact')}, "
        f"{plural(scope.count('sources'), 'source')}, {plural(scope.quotes, 'quote')} verified"
        + (f"; {plural(len(result.warnings), 'warning')}" if result.warnings else "")
        + (f"; {len(result.accepted)} accepted (listed by `briefgen report`)" if result.accepted else "")
        + (
            f"; {plural(elsewhere, 'error')} elsewhere in the project (`briefgen check` shows them)"
            if elsewhere
            else ""
        )
    )
    return result


@app.command()
def watch(
    brief_ids: BriefIdsArgument = None,
    formats: FormatOption = None,
    flavor: FlavorOption = DEFAULT_FLAVOR,
    front_matter: FrontMatterOption = False,
    out: OutOption = None,
    paper: PaperOption = None,
    pdf_variant: PdfVariantOption = PdfVariant.UA1,
    jobs: JobsOption = None,
    config: ConfigOption = Path("briefs.yaml"),
    strict: StrictOption = False,
    debug: DebugOption = False,
) -> None:
    """Render, then re-render whenever briefs.yaml, an article or a template is saved (Ctrl-C stops).

    Takes render's options (but --force); only outputs whose inputs changed are rendered again.
    Problems are shown and the watch goes on; the next save retries.
    """
    with reporting(debug):
        from briefgen.build.watch import watch as watch_project  # noqa: PLC0415
        from briefgen.formats import RenderOptions  # noqa: PLC0415

        # Ctrl-C stops a watch even if it was started with SIGINT ignored (as background jobs are);
        # `kill` (SIGTERM) stops it just as cleanly.
        signal.signal(signal.SIGINT, interrupt)
        signal.signal(signal.SIGTERM, interrupt)
        try:
            options = RenderOptions(
                tuple(formats or DEFAULT_FORMATS),
                paper,
                pdf_variant,
                flavor=flavor,
                front_matter=front_matter,
                jobs=jobs,
            )
            watch_project(config, brief_ids or (), options, out, EchoReporter(), strict=strict)
        except KeyboardInterrupt:
            typer.echo("stopped watching", err=True)  # Ctrl-C is how a watch ends: a success, exit 0


@app.command(context_settings=NO_ARGUMENTS)
def lock(ctx: typer.Context, config: ConfigOption = Path("briefs.yaml"), debug: DebugOption = False) -> None:
    """Record where every quote sits in its article (briefs.lock.json), without rendering.

    `render` does this too. Afterwards `check` reports quotes that moved or changed when an article
    file is replaced by a newer copy.
    """
    with reporting(debug, writes=True):
        _reject_arguments("lock", ctx.args, "locks every quote of the project")
        from briefgen.build.api import lock as write_lock  # noqa: PLC0415

        result = write_lock(config)
        print_warnings(result.warnings)
        for path in result.report.written:
            typer.echo(f"wrote {path}")
        for path in result.report.unchanged:
            typer.echo(f"unchanged {path}")


@app.command(name="list", context_settings=NO_ARGUMENTS)
def list_briefs(ctx: typer.Context, config: ConfigOption = Path("briefs.yaml"), debug: DebugOption = False) -> None:
    """List the briefs and what they contain."""
    with reporting(debug):
        _reject_arguments("list", ctx.args, "lists every brief of the project")
        from briefgen.assemble import assemble_all  # noqa: PLC0415
        from briefgen.build.checking import check as check_project  # noqa: PLC0415
        from briefgen.errors import plural  # noqa: PLC0415

        valid = check_project(config)
        for brief in assemble_all(valid):
            typer.echo(f"{brief.id}: {brief.brief.title}")
            typer.echo(
                f"    {plural(len(brief.facts), 'fact')}, {plural(len(brief.notes), 'source')}, "
                f"{plural(len(brief.sections), 'section')}, as of {brief.brief.as_of}, template {brief.brief.template}"
            )
        # A list is for finding a brief: its warnings would bury it, so only their number is given.
        if valid.warnings:
            count = len(valid.warnings)
            typer.echo(f"{plural(count, 'warning')}; `briefgen check` shows {'it' if count == 1 else 'them'}", err=True)


@app.command()
def report(
    brief_ids: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="BRIEF-ID",
            help="Only these briefs and the sources they cite (default: every brief and source).",
            show_default=False,
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON with stable keys, for scripts.")] = False,
    config: ConfigOption = Path("briefs.yaml"),
    debug: DebugOption = False,
) -> None:
    """Report how much of each article is cited and what each brief rests on.

    Per source: coverage (share of the article's body sentences that some quote overlaps) and the
    sentences with figures not yet cited. Per brief: facts, sources, single-source share, oldest fact.
    Then the accepted warnings, the drafts no brief uses and the other facts no brief uses.
    With BRIEF-IDs: those briefs, the sources they cite, and the warnings and acceptances about them.
    """
    with reporting(debug):
        from briefgen.build.checking import check as check_project  # noqa: PLC0415
        from briefgen.tools.report import build_report, format_text, json_text  # noqa: PLC0415

        _refuse_project_file("report", brief_ids or [])
        valid = check_project(config)
        result = build_report(valid, brief_ids or ())
        print_warnings(result.warnings)
        typer.echo(json_text(result) if as_json else format_text(result))


@app.command()
def suggest(
    article: Annotated[
        Path,
        typer.Argument(metavar="ARTICLE", help="The article (UTF-8 text) to draft from.", exists=True, dir_okay=False),
    ],
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            "-c",
            help="Project whose entities, topics and ids to use. \\[default: ./briefs.yaml if present]",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    debug: DebugOption = False,
) -> None:
    """Print draft YAML for ARTICLE: a source entry with guessed metadata and candidate facts.

    Every guess is marked (basis: inferred, with the line it came from) and every claim starts
    with "DRAFT:"; review them, then paste the entry under sources: and the facts under facts:.
    """
    with reporting(debug):
        from briefgen.tools.draft import draft_yaml  # noqa: PLC0415
        from briefgen.tools.suggest import find_config  # noqa: PLC0415
        from briefgen.tools.suggest import suggest as draft  # noqa: PLC0415

        typer.echo(draft_yaml(draft(article, find_config(config))), nl=False)


@app.command()
def add(
    files: Annotated[
        list[Path],
        typer.Argument(metavar="FILE", help="Saved web pages (.html), PDFs, or .txt/.md articles.", dir_okay=False),
    ],
    into: Annotated[
        Path,
        typer.Option("--into", "--config", "-c", help="The project file to add to.", dir_okay=False),
    ] = Path("briefs.yaml"),
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print what would be added; write nothing.")] = False,
    debug: DebugOption = False,
) -> None:
    """Add articles: their text to seeds/, their source entries and DRAFT facts to the project file.

    Metadata the file states (JSON-LD, OpenGraph, meta tags, PDF document info) is written as
    basis: stated with a note naming where; guesses from the text as basis: inferred. The project
    file keeps its comments; the project still passes check. Any problem: nothing is written.
    """
    with reporting(debug, writes=not dry_run):
        from briefgen.tools.add import dry_run_text, plan_add, write_plan  # noqa: PLC0415

        plan = plan_add(files, into)
        print_warnings(plan.warnings)
        if dry_run:
            typer.echo(dry_run_text(plan), nl=False)
            return
        write_plan(plan)
        for article in plan.articles:
            facts = len(article.facts)
            typer.echo(f"added {article.source_id}: {article.file}, {facts} DRAFT fact{'s' if facts != 1 else ''}")
        typer.echo(f"updated {into}; next: review the DRAFT facts, then briefgen check")


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(metavar="DIR", help="A new or empty directory.", file_okay=False)],
    debug: DebugOption = False,
) -> None:
    """Create a small working project in DIR: one sample article, a few facts, one brief.

    It checks and renders as created; replace the sample article with real ones.
    """
    with reporting(debug):
        from briefgen.tools.starter import init_project  # noqa: PLC0415

        for path in init_project(directory):
            typer.echo(f"created {path}")
        typer.echo(f"next: cd {directory} && briefgen check && briefgen render")


@app.command()
def schema(debug: DebugOption = False) -> None:
    """Print the JSON Schema of briefs.yaml, for editors (see README: Editor support).

    The repository keeps it as briefs.schema.json: briefgen schema > briefs.schema.json
    """
    with reporting(debug):
        from briefgen.project.schema import schema_text  # noqa: PLC0415

        typer.echo(schema_text(), nl=False)


@dataclass
class _ProcessEnd:
    """How main() ends the process. After a command that leaves nothing to tidy up (no helper
    process, no file open) and calls `at_once`, main() ends it at once, keeping what the command
    made, instead of freeing every object one by one and tearing the interpreter down: after a check
    of 10,000 facts that takes ~0.1 s (bench/RESULTS.md). Only the console command (`main`) ends
    so: a program that runs `app` in its own process (a test) keeps nothing and is left alone."""

    console: bool = False  # set by main()
    ends_at_once: bool = False
    kept: list[object] = field(default_factory=list)

    def at_once(self, keeping: object) -> None:
        if self.console:
            self.ends_at_once = True
            self.kept.append(keeping)


_process_end = _ProcessEnd()


def main() -> None:
    """Console-script entry point."""
    _process_end.console = True
    try:
        app(prog_name="briefgen")
    except SystemExit as done:
        if _process_end.ends_at_once:
            _end_at_once(done.code)
        raise


def _end_at_once(code: object) -> NoReturn:
    """Exit as SystemExit(code) would, without the interpreter's teardown (nothing is left to tidy)."""
    status = code if isinstance(code, int) else int(code is not None)
    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)  # what SystemExit does with a message
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`briefgen check | head -0`)
            status = status or 120  # what the interpreter's teardown exits with then
    os._exit(status)
