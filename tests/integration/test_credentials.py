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


# ------------------------------------------------------------------ issue 12: a plaintext file is no keyring
def _plaintext_keyring(monkeypatch: pytest.MonkeyPatch, tmp_path):
    from keyrings.alt.file import PlaintextKeyring

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    backend = PlaintextKeyring()
    assert str(tmp_path) in backend.file_path
    return backend


def _files_holding(root, secret: str) -> list:
    return [p for p in root.rglob("*") if p.is_file() and secret.encode() in p.read_bytes()]


@pytest.fixture
def active_keyring():
    previous = keyring.get_keyring()
    yield lambda backend: keyring.set_keyring(backend)
    keyring.set_keyring(previous)


def test_keyrings_alt_plaintext_file_is_not_taken_for_the_system_keyring(
    monkeypatch: pytest.MonkeyPatch, tmp_path, active_keyring
) -> None:
    backend = _plaintext_keyring(monkeypatch, tmp_path)
    active_keyring(backend)
    assert not credentials.keyring_available() and credentials.backend_name() == "none"
    assert credentials.set_secret("work", "api_key_secret", SECRET) == credentials.SESSION_ONLY_MESSAGE
    assert credentials.get_secret("work", "api_key_secret") == SECRET
    assert _files_holding(tmp_path, SECRET) == []


@pytest.mark.parametrize(
    "backend_path",
    [
        "keyring.backends.null.Keyring",
        "keyring.backends.fail.Keyring",
        "keyrings.alt.file.PlaintextKeyring",
        "keyrings.alt.file.EncryptedKeyring",  # asks for a password on a terminal: the app would hang
    ],
)
def test_refused_backends(backend_path: str, monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    import importlib

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    module, name = backend_path.rsplit(".", 1)
    cls = getattr(importlib.import_module(module), name)
    backend = cls.__new__(cls)  # EncryptedKeyring's __init__ needs pycryptodome; the class is what is judged
    assert not credentials.is_secure_backend(backend)
    assert credentials.is_secure_backend(MemoryKeyring())


def test_a_chainer_uses_its_secure_member_and_never_falls_through_to_plaintext(
    monkeypatch: pytest.MonkeyPatch, tmp_path, active_keyring
) -> None:
    from keyring.backends.chainer import ChainerBackend
    from keyring.backends.null import Keyring as NullKeyring

    plaintext = _plaintext_keyring(monkeypatch, tmp_path)
    monkeypatch.setattr(ChainerBackend, "backends", [plaintext, NullKeyring()])
    active_keyring(ChainerBackend())
    assert not credentials.keyring_available()  # a chain of only unsafe backends is no keyring
    assert credentials.set_secret("a", "auth_token", SECRET) == credentials.SESSION_ONLY_MESSAGE

    class Refusing(MemoryKeyring):
        def set_password(self, service: str, username: str, password: str) -> None:
            raise NotImplementedError  # the chainer would then try the plaintext file

    secure = MemoryKeyring()
    monkeypatch.setattr(ChainerBackend, "backends", [secure, plaintext])
    assert credentials.keyring_available()
    assert credentials.set_secret("b", "auth_token", SECRET) is None
    assert secure.store == {("sipsight", "b:auth_token"): SECRET}
    monkeypatch.setattr(ChainerBackend, "backends", [Refusing(), plaintext])
    assert credentials.set_secret("c", "auth_token", SECRET) == credentials.SESSION_ONLY_MESSAGE
    assert _files_holding(tmp_path, SECRET) == []


def test_profile_add_with_only_keyrings_alt_says_session_only_and_writes_no_secret(tmp_path, _isolated_home) -> None:
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring",
        "XDG_DATA_HOME": str(tmp_path / "xdg-data"),
        "SIPSIGHT_HOME": str(_isolated_home),
    }
    args = ["profile", "add", "w", "--account-sid", ACCOUNT, "--auth-mode", "auth_token", "--secret-stdin"]
    out = subprocess.run(
        [sys.executable, "-m", "sipsight", *args], input=SECRET + "\n", env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert credentials.SESSION_ONLY_MESSAGE in out.stdout
    assert _files_holding(tmp_path, SECRET) == [] and _files_holding(_isolated_home, SECRET) == []


def test_v0_secret_moved_to_the_keyring_leaves_a_copy_without_it(memory_keyring: MemoryKeyring) -> None:
    import json

    path = paths.config_dir() / "settings.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"account_sid": ACCOUNT, "api_key": KEY, "api_secret": SECRET, "tz": "UTC"}))
    settings = load_settings()
    assert settings.profile("default") is not None
    assert memory_keyring.store[("sipsight", "default:api_key_secret")] == SECRET
    [copy] = path.parent.glob("settings.json.v0-*")
    kept = json.loads(copy.read_text(encoding="utf-8"))
    assert kept["api_secret"] == "(moved to the system keyring)" and kept["api_key"] == KEY and kept["tz"] == "UTC"
    assert _files_holding(paths.config_dir().parent, SECRET) == []
