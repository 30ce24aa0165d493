"""The display zone: TZ, then the system's zone (tzlocal), else UTC; names checked; saved names never break."""

from __future__ import annotations

from pathlib import Path

import pytest

from sipsight.core import timezones
from sipsight.core.errors import InputError


@pytest.fixture
def no_system_zone(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A system whose zone is named by the file this fixture returns (absent: tzlocal finds nothing)."""
    monkeypatch.delenv("TZ", raising=False)
    etc = tmp_path / "timezone"

    def system_zone() -> str | None:
        return etc.read_text(encoding="utf-8").strip() if etc.exists() else None

    monkeypatch.setattr(timezones, "_system_zone_name", system_zone)
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


def test_the_system_zone_is_read_by_tzlocal(monkeypatch: pytest.MonkeyPatch) -> None:
    import tzlocal

    monkeypatch.delenv("TZ", raising=False)
    monkeypatch.setattr(tzlocal, "get_localzone_name", lambda: "Asia/Tokyo")
    assert timezones.resolve_tz("local") == "Asia/Tokyo"

    def broken() -> str:
        raise OSError("no zone configured")

    monkeypatch.setattr(tzlocal, "get_localzone_name", broken)
    assert timezones.resolve_tz("local") == "UTC"


def test_zone_and_display_zone(no_system_zone: Path) -> None:
    assert str(timezones.zone("America/Denver")) == "America/Denver"
    with pytest.raises(InputError, match="not a time zone"):
        timezones.zone("Mars/Olympus")
    assert timezones.zone_for_display("Mars/Olympus")[1] == "UTC (Mars/Olympus unknown)"
    assert timezones.zone_for_display("Europe/Berlin")[1] == "Europe/Berlin"
    no_system_zone.write_text("America/Chicago\n", encoding="utf-8")
    assert timezones.zone_for_display("local")[1] == "America/Chicago"


def test_settings_check_names_the_problem() -> None:
    assert timezones.check_zone_name("local") == "local"
    assert timezones.check_zone_name("Europe/Paris") == "Europe/Paris"
    with pytest.raises(ValueError, match="not a time zone name"):
        timezones.check_zone_name("Nowhere/Land")


def test_utc_by_any_of_its_names_is_shown_as_utc(no_system_zone: Path) -> None:
    no_system_zone.write_text("Etc/UTC\n", encoding="utf-8")
    assert timezones.resolve_tz("local") == "UTC"
    assert timezones.resolve_tz("Etc/UTC") == "UTC"
    assert timezones.resolve_tz("zulu") == "UTC"
