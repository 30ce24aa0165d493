"""The call-flow chart as a widget for the training window; the painting is `sipsight.export.callflow_chart`."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize
from PySide6.QtGui import QHelpEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from sipsight.core.replies import callflow
from sipsight.export.callflow_chart import ChartColors, chart_layout, node_rects, paint_callflow, path_caption
from sipsight.gui.palette import is_dark

__all__ = ["CallflowView", "path_caption"]


class CallflowView(QWidget):
    """The chart as a widget: scales to its size, keeps its aspect; `set_path` marks a case."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CallflowView")
        self._path: list[str] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName("Call flow chart")
        self.setMouseTracking(True)
        self._update_description()

    def set_path(self, path: Sequence[str]) -> None:
        self._path = list(path)
        self._update_description()
        self.update()

    def path(self) -> list[str]:
        return list(self._path)

    def caption(self) -> str:
        return path_caption(self._path)

    def chart_rect(self) -> QRectF:
        return QRectF(self.rect()).adjusted(4, 4, -4, -4)

    def node_rect(self, node_id: str) -> QRectF:
        return node_rects(self.chart_rect())[node_id]

    def _update_description(self) -> None:
        self.setAccessibleDescription(self.caption())

    def sizeHint(self) -> QSize:
        return QSize(960, 360)

    def minimumSizeHint(self) -> QSize:
        return QSize(480, 180)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        _, w, h = chart_layout()
        return round(width * h / w)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            from PySide6.QtWidgets import QToolTip

            pos = QPointF(event.pos())
            hit = next((nid for nid, r in node_rects(self.chart_rect()).items() if r.contains(pos)), None)
            if hit is None:
                QToolTip.hideText()
            else:
                node = callflow.NODE_BY_ID[hit]
                where = f" (step {self._path.index(hit) + 1} of this case)" if hit in self._path else ""
                QToolTip.showText(event.globalPos(), node.label + where, self)
            return True
        return super().event(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        dark = is_dark(self)
        painter.fillRect(self.rect(), ChartColors.for_theme(dark).background)
        paint_callflow(painter, self.chart_rect(), self._path, dark=dark)
        painter.end()
