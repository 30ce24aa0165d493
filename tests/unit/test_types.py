"""mypy over the whole package: strict for core, providers and settings, checked for the rest (pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import project_paths


def test_mypy_finds_no_errors() -> None:
    mypy = Path(sys.executable).with_name("mypy")
    if not mypy.exists():
        pytest.fail("mypy is not installed: install the test extra (pip install -e '.[test]')")
    out = subprocess.run(
        [str(mypy), "--no-error-summary"], cwd=project_paths.ROOT, capture_output=True, text=True, timeout=600
    )
    assert out.returncode == 0, out.stdout[-6000:] + out.stderr[-2000:]
