"""Both schemes are readable: every text colour meets WCAG AA (4.5:1) on its background, links too, and check
boxes and radio buttons stand out from the window (3:1, WCAG's non-text contrast), as rendered."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QCheckBox, QRadioButton, QVBoxLayout, QWidget

from sipsight.gui.theme import DARK, INDICATOR_PAIRS, LIGHT, TEXT_PAIRS, apply_theme, contrast_ratio

SCHEMES = {"light": LIGHT, "dark": DARK}


def test_contrast_ratio_matches_wcag_examples() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # the classic just-fails grey
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_every_text_colour_meets_aa_on_its_background(scheme: str) -> None:
    colors = SCHEMES[scheme]
    low = [
        f"{fg} on {bg} ({where}): {contrast_ratio(colors[fg], colors[bg]):.2f}"
        for fg, bg, where in TEXT_PAIRS
        if contrast_ratio(colors[fg], colors[bg]) < 4.5
    ]
    assert not low, low


@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_applied_palette_meets_aa_for_text_and_links(qapp, scheme: str) -> None:
    apply_theme(qapp, scheme)
    pal = QGuiApplication.palette()
    role = QPalette.ColorRole
    for fg, bg in ((role.WindowText, role.Window), (role.Text, role.Base), (role.Link, role.Base),
                   (role.Link, role.Window), (role.HighlightedText, role.Highlight), (role.PlaceholderText, role.Base),
                   (role.ButtonText, role.Button), (role.ToolTipText, role.ToolTipBase)):  # fmt: skip
        ratio = contrast_ratio(pal.color(fg).name(), pal.color(bg).name())
        assert ratio >= 4.5, (scheme, fg, bg, ratio)
    apply_theme(qapp, "light")


@pytest.mark.parametrize("scheme", SCHEMES)
def test_check_boxes_and_radio_buttons_are_visible(qtbot, qapp, scheme: str) -> None:
    colors = SCHEMES[scheme]
    for fg, bg in INDICATOR_PAIRS:
        assert contrast_ratio(colors[fg], colors[bg]) >= 3.0, (scheme, fg, bg)
    apply_theme(qapp, scheme)
    page = QWidget()
    qtbot.addWidget(page)
    layout = QVBoxLayout(page)
    boxes = [QCheckBox("Off"), QCheckBox("On"), QRadioButton("Off"), QRadioButton("On")]
    for box in boxes:
        layout.addWidget(box)
    boxes[1].setChecked(True)
    boxes[3].setChecked(True)
    page.resize(200, 140)
    page.show()
    qtbot.waitExposed(page)
    image = page.grab().toImage()
    window = QColor(colors["window"]).name()
    for box in boxes:
        origin = box.geometry().topLeft()
        # the indicator sits at the left: its most contrasting pixel against the window
        best = max(
            contrast_ratio(QColor(image.pixel(origin.x() + x, origin.y() + y)).name(), window)
            for x in range(0, 20)
            for y in range(0, box.height())
        )
        assert best >= 3.0, (scheme, box.text(), best)
    apply_theme(qapp, "light")
