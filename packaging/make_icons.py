"""Render the one SVG icon source to every raster the platforms want.

Output (default build/icons/): hicolor/<n>x<n>/apps/sipsight.png for Linux, sipsight.ico for
Windows, sipsight.icns for macOS. Qt's own image plugins write all three, so no extra tool is needed.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "resources" / "icons" / "sipsight.svg"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def render(out: Path) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QImageWriter, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 - keeps Qt alive
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        raise SystemExit(f"cannot read {SOURCE}")
    written: list[Path] = []
    images: dict[int, QImage] = {}
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        images[size] = image
        path = out / "hicolor" / f"{size}x{size}" / "apps" / "sipsight.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        image.save(str(path), "PNG")
        written.append(path)
    for name, fmt, size in (("sipsight.ico", b"ico", 256), ("sipsight.icns", b"icns", 512)):
        writer = QImageWriter(str(out / name), fmt)
        if writer.write(images[size]):
            written.append(out / name)
        else:
            print(f"warning: could not write {name}: {writer.errorString()}", file=sys.stderr)
    scalable = out / "hicolor" / "scalable" / "apps" / "sipsight.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    scalable.write_bytes(SOURCE.read_bytes())
    written.append(scalable)
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "icons")
    args = parser.parse_args()
    for path in render(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
