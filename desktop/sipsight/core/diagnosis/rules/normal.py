"""Diagnosis rules for when nothing is wrong, or nothing clearer shows: the latest call connected, most calls
connect, and the fallback that names the most common recent outcome."""

from __future__ import annotations

from sipsight.core.diagnosis._facts import Facts
from sipsight.core.diagnosis._families import FAMILY_KIND, FAMILY_WORDS
from sipsight.core.diagnosis._findings import Finding, Rule, RuleSet
from sipsight.core.diagnosis._wording import cap_ids, plural
from sipsight.core.models import DiagnosisKind, Family

F = Family
K = DiagnosisKind
RULES = RuleSet()
rule = RULES.rule

NORMAL_TALK_S = 10.0  # a shorter answered call may be a hang-up or a greeting, not a conversation


@rule(
    "normal-connected",
    "The latest call to this destination connected",
    K.NORMAL,
    0.8,
    "RFC 3261 §21.2 (2xx: answered); sip-knowledge §5 decision order (5)",
)
def _normal(f: Facts, r: Rule) -> Finding | None:
    if f.focus.n:
        return None
    last = f.attempts[-1]
    dur = last.duration_s
    conf = r.confidence if dur is None or dur >= NORMAL_TALK_S else 0.5
    whole = f.stats.this_number
    if whole.calls - whole.connected - whole.answered_briefly - whole.voicemail >= whole.calls / 2:
        conf = min(conf, 0.44)  # most calls in the window failed: the latest connect alone is no all-clear
    talk = f", {dur:.0f} s" if dur is not None else ""
    ev = [(f"The latest call to {f.destination_pretty} connected ({f.when(last.start_time)}{talk}).", [last.id], 0.8)]
    connected = set(f.before.ids.get(F.CONNECTED, ()))
    failed = [a.id for a in f.attempts if a.id not in connected]
    whole = f.stats.this_number
    if failed:
        ev.append(
            (
                f"{whole.connected} of {plural(whole.calls, 'call')} in the window were answered by a person, the "
                "latest included.",
                cap_ids(failed),
                -0.1,
            )
        )
    return Finding(
        r.kind,
        conf,
        f"Calls to {f.destination_pretty} connect: the latest one was answered ({f.when(last.start_time)}{talk}).",
        ev,
        support=f.whole.n,
    )


@rule(
    "mostly-connected",
    "Most calls to this destination connect; only the very last one did not",
    K.NORMAL,
    0.55,
    "sip-knowledge §5 #7 (an unanswered call is normal)",
)
def _mostly(f: Facts, r: Rule) -> Finding | None:
    if f.focus.n != 1 or f.whole.n < 3 or (f.whole.connect_rate or 0) < 0.6:
        return None
    return Finding(
        r.kind,
        r.confidence,
        f"Calls to {f.destination_pretty} mostly connect; one call after the last answered one did not, "
        "which is normal.",
        [
            (
                f"{f.whole.connected} of {f.whole.n} calls were answered by a person.",
                cap_ids(f.whole.ids_of(F.CONNECTED)),
                0.5,
            )
        ],
        support=f.whole.n,
    )


@rule(
    "dominant-outcome",
    "Fallback when no pattern fits: the kind of the most common recent outcome (normal is a placeholder)",
    K.NORMAL,
    0.4,
    "sip-knowledge §5 decision order for a single attempt",
)
def _dominant(f: Facts, r: Rule) -> Finding | None:
    if not f.focus.n:
        return None
    counts = {fam: len(ids) for fam, ids in f.focus.ids.items() if fam in FAMILY_KIND}
    if not counts:
        # only calls whose records say nothing but that they failed (a bare 'failed', no code): nothing to conclude
        ids = f.focus.ids_of(F.OTHER)
        return Finding(
            K.NO_DATA,
            0.0,
            f"The calls to {f.destination_pretty} ended without a status or code that says why (the provider reports "
            "only that they failed): look them up in the provider's logs, or turn on its SIP-code reporting where it "
            "has one (Twilio's Voice Insights, Bandwidth Insights).",
            [(f"{len(ids)} of {f.focus.n} recent calls ended that way.", ids, 0.0)],
            support=len(ids),
        )
    fam = max(counts, key=counts.__getitem__)
    ids = f.focus.ids[fam]
    return Finding(
        FAMILY_KIND[fam],
        r.confidence,
        f"{'The' if len(ids) == f.focus.n else 'Most'} recent calls to {f.destination_pretty} {FAMILY_WORDS[fam]} "
        f"({len(ids)} of {f.focus.n}); no clearer pattern.",
        [(f"{len(ids)} of {f.focus.n} recent calls {FAMILY_WORDS[fam]}.", ids, 0.3)],
        caveats=["The recent calls show no consistent pattern: treat this as a first reading."],
        support=len(ids),
    )
