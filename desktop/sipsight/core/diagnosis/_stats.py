"""CaseStats: every count, rate and date the texts of one diagnosis state, computed once from the Facts the rules
read, and the claims (resources/diagnosis/claims.yaml) that decide which words those texts may use.

The measures follow the families one to one (`FAMILY_MEASURE`), so a count a rule states from its Side and the count
CaseStats holds are the same number by construction; docs/diagnosis.md ("Measures", "Claims") defines each."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sipsight.core.diagnosis._facts import Facts, Side
from sipsight.core.diagnosis._measures import PARTITION, threshold
from sipsight.core.models import Attempt, CallCounts, CarrierCounts, CaseStats, Claims, Family

F = Family
FAMILY_MEASURE: dict[Family, str] = {
    F.CONNECTED: "connected", F.BRIEF: "answered_briefly", F.VM_FAST: "straight_to_voicemail",
    F.VM_MID: "voicemail_after_ringing", F.VM_RANG: "voicemail_after_ringing", F.VM: "voicemail_ring_unknown",
    F.NO_ANSWER: "rang_no_answer", F.BUSY: "busy", F.UNREACHABLE: "unreachable", F.DECLINE: "declined",
    F.UNWANTED: "declined", F.FORBIDDEN: "declined", F.BLOCK: "blocked", F.INVALID: "not_in_service",
    F.FORMAT: "not_in_service", F.PLATFORM: "refused_by_platform", F.CONFIG: "refused_by_platform",
    F.CARRIER: "network_failure", F.CANCELED: "canceled", F.OTHER: "other",
}  # fmt: skip
_VOICEMAIL = ("straight_to_voicemail", "voicemail_after_ringing", "voicemail_ring_unknown")
_REACHED = ("connected", "answered_briefly", "voicemail_after_ringing", "rang_no_answer")
_NEVER_RANG = (
    "straight_to_voicemail", "busy", "unreachable", "blocked", "not_in_service", "refused_by_platform",
    "network_failure",
)  # fmt: skip
_BLOCKING = (F.BLOCK, F.DECLINE, F.UNWANTED)


def call_counts(side: Side) -> CallCounts:
    """One Side counted by the measures (one pass over its families; distinct numbers per family)."""
    counts = dict.fromkeys(PARTITION, 0)
    by_family: dict[str, int] = {}
    numbers_by_family: dict[str, int] = {}
    dests = side.fam_dests
    for fam, group in side.by_fam.items():
        if not group:
            continue
        counts[FAMILY_MEASURE[fam]] += len(group)
        by_family[fam.value] = len(group)
        numbers_by_family[fam.value] = len(dests[fam])
    short = len(side.short_human)
    return CallCounts(
        calls=side.n,
        numbers=len(side.all_dests),
        **counts,
        voicemail=sum(counts[m] for m in _VOICEMAIL),
        reached_phone=sum(counts[m] for m in _REACHED),
        never_rang=sum(counts[m] for m in _NEVER_RANG),
        conversations=counts["connected"] - short,
        short_hangups=short,
        first=side.first,
        last=side.last,
        by_family=by_family,
        numbers_by_family=numbers_by_family,
    )


def _rate(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def claims_for(
    whole: CallCounts,
    recent: CallCounts,
    before: CallCounts,
    others: CallCounts,
    blocking: int,
    others_falling: bool,
) -> Claims:
    """The claims, from the counts alone and the thresholds in claims.yaml (docs/diagnosis.md, "Claims")."""
    enough = others.calls >= threshold("min_other_calls")
    others_fine = (
        enough
        and not others_falling
        and _rate(others.reached_phone, others.calls) >= threshold("normal_reach_rate")
        and _rate(others.conversations, others.calls) >= threshold("normal_conversation_rate")
    )
    others_failing = enough and _rate(others.conversations, others.calls) < threshold("failing_conversation_rate")
    pattern, count = None, 0
    if recent.calls:
        best = max(PARTITION, key=lambda m: (getattr(recent, m), -PARTITION.index(m)))
        if getattr(recent, best) and _rate(getattr(recent, best), recent.calls) >= threshold("pattern_share"):
            pattern, count = best, getattr(recent, best)
    failing_here = recent.calls >= threshold("min_recent_calls") and not recent.connected
    elsewhere = others.share(pattern) or 0.0 if pattern else 0.0
    return Claims(
        others_fine=others_fine,
        others_failing=others_failing,
        others_blocked=blocking >= threshold("blocking_numbers"),
        only_this_number=others_fine and failing_here and elsewhere < threshold("pattern_elsewhere"),
        changed=before.connected > 0 and recent.calls > 0 and recent.connected == 0,
        latest_connected=whole.calls > 0 and recent.calls == 0,
        none_refused=whole.calls > 0 and not whole.declined and not whole.blocked,
        all_rang=bool(recent.calls) and recent.reached_phone == recent.calls,
        straight_to_voicemail=_rate(recent.straight_to_voicemail, recent.calls) >= threshold("pattern_share"),
        pattern=pattern,
        pattern_count=count,
    )


def _carriers(side: Side) -> dict[str, CarrierCounts]:
    total, connected = side.carriers()
    return {c: CarrierCounts(calls=n, connected=connected.get(c, 0)) for c, n in sorted(total.items())}


def _blocked_by_carrier(side: Side) -> dict[str, int]:
    counts: dict[str, int] = {}
    for fam in _BLOCKING:
        for a in side.by_fam.get(fam, ()):
            if a.carrier:
                counts[a.carrier] = counts.get(a.carrier, 0) + 1
    return dict(sorted(counts.items()))


def _per_day(side: Side) -> float | None:
    if side.first is None or side.last is None:
        return None
    days = max(1.0, (side.last - side.first).total_seconds() / 86400)
    return round(side.n / days, 1)


def _crosses_year(times: Iterable[datetime | None]) -> bool:
    return len({t.year for t in times if t is not None}) > 1


def case_stats(
    f: Facts,
    *,
    in_progress: int,
    unreadable: int,
    partial: int,
    median_ring: float | None,
    codes: tuple[dict[str, int], dict[str, int], dict[str, int]],
    carriers: list[str],
) -> CaseStats:
    """The statistics of one diagnosis with call data (the rules' Facts, gathered once)."""
    whole, before, recent = call_counts(f.whole), call_counts(f.before), call_counts(f.focus)
    compared = f.others_window()
    others = call_counts(compared)
    window = others if compared is f.others else call_counts(f.others)
    scope = "none" if not f.has_others else ("same_hours" if compared is f.others_recent else "window")
    blocking = len(f.others.dests_of(*_BLOCKING))
    everyone = f.everyone
    return CaseStats(
        destination=f.destination or None,
        caller_id=f.caller_id,
        this_number=whole,
        this_number_before=before,
        this_number_recent=recent,
        change_at=f.change_at,
        other_numbers=others,
        other_numbers_scope=scope,
        other_numbers_before=call_counts(f.others_before),
        other_numbers_window=window,
        all_numbers=call_counts(everyone),
        other_numbers_by_carrier=_carriers(f.others),
        other_numbers_blocking=blocking,
        numbers_blocking=len(everyone.dests_of(F.BLOCK, F.DECLINE)),
        calls_blocking=everyone.count(F.BLOCK, F.DECLINE),
        other_numbers_failing_nearby=len(f.failing_nearby[1]),
        blocked_by_carrier=_blocked_by_carrier(everyone),
        calls_per_day=_per_day(everyone),
        in_progress=in_progress,
        unreadable=unreadable,
        partial_summaries=partial,
        median_ring_s=median_ring,
        sip_codes=dict(codes[0]),
        q850_causes=dict(codes[1]),
        provider_errors=dict(codes[2]),
        carriers=list(carriers),
        redress_contacts=list(f.redress),
        window_crosses_year=_crosses_year([whole.first, whole.last]),
        claims=claims_for(whole, recent, before, others, blocking, f.others_state() == "falling"),
    )


def empty_stats(
    destination: str | None, caller_id: str | None, others: Side, *, in_progress: int, unreadable: int, partial: int
) -> CaseStats:
    """The statistics when no call to the number can be read: only the caller's other calls, and what was left out."""
    counted = call_counts(others)
    return CaseStats(
        destination=destination,
        caller_id=caller_id,
        other_numbers=counted,
        other_numbers_scope="window" if others.n else "none",
        other_numbers_window=counted,
        all_numbers=counted,
        other_numbers_blocking=len(others.dests_of(*_BLOCKING)),
        in_progress=in_progress,
        unreadable=unreadable,
        partial_summaries=partial,
    )


def attempts_side(pairs: Iterable[tuple[Attempt, Family]]) -> Side:
    by_fam: dict[Family, list[Attempt]] = {}
    for a, fam in pairs:
        by_fam.setdefault(fam, []).append(a)
    return Side(by_fam)
