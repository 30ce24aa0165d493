"""The reply an agent pastes to the customer: the placeholder values (plain words, no jargon) that the customer and
summary templates see, every fact among them rendered from the diagnosis's CaseStats, and the reply itself, hedged
to the diagnosis' confidence, between the team's greeting and sign-off."""

from __future__ import annotations

from datetime import UTC, datetime

from sipsight.core.diagnosis import crosses_year, format_day, measure_did
from sipsight.core.json_document import case_stats_of
from sipsight.core.models import CaseStats, Diagnosis, DiagnosisContext, DiagnosisKind, LookupResult
from sipsight.core.phone import pretty
from sipsight.core.replies._format import date_span
from sipsight.core.replies._templates import templates
from sipsight.core.timezones import zone as zone_of

SCOPE = {"same_hours": "in the same hours", "window": "in the same period", "none": ""}
NEUTRAL_SIGNATURE = "The support team"


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


def effective_diagnosis(result: LookupResult) -> Diagnosis:
    if result.diagnosis is not None:
        return result.diagnosis
    return Diagnosis(kind=DiagnosisKind.NO_DATA, confidence=0.0, headline="No diagnosis was made.")


def reply_times(result: LookupResult, stats: CaseStats) -> list[datetime]:
    """The moments a reply's dates span: this number's calls, else every attempt, else the searched window."""
    whole = stats.this_number
    times = [t for t in (whole.first, whole.last) if t is not None]
    if not times:
        times = [a.start_time for a in result.attempts]
    if not times:
        times = [t for t in (result.query.since, result.query.until or datetime.now(UTC)) if t is not None]
    return times


def count_phrase(n: int, total: int, since: str) -> str:
    """'all 5 calls since Nov 22', 'both calls', 'the call', '3 of the 5 calls'."""
    if n == total and total == 1:
        return "the latest call" if since else "the call"  # the one call since the change: its date adds nothing
    every = "both calls" if total == 2 else f"all {total} calls"
    head = every if n == total else f"{n} of the {total} calls"
    return f"{head} {since}" if since else head


def did(measure: str, n: int) -> str:
    """What `n` calls of a measure did ('were declined'; one call: 'was declined')."""
    words = measure_did(measure)
    return "was " + words[5:] if n == 1 and words.startswith("were ") else words


def signature(ctx: DiagnosisContext | None) -> str:
    agent = ctx.agent_name if ctx else None
    company = ctx.company_name if ctx else None
    if agent and company:
        return f"{agent}, {company}"
    if agent:
        return agent
    return f"The {company} team" if company else NEUTRAL_SIGNATURE


def customer_values(
    result: LookupResult, tz: str = "UTC", context: DiagnosisContext | None = None, *, year: bool = False
) -> dict[str, str]:
    """The placeholder values customer and summary templates see (plain text, no jargon), from CaseStats. Dates carry
    the year with `year` (exports) or when the calls span two years in the display zone."""
    zone = zone_of(tz)
    stats = case_stats_of(result)
    claims = stats.claims
    # the year whenever the dates span two years, or are not in the year the reply is written (Jan 2 about Dec 30)
    written = result.query.until or datetime.now(UTC)
    year = year or crosses_year([*reply_times(result, stats), written], zone)
    first, last, phrase = date_span(reply_times(result, stats), zone, year)
    caller = result.caller_id or result.query.caller_id or stats.caller_id
    recent, before, o = stats.this_number_recent, stats.this_number_before, stats.other_numbers
    since = ""
    if claims.changed and stats.change_at is not None:
        since = "since " + format_day(stats.change_at, zone, year)
    what = ""
    if claims.pattern:
        what = f"{count_phrase(claims.pattern_count, recent.calls, since)} {did(claims.pattern, claims.pattern_count)}"
    connected_before = ""
    if claims.changed and before.last is not None:
        times = "once" if before.connected == 1 else f"{before.connected} times"
        connected_before = f"{times}, most recently on {format_day(before.last, zone, year)}"
    scope = SCOPE[stats.other_numbers_scope]
    others = plural(o.numbers, "other number") if o.calls else ""
    calls_to_others = f"your {plural(o.calls, 'call')} to other numbers {scope}".strip()
    reached = f"{o.reached_phone} of {calls_to_others} rang or were answered" if o.calls else ""
    answered = f"{o.connected} of {calls_to_others} were answered by a person" if o.calls else ""
    redress = list(stats.redress_contacts)
    redress += [a.redress_contact for a in result.attempts if a.redress_contact and a.redress_contact not in redress]
    carriers = list(stats.carriers) or [a.carrier for a in result.attempts if a.carrier]
    customer = (context.customer_name if context else None) or ""
    first_name = customer.split()[0] if customer else ""
    return {
        "number": pretty(result.query.destination),
        "caller_id": pretty(caller) if caller else "your number",
        "dates": phrase,
        "first_date": first,
        "last_date": last,
        "calls": plural(stats.this_number.calls, "call"),
        "what_happened": what,
        "connected_before": connected_before,
        "since_change": since,
        "other_numbers": others,
        "others_reached": reached,
        "others_answered": answered,
        "others_blocking": plural(stats.other_numbers_blocking, "other number") if claims.others_blocked else "",
        "healthy_others": others if claims.others_fine else "",
        "failing_others": others if claims.others_failing else "",
        "redress": "; ".join(redress[:2]),
        "carrier": carriers[0] if carriers else "",
        "customer_name": first_name,
        "hello_name": first_name or "there",
        "agent_name": (context.agent_name if context else None) or "",
        "company_name": (context.company_name if context else None) or "",
        "signature": signature(context),
    }


def claim_flags(result: LookupResult) -> dict[str, bool]:
    """The claims a conditional template part [[?claim ...]] may name, from CaseStats."""
    stats = case_stats_of(result)
    flags = {name: bool(value) for name, value in stats.claims.model_dump().items() if isinstance(value, bool)}
    flags["has_others"] = stats.other_numbers.calls > 0
    return flags


def render_customer(result: LookupResult, tz: str = "UTC", context: DiagnosisContext | None = None) -> str:
    """The reply an agent can paste to the customer as it is: greeting, the reply for the diagnosis' kind hedged to
    its confidence, sign-off. `context` names who signs (agent and company) and whom it greets."""
    t = templates()
    diagnosis = effective_diagnosis(result)
    values = customer_values(result, tz, context)
    flags = claim_flags(result)
    body = t.customer[diagnosis.kind][t.band(diagnosis.confidence)].render(values, flags)
    return "\n\n".join(part for part in (t.greeting.render(values), body, t.sign_off.render(values)) if part)
