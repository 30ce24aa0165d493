"""Secrets (API key secrets, auth tokens) live only in the OS keyring, never on disk or in logs.

Keyring entries: service "sipsight", username "<profile>:<field>". Without a usable keyring backend
(a headless Linux box, or the test-suite's null backend) the secret is kept in memory for this
session only, and the user is told so.
"""

from __future__ import annotations

import logging
import threading

import keyring
import keyring.errors
from keyring.backend import KeyringBackend

SERVICE = "sipsight"
SESSION_ONLY_MESSAGE = "No system keyring is available: the secret is kept for this session only."

log = logging.getLogger("sipsight.credentials")

_session: dict[str, str] = {}
_lock = threading.Lock()


def _username(profile: str, field: str) -> str:
    return f"{profile}:{field}"


def keyring_available() -> bool:
    """True when the active keyring backend actually stores secrets (not the null/fail placeholders)."""
    try:
        backend: KeyringBackend = keyring.get_keyring()
    except Exception:  # a broken keyring configuration is "no keyring", not a crash
        return False
    names = {type(b).__module__ + "." + type(b).__name__ for b in getattr(backend, "backends", [backend])}
    usable = {n for n in names if not n.startswith(("keyring.backends.null.", "keyring.backends.fail."))}
    try:
        priority = float(backend.priority)
    except Exception:
        priority = 0.0
    return bool(usable) and priority > 0


def set_secret(profile: str, field: str, secret: str) -> str | None:
    """Store a secret; returns a user-facing notice when it could only be kept for this session."""
    key = _username(profile, field)
    if keyring_available():
        try:
            keyring.set_password(SERVICE, key, secret)
            with _lock:
                _session.pop(key, None)
            return None
        except keyring.errors.KeyringError as exc:
            log.warning("keyring refused to store the secret for profile %s (%s)", profile, type(exc).__name__)
    with _lock:
        _session[key] = secret
    return SESSION_ONLY_MESSAGE


def get_secret(profile: str, field: str) -> str | None:
    key = _username(profile, field)
    with _lock:
        if key in _session:
            return _session[key]
    if not keyring_available():
        return None
    try:
        return keyring.get_password(SERVICE, key)
    except keyring.errors.KeyringError as exc:
        log.warning("keyring could not read the secret for profile %s (%s)", profile, type(exc).__name__)
        return None


def delete_secret(profile: str, field: str) -> None:
    key = _username(profile, field)
    with _lock:
        _session.pop(key, None)
    if keyring_available():
        try:
            keyring.delete_password(SERVICE, key)
        except keyring.errors.PasswordDeleteError:
            pass  # nothing stored: fine
        except keyring.errors.KeyringError as exc:
            log.warning("keyring could not delete the secret for profile %s (%s)", profile, type(exc).__name__)


def forget_session_secrets() -> None:
    """Drop every session-only secret (tests; "sign out" in the GUI)."""
    with _lock:
        _session.clear()
