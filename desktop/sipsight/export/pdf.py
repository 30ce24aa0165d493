"""The educational summary as a PDF (and the one place that writes summary files in any format).

PySide6-Essentials has no web engine and QTextDocument draws no SVG, so the PDF is the summary's HTML
(core.summary.render_html) adapted to Qt's rich-text subset: the inline SVG chart is replaced by the same
chart painted natively (export.callflow_chart) as a high-resolution image, and the CSS the rich-text
engine ignores (borders on divs) becomes tables. QPdfWriter needs no printer and no display.

Public API:
    export_summary(result, path, fmt=None, tz="UTC") -> Path   md | html | pdf (fmt None: from the suffix)
    save_summary_pdf(result, path, tz="UTC") -> Path
    html_to_pdf(html, path, images={}) -> Path
    ensure_gui_app()   a QGuiApplication for fonts (offscreen when none exists: the CLI, scripts)
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QMarginsF, QUrl
from PySide6.QtGui import QGuiApplication, QImage, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from sipsight.core.errors import InputError
from sipsight.export.qt_log import routed

if TYPE_CHECKING:
    from sipsight.core.models import LookupResult

log = logging.getLogger("sipsight.pdf")
FORMATS = ("md", "html", "pdf")
SUFFIXES = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".pdf": "pdf"}
CHART_URL = "sipsight-chart://callflow.png"
CHART_WIDTH_PX = 2400  # the image is drawn large and shown at page width: sharp when printed or zoomed
RESOLUTION_DPI = 300
# QTextDocument.print_ puts its own 2 cm margin inside the page; the writer adds none
TEXT_WIDTH_IN = 8.5 - 2 * 2 / 2.54 - 0.05

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


def _pdf_html(page_html: str, chart_width: float) -> str:
    """render_html's page, adapted for QTextDocument (see the module docstring)."""
    text = re.sub(r"<style>.*?</style>", "", page_html, flags=re.S)
    # the chart, its caption and the tip make one page: a handout, never a heading orphaned above it
    text = text.replace("<h2>Call Flow", '<h2 style="page-break-before: always">Call Flow', 1)
    text = re.sub(
        r'<div class="chart">.*?</svg>\s*</div>',
        f'<p align="center"><img src="{CHART_URL}" width="{chart_width:.0f}"></p>',
        text,
        flags=re.S,
    )
    text = re.sub(
        r'<div class="tip">(.*?)</div>',
        r'<table width="100%" cellspacing="0" cellpadding="7" border="0"><tr>'
        r'<td class="tipbar" width="4"></td><td class="tip">\1</td></tr></table>',
        text,
        flags=re.S,
    )
    return text


def _writer(path: Path) -> QPdfWriter:
    writer = QPdfWriter(str(path))
    writer.setResolution(RESOLUTION_DPI)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.Letter),
            QPageLayout.Orientation.Portrait,
            QMarginsF(0, 0, 0, 0),
            QPageLayout.Unit.Millimeter,
        )
    )
    writer.setCreator("SIPSight")
    writer.setTitle("Educational Summary")
    return writer


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


def html_to_pdf(html: str, path: Path | str, images: Mapping[str, QImage] | None = None) -> Path:
    """Lay `html` out on Letter pages and write the PDF; `images` are served to <img src="..."> by URL."""
    ensure_gui_app()
    path = Path(path)
    _check_writable(path)
    doc = QTextDocument()
    doc.setDefaultStyleSheet(_PDF_CSS)
    for url, image in (images or {}).items():
        doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(url), image)
    doc.setHtml(html)
    with routed():
        writer = _writer(path)
        doc.print_(writer)
        del writer  # the file is complete when the writer is gone
    if not path.is_file() or path.stat().st_size == 0:
        raise InputError(f"Could not write the PDF to {path}.", "Check that the folder exists and is writable.")
    return path


def save_summary_pdf(result: LookupResult, path: Path | str, tz: str = "UTC") -> Path:
    """The educational summary of `result` as a PDF with the native call-flow chart."""
    from sipsight.core.replies import callflow
    from sipsight.core.replies.summary import render_html
    from sipsight.export.callflow_chart import callflow_image

    ensure_gui_app()
    case_path = callflow.path_for(result.diagnosis, result.attempts)
    # QTextDocument lays pages out in 96-dpi units
    page = _pdf_html(render_html(result, tz=tz), chart_width=TEXT_WIDTH_IN * 96)
    return html_to_pdf(page, path, {CHART_URL: callflow_image(case_path, CHART_WIDTH_PX)})


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
