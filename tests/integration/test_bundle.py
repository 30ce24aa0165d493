"""Build the Linux one-folder bundle with PyInstaller and run its --self-test (marker: bundle).

Slow (a minute or two): skip locally with `pytest -m "not bundle"`; CI runs it. The bundle's
size is printed so the CI log reports it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import project_paths

ROOT = project_paths.ROOT

pytestmark = [pytest.mark.bundle, pytest.mark.slow]


def _size_mb(path: Path) -> float:
    # PyInstaller links shared libraries into place: count each file once, not through its links.
    return sum(f.lstat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink()) / 1e6


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux bundle is built on Linux")
def test_linux_bundle_builds_and_passes_self_test(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import PyInstaller  # noqa: F401  - in the test extra (through "package"): a missing one fails, never skips
    env = {**os.environ, "DIST": str(tmp_path / "dist"), "WORK": str(tmp_path / "build"), "PYTHON": sys.executable}
    build = subprocess.run(
        ["bash", str(ROOT / "packaging" / "linux" / "build.sh")], env=env, capture_output=True, text=True, timeout=900
    )
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-5000:]
    app = tmp_path / "dist" / "sipsight"
    exe = app / "sipsight"
    assert exe.is_file()
    for rel in (
        "share/applications/com.sipsight.SIPSight.desktop",
        "share/metainfo/com.sipsight.SIPSight.metainfo.xml",
        "share/icons/hicolor/256x256/apps/sipsight.png",
        "share/icons/hicolor/scalable/apps/sipsight.svg",
    ):
        assert (app / rel).is_file(), rel

    # The frozen app must not see the source tree or the test venv.
    clean_env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    clean_env.update(QT_QPA_PLATFORM="offscreen", SIPSIGHT_HOME=str(tmp_path / "home"))
    run = subprocess.run(
        [str(exe), "--self-test"], cwd=tmp_path, env=clean_env, capture_output=True, text=True, timeout=180
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "self-test passed" in run.stdout

    size = _size_mb(app)
    tarballs = list((tmp_path / "dist").glob("sipsight-*.tar.gz"))
    assert tarballs
    report = f"Linux bundle: {size:.1f} MB unpacked, {tarballs[0].stat().st_size / 1e6:.1f} MB as {tarballs[0].name}"
    with capsys.disabled():  # the size belongs in the CI log, not in pytest's captured output
        print(f"\n{report}")
    (ROOT / "build").mkdir(exist_ok=True)
    (ROOT / "build" / "bundle-size.txt").write_text(report + "\n", encoding="utf-8")
    # Lean means no Qt module the app does not use.
    for unwanted in ("libQt6Quick.so", "libQt6Qml.so", "libQt6Designer.so", "libQt6WebEngineCore.so"):
        assert not list(app.rglob(unwanted + "*")), f"{unwanted} should not be in the bundle"
    shutil.rmtree(tmp_path / "build", ignore_errors=True)
