"""A brief's PDF settings, decided in one place for planning (the cache key) and rendering."""

from __future__ import annotations

import datetime as dt

from briefgen.assemble import AssembledBrief
from briefgen.formats import Paper, RenderOptions


def pdf_settings(brief: AssembledBrief, options: RenderOptions) -> tuple[Paper, dt.datetime]:
    """The paper and date stamp of a brief's PDF: the options', else the brief's, else the project's."""
    paper = options.paper or brief.brief.paper or brief.settings.paper
    timestamp = options.timestamp or dt.datetime.combine(brief.brief.as_of.as_date(), dt.time(), dt.UTC)
    return paper, timestamp
