"""The outcome legend: glyph + colour + label (+ count) per class, wrapping to fit a narrow window; doubles as a filter.

Public API (OutcomeLegend):
    set_attempts(attempts)                   show the classes present, with counts (keeps the filter)
    set_outcomes(outcomes=None, counts=None) show these classes (None: all 13), counts optional
    hidden_outcomes() -> set[OutcomeClass];  set_hidden_outcomes(set)  (programmatic: does not emit)
    clear_filter()                           show every class again (emits)
    signal filter_changed(set[OutcomeClass]) the classes the user has HIDDEN; feed it to
                                             TimelineWidget.set_hidden_outcomes / AttemptsTableView.set_hidden_outcomes

Clicking (or Space on) an item toggles its class; Ctrl+click / Alt+click shows only that class (again: all).
The set holds hidden classes rather than shown ones so a class that appears in a later lookup is visible.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QEnterEvent,
    QFont,
    QFontMetricsF,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QSizePolicy,
    QStyle,
    QStyleOptionFocusRect,
    QToolButton,
    QWidget,
)

from sipsight.core.models import Attempt, OutcomeClass
from sipsight.gui.flow_layout import FlowLayout
from sipsight.gui.palette import OUTCOME_ORDER, draw_glyph, glyph_name, is_dark, outcome_label


class LegendItem(QAbstractButton):
    """One class: glyph, label and count. Checked means shown."""

    _GLYPH = 11.0

    def __init__(self, outcome: OutcomeClass, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.outcome = outcome
        self.count: int | None = None
        self.setCheckable(True)
        self.setChecked(True)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setText(outcome_label(outcome))
        self.toggled.connect(self._describe)
        self._describe()

    def set_count(self, count: int | None) -> None:
        self.count = count
        self._describe()
        self.updateGeometry()
        self.update()

    def _describe(self) -> None:
        counted = f", {self.count} attempt{'s' if self.count != 1 else ''}" if self.count is not None else ""
        state = "shown" if self.isChecked() else "hidden"
        self.setAccessibleName(f"{outcome_label(self.outcome)}{counted}, {state}")
        self.setToolTip(
            f"{outcome_label(self.outcome)} ({glyph_name(self.outcome)} glyph){counted}. "
            f"Click to {'hide' if self.isChecked() else 'show'}; Ctrl+click to show only this class."
        )

    def _count_text(self) -> str:
        return "" if self.count is None else str(self.count)

    def sizeHint(self) -> QSize:
        fm = QFontMetricsF(self.font())
        width = 6 + self._GLYPH + 5 + fm.horizontalAdvance(self.text())
        if self._count_text():
            width += 5 + QFontMetricsF(self._count_font()).horizontalAdvance(self._count_text())
        return QSize(int(width + 8), int(max(fm.height(), self._GLYPH) + 6))

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def _count_font(self) -> QFont:
        font = QFont(self.font())
        font.setWeight(QFont.Weight.DemiBold)
        return font

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        dark = is_dark(self)
        text = pal.color(QPalette.ColorRole.WindowText)
        window = pal.color(QPalette.ColorRole.Window)
        rect = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        shown = self.isChecked()
        if self.underMouse() or self.isDown():
            hover = QColor(text)
            hover.setAlphaF(0.09 if not self.isDown() else 0.16)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(hover)
            p.drawRoundedRect(rect, 4, 4)
        if self.hasFocus():
            option = QStyleOptionFocusRect()
            option.initFrom(self)
            option.backgroundColor = window
            self.style().drawPrimitive(QStyle.PrimitiveElement.PE_FrameFocusRect, option, p, self)
        cy = rect.center().y()
        p.setOpacity(1.0 if shown else 0.35)
        draw_glyph(p, self.outcome, QPointF(6 + self._GLYPH / 2, cy), self._GLYPH, dark)
        fm = QFontMetricsF(self.font())
        x = 6 + self._GLYPH + 5
        baseline = cy + (fm.ascent() - fm.descent()) / 2
        p.setOpacity(1.0 if shown else 0.55)
        font = QFont(self.font())
        font.setStrikeOut(not shown)
        p.setFont(font)
        p.setPen(text)
        p.drawText(QPointF(x, baseline), self.text())
        if self._count_text():
            x += fm.horizontalAdvance(self.text()) + 5
            muted = QColor(text)
            muted.setAlphaF(0.6)
            p.setPen(QPen(muted))
            p.setFont(self._count_font())
            p.drawText(QPointF(x, baseline), self._count_text())
        p.end()

    def enterEvent(self, event: QEnterEvent) -> None:
        self.update()
        super().enterEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        self.update()
        super().leaveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        solo = event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
        if solo and event.button() == Qt.MouseButton.LeftButton and self.rect().contains(event.position().toPoint()):
            self.setDown(False)
            legend = self.parent()
            if isinstance(legend, OutcomeLegend):
                legend._solo(self.outcome)
            event.accept()
            return
        super().mouseReleaseEvent(event)


class OutcomeLegend(QWidget):
    filter_changed = Signal(object)  # set[OutcomeClass]: the hidden classes

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._items: dict[OutcomeClass, LegendItem] = {}
        self._hidden: set[OutcomeClass] = set()
        self._layout = FlowLayout(self, h_spacing=2, v_spacing=0)
        for outcome in OUTCOME_ORDER:
            item = LegendItem(outcome, self)
            item.toggled.connect(lambda shown, o=outcome: self._toggled(o, shown))
            self._items[outcome] = item
            self._layout.addWidget(item)
        self._reset = QToolButton(self)
        self._reset.setText("Show all")
        self._reset.setAutoRaise(True)
        self._reset.setToolTip("Show every outcome class again")
        self._reset.clicked.connect(self.clear_filter)
        self._layout.addWidget(self._reset)
        self._reset.hide()
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.setAccessibleName("Outcome legend and filter")
        self.set_outcomes(None)

    # ------------------------------------------------------------------ public API

    def set_attempts(self, attempts: Iterable[Attempt]) -> None:
        counts = Counter(a.outcome for a in attempts)
        self.set_outcomes(counts.keys(), counts)

    def set_outcomes(
        self, outcomes: Iterable[OutcomeClass] | None = None, counts: Mapping[OutcomeClass, int] | None = None
    ) -> None:
        present = set(OUTCOME_ORDER) if outcomes is None else set(outcomes)
        # A hidden class stays listed so it can be shown again.
        present |= self._hidden
        for outcome, item in self._items.items():
            item.setVisible(outcome in present)
            item.set_count(None if counts is None else counts.get(outcome, 0))
        self._layout.invalidate()
        self.updateGeometry()

    def hidden_outcomes(self) -> set[OutcomeClass]:
        return set(self._hidden)

    def set_hidden_outcomes(self, hidden: Iterable[OutcomeClass]) -> None:
        self._apply(set(hidden), emit=False)

    def clear_filter(self) -> None:
        self._apply(set(), emit=True)

    def item(self, outcome: OutcomeClass) -> LegendItem:
        return self._items[OutcomeClass(outcome)]

    # ------------------------------------------------------------------ layout

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._layout.heightForWidth(width)

    def sizeHint(self) -> QSize:
        width = max(self.width(), 420)
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        return QSize(160, self._layout.minimumSize().height())

    # ------------------------------------------------------------------ internals

    def _toggled(self, outcome: OutcomeClass, shown: bool) -> None:
        hidden = set(self._hidden)
        if shown:
            hidden.discard(outcome)
        else:
            hidden.add(outcome)
        self._apply(hidden, emit=True)

    def _solo(self, outcome: OutcomeClass) -> None:
        visible = [o for o, item in self._items.items() if not item.isHidden()]
        only_this = {o for o in visible if o != outcome}
        self._apply(set() if self._hidden == only_this else only_this, emit=True)

    def _apply(self, hidden: set[OutcomeClass], emit: bool) -> None:
        changed = hidden != self._hidden
        self._hidden = hidden
        for outcome, item in self._items.items():
            item.blockSignals(True)
            item.setChecked(outcome not in hidden)
            item.blockSignals(False)
            item._describe()
            item.update()
            if outcome in hidden:
                item.show()
        self._reset.setVisible(bool(hidden))
        self._layout.invalidate()
        if changed and emit:
            self.filter_changed.emit(set(hidden))
