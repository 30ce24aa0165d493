"""The diagnosis: attempts to one number and the caller's other calls -> a `Diagnosis` (the rules are in
`rules/`); `hypothesize` reads what the customer wrote before any call data. `Family` names the bucket each
attempt falls into, by which the rules group attempts (defined in core.models, so that the knowledge base can
check its entries' `family` at load)."""

from sipsight.core.diagnosis._engine import diagnose, hypothesize
from sipsight.core.models import Family

__all__ = ["Family", "diagnose", "hypothesize"]
