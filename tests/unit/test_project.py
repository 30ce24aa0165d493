"""Project-level promises: one version everywhere, the README's two commands, CI runs the test one."""

from __future__ import annotations

import configparser
import re
import tomllib
import xml.etree.ElementTree as ET

import project_paths
import sipsight

ROOT = project_paths.ROOT


def test_one_version_everywhere() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["version"] == sipsight.__version__
    meta = ET.parse(ROOT / "packaging" / "linux" / "com.sipsight.SIPSight.metainfo.xml").getroot()
    releases = [r.get("version") for r in meta.iter("release")]
    assert releases and releases[0] == sipsight.__version__, "add a <release> for this version to the metainfo"


def _setup_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Set up", 1)[1].split("\n## ", 1)[0]
    return [
        line.strip()
        for block in re.findall(r"```(?:sh|bash)?\n(.*?)```", section, re.S)
        for line in block.splitlines()
        if line.strip() and not line.startswith("#")
    ]


def test_readme_has_exactly_two_setup_commands_and_ci_runs_the_test_one() -> None:
    commands = _setup_commands()
    assert len(commands) == 2, commands
    run_cmd, test_cmd = commands
    assert "sipsight" in run_cmd and "pip install" in run_cmd
    assert "pytest" in test_cmd and ".[test]" in test_cmd
    assert test_cmd in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert all("-c requirements/lock.txt" in c for c in commands), "both install with the lock file"


def _requirement_name(spec: str) -> str:
    return re.split(r"[\s<>=!~;\[]", spec, maxsplit=1)[0].lower().replace("_", "-").replace(".", "-")


def test_the_lock_pins_every_dependency_of_every_extra() -> None:
    """requirements/lock.txt (uv pip compile --universal, see docs/packaging.md) pins what pyproject asks for."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = {_requirement_name(s) for s in project["dependencies"]}
    for specs in project["optional-dependencies"].values():
        wanted |= {_requirement_name(s) for s in specs if not s.startswith("sipsight[")}
    lock = (ROOT / "requirements" / "lock.txt").read_text(encoding="utf-8")
    pinned = {_requirement_name(m) for m in re.findall(r"^([A-Za-z0-9_.\-]+)==", lock, re.M)}
    assert not wanted - pinned, f"not in requirements/lock.txt (regenerate it): {sorted(wanted - pinned)}"
    assert "pyside6-essentials" in pinned and "pyinstaller" in pinned


def test_desktop_entry_is_well_formed() -> None:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive in desktop files
    parser.read(ROOT / "packaging" / "linux" / "com.sipsight.SIPSight.desktop", encoding="utf-8")
    entry = parser["Desktop Entry"]
    assert entry["Type"] == "Application"
    assert entry["Exec"].split()[0] == "sipsight"
    assert entry["Icon"] == "sipsight"
    assert entry["Categories"].endswith(";")
