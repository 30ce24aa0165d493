"""Outcome colours, glyphs and labels: the one visual vocabulary of the timeline, the legend and the table.

Colours start from the Okabe-Ito and Paul Tol colour-blind-safe sets, each with a light-theme variant
(dark enough for >= 3:1 against a light window) and a dark-theme variant (light enough on a dark window).
Colour is never the only signal: every class also has its own glyph and a short label.

Public API:
    OUTCOME_ORDER                       the classes in display order (good to bad, then unknown)
    is_dark(palette_or_widget) -> bool  True when the window colour is dark (pick the dark variants)
    outcome_color(outcome, dark) -> QColor
    outcome_label(outcome) -> str       e.g. "Network blocked"
    glyph_name(outcome) -> str          e.g. "x" (what docs and accessibility texts call the shape)
    glyph_path(outcome, size) -> QPainterPath    centred on (0, 0), size tall (the voicemail tape is 1.2x wide)
    draw_glyph(painter, outcome, center, size, dark, outline=None)
    outcome_icon(outcome, size=16, dark=False) -> QIcon   1x and 2x pixmaps (HiDPI)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPalette, QPen, QPixmap, QTransform
from PySide6.QtWidgets import QWidget

from sipsight.core.models import OutcomeClass


@dataclass(frozen=True)
class OutcomeStyle:
    label: str
    light: str  # hex, for light windows
    dark: str  # hex, for dark windows
    glyph: str


# Order matters: legend order, table sort order of the outcome column, stacking order of dense bars.
_STYLES: dict[OutcomeClass, OutcomeStyle] = {
    OutcomeClass.CONNECTED: OutcomeStyle("Connected", "#009E73", "#3DD6A3", "circle"),
    OutcomeClass.VOICEMAIL: OutcomeStyle("Voicemail", "#0072B2", "#56B4E9", "tape"),
    OutcomeClass.NO_ANSWER: OutcomeStyle("No answer", "#967D00", "#F0E442", "ring"),
    OutcomeClass.BUSY: OutcomeStyle("Busy", "#B87300", "#F5B942", "bar"),
    OutcomeClass.CALLER_CANCELED: OutcomeStyle("Caller hung up", "#857565", "#B8A898", "triangle-left"),
    OutcomeClass.IN_PROGRESS: OutcomeStyle("In progress", "#2F86B0", "#88CCEE", "triangle-right"),
    OutcomeClass.DECLINED: OutcomeStyle("Declined", "#AA4499", "#E38BD3", "triangle-down"),
    OutcomeClass.NETWORK_BLOCKED: OutcomeStyle("Network blocked", "#D55E00", "#FF8A3D", "x"),
    OutcomeClass.PLATFORM_REJECTED: OutcomeStyle("Platform rejected", "#882255", "#E86FA5", "square"),
    OutcomeClass.INVALID_NUMBER: OutcomeStyle("Invalid number", "#332288", "#A393F0", "diamond"),
    OutcomeClass.UNREACHABLE: OutcomeStyle("Unreachable", "#5F7089", "#A3B4CC", "hexagon"),
    OutcomeClass.CARRIER_FAILURE: OutcomeStyle("Carrier failure", "#8C510A", "#D9A15A", "star"),
    OutcomeClass.UNKNOWN: OutcomeStyle("Unknown", "#707070", "#B0B0B0", "plus"),
}

OUTCOME_ORDER: tuple[OutcomeClass, ...] = tuple(_STYLES)
OUTCOME_INDEX: dict[OutcomeClass, int] = {o: i for i, o in enumerate(OUTCOME_ORDER)}


def _style(outcome: OutcomeClass | str) -> OutcomeStyle:
    try:
        return _STYLES[OutcomeClass(outcome)]
    except ValueError:
        return _STYLES[OutcomeClass.UNKNOWN]


def is_dark(source: QPalette | QWidget) -> bool:
    """Dark theme when the window colour is dark; works for any style or platform theme."""
    palette = source.palette() if isinstance(source, QWidget) else source
    return palette.color(QPalette.ColorRole.Window).lightnessF() < 0.5


@cache
def _color(outcome: OutcomeClass, dark: bool) -> QColor:
    style = _style(outcome)
    return QColor(style.dark if dark else style.light)


def outcome_color(outcome: OutcomeClass | str, dark: bool) -> QColor:
    """The class colour for a light (dark=False) or dark (dark=True) window. Returns a copy."""
    return QColor(_color(OutcomeClass(outcome) if outcome in OUTCOME_INDEX else OutcomeClass.UNKNOWN, dark))


def outcome_hex(outcome: OutcomeClass | str, dark: bool) -> str:
    style = _style(outcome)
    return style.dark if dark else style.light


def outcome_label(outcome: OutcomeClass | str) -> str:
    return _style(outcome).label


def glyph_name(outcome: OutcomeClass | str) -> str:
    return _style(outcome).glyph


def _polygon(path: QPainterPath, points: list[tuple[float, float]]) -> None:
    path.moveTo(*points[0])
    for point in points[1:]:
        path.lineTo(*point)
    path.closeSubpath()


def _regular(n: int, r: float, phase: float) -> list[tuple[float, float]]:
    return [(r * math.cos(phase + 2 * math.pi * k / n), r * math.sin(phase + 2 * math.pi * k / n)) for k in range(n)]


def _rotated_cross(r: float, w: float, angle: float) -> QPainterPath:
    """A plus of arm half-length r and arm width w, rotated by angle (radians)."""
    arm = QPainterPath()
    arm.addRect(QRectF(-r, -w / 2, 2 * r, w))
    arm2 = QPainterPath()
    arm2.addRect(QRectF(-w / 2, -r, w, 2 * r))
    shape = arm.united(arm2)
    if angle:
        shape = QTransform().rotateRadians(angle).map(shape)
    return shape


@cache
def _glyph_path(glyph: str, size: float) -> QPainterPath:
    r = size / 2
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.OddEvenFill)
    if glyph == "circle":
        path.addEllipse(QPointF(0, 0), r * 0.92, r * 0.92)
    elif glyph == "ring":
        path.addEllipse(QPointF(0, 0), r * 0.92, r * 0.92)
        path.addEllipse(QPointF(0, 0), r * 0.48, r * 0.48)
    elif glyph == "tape":  # the voicemail symbol: two reels joined by a bar, a little wider than the box
        rr, cx = r * 0.6, r * 0.62
        path.setFillRule(Qt.FillRule.WindingFill)
        path.addEllipse(QPointF(-cx, 0.0), rr, rr)
        path.addEllipse(QPointF(cx, 0.0), rr, rr)
        path.addRect(QRectF(-cx, rr * 0.15, 2 * cx, rr * 0.85))
        path = path.simplified()
        holes = QPainterPath()
        holes.addEllipse(QPointF(-cx, 0.0), rr * 0.32, rr * 0.32)
        holes.addEllipse(QPointF(cx, 0.0), rr * 0.32, rr * 0.32)
        path = path.subtracted(holes)
    elif glyph == "bar":
        path.addRoundedRect(QRectF(-r, -r * 0.36, 2 * r, r * 0.72), r * 0.18, r * 0.18)
    elif glyph == "square":
        path.addRect(QRectF(-r * 0.8, -r * 0.8, r * 1.6, r * 1.6))
    elif glyph == "diamond":
        _polygon(path, [(0, -r), (r, 0), (0, r), (-r, 0)])
    elif glyph == "triangle-down":
        _polygon(path, [(-r, -r * 0.75), (r, -r * 0.75), (0, r * 0.95)])
    elif glyph == "triangle-left":
        _polygon(path, [(r * 0.75, -r), (r * 0.75, r), (-r * 0.95, 0)])
    elif glyph == "triangle-right":
        _polygon(path, [(-r * 0.75, -r), (-r * 0.75, r), (r * 0.95, 0)])
    elif glyph == "hexagon":
        _polygon(path, _regular(6, r, math.pi / 6))
    elif glyph == "star":
        points = []
        for k in range(10):
            radius = r if k % 2 == 0 else r * 0.45
            angle = -math.pi / 2 + k * math.pi / 5
            points.append((radius * math.cos(angle), radius * math.sin(angle) + r * 0.08))
        _polygon(path, points)
    elif glyph == "x":
        path = _rotated_cross(r * 1.1, r * 0.5, math.pi / 4)
    else:  # "plus"
        path = _rotated_cross(r * 0.95, r * 0.48, 0.0)
    return path


def glyph_path(outcome: OutcomeClass | str, size: float) -> QPainterPath:
    """The class's shape centred on (0, 0), at most size tall and 1.25 x size wide (device-independent pixels)."""
    return QPainterPath(_glyph_path(glyph_name(outcome), float(size)))


def draw_glyph(
    painter: QPainter,
    outcome: OutcomeClass | str,
    center: QPointF,
    size: float,
    dark: bool,
    outline: QColor | None = None,
) -> None:
    """Fill the glyph at `center`; `outline` (usually the background) keeps touching glyphs apart."""
    path = _glyph_path(glyph_name(outcome), float(size))
    painter.save()
    painter.translate(center)
    if outline is not None:
        pen = QPen(outline, 1.0)
        pen.setCosmetic(True)
        painter.setPen(pen)
    else:
        painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(_color(OutcomeClass(outcome) if outcome in OUTCOME_INDEX else OutcomeClass.UNKNOWN, dark))
    painter.drawPath(path)
    painter.restore()


@cache
def _icon(outcome: OutcomeClass, size: int, dark: bool) -> QIcon:
    icon = QIcon()
    path = _glyph_path(glyph_name(outcome), size * 0.8)
    # Selected rows sit on the highlight colour: there the glyph is drawn white, keeping its shape readable.
    for mode, color in ((QIcon.Mode.Normal, _color(outcome, dark)), (QIcon.Mode.Selected, QColor("#ffffff"))):
        for scale in (1, 2):
            pixmap = QPixmap(size * scale, size * scale)
            pixmap.setDevicePixelRatio(scale)
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.translate(size / 2, size / 2)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(color)
            painter.drawPath(path)
            painter.end()
            icon.addPixmap(pixmap, mode)
    return icon


def outcome_icon(outcome: OutcomeClass | str, size: int = 16, dark: bool = False) -> QIcon:
    """A small icon of the glyph in the class colour (for tables, combos and menus)."""
    key = OutcomeClass(outcome) if outcome in OUTCOME_INDEX else OutcomeClass.UNKNOWN
    return _icon(key, int(size), bool(dark))
