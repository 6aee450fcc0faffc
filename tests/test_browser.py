"""The screen page (`--format html`) in a real browser: Debian's Chromium, driven by Playwright.

Each shipped brief is rendered to HTML in a temporary directory (fonts/ beside it, as briefgen
writes them) and opened through a file:// URL at a phone's and a desktop's width. The tests click
every note reference and check where it lands, check which fonts the browser drew the text with,
and that nothing was logged or failed to load; each page is photographed for a reviewer (the
directory, out/screenshots/ unless BRIEFGEN_SCREENSHOTS=DIR names another, is also named at the end
of the run).

Playwright is pointed at /usr/bin/chromium (scripts/system-deps.sh test installs it); its own
browser download (`playwright install`) is never used.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

import briefgen
from briefgen.formats import Format, RenderOptions
from tests.conftest import REPO, SHIPPED_CONFIG, require_tool

pytestmark = pytest.mark.slow

BRIEF_IDS = ["korea-poland", "korea-nato", "korea-eu"]
VIEWPORTS: dict[str, dict[str, Any]] = {
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
    "desktop": {"viewport": {"width": 1280, "height": 900}, "device_scale_factor": 1},
}
HANGUL_TEXT = "기자"  # "reporter": a byline quoted in the curator's note of a source all three briefs cite


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped briefs as screen pages, rendered from a private copy of the project."""
    project = tmp_path_factory.mktemp("project")
    shutil.copy(SHIPPED_CONFIG, project / "briefs.yaml")
    shutil.copy(REPO / "briefs.lock.json", project / "briefs.lock.json")
    shutil.copytree(REPO / "seeds", project / "seeds")
    out = project / "out"
    briefgen.render(project / "briefs.yaml", (), RenderOptions((Format.HTML,)), out)
    return out


class _NameScreenshots:
    """A plugin, registered once screenshots are taken: names their directory in the run's summary."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        shots = sorted(self.directory.glob("*.png"))
        terminalreporter.write_line(f"screen-page screenshots ({len(shots)}): {self.directory}")


@pytest.fixture(scope="module")
def screenshots(request: pytest.FixtureRequest) -> Path:
    """Where the screenshots go: $BRIEFGEN_SCREENSHOTS, else out/screenshots/ in the checkout (ignored
    by git), so that a reviewer finds them however the tests were run (also with -n)."""
    directory = Path(os.environ.get("BRIEFGEN_SCREENSHOTS") or REPO / "out" / "screenshots").resolve()
    directory.mkdir(parents=True, exist_ok=True)
    if not request.config.pluginmanager.has_plugin("briefgen-screenshots"):
        request.config.pluginmanager.register(_NameScreenshots(directory), "briefgen-screenshots")
    return directory


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    executable = require_tool("chromium")
    try:
        from playwright.sync_api import sync_playwright  # noqa: PLC0415
    except ImportError:
        message = "playwright is not installed (it is in the test extras: pip install -e '.[test]')"
        if os.environ.get("BRIEFGEN_REQUIRE_TOOLS"):
            pytest.fail(message)
        pytest.skip(message)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Visit:
    """An open page and what the browser reported while it was loaded and used."""

    page: Any
    brief_id: str
    viewport: str
    problems: list[str] = field(default_factory=list)  # console errors/warnings, page errors, failed requests
    requested: list[str] = field(default_factory=list)


@pytest.fixture(params=[(b, v) for b in BRIEF_IDS for v in VIEWPORTS], ids=lambda p: f"{p[0]}-{p[1]}")
def visit(request: pytest.FixtureRequest, chromium: Any, pages: Path) -> Iterator[Visit]:
    brief_id, viewport = request.param
    context = chromium.new_context(**VIEWPORTS[viewport])
    page = context.new_page()
    seen = Visit(page, brief_id, viewport)
    page.on(
        "console",
        lambda m: seen.problems.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None,
    )
    page.on("pageerror", lambda e: seen.problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: seen.problems.append(f"request failed: {r.url} ({r.failure})"))
    page.on("request", lambda r: seen.requested.append(r.url))
    page.goto((pages / f"{brief_id}.html").as_uri(), wait_until="load")
    page.evaluate("document.fonts.ready.then(() => true)")
    try:
        yield seen
    finally:
        context.close()


LANDING = """href => {
  const target = document.getElementById(href.slice(1));
  if (!target) return null;
  const box = target.getBoundingClientRect();
  const list = target.closest("ol");
  return {hash: location.hash, top: box.top, bottom: box.bottom, height: innerHeight, target: target.matches(":target"),
          tag: target.tagName, inSources: !!target.closest("section.block-sources"),
          number: list ? [...list.children].indexOf(target) + (list.start || 1) : null};
}"""


def test_every_note_reference_lands_on_its_sources_entry(visit: Visit) -> None:
    page = visit.page
    refs = page.locator("a[href^='#']")
    count = refs.count()
    assert count == page.locator("sup.note-ref > a").count() > 0  # in-page links are note references only
    for i in range(count):
        link = refs.nth(i)
        href, number = link.get_attribute("href"), int(link.inner_text())
        page.evaluate("history.replaceState(null, '', location.pathname)")  # no hash: the click must set it
        link.click()
        landed = page.evaluate(LANDING, href)
        assert landed is not None, f"{href}: no element has that id"
        assert landed["hash"] == href and landed["target"], (href, landed)
        assert landed["tag"] == "LI" and landed["inSources"] and landed["number"] == number, (href, landed)
        # Scrolled to: the entry's top is on screen (a long entry may run below the fold on a phone).
        assert 0 <= landed["top"] < landed["height"] and landed["bottom"] > 0, (href, landed)
    assert not visit.problems


DECLARED_FACES = (
    """() => [...document.fonts].map(f => ({family: f.family, weight: f.weight, style: f.style, status: f.status}))"""
)


def _platform_fonts(visit: Visit) -> dict[tuple[str, bool], int]:
    """The fonts Chromium drew each element's text with (DevTools' "Rendered fonts"), glyphs per font."""
    cdp = visit.page.context.new_cdp_session(visit.page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    used: dict[tuple[str, bool], int] = {}
    for node in cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": "body *"})["nodeIds"]:
        for font in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]:
            key = (font["familyName"], font["isCustomFont"])
            used[key] = used.get(key, 0) + font["glyphCount"]
    return used


def test_every_font_in_use_is_a_bundled_face_that_loaded(visit: Visit, pages: Path) -> None:
    page = visit.page
    faces = page.evaluate(DECLARED_FACES)
    assert {f["family"] for f in faces} == {"Briefgen Serif", "Briefgen Sans", "Briefgen Hangul"}
    assert not [f for f in faces if f["status"] == "error"], faces
    loaded = {(f["family"], f["weight"], f["style"]) for f in faces if f["status"] == "loaded"}
    assert {("Briefgen Serif", "400", "normal"), ("Briefgen Sans", "700", "normal")} <= loaded
    # Every glyph on the page was drawn from a web font (a bundled file), none from a system font.
    used = _platform_fonts(visit)
    assert used and all(custom for _, custom in used), used
    assert {"Noto Serif", "Noto Sans"} <= {family for family, _ in used}
    fonts_requested = {Path(url).name for url in visit.requested if "/fonts/" in url}
    assert fonts_requested and all((pages / "fonts" / name).is_file() for name in fonts_requested)
    text = page.inner_text("body")
    assert HANGUL_TEXT in text or visit.brief_id != "korea-poland"  # the shipped Korean word is still there
    if HANGUL_TEXT in text:
        assert ("Briefgen Hangul", "400", "normal") in loaded
        assert page.evaluate("t => document.fonts.check('12px \"Briefgen Hangul\"', t)", HANGUL_TEXT)
        assert used.get(("Noto Sans CJK KR", True), 0) >= len(HANGUL_TEXT), used
    assert not visit.problems


def test_page_loads_cleanly_fits_the_width_and_is_photographed(visit: Visit, screenshots: Path) -> None:
    page = visit.page
    assert page.evaluate("document.querySelectorAll('script').length") == 0
    width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width[0] <= width[1], f"the page scrolls sideways: {width}"  # nothing wider than a phone
    assert all(url.startswith("file://") for url in visit.requested), visit.requested  # nothing fetched from outside
    path = screenshots / f"{visit.brief_id}-{visit.viewport}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000
    assert not visit.problems
