"""The base of every error SIPSight shows a user: a clear message, a hint to fix it, an exit code."""

from __future__ import annotations


class SipsightError(Exception):
    """An error meant for the user. `str(err)` is one clear sentence; `hint` says what to do."""

    exit_code = 1

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def one_line(self) -> str:
        return f"{self.message} {self.hint}".strip() if self.hint else self.message


class InputError(SipsightError):
    """Bad input or usage (exit 2): an unreadable file, an unknown code, a malformed number."""

    exit_code = 2


class Cancelled(SipsightError):
    """A lookup stopped because a newer one superseded it or the user pressed Cancel: nothing to show."""

    exit_code = 3
