"""The training window's first page: choose the cases and the mode; see (and fix) the trainer's scenario files
that did not load."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from sipsight.core.scenarios import ScenarioLibrary, user_scenarios_dir
from sipsight.gui.training.widgets import label
from sipsight.training.session import Mode


class StartPage(QWidget):
    """Choose the cases and the mode; see (and fix) the trainer's scenario files that did not load."""

    start_requested = Signal()
    reload_requested = Signal()
    open_folder_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("TrPage")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 22, 28, 18)
        layout.setSpacing(10)
        layout.addWidget(label("Training", "TrTitle", self))
        layout.addWidget(
            label(
                "Walk new agents through real support cases: the ticket, what to check, the timeline, the codes, "
                "the call flow and the reply to send.",
                "TrSubtitle",
                self,
            )
        )
        self.errors = QFrame(self)
        self.errors.setObjectName("TrErrors")
        errors = QVBoxLayout(self.errors)
        errors.setContentsMargins(14, 10, 14, 10)
        self.errors_text = label("", "TrBody", self.errors)
        self.errors_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        errors.addWidget(self.errors_text)
        layout.addWidget(self.errors)
        self.errors.hide()

        layout.addWidget(label("Cases", "TrHeading", self))
        self.list = QListWidget(self)
        self.list.setObjectName("TrScenarioList")
        self.list.setAccessibleName("Training cases")
        layout.addWidget(self.list, 1)
        row = QHBoxLayout()
        self.all_button = QPushButton("Select all", self)
        self.all_button.clicked.connect(lambda: self._check_all(True))
        self.none_button = QPushButton("Select none", self)
        self.none_button.clicked.connect(lambda: self._check_all(False))
        row.addWidget(self.all_button)
        row.addWidget(self.none_button)
        row.addStretch(1)
        self.folder_button = QPushButton("Open scenarios folder", self)
        self.folder_button.setToolTip("Add your own cases: drop a scenario .yaml file in this folder, then Reload")
        self.folder_button.clicked.connect(self.open_folder_requested.emit)
        self.reload_button = QPushButton("Reload", self)
        self.reload_button.setToolTip("Read the scenario files again")
        self.reload_button.clicked.connect(self.reload_requested.emit)
        row.addWidget(self.folder_button)
        row.addWidget(self.reload_button)
        layout.addLayout(row)
        self.folder_note = label("", "TrMuted", self)
        layout.addWidget(self.folder_note)

        options = QHBoxLayout()
        options.setSpacing(18)
        self.walkthrough = QRadioButton("Walkthrough: everything revealed step by step", self)
        self.quiz = QRadioButton("Quiz: trainees pick the diagnosis before the reveal (scored)", self)
        self.walkthrough.setChecked(True)
        self.modes = QButtonGroup(self)
        self.modes.addButton(self.walkthrough)
        self.modes.addButton(self.quiz)
        options.addWidget(self.walkthrough)
        options.addWidget(self.quiz)
        options.addStretch(1)
        layout.addLayout(options)
        bottom = QHBoxLayout()
        self.presenter = QCheckBox("Presenter mode: large type, phone numbers and names hidden", self)
        bottom.addWidget(self.presenter)
        bottom.addStretch(1)
        self.start_button = QPushButton("Start session", self)
        self.start_button.setObjectName("PrimaryButton")
        self.start_button.clicked.connect(self.start_requested.emit)
        bottom.addWidget(self.start_button)
        layout.addLayout(bottom)
        self.list.itemChanged.connect(self._update_start)

    def set_library(self, library: ScenarioLibrary, selected: set[str] | None = None) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for scenario in library.scenarios:
            origin = library.origins.get(scenario.name, "built-in")
            text = scenario.title + ("" if origin == "built-in" else "   (your file)")
            item = QListWidgetItem(text, self.list)
            item.setData(Qt.ItemDataRole.UserRole, scenario.name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            wanted = selected is None or scenario.name in selected
            item.setCheckState(Qt.CheckState.Checked if wanted else Qt.CheckState.Unchecked)
        self.list.blockSignals(False)
        problems = [str(e) for e in library.errors]
        if problems:
            files = len({e.path for e in library.errors})
            head = f"{files} scenario file{'s' if files != 1 else ''} could not be loaded (the other cases are fine):"
            tail = "Fix the file and press Reload; docs/scenarios.md describes every field."
            self.errors_text.setText("\n".join([head, *(f"• {p}" for p in problems), tail]))
        self.errors.setVisible(bool(problems))
        self.folder_note.setText(
            f"Your own scenarios: {user_scenarios_dir()} (see docs/scenarios.md for the format)."
            + ("\n" + "\n".join(library.notes) if library.notes else "")
        )
        self._update_start()

    def selected(self) -> list[str]:
        out = []
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item is not None and item.checkState() == Qt.CheckState.Checked:
                out.append(str(item.data(Qt.ItemDataRole.UserRole)))
        return out

    def mode(self) -> Mode:
        return Mode.QUIZ if self.quiz.isChecked() else Mode.WALKTHROUGH

    def _check_all(self, on: bool) -> None:
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item is not None:
                item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def _update_start(self, *_: object) -> None:
        n = len(self.selected())
        self.start_button.setEnabled(n > 0)
        self.start_button.setText(f"Start session ({n} case{'s' if n != 1 else ''})" if n else "Start session")
