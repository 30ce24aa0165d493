"""The agent's one-click corrections of the roles intake gave the numbers (a number chip's menu): make it the number
the customer was calling, make it the caller ID, or ignore it. `apply_corrections` is Qt-free: the corrected case is
what the next lookup reads; the pasted text is never touched."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

if TYPE_CHECKING:
    from sipsight.core.models import Case
    from sipsight.gui.input_panel import InputPanel

CHOICES = (
    ("destination", "Make it the number they called"),
    ("caller_id", "Make it the caller ID"),
    ("other", "Ignore it"),
)
ONE_OF = ("destination", "caller_id")  # one number each: a correction moves the role, the previous holder is ignored


def apply_corrections(case: Case, corrections: dict[str, str]) -> Case:
    """`case` with the agent's roles: a corrected number gets its role for sure; a number that held the destination
    or caller-ID role the agent gave another is set aside (OTHER: never taken as the destination by default)."""
    from sipsight.core.models import NumberRole

    if not corrections:
        return case
    given = {role for role in corrections.values() if role in ONE_OF}
    numbers = []
    for number in case.numbers:
        role = corrections.get(number.e164)
        if role is not None:
            numbers.append(number.model_copy(update={"role": NumberRole(role), "role_confidence": 1.0}))
        elif str(number.role) in given:
            numbers.append(number.model_copy(update={"role": NumberRole.OTHER, "role_confidence": 0.0}))
        else:
            numbers.append(number)
    return case.model_copy(update={"numbers": numbers})


def role_menu(panel: InputPanel, e164: str) -> QMenu:
    """The chip's menu: its role checked, the others one click away."""
    from sipsight.core.phone import pretty

    number = next((n for n in panel.case.numbers if n.e164 == e164), None) if panel.case is not None else None
    menu = QMenu(panel)
    menu.setObjectName("RoleMenu")
    title = menu.addAction(panel.redact(pretty(e164)))
    title.setEnabled(False)
    for role, text in CHOICES:
        action = QAction(text, menu)
        action.setCheckable(True)
        action.setChecked(number is not None and str(number.role) == role)
        action.setEnabled(not action.isChecked())
        action.setData(role)
        action.triggered.connect(lambda _=False, r=role: panel.correct_role(e164, r))
        menu.addAction(action)
    return menu
