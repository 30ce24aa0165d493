"""A caller ID health check as one synchronous call: the caller ID's calls from the provider (`fetch_caller`), the
carriers of the numbers the records leave without one (a `CarrierSource`: Lookup v2, cached and capped), the counts,
the verdict, the texts and the redress (`assess`, which tests and `sipsight health` over a file can call directly)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from sipsight.core.errors import InputError
from sipsight.core.health._data import texts, thresholds
from sipsight.core.health._models import HealthReport, LookupUse, Verdict
from sipsight.core.health._redress import Requester, build
from sipsight.core.health._stats import count
from sipsight.core.health._texts import carrier_facts, caveats, engine_names, evidence, global_facts, headline, warning
from sipsight.core.health._verdict import judge
from sipsight.core.health.carriers_api import CarrierLookup, CarrierSource, LineInfo
from sipsight.core.knowledge import classify_all
from sipsight.core.lookup.provider_api import CancelToken, Session
from sipsight.core.models import Attempt, CallerQuery
from sipsight.core.timezones import zone


def window_days(text: str | int | None) -> int:
    """'7d', '14d', '30d' (or 7, 14, 30) -> days; anything else is a clear InputError naming the choices."""
    t = thresholds()
    if text is None:
        return t.default_window
    raw = str(text).strip().lower()
    value = raw[:-1] if raw.endswith("d") else raw
    if value.isdigit() and int(value) in t.windows:
        return int(value)
    choices = ", ".join(f"{w}d" for w in t.windows)
    raise InputError(f"--since '{text}' is not a health window.", f"Use one of {choices}.")


def run_health(
    session: Session,
    caller_id: str,
    *,
    days: int | None = None,
    carriers: CarrierSource | None = None,
    requester: Requester | None = None,
    tz: str = "UTC",
    now: datetime | None = None,
    cancel: CancelToken | None = None,
) -> HealthReport:
    """Fetch the caller ID's calls over the window, name their carriers and assess them."""
    t = thresholds()
    days = window_days(days)
    until = (now or datetime.now(UTC)).astimezone(UTC)
    since = until - timedelta(days=days)
    query = CallerQuery(caller_id=caller_id, since=since, max_calls=t.max_calls)
    fetched = session.provider.fetch_caller(query, cancel)
    attempts = [a for a in fetched.caller_attempts if a.from_ == caller_id and a.start_time >= since]
    lookup, available = _carriers(attempts, carriers, cancel)
    report = assess(
        attempts,
        caller_id=caller_id,
        since=since,
        until=until,
        days=days,
        lookup=lookup,
        lookup_available=available,
        requester=requester,
        tz=tz,
        provider=session.provider.name,
        truncated=len(fetched.caller_attempts) >= t.max_calls,
        provider_caveats=fetched.data.provider_caveats,
    )
    return report.model_copy(update={"demo": session.demo, "scenario": session.scenario})


def numbers_to_look_up(attempts: list[Attempt]) -> list[str]:
    """The called numbers whose records name no carrier, most called first (the cap keeps the most telling)."""
    known = {a.to for a in attempts if a.carrier}
    calls = Counter(a.to for a in attempts if a.to not in known)
    return [n for n, _ in sorted(calls.items(), key=lambda kv: (-kv[1], kv[0]))]


def _carriers(
    attempts: list[Attempt], source: CarrierSource | None, cancel: CancelToken | None
) -> tuple[CarrierLookup, bool]:
    wanted = numbers_to_look_up(attempts)
    if not wanted:
        return CarrierLookup(cap=getattr(source, "cap", 0)), True
    if source is None:
        return CarrierLookup(), False
    return source.resolve(wanted, cancel), True


def assess(
    attempts: list[Attempt],
    *,
    caller_id: str,
    since: datetime,
    until: datetime,
    days: int,
    lookup: CarrierLookup | None = None,
    lookup_available: bool = True,
    requester: Requester | None = None,
    tz: str = "UTC",
    provider: str = "twilio",
    truncated: bool = False,
    provider_caveats: list[str] | None = None,
) -> HealthReport:
    t, tx = thresholds(), texts()
    lookup = lookup or CarrierLookup()
    lines: dict[str, LineInfo] = dict(lookup.lines)
    classified = classify_all(attempts)
    where = zone(tz)
    c = count(classified, lines, since=since, until=until, zone=where, t=t)
    j = judge(c, t)
    facts = global_facts(c, caller_id, days, t, j)
    use = LookupUse(
        from_records=len({a.to for a in classified if a.carrier}),
        cached=lookup.cached,
        looked_up=lookup.looked_up,
        capped=len(lookup.capped),
        failed=lookup.failed,
        cap=lookup.cap,
        available=lookup_available,
    )
    early, warn_values = warning(j, tx, where)
    notes, caveat_values = caveats(j, use, truncated, tx, t)
    redress, redress_values = build(c, j, classified, lines, facts, requester or Requester(), tx, t, where)
    status_text = tx.verdicts[j.status]
    verdict = Verdict(
        status=j.status,
        label=status_text.label,
        headline=headline(j, facts, tx),
        carriers=[r.carrier for r in j.carriers if r.known],
        engines=engine_names(j.carriers),
        confidence=round(j.confidence, 2),
    )
    stated = dict(facts)
    for row in c.by_carrier:
        stated |= {f"{row.carrier}: {k}": v for k, v in carrier_facts(row, c, t, where).items()}
    stated |= warn_values | caveat_values | redress_values
    return HealthReport(
        caller_id=caller_id,
        since=since,
        until=until,
        window_days=days,
        tz=tz,
        provider=provider,
        totals=c.totals,
        baseline=c.baseline,
        recent=c.recent,
        by_day=c.by_day,
        by_carrier=c.by_carrier,
        volume=c.volume,
        attestation=c.attestation,
        verdict=verdict,
        evidence=evidence(c, j, facts, tx, t, where),
        early_warning=early,
        redress=redress,
        caveats=[*(provider_caveats or []), *notes],
        lookups=use,
        facts=stated,
    )
