"""Check boxes and radio buttons that can be seen in both schemes.

Fusion draws them in the palette's base colour with an outline a shade darker than the window: on the dark
window that is a dark square on a dark background (about 1.1:1). `IndicatorStyle` is Fusion with these two
indicators drawn here: a border in the theme's `indicator` colour (at least 3:1 against the window and the
inputs, WCAG's non-text contrast, checked by tests/gui/test_theme.py), the accent filled in when checked, and a
check mark or dot in the accent's text colour.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QProxyStyle, QStyle, QStyleOption, QWidget


class IndicatorStyle(QProxyStyle):
    def __init__(self, colors: dict[str, str]) -> None:
        super().__init__("Fusion")
        self.colors = {key: QColor(value) for key, value in colors.items()}

    def drawPrimitive(
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        pe = QStyle.PrimitiveElement
        if element not in (pe.PE_IndicatorCheckBox, pe.PE_IndicatorRadioButton):
            super().drawPrimitive(element, option, painter, widget)
            return
        state = option.state
        on = bool(state & QStyle.StateFlag.State_On)
        partly = bool(state & QStyle.StateFlag.State_NoChange)
        enabled = bool(state & QStyle.StateFlag.State_Enabled)
        c = self.colors
        box = QRectF(option.rect).adjusted(1.5, 1.5, -1.5, -1.5)
        side = min(box.width(), box.height())
        box = QRectF(box.center().x() - side / 2, box.center().y() - side / 2, side, side)
        border = c["accent"] if (on or partly) else c["indicator"]
        fill = c["accent"] if (on or partly) else c["base"]
        if not enabled:
            border, fill = c["border"], c["alt"]
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(border, 1.5))
        painter.setBrush(fill)
        mark = c["accent_text"] if enabled else c["muted"]
        if element == pe.PE_IndicatorRadioButton:
            painter.drawEllipse(box)
            if on:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(mark)
                painter.drawEllipse(box.center(), side * 0.22, side * 0.22)
        else:
            painter.drawRoundedRect(box, 3, 3)
            pen = QPen(mark, max(1.6, side * 0.14))
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            x, y, s = box.left(), box.top(), side
            if partly:
                painter.drawLine(QPointF(x + s * 0.27, y + s * 0.5), QPointF(x + s * 0.73, y + s * 0.5))
            elif on:
                tick = QPainterPath(QPointF(x + s * 0.24, y + s * 0.52))
                tick.lineTo(QPointF(x + s * 0.43, y + s * 0.71))
                tick.lineTo(QPointF(x + s * 0.77, y + s * 0.31))
                painter.drawPath(tick)
        painter.restore()
