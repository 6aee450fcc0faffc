"""Render MediaWiki wikitext: the brief through `brief.wiki.j2`, every data string escaped.

The same machinery as the Markdown (render_md.render_text) in the wikitext dialect: data written
with character references where wikitext could read markup (markup.escape_wikitext), notes as
`<ref name="nN">` tags — the first citation of a source carries its text, later ones reuse it as
`<ref name="nN" />` — collected by `<references />`.
"""

from __future__ import annotations

from pathlib import Path

from briefgen.assemble import AssembledBrief
from briefgen.formats import Format, format_template
from briefgen.renderers.markdown import Dialect, TextEnvironments, render_text
from briefgen.renderers.markup import escape_wikitext, wikitext_link
from briefgen.renderers.templates import no_template_error

WIKITEXT = Dialect("mediawiki", escape_wikitext, wikitext_link, "notes/refs.wiki.j2")
WIKI_TEMPLATE = "brief.wiki.j2"  # the default template's counterpart (formats.format_template)


def render_wikitext(
    brief: AssembledBrief, template_dirs: tuple[Path, ...], environments: TextEnvironments | None = None
) -> str:
    """The brief as MediaWiki wikitext through its template's wiki counterpart (`NAME.md.j2` →
    `NAME.wiki.j2`); one TextEnvironments for a run of many briefs."""
    template = format_template(brief.brief.template, Format.MEDIAWIKI)
    if template is None:
        raise no_template_error(brief.id, brief.brief.template, Format.MEDIAWIKI)
    return render_text(brief, template_dirs, WIKITEXT, template, environments).text
