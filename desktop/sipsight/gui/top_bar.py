"""The window's top bar: where the data comes from (demo badge and scenario, or the account) and the tool buttons
(recent lookups, keep on top, training, settings)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QMenu, QToolButton, QWidget

if TYPE_CHECKING:
    from sipsight.core.scenarios import Scenario

DEMO = "__demo__"  # profile combo data for the embedded demo provider


def short_title(title: str) -> str:
    """'608 Rejected across many sellers: the caller ID is blocked' -> '608 Rejected across many sellers'."""
    return title.split(":", 1)[0].strip() or title


class TopBar(QWidget):
    """The demo badge, the account (profile) picker, the demo scenario picker and the tool buttons."""

    source_changed = Signal()  # the profile or the scenario changed
    scenario_chosen = Signal(str)  # the agent picked a scenario (its name): paste its conversation
    pin_toggled = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("TopBar")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        self.demo_badge = QLabel("DEMO DATA", self)
        self.demo_badge.setObjectName("DemoBadge")
        self.demo_badge.setToolTip("No account is configured: lookups run on built-in example calls, not real ones.")
        self.demo_badge.setAccessibleName("Demo data: not a real account")
        row.addWidget(self.demo_badge)
        self.profile_combo = QComboBox(self)
        self.profile_combo.setObjectName("ProfileCombo")
        self.profile_combo.setToolTip("Which account to look in")
        self.profile_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.profile_combo.currentIndexChanged.connect(self._profile_changed)
        row.addWidget(self.profile_combo)
        self.scenario_combo = QComboBox(self)
        self.scenario_combo.setObjectName("ScenarioCombo")
        self.scenario_combo.setToolTip("Demo scenario: choosing one also pastes its customer conversation")
        self.scenario_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.scenario_combo.setMinimumContentsLength(8)
        self.scenario_combo.activated.connect(self._scenario_activated)
        row.addWidget(self.scenario_combo, 1)
        self.history_button = self._tool_button("Recent lookups (Ctrl+H)")
        self.history_menu = QMenu(self.history_button)
        self.history_button.setMenu(self.history_menu)
        self.history_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        row.addWidget(self.history_button)
        self.pin_button = self._tool_button("Keep on top of other windows")
        self.pin_button.setCheckable(True)
        self.pin_button.toggled.connect(self.pin_toggled)
        row.addWidget(self.pin_button)
        self.training_button = self._tool_button("Training walkthrough (Ctrl+T)")
        row.addWidget(self.training_button)
        self.settings_button = self._tool_button("Settings (Ctrl+,)")
        row.addWidget(self.settings_button)
        self._icon_rgba: int | None = None
        self._refresh_icons()

    def _tool_button(self, tip: str) -> QToolButton:
        button = QToolButton(self)
        button.setObjectName("ToolbarButton")
        button.setToolTip(tip)
        button.setAccessibleName(tip.split(" (")[0])
        button.setAutoRaise(True)
        button.setIconSize(QSize(18, 18))
        return button

    def _refresh_icons(self) -> None:
        from sipsight.gui.icons import icon

        color = self.palette().color(QPalette.ColorRole.WindowText)
        if color.rgba() == self._icon_rgba:
            return  # a palette change that kept the text colour (the theme applied at start): same icons
        self._icon_rgba = color.rgba()
        self.history_button.setIcon(icon("history", color))
        self.pin_button.setIcon(icon("pin", color))
        self.settings_button.setIcon(icon("settings", color))
        self.training_button.setIcon(icon("training", color))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._refresh_icons()
        super().changeEvent(event)

    # ------------------------------------------------------------------ what to look in
    @property
    def demo(self) -> bool:
        return self.profile_combo.currentData() in (DEMO, None)

    @property
    def profile(self) -> str | None:
        data = self.profile_combo.currentData()
        return None if data in (DEMO, None) else str(data)

    @property
    def scenario(self) -> str | None:
        data = self.scenario_combo.currentData()
        return str(data) if data else None

    def source_text(self) -> str:
        """The status bar's "where the data comes from" before any lookup."""
        if self.demo:
            return f"Demo: {self.scenario_combo.currentText() or 'example calls'}"
        return f"Account: {self.profile}"

    def set_scenarios(self, scenarios: Sequence[Scenario], wanted: str) -> None:
        self.scenario_combo.blockSignals(True)
        self.scenario_combo.clear()
        for scenario in scenarios:
            self.scenario_combo.addItem(short_title(scenario.title), scenario.name)
            self.scenario_combo.setItemData(
                self.scenario_combo.count() - 1, f"{scenario.title}\n{scenario.summary}", Qt.ItemDataRole.ToolTipRole
            )
        index = self.scenario_combo.findData(wanted)
        self.scenario_combo.setCurrentIndex(index if index >= 0 else 0)
        self.scenario_combo.blockSignals(False)

    def set_profiles(self, names: Sequence[str], wanted: str | None) -> None:
        """The accounts, then "Demo data"; `wanted` (a name, DEMO or None) is selected, else the first entry."""
        self.profile_combo.blockSignals(True)
        self.profile_combo.clear()
        for name in names:
            self.profile_combo.addItem(name, name)
        self.profile_combo.addItem("Demo data", DEMO)
        index = self.profile_combo.findData(wanted) if wanted else -1
        self.profile_combo.setCurrentIndex(max(index, 0))  # the first profile, or demo when none is configured
        self.profile_combo.setVisible(self.profile_combo.count() > 1)
        self.profile_combo.blockSignals(False)
        self._profile_changed()

    def choose_source(self, *, demo: bool, profile: str | None, scenario: str | None) -> None:
        """Point the pickers at a history entry's source (when it still exists)."""
        if demo:
            self.profile_combo.setCurrentIndex(self.profile_combo.findData(DEMO))
            index = self.scenario_combo.findData(scenario) if scenario else -1
            if index >= 0:
                self.scenario_combo.setCurrentIndex(index)
        elif profile and self.profile_combo.findData(profile) >= 0:
            self.profile_combo.setCurrentIndex(self.profile_combo.findData(profile))

    def choose_scenario(self, name: str) -> None:
        self.scenario_combo.setCurrentIndex(self.scenario_combo.findData(name))

    def _profile_changed(self, *_: int) -> None:
        demo = self.demo
        self.demo_badge.setVisible(demo)
        self.scenario_combo.setVisible(demo)
        self.source_changed.emit()

    def _scenario_activated(self, index: int) -> None:
        self.source_changed.emit()
        name = self.scenario_combo.itemData(index)
        if name:
            self.scenario_chosen.emit(str(name))

    def set_pinned(self, on: bool) -> None:
        """Show the keep-on-top state without emitting pin_toggled."""
        self.pin_button.blockSignals(True)
        self.pin_button.setChecked(on)
        self.pin_button.blockSignals(False)
