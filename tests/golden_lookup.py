"""The JSON document of `sipsight lookup DEST --scenario NAME --json` for every built-in scenario, at a frozen
clock, so a change that should not alter what the agent reads can prove it did not.

Regenerate after a deliberate change in what a lookup says (and read the diff):
    .venv/bin/python tests/golden_lookup.py
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

import time_machine

import project_paths

GOLDEN = Path(__file__).resolve().parent / "golden"
FROZEN = datetime(2026, 6, 15, 17, 30, 0, tzinfo=UTC)


def scenario_names() -> list[str]:
    from sipsight.core.scenarios import load_scenarios

    return load_scenarios(include_user=False).names()


def lookup_document(name: str) -> dict:
    """The document as the CLI prints it, without its `generated_at` stamp."""
    from sipsight.core.scenarios import get_scenario
    from sipsight.launcher import main

    with time_machine.travel(FROZEN, tick=False):
        scenario = get_scenario(name)
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            code = main(["lookup", scenario.destination, "--scenario", name, "--json", "--tz", "America/Denver"])
    assert code == 0, f"lookup of scenario {name} exited {code}"
    doc = json.loads(out.getvalue())
    doc.pop("generated_at", None)
    return doc


def dumps(doc: dict) -> str:
    return json.dumps(doc, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    import os
    import tempfile

    os.environ["SIPSIGHT_HOME"] = tempfile.mkdtemp(prefix="sipsight-golden-")
    os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    sys.path.insert(0, str(project_paths.DESKTOP))
    for scenario in scenario_names():
        (GOLDEN / f"{scenario}.json").write_text(dumps(lookup_document(scenario)), encoding="utf-8")
        print("wrote", GOLDEN / f"{scenario}.json")
