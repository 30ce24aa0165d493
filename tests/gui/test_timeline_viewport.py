"""The timeline's view as plain data: times <-> x, fit, zoom, pan, clamping, selection and keyboard steps (no Qt)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from sipsight.gui.timeline_viewport import (
    DAY,
    HOUR,
    LANE_OTHER,
    LANE_THIS,
    MIN_SPAN,
    PAD_X,
    LaneIndex,
    TimelineViewport,
)

T0 = 1_795_000_000.0  # 18 November 2026, in POSIX seconds


def lanes(this: list[float], other: list[float]) -> list[LaneIndex]:
    return [
        LaneIndex([f"CAthis{k}" for k in range(len(this))], sorted(this)),
        LaneIndex([f"CAother{k}" for k in range(len(other))], sorted(other)),
    ]


@pytest.fixture
def view() -> TimelineViewport:
    v = TimelineViewport(width=828.0)  # an 800 px plot
    v.set_lanes(lanes([T0 + k * DAY for k in range(5)], [T0 + k * DAY + 5 * HOUR for k in range(5)]))
    v.fit()
    return v


def test_times_and_pixels_map_both_ways(view: TimelineViewport) -> None:
    assert view.plot_width == 800.0
    assert view.x_at(view.start) == PAD_X
    assert view.x_at(view.start + view.span) == pytest.approx(PAD_X + 800.0)
    for x in (0.0, PAD_X, 321.5, 828.0):
        assert view.x_at(view.t_at(x)) == pytest.approx(x, abs=1e-6)
    view.width = 10.0  # narrower than the padding: never a division by zero
    assert view.plot_width == 1.0


def test_fit_shows_every_attempt_with_room_for_a_glyph(view: TimelineViewport) -> None:
    first, last = T0, T0 + 4 * DAY + 5 * HOUR
    assert view.fitted
    assert view.start < first and view.start + view.span > last
    assert PAD_X + 20 < view.x_at(first) < PAD_X + 40  # a glyph and its count fit before the first attempt
    assert view.x_at(last) < view.width - PAD_X - 20


def test_fit_of_one_attempt_or_none(view: TimelineViewport) -> None:
    view.set_lanes(lanes([T0], []))
    view.fit()
    assert view.span == HOUR and view.start == T0 - HOUR / 2
    view.set_lanes(lanes([], []))
    view.fit(now=T0)
    assert (view.start, view.span) == (T0 - DAY, DAY)
    # every attempt hidden by the filter: fit what there is, hidden or not
    view.set_lanes(lanes([], []), all_extent=(T0, T0 + 2 * DAY))
    view.fit()
    assert view.start < T0 and view.start + view.span > T0 + 2 * DAY


def test_zoom_keeps_the_time_under_the_anchor_and_stops_at_its_limits(view: TimelineViewport) -> None:
    anchor = 200.0
    under = view.t_at(anchor)
    span = view.span
    assert view.zoom_by(4.0, anchor)
    assert view.span == pytest.approx(span / 4)
    assert view.t_at(anchor) == pytest.approx(under)
    assert not view.fitted
    view.zoom_by(1e9)
    assert view.span == MIN_SPAN
    view.zoom_by(1e-9)
    assert view.span == view.max_span() == pytest.approx(4 * (4 * DAY + 5 * HOUR))


def test_panning_never_loses_the_data(view: TimelineViewport) -> None:
    first, last = T0, T0 + 4 * DAY + 5 * HOUR
    for _ in range(50):
        view.pan(+1.0)
    assert view.start == pytest.approx(last - view.span * 0.1)  # a tenth of the view stays on the data
    for _ in range(100):
        view.pan(-0.1)
    assert view.start + view.span == pytest.approx(first + view.span * 0.1)
    assert not view.drag(view.start, +100.0)  # already at the left limit: a drag further right does nothing
    view.fit()
    start = view.start
    assert view.drag(start, +100.0)  # dragging right shows earlier times, by the dragged share of the plot...
    assert view.start == pytest.approx(start - 100.0 / view.plot_width * view.span)
    view.drag(start, -80.0)  # ...measured from where the drag began; left shows later ones
    assert view.start == pytest.approx(start + 80.0 / view.plot_width * view.span)


def test_a_fitted_view_follows_the_width_until_zoomed(view: TimelineViewport) -> None:
    assert view.resize(428.0)
    assert view.fitted and view.x_at(T0) > PAD_X
    view.zoom_by(2.0)
    shown = (view.start, view.span)
    view.resize(900.0)
    assert (view.start, view.span) == shown and not view.fitted


def test_visible_slice_is_the_attempts_in_the_plot(view: TimelineViewport) -> None:
    times = view.lanes[LANE_THIS].times
    assert view.visible_slice(times, 0) == (0, 5)
    view.set_view(T0 + 1.5 * DAY, DAY, clamp=False)
    assert view.visible_slice(times, 0) == (2, 3)
    assert view.visible_slice(times, view.plot_width) == (1, 4)  # a plot's width of margin each side


def test_select_scrolls_into_view_and_a_hidden_attempt_clears(view: TimelineViewport) -> None:
    view.set_view(T0, HOUR, clamp=False)
    assert view.select("CAthis3")
    assert view.selected == "CAthis3" and view.lane_cursor == LANE_THIS
    x = view.x_at(T0 + 3 * DAY)
    assert PAD_X <= x <= view.width - PAD_X
    assert not view.select("CAthis3")  # already selected: nothing changes
    assert view.select("CAnotthere") and view.selected is None
    view.select("CAother1")
    assert view.lane_cursor == LANE_OTHER
    # the filter hides it: the selection goes
    view.set_lanes(lanes([T0 + k * DAY for k in range(5)], []))
    assert view.selected is None


def test_keyboard_steps_stay_in_the_lane_and_stop_at_its_ends(view: TimelineViewport) -> None:
    assert view.step(+1) is None  # nothing selected: nothing to step from
    view.select("CAthis1")
    assert view.step(+1) == "CAthis2" and view.step(-1) == "CAthis0"
    view.select("CAthis4")
    assert view.step(+1) == "CAthis4"
    assert view.nearest_in_lane(LANE_OTHER) == "CAother4"  # nearest in time, in the other lane
    assert view.lane_cursor == LANE_OTHER
    assert view.first_or_last(last=False) == "CAother0" and view.first_or_last(last=True) == "CAother4"
    view.select(None)
    view.set_view(T0 + 2 * DAY, 10 * HOUR, clamp=False)  # nothing selected: nearest the middle of the view
    assert view.nearest_in_lane(LANE_THIS) == "CAthis2"
    view.set_lanes(lanes([T0], []))
    assert view.nearest_in_lane(LANE_OTHER) is None and view.first_or_last(last=True) is None


def test_find_tells_attempts_at_the_same_instant_apart() -> None:
    view = TimelineViewport()
    view.set_lanes([LaneIndex(["CAa", "CAb", "CAc"], [T0, T0, T0 + 60]), LaneIndex()])
    assert view.find("CAb") == (LANE_THIS, 1) and view.find("CAc") == (LANE_THIS, 2)
    assert view.find("CAz") is None


def test_the_viewport_needs_no_qt() -> None:
    code = "import sys, sipsight.gui.timeline_viewport; print(any(m.startswith('PySide6') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "False", out.stderr
