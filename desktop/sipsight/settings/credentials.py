"""Secrets (API key secrets, auth tokens) live only in the OS keyring, never on disk or in logs.

Keyring entries: service "sipsight", username "<profile>:<field>". Only a backend that keeps secrets in the OS
store counts as a keyring: keyrings.alt's plaintext file, the null and fail placeholders, and a chainer holding
only those do not. Without one (a headless Linux box, keyrings.alt alone, the test-suite's null backend) the
secret is kept in memory for this session only, and the user is told so.
"""

from __future__ import annotations

import logging
import threading

import keyring
import keyring.errors
from keyring.backend import KeyringBackend

SERVICE = "sipsight"
# The Intercom access token's entry ("@intercom:access_token"): no profile name starts with "@", so it never meets
# a telephony profile's secret.
INTERCOM_KEY = ("@intercom", "access_token")
SESSION_ONLY_MESSAGE = "No system keyring is available: the secret is kept for this session only."

log = logging.getLogger("sipsight.credentials")

_session: dict[str, str] = {}
_lock = threading.Lock()


def _username(profile: str, field: str) -> str:
    return f"{profile}:{field}"


# Backends that are no safe home for a secret: placeholders that store nothing, and keyrings.alt's files
# (PlaintextKeyring writes the secret in clear; its Encrypted* siblings ask for a password on a terminal, which
# would hang the desktop app). Matched on "module.Class" of the backend and of every class it derives from.
_REFUSED_PREFIXES = (
    "keyring.backends.null.",
    "keyring.backends.fail.",
    "keyrings.alt.file.",
    "keyrings.alt.file_base.",
    "keyrings.alt.pyfs.",
)


def _class_names(backend: object) -> set[str]:
    return {f"{cls.__module__}.{cls.__qualname__}" for cls in type(backend).__mro__}


def is_secure_backend(backend: KeyringBackend) -> bool:
    """A backend that keeps secrets in the OS store (or encrypted without a terminal prompt): not a placeholder,
    not a plaintext file, with a positive priority."""
    names = _class_names(backend)
    if any(n.startswith(_REFUSED_PREFIXES) or "plaintext" in n.lower() for n in names):
        return False
    try:
        return float(backend.priority) > 0
    except Exception:  # a backend whose priority cannot be told is not one to trust with a secret
        return False


def _secure_backend() -> KeyringBackend | None:
    """The backend SIPSight may store secrets in, or None. A chainer is never used as such: its first secure
    member is, so a failure there can never fall through to a plaintext file further down the chain."""
    try:
        backend: KeyringBackend = keyring.get_keyring()
        members = list(getattr(backend, "backends", None) or [backend]) if _is_chainer(backend) else [backend]
    except Exception:  # a broken keyring configuration is "no keyring", not a crash
        return None
    return next((b for b in members if not _is_chainer(b) and is_secure_backend(b)), None)


def _is_chainer(backend: object) -> bool:
    return any(n.startswith("keyring.backends.chainer.") for n in _class_names(backend))


def keyring_available() -> bool:
    """True when a secure keyring backend is there (see is_secure_backend): the OS store, not a plaintext file."""
    return _secure_backend() is not None


def backend_name() -> str:
    """The backend SIPSight would use, for a diagnostic line ('none' when secrets are kept for the session)."""
    backend = _secure_backend()
    return "none" if backend is None else f"{type(backend).__module__}.{type(backend).__name__}"


def set_secret(profile: str, field: str, secret: str) -> str | None:
    """Store a secret; returns a user-facing notice when it could only be kept for this session."""
    key = _username(profile, field)
    backend = _secure_backend()
    if backend is not None:
        try:
            backend.set_password(SERVICE, key, secret)
            with _lock:
                _session.pop(key, None)
            return None
        except Exception as exc:  # KeyringError, or a backend's own error: the session keeps the secret
            log.warning("keyring refused to store the secret for profile %s (%s)", profile, type(exc).__name__)
    with _lock:
        _session[key] = secret
    return SESSION_ONLY_MESSAGE


def get_secret(profile: str, field: str) -> str | None:
    key = _username(profile, field)
    with _lock:
        if key in _session:
            return _session[key]
    backend = _secure_backend()
    if backend is None:
        return None
    try:
        return backend.get_password(SERVICE, key)
    except Exception as exc:
        log.warning("keyring could not read the secret for profile %s (%s)", profile, type(exc).__name__)
        return None


def delete_secret(profile: str, field: str) -> None:
    key = _username(profile, field)
    with _lock:
        _session.pop(key, None)
    backend = _secure_backend()
    if backend is not None:
        try:
            backend.delete_password(SERVICE, key)
        except keyring.errors.PasswordDeleteError:
            pass  # nothing stored: fine
        except Exception as exc:
            log.warning("keyring could not delete the secret for profile %s (%s)", profile, type(exc).__name__)


def forget_session_secrets() -> None:
    """Drop every session-only secret (tests; "sign out" in the GUI)."""
    with _lock:
        _session.clear()
