"""Attempts to one number, plus the caller's other calls -> a Diagnosis a support team can trust.

The history is read as a story: what changed and when (the run of calls since the last one that connected),
this number against the caller's other numbers in the same hours, how long it rang and how fast a machine
answered. The rules (sipsight.core.rules) each propose a finding; the strongest one wins, its confidence is
capped by what the data can show (status only, few attempts, no comparison), and the others become ranked
alternatives with how to tell them apart. Facts are gathered in one pass per attempt list; pydantic models are
built only at the end, so 10,000 attempts stay well inside the 50 ms budget.
"""

from __future__ import annotations

import logging
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from operator import attrgetter
from statistics import median
from typing import Any

from sipsight.core import rules as R
from sipsight.core.models import (
    Alternative,
    Attempt,
    Case,
    DataProfile,
    Diagnosis,
    DiagnosisContext,
    DiagnosisKind,
    Evidence,
    OutcomeClass,
)
from sipsight.core.phone import pretty

log = logging.getLogger(__name__)
K = DiagnosisKind
_UNKNOWN = OutcomeClass.UNKNOWN
_IN_PROGRESS = OutcomeClass.IN_PROGRESS
# The caller's other calls this long before the destination's recent run still count as "the same hours".
_OTHERS_LEAD = timedelta(hours=6)
_MAX_ALTERNATIVES = 4
# C-level field readers for the few whole-list scans (a generator per attempt costs more than the work)
_TO, _FROM, _STATE = attrgetter("to"), attrgetter("from_"), attrgetter("insights_state")
_ERROR, _RING, _CODE = attrgetter("provider_error_code"), attrgetter("ring_s"), attrgetter("sip_code")
_REDRESS, _AMD, _VALUE = attrgetter("redress_contact"), attrgetter("answered_by"), attrgetter("_value_")
# kinds where "this number only" vs "the caller ID everywhere" changes the answer
_CALLER_LEVEL = frozenset({K.RECIPIENT_BLOCKED, K.CALLER_ID_FLAGGED, K.LIKELY_SPAM_LABELED, K.CARRIER_FAULT})
_EXPLAINED_BY_CODE = frozenset({K.INVALID_NUMBER, K.PLATFORM_RESTRICTION, K.CALLER_CANCELED, K.BUSY, K.UNREACHABLE,
                                K.CARRIER_FAULT, K.NO_ANSWER})
_CALLER_WIDE = frozenset({K.LIKELY_SPAM_LABELED})


def diagnose(
    attempts: Sequence[Attempt],
    other_attempts: Sequence[Attempt] = (),
    context: DiagnosisContext | None = None,
) -> Diagnosis:
    """Why calls to one destination fail, from its attempts and the same caller ID's other calls."""
    ctx = context or DiagnosisContext()
    facts, extra = _gather(attempts, other_attempts, ctx, _Classifier())
    if facts is None:
        return _no_data(attempts, other_attempts, ctx, extra)
    return _conclude(facts, ctx, extra)


def hypothesize(case: Case) -> Diagnosis:
    """Offline triage from what the customer wrote: no call data, so kind no_data with ranked likely causes."""
    pri = R.priors()
    adv = R.advice()
    weights: dict[DiagnosisKind, float] = {}
    why: dict[DiagnosisKind, list[str]] = {}
    checks: list[str] = []
    evidence: list[Evidence] = []
    symptom_ids = {s.id for s in case.symptoms}
    for s in case.symptoms:
        prior = pri.symptoms.get(s.id)
        if prior is None:
            continue
        evidence.append(Evidence(text=f"The customer wrote \u201c{s.raw}\u201d ({s.label}).", weight=0.2))
        checks.append(prior.check)
        for kind, w in prior.kinds.items():
            weights[kind] = weights.get(kind, 0.0) + w
            why.setdefault(kind, []).append(f"\u201c{s.raw}\u201d")
    for c in case.codes:
        cprior = pri.for_code(c.ref)
        if cprior is None:
            continue
        evidence.append(Evidence(text=f"The message mentions {c.raw} ({c.ref}).", weight=0.4))
        checks.append(cprior.check)
        for kind, w in cprior.kinds.items():
            # a code the customer quotes says more than their description of what they heard
            weights[kind] = weights.get(kind, 0.0) + 1.5 * w
            why.setdefault(kind, []).append(c.raw)
    if case.prior_contact:
        evidence.append(Evidence(text="The customer spoke with this person before: something changed.", weight=0.3))
        if symptom_ids & {"straight_to_voicemail", "no_ring", "blocked", "rings_once_then_drops"}:
            # earlier calls connected and now they don't: the story of a block (origin ticket, sip-knowledge §5 #6)
            weights[K.RECIPIENT_BLOCKED] = weights.get(K.RECIPIENT_BLOCKED, 0.0) + 0.3
            why.setdefault(K.RECIPIENT_BLOCKED, []).append("they spoke before, now it fails")
    dest = case.destination.e164 if case.destination else None
    dest_txt = pretty(dest) if dest else "the number"
    steps = [f"Look up the calls to {dest_txt} in the provider's call logs (the last 7 days), with the caller's other "
             "calls."]
    steps.extend(dict.fromkeys(checks))
    alternatives: list[Alternative] = []
    total = sum(weights.values())
    if total:
        ranked = sorted(weights.items(), key=lambda kv: (-kv[1], list(K).index(kv[0])))
        for kind, w in ranked[:_MAX_ALTERNATIVES]:
            conf = round(0.8 * w / total, 2)
            if conf < 0.03:
                continue
            alternatives.append(Alternative(
                kind=kind, confidence=conf,
                why=f"The message points to it: {', '.join(dict.fromkeys(why.get(kind, [])))}.",
                how_to_tell=adv.next_steps[kind].how_to_tell,
            ))
        names = [adv.next_steps[a.kind].phrase for a in alternatives[:3]]
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
        headline = f"No call data yet: from the message, the most likely causes are {listed}."
    else:
        headline = f"No call data yet, and the message names no symptom or code: look up the calls to {dest_txt}."
    caveats = ["No call data: this is a reading of the customer's words only; the call logs decide."]
    caveats.extend(case.messages)
    caller = case.caller_id.e164 if case.caller_id else None
    stats: dict[str, Any] = {"attempts": 0, "destination": dest, "caller_id": caller}
    return Diagnosis(kind=K.NO_DATA, confidence=0.0, headline=headline, evidence=evidence, next_steps=steps,
                     caveats=caveats, alternatives=alternatives, stats=stats)


# --------------------------------------------------------------------------- gathering facts


def _has_data(a: Attempt) -> bool:
    return (a.provider_status is not None or a.sip_code is not None or a.q850_cause is not None
            or a.provider_error_code is not None or a.answered_by is not None)


class _Classifier:
    """classify.classify, imported on the first attempt that still needs an outcome (and only if it exists)."""

    __slots__ = ("fn", "tried")

    def __init__(self) -> None:
        self.fn: Callable[[Attempt], OutcomeClass] | None = None
        self.tried = False

    def __call__(self, a: Attempt) -> OutcomeClass:
        if not self.tried:
            self.tried = True
            try:
                from sipsight.core.classify import classify
            except ImportError:  # the knowledge helper's module is absent: codes are still read directly
                classify = None
            self.fn = classify
        if self.fn is None:
            return _UNKNOWN
        try:
            return self.fn(a)
        except Exception:  # one unreadable record must not cost the agent the whole diagnosis
            log.warning("could not classify attempt %s", a.id, exc_info=True)
            return _UNKNOWN


class _Extra:
    """What the diagnosis needs beyond the rules' facts: counts for stats and caveats."""

    __slots__ = ("by_outcome", "caller_id", "carriers", "destination", "median_ring", "other_by_outcome",
                 "other_codes", "other_finals", "partial", "pending", "sip_codes", "unclassified")

    def __init__(self) -> None:
        self.by_outcome: dict[str, int] = {}
        self.other_by_outcome: dict[str, int] = {}
        self.sip_codes: dict[str, int] = {}
        self.other_codes: set[int] = set()
        self.other_finals: list[Attempt] = []
        self.pending = 0
        self.unclassified = 0
        self.partial = 0
        self.carriers: list[str] = []
        self.caller_id: str | None = None
        self.destination: str | None = None
        self.median_ring: float | None = None


def _outcomes(seq: Sequence[Attempt], classify: _Classifier) -> list[OutcomeClass]:
    outs = [a.outcome for a in seq]
    if _UNKNOWN in outs:
        for i, o in enumerate(outs):
            if o is _UNKNOWN and _has_data(seq[i]):
                outs[i] = classify(seq[i])
    return outs


def _group(seq: Sequence[Attempt], outs: list[OutcomeClass]) -> tuple[list[Attempt], list[str], int, int]:
    """Final attempts and their families, plus how many were still in progress or unreadable (left out)."""
    finals: list[Attempt] = []
    fams: list[str] = []
    family = R.family
    plain = R.OUTCOME_FAMILY
    pending = unread = 0
    for a, o in zip(seq, outs, strict=True):
        if o is _IN_PROGRESS:
            pending += 1
            continue
        # o._value_ is the plain str: Enum.__hash__ is Python-level and slow in this loop. Attempts with
        # neither code nor machine answer (most of a big history) skip the full decision order.
        value = o._value_
        fam = plain.get(value) if a.sip_code is None and a.provider_error_code is None else None
        if fam is None or fam == "vm" or (fam == "connected" and a.answered_by is None):
            fam = family(a, value)
        if fam == "other" and o is _UNKNOWN:
            unread += 1
            continue
        finals.append(a)
        fams.append(fam)
    return finals, fams, pending, unread


def _side(pairs: Iterable[tuple[Attempt, str]], span: tuple[datetime, datetime] | None = None) -> R.Side:
    by_fam: dict[str, list[Attempt]] = {}
    for a, fam in pairs:
        group = by_fam.get(fam)
        if group is None:
            by_fam[fam] = [a]
        else:
            group.append(a)
    return R.Side(by_fam, span)


def _counts(values: Iterable[str | None]) -> dict[str, int]:
    return {str(k): v for k, v in Counter(values).items() if k is not None}


def _outcome_counts(outs: list[OutcomeClass]) -> dict[str, int]:
    # counted on the plain str values: a Counter over enum members would call Enum.__hash__ per item
    return dict(Counter(map(_VALUE, outs)))


def _gather(
    attempts: Sequence[Attempt], others_in: Sequence[Attempt], ctx: DiagnosisContext,
    classify: _Classifier,
) -> tuple[R.Facts | None, _Extra]:
    ex = _Extra()
    dest_all = sorted(attempts, key=R.START)
    outs = _outcomes(dest_all, classify)
    ex.by_outcome = _outcome_counts(outs)
    finals, fams, ex.pending, ex.unclassified = _group(dest_all, outs)
    # in time order (the split is a bisect, spans are the ends); a provider may include the destination's own
    # calls in the caller's history, and counting them twice would fake "the other calls fail too"
    dest_ids = {a.id for a in dest_all}
    dest_to = dest_all[-1].to if dest_all else None
    others_all = [a for a in others_in if a.to != dest_to and a.id not in dest_ids]
    others_all.sort(key=R.START)
    o_outs = _outcomes(others_all, classify)
    ex.other_by_outcome = _outcome_counts(o_outs)
    o_finals, o_fams, _, _ = _group(others_all, o_outs)

    tos = Counter(map(_TO, dest_all))
    froms = Counter(map(_FROM, dest_all)) or Counter(map(_FROM, others_all))
    ex.destination = tos.most_common(1)[0][0] if tos else None
    ex.caller_id = froms.most_common(1)[0][0] if froms else None
    ex.partial = [*map(_STATE, dest_all), *map(_STATE, others_all)].count("partial")
    if not finals:
        return None, ex

    coded = [a for a in finals if a.sip_code is not None]
    errors = any(map(_ERROR, finals))
    ex.sip_codes = _counts(a.sip_label for a in coded)
    other_codes = set(map(_CODE, o_finals))
    other_codes.discard(None)
    o_coded = bool(other_codes)
    ex.other_codes = other_codes  # labels ("603+") only when a caveat needs them, see _disagreements
    ex.other_finals = o_finals
    rings = [r for r in map(_RING, finals) if r is not None]
    ex.median_ring = median(rings) if rings else None
    ex.carriers = [c for c in dict.fromkeys(map(R.CARRIER, finals)) if c]
    redress = [c for c in dict.fromkeys([*map(_REDRESS, finals), *map(_REDRESS, o_finals)]) if c]

    last_connected = len(fams) - 1 - fams[::-1].index("connected") if "connected" in fams else -1
    cut = last_connected + 1
    before = _side(zip(finals[:cut], fams[:cut], strict=True), _span(finals[:cut]))
    focus = _side(zip(finals[cut:], fams[cut:], strict=True), _span(finals[cut:]))
    whole = before.merged(focus)
    split = (focus.first if focus.n else whole.first) - _OTHERS_LEAD  # type: ignore[operator]
    at = bisect_left([a.start_time for a in o_finals], split)
    o_before = _side(zip(o_finals[:at], o_fams[:at], strict=True), _span(o_finals[:at]))
    o_recent = _side(zip(o_finals[at:], o_fams[at:], strict=True), _span(o_finals[at:]))
    others = o_before.merged(o_recent)

    data = ctx.data
    has_codes = bool(coded or o_coded or errors) or bool(data and data.has_sip_codes)
    has_amd = bool(data and data.has_answered_by) or any(map(_AMD, finals)) or any(map(_AMD, o_finals))
    change_at = focus.first if (before.connected and focus.n) else None
    dest = ex.destination or ""
    facts = R.Facts(
        destination=dest,
        destination_pretty=pretty(dest) if dest else "this number",
        caller_id=ex.caller_id,
        caller_pretty=pretty(ex.caller_id) if ex.caller_id else "the caller ID",
        attempts=finals,
        by_id={a.id: a for a in finals},
        focus=focus,
        focus_attempts=finals[cut:],
        before=before,
        whole=whole,
        others=others,
        others_recent=o_recent,
        others_before=o_before,
        has_others=bool(o_finals),
        has_codes=has_codes,
        has_answered_by=has_amd,
        change_at=change_at,
        prior_contact=ctx.prior_contact,
        redress=list(redress)[:5],
    )
    return facts, ex


def _span(ordered: list[Attempt]) -> tuple[datetime, datetime] | None:
    return (ordered[0].start_time, ordered[-1].start_time) if ordered else None


# --------------------------------------------------------------------------- concluding


def _prior_weights(ctx: DiagnosisContext) -> dict[DiagnosisKind, float]:
    pri = R.priors()
    weights: dict[DiagnosisKind, float] = {}
    entries = [pri.symptoms.get(s) for s in ctx.symptoms] + [pri.for_code(c) for c in ctx.codes]
    for entry in entries:
        if entry is None:
            continue
        for kind, w in entry.kinds.items():
            weights[kind] = weights.get(kind, 0.0) + w
    return weights


def _adjusted(fd: R.Finding, f: R.Facts, prior: dict[DiagnosisKind, float], partial_focus: bool) -> float:
    # the customer's words are a weak prior: at most +0.05, never past the data caps below
    c = fd.confidence + min(0.05, 0.05 * prior.get(fd.kind, 0.0))
    if not fd.uses_codes:
        c = min(c, R.STATUS_ONLY_CAP)
    if fd.support <= 3:
        caps = R.CODE_SUPPORT_CAPS if fd.uses_codes else R.SUPPORT_CAPS
        c = min(c, caps[max(1, fd.support)])
    if fd.needs_comparison and not f.has_others:
        c = min(c - R.NO_COMPARISON_PENALTY, R.NO_COMPARISON_CAP)
    if partial_focus:
        c -= 0.05
    return round(max(0.05, min(R.MAX_CONFIDENCE, c)), 2)


def _conclude(f: R.Facts, ctx: DiagnosisContext, ex: _Extra) -> Diagnosis:
    prior = _prior_weights(ctx)
    partial_focus = any(a.insights_state == "partial" for a in f.focus_attempts)
    found: list[tuple[float, int, R.Finding]] = []
    for index, rule in enumerate(R.RULES):
        fd = rule.detect(f, rule)
        if fd is None:
            continue
        fd.rule_id = rule.id
        found.append((_adjusted(fd, f, prior, partial_focus), index, fd))
    found.sort(key=lambda t: (-t[0], t[1]))
    conf, _, main = found[0]
    adv = R.advice()
    alternatives = _alternatives(main, conf, found[1:], adv)
    evidence = [Evidence(text=t, attempt_ids=list(ids), weight=w) for t, ids, w in main.evidence]
    caveats = _caveats(f, ctx, ex, main, [fd for _, _, fd in found[1:] if _side_note(main, fd)])
    steps = _steps(f, main, adv)
    stats = _stats(f, ex, main)
    return Diagnosis(kind=main.kind, confidence=conf, headline=main.headline, evidence=evidence, next_steps=steps,
                     caveats=caveats, alternatives=alternatives, stats=stats)


def _alternatives(
    main: R.Finding, conf: float, rest: list[tuple[float, int, R.Finding]], adv: R.Advice
) -> list[Alternative]:
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
    ranked = sorted(best.items(), key=lambda kv: -kv[1][0])[:_MAX_ALTERNATIVES]
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


def _side_note(main: R.Finding, other: R.Finding) -> bool:
    """A caller-ID-level observation (volume, labels) next to a code that fully explains the failure is not
    another explanation of this case; it is shown as a side note instead of an alternative."""
    return main.uses_codes and main.kind in _EXPLAINED_BY_CODE and other.kind in _CALLER_WIDE


def _caveats(
    f: R.Facts, ctx: DiagnosisContext, ex: _Extra, main: R.Finding, side_notes: list[R.Finding]
) -> list[str]:
    out: list[str] = []
    data: DataProfile | None = ctx.data
    if not f.has_codes:
        text = "No SIP codes: call status only (Voice Insights Advanced Features off)"
        if main.kind in (K.RECIPIENT_BLOCKED, K.LIKELY_SPAM_LABELED, K.CALLER_ID_FLAGGED, K.UNREACHABLE):
            text += ", so a block can only be inferred from the pattern, not confirmed"
        out.append(text + ".")
    partial = max(ex.partial, data.partial_summaries if data else 0)
    if partial:
        out.append(f"{plural(partial, 'call summary', 'call summaries')} {'is' if partial == 1 else 'are'} still "
                   "partial "
                   "(Voice Insights completes them about 30 minutes after the call): codes may still change.")
    if f.whole.n < 4:
        out.append(f"Only {plural(f.whole.n, 'attempt')} to this number: a pattern needs more (4 or more).")
    if not f.has_others and (main.needs_comparison or main.kind in _CALLER_LEVEL):
        out.append("No calls from this caller ID to other numbers in the window: it cannot be told whether only this "
                   "number is affected or the caller ID everywhere.")
    if not f.has_answered_by and (f.whole.connected or f.whole.count("brief")):
        out.append("No answering-machine detection: a voicemail answer and a person look alike in this data.")
    if main.kind in (K.RECIPIENT_BLOCKED, K.VOICEMAIL_PICKUP, K.UNREACHABLE) and not main.uses_codes:
        out.append("A spam label leaves no SIP code: labeled calls only show as fewer answers and more voicemail.")
    if ex.pending:
        out.append(f"{plural(ex.pending, 'call')} still in progress left out.")
    if ex.unclassified:
        out.append(f"{plural(ex.unclassified, 'attempt')} without any status or code left out.")
    if data is not None:
        out.extend(data.provider_caveats)
    out.extend(main.caveats)
    out.extend(f"Also seen: {fd.headline}" for fd in side_notes)
    out.extend(_disagreements(f, ctx, ex, main))
    return list(dict.fromkeys(out))


def _disagreements(f: R.Facts, ctx: DiagnosisContext, ex: _Extra, main: R.Finding) -> list[str]:
    out = []
    pri = R.priors()
    adv = R.advice()
    said = [s for s in ctx.symptoms if s in pri.symptoms]
    if said and main.kind is not K.NORMAL:
        kinds = {k for s in said for k, w in pri.symptoms[s].kinds.items() if w >= 0.1}
        if main.kind not in kinds:
            words = ", ".join(f"\u201c{s.replace('_', ' ')}\u201d" for s in said)
            out.append(f"The customer describes {words}, but the calls show {adv.next_steps[main.kind].phrase}: "
                       "go by the data, and explain the difference in the reply.")
    elif said and main.kind is K.NORMAL:
        out.append("The customer reports a problem, but the latest calls connect: ask for the time of a failed call.")
    seen = set(ex.sip_codes) | {str(c) for c in ex.other_codes}
    for ref in ctx.codes:
        if ref.startswith("sip:"):
            code = ref[4:]
            if code == "603+" and 603 in ex.other_codes and any(a.is_603_plus for a in ex.other_finals):
                continue
            if code not in seen:
                out.append(f"The customer mentions SIP {code}, but none of the attempts here returned it.")
    return out


def _steps(f: R.Facts, main: R.Finding, adv: R.Advice) -> list[str]:
    values = {"destination": f.destination_pretty, "caller_id": f.caller_pretty}
    steps = list(main.steps)
    if main.default_steps:
        steps.extend(adv.next_steps[main.kind].steps)
    if main.kind in (K.CALLER_ID_FLAGGED, K.LIKELY_SPAM_LABELED):
        if main.carrier:
            engine = R.engine_for(main.carrier)
            if engine is not None:
                steps.append(f"{main.carrier} uses {engine.engine}'s analytics: request a review through "
                             f"{engine.review}.")
        steps.append(adv.redress.registry)
        steps.append(adv.redress.no_rotation)
    for contact in f.redress:
        if not any(contact in s for s in steps):
            steps.append(f"The rejection names who blocked the call and how to dispute it: {contact}.")
    return list(dict.fromkeys(s.format_map(_Default(values)) for s in steps))


class _Default(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _stats(f: R.Facts, ex: _Extra, main: R.Finding) -> dict[str, Any]:
    summary = None
    if f.change_at is not None:
        fams = Counter({fam: len(ids) for fam, ids in f.focus.ids.items()})
        top, n = fams.most_common(1)[0]
        summary = (f"Connected {plural(f.before.connected, 'time')} until {R.when(f.before.last)}, then "
                   f"{plural(f.focus.n, 'call')} since {R.when(f.change_at)} did not connect "
                   f"({n} {R.FAMILY_WORDS.get(top, 'failed')}).")
    elif f.prior_contact and f.focus.n and not f.whole.connected:
        summary = (f"The customer says earlier calls connected; none of the {plural(f.whole.n, 'call')} "
                   "in this window did.")
    others = f.others
    return {
        "attempts": sum(ex.by_outcome.values()),
        "first_time": _iso(f.whole.first),
        "last_time": _iso(f.whole.last),
        "by_outcome": dict(ex.by_outcome),
        "connect_rate": _rate(f.whole.connect_rate),
        "machine_answer_share": _rate(f.whole.machine_share),
        "median_ring_s": ex.median_ring,
        "sip_codes": dict(ex.sip_codes),
        "other_attempts": sum(ex.other_by_outcome.values()),
        "other_destinations": len(others.all_dests),
        "other_by_outcome": dict(ex.other_by_outcome),
        "other_connect_rate": _rate(others.connect_rate),
        "change_at": _iso(f.change_at),
        "change_summary": summary,
        "redress_contacts": list(f.redress),
        "carriers": list(ex.carriers),
        "caller_id": f.caller_id,
        "destination": f.destination or None,
        "rule": main.rule_id,
    }


def _iso(t: datetime | None) -> str | None:
    return t.isoformat().replace("+00:00", "Z") if t else None


def _rate(x: float | None) -> float | None:
    return None if x is None else round(x, 3)


def plural(n: int, word: str, many: str | None = None) -> str:
    return R.plural(n, word, many)


def _no_data(attempts: Sequence[Attempt], others: Sequence[Attempt], ctx: DiagnosisContext, ex: _Extra) -> Diagnosis:
    adv = R.advice()
    dest = ex.destination
    dest_txt = pretty(dest) if dest else "this number"
    if ex.pending:
        headline = (f"{plural(ex.pending, 'call')} to {dest_txt} {'is' if ex.pending == 1 else 'are'} still in "
                    "progress: "
                    "look again in a few minutes.")
    elif attempts:
        headline = f"The calls to {dest_txt} carry no status or code to read: check the provider's call logs directly."
    else:
        headline = (f"No calls to {dest_txt} in this window: check the number, widen the window, "
                    "or switch to the profile (account) the customer calls from.")
    evidence: list[Evidence] = []
    if others:
        n = len(others)
        connected = ex.other_by_outcome.get("connected", 0)
        evidence.append(Evidence(
            text=f"The caller ID made {plural(n, 'other call')} in the window ({connected} connected).",
            attempt_ids=[a.id for a in list(others)[:25]], weight=0.0))
    caveats = []
    if ctx.data is not None:
        caveats.extend(ctx.data.provider_caveats)
    if ctx.symptoms or ctx.codes:
        caveats.append("The customer describes a problem, but there are no calls here to check it against.")
    steps = [s.format_map(_Default({"destination": dest_txt})) for s in adv.next_steps[K.NO_DATA].steps]
    stats: dict[str, Any] = {
        "attempts": sum(ex.by_outcome.values()),
        "by_outcome": dict(ex.by_outcome),
        "other_attempts": len(others),
        "other_by_outcome": dict(ex.other_by_outcome),
        "caller_id": ex.caller_id,
        "destination": dest,
        "change_at": None,
        "rule": "no-data",
    }
    return Diagnosis(kind=K.NO_DATA, confidence=0.0, headline=headline, evidence=evidence, next_steps=steps,
                     caveats=caveats, stats=stats)
