"""The one settings model and its file: defaults, validation, v0 -> v1 migration, corrupt files, atomic writes."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from sipsight.core import paths
from sipsight.settings import credentials
from sipsight.settings.model import SCHEMA_VERSION, Profile, Settings
from sipsight.settings.store import load_settings, load_settings_with_notes, save_settings, settings_path

ACCOUNT = "AC" + "0" * 32
KEY = "SK" + "1" * 32


def twilio_profile(name: str = "work", **extra) -> Profile:
    return Profile(name=name, account_sid=ACCOUNT, api_key_sid=KEY, **extra)


def test_defaults_are_what_the_gui_expects() -> None:
    s = Settings()
    assert s.schema_version == SCHEMA_VERSION == 1
    assert (s.default_region, s.timezone, s.window_geometry, s.always_on_top) == ("US", "local", None, False)
    assert (s.history_days, s.history_max, s.clipboard_watch, s.presenter_mode) == (30, 50, False, False)
    assert (s.lookup_window, s.theme, s.active_profile, s.profiles) == ("7d", "system", None, [])


def test_settings_file_lives_in_the_config_dir_and_round_trips() -> None:
    s = Settings(timezone="America/Denver", always_on_top=True).with_profile(twilio_profile(line_type_lookup=True))
    s.active_profile = "work"
    path = save_settings(s)
    assert path == paths.config_dir() / "settings.json" == settings_path()
    again = load_settings()
    assert again == s and again.profile("work").line_type_lookup


@pytest.mark.parametrize(
    "bad",
    [
        {"timezone": "Mars/Olympus"},
        {"lookup_window": "9y"},
        {"history_days": 0},
        {"profiles": [{"name": "a", "account_sid": ACCOUNT, "api_key_sid": KEY}] * 2},
        {"profiles": [{"name": "sw", "provider": "signalwire", "account_sid": "p"}]},  # no space
        {"profiles": [{"name": "t", "account_sid": ACCOUNT, "auth_mode": "api_key"}]},  # no key SID
        {"profiles": [{"name": "bad name!", "account_sid": ACCOUNT, "auth_mode": "auth_token"}]},
    ],
)
def test_invalid_settings_are_refused(bad: dict) -> None:
    with pytest.raises(ValidationError):
        Settings.model_validate(bad)


def test_profile_secret_field_follows_auth_mode() -> None:
    assert twilio_profile().secret_field == "api_key_secret"
    assert Profile(name="t", account_sid=ACCOUNT, auth_mode="auth_token").secret_field == "auth_token"
    sw = Profile(name="s", provider="signalwire", account_sid="proj", space="example")
    assert sw.secret_field == "api_token" and sw.auth_mode == "auth_token"


def test_remove_profile_clears_active() -> None:
    s = Settings().with_profile(twilio_profile())
    s.active_profile = "work"
    assert s.without_profile("work").active_profile is None


def test_corrupt_file_is_backed_up_and_defaults_used() -> None:
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('{"profiles": [', encoding="utf-8")
    settings, notes = load_settings_with_notes()
    assert settings == Settings()
    assert len(notes) == 1 and "could not be read" in notes[0] and "not valid JSON" in notes[0]
    backups = list(path.parent.glob("settings.json.bad-*"))
    assert len(backups) == 1 and backups[0].read_text() == '{"profiles": ['
    assert not path.exists()


def test_invalid_values_are_backed_up_with_the_field_named() -> None:
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"schema_version": 1, "history_days": -4}), encoding="utf-8")
    settings, notes = load_settings_with_notes()
    assert settings.history_days == 30 and "history_days" in notes[0]


def test_newer_schema_is_not_silently_misread() -> None:
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"schema_version": 99}), encoding="utf-8")
    _, notes = load_settings_with_notes()
    assert "newer SIPSight" in notes[0]


def test_v0_flat_layout_migrates_to_a_profile_and_moves_the_secret_out_of_the_file() -> None:
    credentials.forget_session_secrets()
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    v0 = {
        "provider": "twilio",
        "account_sid": ACCOUNT,
        "api_key": KEY,
        "api_secret": "plaintext-secret-from-v0",
        "region": "gb",
        "tz": "Europe/London",
        "on_top": True,
        "geometry": "AdnQywADAAA=",
    }
    path.write_text(json.dumps(v0), encoding="utf-8")
    settings, notes = load_settings_with_notes()
    assert settings.schema_version == 1 and settings.active_profile == "default"
    profile = settings.profile("default")
    assert profile.account_sid == ACCOUNT and profile.api_key_sid == KEY and profile.auth_mode == "api_key"
    assert (settings.default_region, settings.timezone, settings.always_on_top) == ("GB", "Europe/London", True)
    assert settings.window_geometry == "AdnQywADAAA="
    assert any("upgraded" in n for n in notes) and any("session only" in n for n in notes)
    # the file was rewritten as v1 and no longer holds the secret; the secret is still usable this session
    on_disk = path.read_text(encoding="utf-8")
    assert '"schema_version": 1' in on_disk and "plaintext-secret-from-v0" not in on_disk
    assert credentials.get_secret("default", "api_key_secret") == "plaintext-secret-from-v0"
    assert load_settings_with_notes()[1] == []  # migrating twice is a no-op


def test_v0_auth_token_layout_migrates_to_auth_token_mode() -> None:
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"account_sid": ACCOUNT, "auth_token": "tok-v0"}), encoding="utf-8")
    settings = load_settings()
    assert settings.profile("default").auth_mode == "auth_token"
    assert "tok-v0" not in path.read_text(encoding="utf-8")


def test_v0_without_account_keeps_preferences_only() -> None:
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"presenter": True}), encoding="utf-8")
    settings = load_settings()
    assert settings.presenter_mode and settings.profiles == []


def test_save_is_atomic_no_temp_files_left() -> None:
    save_settings(Settings())
    save_settings(Settings(theme="dark"))
    names = sorted(p.name for p in paths.config_dir().iterdir())
    assert names == ["settings.json"]
    assert load_settings().theme == "dark"


def _write_settings(data: dict) -> None:
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")


def test_versionless_file_with_v1_keys_is_read_as_v1_and_loses_nothing() -> None:
    # a v1 file whose schema_version was lost (hand edit, a script) is not the v0 layout
    old = {"name": "old", "account_sid": ACCOUNT, "auth_mode": "auth_token"}
    _write_settings({"profiles": [old], "active_profile": "old", "timezone": "America/Denver"})
    settings, notes = load_settings_with_notes()
    assert notes == []
    assert [p.name for p in settings.profiles] == ["old"] and settings.active_profile == "old"
    assert settings.timezone == "America/Denver"
    # the next save (what `profile add` does) keeps them
    save_settings(settings.with_profile(twilio_profile("w")))
    again = load_settings()
    assert sorted(p.name for p in again.profiles) == ["old", "w"] and again.timezone == "America/Denver"
    assert not list(paths.config_dir().glob("settings.json.bad-*"))


def test_versionless_file_with_invalid_v1_values_is_set_aside_with_the_field_named() -> None:
    # QA's repro: an api_key profile (the default auth mode) without its key SID is not a valid v1 profile
    data = {"profiles": [{"name": "old", "account_sid": "AC1"}], "active_profile": "old", "timezone": "America/Denver"}
    _write_settings(data)
    settings, notes = load_settings_with_notes()
    assert settings == Settings()
    assert len(notes) == 1 and "profiles.0" in notes[0] and "API key SID" in notes[0] and "moved to" in notes[0]
    backups = list(paths.config_dir().glob("settings.json.bad-*"))
    assert len(backups) == 1 and json.loads(backups[0].read_text()) == data


@pytest.mark.parametrize(
    ("data", "said"),
    [
        ({"account_sid": ACCOUNT, "profiles": [], "timezone": "UTC"}, "mixes the old layout"),
        ({"colour": "blue", "font": 12}, "none of its keys are settings"),
    ],
)
def test_versionless_file_that_is_neither_layout_is_set_aside_not_overwritten(data: dict, said: str) -> None:
    _write_settings(data)
    settings, notes = load_settings_with_notes()
    assert settings == Settings() and len(notes) == 1 and said in notes[0]
    backups = list(paths.config_dir().glob("settings.json.bad-*"))
    assert len(backups) == 1 and json.loads(backups[0].read_text()) == data
    assert not settings_path().exists()


def test_empty_object_is_all_defaults_without_a_note() -> None:
    _write_settings({})
    assert load_settings_with_notes() == (Settings(), [])


def test_profile_add_keeps_the_profiles_of_a_versionless_v1_file(monkeypatch) -> None:
    import io

    from sipsight.launcher import main

    old = {"name": "old", "account_sid": ACCOUNT, "auth_mode": "auth_token"}
    _write_settings({"profiles": [old], "active_profile": "old", "timezone": "America/Denver"})
    monkeypatch.setattr("sys.stdin", io.StringIO("s\n"))
    assert main(["profile", "add", "w", "--account-sid", "AC2", "--secret-stdin"]) == 0
    settings = load_settings()
    assert sorted(p.name for p in settings.profiles) == ["old", "w"]
    assert (settings.active_profile, settings.timezone) == ("old", "America/Denver")
