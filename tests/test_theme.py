"""The theme and the handout settings: `project.theme` (accent, logo), `project.handout`,
`project.labels`, and the Sources list a reader needs.

Every expectation is computed from the project text or the model's defaults; PDFs are read by
their text (pdftotext), their images (pikepdf) and their pixels (pdftoppm), never by stored bytes.
"""

from __future__ import annotations

import io
import re
import subprocess
import textwrap
from pathlib import Path

import docx
import pikepdf
import pytest
from PIL import Image
from typer.testing import CliRunner

from briefgen.assemble import assemble_all
from briefgen.build.api import check, render_outputs
from briefgen.cli import app
from briefgen.errors import ValidationFailed
from briefgen.formats import Flavor, Format, RenderOptions
from briefgen.project.model import Labels
from briefgen.project.schema import project_schema
from briefgen.project.theme import css_colour
from briefgen.renderers.wording import citation_text
from briefgen.text.quotes import fold
from tests.conftest import MINIMAL_YAML, MakeProject, line_of, require_tool

runner = CliRunner()
NOTE = "Curator remark: the byline was checked against the outlet's staff page."


def project_yaml(settings: str = "", note: bool = True) -> str:
    """The minimal project with `settings` under `project:` (YAML, indented two spaces) and a
    curator's note on its source."""
    text = MINIMAL_YAML
    if note:
        text = text.replace("    published: 2025-10-20\n", f"    published: 2025-10-20\n    note: {NOTE!r}\n", 1)
    if settings:
        text = "project:\n" + textwrap.indent(textwrap.dedent(settings).strip("\n"), "  ") + "\n" + text
    return text


def png(path: Path, colour: str = "#8a1c1c", size: tuple[int, int] = (60, 30)) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())
    return buffer.getvalue()


def value_at(text: str, needle: str) -> tuple[int, int]:
    """Line and column of the value after `needle` (e.g. `logo:`) in the YAML text."""
    line = line_of(text, needle)
    row = text.splitlines()[line - 1]
    return line, row.index(needle) + len(needle) + 1 + len(row[row.index(needle) + len(needle) :]) - len(
        row[row.index(needle) + len(needle) :].lstrip()
    )


def cli(*args: str | Path) -> tuple[int, str]:
    result = runner.invoke(app, [str(a) for a in args])
    return result.exit_code, result.stdout + result.stderr


def outputs(config: Path, *formats: Format, flavor: Flavor = Flavor.GFM) -> dict[str, bytes]:
    valid = check(config)
    out = config.parent / "out"
    files = render_outputs(valid, assemble_all(valid), RenderOptions(formats, flavor=flavor), out)
    return {path.relative_to(out).as_posix(): data for path, data in files.items()}


def pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "page.pdf"
    path.write_bytes(data)
    command = [require_tool("pdftotext"), "-enc", "UTF-8", str(path), "-"]
    result = subprocess.run(command, capture_output=True, check=True)
    return " ".join(result.stdout.decode("utf-8").split())


def docx_text(data: bytes) -> str:
    """The document's paragraphs, and those of its tables (the bottom line is a boxed table)."""
    document = docx.Document(io.BytesIO(data))
    cells = [p.text for table in document.tables for cell in table._cells for p in cell.paragraphs]
    return "\n".join([p.text for p in document.paragraphs] + cells)


# --- accent ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "css"),
    [("darkgreen", "#006400"), ("#8A1C1C", "#8a1c1c"), ("#abc", "#aabbcc"), ("rgb(20 48 79)", "#14304f")],
)
def test_an_accent_is_read_as_css_reads_it_and_written_as_hex(written: str, css: str) -> None:
    assert css_colour(written) == css


def test_the_accent_reaches_the_screen_and_print_stylesheets(make_project: MakeProject) -> None:
    config = make_project(project_yaml("theme: {accent: darkgreen}"))
    files = outputs(config, Format.HTML)
    screen = files["demo.html"].decode("utf-8")
    # After the built-in stylesheet (which it overrides), before extra.css (which may override it).
    assert screen.index("--accent: #14304f") < screen.index(":root { --accent: #006400; }")
    assert "color: var(--accent)" in screen and "border: 1px solid var(--accent)" in screen


def test_the_accent_colours_the_pdf(make_project: MakeProject, tmp_path: Path) -> None:
    """The title is set in the accent: some of page 1's pixels are the accent's dark green."""
    config = make_project(project_yaml("theme: {accent: '#008000'}"))
    assert green_pixels(first_page(outputs(config, Format.PDF)["demo.pdf"], tmp_path / "themed")) > 20
    default = make_project(project_yaml())
    assert green_pixels(first_page(outputs(default, Format.PDF)["demo.pdf"], tmp_path / "plain")) == 0


def first_page(pdf: bytes, stem: Path) -> Path:
    """Page 1 of the PDF as a PNG at 40 dpi (poppler)."""
    stem.with_suffix(".pdf").write_bytes(pdf)
    command = [require_tool("pdftoppm"), "-png", "-r", "40", "-singlefile", "-f", "1", "-l", "1"]
    subprocess.run([*command, str(stem.with_suffix(".pdf")), str(stem)], check=True)
    return stem.with_suffix(".png")


def green_pixels(png_file: Path) -> int:
    data = Image.open(png_file).convert("RGB").tobytes()
    return sum(1 for i in range(0, len(data), 3) if data[i + 1] > 90 and data[i] < 60 and data[i + 2] < 60)


@pytest.mark.parametrize(
    ("accent", "says"),
    [
        ("nope", "is not a CSS colour"),
        ("red; } body { display: none", "is not a CSS colour"),
        ("#14304f80", "is not opaque"),
        ("currentcolor", "is not a CSS colour"),
        ("lab(50% 40 59)", "write the accent in sRGB"),
    ],
)
def test_a_bad_accent_is_an_error_at_its_value(make_project: MakeProject, accent: str, says: str) -> None:
    text = project_yaml(f"theme:\n  accent: {accent!r}")
    config = make_project(text)
    with pytest.raises(ValidationFailed) as raised:
        check(config)
    (error,) = raised.value.diagnostics
    line = line_of(text, "accent:")
    assert (error.location.line, error.location.column) == (line, text.splitlines()[line - 1].index("'") + 1)
    assert error.message.startswith("project.theme.accent: ") and says in error.message


# --- logo ------------------------------------------------------------------------------------------


def test_the_logo_is_on_the_masthead_of_html_pdf_and_docx(make_project: MakeProject, tmp_path: Path) -> None:
    config = make_project(project_yaml("marking: FOR DISCUSSION\ntheme: {logo: images/seal.png}"))
    data = png(config.parent / "templates" / "images" / "seal.png")
    files = outputs(config, Format.HTML, Format.PDF, Format.DOCX)
    screen = files["demo.html"].decode("utf-8")
    masthead = screen[screen.index('<header class="masthead">') : screen.index("</header>")]
    assert f'<img class="logo" src="images/seal.png" alt="{Labels().logo}">' in masthead
    assert masthead.index("<strong>") < masthead.index("<img") < masthead.index("<h1>")  # the marking stays first
    assert files["images/seal.png"] == data  # written beside the page, where its src points
    with pikepdf.open(io.BytesIO(files["demo.pdf"])) as pdf:
        images = [pikepdf.PdfImage(image) for image in pdf.pages[0].get_images().values()]
        assert [(image.width, image.height) for image in images] == [(60, 30)]
        assert not [image for page in pdf.pages[1:] for image in page.get_images()]
    document = docx.Document(io.BytesIO(files["demo.docx"]))
    assert len(document.inline_shapes) == 1


def test_a_missing_logo_fails_check_and_render_and_leaves_the_pdf_alone(make_project: MakeProject) -> None:
    config = make_project(project_yaml())
    assert cli("render", "--config", config, "-f", "pdf")[0] == 0
    before = (config.parent / "out" / "demo.pdf").read_bytes()
    text = project_yaml("theme:\n  logo: seal.png")
    config.write_text(text, encoding="utf-8")
    line, column = value_at(text, "logo:")
    where = f"{config}:{line}:{column}: error: project.theme.logo: image 'seal.png' not found"
    for command in ("check", "render"):
        code, said = (
            cli(command, "--config", config, "-f", "pdf") if command == "render" else cli(command, "--config", config)
        )
        assert code == 1 and where in said, said
        assert "Traceback" not in said
    assert (config.parent / "out" / "demo.pdf").read_bytes() == before


def test_a_logo_that_is_not_its_image_is_an_error_in_check(make_project: MakeProject) -> None:
    text = project_yaml("theme:\n  logo: seal.png")
    config = make_project(text)
    (config.parent / "templates").mkdir()
    whole = png(config.parent / "templates" / "seal.png")
    (config.parent / "templates" / "seal.png").write_bytes(whole[:40])  # truncated in its first chunk
    with pytest.raises(ValidationFailed) as raised:
        check(config)
    (error,) = raised.value.diagnostics
    assert error.location.line == line_of(text, "logo:") and "cannot be decoded" in error.message
    (config.parent / "templates" / "seal.png").write_text("<html>not an image</html>", encoding="utf-8")
    with pytest.raises(ValidationFailed, match="1 error"):
        check(config)


def test_a_logo_the_pdf_cannot_load_is_an_error_at_theme_logo(make_project: MakeProject) -> None:
    """An SVG that looks like one but does not parse passes check; laying it out fails, located
    at the YAML value, and nothing is written."""
    text = project_yaml("theme:\n  logo: seal.svg")
    config = make_project(text)
    (config.parent / "templates").mkdir()
    (config.parent / "templates" / "seal.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><g', "utf-8")
    check(config)
    code, said = cli("render", "--config", config, "-f", "pdf")
    assert code == 1, said
    line, column = value_at(text, "logo:")
    assert f"{config}:{line}:{column}: error: project.theme.logo: the PDF cannot load 'seal.svg'" in said
    assert not (config.parent / "out" / "demo.pdf").exists()


@pytest.mark.parametrize("logo", ["../seal.png", "/etc/seal.png", ".hidden.png", "images//seal.png"])
def test_a_logo_outside_the_templates_is_refused(make_project: MakeProject, logo: str) -> None:
    config = make_project(project_yaml(f"theme:\n  logo: {logo!r}"))
    with pytest.raises(ValidationFailed) as raised:
        check(config)
    assert "is not a file among the templates" in raised.value.diagnostics[0].message


def test_a_css_url_the_pdf_cannot_load_is_an_error_at_the_stylesheet(make_project: MakeProject) -> None:
    config = make_project(project_yaml())
    assert cli("render", "--config", config, "-f", "pdf")[0] == 0
    before = (config.parent / "out" / "demo.pdf").read_bytes()
    extra = config.parent / "templates" / "extra.css"
    extra.parent.mkdir()
    rule = ".masthead { background: url('img/paper.png'); }"
    extra.write_text(f"h1 {{ color: black; }}\n{rule}\n", "utf-8")
    code, said = cli("render", "--config", config, "-f", "pdf")
    assert code == 1, said
    where = f"{extra.resolve()}:2:{rule.index('img/') + 1}"
    assert f"{where}: error: the PDF cannot load 'img/paper.png': no file 'img/paper.png' among" in said
    assert "ERROR:" not in said  # an error of ours, not WeasyPrint's log line
    assert (config.parent / "out" / "demo.pdf").read_bytes() == before
    png(config.parent / "templates" / "img" / "paper.png", "#fdfdf5")  # now it can be loaded
    assert cli("render", "--config", config, "-f", "pdf")[0] == 0


def test_images_a_stylesheet_names_go_beside_the_screen_page_or_fail_it(make_project: MakeProject) -> None:
    config = make_project(project_yaml())
    extra = config.parent / "templates" / "extra.css"
    extra.parent.mkdir()
    extra.write_text(".masthead { background: url(img/paper.png); }\n", encoding="utf-8")
    code, said = cli("render", "--config", config, "-f", "html")
    where = f"{extra.resolve()}:1:29"
    assert code == 1 and f"{where}: error: the HTML page cannot load 'img/paper.png': no file" in said, said
    assert not (config.parent / "out" / "demo.html").exists()
    data = png(config.parent / "templates" / "img" / "paper.png", "#fdfdf5")
    assert cli("render", "--config", config, "-f", "html")[0] == 0
    assert (config.parent / "out" / "img" / "paper.png").read_bytes() == data


def with_a_font_that_is_no_font(config: Path) -> Path:
    """The project's templates directory, with fonts/house.ttf holding text, not a font."""
    templates = config.parent / "templates"
    (templates / "fonts").mkdir(parents=True)
    (templates / "fonts" / "house.ttf").write_text("not a font", encoding="utf-8")
    return templates


def test_a_font_file_that_is_no_font_is_an_error_at_its_font_face(make_project: MakeProject) -> None:
    config = make_project(project_yaml())
    templates = with_a_font_that_is_no_font(config)
    (templates / "extra.css").write_text(
        'h1 { color: black; }\n@font-face { font-family: "House"; src: url(fonts/house.ttf); }\n'
        "h1 { font-family: House; }\n",
        encoding="utf-8",
    )
    code, said = cli("render", "--config", config, "-f", "pdf")
    assert code == 1, said
    assert f"{(templates / 'extra.css').resolve()}:2:1: error: the PDF cannot load the font 'House'" in said


def test_a_font_that_is_no_font_is_reported_beside_a_missing_one(make_project: MakeProject) -> None:
    config = make_project(project_yaml())
    templates = with_a_font_that_is_no_font(config)
    (templates / "extra.css").write_text(
        '@font-face { font-family: "Gone"; src: url(fonts/gone.ttf); }\n'
        '@font-face { font-family: "House"; src: url(fonts/house.ttf); }\n'
        "h1 { font-family: Gone, House; }\n",
        encoding="utf-8",
    )
    code, said = cli("render", "--config", config, "-f", "pdf")
    assert code == 1, said
    assert "cannot load 'fonts/gone.ttf': no file 'fonts/gone.ttf' among the templates" in said, said
    where = f"{(templates / 'extra.css').resolve()}:2:1"
    house = f"{where}: error: the PDF cannot load the font 'House': its file is not a font"
    assert house in said, said
    assert "the font 'Gone'" not in said  # its missing file is what is wrong, said once


# --- the Sources list ------------------------------------------------------------------------------


def test_the_sources_list_shows_the_reference_not_the_project_files(shipped_project: Path, tmp_path: Path) -> None:
    valid = check(shipped_project)
    brief = next(b for b in assemble_all(valid, ["korea-nato"]))
    files = outputs(shipped_project, Format.MD, Format.HTML, Format.MEDIAWIKI, Format.DOCX, Format.PDF)
    shown = {
        "md": files["korea-nato.md"].decode("utf-8").replace("\\", ""),
        "wiki": files["korea-nato.wiki"].decode("utf-8"),
        "html": re.sub(r"<[^>]+>|\u00ad", "", files["korea-nato.html"].decode("utf-8")),
        "docx": docx_text(files["korea-nato.docx"]),
        "pdf": pdf_text(files["korea-nato.pdf"], tmp_path),
    }
    for name, text in shown.items():
        assert "seeds/" not in text and "Article file" not in text, name
    urls = [note.source.url.value for note in brief.notes if note.source.url]
    assert urls  # the brief cites a source with an address: it is shown
    for name in ("html", "docx"):
        text = fold(shown[name]).replace("’", "'")
        for note in brief.notes:  # author, title, outlet, date, each honest ([outlet not stated], n.d.)
            assert fold(citation_text(note.source)).replace("’", "'") in text, (name, note.source_id)
        assert all(url in shown[name] for url in urls)


def test_curator_notes_can_be_left_out_of_print(make_project: MakeProject, tmp_path: Path) -> None:
    shown = outputs(make_project(project_yaml()), Format.HTML, Format.PDF, Format.DOCX)
    assert NOTE in pdf_text(shown["demo.pdf"], tmp_path).replace("’", "'")
    config = make_project(project_yaml("handout: {curator_notes: false}"))
    files = outputs(config, Format.MD, Format.HTML, Format.PDF, Format.DOCX, Format.MEDIAWIKI)
    assert "Curator" not in pdf_text(files["demo.pdf"], tmp_path)
    assert "Curator" not in files["demo.html"].decode("utf-8")
    assert "Curator" not in docx_text(files["demo.docx"])
    # The team's wiki page keeps them: it is the curators' working copy.
    assert "Curator's note: Curator remark" in files["demo.md"].decode("utf-8")
    assert "Curator's note: Curator remark" in files["demo.wiki"].decode("utf-8")


# --- labels ----------------------------------------------------------------------------------------

GERMAN = {"bottom_line": "Kernaussagen", "sources": "Quellen", "timeline": "Zeitleiste", "as_of": "Stand"}


def test_labels_rename_the_fixed_words_in_every_format(make_project: MakeProject, tmp_path: Path) -> None:
    labels = "\n".join(f"  {key}: {value}" for key, value in GERMAN.items())
    config = make_project(project_yaml("labels:\n" + labels))
    pages = {f"{flavor.value}.md": outputs(config, Format.MD, flavor=flavor)["demo.md"] for flavor in Flavor}
    files = outputs(config, Format.HTML, Format.PDF, Format.DOCX, Format.MEDIAWIKI)
    shown = {name: data.decode("utf-8") for name, data in pages.items()}
    shown |= {"wiki": files["demo.wiki"].decode("utf-8"), "html": files["demo.html"].decode("utf-8")}
    shown |= {"docx": docx_text(files["demo.docx"]), "pdf": pdf_text(files["demo.pdf"], tmp_path)}
    defaults = Labels()
    for name, text in shown.items():
        for key, word in GERMAN.items():
            assert word.casefold() in text.casefold(), (name, key)  # print sets headings in capitals
        assert "Stand 24 October 2025" in text, name
    headings = {  # where each format writes a heading: none is the default word any more
        "gfm.md": "\n## {}\n",
        "github-wiki.md": "\n## {}\n",
        "mkdocs.md": "\n## {}\n",
        "pandoc.md": "\n## {}\n",
        "wiki": "\n== {} ==\n",
        "html": "<h2>{}</h2>",
        "docx": "\n{}\n",
    }
    for name, form in headings.items():
        for key in ("bottom_line", "sources", "timeline"):
            assert form.format(getattr(defaults, key)) not in shown[name], (name, key)
            assert form.format(GERMAN[key]) in shown[name], (name, key)
    assert "BOTTOM LINE" not in shown["pdf"] and "KERNAUSSAGEN" in shown["pdf"]
    # Styling and link targets follow the block, not the word.
    html = shown["html"]
    assert '<section class="block block-bottom-line" id="section-bottom-line">\n<h2>Kernaussagen</h2>' in html
    assert 'id="section-sources"' in html and 'id="section-timeline"' in html
    stylesheet = html.split("<style>")[1].split("</style>")[0]
    assert ".block-bottom-line {" in stylesheet and "Kernaussagen" not in stylesheet


def test_labels_word_the_page_numbers_of_print(make_project: MakeProject, tmp_path: Path) -> None:
    config = make_project(project_yaml("labels: {page: Seite, of: von, as_of: Stand}"))
    files = outputs(config, Format.PDF, Format.DOCX)
    assert re.search(r"Stand 24 October 2025 .*Seite 1 von \d", pdf_text(files["demo.pdf"], tmp_path))
    footer = docx.Document(io.BytesIO(files["demo.docx"])).sections[0].footer.paragraphs[0].text
    assert footer.startswith("Stand 24 October 2025\t") and "\tSeite " in footer and " von " in footer


def test_a_section_titled_like_a_fixed_block_does_not_take_its_id(make_project: MakeProject) -> None:
    text = project_yaml().replace("      - title: Details\n", "      - title: Timeline\n")
    html = outputs(make_project(text), Format.HTML)["demo.html"].decode("utf-8")
    ids = re.findall(r'<section class="([^"]*)" id="([^"]*)">', html)
    assert ("block block-sections", "section-timeline-2") in ids
    assert ("block block-timeline", "section-timeline") in ids


def test_an_unknown_label_key_is_an_error_that_lists_the_keys(make_project: MakeProject) -> None:
    text = project_yaml("labels:\n  bottomline: Kernaussagen")
    with pytest.raises(ValidationFailed) as raised:
        check(make_project(text))
    (error,) = raised.value.diagnostics
    assert (error.location.line, error.location.column) == (line_of(text, "bottomline"), 5)
    assert error.message == "project.labels: unknown key 'bottomline'"
    assert error.hint is not None and error.hint.startswith("did you mean 'bottom_line'? label keys: summary, ")
    assert all(key in error.hint for key in Labels.model_fields)


def test_an_empty_label_is_an_error(make_project: MakeProject) -> None:
    with pytest.raises(ValidationFailed, match="1 error"):
        check(make_project(project_yaml("labels: {sources: ''}")))


def test_the_schema_documents_theme_handout_and_labels() -> None:
    settings = project_schema()["definitions"]["Settings"]["properties"]
    assert {"theme", "handout", "labels"} <= set(settings)
    definitions = project_schema()["definitions"]
    assert set(definitions["Theme"]["properties"]) == {"accent", "logo"}
    assert definitions["Handout"]["properties"]["curator_notes"]["default"] is True
    assert definitions["Labels"]["additionalProperties"] is False
    assert definitions["Labels"]["properties"]["bottom_line"]["default"] == "Bottom line"
