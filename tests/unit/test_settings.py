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
    assert names == [".settings.json.lock", "settings.json"]  # the lock file stays: deleting it would race
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


# ------------------------------------------------------------------ issue 12: nothing lost
def _backups(pattern: str = "settings.json.bad-*") -> list:
    return sorted(paths.config_dir().glob(pattern))


def test_v0_secret_without_keyring_keeps_a_byte_for_byte_copy_and_says_where() -> None:
    credentials.forget_session_secrets()
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    original = b'{"account_sid": "%s", "auth_token": "tok-only-copy", "tz": "UTC"}' % ACCOUNT.encode()
    path.write_bytes(original)
    settings, notes = load_settings_with_notes()
    assert settings.profile("default").auth_mode == "auth_token"
    copies = _backups("settings.json.v0-*")
    assert len(copies) == 1 and copies[0].read_bytes() == original
    said = " ".join(notes)
    assert "session only" in said and str(copies[0]) in said and "plain text" in said
    assert b"tok-only-copy" not in path.read_bytes()
    assert credentials.get_secret("default", "auth_token") == "tok-only-copy"
    assert load_settings_with_notes()[1] == []  # done once: no second copy, no second note
    assert len(_backups("settings.json.v0-*")) == 1


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b'{"history_days": ' + b"7" * 5000 + b"}", "cannot read"),
        (b'{"profiles": [' + b"[" * 40 + b"]" * 40 + b"]}", "nested too deeply"),
        (b'{"theme": "dark\xff"}', "not UTF-8"),
        (b"\x00" * 64, "NUL bytes"),
        (b"", "empty"),
    ],
)
def test_unreadable_settings_are_set_aside_byte_for_byte(content: bytes, said: str) -> None:
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    settings, notes = load_settings_with_notes()
    assert settings == Settings()
    assert len(notes) == 1 and said in notes[0] and "moved to" in notes[0]
    [backup] = _backups()
    assert backup.read_bytes() == content and str(backup) in notes[0]
    assert not path.exists()


def test_a_bom_from_a_windows_editor_is_read_not_set_aside() -> None:
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps({"schema_version": 1, "theme": "dark"}).encode())
    assert load_settings_with_notes() == (Settings(theme="dark"), [])
    assert not _backups()


def test_backups_in_the_same_second_never_overwrite_each_other() -> None:
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    for i in range(5):
        path.write_text("{broken " + str(i), encoding="utf-8")
        load_settings_with_notes()
    contents = sorted(b.read_text(encoding="utf-8") for b in _backups())
    assert contents == [f"{{broken {i}" for i in range(5)]


def test_a_folder_in_place_of_the_file_is_set_aside_and_saving_works_again() -> None:
    from sipsight.settings.store import set_preferences

    path = settings_path()
    (path / "inner").mkdir(parents=True)
    settings, notes = load_settings_with_notes()
    assert settings == Settings() and "folder" in notes[0]
    [backup] = _backups()
    assert (backup / "inner").is_dir()
    set_preferences(theme="dark")
    assert load_settings().theme == "dark"


def test_take_notes_hands_each_note_over_once() -> None:
    from sipsight.settings.store import take_notes

    take_notes()
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{", encoding="utf-8")
    load_settings()  # the notes are dropped here, as providers.factory does
    notes = take_notes()
    assert len(notes) == 1 and "could not be read" in notes[0]
    assert take_notes() == []


def test_targeted_updates_keep_what_the_file_holds_now() -> None:
    from sipsight.settings.store import remove_profile, save_profile, set_active_profile, set_preferences

    stale = load_settings()  # a window's copy, loaded at start
    save_profile(twilio_profile("cli"))  # another writer meanwhile
    set_preferences(always_on_top=True, window_geometry="AdnQ")  # the window saves what it changed
    now = load_settings()
    assert [p.name for p in now.profiles] == ["cli"] and now.active_profile == "cli"
    assert now.always_on_top and now.window_geometry == "AdnQ" and stale.profiles == []
    save_profile(twilio_profile("work"), activate=True)
    set_active_profile("cli")
    assert load_settings().active_profile == "cli"
    removed = remove_profile("cli")
    assert removed is not None and removed.name == "cli"
    assert remove_profile("cli") is None
    assert [p.name for p in load_settings().profiles] == ["work"] and load_settings().active_profile is None


def test_preferences_are_checked_before_anything_is_written() -> None:
    from sipsight.settings.store import set_preferences

    save_settings(Settings(theme="dark"))
    before = settings_path().read_bytes()
    with pytest.raises(ValueError, match="not a preference"):
        set_preferences(profiles=[])
    with pytest.raises(ValidationError):
        set_preferences(lookup_window="9y")
    assert settings_path().read_bytes() == before


def test_a_settings_edit_replays_a_dialog_onto_the_current_file() -> None:
    from sipsight.settings.edits import SettingsEdit
    from sipsight.settings.store import apply_edit, save_profile

    save_profile(twilio_profile("old"), activate=True)
    edit = SettingsEdit()
    edit.save_profile(twilio_profile("renamed"), replaces="old").set_preferences(theme="light", default_region="gb")
    save_profile(twilio_profile("cli"))  # the CLI, while the dialog was open
    settings = apply_edit(edit)
    assert sorted(p.name for p in settings.profiles) == ["cli", "renamed"]
    assert (settings.active_profile, settings.theme, settings.default_region) == ("renamed", "light", "GB")
    assert load_settings() == settings


def test_keys_this_version_does_not_know_survive_an_update() -> None:
    from sipsight.settings.store import set_preferences

    _write_settings({"schema_version": 1, "agent_name": "Sam", "theme": "dark"})
    set_preferences(always_on_top=True)
    on_disk = json.loads(settings_path().read_text(encoding="utf-8"))
    assert on_disk["agent_name"] == "Sam" and on_disk["always_on_top"] and on_disk["theme"] == "dark"


def test_every_cli_command_tells_a_set_aside_note_once_on_stderr(capsys) -> None:
    from sipsight.launcher import main

    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"[" * 100_000 + b"]" * 100_000)
    assert main(["profile", "list"]) == 0
    err = capsys.readouterr().err
    assert err.count("sipsight: note:") == 1 and "nested too deeply" in err
    [backup] = _backups()
    assert backup.name in err  # the backup's name is told whole, not masked like a phone number


def test_a_lookup_that_fails_after_loading_the_settings_still_tells_their_note(capsys) -> None:
    """cli/main.py tells take_notes() on stderr after any command, a failing one too."""
    from sipsight.launcher import main
    from sipsight.settings.store import take_notes

    take_notes()
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{", encoding="utf-8")
    assert main(["lookup", "+13035550199"]) == 2  # no profile: it fails, after loading the settings
    err = capsys.readouterr().err
    assert err.count("could not be read") == 1 and "sipsight: note:" in err and "sipsight: error:" in err
    assert take_notes() == []
    assert len(list(paths.config_dir().glob("settings.json.bad-*"))) == 1
