"""The Caller ID view's small chart: one bar per day of the window, its height the day's calls, stacked as the
calls a person answered (the connected colour), the blocked-family answers (603, 603+, 607, 608: the blocked colour)
and the rest (muted). Colour is never the only signal: the caption under it names each part and the tooltip of a day
gives its numbers."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QHelpEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from sipsight.core.health import DayRow
from sipsight.core.models import OutcomeClass
from sipsight.gui.palette import is_dark, outcome_color

LEFT, BOTTOM, TOP = 28.0, 16.0, 6.0


def _pct(rate: float | None) -> str:
    return "n/a" if rate is None else f"{round(rate * 100)}%"


class HealthChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.days: list[DayRow] = []
        self.setMinimumHeight(110)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(True)
        self.setAccessibleName("Calls per day")

    def sizeHint(self) -> QSize:
        return QSize(400, 120)

    def set_days(self, days: list[DayRow]) -> None:
        self.days = list(days)
        total = sum(d.calls for d in days)
        self.setAccessibleDescription(f"{len(days)} days, {total} calls")
        self.update()

    def _slot(self) -> float:
        return (self.width() - LEFT - 2) / max(1, len(self.days))

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        dark = is_dark(self)
        muted = self.palette().color(self.foregroundRole())
        muted.setAlphaF(0.35)
        text = self.palette().color(self.foregroundRole())
        answered = outcome_color(OutcomeClass.CONNECTED, dark)
        blocked = outcome_color(OutcomeClass.NETWORK_BLOCKED, dark)
        height = self.height() - BOTTOM - TOP
        top = max((d.calls for d in self.days), default=0)
        p.setPen(text)
        font = p.font()
        font.setPixelSize(10)
        p.setFont(font)
        p.drawText(QRectF(0, TOP - 4, LEFT - 4, 14), Qt.AlignmentFlag.AlignRight, str(top))
        p.drawText(QRectF(0, TOP + height - 10, LEFT - 4, 14), Qt.AlignmentFlag.AlignRight, "0")
        axis = QColor(text)
        axis.setAlphaF(0.4)
        p.setPen(axis)
        p.drawLine(QPointF(LEFT, TOP + height), QPointF(self.width() - 2, TOP + height))
        if not top:
            return
        slot = self._slot()
        bar = max(1.0, slot * 0.72)
        for i, d in enumerate(self.days):
            x = LEFT + i * slot + (slot - bar) / 2
            y = TOP + height
            codes = sum(d.codes.values())
            rest = max(0, d.calls - d.answered - codes)
            for n, colour in ((codes, blocked), (d.answered, answered), (rest, muted)):
                h = height * n / top
                if h > 0:
                    p.fillRect(QRectF(x, y - h, bar, h), colour)
                    y -= h
        p.setPen(text)
        if self.days:
            first, last = self.days[0].day[5:], self.days[-1].day[5:]
            p.drawText(QRectF(LEFT, TOP + height + 2, 60, 14), Qt.AlignmentFlag.AlignLeft, first)
            p.drawText(QRectF(self.width() - 62, TOP + height + 2, 60, 14), Qt.AlignmentFlag.AlignRight, last)
        p.end()

    def event(self, e) -> bool:  # type: ignore[no-untyped-def]
        if e.type() == e.Type.ToolTip and isinstance(e, QHelpEvent) and self.days:
            i = int((e.pos().x() - LEFT) // self._slot())
            if 0 <= i < len(self.days):
                d = self.days[i]
                codes = ", ".join(f"{k}: {v}" for k, v in d.codes.items()) or "none"
                QToolTip.showText(
                    e.globalPos(),
                    f"{d.day}: {d.calls} calls, a person answered {d.answered} ({_pct(d.answer_rate)}); "
                    f"blocked-family codes: {codes}",
                    self,
                )
                return True
        return super().event(e)
