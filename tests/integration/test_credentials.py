"""Secrets: keyring only (service "sipsight", "<profile>:<field>"), session-only fallback, never on disk or in logs."""

from __future__ import annotations

import io
import logging

import keyring
import pytest
from keyring.backend import KeyringBackend

from sipsight.core import paths
from sipsight.launcher import main
from sipsight.settings import credentials
from sipsight.settings.store import load_settings

ACCOUNT = "AC" + "0" * 32
KEY = "SK" + "1" * 32
SECRET = "very-secret-api-key-value-42"


class MemoryKeyring(KeyringBackend):
    priority = 5  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if (service, username) not in self.store:
            raise keyring.errors.PasswordDeleteError("missing")
        del self.store[(service, username)]


@pytest.fixture
def memory_keyring():
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    credentials.forget_session_secrets()
    yield backend
    keyring.set_keyring(previous)
    credentials.forget_session_secrets()


@pytest.fixture(autouse=True)
def _clean_session():
    credentials.forget_session_secrets()
    yield
    credentials.forget_session_secrets()


def test_null_keyring_is_detected_and_secret_kept_for_the_session() -> None:
    assert not credentials.keyring_available()  # conftest forces keyring.backends.null.Keyring
    notice = credentials.set_secret("work", "api_key_secret", SECRET)
    assert notice == "No system keyring is available: the secret is kept for this session only."
    assert credentials.get_secret("work", "api_key_secret") == SECRET
    credentials.forget_session_secrets()
    assert credentials.get_secret("work", "api_key_secret") is None


def test_real_keyring_uses_service_and_profile_field(memory_keyring: MemoryKeyring) -> None:
    assert credentials.keyring_available()
    assert credentials.set_secret("work", "auth_token", SECRET) is None
    assert memory_keyring.store == {("sipsight", "work:auth_token"): SECRET}
    assert credentials.get_secret("work", "auth_token") == SECRET
    credentials.delete_secret("work", "auth_token")
    assert memory_keyring.store == {}
    credentials.delete_secret("work", "auth_token")  # deleting twice is fine


def _add_profile(monkeypatch: pytest.MonkeyPatch, capsys, *extra: str) -> str:
    monkeypatch.setattr("sys.stdin", io.StringIO(SECRET + "\n"))
    code = main(["profile", "add", "work", "--account-sid", ACCOUNT, "--api-key", KEY, "--secret-stdin", *extra])
    assert code == 0
    return capsys.readouterr().out


def test_profile_add_never_writes_the_secret_to_disk_or_logs(
    monkeypatch: pytest.MonkeyPatch, capsys, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    out = _add_profile(monkeypatch, capsys, "--line-type-lookup", "--timezone", "America/Denver")
    assert "session only" in out and SECRET not in out
    files = [p for p in paths.config_dir().parent.rglob("*") if p.is_file()]
    assert files, "the settings file should exist"
    for f in files:
        assert SECRET.encode() not in f.read_bytes(), f"secret leaked into {f}"
    assert SECRET not in caplog.text
    profile = load_settings().profile("work")
    assert profile.line_type_lookup and profile.timezone == "America/Denver"
    assert load_settings().active_profile == "work"


def test_profile_add_with_keyring_stores_it_there(memory_keyring: MemoryKeyring, monkeypatch, capsys) -> None:
    out = _add_profile(monkeypatch, capsys)
    assert "system keyring" in out
    assert memory_keyring.store[("sipsight", "work:api_key_secret")] == SECRET


def test_profile_list_and_remove(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    _add_profile(monkeypatch, capsys)
    assert main(["profile", "list"]) == 0
    listed = capsys.readouterr().out
    assert "* work: twilio AC…0000" in listed and "secret stored" in listed and SECRET not in listed
    assert main(["profile", "remove", "work"]) == 0
    assert load_settings().profiles == [] and credentials.get_secret("work", "api_key_secret") is None
    assert main(["profile", "remove", "work"]) == 2
    assert "no profile named 'work'" in capsys.readouterr().err


def test_profile_add_rejects_bad_input_clearly(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("\n"))
    assert main(["profile", "add", "w", "--account-sid", ACCOUNT, "--api-key", KEY, "--secret-stdin"]) == 2
    assert "No API key secret was given" in capsys.readouterr().err
    code = main(["profile", "add", "w", "--account-sid", ACCOUNT, "--timezone", "Nowhere/Land", "--secret-stdin"])
    assert code == 2 and "not a time zone" in capsys.readouterr().err
    code = main(["profile", "add", "s", "--provider", "signalwire", "--account-sid", "p", "--secret-stdin"])
    assert code == 2 and "space" in capsys.readouterr().err
