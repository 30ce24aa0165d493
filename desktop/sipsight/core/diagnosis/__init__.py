"""The diagnosis: attempts to one number and the caller's other calls -> a `Diagnosis` (the rules are in
`rules/`); `hypothesize` reads what the customer wrote before any call data. `Family` names the bucket each
attempt falls into, by which the rules group attempts (defined in core.models, so that the knowledge base can
check its entries' `family` at load)."""

from sipsight.core.diagnosis._advice import kind_label, kind_phrase
from sipsight.core.diagnosis._engine import diagnose, hypothesize, stats_for
from sipsight.core.diagnosis._gather import measures_of
from sipsight.core.diagnosis._measures import (
    band,
    band_word,
    claims_data,
    measure_did,
    measure_label,
    measure_names,
    outcome_label,
)
from sipsight.core.diagnosis._wording import crosses_year, format_day, format_moment
from sipsight.core.models import Family

__all__ = [
    "Family",
    "band",
    "band_word",
    "claims_data",
    "crosses_year",
    "diagnose",
    "format_day",
    "format_moment",
    "hypothesize",
    "kind_label",
    "kind_phrase",
    "measure_did",
    "measure_label",
    "measure_names",
    "measures_of",
    "outcome_label",
    "stats_for",
]
