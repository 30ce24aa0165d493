"""Caller ID health (docs/health.md): is it this number, or is the customer's caller ID labeled or blocked?

`run_health(session, caller_id, days=..., carriers=...)` reads every call of the caller ID in the window, names the
carriers (the records' own, else a `CarrierSource` such as Lookup v2), counts them by day and by carrier against the
caller ID's own baseline, and returns a `HealthReport`: the verdict (healthy, watch, likely labeled or blocked on
named carriers) with its evidence and confidence, an early warning, and the redress drafts. Thresholds and words are
data (resources/health/)."""

from sipsight.core.health._data import HealthDataError, thresholds
from sipsight.core.health._models import CarrierRow, DayRow, HealthReport
from sipsight.core.health._redress import Requester
from sipsight.core.health._run import assess, numbers_to_look_up, run_health, window_days
from sipsight.core.health.carriers_api import CarrierLookup, CarrierSource, LineInfo
from sipsight.core.health.document import to_document, to_markdown

__all__ = [
    "CarrierLookup",
    "CarrierRow",
    "CarrierSource",
    "DayRow",
    "HealthDataError",
    "HealthReport",
    "LineInfo",
    "Requester",
    "assess",
    "numbers_to_look_up",
    "run_health",
    "thresholds",
    "to_document",
    "to_markdown",
    "window_days",
]
