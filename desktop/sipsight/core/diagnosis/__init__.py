"""The diagnosis: attempts to one number and the caller's other calls -> a `Diagnosis` (the rules are in
`rules/`); `hypothesize` reads what the customer wrote before any call data."""

from sipsight.core.diagnosis._engine import diagnose, hypothesize

__all__ = ["diagnose", "hypothesize"]
