"""Offline triage: with no call data yet, what the customer wrote (symptoms, quoted codes, "we spoke before")
ranks the likely causes by the weights in resources/diagnosis/priors.yaml."""

from __future__ import annotations

from typing import Any

from sipsight.core.diagnosis._advice import advice, priors
from sipsight.core.diagnosis._findings import MAX_ALTERNATIVES
from sipsight.core.models import Alternative, Case, CaseStats, Diagnosis, DiagnosisKind, Evidence, said_by_customer
from sipsight.core.phone import pretty

K = DiagnosisKind


def no_data_diagnosis(
    headline: str,
    evidence: list[Evidence],
    steps: list[str],
    caveats: list[str],
    stats: dict[str, Any],
    alternatives: list[Alternative] | None = None,
    case_stats: CaseStats | None = None,
) -> Diagnosis:
    """Nothing in the call data to conclude from: kind no_data at confidence 0, whatever the words suggest."""
    return Diagnosis(kind=K.NO_DATA, confidence=0.0, headline=headline, evidence=evidence, next_steps=steps,
                     caveats=caveats, alternatives=alternatives or [], stats=stats,
                     case_stats=case_stats or CaseStats(destination=stats.get("destination"),
                                                        caller_id=stats.get("caller_id")))  # fmt: skip


def _listed(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def hypothesize(case: Case) -> Diagnosis:
    """Offline triage from what the customer wrote: no call data, so kind no_data with ranked likely causes."""
    pri = priors()
    adv = advice()
    weights: dict[DiagnosisKind, float] = {}
    why: dict[DiagnosisKind, list[str]] = {}
    checks: list[str] = []
    evidence: list[Evidence] = []
    symptom_ids = {s.id for s in case.symptoms if said_by_customer(s)}
    seen: set[str] = set()
    for s in case.symptoms:
        prior = pri.symptoms.get(s.id)
        if prior is None or s.id in seen:
            continue
        seen.add(s.id)
        if not said_by_customer(s):
            # a quoted article or an agent's answer is no description of what the customer heard
            evidence.append(Evidence(text=f"The pasted text mentions \u201c{s.raw}\u201d ({s.label}).", weight=0.0))
            continue
        evidence.append(Evidence(text=f"The customer wrote \u201c{s.raw}\u201d ({s.label}).", weight=0.2))
        checks.append(prior.check)
        for kind, w in prior.kinds.items():
            weights[kind] = weights.get(kind, 0.0) + w
            why.setdefault(kind, []).append(f"\u201c{s.raw}\u201d")
    quoted: list[str] = []
    pasted: list[str] = []
    for c in case.codes:
        cprior = pri.for_code(c.ref)
        if cprior is None or c.ref in seen:
            continue
        seen.add(c.ref)
        if not said_by_customer(c):
            pasted.append(c.raw)  # a quoted article's codes are no report of what the customer saw
            continue
        quoted.append(c.raw)
        checks.append(cprior.check)
        for kind, w in cprior.kinds.items():
            # a code the customer quotes says more than their description of what they heard
            weights[kind] = weights.get(kind, 0.0) + 1.5 * w
            why.setdefault(kind, []).append(c.raw)
    if quoted:
        evidence.append(Evidence(text=f"The customer quotes {_listed(quoted)}.", weight=0.4))
    if pasted:
        evidence.append(
            Evidence(text=f"The pasted text mentions {_listed(pasted)} (not the customer's own words).", weight=0.0)
        )
    if case.prior_contact:
        evidence.append(Evidence(text="The customer spoke with this person before: something changed.", weight=0.3))
        if symptom_ids & {"straight_to_voicemail", "no_ring", "blocked", "rings_once_then_drops"}:
            # earlier calls connected and now they don't: the story of a block (origin ticket, sip-knowledge §5 #6)
            weights[K.RECIPIENT_BLOCKED] = weights.get(K.RECIPIENT_BLOCKED, 0.0) + 0.3
            why.setdefault(K.RECIPIENT_BLOCKED, []).append("they spoke before, now it fails")
    dest = case.destination.e164 if case.destination else None
    dest_txt = pretty(dest) if dest else "the number"
    steps = [
        f"Look up the calls to {dest_txt} in the provider's call logs (the last 7 days), with the caller's other calls."
    ]
    steps.extend(dict.fromkeys(checks))
    alternatives: list[Alternative] = []
    total = sum(weights.values())
    if total:
        ranked = sorted(weights.items(), key=lambda kv: (-kv[1], list(K).index(kv[0])))
        for kind, w in ranked[:MAX_ALTERNATIVES]:
            conf = round(0.8 * w / total, 2)
            if conf < 0.03:
                continue
            alternatives.append(
                Alternative(
                    kind=kind,
                    confidence=conf,
                    why=f"The message points to it: {', '.join(dict.fromkeys(why.get(kind, [])))}.",
                    how_to_tell=adv.next_steps[kind].how_to_tell,
                )
            )
        names = [adv.next_steps[a.kind].phrase for a in alternatives[:3]]  # phrases, never kind ids
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
        headline = f"No call data yet: from the message, the most likely causes are {listed}."
    else:
        headline = f"No call data yet, and the message names no symptom or code: look up the calls to {dest_txt}."
    caveats = ["No call data: this is a reading of the customer's words only; the call logs decide."]
    caveats.extend(case.messages)
    caller = case.caller_id.e164 if case.caller_id else None
    stats: dict[str, Any] = {"attempts": 0, "destination": dest, "caller_id": caller}
    return no_data_diagnosis(headline, evidence, steps, caveats, stats, alternatives)
