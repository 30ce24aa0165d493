"""Toolbar icons drawn as vector paths in the palette's text colour: crisp at any scale, right in light and dark.

Themed icon sets differ per desktop (and are absent offscreen and on Windows), so the few icons the
side panel needs are drawn here instead of shipped as bitmaps.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap


def _history(p: QPainter, s: float) -> None:
    c = QPointF(s / 2, s / 2)
    r = s * 0.36
    path = QPainterPath()
    path.arcMoveTo(QRectF(c.x() - r, c.y() - r, 2 * r, 2 * r), 150)
    path.arcTo(QRectF(c.x() - r, c.y() - r, 2 * r, 2 * r), 150, -300)
    p.drawPath(path)
    # arrow head at the open end of the arc
    a = math.radians(150)
    tip = QPointF(c.x() + r * math.cos(a), c.y() - r * math.sin(a))
    p.drawLine(tip, tip + QPointF(-s * 0.02, -s * 0.16))
    p.drawLine(tip, tip + QPointF(s * 0.15, -s * 0.03))
    p.drawLine(c, c + QPointF(0, -r * 0.62))
    p.drawLine(c, c + QPointF(r * 0.5, r * 0.3))


def _polygon(p: QPainter, s: float, *points: tuple[float, float]) -> None:
    """A closed outline through points given as fractions of the icon size."""
    path = QPainterPath()
    path.moveTo(s * points[0][0], s * points[0][1])
    for x, y in points[1:]:
        path.lineTo(s * x, s * y)
    path.closeSubpath()
    p.drawPath(path)


def _pin(p: QPainter, s: float) -> None:
    _polygon(p, s, (0.36, 0.16), (0.64, 0.16), (0.6, 0.42), (0.72, 0.56), (0.28, 0.56), (0.4, 0.42))
    p.drawLine(QPointF(s * 0.5, s * 0.56), QPointF(s * 0.5, s * 0.86))


def _gear(p: QPainter, s: float) -> None:
    c = QPointF(s / 2, s / 2)
    outer, inner, teeth = s * 0.4, s * 0.29, 8
    path = QPainterPath()
    for i in range(teeth * 2):
        a0 = math.pi * 2 * i / (teeth * 2)
        a1 = math.pi * 2 * (i + 1) / (teeth * 2)
        r = outer if i % 2 == 0 else inner
        p0 = QPointF(c.x() + r * math.cos(a0), c.y() + r * math.sin(a0))
        p1 = QPointF(c.x() + r * math.cos(a1), c.y() + r * math.sin(a1))
        if i == 0:
            path.moveTo(p0)
        else:
            path.lineTo(p0)
        path.lineTo(p1)
    path.closeSubpath()
    p.drawPath(path)
    p.drawEllipse(c, s * 0.11, s * 0.11)


def _cap(p: QPainter, s: float) -> None:
    """A graduation cap: the training walkthrough."""
    _polygon(p, s, (0.5, 0.2), (0.92, 0.38), (0.5, 0.56), (0.08, 0.38))  # the board
    crown = QPainterPath()
    crown.moveTo(s * 0.26, s * 0.47)
    crown.lineTo(s * 0.26, s * 0.68)
    crown.quadTo(s * 0.5, s * 0.84, s * 0.74, s * 0.68)
    crown.lineTo(s * 0.74, s * 0.47)
    p.drawPath(crown)
    p.drawLine(QPointF(s * 0.92, s * 0.38), QPointF(s * 0.92, s * 0.66))


_DRAW = {"history": _history, "pin": _pin, "settings": _gear, "training": _cap}


def icon(name: str, color: QColor, size: int = 18) -> QIcon:
    """A 1x + 2x icon of `name` (history, pin, settings, training) stroked in `color`."""
    result = QIcon()
    for scale in (1, 2, 3):
        pixmap = QPixmap(size * scale, size * scale)
        pixmap.setDevicePixelRatio(scale)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(color, max(1.4, size / 11))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        _DRAW[name](painter, float(size))
        painter.end()
        result.addPixmap(pixmap)
    return result
