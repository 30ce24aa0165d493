"""Attempts to one number, plus the caller's other calls -> a Diagnosis a support team can trust.

The history is read as a story: what changed and when (the run of calls since the last one that connected),
this number against the caller's other numbers in the same hours, how long it rang and how fast a machine
answered. The rules (sipsight.core.diagnosis.rules) each propose a finding; the strongest one wins, its confidence is
capped by what the data can show (status only, few attempts, no comparison), and the others become ranked
alternatives with how to tell them apart. Facts are gathered in one pass per attempt list; pydantic models are
built only at the end, so 10,000 attempts stay well inside the 50 ms budget.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sipsight.core.diagnosis._advice import Advice, advice, priors, review_step
from sipsight.core.diagnosis._caveats import caveats as caveats_for
from sipsight.core.diagnosis._facts import Facts
from sipsight.core.diagnosis._findings import MAX_ALTERNATIVES, Finding
from sipsight.core.diagnosis._gather import Classifier, Extra, gather
from sipsight.core.diagnosis._measures import measure_did
from sipsight.core.diagnosis._offline import hypothesize, no_data_diagnosis
from sipsight.core.diagnosis._stats import attempts_side, empty_stats
from sipsight.core.diagnosis._wording import plural
from sipsight.core.diagnosis.rules import RULES
from sipsight.core.models import (
    Alternative,
    Attempt,
    CaseStats,
    Diagnosis,
    DiagnosisContext,
    DiagnosisKind,
    Evidence,
)
from sipsight.core.phone import pretty

__all__ = ["diagnose", "hypothesize", "stats_for"]

K = DiagnosisKind
_EXPLAINED_BY_CODE = frozenset(
    {K.INVALID_NUMBER, K.PLATFORM_RESTRICTION, K.CALLER_CANCELED, K.BUSY, K.UNREACHABLE, K.CARRIER_FAULT, K.NO_ANSWER}
)
_CALLER_WIDE = frozenset({K.LIKELY_SPAM_LABELED})

# Confidence caps (docs/diagnosis.md "Confidence caps").
STATUS_ONLY_CAP = 0.75  # call status alone can never prove a block or a label
NO_COMPARISON_PENALTY = 0.12  # without the caller's other calls, recipient-level vs caller-level is open
NO_COMPARISON_CAP = 0.6
SUPPORT_CAPS = {1: 0.5, 2: 0.6, 3: 0.75}  # attempts a status-based conclusion rests on -> highest confidence
CODE_SUPPORT_CAPS = {1: 0.6, 2: 0.7, 3: 0.85}  # each coded attempt is proof on its own, but one can be a fluke
MAX_CONFIDENCE = 0.97


def diagnose(
    attempts: Sequence[Attempt],
    other_attempts: Sequence[Attempt] = (),
    context: DiagnosisContext | None = None,
) -> Diagnosis:
    """Why calls to one destination fail, from its attempts and the same caller ID's other calls."""
    ctx = context or DiagnosisContext()
    facts, extra = gather(attempts, other_attempts, ctx, Classifier())
    if facts is None:
        return _no_data(attempts, other_attempts, ctx, extra)
    return _conclude(facts, ctx, extra)


def stats_for(
    attempts: Sequence[Attempt], other_attempts: Sequence[Attempt] = (), context: DiagnosisContext | None = None
) -> CaseStats:
    """The statistics `diagnose` would compute for these attempts, without concluding anything (for a diagnosis
    that was built by hand or read back without them)."""
    ctx = context or DiagnosisContext()
    facts, extra = gather(attempts, other_attempts, ctx, Classifier())
    return facts.stats if facts is not None else _empty_stats(extra)


def _empty_stats(ex: Extra) -> CaseStats:
    return empty_stats(
        ex.destination,
        ex.caller_id,
        attempts_side(ex.other_sides),
        in_progress=ex.pending,
        unreadable=ex.unclassified,
        partial=ex.partial,
    )


# --------------------------------------------------------------------------- concluding


def _prior_weights(ctx: DiagnosisContext) -> dict[DiagnosisKind, float]:
    pri = priors()
    weights: dict[DiagnosisKind, float] = {}
    entries = [pri.symptoms.get(s) for s in ctx.symptoms] + [pri.for_code(c) for c in ctx.codes]
    for entry in entries:
        if entry is None:
            continue
        for kind, w in entry.kinds.items():
            weights[kind] = weights.get(kind, 0.0) + w
    return weights


def _adjusted(fd: Finding, f: Facts, prior: dict[DiagnosisKind, float], partial_focus: bool) -> float:
    # the customer's words are a weak prior: at most +0.05, never past the data caps below
    c = fd.confidence + min(0.05, 0.05 * prior.get(fd.kind, 0.0))
    if not fd.uses_codes:
        c = min(c, STATUS_ONLY_CAP)
    if fd.support <= 3:
        caps = CODE_SUPPORT_CAPS if fd.uses_codes else SUPPORT_CAPS
        c = min(c, caps[max(1, fd.support)])
    if fd.needs_comparison and not f.has_others:
        c = min(c - NO_COMPARISON_PENALTY, NO_COMPARISON_CAP)
    if partial_focus:
        c -= 0.05
    return round(max(0.05, min(MAX_CONFIDENCE, c)), 2)


def _conclude(f: Facts, ctx: DiagnosisContext, ex: Extra) -> Diagnosis:
    prior = _prior_weights(ctx)
    partial_focus = any(a.insights_state == "partial" for a in f.focus_attempts)
    found: list[tuple[float, int, Finding]] = []
    for index, rule in enumerate(RULES):
        fd = rule.detect(f, rule)
        if fd is None:
            continue
        fd.rule_id = rule.id
        found.append((_adjusted(fd, f, prior, partial_focus), index, fd))
    found.sort(key=lambda t: (-t[0], t[1]))
    conf, _, main = found[0]
    if main.kind is K.NO_DATA:
        conf = 0.0  # nothing in the records to conclude from: no_data is 0 by definition
    adv = advice()
    alternatives = _alternatives(main, conf, found[1:], adv)
    evidence = [Evidence(text=t, attempt_ids=list(ids), weight=w) for t, ids, w in main.evidence]
    caveats = caveats_for(f, ctx, ex, main, [fd for _, _, fd in found[1:] if _side_note(main, fd)])
    steps = _steps(f, main, adv)
    stats = _stats(f, ex, main)
    return Diagnosis(
        kind=main.kind,
        confidence=conf,
        headline=main.headline,
        evidence=evidence,
        next_steps=steps,
        caveats=caveats,
        alternatives=alternatives,
        stats=stats,
        case_stats=f.stats,
    )


def _alternatives(main: Finding, conf: float, rest: list[tuple[float, int, Finding]], adv: Advice) -> list[Alternative]:
    best: dict[DiagnosisKind, tuple[float, str, str]] = {}
    for kind, c, why, how in main.alternatives:
        if kind is not main.kind:
            best[kind] = max(best.get(kind, (0.0, "", "")), (c, why, how or adv.next_steps[kind].how_to_tell))
    for c, _, fd in rest:
        if fd.kind is main.kind or fd.rule_id == "dominant-outcome":  # the fallback only restates the data
            continue
        if _side_note(main, fd):
            continue
        # a competing finding lost to the winner; it stays an alternative at a discount
        weight = min(c, conf) * 0.6
        if fd.kind in best:
            # the winner's own wording says better how the two differ; keep it, take the stronger weight
            old = best[fd.kind]
            best[fd.kind] = (max(old[0], weight), old[1], old[2])
        else:
            best[fd.kind] = (weight, fd.headline, adv.next_steps[fd.kind].how_to_tell)
    ranked = sorted(best.items(), key=lambda kv: -kv[1][0])[:MAX_ALTERNATIVES]
    room = max(0.0, 1.0 - conf)
    total = sum(v[0] for _, v in ranked)
    scale = min(1.0, room / total) if total else 1.0
    out = []
    for kind, (c, why, how) in ranked:
        value = round(min(c * scale, max(0.0, conf - 0.01)), 2)
        if value >= 0.02:
            out.append(Alternative(kind=kind, confidence=value, why=why, how_to_tell=how))
    # rounding can push the sum a hair over what is left
    while out and conf + sum(a.confidence for a in out) > 1.0 + 1e-9:
        out[0] = out[0].model_copy(update={"confidence": round(out[0].confidence - 0.01, 2)})
    return out


def _side_note(main: Finding, other: Finding) -> bool:
    """A caller-ID-level observation (volume, labels) next to a code that fully explains the failure is not
    another explanation of this case; it is shown as a side note instead of an alternative."""
    return main.uses_codes and main.kind in _EXPLAINED_BY_CODE and other.kind in _CALLER_WIDE


def _steps(f: Facts, main: Finding, adv: Advice) -> list[str]:
    values = {"destination": f.destination_pretty, "caller_id": f.caller_pretty}
    steps = list(main.steps)
    if main.default_steps:
        steps.extend(adv.next_steps[main.kind].steps)
    if main.kind in (K.CALLER_ID_FLAGGED, K.LIKELY_SPAM_LABELED):
        steps.extend(review_step(main.carrier))
        steps.append(adv.redress.registry)
        steps.append(adv.redress.no_rotation)
    for contact in f.redress:
        if not any(contact in s for s in steps):
            steps.append(f"The rejection names who blocked the call and how to dispute it: {contact}.")
    return list(dict.fromkeys(s.format_map(_Default(values)) for s in steps))


class _Default(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _stats(f: Facts, ex: Extra, main: Finding) -> dict[str, Any]:
    """The 1.0 summary keys of `Diagnosis.stats`, every one derived from CaseStats (docs/diagnosis.md, "Stats keys")."""
    cs = f.stats
    summary = None
    if cs.claims.changed and cs.change_at is not None:
        before, recent = cs.this_number_before, cs.this_number_recent
        top = cs.claims.pattern
        tail = f" ({cs.claims.pattern_count} {measure_did(top)})" if top else ""
        times = "once" if before.connected == 1 else f"{before.connected} times"
        summary = (
            f"Connected {times} until {f.when(before.last)}, then "
            f"{plural(recent.calls, 'call')} since {f.when(cs.change_at)} did not connect{tail}."
        )
    elif f.prior_contact and cs.this_number_recent.calls and not cs.this_number.connected:
        summary = (
            f"The customer says earlier calls connected; none of the {plural(cs.this_number.calls, 'call')} in "
            "this window did."
        )
    whole, others = cs.this_number, cs.other_numbers_window
    return {
        "attempts": whole.calls + cs.in_progress + cs.unreadable,
        "first_time": _iso(whole.first),
        "last_time": _iso(whole.last),
        "by_outcome": dict(ex.by_outcome),
        "connect_rate": _rate(whole.share("connected")),
        "machine_answer_share": _rate(whole.voicemail / (whole.connected + whole.voicemail))
        if whole.connected + whole.voicemail
        else None,
        "median_ring_s": cs.median_ring_s,
        "sip_codes": dict(cs.sip_codes),
        "other_attempts": others.calls,
        "other_destinations": others.numbers,
        "other_by_outcome": dict(ex.other_by_outcome),
        "other_connect_rate": _rate(others.share("connected")),
        "change_at": _iso(cs.change_at),
        "change_summary": summary,
        "redress_contacts": list(cs.redress_contacts),
        "carriers": list(cs.carriers),
        "caller_id": cs.caller_id,
        "destination": cs.destination,
        "rule": main.rule_id,
    }


def _iso(t: datetime | None) -> str | None:
    return t.isoformat().replace("+00:00", "Z") if t else None


def _rate(x: float | None) -> float | None:
    return None if x is None else round(x, 3)


def _no_data(attempts: Sequence[Attempt], others: Sequence[Attempt], ctx: DiagnosisContext, ex: Extra) -> Diagnosis:
    adv = advice()
    dest = ex.destination
    dest_txt = pretty(dest) if dest else "this number"
    if ex.pending:
        headline = (
            f"{plural(ex.pending, 'call')} to {dest_txt} {'is' if ex.pending == 1 else 'are'} still in "
            "progress: look again in a few minutes."
        )
    elif attempts:
        headline = f"The calls to {dest_txt} carry no status or code to read: check the provider's call logs directly."
    else:
        headline = (
            f"No calls to {dest_txt} in this window: check the number, widen the window, "
            "or switch to the profile (account) the customer calls from."
        )
    cs = _empty_stats(ex)
    evidence: list[Evidence] = []
    o = cs.other_numbers_window
    if o.calls:
        evidence.append(
            Evidence(
                text=f"The caller ID made {plural(o.calls, 'other call')} in the window "
                f"({o.connected} answered by a person).",
                attempt_ids=[a.id for a, _ in ex.other_sides[:25]],
                weight=0.0,
            )
        )
    caveats = []
    if ctx.data is not None:
        caveats.extend(ctx.data.provider_caveats)
    if ctx.symptoms or ctx.codes:
        caveats.append("The customer describes a problem, but there are no calls here to check it against.")
    steps = [s.format_map(_Default({"destination": dest_txt})) for s in adv.next_steps[K.NO_DATA].steps]
    stats: dict[str, Any] = {
        "attempts": sum(ex.by_outcome.values()),
        "by_outcome": dict(ex.by_outcome),
        "other_attempts": o.calls,
        "other_by_outcome": dict(ex.other_by_outcome),
        "caller_id": ex.caller_id,
        "destination": dest,
        "change_at": None,
        "rule": "no-data",
    }
    return no_data_diagnosis(headline, evidence, steps, caveats, stats, case_stats=cs)
