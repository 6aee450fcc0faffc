"""The Timeline figure: an SVG drawn from the dated facts the brief's Timeline table lists.

A horizontal axis scaled linearly to the brief's dates; one mark per dated fact: a dot for a date
known to the day, a bar over the month or year for a date known only that far. A date the curator
inferred or supplied, or one the article gives as approximate, is drawn hollow and dashed, and a
legend says so. Each mark is labelled with the fact's headline (or claim) and its note numbers.

Labels are laid out, not hoped for: each is measured with the bundled Noto Sans's advance widths,
truncated with an ellipsis when too long, and packed greedily into the first lane (row) where it
overlaps no other label, right or left of its mark, whichever fits; the figure grows a lane at a
time. Everything is computed from the data alone, so the same brief gives the same bytes.

A figure is an image, which a page cannot break: in print, a figure taller than MAX_PART_HEIGHT is
drawn as consecutive parts of the same axis, each with at most as many facts as lanes fit on a page
(timeline_parts), so that no label runs off the foot of a page however many facts there are.

The figure shows nothing the table does not: the same facts, headlines, dates and note numbers.
Text is data: every string is escaped for XML; no scripts, links, styles or external references.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from xml.sax.saxutils import escape, quoteattr

from briefgen.assemble import AssembledBrief
from briefgen.project.values import AttestedDate, Basis, Precision
from briefgen.renderers.templates import builtin_dir
from briefgen.renderers.wording import date_text

WIDTH = 480.0  # viewBox units; about the points of an A4 text column, so 1 unit ≈ 1 pt in print
PAD = 4.0  # space kept free at the figure's left and right edges
FONT_SIZE = 7.0
LANE_HEIGHT = 10.0
LABEL_GAP = 6.0  # free space between two labels in a lane
MARK_GAP = 3.0  # between a mark's leader and its label's text
MAX_LABEL_WIDTH = WIDTH * 0.55  # longer labels are cut with an ellipsis, so lanes can share
LEGEND_Y = 9.0
TICK_LABEL_Y = 26.0
AXIS_Y = 36.0
FIRST_LANE_Y = AXIS_Y + 16.0  # baseline of the first lane of labels
ASCENT, DESCENT = 0.8 * FONT_SIZE, 0.25 * FONT_SIZE  # a label's box around its baseline (Noto Sans)
# The tallest figure (part) print draws: the text column of a US-letter page (the shorter paper;
# 237 mm high, 176 mm wide, so 648 units of a 480-unit-wide figure) less the Timeline heading, the
# caption and the figure's margins (about 90 units together).
MAX_PART_HEIGHT = 560.0
FONT_FAMILY = "'Briefgen Sans', 'Briefgen Hangul', 'Noto Sans', sans-serif"
INK, MUTED, LEADER = "#14304f", "#6b7785", "#b8c0c9"
ELLIPSIS = "…"


@dataclass(frozen=True)
class TimelineRow:
    """One row of the Timeline table, as the figure draws it."""

    date: AttestedDate
    label: str  # the headline, or the claim
    notes: tuple[int, ...]

    @property
    def uncertain(self) -> bool:
        """Drawn hollow: a date the article does not state exactly."""
        return self.date.basis is not Basis.STATED or self.date.approximate

    @property
    def span(self) -> bool:
        """Drawn as a bar: a date known only to the month or the year."""
        return self.date.value.precision is not Precision.DAY


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float

    def intersects(self, other: Box) -> bool:
        return (
            self.left < other.right and other.left < self.right and self.top < other.bottom and other.top < self.bottom
        )


@dataclass(frozen=True)
class PlacedLabel:
    row: TimelineRow
    text: str  # the label as drawn: truncated if need be, with the note numbers
    x: float  # the mark's (and its leader's) position on the axis
    mark_left: float
    mark_right: float
    lane: int
    anchor_start: bool  # text to the right of the leader (else to its left)
    box: Box


@dataclass(frozen=True)
class Layout:
    labels: tuple[PlacedLabel, ...]
    ticks: tuple[tuple[float, str], ...]
    height: float


def timeline_rows(brief: AssembledBrief) -> tuple[TimelineRow, ...]:
    """The Timeline table's rows, in its order (by date)."""
    return tuple(
        TimelineRow(s.fact.date, s.fact.headline or s.fact.claim, s.notes) for s in brief.timeline if s.fact.date
    )


@cache
def _advances() -> tuple[dict[int, int], float]:
    """Noto Sans's advance width per code point, in font units, and units per em."""
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]  # noqa: PLC0415 - only when drawing

    font = TTFont(builtin_dir() / "fonts" / "NotoSans-Regular.ttf", lazy=True)
    metrics = font["hmtx"].metrics
    widths = {code: metrics[glyph][0] for code, glyph in font.getBestCmap().items()}
    return widths, float(font["head"].unitsPerEm)


def text_width(text: str, size: float = FONT_SIZE) -> float:
    """The width of `text` set in Noto Sans at `size`, without kerning (which only narrows Latin text).
    A character Noto Sans lacks (Hangul, from the CJK fallback) counts a full em."""
    widths, per_em = _advances()
    return sum(widths.get(ord(c), per_em) for c in text) * size / per_em


def _fit(text: str, limit: float) -> str:
    """`text`, or as much of it as fits in `limit` followed by an ellipsis."""
    if text_width(text) <= limit:
        return text
    cut = len(text)
    while cut > 0 and text_width(text[:cut].rstrip() + ELLIPSIS) > limit:
        cut -= 1
    return text[:cut].rstrip() + ELLIPSIS


def _notes_suffix(notes: tuple[int, ...]) -> str:
    return f" [{', '.join(str(n) for n in notes)}]" if notes else ""


class _Scale:
    """Days to viewBox x, linear over the brief's dates with a margin either side."""

    def __init__(self, rows: Sequence[TimelineRow]) -> None:
        first = min(r.date.value.as_date() for r in rows).toordinal()
        last = max(r.date.value.last_day() for r in rows).toordinal() + 1
        span = max(last - first, 30)
        margin = span * 0.03
        self.first, self.last = first - margin, first + span + margin
        self.left, self.right = PAD + 8.0, WIDTH - PAD - 8.0

    def x(self, day: float) -> float:
        return self.left + (day - self.first) * (self.right - self.left) / (self.last - self.first)


def _ticks(scale: _Scale) -> tuple[tuple[float, str], ...]:
    """Axis ticks: years, or months for a short span, every n-th so their labels keep apart."""
    start, end = dt.date.fromordinal(int(scale.first) + 1), dt.date.fromordinal(int(scale.last))
    years = [dt.date(y, 1, 1) for y in range(start.year, end.year + 1) if dt.date(y, 1, 1) >= start]
    if len(years) >= 2:
        candidates = [(d, str(d.year)) for d in years]
    else:
        months = [
            dt.date(y, m, 1)
            for y in range(start.year, end.year + 1)
            for m in range(1, 13)
            if start <= dt.date(y, m, 1) <= end
        ]
        candidates = [
            (d, d.strftime("%b %Y") if d.month == 1 or i == 0 else d.strftime("%b")) for i, d in enumerate(months)
        ]
    for step in range(1, len(candidates) + 1):
        chosen = [(scale.x(d.toordinal()), text) for d, text in candidates[::step]]
        inside = [(x, t) for x, t in chosen if x - text_width(t) / 2 >= PAD and x + text_width(t) / 2 <= WIDTH - PAD]
        gaps = all(b[0] - a[0] >= (text_width(a[1]) + text_width(b[1])) / 2 + 8 for a, b in pairwise(inside))
        if gaps:
            return tuple(inside)
    return ()


@dataclass(frozen=True)
class _Item:
    """A row ready to place: its label text and where its mark is."""

    row: TimelineRow
    text: str
    x: float
    mark_left: float
    mark_right: float
    candidates: tuple[tuple[bool, float, float], ...]  # (text right of the leader, left, right)


def _item(row: TimelineRow, scale: _Scale) -> _Item:
    """The row's label, cut to fit beside its mark, and the places beside the mark it fits."""
    value = row.date.value
    left, right = scale.x(value.as_date().toordinal()), scale.x(value.last_day().toordinal() + 1)
    x = (left + right) / 2
    room_right, room_left = WIDTH - PAD - (x + MARK_GAP), (x - MARK_GAP) - PAD
    suffix = _notes_suffix(row.notes)
    text = _fit(row.label, min(MAX_LABEL_WIDTH, max(room_right, room_left)) - text_width(suffix)) + suffix
    width = text_width(text)
    candidates = []
    if width <= room_right:
        candidates.append((True, x + MARK_GAP, x + MARK_GAP + width))
    if width <= room_left:
        candidates.append((False, x - MARK_GAP - width, x - MARK_GAP))
    if not candidates:  # the note numbers alone are too long: cut them too
        text = _fit(row.label + suffix, max(room_right, room_left))
        width = text_width(text)
        candidates.append(
            (True, x + MARK_GAP, x + MARK_GAP + width)
            if room_right >= room_left
            else (False, x - MARK_GAP - width, x - MARK_GAP)
        )
    return _Item(row, text, x, left, right, tuple(candidates))


def layout(rows: Sequence[TimelineRow], scale: _Scale | None = None) -> Layout:
    """Where each label goes (in the order of `rows`), on `scale` (by default, one scaled to the
    rows' own dates). Labels are packed greedily (_pack) in date order and in reverse, each
    preferring its mark's right side or its left; of the four, the one whose leaders pass behind
    fewest labels wins, then the one with fewest lanes, then the first."""
    if not rows:
        return Layout((), (), FIRST_LANE_Y)
    scale = scale or _Scale(rows)
    items = [_item(row, scale) for row in rows]
    forward = list(range(len(items)))
    packings = [_pack(items, order, prefer_left) for order in (forward, forward[::-1]) for prefer_left in (False, True)]
    placed = min(packings, key=lambda p: (_crossings(p), max(label.lane for label in p)))
    lanes = max(label.lane for label in placed) + 1
    return Layout(tuple(placed), _ticks(scale), _height(lanes))


def _height(lanes: int) -> float:
    return FIRST_LANE_Y + (lanes - 1) * LANE_HEIGHT + DESCENT + 6.0


def timeline_parts(rows: Sequence[TimelineRow]) -> tuple[tuple[TimelineRow, ...], ...]:
    """The rows of each part of the printed figure: all in one when its layout fits MAX_PART_HEIGHT,
    else consecutive runs of equal size that each fit for certain — a label takes one lane at most,
    so a part of n rows is at most n lanes high."""
    if layout(rows).height <= MAX_PART_HEIGHT:
        return (tuple(rows),)
    most = max(lane for lane in range(1, len(rows) + 1) if _height(lane) <= MAX_PART_HEIGHT)
    count = -(-len(rows) // most)
    size = -(-len(rows) // count)
    return tuple(tuple(rows[start : start + size]) for start in range(0, len(rows), size))


def _crossings(placed: Sequence[PlacedLabel]) -> int:
    """How many times a leader passes behind a label on its way from the axis to its own."""
    return sum(1 for p in placed for q in placed if q.lane < p.lane and q.box.left - 1 <= p.x <= q.box.right + 1)


def _pack(items: Sequence[_Item], order: Sequence[int], prefer_left: bool) -> list[PlacedLabel]:
    """Place the items in `order`, each in the first lane it fits (_first_fit); the result is in
    the items' own order."""
    lanes: list[list[Box]] = []
    placed: dict[int, PlacedLabel] = {}
    for index in order:
        item = items[index]
        candidates = sorted(item.candidates, key=lambda c: c[0] == prefer_left)
        lane, (start, left_edge, right_edge) = _first_fit(lanes, candidates, item.x, list(placed.values()))
        if lane == len(lanes):
            lanes.append([])
        baseline = FIRST_LANE_Y + lane * LANE_HEIGHT
        box = Box(left_edge, baseline - ASCENT, right_edge, baseline + DESCENT)
        lanes[lane].append(box)
        placed[index] = PlacedLabel(item.row, item.text, item.x, item.mark_left, item.mark_right, lane, start, box)
    return [placed[i] for i in range(len(items))]


def _first_fit(
    lanes: list[list[Box]], candidates: Sequence[tuple[bool, float, float]], x: float, placed: Sequence[PlacedLabel]
) -> tuple[int, tuple[bool, float, float]]:
    """The first lane, and the first candidate position in it, that keeps LABEL_GAP from every label
    already there, whose leader from the axis at `x` passes no label above it, and whose box covers
    no deeper label's leader; a new lane if none does (its leader may then pass behind labels)."""
    for index, boxes in enumerate(lanes):
        if any(b.left - 1 <= x <= b.right + 1 for lane in lanes[:index] for b in lane):
            break  # deeper lanes are no clearer
        for candidate in candidates:
            _, lo, hi = candidate
            apart = all(hi + LABEL_GAP <= b.left or b.right + LABEL_GAP <= lo for b in boxes)
            if apart and not any(p.lane > index and lo - 1 <= p.x <= hi + 1 for p in placed):
                return index, candidate
    return len(lanes), candidates[0]


def _n(value: float) -> str:
    """A coordinate, always written the same way (byte-reproducible output)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _el(tag: str, content: str | None = None, /, **attrs: float | str) -> str:
    """An SVG element; numbers are written by _n, strings quoted (trailing `_` in names dropped, `_`
    read as `-`: `stroke_width` → `stroke-width`, `class_` → `class`; camelCase names kept)."""
    written = " ".join(
        f"{name.rstrip('_').replace('_', '-')}="
        + (f'"{_n(value)}"' if isinstance(value, float | int) else quoteattr(value))
        for name, value in attrs.items()
    )
    return f"<{tag} {written}/>" if content is None else f"<{tag} {written}>{escape(content)}</{tag}>"


def _dot(x: float, y: float, uncertain: bool) -> str:
    dash: dict[str, float | str] = {"stroke_dasharray": "1.5 1"} if uncertain else {}
    fill = "#ffffff" if uncertain else INK
    return _el("circle", class_="mark", cx=x, cy=y, r=2.6, fill=fill, stroke=INK, stroke_width=0.8, **dash)


def _bar(left: float, width: float, y: float, uncertain: bool) -> str:
    dash: dict[str, float | str] = {"stroke_dasharray": "1.5 1"} if uncertain else {}
    fill = "#ffffff" if uncertain else INK
    return _el(
        "rect",
        class_="mark",
        x=left,
        y=y - 2.5,
        width=width,
        height=5.0,
        fill=fill,
        stroke=INK,
        stroke_width=0.8,
        **dash,
    )


def _mark(label: PlacedLabel) -> str:
    """The mark on the axis: a dot (day) or a bar over the month or year; hollow and dashed if uncertain."""
    if label.row.span:
        width = max(label.mark_right - label.mark_left, 3.0)
        return _bar(label.x - width / 2, width, AXIS_Y, label.row.uncertain)
    return _dot(label.x, AXIS_Y, label.row.uncertain)


LEGEND = (("dot", False), ("dot", True), ("bar", False))  # the kinds of mark the legend keys, left to right
LEGEND_WORDS = (  # what the legend calls them (`project.labels`: legend_stated, legend_uncertain, legend_partial)
    "date stated",
    "date inferred, supplied or approximate",
    "date known to the month or year: a bar over it",
)


def _legend(words: Sequence[str] = LEGEND_WORDS) -> str:
    """Keys for the kinds of mark, left to right."""
    parts, x = [], PAD + 2.0
    for (shape, uncertain), text in zip(LEGEND, words, strict=True):
        key_width = 6.0 if shape == "dot" else 12.0
        drawn = _dot(x + 3, LEGEND_Y - 2.3, uncertain) if shape == "dot" else _bar(x, 12.0, LEGEND_Y - 2.3, uncertain)
        parts += [drawn, _el("text", text, x=x + key_width + 3, y=LEGEND_Y, fill=MUTED)]
        x += key_width + 3 + text_width(text) + 12
    return "".join(parts)


DESCRIPTION = (
    "A time axis with one mark per dated fact, labelled with its headline and, in brackets, its note numbers. "
    "A dot marks a date known to the day, a bar a date known only to the month or year; a filled mark is a date "
    "the source states, a hollow dashed one a date inferred, supplied or approximate."
)


def figure_title(rows: Sequence[TimelineRow], subject: str = "", part: tuple[int, int] | None = None) -> str:
    """The figure's text alternative: what it shows, dates written as the table writes them. The
    shipped outputs name no subject: the figure is under the brief's title, which a pandoc page
    with front matter shows once, from the front matter (a figure's alt is its caption there).
    `part` is (k, n) for the k-th of n parts of a figure drawn in parts."""
    count = f"{len(rows)} dated fact{'' if len(rows) == 1 else 's'}"
    span = f" from {date_text(rows[0].date)} to {date_text(rows[-1].date)}" if len(rows) > 1 else ""
    name = f"Timeline{' of ' + subject if subject else ''}" + (f", part {part[0]} of {part[1]}" if part else "")
    return f"{name}: {count}{span}, each listed in the table below"


def timeline_svg(
    rows: Sequence[TimelineRow],
    *,
    subject: str = "",
    id_prefix: str = "timeline",
    legend: Sequence[str] = LEGEND_WORDS,
) -> str:
    """The figure as an SVG element (no XML declaration: it is embedded in HTML too). Its <title> is
    the text alternative (WeasyPrint makes it the PDF figure's /Alt; screen readers read it)."""
    return _svg(layout(rows), figure_title(rows, subject), id_prefix, legend)


def timeline_svgs(
    rows: Sequence[TimelineRow],
    *,
    subject: str = "",
    id_prefix: str = "timeline",
    legend: Sequence[str] = LEGEND_WORDS,
) -> tuple[str, ...]:
    """The figure for print: one SVG, or one per part (timeline_parts), all on the axis of the
    whole so that they read as one figure continued."""
    parts = timeline_parts(rows)
    if len(parts) == 1:
        return (timeline_svg(rows, subject=subject, id_prefix=id_prefix, legend=legend),)
    scale = _Scale(rows)
    return tuple(
        _svg(layout(part, scale), figure_title(part, subject, (k, len(parts))), f"{id_prefix}-part-{k}", legend)
        for k, part in enumerate(parts, 1)
    )


def _svg(plan: Layout, title: str, id_prefix: str, legend: Sequence[str] = LEGEND_WORDS) -> str:
    svg_attrs = {
        "xmlns": "http://www.w3.org/2000/svg",
        "viewBox": f"0 0 {_n(WIDTH)} {_n(plan.height)}",
        "width": _n(WIDTH),
        "height": _n(plan.height),
        "role": "img",
        "aria-labelledby": f"{id_prefix}-title {id_prefix}-desc",
        "font-family": FONT_FAMILY,
        "font-size": _n(FONT_SIZE),
        "class": "timeline-figure",
    }
    lines = [
        "<svg " + " ".join(f"{name}={quoteattr(value)}" for name, value in svg_attrs.items()) + ">",
        _el("title", title, id=f"{id_prefix}-title"),
        _el("desc", DESCRIPTION, id=f"{id_prefix}-desc"),
        f'<g class="legend">{_legend(legend)}</g>',
        _el("line", class_="axis", x1=PAD, y1=AXIS_Y, x2=WIDTH - PAD, y2=AXIS_Y, stroke=MUTED, stroke_width=0.8),
    ]
    for x, text in plan.ticks:
        lines.append(
            _el("line", x1=x, y1=AXIS_Y - 4, x2=x, y2=AXIS_Y + 4, stroke=MUTED, stroke_width=0.6)
            + _el("text", text, class_="tick", x=x, y=TICK_LABEL_Y, text_anchor="middle", fill=MUTED)
        )
    # Leaders first, so that a label's white box is drawn over any leader that passes behind it.
    for label in plan.labels:
        end = label.box.bottom - DESCENT - 2.2
        lines.append(
            _el("line", class_="leader", x1=label.x, y1=AXIS_Y, x2=label.x, y2=end, stroke=LEADER, stroke_width=0.5)
        )
    lines += [_mark(label) for label in plan.labels]
    for label in plan.labels:
        box, baseline = label.box, label.box.bottom - DESCENT
        lines.append(
            '<g class="label">'
            + _el(
                "rect",
                class_="label-box",
                x=box.left,
                y=box.top,
                width=box.right - box.left,
                height=box.bottom - box.top,
                fill="#ffffff",
            )
            + _el("circle", cx=label.x, cy=baseline - 2.2, r=1.0, fill=MUTED)
            + _el(
                "text",
                label.text,
                x=box.left if label.anchor_start else box.right,
                y=baseline,
                text_anchor="start" if label.anchor_start else "end",
                fill="#1b1b1b",
                # Set to the measured width: a renderer without the bundled font (a wiki showing the
                # .svg file) squeezes its fallback font into the box rather than overrun it.
                textLength=box.right - box.left,
                lengthAdjust="spacingAndGlyphs",
            )
            + "</g>"
        )
    lines.append("</svg>")
    return "\n".join(lines) + "\n"


def brief_timeline_svg(brief: AssembledBrief) -> str | None:
    """The brief's Timeline figure, whole, or None when it has no dated fact to draw."""
    rows = timeline_rows(brief)
    if not rows:
        return None
    return timeline_svg(rows, id_prefix=f"timeline-{brief.id}", legend=legend_words(brief))


def legend_words(brief: AssembledBrief) -> tuple[str, str, str]:
    """The legend's words as the project's labels have them."""
    labels = brief.settings.labels
    return (labels.legend_stated, labels.legend_uncertain, labels.legend_partial)


def brief_timeline_print_svgs(brief: AssembledBrief) -> tuple[str, ...]:
    """The brief's Timeline figure as print draws it, in parts that each fit a page; none without
    a dated fact."""
    rows = timeline_rows(brief)
    return timeline_svgs(rows, id_prefix=f"timeline-{brief.id}", legend=legend_words(brief)) if rows else ()


def timeline_file_name(brief_id: str) -> str:
    """The figure's file beside a wiki's Markdown page: `<brief-id>-timeline.svg`."""
    return f"{brief_id}-timeline.svg"


def brief_timeline_alt(brief: AssembledBrief) -> str | None:
    """The text alternative of the brief's figure (its SVG <title>), or None without one."""
    rows = timeline_rows(brief)
    return figure_title(rows) if rows else None
