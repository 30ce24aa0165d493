"""The origin ticket's call-flow chart painted with QPainter (QtGui only, no widgets), one case's path highlighted.

The chart is `sipsight.core.replies.callflow` (nodes, edges, a layered layout); the same painting serves the
training window's widget (`sipsight.gui.training.callflow_view`) and the PDF export. The path is what a
trainee must see from the back of a room: its boxes and arrows are amber and thick, numbered in order, and
everything else is greyed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
)

from sipsight.core.replies import callflow

# A taller grid than the HTML chart's: the same shape, but boxes with room for three lines of large type, so
# the labels stay readable when the wide chart is scaled down to a window or to a portrait page.
NODE_W, NODE_H, COL_GAP, LAYER_GAP, MARGIN = 144.0, 84.0, 152.0, 136.0, 24.0
FONT_UNITS, LABEL_FONT_UNITS = 20.0, 14.0  # node and edge-label type, in chart units (scaled with the chart)
LABEL_AT = 0.72  # where along an edge its label sits (nearer the target: fan-outs spread out there)
# then a little further or nearer, until nothing is touched
LABEL_TRIES = (0.8, 0.7, 0.88, 0.6, 0.94, 0.5, 0.4, 0.3, 0.22)
HEX_TIP = 0.14  # a question's hexagon: how far in (of its width) its pointed ends begin
MIN_FONT_PX = 7.0  # below this a label is unreadable anyway; the chart wants a bigger window


@dataclass(frozen=True)
class ChartGeometry:
    """The chart's grid in chart units: box size, the column pitch, the layer pitch and the margin."""

    node_w: float = NODE_W
    node_h: float = NODE_H
    col_gap: float = COL_GAP
    layer_gap: float = LAYER_GAP
    margin: float = MARGIN


SCREEN = ChartGeometry()
# On paper every label is at least 8 pt, so the boxes are taller (four lines of 8 pt) and the margin small: a
# landscape Letter page holds it at that size.
PRINT = ChartGeometry(node_h=116.0, layer_gap=188.0, margin=4.0)


@dataclass(frozen=True)
class ChartColors:
    background: QColor
    node_fill: QColor
    node_stroke: QColor
    text: QColor
    dim_text: QColor
    edge: QColor
    label_bg: QColor
    path_fill: QColor
    path_stroke: QColor
    path_text: QColor
    path_edge: QColor
    badge_text: QColor

    @staticmethod
    def for_theme(dark: bool) -> ChartColors:
        if dark:
            return ChartColors(
                QColor("#1e2127"), QColor("#2b3038"), QColor("#5b6472"), QColor("#d5dae3"), QColor("#8b93a1"),
                QColor("#59616e"), QColor("#1e2127"), QColor("#fcd34d"), QColor("#f59e0b"), QColor("#111827"),
                QColor("#f59e0b"), QColor("#111827"),
            )  # fmt: skip
        return ChartColors(
            QColor("#ffffff"), QColor("#f6f7f9"), QColor("#a3aab6"), QColor("#1f2937"), QColor("#6b7280"),
            QColor("#b8bec8"), QColor("#ffffff"), QColor("#fde68a"), QColor("#b45309"), QColor("#111827"),
            QColor("#b45309"), QColor("#ffffff"),
        )  # fmt: skip


def chart_layout(geometry: ChartGeometry = SCREEN) -> tuple[dict[str, callflow.Box], float, float]:
    g = geometry
    return callflow.pixel_layout(g.node_w, g.node_h, g.col_gap, g.layer_gap, g.margin)


def _fit(target: QRectF, geometry: ChartGeometry = SCREEN) -> tuple[float, float, float]:
    """(scale, dx, dy) mapping chart units into `target`, keeping the aspect and centring."""
    _, width, height = chart_layout(geometry)
    scale = min(target.width() / width, target.height() / height)
    dx = target.x() + (target.width() - width * scale) / 2
    dy = target.y() + (target.height() - height * scale) / 2
    return scale, dx, dy


def node_rects(target: QRectF, geometry: ChartGeometry = SCREEN) -> dict[str, QRectF]:
    """Every node's box in the coordinates of `target` (for tests, tooltips and overlays)."""
    boxes, _, _ = chart_layout(geometry)
    scale, dx, dy = _fit(target, geometry)
    return {
        nid: QRectF(
            dx + (b.x - b.width / 2) * scale, dy + (b.y - b.height / 2) * scale, b.width * scale, b.height * scale
        )
        for nid, b in boxes.items()
    }


def _wrap(text: str, metrics: QFontMetricsF, width: float) -> list[str]:
    lines: list[str] = []
    current = ""
    # "Terminating/Upstream" may break after the slash, like a space that stays visible
    words = [w for token in text.split() for w in re.split(r"(?<=/)", token) if w]
    for word in words:
        joiner = "" if current.endswith("/") else " "
        candidate = f"{current}{joiner}{word}".strip()
        if current and metrics.horizontalAdvance(candidate) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


def _edge_points(a: QRectF, b: QRectF, downward: bool) -> tuple[QPointF, QPointF]:
    if downward:
        return QPointF(a.center().x(), a.bottom()), QPointF(b.center().x(), b.top())

    def clip(box: QRectF, toward: QPointF) -> QPointF:
        c = box.center()
        dx, dy = toward.x() - c.x(), toward.y() - c.y()
        if dx == 0 and dy == 0:
            return c
        sx = (box.width() / 2) / abs(dx) if dx else float("inf")
        sy = (box.height() / 2) / abs(dy) if dy else float("inf")
        s = min(sx, sy)
        return QPointF(c.x() + dx * s, c.y() + dy * s)

    return clip(a, b.center()), clip(b, a.center())


def _arrow(p: QPainter, start: QPointF, end: QPointF, size: float, color: QColor) -> None:
    line = end - start
    length = (line.x() ** 2 + line.y() ** 2) ** 0.5 or 1.0
    ux, uy = line.x() / length, line.y() / length
    back = QPointF(end.x() - ux * size, end.y() - uy * size)
    left = QPointF(back.x() - uy * size * 0.5, back.y() + ux * size * 0.5)
    right = QPointF(back.x() + uy * size * 0.5, back.y() - ux * size * 0.5)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(color)
    p.drawPolygon(QPolygonF([end, left, right]))


def paint_callflow(
    p: QPainter,
    target: QRectF,
    path: Sequence[str],
    *,
    dark: bool = False,
    font_family: str | None = None,
    min_font_px: float = MIN_FONT_PX,
    geometry: ChartGeometry = SCREEN,
) -> None:
    """Draw the chart into `target`; the nodes and edges of `path` are highlighted and numbered.

    One type scale: every node label in one size (the largest at which all of them fit their boxes) and every
    edge label in one smaller size, never below `min_font_px` (the PDF asks for 8 pt). Edge labels sit just
    above the box they lead to, wrapped to the column's width, and a label that would touch another moves up.
    """
    colors = ChartColors.for_theme(dark)
    rects = node_rects(target, geometry)
    scale, _, _ = _fit(target, geometry)
    on_nodes = {nid: i + 1 for i, nid in enumerate(path)}
    on_edges = set(callflow.path_edges(path))
    has_path = bool(path)
    p.save()
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setRenderHint(QPainter.RenderHint.TextAntialiasing)

    base = QFont(font_family) if font_family else QFont(p.font())
    base.setPixelSize(max(round(min_font_px), round(FONT_UNITS * scale)))
    base = _one_node_font(base, rects, min_font_px, scale)
    label_font = QFont(base)
    label_font.setPixelSize(max(round(min_font_px), min(base.pixelSize(), round(LABEL_FONT_UNITS * scale))))
    badges = []
    for nid in on_nodes:
        centre, r = _badge_spot(callflow.NODE_BY_ID[nid].shape, rects[nid], scale, label_font)
        badges.append(QRectF(centre.x() - r, centre.y() - r, 2 * r, 2 * r))
    labels = _edge_labels(rects, label_font, on_edges, scale, badges)

    # edges: the case's path last, so it is drawn over the others it crosses
    order = sorted(range(len(callflow.EDGES)), key=lambda i: i in on_edges)
    for index in order:
        edge = callflow.EDGES[index]
        on = index in on_edges
        src, dst = callflow.NODE_BY_ID[edge.source], callflow.NODE_BY_ID[edge.target]
        start, end = _edge_points(rects[edge.source], rects[edge.target], dst.layer > src.layer)
        color = colors.path_edge if on else colors.edge
        if has_path and not on:
            color = QColor(color)
            color.setAlphaF(0.75)
        pen = QPen(color, (4.5 if on else 1.6) * max(scale, 0.6))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        p.setPen(pen)
        head = (15 if on else 10) * max(scale, 0.6)
        length = ((end.x() - start.x()) ** 2 + (end.y() - start.y()) ** 2) ** 0.5 or 1.0
        shaft_end = QPointF(
            end.x() - (end.x() - start.x()) / length * head * 0.8, end.y() - (end.y() - start.y()) / length * head * 0.8
        )
        p.drawLine(start, shaft_end)
        _arrow(p, start, end, head, color)
    for index in order:  # labels over every line, so no line crosses a label
        placed = labels.get(index)
        if placed is None:
            continue
        on = index in on_edges
        box, lines = placed
        font = QFont(label_font)
        font.setBold(on)
        p.setFont(font)
        p.setPen(QPen(colors.path_edge, 1.5) if on else Qt.PenStyle.NoPen)
        p.setBrush(colors.path_fill if on else colors.label_bg)
        p.drawRoundedRect(box, 4, 4)
        p.setPen(colors.path_text if on else (colors.dim_text if has_path else colors.text))
        p.drawText(box, Qt.AlignmentFlag.AlignCenter, "\n".join(lines))

    for node in callflow.NODES:
        rect = rects[node.id]
        on = node.id in on_nodes
        fill = colors.path_fill if on else colors.node_fill
        pen = QPen(colors.path_stroke if on else colors.node_stroke, (3.2 if on else 1.3) * max(scale, 0.6))
        p.setPen(pen)
        p.setBrush(fill)
        shape = QPainterPath()
        text_rect = _text_rect(node.shape, rect, scale)
        if node.shape == "decision":
            # a question: a hexagon (pointed ends) rather than a diamond, whose text band is half its width
            c, tip = rect.center(), rect.width() * HEX_TIP
            shape.addPolygon(
                QPolygonF(
                    [
                        QPointF(rect.left() + tip, rect.top()),
                        QPointF(rect.right() - tip, rect.top()),
                        QPointF(rect.right(), c.y()),
                        QPointF(rect.right() - tip, rect.bottom()),
                        QPointF(rect.left() + tip, rect.bottom()),
                        QPointF(rect.left(), c.y()),
                        QPointF(rect.left() + tip, rect.top()),
                    ]
                )
            )
        else:
            radius = rect.height() / 2 if node.shape == "start" else 7 * scale
            shape.addRoundedRect(rect, radius, radius)
        p.drawPath(shape)
        font = QFont(base)
        font.setBold(on)
        lines = _wrap(node.label, QFontMetricsF(font), text_rect.width())
        p.setFont(font)
        p.setPen(colors.path_text if on else (colors.dim_text if has_path else colors.text))
        p.drawText(text_rect, Qt.AlignmentFlag.AlignCenter, "\n".join(lines))
    for node in callflow.NODES:  # the step numbers last: nothing is drawn over them
        if node.id in on_nodes:
            _badge(p, node.shape, rects[node.id], on_nodes[node.id], scale, colors, label_font)
    p.restore()


def _area(rect: QRectF) -> float:
    return rect.width() * rect.height() if rect.isValid() else 0.0


def _badge(
    p: QPainter, shape: str, rect: QRectF, number: int, scale: float, colors: ChartColors, font: QFont
) -> None:
    """The step number of a path node, on the node's outline where no arrow arrives: a box's top edge near its
    left end (arrows arrive at the middle), a diamond's left corner."""
    centre, r = _badge_spot(shape, rect, scale, font)
    p.setPen(QPen(colors.background, max(1.0, 1.5 * scale)))
    p.setBrush(colors.path_stroke)
    p.drawEllipse(centre, r, r)
    bold = QFont(font)
    bold.setBold(True)
    p.setFont(bold)
    p.setPen(colors.badge_text)
    p.drawText(QRectF(centre.x() - r, centre.y() - r, 2 * r, 2 * r), Qt.AlignmentFlag.AlignCenter, str(number))


def _badge_spot(shape: str, rect: QRectF, scale: float, font: QFont) -> tuple[QPointF, float]:
    r = max(font.pixelSize() * 0.8, 11 * scale)
    if shape == "decision":
        return QPointF(rect.left() + rect.width() * HEX_TIP + r * 0.2, rect.top()), r
    if shape == "start":
        return QPointF(rect.left() + rect.height() / 2, rect.top()), r
    return QPointF(rect.left() + r * 0.25, rect.top() + r * 0.25), r  # the corner, clear of centred text


def _text_rect(shape: str, rect: QRectF, scale: float) -> QRectF:
    """Where a node's label goes: the diamond's widest band, a box less its padding."""
    if shape == "decision":
        dx, dy = rect.width() * HEX_TIP * 0.45, rect.height() * 0.08
        return rect.adjusted(dx, dy, -dx, -dy)
    inset = 6 * scale + (rect.height() * 0.15 if shape == "start" else 0)
    return rect.adjusted(inset, 3 * scale, -inset, -3 * scale)


def _one_node_font(base: QFont, rects: dict[str, QRectF], min_px: float, scale: float) -> QFont:
    """The largest size (from `base` down, not below `min_px`) at which every node's label fits its box, in bold
    (the path's nodes are bold): one type scale for the whole chart."""
    font = QFont(base)
    font.setBold(True)
    size = base.pixelSize()
    while size > min_px:
        metrics = QFontMetricsF(font)
        if all(_fits(node.label, node.shape, rects[node.id], scale, metrics) for node in callflow.NODES):
            break
        size -= 1
        font.setPixelSize(size)
    out = QFont(base)
    out.setPixelSize(max(size, round(min_px)))
    return out


def _fits(label: str, shape: str, rect: QRectF, scale: float, metrics: QFontMetricsF) -> bool:
    area = _text_rect(shape, rect, scale)
    lines = _wrap(label, metrics, area.width())
    return all(metrics.horizontalAdvance(line) <= area.width() for line in lines) and (
        len(lines) * metrics.lineSpacing() <= area.height() + 1
    )


def _edge_labels(
    rects: dict[str, QRectF], font: QFont, on_edges: set[int], scale: float, badges: list[QRectF]
) -> dict[int, tuple[QRectF, list[str]]]:
    """Each labelled edge's label box and lines: on its edge, nearer the box it leads to (fanned-out edges are a
    column apart there), wrapped to a column's width, slid along the edge until it touches no box or label."""
    placed: dict[int, tuple[QRectF, list[str]]] = {}
    pitch = min((r.width() for r in rects.values()), default=100.0) + 6 * scale
    for index, edge in enumerate(callflow.EDGES):
        if not edge.label:
            continue
        bold = QFont(font)
        bold.setBold(index in on_edges)
        metrics = QFontMetricsF(bold)
        src, dst = callflow.NODE_BY_ID[edge.source], callflow.NODE_BY_ID[edge.target]
        start, end = _edge_points(rects[edge.source], rects[edge.target], dst.layer > src.layer)
        taken = [b for b, _l in placed.values()] + list(rects.values()) + badges
        best: tuple[float, QRectF, list[str]] | None = None
        for narrow in (0.95, 0.6, 0.45):  # one line if it fits somewhere, else narrower lines
            lines = _wrap(edge.label, metrics, pitch * narrow)
            w = max(metrics.horizontalAdvance(line) for line in lines) + 6 * max(scale, 0.5)
            h = len(lines) * metrics.lineSpacing() + 2
            spots = [(t, lift) for lift in (0.0, -0.5, 0.5) for t in LABEL_TRIES]  # on the edge, else just beside it
            for t, lift in spots:  # the spot that touches least; the first that touches nothing wins
                at = QPointF(start.x() + (end.x() - start.x()) * t, start.y() + (end.y() - start.y()) * t + lift * h)
                box = QRectF(at.x() - w / 2, at.y() - h / 2, w, h)
                touched = sum(_area(b.adjusted(-3, -2, 3, 2).intersected(box)) for b in taken)
                if best is None or touched < best[0]:
                    best = (touched, box, lines)
                if touched == 0:
                    break
            if best is not None and best[0] == 0:
                break
        assert best is not None
        _touched, box, lines = best
        placed[index] = (box, lines)
    return placed


def path_caption(path: Sequence[str]) -> str:
    if not path:
        return "No path is marked: there are no call records to place this case on the chart."
    return "This case: " + " → ".join(callflow.NODE_BY_ID[n].label for n in path)


def callflow_image(path: Sequence[str], width_px: int = 2000, *, dark: bool = False) -> QImage:
    """The chart as an image (the PDF export embeds it); a QGuiApplication must exist for the fonts."""
    _, width, height = chart_layout()
    height_px = max(1, round(width_px * height / width))
    image = QImage(width_px, height_px, QImage.Format.Format_RGB32)
    image.fill(ChartColors.for_theme(dark).background)
    painter = QPainter(image)
    try:
        paint_callflow(painter, QRectF(0, 0, width_px, height_px), path, dark=dark)
    finally:
        painter.end()
    return image
