"""The training window's look: one style sheet, in normal and presenter (projector) sizes, light and dark.

Sizes are in points and scale together, so presenter mode is the same layout in larger type. Object names
start with "Tr" so nothing here restyles the main window.
"""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QWidget

from sipsight.gui.theme import DARK, LIGHT

BASE_PT = 10.5
PRESENTER_SCALE = 1.45  # type at the back of a training room


def base_points(presenter: bool) -> float:
    return BASE_PT * (PRESENTER_SCALE if presenter else 1.0)


def colors(dark: bool) -> dict[str, str]:
    extra = (
        {"amber_bg": "#3b2f14", "amber_border": "#b7791f", "amber_text": "#fde68a", "step_done": "#3c7a57"}
        if dark
        else {"amber_bg": "#fffbeb", "amber_border": "#d97706", "amber_text": "#78350f", "step_done": "#8fcaa7"}
    )
    return {**(DARK if dark else LIGHT), **extra}


def stylesheet(presenter: bool, dark: bool) -> str:
    b = base_points(presenter)
    c = colors(dark)

    def pt(factor: float) -> str:
        return f"{b * factor:.1f}pt"

    return f"""
QWidget {{ font-size: {pt(1.0)}; }}
TimelineWidget {{ font-size: {min(b, 11.0):.1f}pt; }}
#TrainingWindow, #TrPage, #TrStepPage, QScrollArea#TrScroll, #TrScrollBody {{ background: {c["window"]}; }}
#TrTitle {{ font-size: {pt(1.9)}; font-weight: 700; color: {c["text"]}; }}
#TrSubtitle {{ font-size: {pt(1.05)}; color: {c["muted"]}; }}
#TrCaseLabel {{ font-size: {pt(0.95)}; font-weight: 700; color: {c["accent"]}; }}
#TrCaseTitle {{ font-size: {pt(1.45)}; font-weight: 700; color: {c["text"]}; }}
#TrStepTitle {{ font-size: {pt(1.3)}; font-weight: 700; color: {c["text"]}; }}
#TrHeading {{ font-size: {pt(1.05)}; font-weight: 700; color: {c["muted"]}; }}
#TrQuestion {{ font-size: {pt(1.15)}; font-weight: 600; color: {c["text"]}; }}
#TrBody {{ font-size: {pt(1.0)}; color: {c["text"]}; }}
#TrMuted {{ font-size: {pt(0.92)}; color: {c["muted"]}; }}
#TrStatus {{ font-size: {pt(0.95)}; color: {c["muted"]}; }}
#TrStepChip {{
  font-size: {pt(0.95)}; color: {c["muted"]}; background: {c["chip"]}; border-radius: 12px; padding: 4px 12px;
  min-width: {pt(0.9)};
}}
#TrStepChip[state="current"] {{ background: {c["accent"]}; color: {c["accent_text"]}; font-weight: 700; }}
#TrStepChip[state="done"] {{ background: {c["success_bg"]}; color: {c["success_text"]}; }}
#TrBubble {{
  background: {c["card"]}; border: 1px solid {c["border"]}; border-radius: 14px; padding: 14px 18px;
  font-size: {pt(1.12)}; color: {c["text"]};
}}
#TrCard {{ background: {c["card"]}; border: 1px solid {c["border"]}; border-radius: 10px; }}
#TrCard QLabel {{ background: transparent; }}
#TrDiagnosis {{
  background: {c["card"]}; border: 1px solid {c["border"]}; border-left: 6px solid {c["accent"]}; border-radius: 4px;
}}
#TrDiagnosis QLabel {{ background: transparent; }}
#TrKind {{ font-size: {pt(0.9)}; font-weight: 800; color: {c["accent"]}; }}
#TrHeadline {{ font-size: {pt(1.2)}; font-weight: 600; color: {c["text"]}; }}
#TrChoice {{
  background: {c["card"]}; border: 2px solid {c["border"]}; border-radius: 10px;
}}
#TrChoice:hover {{ border-color: {c["accent"]}; }}
#TrChoice:focus {{ border-color: {c["accent"]}; }}
#TrChoice[state="right"] {{ background: {c["success_bg"]}; border-color: {c["success_border"]}; }}
#TrChoice[state="wrong"] {{ background: {c["error_bg"]}; border-color: {c["error_border"]}; }}
#TrChoice[state="answer"] {{ background: {c["success_bg"]}; border: 2px dashed {c["success_border"]}; }}
#TrChoice[state="locked"] {{ border-color: {c["border"]}; }}
#TrChoice QLabel {{ background: transparent; }}
#TrChoice QLabel#TrChoiceKey {{
  font-size: {pt(0.9)}; font-weight: 700; color: {c["accent_text"]}; background: {c["accent"]};
  border-radius: 4px; padding: 1px 7px;
}}
#TrChoiceText {{ font-size: {pt(1.05)}; color: {c["text"]}; }}
#TrFeedback {{ font-size: {pt(0.98)}; color: {c["text"]}; }}
#TrFeedback[tone="right"] {{ color: {c["success_text"]}; }}
#TrFeedback[tone="wrong"] {{ color: {c["error_text"]}; }}
#TrTip {{
  background: {c["amber_bg"]}; border: 1px solid {c["amber_border"]}; border-left: 6px solid {c["amber_border"]};
  border-radius: 4px; padding: 10px 14px; font-size: {pt(1.02)}; color: {c["text"]};
}}
#TrReply {{
  background: {c["base"]}; border: 1px solid {c["border"]}; border-radius: 10px; padding: 12px 16px;
  font-size: {pt(1.08)}; color: {c["text"]};
}}
#TrCode {{
  font-size: {pt(0.95)}; font-weight: 800; color: {c["chip_code_text"]}; background: {c["chip_code"]};
  border-radius: 6px; padding: 3px 9px;
}}
#TrCode[seen="false"] {{ color: {c["muted"]}; background: {c["chip"]}; }}
#TrCodeName {{ font-size: {pt(1.05)}; font-weight: 700; color: {c["text"]}; }}
#TrCount {{ font-size: {pt(0.9)}; color: {c["muted"]}; }}
#TrErrors {{
  background: {c["warning_bg"]}; border: 1px solid {c["warning_border"]}; border-radius: 8px;
}}
#TrErrors QLabel {{ background: transparent; color: {c["warning_text"]}; font-size: {pt(0.95)}; }}
#TrErrorLoad {{ background: {c["error_bg"]}; border: 1px solid {c["error_border"]}; border-radius: 8px; }}
#TrErrorLoad QLabel {{ background: transparent; color: {c["error_text"]}; font-size: {pt(1.0)}; }}
#TrScore {{ font-size: {pt(2.6)}; font-weight: 800; color: {c["accent"]}; }}
#TrFooter {{ border-top: 1px solid {c["border"]}; background: {c["window"]}; }}
#TrFooter QPushButton, #TrPage QPushButton {{ font-size: {pt(1.0)}; padding: 6px 16px; }}
#TrPresenterBadge {{
  background: {c["demo_bg"]}; color: {c["demo_text"]}; border-radius: 9px; padding: 2px 10px;
  font-size: {pt(0.8)}; font-weight: 800;
}}
QListWidget#TrScenarioList {{
  background: {c["base"]}; border: 1px solid {c["border"]}; border-radius: 8px; font-size: {pt(1.0)};
}}
QListWidget#TrScenarioList::item {{ padding: 6px 6px; }}
QRadioButton, QCheckBox {{ font-size: {pt(1.0)}; color: {c["text"]}; spacing: 8px; }}
QListWidget#TrScenarioList::indicator, QCheckBox::indicator, QRadioButton::indicator {{
  width: {round(b * 1.35)}px; height: {round(b * 1.35)}px;
}}
QTabWidget#TrTabs::pane {{ border: 1px solid {c["border"]}; border-radius: 8px; background: {c["base"]}; }}
"""


def _app_dark() -> bool:
    app = QApplication.instance()
    if app is None:
        return False
    return bool(app.property("sipsight_dark"))


def theme_changed(widget: QWidget) -> bool:
    return bool(widget.property("tr_dark") != _app_dark())


def apply(widget: QWidget, presenter: bool) -> None:
    """Style `widget` (the training window) for the current theme and the mode."""
    dark = _app_dark()
    widget.setProperty("tr_dark", dark)
    font = QFont(widget.font())
    font.setPointSizeF(base_points(presenter))
    widget.setFont(font)
    widget.setStyleSheet(stylesheet(presenter, dark))
