"""Every built-in scenario's lookup document is the one in tests/golden/ (see tests/golden_lookup.py)."""

from __future__ import annotations

import difflib

import pytest

from golden_lookup import GOLDEN, dumps, lookup_document, scenario_names


@pytest.mark.parametrize("name", scenario_names())
def test_lookup_document_matches_the_golden_one(name: str) -> None:
    expected = (GOLDEN / f"{name}.json").read_text(encoding="utf-8")
    actual = dumps(lookup_document(name))
    if actual != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True), "golden", "now", n=2))
        pytest.fail(f"the lookup document of {name} changed (regenerate with tests/golden_lookup.py if meant):\n"
                    + diff[:6000])


def test_every_scenario_has_a_golden_document() -> None:
    assert {p.stem for p in GOLDEN.glob("*.json")} == set(scenario_names())
