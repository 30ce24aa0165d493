"""Light and dark: follow the system colour scheme, with a Fusion palette so both look the same everywhere.

The style sheet (resources/styles/app.qss) holds the shapes; its @tokens@ are filled with the colours
of the current scheme, so one file serves both schemes and a scheme change re-applies it.

Every text colour meets WCAG AA (4.5:1) on the background it is drawn on, in both schemes: TEXT_PAIRS lists
the pairs the style sheet and the palette use, and tests/gui/test_theme.py computes each ratio. Check boxes and
radio buttons are drawn by `IndicatorStyle` with a border of at least 3:1 against the window (WCAG's non-text
contrast), which Fusion's own dark indicators do not have.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

LIGHT = {
    "window": "#f4f5f7",
    "base": "#ffffff",
    "alt": "#f0f2f5",
    "text": "#1d2330",
    "muted": "#5d6677",
    "border": "#d5d9e0",
    "accent": "#1f5fa8",
    "accent_text": "#ffffff",
    "accent_hover": "#2a6fbf",
    "link": "#1f5fa8",
    "indicator": "#6b7485",
    "card": "#ffffff",
    "chip": "#e8ecf2",
    "chip_dest": "#dbe8fb",
    "chip_dest_text": "#16457d",
    "chip_caller": "#e3f3ea",
    "chip_caller_text": "#1d5e3a",
    "chip_symptom": "#fdf0dc",
    "chip_symptom_text": "#7a4a00",
    "chip_code": "#f6e3ef",
    "chip_code_text": "#7d1f5a",
    "error_bg": "#fdecea",
    "error_border": "#e8a39b",
    "error_text": "#8a1c12",
    "warning_bg": "#fff4dc",
    "warning_border": "#e8c777",
    "warning_text": "#6b4a00",
    "info_bg": "#e6f0fb",
    "info_border": "#9dbfe6",
    "info_text": "#173f6d",
    "success_bg": "#e5f4ec",
    "success_border": "#8fcaa7",
    "success_text": "#1c5735",
    "tone_bad": "#c0392b",
    "tone_warn": "#945c00",
    "tone_good": "#17774a",
    "tone_neutral": "#6b7380",
    "demo_bg": "#c2410c",
    "demo_text": "#ffffff",
    "meter_bg": "#e3e6eb",
    "toast_bg": "#1d2330",
    "toast_text": "#ffffff",
}

DARK = {
    "window": "#1e2127",
    "base": "#262a31",
    "alt": "#2b3038",
    "text": "#e6e9ef",
    "muted": "#9aa3b2",
    "border": "#3a404a",
    "accent": "#4c8fe0",
    "accent_text": "#0d1420",
    "accent_hover": "#5d9de8",
    "link": "#7fb2f0",
    "indicator": "#8d96a5",
    "card": "#262a31",
    "chip": "#333944",
    "chip_dest": "#1f3a5e",
    "chip_dest_text": "#bcd7fb",
    "chip_caller": "#1f4532",
    "chip_caller_text": "#b5e6c9",
    "chip_symptom": "#4a3a1c",
    "chip_symptom_text": "#f6d9a0",
    "chip_code": "#4a2440",
    "chip_code_text": "#f2bfe0",
    "error_bg": "#4a2323",
    "error_border": "#8c3b35",
    "error_text": "#ffd1cc",
    "warning_bg": "#45391c",
    "warning_border": "#8a6d2a",
    "warning_text": "#fbe3a6",
    "info_bg": "#1f3350",
    "info_border": "#3d6496",
    "info_text": "#cfe2fb",
    "success_bg": "#1f3d2d",
    "success_border": "#3c7a57",
    "success_text": "#c5ecd5",
    "tone_bad": "#ff6b5e",
    "tone_warn": "#f5b942",
    "tone_good": "#3dd6a3",
    "tone_neutral": "#a3abb8",
    "demo_bg": "#ff7a33",
    "demo_text": "#1e2127",
    "meter_bg": "#3a404a",
    "toast_bg": "#e6e9ef",
    "toast_text": "#1e2127",
}


# (foreground token, background token, where): every text colour on the background it is drawn on.
TEXT_PAIRS = (
    ("text", "window", "labels, the status bar"),
    ("text", "base", "inputs, tabs, tables, the explanation"),
    ("text", "alt", "alternate table rows, a code's explanation"),
    ("text", "card", "the headline card, tooltips"),
    ("muted", "window", "captions, the status bar, inline notes"),
    ("muted", "base", "placeholders, section titles, unselected tabs"),
    ("muted", "alt", "disabled buttons"),
    ("muted", "card", "the headline's counts"),
    ("link", "base", "links in the explanation and the record"),
    ("link", "window", "links in labels"),
    ("link", "card", "the ranking's Show all (which number did they mean?)"),
    ("accent_text", "accent", "the Look up button, selected rows"),
    ("accent_text", "accent_hover", "the Look up button under the pointer"),
    ("text", "chip", "chips"),
    ("chip_dest_text", "chip_dest", "the destination chip"),
    ("chip_caller_text", "chip_caller", "the caller ID chip"),
    ("chip_symptom_text", "chip_symptom", "symptom chips"),
    ("chip_code_text", "chip_code", "code chips"),
    ("error_text", "error_bg", "the error banner, inline errors"),
    ("warning_text", "warning_bg", "the warning banner, the keyring and presenter notes"),
    ("info_text", "info_bg", "the clipboard offer, what to ask the customer"),
    ("success_text", "success_bg", "Test connection's success"),
    ("demo_text", "demo_bg", "the DEMO DATA badge"),
    ("toast_text", "toast_bg", "the 'copied' toast"),
    ("tone_bad", "card", "the headline's kind, bad"),
    ("tone_warn", "card", "the headline's kind, a warning"),
    ("tone_good", "card", "the headline's kind, good"),
    ("tone_neutral", "card", "the headline's kind, neutral"),
)
# Non-text (WCAG 1.4.11, 3:1): the check box and radio button border against what they sit on.
INDICATOR_PAIRS = (("indicator", "window"), ("indicator", "base"))


def contrast_ratio(fg: str, bg: str) -> float:
    """WCAG 2.1 contrast ratio of two '#rrggbb' colours (1.0 ... 21.0)."""

    def luminance(color: str) -> float:
        channels = [int(color.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    hi, lo = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def system_prefers_dark() -> bool:
    hints = QGuiApplication.styleHints()
    scheme = hints.colorScheme()
    if scheme == Qt.ColorScheme.Dark:
        return True
    if scheme == Qt.ColorScheme.Light:
        return False
    # Unknown (some X11 desktops, offscreen): fall back to the platform palette's window colour.
    return QGuiApplication.palette().color(QPalette.ColorRole.Window).lightnessF() < 0.5


# Palette role -> colour token; Button and Link differ per scheme and are set in _palette.
_ROLES = (
    ("Window", "window"),
    ("WindowText", "text"),
    ("Base", "base"),
    ("AlternateBase", "alt"),
    ("Text", "text"),
    ("PlaceholderText", "muted"),
    ("ButtonText", "text"),
    ("ToolTipBase", "card"),
    ("ToolTipText", "text"),
    ("Highlight", "accent"),
    ("HighlightedText", "accent_text"),
    ("Mid", "border"),
    ("Midlight", "alt"),
    ("Light", "base"),
    ("Dark", "border"),
)


def _palette(colors: dict[str, str]) -> QPalette:
    pal = QPalette()
    role = QPalette.ColorRole
    for name, token in _ROLES:
        pal.setColor(getattr(role, name), QColor(colors[token]))
    dark = colors is DARK
    pal.setColor(role.Button, QColor(colors["alt"] if dark else "#fbfbfc"))
    pal.setColor(role.Link, QColor(colors["link"]))
    pal.setColor(role.LinkVisited, QColor(colors["link"]))
    pal.setColor(role.Shadow, QColor("#000000"))
    for r in (role.WindowText, role.Text, role.ButtonText):
        pal.setColor(QPalette.ColorGroup.Disabled, r, QColor(colors["muted"]))
    return pal


def stylesheet(colors: dict[str, str]) -> str:
    from sipsight.core.resources import read_text

    text = read_text("styles", "app.qss")
    for key, value in colors.items():
        text = text.replace(f"@{key}@", value)
    return text


def apply_theme(app: QApplication, scheme: str = "system") -> bool:
    """scheme: system | light | dark. Returns True when dark was applied."""
    dark = system_prefers_dark() if scheme == "system" else scheme == "dark"
    colors = DARK if dark else LIGHT
    from sipsight.gui.indicator_style import IndicatorStyle

    style = IndicatorStyle(colors)
    app.setStyle(style)
    app.setProperty("sipsight_style", style)  # QApplication.setStyle takes ownership; keep Python's reference too
    app.setPalette(_palette(colors))
    app.setStyleSheet(stylesheet(colors))
    app.setProperty("sipsight_dark", dark)
    return dark
