"""Where the tests find the project's own files, and ../shared beside the checkout."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DESKTOP = ROOT / "desktop"
PACKAGE = DESKTOP / "sipsight"
RESOURCES = ROOT / "resources"
DATA = ROOT / "tests" / "data"
SHARED = ROOT.parent / "shared"
