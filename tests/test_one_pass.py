"""Work done once per run: each quote is searched for once, the template files are hashed once, and
each brief's gfm Markdown is rendered once however many outputs are made from it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from briefgen.build import plan
from briefgen.build.api import render
from briefgen.formats import Flavor, Format, RenderOptions
from briefgen.project import drift, quote_memo
from briefgen.renderers import registry
from briefgen.text import quotes, sentences


def _counting(
    monkeypatch: pytest.MonkeyPatch, name: str, modules: tuple[Any, ...], key: Callable[..., Any] = lambda *_: "calls"
) -> Counter[Any]:
    """Count calls of function `name` made through any of `modules` (each imported it by name), by `key(*args)`."""
    calls: Counter[Any] = Counter()
    real = getattr(modules[0], name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls[key(*args)] += 1
        return real(*args, **kwargs)

    for module in modules:
        monkeypatch.setattr(module, name, counted)
    return calls


@pytest.mark.slow
def test_a_full_render_searches_each_quote_once(
    shipped_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A fresh memo: another test in this process may have found these quotes already (quote_memo.py).
    monkeypatch.setattr(quote_memo, "PROCESS_MEMO", quote_memo.QuoteMemo())
    modules = (quotes, quote_memo, drift, sentences)
    searched = _counting(monkeypatch, "find_quote", modules, lambda article, quote: quote)
    valid = render(shipped_project, (), RenderOptions((Format.MD, Format.HTML, Format.PDF, Format.JSON)), tmp_path)
    assert valid.rendered  # everything was rendered
    assert searched and set(searched.values()) == {1}, [q for q, n in searched.items() if n > 1][:3]


def test_the_template_files_are_hashed_once_per_run(
    shipped_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hashed = _counting(monkeypatch, "tree_digest", (plan,))
    render(shipped_project, (), RenderOptions((Format.MD, Format.HTML, Format.MEDIAWIKI)), tmp_path)
    assert sum(hashed.values()) == 1


@pytest.mark.parametrize(("flavor", "pages"), [(Flavor.GFM, 1), (Flavor.MKDOCS, 2)])
def test_each_briefs_markdown_is_rendered_once_per_flavor(
    shipped_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, flavor: Flavor, pages: int
) -> None:
    rendered = _counting(monkeypatch, "render_page", (registry,), lambda brief, *_: brief.id)
    render(shipped_project, ("korea-eu",), RenderOptions((Format.MD, Format.HTML), flavor=flavor), tmp_path)
    assert rendered == Counter({"korea-eu": pages})  # gfm: the Markdown file and the page's source are one
