"""The split we hold to, checked by tools: import-linter's contracts (pyproject.toml), Qt never loaded by the
Qt-free packages, module size, and lint."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import project_paths

ROOT = project_paths.ROOT
PACKAGE = ROOT / "desktop" / "sipsight"
QT_FREE = ("core", "providers", "settings", "simulator", "training", "cli")
MAX_MODULE_LINES = 600


def _tool(name: str) -> str:
    path = shutil.which(name) or str(Path(sys.executable).with_name(name))
    if not Path(path).exists():
        pytest.fail(f"{name} is not installed: install the test extra (pip install -e '.[test]')")
    return path


def _lint_imports(cwd: Path, config: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [_tool("lint-imports"), "--config", str(config), "--no-cache"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": str(cwd / "desktop"), "PATH": "/usr/bin:/bin"},
    )


def test_import_contracts_hold() -> None:
    out = _lint_imports(ROOT, ROOT / "pyproject.toml")
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-2000:]
    assert "0 broken" in out.stdout


def test_import_contracts_see_a_function_level_import(tmp_path: Path) -> None:
    """The contracts would catch what the old AST scan missed: a core function importing the GUI lazily."""
    shutil.copytree(PACKAGE, tmp_path / "desktop" / "sipsight", ignore=shutil.ignore_patterns("__pycache__"))
    phone = tmp_path / "desktop" / "sipsight" / "core" / "phone.py"
    phone.write_text(
        phone.read_text(encoding="utf-8") + "\n\ndef _lazy():\n    from sipsight.export.pdf import html_to_pdf\n"
        "\n    return html_to_pdf\n",
        encoding="utf-8",
    )
    out = _lint_imports(tmp_path, ROOT / "pyproject.toml")
    assert out.returncode != 0
    assert "sipsight.core.phone -> sipsight.export.pdf" in out.stdout


def test_qt_free_packages_never_load_qt_at_run_time() -> None:
    """Import every module of the Qt-free packages in a fresh interpreter: PySide6 never gets loaded."""
    modules = []
    for package in QT_FREE:
        for path in (PACKAGE / package).rglob("*.py"):
            parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
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
    assert out.stdout.strip() == "", f"importing the Qt-free packages loaded Qt: {out.stdout.strip()}"


def test_no_module_is_over_the_size_limit() -> None:
    big = {
        str(p.relative_to(ROOT)): n
        for p in PACKAGE.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert not big, f"modules over {MAX_MODULE_LINES} lines (split them by what they hold): {big}"


def test_ruff_is_clean() -> None:
    out = subprocess.run(
        [_tool("ruff"), "check", "desktop", "tests", "bench", "packaging"], cwd=ROOT, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-2000:]
