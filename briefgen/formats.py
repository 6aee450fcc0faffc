"""Output choices the CLI names (a module of its own so the CLI need not import the pipeline)."""

from enum import StrEnum


class Format(StrEnum):
    MD = "md"
    PDF = "pdf"
    HTML = "html"
    MEDIAWIKI = "mediawiki"
    JSON = "json"

    @property
    def suffix(self) -> str:
        """The output file's extension: `<brief-id>.md`, `.pdf`, `.html`, `.wiki`, `.json`."""
        return ".wiki" if self is Format.MEDIAWIKI else f".{self.value}"


DEFAULT_FORMATS = (Format.MD, Format.PDF)


class Flavor(StrEnum):
    """The Markdown dialect of `--format md`: where the page will be rendered."""

    GFM = "gfm"  # GitHub/GitLab repository files, Obsidian, Wiki.js: `[^n]` footnotes
    GITHUB_WIKI = "github-wiki"  # GitHub wikis render no footnotes: superscript links to the Sources list
    MKDOCS = "mkdocs"  # Python-Markdown with the footnotes and tables extensions
    PANDOC = "pandoc"  # pandoc's own Markdown


DEFAULT_FLAVOR = Flavor.GFM


class Paper(StrEnum):
    """Paper sizes, by their CSS `size` names."""

    A4 = "a4"
    LETTER = "letter"


class PdfVariant(StrEnum):
    """PDF standards WeasyPrint can target. Both are tagged (structure for screen readers)."""

    UA1 = "pdf/ua-1"  # accessible: tagged, with title and language
    A3B = "pdf/a-3b"  # archival, with embedded files allowed (our evidence attachments)
