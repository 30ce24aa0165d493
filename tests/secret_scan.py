"""What SIPSight wrote to disk, searched for secrets and unmasked phone numbers. For the secrets test of the network
side (tests/integration/test_lookup_e2e.py) and the storage side's profile tests: hand it the SIPSight home and the
secrets a session used; it reads every file there (config, data, logs, crash reports), text or not.

    leaks = secret_leaks(home, [secret])            # [] or ["logs/sipsight.log: the secret 'de…11' (base64)"]
    shown = unmasked_numbers(home / "logs", [dest])  # [] or the log files that hold a full number
"""

from __future__ import annotations

import base64
from collections.abc import Iterable
from pathlib import Path


def _forms(secret: str, user: str | None) -> dict[str, bytes]:
    """The ways a secret can end up in a file: as it is, and as HTTP Basic auth would carry it."""
    forms = {"as it is": secret.encode()}
    if user:
        forms["base64 Basic auth"] = base64.b64encode(f"{user}:{secret}".encode())
    return forms


def secret_leaks(root: Path, secrets: Iterable[str], user: str | None = None) -> list[str]:
    """Every file under `root` that holds one of `secrets` (or its Basic-auth header with `user`)."""
    leaks = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        data = path.read_bytes()
        for secret in secrets:
            for how, form in _forms(secret, user).items():
                if form in data:
                    leaks.append(f"{path.relative_to(root)}: the secret '{secret[:2]}…{secret[-2:]}' ({how})")
    return leaks


def unmasked_numbers(root: Path, numbers: Iterable[str]) -> list[str]:
    """Files under `root` holding any of the E.164 `numbers` in full (with or without the +, or URL-encoded)."""
    found = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        text = path.read_text(encoding="utf-8", errors="replace")
        for number in numbers:
            digits = number.lstrip("+")
            if digits in text:
                found.append(f"{path.relative_to(root)}: {number[:3]}…{number[-4:]} in full")
    return found
