"""The display zone: TZ, then the /etc/localtime link, then a Debian-style /etc/timezone, else UTC."""

from __future__ import annotations

from pathlib import Path

import pytest

from sipsight.core import timezones
from sipsight.core.errors import InputError


@pytest.fixture
def no_system_zone(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.delenv("TZ", raising=False)
    monkeypatch.setattr(timezones, "ETC_LOCALTIME", tmp_path / "no-localtime")
    etc = tmp_path / "timezone"
    monkeypatch.setattr(timezones, "ETC_TIMEZONE", etc)
    return etc


def test_tz_variable_wins(monkeypatch: pytest.MonkeyPatch, no_system_zone: Path) -> None:
    monkeypatch.setenv("TZ", ":America/Denver")
    assert timezones.resolve_tz("local") == "America/Denver"


def test_etc_timezone_names_the_zone_when_nothing_else_does(no_system_zone: Path) -> None:
    no_system_zone.write_text("America/Chicago\n", encoding="utf-8")
    assert timezones.resolve_tz(None) == "America/Chicago"
    no_system_zone.write_text("Not/AZone\n", encoding="utf-8")
    assert timezones.resolve_tz("local") == "UTC"


def test_explicit_names(no_system_zone: Path) -> None:
    assert timezones.resolve_tz("utc") == "UTC"
    assert timezones.resolve_tz("Europe/Berlin") == "Europe/Berlin"
    with pytest.raises(InputError, match="not a time zone"):
        timezones.resolve_tz("Mars/Olympus")
