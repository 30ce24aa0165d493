"""The outcome timeline, its palette and legend: painted pixels, hover, selection, keyboard, zoom, filter, density."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QHelpEvent, QImage, QPalette, QWheelEvent
from PySide6.QtWidgets import QApplication, QToolTip

from sipsight.core.models import Attempt, OutcomeClass
from sipsight.gui import palette
from sipsight.gui.legend import OutcomeLegend
from sipsight.gui.timeline import EMPTY_TEXT, FILTERED_TEXT, LANE_OTHER, LANE_THIS, TimelineWidget

DEST = "+13035550199"
CALLER = "+17205550100"
T0 = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)


def make(n: int, when: datetime, outcome: OutcomeClass, to: str = DEST, **extra) -> Attempt:
    return Attempt(id=f"CAtest{n:05d}", start_time=when, **{"from": CALLER}, to=to, outcome=outcome, **extra)


def origin_like() -> tuple[list[Attempt], list[Attempt]]:
    """Connected calls days ago, then a run of voicemail; the caller's other calls connect."""
    dest = [make(k, T0 + timedelta(days=k), OutcomeClass.CONNECTED, provider_status="completed") for k in range(3)]
    dest += [
        make(10 + k, T0 + timedelta(days=4, hours=3 * k), OutcomeClass.VOICEMAIL, provider_status="completed",
             answered_by="machine_end_beep", sip_code=200, sip_reason="OK")
        for k in range(5)
    ]  # fmt: skip
    other = [
        make(100 + k, T0 + timedelta(days=k, hours=5), OutcomeClass.BUSY, to=f"+1212555010{k}", provider_status="busy")
        for k in range(5)
    ]
    return dest, other


@pytest.fixture
def timeline(qtbot) -> TimelineWidget:
    widget = TimelineWidget()
    qtbot.addWidget(widget)
    widget.resize(800, 180)
    return widget


def pixels_of(image: QImage, color: QColor, rect) -> int:
    """How many pixels inside rect have exactly this colour (glyph interiors are solid fills)."""
    target = color.rgb() & 0xFFFFFF
    count = 0
    for y in range(max(0, int(rect.top())), min(image.height(), int(rect.bottom()))):
        for x in range(max(0, int(rect.left())), min(image.width(), int(rect.right()))):
            if image.pixel(x, y) & 0xFFFFFF == target:
                count += 1
    return count


def grab(widget) -> QImage:
    image = widget.grab().toImage()
    # the tests reason in device-independent pixels
    return image.scaled(widget.size()) if image.size() != widget.size() else image


def glyph_point(widget: TimelineWidget, attempt: Attempt, lane: int) -> QPoint:
    return QPoint(round(widget.x_for_time(attempt.start_time)), round(widget.lane_rect(lane).center().y()))


# --------------------------------------------------------------------------- palette


def test_every_outcome_has_its_own_glyph_label_and_colours() -> None:
    assert set(palette.OUTCOME_ORDER) == set(OutcomeClass)
    glyphs = {palette.glyph_name(o) for o in OutcomeClass}
    labels = {palette.outcome_label(o) for o in OutcomeClass}
    assert len(glyphs) == len(OutcomeClass), "colour must never be the only signal"
    assert len(labels) == len(OutcomeClass)
    assert palette.outcome_label(OutcomeClass.NETWORK_BLOCKED) == "Network blocked"
    for dark in (False, True):
        colors = {palette.outcome_color(o, dark).name() for o in OutcomeClass}
        assert len(colors) == len(OutcomeClass)
    for o in OutcomeClass:
        # WCAG 2.1 non-text contrast (>= 3:1) on a white view and on a dark one
        assert contrast(palette.outcome_color(o, False), QColor("#ffffff")) >= 3.0, o
        assert contrast(palette.outcome_color(o, True), QColor("#1f1f22")) >= 3.0, o


def contrast(a: QColor, b: QColor) -> float:
    def luminance(c: QColor) -> float:
        channels = [
            x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in (c.redF(), c.greenF(), c.blueF())
        ]
        return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_glyph_paths_fit_their_box_and_icons_render(qtbot) -> None:
    for o in OutcomeClass:
        path = palette.glyph_path(o, 12)
        box = path.boundingRect()
        assert not path.isEmpty()
        assert box.width() <= 12 * 1.25 and box.height() <= 12.5, (o, box)  # the voicemail tape is a bit wide
        assert abs(box.center().y()) < 1.5
        icon = palette.outcome_icon(o, 16, dark=False)
        assert not icon.isNull()
        image = icon.pixmap(16, 16).toImage()
        assert pixels_of(image, palette.outcome_color(o, False), image.rect()) > 8


def test_is_dark_reads_the_window_colour() -> None:
    pal = QPalette()
    pal.setColor(QPalette.ColorRole.Window, QColor("#202020"))
    assert palette.is_dark(pal)
    pal.setColor(QPalette.ColorRole.Window, QColor("#f0f0f0"))
    assert not palette.is_dark(pal)


# --------------------------------------------------------------------------- painting


def test_attempts_are_painted_in_their_lane_with_their_colour(timeline: TimelineWidget) -> None:
    dest, other = origin_like()
    timeline.set_attempts(dest, other, tz="UTC")
    image = grab(timeline)
    dark = palette.is_dark(timeline)
    green = palette.outcome_color(OutcomeClass.CONNECTED, dark)
    orange = palette.outcome_color(OutcomeClass.BUSY, dark)
    blue = palette.outcome_color(OutcomeClass.VOICEMAIL, dark)
    this_lane, other_lane = timeline.lane_rect(LANE_THIS), timeline.lane_rect(LANE_OTHER)
    assert pixels_of(image, green, this_lane) > 20
    assert pixels_of(image, blue, this_lane) > 10
    assert pixels_of(image, orange, other_lane) > 10
    assert pixels_of(image, green, other_lane) == 0
    assert pixels_of(image, orange, this_lane) == 0
    # the first connected call sits where the time axis says
    x = timeline.x_for_time(dest[0].start_time)
    column = this_lane.adjusted(0, 0, 0, 0)
    column.setLeft(x - 5)
    column.setRight(x + 5)
    assert pixels_of(image, green, column) > 10


def test_empty_state_and_filtered_state(timeline: TimelineWidget) -> None:
    timeline.set_attempts([], [], tz="UTC")
    assert timeline.empty_message() == EMPTY_TEXT
    assert EMPTY_TEXT in timeline.accessibleDescription()
    image = grab(timeline)
    for o in OutcomeClass:
        assert pixels_of(image, palette.outcome_color(o, False), timeline.lane_rect(LANE_THIS)) == 0
    dest, other = origin_like()
    timeline.set_attempts(dest, other)
    assert timeline.empty_message() == ""
    timeline.set_hidden_outcomes(set(OutcomeClass))
    assert timeline.empty_message() == FILTERED_TEXT
    timeline.clear()
    assert timeline.empty_message() == EMPTY_TEXT


def test_dark_palette_switches_to_the_dark_variants(timeline: TimelineWidget) -> None:
    dest, other = origin_like()
    timeline.set_attempts(dest, other, tz="UTC")
    pal = QPalette(timeline.palette())
    for role, color in ((QPalette.ColorRole.Window, "#2b2b2e"), (QPalette.ColorRole.Base, "#1f1f22"),
                        (QPalette.ColorRole.Text, "#e6e6e6")):  # fmt: skip
        pal.setColor(role, QColor(color))
    timeline.setPalette(pal)  # PaletteChange must invalidate the cached layer
    image = grab(timeline)
    lane = timeline.lane_rect(LANE_THIS)
    assert pixels_of(image, palette.outcome_color(OutcomeClass.CONNECTED, True), lane) > 20
    assert pixels_of(image, palette.outcome_color(OutcomeClass.CONNECTED, False), lane) == 0


def test_overlapping_attempts_are_grouped_with_counts(timeline: TimelineWidget) -> None:
    burst = [make(k, T0 + timedelta(minutes=k), OutcomeClass.VOICEMAIL) for k in range(6)]
    spread = [make(50, T0 + timedelta(days=2), OutcomeClass.CONNECTED)]
    timeline.set_attempts(burst + spread, [], tz="UTC")
    grab(timeline)
    hits = timeline.lane_hits(LANE_THIS)
    assert not hits.dense
    assert [len(c.members) for c in hits.clusters] == [6, 1]
    assert hits.clusters[0].rows[0][2] == 6


def test_ten_thousand_attempts_become_dense_bars_and_stay_interactive(timeline: TimelineWidget) -> None:
    classes = list(OutcomeClass)
    dest = [make(k, T0 + timedelta(seconds=61 * k), classes[k % len(classes)]) for k in range(0, 10_000, 10)]
    other = [
        make(k, T0 + timedelta(seconds=60 * k), classes[k % 5], to="+12125550100") for k in range(10_000) if k % 10
    ]
    timeline.set_attempts(dest, other, tz="Europe/Berlin")
    image = grab(timeline)
    this, strip = timeline.lane_hits(LANE_THIS), timeline.lane_hits(LANE_OTHER)
    assert this.dense and not this.buckets
    assert strip.buckets and sum(strip.col_totals) == len(other)
    busy = palette.outcome_color(classes[3], palette.is_dark(timeline))
    assert pixels_of(image, busy, timeline.lane_rect(LANE_OTHER)) > 50
    x = timeline.x_for_time(dest[len(dest) // 2].start_time)
    text = timeline.tooltip_at(QPointF(x, timeline.lane_rect(LANE_THIS).center().y()))
    assert "attempts" in text and "Zoom in" in text
    timeline.zoom_by(200.0, x)
    grab(timeline)
    assert not timeline.lane_hits(LANE_THIS).dense


def test_the_other_calls_are_a_strip_of_bars_per_time_bucket_at_the_panels_width(
    timeline: TimelineWidget, qtbot
) -> None:
    """At 440 px the caller's other calls read as one bar per time bucket, counted and stacked by outcome, never
    as a grid of glyphs with +n badges; selecting a call outlines its bar and leaves the counts as they were."""
    from sipsight.gui.timeline_layout import bucket_words

    dest, _few = origin_like()
    kinds = [OutcomeClass.CONNECTED, OutcomeClass.VOICEMAIL, OutcomeClass.NO_ANSWER, OutcomeClass.UNREACHABLE]
    other = [
        make(200 + k, T0 + timedelta(minutes=83 * k), kinds[k % 4], to=f"+1212555{k % 100:04d}") for k in range(120)
    ]
    timeline.resize(420, 320)
    timeline.set_attempts(dest, other, tz="UTC")
    grab(timeline)
    strip = timeline.lane_hits(LANE_OTHER)
    assert strip.buckets and not strip.clusters
    assert sum(strip.col_totals) == len(other)
    assert strip.col_w >= 22  # wide enough for a count above each bar
    step = strip.col_dt
    assert step % 3600 == 0 and bucket_words(int(step)).endswith("hours")
    starts = {strip.col_t0 + k * step for k in range(len(strip.col_totals))}
    assert all(t % 3600 == 0 for t in starts)  # buckets begin on whole hours (UTC): they line up with the axis
    for k, total in enumerate(strip.col_totals):
        assert total == sum(strip.column(k).values())
    k = max(range(len(strip.col_totals)), key=strip.col_totals.__getitem__)
    centre = QPointF(strip.col_x0 + (k + 0.5) * strip.col_w, timeline.lane_rect(LANE_OTHER).bottom() - 6)
    tip = timeline.tooltip_at(centre)
    assert f"{strip.col_totals[k]} calls" in tip and "+" not in tip.split("<br>")[0]

    before = grab(timeline)
    member = other[len(other) // 2]
    timeline.select(member.id)
    after = grab(timeline)
    assert timeline.selected_id() == member.id
    band = timeline.lane_rect(LANE_OTHER)
    changed = sum(
        1
        for x in range(int(band.left()), int(band.right()), 2)
        for y in range(int(band.top()), int(band.bottom()), 2)
        if before.pixel(x, y) != after.pixel(x, y)
    )
    area = (band.width() / 2) * (band.height() / 2)
    assert 0 < changed < area * 0.15  # an outline and a line, not a redrawn lane


# --------------------------------------------------------------------------- hover, click, keyboard


def test_hover_tooltip_shows_code_reason_and_details(timeline: TimelineWidget, qtbot) -> None:
    blocked = make(1, T0, OutcomeClass.NETWORK_BLOCKED, provider_status="failed", sip_code=603,
                   sip_reason="Network Blocked", q850_cause=21, ring_s=0.4, carrier="Verizon Wireless")  # fmt: skip
    ok = make(2, T0 + timedelta(hours=5), OutcomeClass.CONNECTED, duration_s=93.0, answered_by="human")
    timeline.set_attempts([blocked, ok], [], tz="America/Denver")
    timeline.show()
    qtbot.waitExposed(timeline)
    pos = glyph_point(timeline, blocked, LANE_THIS)
    event = QHelpEvent(QEvent.Type.ToolTip, pos, timeline.mapToGlobal(pos))
    QApplication.sendEvent(timeline, event)
    text = QToolTip.text()
    assert "603+" in text and "Network Blocked" in text
    assert "Network blocked" in text  # the class label
    assert "MST" in text  # the display time zone, November in Denver
    assert "+1 720-555-0100 → +1 303-555-0199" in text
    assert "Verizon Wireless" in text and blocked.id in text and "failed" in text
    QToolTip.hideText()
    assert timeline.tooltip_at(QPointF(timeline.width() / 2, 2)) == ""


def test_masked_numbers_in_tooltips(timeline: TimelineWidget) -> None:
    a = make(1, T0, OutcomeClass.CONNECTED)
    timeline.set_attempts([a], [], tz="UTC")
    timeline.set_mask_numbers(True)
    text = timeline.attempt_tooltip(a)
    assert "0199" not in text and "+1 303 •••-••99" in text


def test_click_selects_and_double_click_activates(timeline: TimelineWidget, qtbot) -> None:
    dest, other = origin_like()
    timeline.set_attempts(dest, other, tz="UTC")
    timeline.show()
    qtbot.waitExposed(timeline)
    target = other[2]
    with qtbot.waitSignal(timeline.attempt_selected, timeout=1000) as blocker:
        qtbot.mouseClick(timeline, Qt.MouseButton.LeftButton, pos=glyph_point(timeline, target, LANE_OTHER))
    assert blocker.args == [target.id]
    assert timeline.selected_id() == target.id
    with qtbot.waitSignal(timeline.attempt_activated, timeout=1000) as blocker:
        qtbot.mouseDClick(timeline, Qt.MouseButton.LeftButton, pos=glyph_point(timeline, dest[0], LANE_THIS))
    assert blocker.args == [dest[0].id]
    # clicking empty band space clears, and says so with ""
    empty = QPoint(round(timeline.x_for_time(dest[0].start_time + timedelta(hours=12))), 40)
    with qtbot.waitSignal(timeline.attempt_selected, timeout=1000) as blocker:
        qtbot.mouseClick(timeline, Qt.MouseButton.LeftButton, pos=empty)
    assert blocker.args == [""]
    assert timeline.selected_id() is None


def test_programmatic_select_does_not_emit(timeline: TimelineWidget, qtbot) -> None:
    dest, other = origin_like()
    timeline.set_attempts(dest, other, tz="UTC")
    with qtbot.assertNotEmitted(timeline.attempt_selected):
        timeline.select(dest[4].id)
    assert timeline.selected_id() == dest[4].id
    timeline.select("CAnotthere")
    assert timeline.selected_id() is None


def test_keyboard_navigation_order(timeline: TimelineWidget, qtbot) -> None:
    dest, other = origin_like()
    timeline.set_attempts(dest, other, tz="UTC")
    timeline.show()
    qtbot.waitExposed(timeline)
    timeline.setFocus()
    seen: list[str] = []
    timeline.attempt_selected.connect(seen.append)
    timeline.select(dest[0].id)
    for _ in range(3):
        qtbot.keyClick(timeline, Qt.Key.Key_Right)
    assert seen == [dest[1].id, dest[2].id, dest[3].id]
    qtbot.keyClick(timeline, Qt.Key.Key_Left)
    assert timeline.selected_id() == dest[2].id
    qtbot.keyClick(timeline, Qt.Key.Key_Down)  # nearest in time in the other lane
    assert timeline.selected_id() == other[2].id
    qtbot.keyClick(timeline, Qt.Key.Key_End)
    assert timeline.selected_id() == other[-1].id
    qtbot.keyClick(timeline, Qt.Key.Key_Right)  # stays on the last one
    assert timeline.selected_id() == other[-1].id
    qtbot.keyClick(timeline, Qt.Key.Key_Up)
    qtbot.keyClick(timeline, Qt.Key.Key_Home)
    assert timeline.selected_id() == dest[0].id
    with qtbot.waitSignal(timeline.attempt_activated, timeout=1000) as blocker:
        qtbot.keyClick(timeline, Qt.Key.Key_Return)
    assert blocker.args == [dest[0].id]
    qtbot.keyClick(timeline, Qt.Key.Key_Escape)
    assert timeline.selected_id() is None and seen[-1] == ""
    # nothing selected: arrows pan instead
    before = timeline.view_range()
    qtbot.keyClick(timeline, Qt.Key.Key_Right)
    assert timeline.view_range()[0] > before[0]


def test_zoom_fit_and_pan(timeline: TimelineWidget, qtbot) -> None:
    dest, other = origin_like()
    timeline.set_attempts(dest, other, tz="UTC")
    timeline.show()
    qtbot.waitExposed(timeline)
    start, end = timeline.view_range()
    fit_span = end - start
    assert start <= min(a.start_time for a in dest + other) and end >= max(a.start_time for a in dest + other)
    qtbot.keyClick(timeline, Qt.Key.Key_Plus)
    assert timeline.view_range()[1] - timeline.view_range()[0] < fit_span * 0.7
    # Ctrl+wheel zooms around the cursor: the time under it stays put
    anchor = QPointF(200, 60)
    t_before = timeline.time_at(anchor.x())
    wheel = QWheelEvent(anchor, timeline.mapToGlobal(anchor), QPoint(0, 0), QPoint(0, 240), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.ControlModifier, Qt.ScrollPhase.NoScrollPhase, False)  # fmt: skip
    QApplication.sendEvent(timeline, wheel)
    assert abs((timeline.time_at(anchor.x()) - t_before).total_seconds()) < 1.0
    zoomed = timeline.view_range()
    qtbot.keyClick(timeline, Qt.Key.Key_Minus)
    assert timeline.view_range()[1] - timeline.view_range()[0] > zoomed[1] - zoomed[0]
    # drag pans: dragging right shows earlier times
    before = timeline.view_range()[0]
    qtbot.mousePress(timeline, Qt.MouseButton.LeftButton, pos=QPoint(400, 60))
    qtbot.mouseMove(timeline, QPoint(500, 60))
    qtbot.mouseRelease(timeline, Qt.MouseButton.LeftButton, pos=QPoint(500, 60))
    assert timeline.view_range()[0] < before
    assert timeline.selected_id() is None  # a drag is not a click
    qtbot.keyClick(timeline, Qt.Key.Key_F)
    assert timeline.view_range()[1] - timeline.view_range()[0] == fit_span
    timeline.zoom_by(1e9)
    assert (timeline.view_range()[1] - timeline.view_range()[0]).total_seconds() >= 60


def test_axis_ticks_follow_the_zoom_and_the_time_zone(timeline: TimelineWidget) -> None:
    dest, other = origin_like()
    timeline.set_attempts(dest, other, tz="UTC")
    days = timeline.axis_ticks()
    assert days.step >= 86400 / 2
    timeline.set_view(T0, T0 + timedelta(hours=3))
    hours = timeline.axis_ticks()
    assert hours.step < 3600
    labels = [label for _x, label in hours.minor]
    assert "15:00" in labels
    timeline.set_attempts(dest, other, tz="America/Denver")
    timeline.set_view(T0, T0 + timedelta(hours=3))
    assert "08:00" in [label for _x, label in timeline.axis_ticks().minor]
    timeline.set_attempts(dest, other, tz="Not/AZone")
    assert "UTC" in timeline.time_zone_label()


def test_focus_frame_and_accessibility(timeline: TimelineWidget, qtbot) -> None:
    dest, other = origin_like()
    timeline.set_attempts(dest, other, tz="UTC")
    assert timeline.focusPolicy() == Qt.FocusPolicy.StrongFocus
    assert timeline.accessibleName()
    assert "This number: 8 attempts" in timeline.accessibleDescription()
    timeline.show()
    qtbot.waitExposed(timeline)
    unfocused = grab(timeline)
    timeline.setFocus()
    qtbot.waitUntil(timeline.hasFocus)
    focused = grab(timeline)
    highlight = timeline.palette().color(QPalette.ColorRole.Highlight)
    assert pixels_of(focused, highlight, focused.rect()) > pixels_of(unfocused, highlight, unfocused.rect()) + 100


# --------------------------------------------------------------------------- legend


def test_legend_lists_present_classes_and_filters_the_timeline(timeline: TimelineWidget, qtbot) -> None:
    dest, other = origin_like()
    timeline.set_attempts(dest, other, tz="UTC")
    legend = OutcomeLegend()
    qtbot.addWidget(legend)
    legend.set_attempts(dest + other)
    legend.filter_changed.connect(timeline.set_hidden_outcomes)
    legend.resize(420, legend.heightForWidth(420))
    legend.show()
    qtbot.waitExposed(legend)
    shown = [o for o in OutcomeClass if not legend.item(o).isHidden()]
    assert shown == [OutcomeClass.CONNECTED, OutcomeClass.VOICEMAIL, OutcomeClass.BUSY]
    assert legend.item(OutcomeClass.VOICEMAIL).count == 5
    with qtbot.waitSignal(legend.filter_changed, timeout=1000) as blocker:
        qtbot.mouseClick(legend.item(OutcomeClass.CONNECTED), Qt.MouseButton.LeftButton)
    assert blocker.args == [{OutcomeClass.CONNECTED}]
    image = grab(timeline)
    green = palette.outcome_color(OutcomeClass.CONNECTED, palette.is_dark(timeline))
    assert pixels_of(image, green, timeline.lane_rect(LANE_THIS)) == 0
    assert pixels_of(image, palette.outcome_color(OutcomeClass.VOICEMAIL, False), timeline.lane_rect(LANE_THIS)) > 0
    assert "hidden" in legend.item(OutcomeClass.CONNECTED).accessibleName()
    # Ctrl+click: only this class; again: everything
    qtbot.mouseClick(legend.item(OutcomeClass.BUSY), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier)
    assert timeline.hidden_outcomes() == {OutcomeClass.CONNECTED, OutcomeClass.VOICEMAIL}
    qtbot.mouseClick(legend.item(OutcomeClass.BUSY), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier)
    assert timeline.hidden_outcomes() == set()
    with qtbot.assertNotEmitted(legend.filter_changed):
        legend.set_hidden_outcomes({OutcomeClass.BUSY})
    assert not legend.item(OutcomeClass.BUSY).isChecked()


def test_legend_wraps_to_fit_a_narrow_window(qtbot) -> None:
    legend = OutcomeLegend()
    qtbot.addWidget(legend)
    legend.set_outcomes(None)
    one_line = legend.heightForWidth(4000)
    narrow = legend.heightForWidth(420)
    assert narrow > one_line
    legend.resize(420, narrow)
    legend.show()
    qtbot.waitExposed(legend)
    for o in OutcomeClass:
        geometry = legend.item(o).geometry()
        assert geometry.right() <= 420 and geometry.bottom() <= narrow, o


def test_a_squeezed_timeline_keeps_its_axis_inside(timeline: TimelineWidget) -> None:
    dest, other = origin_like()
    timeline.set_attempts(dest, other, tz="UTC")
    for height in (timeline.minimumSizeHint().height(), timeline.sizeHint().height(), 400):
        timeline.resize(420, height)
        assert timeline.axis_top() + 34 <= height, height
        assert timeline.lane_rect(LANE_THIS).bottom() < timeline.lane_rect(LANE_OTHER).top()
    assert timeline.lane_rect(LANE_THIS).height() > timeline.minimumSizeHint().height() / 4


def test_lane_titles_and_axis_grow_with_a_large_font(timeline: TimelineWidget) -> None:
    """Presenter mode uses larger fonts: the lane titles and the two axis rows must not clip."""
    from PySide6.QtGui import QFont, QFontMetricsF

    dest, other = origin_like()
    timeline.set_attempts(dest, other, tz="UTC")
    timeline.resize(800, timeline.sizeHint().height())
    default_gap = timeline.lane_rect(LANE_OTHER).top() - timeline.lane_rect(LANE_THIS).bottom()
    big = QFont(timeline.font())
    big.setPointSizeF(26)
    timeline.setFont(big)
    timeline.resize(800, timeline.sizeHint().height())
    title = QFont(big)
    title.setWeight(QFont.Weight.Bold)
    title_h = QFontMetricsF(title).height()
    assert timeline.lane_rect(LANE_THIS).top() - 6 >= title_h + 3  # room above the first band
    gap = timeline.lane_rect(LANE_OTHER).top() - timeline.lane_rect(LANE_THIS).bottom()
    assert gap > default_gap and gap >= title_h + 3  # and above the second
    small = QFontMetricsF(timeline.scene.font("small"))
    assert timeline.axis_top() + 5 + 2 * small.height() <= timeline.height()  # both axis label rows inside
    image = QImage(timeline.size(), QImage.Format.Format_ARGB32_Premultiplied)
    timeline.render(image)  # paints without error at the large size
