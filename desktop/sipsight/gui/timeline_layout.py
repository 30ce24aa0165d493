"""The timeline's data in lanes and what goes where: sorted lanes, clusters of nearby glyphs, dense bars, and the
other calls' strip (calls per time bucket, stacked by outcome).

Qt-light (QImage only) so the density decisions can be read and tested apart from the painting.
"""

from __future__ import annotations

import math
import struct
from array import array
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from itertools import repeat
from operator import sub

from PySide6.QtGui import QImage

from sipsight.core.models import Attempt, OutcomeClass
from sipsight.gui.palette import OUTCOME_INDEX, OUTCOME_ORDER, outcome_color

LANE_THIS, LANE_OTHER = 0, 1
LANE_TITLES = ("This number", "Your other calls")
MORE = -1  # a cluster row standing for "the other classes in this cluster"

SLOT = 28.0  # glyphs closer than this (px) are one cluster (room for the glyph and its count)
COL_W = 3.0  # dense mode: one stacked bar per column of this width
GLYPH_LIMIT = 300  # more visible attempts than this in a lane: dense bars (keeps the paint bounded)

# The caller's other calls are a summary, never a grid of glyphs: one stacked bar per time bucket, the bucket the
# shortest of these steps that gives a bar at least BUCKET_MIN_PX wide (a count fits above it).
_H, _D = 3600, 86400
BUCKET_STEPS = (15 * 60, 30 * 60, _H, 2 * _H, 3 * _H, 6 * _H, 12 * _H, _D, 2 * _D, 7 * _D, 14 * _D, 30 * _D, 91 * _D)
BUCKET_MIN_PX = 22.0


def bucket_step(span: float, plot_width: float) -> int:
    """Seconds per bucket for a view of `span` seconds drawn `plot_width` px wide."""
    scale = plot_width / span if span > 0 else 0.0
    return next((step for step in BUCKET_STEPS if step * scale >= BUCKET_MIN_PX), BUCKET_STEPS[-1])


def bucket_origin(start: float, step: int, zone: tzinfo) -> float:
    """The first bucket's start: whole steps from the local midnight (buckets line up with the day ticks)."""
    local = datetime.fromtimestamp(start, zone)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0).timestamp()
    return midnight + ((start - midnight) // step) * step if step < _D else midnight


def bucket_words(step: int) -> str:
    """'12 hours', '1 day', '30 minutes': what one bar of the strip counts."""
    for unit, name in ((7 * _D, "week"), (_D, "day"), (_H, "hour"), (60, "minute")):
        if step % unit == 0:
            n = step // unit
            return f"{n} {name}{'s' if n != 1 else ''}"
    return f"{step} s"


@dataclass
class Lane:
    """One lane's attempts sorted by time, with the filter applied, in bisect-ready arrays."""

    all: list[Attempt] = field(default_factory=list)
    items: list[Attempt] = field(default_factory=list)
    times: array[float] = field(default_factory=lambda: array("d"))
    outcomes: list[int] = field(default_factory=list)
    by_outcome: dict[int, array[float]] = field(default_factory=dict)

    def apply_filter(self, hidden: set[OutcomeClass]) -> None:
        self.items = [a for a in self.all if a.outcome not in hidden]
        self.times = array("d", (a.start_time.timestamp() for a in self.items))
        self.outcomes = [OUTCOME_INDEX.get(a.outcome, OUTCOME_INDEX[OutcomeClass.UNKNOWN]) for a in self.items]
        self.by_outcome = {}
        for t, o in zip(self.times, self.outcomes, strict=True):
            self.by_outcome.setdefault(o, array("d")).append(t)

    def counts(self, members: list[int] | range | None = None) -> dict[int, int]:
        """Attempts per outcome index, over `members` (indices into items) or the whole lane."""
        counts: dict[int, int] = {}
        for i in range(len(self.outcomes)) if members is None else members:
            counts[self.outcomes[i]] = counts.get(self.outcomes[i], 0) + 1
        return counts


@dataclass
class Cluster:
    x: float  # where its glyphs are drawn: the first member's x
    x_last: float
    members: list[int]  # indices into the lane's items
    rows: list[tuple[int, float, int]] = field(default_factory=list)  # (outcome index, y, count)


@dataclass
class LaneHits:
    """What the last static paint drew in one lane, for hover, click and the selection overlay."""

    dense: bool = False
    xs: list[float] = field(default_factory=list)  # cluster x, sorted
    clusters: list[Cluster] = field(default_factory=list)
    col_t0: float = 0.0  # dense mode: time at the plot's left edge and seconds per column
    col_dt: float = 1.0
    col_series: list[tuple[int, list[int]]] = field(default_factory=list)  # (outcome index, count per column)
    col_totals: list[int] = field(default_factory=list)
    col_x0: float = 0.0  # dense columns and buckets: where column 0 starts, and each column's width (px)
    col_w: float = COL_W
    buckets: bool = False  # the other calls' strip: columns are time buckets (col_dt seconds each)

    def column_at(self, x: float) -> int:
        return int((x - self.col_x0) // self.col_w)

    def column(self, k: int) -> dict[int, int]:
        return {o: counts[k] for o, counts in self.col_series if counts[k]}


def clusters(times: array[float], i0: int, i1: int, x_origin: float, scale: float) -> list[Cluster]:
    """Greedy left-to-right grouping of the glyphs that would overlap (each cluster spans < one slot).

    x = x_origin + t * scale maps a time to the widget.
    """
    found: list[Cluster] = []
    current: Cluster | None = None
    for i in range(i0, i1):
        x = x_origin + times[i] * scale
        if current is not None and x - current.x < SLOT:
            current.members.append(i)
            current.x_last = x
        else:
            current = Cluster(x, x, [i])
            found.append(current)
    return found


def cluster_rows(counts: dict[int, int], max_rows: int) -> list[tuple[int, int]]:
    """(outcome index, count) per glyph row; too many classes: the most frequent ones, then MORE for the rest."""
    kinds = sorted(counts)
    if len(kinds) <= max_rows:
        return [(o, counts[o]) for o in kinds]
    keep = sorted(sorted(kinds, key=lambda o: -counts[o])[: max_rows - 1])
    rest = sum(n for o, n in counts.items() if o not in keep)
    return [(o, counts[o]) for o in keep] + [(MORE, rest)]


def count_columns(lane: Lane, hits: LaneHits, t0: float, col_dt: float, ncols: int) -> int:
    """Fill `hits` with the lane's attempts per class per column (by bisect, never per item); returns the peak."""
    bounds = [t0 + k * col_dt for k in range(ncols + 1)]
    series: list[tuple[int, list[int]]] = []
    for o in sorted(lane.by_outcome):
        arr = lane.by_outcome[o]
        if not arr or arr[-1] < bounds[0] or arr[0] >= bounds[-1]:
            continue
        idx = list(map(bisect_left, repeat(arr, len(bounds)), bounds))
        series.append((o, list(map(sub, idx[1:], idx[:-1]))))
    hits.dense = True
    hits.col_t0, hits.col_dt, hits.col_series = t0, col_dt, series
    hits.col_totals = list(map(sum, zip(*(counts for _, counts in series), strict=True))) if series else []
    return max(hits.col_totals, default=0)


def bars_image(hits: LaneHits, peak: int, height_px: int, dpr: float, dark: bool) -> tuple[QImage, bytes, int]:
    """The stacked bars as raw pixels: (image, its pixel bytes, image rows per column).

    A column of the plot is a row of the image, so each bar is a contiguous run of bytes; the caller
    draws it with one rotated drawImage, since a few thousand fillRect calls from Python would blow the
    16 ms budget at 10,000 attempts.
    """
    series = hits.col_series
    min_px = min(height_px, max(2, round(3 * dpr)))
    rows_per_col = max(2, round(COL_W * dpr))
    blank = bytes(4 * height_px)
    pixels = [struct.pack("=I", outcome_color(OUTCOME_ORDER[o], dark).rgba()) for o, _ in series]
    columns = zip(*(counts for _, counts in series), strict=True)
    out: list[bytes] = []
    empty_col = blank * rows_per_col
    for counts, total in zip(columns, hits.col_totals, strict=True):
        if not total:
            out.append(empty_col)
            continue
        # sqrt keeps one attempt visible beside a column of hundreds
        scale = max(min_px, height_px * math.sqrt(total / peak)) / total
        row = b"".join([pixel * int(n * scale + 0.5) for pixel, n in zip(pixels, counts, strict=True) if n])
        row = row[: 4 * height_px] + blank[len(row) :]
        out.append(row * (rows_per_col - 1))
        out.append(blank)  # one device pixel of gap between bars
    data = b"".join(out)
    ncols = len(hits.col_totals)
    image = QImage(data, height_px, ncols * rows_per_col, 4 * height_px, QImage.Format.Format_ARGB32_Premultiplied)
    return image, data, rows_per_col  # QImage does not copy `data`: the caller keeps it alive while drawing
