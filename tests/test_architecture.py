"""The split we hold to: the core never imports Qt, and the code is lint-clean."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "desktop" / "sipsight"
QT_PACKAGES = {"gui"}  # sipsight.gui is the only place allowed to import PySide6
QT_MODULES = {"selftest.py"}  # the frozen app's self-test drives the GUI offscreen


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _core_files() -> list[Path]:
    files = []
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE)
        if rel.parts[0] in QT_PACKAGES or str(rel) in QT_MODULES:
            continue
        files.append(path)
    return files


def test_core_never_imports_qt_statically() -> None:
    offenders = {
        str(p.relative_to(ROOT)): sorted(
            n for n in _imports(p) if n.split(".")[0] in {"PySide6", "shiboken6", "PyQt5", "PyQt6"}
        )
        for p in _core_files()
    }
    offenders = {k: v for k, v in offenders.items() if v}
    assert not offenders, f"core modules import Qt: {offenders}"


def test_core_never_imports_qt_at_run_time() -> None:
    """Import every core module in a fresh interpreter and check PySide6 never got loaded."""
    modules = []
    for path in _core_files():
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__main__":
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules.append(".".join(parts))
    code = (
        "import importlib, sys\n"
        f"for m in {sorted(modules)!r}:\n"
        "    importlib.import_module(m)\n"
        "bad = sorted(k for k in sys.modules if k.split('.')[0] in ('PySide6', 'shiboken6'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "", f"importing the core loaded Qt: {out.stdout.strip()}"


def test_ruff_is_clean() -> None:
    ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    if not Path(ruff).exists():
        pytest.fail("ruff is not installed: install the test extra (pip install '.[test]')")
    out = subprocess.run(
        [ruff, "check", "desktop", "tests", "bench", "packaging"], cwd=ROOT, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-2000:]
