"""The educational summary as a PDF (and the one place that writes summary files in any format).

PySide6-Essentials has no web engine and QTextDocument draws no SVG, so the PDF is the summary's HTML
(core.summary.render_html) adapted to Qt's rich-text subset (the CSS the rich-text engine ignores, borders on
divs, becomes tables). The call-flow chart is drawn straight into the PDF as vector paths and text
(export.callflow_chart through a QTextObjectInterface): selectable, sharp at any zoom, every label at least
8 pt. At that size it needs a landscape page: the text flows on portrait pages with no forced break, and the
"Call Flow" section (heading, chart, caption, tip) follows on a landscape page of its own, the handout's
figure. The pages are painted here (QPdfWriter + QPainter; page numbers at the foot), so one file can change
orientation. QPdfWriter needs no printer and no display.

Public API:
    export_summary(result, path, fmt=None, tz="UTC") -> Path   md | html | pdf (fmt None: from the suffix)
    save_summary_pdf(result, path, tz="UTC") -> Path
    html_to_pdf(html, path, images={}, chart_path=None) -> Path   a chart mark in `html` becomes the vector chart
    ensure_gui_app()   a QGuiApplication for fonts (offscreen when none exists: the CLI, scripts)
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QMarginsF, QRect, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPyTextObject,
    QTextCharFormat,
    QTextDocument,
    QTextFormat,
)

from sipsight.core.errors import InputError
from sipsight.export.qt_log import routed

if TYPE_CHECKING:
    from sipsight.core.models import LookupResult

log = logging.getLogger("sipsight.pdf")
FORMATS = ("md", "html", "pdf")
SUFFIXES = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".pdf": "pdf"}
CHART_MARK = "SIPSIGHT-CALLFLOW-CHART"  # a paragraph of the HTML that becomes the chart
CHART_OBJECT = int(QTextFormat.ObjectTypes.UserObject) + 1
RESOLUTION_DPI = 300
LAYOUT_DPI = 96  # QTextDocument lays text out in 96-dpi pixels; the painter scales them to the writer's dpi
MARGIN_IN = 0.75
LANDSCAPE_MARGIN_IN = 0.5  # the chart's page: as much width as a printer keeps
FOOTER_IN = 0.3  # the page number's band
MIN_LABEL_PX = 11  # 8.25 pt at 96 dpi: the chart's smallest text

# Qt's rich-text CSS subset; sizes in points because the page is measured in points.
_PDF_CSS = """
body { font-family: 'DejaVu Sans', 'Segoe UI', Helvetica, Arial, sans-serif; font-size: 10pt; color: #111827; }
h1 { font-size: 17pt; color: #111827; margin-top: 0; margin-bottom: 2pt; }
h2 { font-size: 12.5pt; color: #1f3b63; margin-top: 12pt; margin-bottom: 3pt; }
p.meta { color: #4b5563; font-size: 9pt; }
li { margin-bottom: 2pt; }
span.seen { background-color: #fef3c7; color: #92400e; font-size: 8.5pt; }
td.tipbar { background-color: #b45309; }
td.tip { background-color: #fffbeb; }
"""


def ensure_gui_app() -> QGuiApplication:
    """Fonts need an application object; the command line gets an offscreen one (no display required).

    A QApplication rather than a bare QGuiApplication, so widgets can still be created later in the same
    process (the test-suite, a script that goes on to open a window).
    """
    from PySide6.QtWidgets import QApplication

    app = QGuiApplication.instance()
    if app is None:
        with routed():  # what Qt says while it starts goes to the log too
            app = QApplication(["sipsight", "-platform", "offscreen"])
    return app  # type: ignore[return-value]


def _pdf_html(page_html: str) -> str:
    """render_html's page, adapted for QTextDocument (see the module docstring); the chart becomes a mark."""
    text = re.sub(r"<style>.*?</style>", "", page_html, flags=re.S)
    text = re.sub(r'<div class="chart">.*?</svg>\s*</div>', f'<p align="center">{CHART_MARK}</p>', text, flags=re.S)
    text = re.sub(
        r'<div class="tip">(.*?)</div>',
        r'<table width="100%" cellspacing="0" cellpadding="7" border="0"><tr>'
        r'<td class="tipbar" width="4"></td><td class="tip">\1</td></tr></table>',
        text,
        flags=re.S,
    )
    return text


def _page_layout(orientation: QPageLayout.Orientation) -> QPageLayout:
    return QPageLayout(
        QPageSize(QPageSize.PageSizeId.Letter), orientation, QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter
    )


def _writer(path: Path) -> QPdfWriter:
    writer = QPdfWriter(str(path))
    writer.setResolution(RESOLUTION_DPI)
    writer.setPageLayout(_page_layout(QPageLayout.Orientation.Portrait))
    writer.setCreator("SIPSight")
    writer.setTitle("Educational Summary")
    return writer


class _ChartObject(QPyTextObject):
    """The call-flow chart inside a QTextDocument: laid out like an image, drawn as vectors and text.

    QPyTextObject, not QObject + QTextObjectInterface: only it tells Qt that the object implements the interface,
    so the layout asks it for its size and drawing."""

    def __init__(self, path: list[str], width: float) -> None:
        super().__init__()
        from sipsight.export.callflow_chart import PRINT, chart_layout

        _, w, h = chart_layout(PRINT)
        self.path = path
        self.size = QSizeF(width, width * h / w)

    def intrinsicSize(self, doc: QTextDocument, pos: int, fmt: QTextFormat) -> QSizeF:
        return self.size

    def drawObject(
        self, painter: QPainter, rect: QRectF | QRect, doc: QTextDocument, pos: int, fmt: QTextFormat
    ) -> None:
        from sipsight.export.callflow_chart import PRINT, paint_callflow

        paint_callflow(
            painter, QRectF(rect), self.path, min_font_px=MIN_LABEL_PX, geometry=PRINT, font_family="DejaVu Sans"
        )


def _document(html: str, images: Mapping[str, QImage], chart: _ChartObject | None) -> QTextDocument:
    doc = QTextDocument()
    doc.setDefaultStyleSheet(_PDF_CSS)
    for url, image in images.items():
        doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(url), image)
    doc.setHtml(html)
    if chart is not None:
        cursor = doc.find(CHART_MARK)
        if not cursor.isNull():
            doc.documentLayout().registerHandler(CHART_OBJECT, chart)  # before the object: it is laid out at once
            chart.setParent(doc)  # the handler lives as long as the document
            fmt = QTextCharFormat()
            fmt.setObjectType(CHART_OBJECT)
            cursor.insertText("\ufffc", fmt)
    return doc


def _margin(orientation: QPageLayout.Orientation) -> float:
    return LANDSCAPE_MARGIN_IN if orientation == QPageLayout.Orientation.Landscape else MARGIN_IN


class _Pages:
    """Paints documents page by page onto one writer; each document may have its own orientation."""

    def __init__(self, writer: QPdfWriter) -> None:
        self.writer = writer
        self.painter: QPainter | None = None
        self.number = 0

    def body(self, orientation: QPageLayout.Orientation) -> QSizeF:
        """The text area of a Letter page in this orientation, in layout pixels."""
        w, h = (8.5, 11.0) if orientation == QPageLayout.Orientation.Portrait else (11.0, 8.5)
        m = _margin(orientation)
        return QSizeF((w - 2 * m) * LAYOUT_DPI, (h - 2 * m - FOOTER_IN) * LAYOUT_DPI)

    def add(self, doc: QTextDocument, orientation: QPageLayout.Orientation) -> None:
        body = self.body(orientation)
        doc.setPageSize(body)
        scale = RESOLUTION_DPI / LAYOUT_DPI
        for page in range(doc.pageCount()):
            painter = self._next_page(orientation)
            painter.save()
            painter.scale(scale, scale)
            margin = _margin(orientation) * LAYOUT_DPI
            painter.translate(margin, margin - page * body.height())
            doc.drawContents(painter, QRectF(0, page * body.height(), body.width(), body.height()))
            painter.restore()
            self._footer(painter, body, _margin(orientation))

    def _next_page(self, orientation: QPageLayout.Orientation) -> QPainter:
        if self.painter is None:
            self.writer.setPageLayout(_page_layout(orientation))
            self.painter = QPainter(self.writer)
        else:
            self.writer.setPageLayout(_page_layout(orientation))
            self.writer.newPage()
        self.number += 1
        return self.painter

    def _footer(self, painter: QPainter, body: QSizeF, margin_in: float) -> None:
        scale = RESOLUTION_DPI / LAYOUT_DPI
        painter.save()
        painter.scale(scale, scale)
        font = QFont("DejaVu Sans")
        font.setPixelSize(11)
        painter.setFont(font)
        painter.setPen(QColor("#6b7280"))
        top = (margin_in * LAYOUT_DPI) + body.height()
        band = QRectF(margin_in * LAYOUT_DPI, top, body.width(), FOOTER_IN * LAYOUT_DPI)
        painter.drawText(band, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom, str(self.number))
        painter.restore()

    def finish(self) -> None:
        if self.painter is not None:
            self.painter.end()
            self.painter = None


def _check_writable(path: Path) -> None:
    """Open the file as the writer will, so an unwritable path is one clear error before Qt tries (and complains)."""
    existed = path.exists()
    try:
        with path.open("ab"):
            pass
    except OSError as err:
        raise InputError(
            f"Cannot write the PDF to {path}: {err.strerror or err}.", "Choose a folder you can write to."
        ) from None
    if not existed:
        path.unlink(missing_ok=True)  # leave no empty file behind if the layout fails later


def html_to_pdf(
    html: str, path: Path | str, images: Mapping[str, QImage] | None = None, chart_path: list[str] | None = None
) -> Path:
    """Lay `html` out on Letter pages and write the PDF; `images` are served to <img src="..."> by URL. With
    `chart_path`, the section from "<h2>Call Flow" on goes on a landscape page and its CHART_MARK paragraph
    becomes the vector call-flow chart with that path marked."""
    ensure_gui_app()
    path = Path(path)
    _check_writable(path)
    landscape_part = ""
    if chart_path is not None and "<h2>Call Flow" in html:
        at = html.index("<h2>Call Flow")
        html, landscape_part = html[:at] + "</body></html>", "<html><body>" + html[at:]
    with routed():
        writer = _writer(path)
        pages = _Pages(writer)
        try:
            pages.add(_document(html, images or {}, None), QPageLayout.Orientation.Portrait)
            if landscape_part:
                landscape = QPageLayout.Orientation.Landscape
                body = pages.body(landscape)
                width = body.width() - 8
                chart = _ChartObject(list(chart_path or []), width)
                room = body.height() * 0.86  # the heading, caption and tip stay on its page
                if chart.size.height() > room:
                    chart = _ChartObject(list(chart_path or []), width * room / chart.size.height())
                pages.add(_document(landscape_part, images or {}, chart), landscape)
        finally:
            pages.finish()
        del writer  # the file is complete when the writer is gone
    if not path.is_file() or path.stat().st_size == 0:
        raise InputError(f"Could not write the PDF to {path}.", "Check that the folder exists and is writable.")
    return path


def save_summary_pdf(result: LookupResult, path: Path | str, tz: str = "UTC") -> Path:
    """The educational summary of `result` as a PDF with the call-flow chart drawn as vectors."""
    from sipsight.core.replies import callflow
    from sipsight.core.replies.summary import render_html

    ensure_gui_app()
    case_path = callflow.path_for(result.diagnosis, result.attempts)
    return html_to_pdf(_pdf_html(render_html(result, tz=tz)), path, chart_path=list(case_path))


def format_for(path: Path | str | None, fmt: str | None) -> str:
    """The export format: as given, else from the file's suffix, else Markdown."""
    if fmt:
        if fmt not in FORMATS:
            raise InputError(f"Unknown summary format '{fmt}'.", f"Use one of: {', '.join(FORMATS)}.")
        return fmt
    if path is not None:
        return SUFFIXES.get(Path(path).suffix.lower(), "md")
    return "md"


def summary_text(result: LookupResult, fmt: str, tz: str = "UTC") -> str:
    from sipsight.core.replies.summary import render_html, render_markdown

    return render_markdown(result, tz=tz) if fmt == "md" else render_html(result, tz=tz)


def export_summary(result: LookupResult, path: Path | str, fmt: str | None = None, tz: str = "UTC") -> Path:
    """Write the summary of `result` to `path` as Markdown, HTML or PDF; returns the path written."""
    path = Path(path)
    fmt = format_for(path, fmt)
    if not path.parent.is_dir():
        raise InputError(f"The folder {path.parent} does not exist.", "Choose a folder that exists.")
    try:
        if fmt == "pdf":
            return save_summary_pdf(result, path, tz=tz)
        path.write_text(summary_text(result, fmt, tz), encoding="utf-8")
    except PermissionError:
        raise InputError(f"Cannot write {path}: permission denied.", "Choose another folder.") from None
    return path
