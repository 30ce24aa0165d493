"""Shared test setup: every test runs with its own SIPSight home, offscreen Qt, and no real keyring."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Never touch a developer's real keyring from the test-suite.
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("sipsight-home")
    monkeypatch.setenv("SIPSIGHT_HOME", str(home))
    for var in (
        "TWILIO_ACCOUNT_SID",
        "TWILIO_AUTH_TOKEN",
        "TWILIO_API_KEY",
        "TWILIO_API_SECRET",
        "SIPSIGHT_TWILIO_BASE_URL",
    ):
        monkeypatch.delenv(var, raising=False)
    return home


@pytest.fixture
def shared_dir() -> Path:
    """../shared beside the checkout (reference notes and provider specs); skips when absent."""
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is absent: the reference material and official provider specs live there")
    return SHARED


# CI runs the property tests with a fixed seed so a landing never depends on the dice; locally they
# explore new examples every run (and hypothesis' database replays any failure it found).
try:
    from hypothesis import settings as _hypothesis_settings

    _hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
    if os.environ.get("CI"):
        _hypothesis_settings.load_profile("ci")
except ImportError:  # hypothesis is in the test extra; without it the property tests are not collected
    pass
