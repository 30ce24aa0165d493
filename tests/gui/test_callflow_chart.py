"""The call-flow chart as the trainer hands it out: one type scale, no label touching another label, a box or a
step badge, and on paper (the PDF's geometry) no text under 8 pt."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPainter

from sipsight.core.replies import callflow
from sipsight.export import callflow_chart as chart
from sipsight.export.pdf import LAYOUT_DPI, MIN_LABEL_PX


class RecordingPainter(QPainter):
    """Notes every text it draws, with its pixel size and where."""

    def __init__(self, device: QImage) -> None:
        super().__init__(device)
        self.texts: list[tuple[str, int, QRectF]] = []

    def drawText(self, *args):
        if len(args) == 3 and isinstance(args[0], QRectF):
            self.texts.append((args[2], self.font().pixelSize(), QRectF(args[0])))
        return super().drawText(*args)


PATH = ["A", "B", "F", "V", "G", "H"]  # the origin ticket's path: through both fan-outs


def paint(width: int, height: int, geometry: chart.ChartGeometry, min_px: float) -> RecordingPainter:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = RecordingPainter(image)
    chart.paint_callflow(painter, QRectF(0, 0, width, height), PATH, min_font_px=min_px, geometry=geometry)
    painter.end()
    return painter


@pytest.mark.parametrize(
    ("width", "height", "geometry", "min_px"),
    [(1100, 470, chart.SCREEN, chart.MIN_FONT_PX), (952, 560, chart.PRINT, MIN_LABEL_PX)],
    ids=["training window", "pdf page"],
)
def test_one_type_scale_and_nothing_overlaps(qapp, width, height, geometry, min_px) -> None:
    painter = paint(width, height, geometry, min_px)
    labels = {n.label for n in callflow.NODES}
    edge_labels = {e.label for e in callflow.EDGES if e.label}
    node_sizes = {size for text, size, _r in painter.texts if text.replace("\n", " ") in labels}
    edge_texts = [(text, size, r) for text, size, r in painter.texts if text.replace("\n", " ") in edge_labels]
    assert len(node_sizes) == 1  # every box's label in one size
    assert len({size for _t, size, _r in edge_texts}) == 1 and edge_texts[0][1] <= min(node_sizes)
    assert all(size >= min_px - 0.5 for _t, size, _r in painter.texts)
    boxes = list(chart.node_rects(QRectF(0, 0, width, height), geometry).values())
    badges = [r for text, _s, r in painter.texts if text.isdigit() and int(text) <= len(PATH)]
    assert len(badges) == len(PATH)
    for i, (text, _s, rect) in enumerate(edge_texts):
        others = [r for j, (_t, _z, r) in enumerate(edge_texts) if j != i] + boxes + badges
        touching = [o for o in others if o.adjusted(-1, -1, 1, 1).intersects(rect)]
        assert not touching, (text, rect, touching)


def test_on_paper_no_text_is_under_8_pt(qapp) -> None:
    painter = paint(952, 560, chart.PRINT, MIN_LABEL_PX)  # the landscape page's chart, in 96-dpi layout pixels
    smallest = min(size for _t, size, _r in painter.texts)
    assert smallest * 72 / LAYOUT_DPI >= 8.0
