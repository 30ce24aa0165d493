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
