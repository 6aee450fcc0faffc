"""`briefgen init DIR`: a small working project to start a new topic from.

The starter holds one invented sample article, a few facts quoted from it, two entities and one
brief; it checks and renders as created. It also carries briefs.schema.json, so that editors
validate briefs.yaml from the first keystroke.
"""

from __future__ import annotations

from pathlib import Path

from briefgen.build.write import write_outputs
from briefgen.errors import OutputError
from briefgen.project.schema import SCHEMA_FILE, schema_text

STARTER_DIR = Path(__file__).resolve().parent / "starter"
STARTER_FILES = ("briefs.yaml", "seeds/sample-article.txt", "README.md")


def starter_files(name: str) -> dict[str, bytes]:
    """Relative path → content of every file of a new project called `name`."""
    files = {path: (STARTER_DIR / path).read_bytes() for path in STARTER_FILES}
    files["README.md"] = files["README.md"].replace(b"{name}", name.encode("utf-8"))
    files[SCHEMA_FILE] = schema_text().encode("utf-8")
    files[".gitignore"] = b"out/\n.briefgen-cache/\n"  # outputs, and what check keeps to be quicker
    return files


def init_project(directory: Path) -> tuple[Path, ...]:
    """Create the starter project in `directory` (new or empty); refuse to touch anything else."""
    if directory.exists() and not directory.is_dir():
        raise OutputError(f"{directory} is a file, not a directory", "name a new directory for the project")
    if directory.is_dir() and any(directory.iterdir()):
        raise OutputError(
            f"{directory} is not empty; briefgen init only creates new projects",
            "name a new or empty directory (nothing was written)",
        )
    name = directory.resolve().name or "briefgen project"
    outputs = {directory / path: data for path, data in starter_files(name).items()}
    return write_outputs(outputs).written
