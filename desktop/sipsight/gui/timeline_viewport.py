"""The timeline's view as plain data (no Qt): which span of time is shown, how times map to pixels, and which
attempt is selected, with the zoom, pan, clamping and keyboard steps that change them.

Times are POSIX seconds; x is a widget coordinate. The plot spans the widget's width less `PAD_X` on each
side, so a glyph on the first or last instant is whole. The widget (`TimelineWidget`) feeds it the lanes'
visible attempts (ids and sorted times), its width and what the user does; it paints what this says.

    view = TimelineViewport(width=800)
    view.set_lanes([LaneIndex(ids, times), LaneIndex(other_ids, other_times)])
    view.fit(now)                      # every attempt in view, padded
    view.zoom_by(2.0, anchor_x=300)    # the time under x=300 stays under x=300
    view.select("CA...") ; view.step(+1)  # the next attempt in the lane, scrolled into view
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field

MINUTE, HOUR, DAY = 60.0, 3600.0, 86400.0
PAD_X = 14.0  # plot inset (px) on each side
MIN_SPAN = 60.0  # the deepest zoom: one minute across the plot
MAX_SPAN = 5 * 366 * DAY
FIT_PAD_PX = 28.0  # fit leaves this much room beyond the first and last attempt (a glyph and its count)
PAN_STEP = 0.1  # a key press or a wheel notch pans a tenth of the view
LANE_THIS, LANE_OTHER = 0, 1


@dataclass
class LaneIndex:
    """One lane's visible attempts in time order: their ids and their times (POSIX seconds, sorted)."""

    ids: Sequence[str] = ()
    times: Sequence[float] = ()


@dataclass
class TimelineViewport:
    """The shown span [start, start + span) on a plot `width` pixels wide, and the selection."""

    width: float = 520.0
    start: float = 0.0
    span: float = DAY
    fitted: bool = True  # a fitted view is fitted again when the width changes; any zoom or pan ends that
    selected: str | None = None
    lane_cursor: int = LANE_THIS  # the lane Home/End and Up/Down start from
    lanes: list[LaneIndex] = field(default_factory=lambda: [LaneIndex(), LaneIndex()])
    all_extent: tuple[float, float] | None = None  # every attempt, hidden ones too (fit when all are hidden)
    _where: dict[str, tuple[int, float]] = field(default_factory=dict, repr=False)  # id -> (lane, time)

    # ------------------------------------------------------------------ data
    def set_lanes(self, lanes: Sequence[LaneIndex], all_extent: tuple[float, float] | None = None) -> None:
        """The visible attempts of each lane; a selection no longer among them is cleared."""
        self.lanes = list(lanes)
        self.all_extent = all_extent
        self._where = {
            attempt_id: (n, t)
            for n, lane in enumerate(self.lanes)
            for attempt_id, t in zip(lane.ids, lane.times, strict=True)
        }
        if self.selected is not None and self.find(self.selected) is None:
            self.selected = None

    def extent(self) -> tuple[float, float] | None:
        """(first, last) time over the visible attempts of every lane; None when there are none."""
        spans = [(lane.times[0], lane.times[-1]) for lane in self.lanes if lane.times]
        if not spans:
            return None
        return min(s[0] for s in spans), max(s[1] for s in spans)

    def find(self, attempt_id: str) -> tuple[int, int] | None:
        """(lane, index in the lane) of a visible attempt, by bisect on its time; None if it is not shown."""
        where = self._where.get(attempt_id)
        if where is None:
            return None
        lane_no, t = where
        lane = self.lanes[lane_no]
        i = bisect_left(lane.times, t)
        while i < len(lane.ids) and lane.times[i] == t:
            if lane.ids[i] == attempt_id:
                return lane_no, i
            i += 1
        return None

    def time_of(self, attempt_id: str) -> float | None:
        where = self._where.get(attempt_id)
        return where[1] if where else None

    # ------------------------------------------------------------------ pixels and times
    @property
    def plot_width(self) -> float:
        return max(self.width - 2 * PAD_X, 1.0)

    def x_at(self, t: float) -> float:
        return PAD_X + (t - self.start) / self.span * self.plot_width

    def t_at(self, x: float) -> float:
        return self.start + (x - PAD_X) / self.plot_width * self.span

    def visible_slice(self, times: Sequence[float], margin_px: float) -> tuple[int, int]:
        """Indices [i0, i1) of the sorted `times` inside the plot widened by `margin_px` on each side."""
        lo = self.t_at(PAD_X - margin_px)
        hi = self.t_at(self.width - PAD_X + margin_px)
        return bisect_left(times, lo), bisect_right(times, hi)

    # ------------------------------------------------------------------ the view
    def max_span(self) -> float:
        """Zooming out stops at four times the data's span (two days at least)."""
        extent = self.extent()
        if extent is None:
            return MAX_SPAN
        return min(max((extent[1] - extent[0]) * 4, 2 * DAY), MAX_SPAN)

    def set_view(self, start: float, span: float, *, clamp: bool = True, fitted: bool = False) -> bool:
        """Show [start, start + span); True when that changed what is shown.

        Clamped, at least a tenth of the view stays on the data, so panning never loses it entirely.
        """
        self.fitted = fitted
        span = min(max(span, MIN_SPAN), MAX_SPAN)
        extent = self.extent()
        if clamp and extent is not None:
            start = min(max(start, extent[0] - span * 0.9), extent[1] - span * 0.1)
        if (start, span) == (self.start, self.span):
            return False
        self.start, self.span = start, span
        return True

    def resize(self, width: float) -> bool:
        """A new plot width; a fitted view is fitted again. True when the view changed."""
        changed = width != self.width
        self.width = width
        if self.fitted:
            return self.fit() or changed
        return changed

    def fit(self, now: float | None = None) -> bool:
        """Show every visible attempt (all attempts when the filter hides them all; the last day without any)."""
        extent = self.extent() or self.all_extent
        if extent is None:
            end = now if now is not None else self.start + self.span
            return self.set_view(end - DAY, DAY, clamp=False, fitted=True)
        lo, hi = extent
        span = hi - lo
        if span < 30 * MINUTE:  # one attempt or a burst: show the hour around it
            return self.set_view((lo + hi) / 2 - 30 * MINUTE, HOUR, clamp=False, fitted=True)
        # Pad so the first and last glyphs (and a count beside them) are whole.
        plot_w = max(self.plot_width - 2 * FIT_PAD_PX, 50.0)
        pad = span * (FIT_PAD_PX / plot_w)
        return self.set_view(lo - pad, span + 2 * pad, clamp=False, fitted=True)

    def zoom_by(self, factor: float, anchor_x: float | None = None) -> bool:
        """factor > 1 zooms in, around anchor_x (the middle of the plot by default): the time there stays put."""
        if anchor_x is None:
            anchor_x = PAD_X + self.plot_width / 2
        anchor_t = self.t_at(anchor_x)
        span = min(max(self.span / factor, MIN_SPAN), self.max_span())
        frac = (anchor_x - PAD_X) / self.plot_width
        return self.set_view(anchor_t - frac * span, span)

    def pan(self, fraction: float) -> bool:
        """Move the view by a fraction of its span (positive: later times)."""
        return self.set_view(self.start + fraction * self.span, self.span)

    def drag(self, start_before: float, dx: float) -> bool:
        """Pan as a drag of `dx` pixels from a view that started at `start_before` (dragging right shows earlier)."""
        return self.set_view(start_before - dx / self.plot_width * self.span, self.span)

    def ensure_visible(self, t: float) -> bool:
        """Pan just enough that `t` sits inside the plot with a margin (a tenth of it, 40 px at most)."""
        x = self.x_at(t)
        margin = min(self.plot_width * 0.1, 40.0)
        if x < PAD_X + margin:
            return self.set_view(self.start - (PAD_X + margin - x) / self.plot_width * self.span, self.span)
        right = self.width - PAD_X - margin
        if x > right:
            return self.set_view(self.start + (x - right) / self.plot_width * self.span, self.span)
        return False

    # ------------------------------------------------------------------ selection and keyboard steps
    def select(self, attempt_id: str | None) -> bool:
        """Select a visible attempt (scrolled into view); None or an id not shown clears. True when it changed."""
        if attempt_id is not None and self.find(attempt_id) is None:
            attempt_id = None
        if attempt_id == self.selected:
            return False
        self.selected = attempt_id
        if attempt_id is not None:
            lane_no, t = self._where[attempt_id]
            self.lane_cursor = lane_no
            self.ensure_visible(t)
        return True

    def step(self, delta: int) -> str | None:
        """The attempt `delta` places from the selected one in its lane (stopping at the ends); None if none is."""
        found = self.find(self.selected) if self.selected is not None else None
        if found is None:
            return None
        lane_no, i = found
        ids = self.lanes[lane_no].ids
        return ids[min(max(i + delta, 0), len(ids) - 1)]

    def nearest_in_lane(self, lane_no: int) -> str | None:
        """The attempt of `lane_no` nearest in time to the selection (or to the middle of the view)."""
        self.lane_cursor = lane_no
        lane = self.lanes[lane_no]
        if not lane.ids:
            return None
        t = self.time_of(self.selected) if self.selected is not None else None
        if t is None:
            t = self.start + self.span / 2
        j = bisect_left(lane.times, t)
        candidates = [k for k in (j - 1, j) if 0 <= k < len(lane.ids)]
        return lane.ids[min(candidates, key=lambda k: abs(lane.times[k] - t))]

    def first_or_last(self, last: bool) -> str | None:
        """The first (Home) or last (End) attempt of the current lane."""
        ids = self.lanes[self.lane_cursor].ids
        if not ids:
            return None
        return ids[-1 if last else 0]
