"""The reply an agent pastes to the customer: the placeholder values (plain words, no jargon) that the customer and
summary templates see, and the reply, hedged to the diagnosis' confidence."""

from __future__ import annotations

from datetime import UTC, datetime

from sipsight.core.models import Diagnosis, DiagnosisKind, LookupResult, OutcomeClass
from sipsight.core.phone import pretty
from sipsight.core.replies._format import date_span, format_date
from sipsight.core.replies._templates import templates
from sipsight.core.timezones import zone as zone_of


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def effective_diagnosis(result: LookupResult) -> Diagnosis:
    if result.diagnosis is not None:
        return result.diagnosis
    return Diagnosis(kind=DiagnosisKind.NO_DATA, confidence=0.0, headline="No diagnosis was made.")


def customer_values(result: LookupResult, tz: str = "UTC") -> dict[str, str]:
    """The placeholder values customer and summary templates see (plain text, no jargon)."""
    zone = zone_of(tz)
    diagnosis = effective_diagnosis(result)
    stats = diagnosis.stats
    times = [a.start_time for a in result.attempts]
    if not times:  # no attempts: name the window that was searched
        times = [t for t in (result.query.since, result.query.until or datetime.now(UTC)) if t is not None]
    first, last, phrase = date_span(times, zone)
    caller = result.caller_id or result.query.caller_id or stats.get("caller_id")
    others = result.caller_attempts
    other_dest = {a.to for a in others if a.to != result.query.destination}
    n_other = len(other_dest) or int(stats.get("other_destinations") or 0)
    other_phrase = _plural(n_other, "other number") if n_other else ""
    rate = stats.get("other_connect_rate")
    if rate is None and others:
        answered = sum(1 for a in others if a.outcome in (OutcomeClass.CONNECTED, OutcomeClass.VOICEMAIL))
        rate = answered / len(others)
    healthy = other_phrase if other_phrase and rate is not None and rate >= 0.3 else ""
    failing = other_phrase if other_phrase and rate is not None and rate < 0.3 else ""
    redress = list(stats.get("redress_contacts") or [])
    redress += [a.redress_contact for a in result.attempts if a.redress_contact and a.redress_contact not in redress]
    carriers = list(stats.get("carriers") or [])
    carriers += [a.carrier for a in result.attempts if a.carrier and a.carrier not in carriers]
    change = stats.get("change_at")
    since_change = ""
    if change:
        try:
            since_change = "since " + format_date(datetime.fromisoformat(str(change).replace("Z", "+00:00")), zone)
        except ValueError:
            since_change = ""
    return {
        "number": pretty(result.query.destination),
        "caller_id": pretty(caller) if caller else "your number",
        "dates": phrase,
        "first_date": first,
        "last_date": last,
        "calls": _plural(len(result.attempts), "call"),
        "other_numbers": other_phrase,
        "healthy_others": healthy,
        "failing_others": failing,
        "redress": "; ".join(redress[:2]),
        "carrier": carriers[0] if carriers else "",
        "since_change": since_change,
    }


def render_customer(result: LookupResult, tz: str = "UTC") -> str:
    """The reply an agent can paste to the customer: plain words, hedged to the diagnosis' confidence."""
    t = templates()
    diagnosis = effective_diagnosis(result)
    band = t.band(diagnosis.confidence)
    return t.customer[diagnosis.kind][band].render(customer_values(result, tz))
