"""The diagnosis rules: sip-knowledge §5 patterns as declarative rules over pre-computed facts.

Each rule has an id, the pattern it detects, the kind it concludes, a base confidence and the source it rests
on (docs/diagnosis.md lists them all). A rule's detector reads `Facts` (computed once by
`sipsight.core.diagnosis`) and returns a `Finding` or None; the diagnosis keeps the strongest finding, caps
its confidence by what the data can show, and turns the rest into ranked alternatives. The wording the agent
acts on (next steps, redress, priors from the customer's words) is data in resources/diagnosis/.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache, cached_property
from operator import attrgetter
from statistics import median
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from sipsight.core.errors import SipsightError
from sipsight.core.models import Attempt, DiagnosisKind
from sipsight.core.resources import load_yaml

K = DiagnosisKind

# Ring-time bands (sip-knowledge §3): voicemail picking up within a few seconds means the phone never rang
# (off, blocked, silenced); 20-30 s of ringing then voicemail is an ordinary no-reply forward.
FAST_RING_S = 5.0
RANG_OUT_S = 15.0
SHORT_CALL_S = 6.0  # human answers shorter than this are hang-ups on sight (sip-knowledge §5 #8)
NORMAL_TALK_S = 10.0
BRIEF_NO_AMD_S = 15.0  # answered, no AMD result, shorter than this: a voicemail greeting as likely as a person
SHORT_CANCEL_RING_S = 20.0  # a dialer timeout below this cuts calls off (sip-knowledge §5 #13)
SAME_HOURS = timedelta(hours=2)  # "in the same hours" for outages across destinations
DAILY_VOLUME_RULE = 100  # calls/day per number, vendor rule of thumb (sip-knowledge §4e, L)

CLEAR_CHANGE_Z = 2.5  # two-proportion z-score a before/after difference must reach to count as a change

# Confidence caps (docs/diagnosis.md "Confidence caps").
STATUS_ONLY_CAP = 0.75  # call status alone can never prove a block or a label
NO_COMPARISON_PENALTY = 0.12  # without the caller's other calls, recipient-level vs caller-level is open
NO_COMPARISON_CAP = 0.6
SUPPORT_CAPS = {1: 0.5, 2: 0.6, 3: 0.75}  # attempts a status-based conclusion rests on -> highest confidence
CODE_SUPPORT_CAPS = {1: 0.6, 2: 0.7, 3: 0.85}  # each coded attempt is proof on its own, but one can be a fluke
MAX_CONFIDENCE = 0.97

PLATFORM_ERRORS: dict[str, str] = {
    "21215": "the account's geographic permissions do not allow this destination",
    "13227": "the account's geographic permissions do not allow this destination",
    "32205": "the SIP trunk's geographic permissions do not allow this destination",
    "21216": "Twilio blocked the call: high fraud risk, regulatory, or no Primary Customer Profile in Trust Hub",
    "10001": "the account is not active",
}
PLATFORM_STEPS: dict[str, str] = {
    "21215": "Enable the destination's country in the provider's Voice Geographic Permissions.",
    "13227": "Enable the destination's country in the provider's Voice Geographic Permissions.",
    "32205": "Enable the destination's country in the SIP trunk's geographic permissions.",
    "21216": "Complete the Trust Hub Primary Customer Profile, then contact Twilio support about error 21216.",
    "10001": "Reactivate the account (billing or suspension) in the provider console.",
}
CONFIG_CODES: dict[int, str] = {
    433: "the recipient's network rejects calls with a hidden caller ID (SIP 433, RFC 5079)",
    428: "the call carried no STIR/SHAKEN signature the far end requires (SIP 428, RFC 8224)",
    436: "the STIR/SHAKEN signature failed verification (SIP 436, RFC 8224)",
    437: "the STIR/SHAKEN certificate was not accepted (SIP 437, RFC 8224)",
    438: "the STIR/SHAKEN Identity header was invalid (SIP 438, RFC 8224)",
    488: "the far end refused the media/codec offer (SIP 488)",
    415: "the far end refused the media format (SIP 415)",
    606: "the far end refused the session description (SIP 606)",
    580: "a media precondition failed (SIP 580)",
}
BLOCK_FAMILIES = ("block", "unwanted", "decline")
START = attrgetter("start_time")
TO = attrgetter("to")
CARRIER = attrgetter("carrier")
MACHINE_FAMILIES = ("vm_fast", "vm_mid", "vm_rang", "vm")


def z_score(p1: float, n1: int, p2: float, n2: int) -> float:
    """Two-proportion z-score of p1 > p2 (pooled); 0 when it cannot be computed."""
    if not n1 or not n2:
        return 0.0
    pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
    var = pooled * (1 - pooled) * (1 / n1 + 1 / n2)
    return (p1 - p2) / var**0.5 if var > 0 else 0.0


def family(a: Attempt, outcome: str) -> str:
    """The bucket one attempt falls into, by the single-attempt decision order of sip-knowledge §5:
    platform first, then the blocked 6xx family, invalid numbers, transient codes, then answered calls."""
    err = a.provider_error_code
    if outcome == "platform_rejected" or (err is not None and err in PLATFORM_ERRORS):
        return "platform"
    code = a.sip_code
    if code is not None and code >= 300:
        if code == 608:
            return "block"
        if code == 603:
            return "block" if a.is_603_plus else "decline"
        if code == 607:
            return "unwanted"
        if code in (404, 410, 604):
            return "invalid"
        if code == 484:
            return "format"
        if code in (486, 600):
            return "busy"
        if code in (480, 408):
            # Q.850 19 "no answer from user (user alerted)" also maps to 480 (RFC 3398): after a full ring it rang out
            ring = a.ring_s
            rang = outcome == "no_answer" or (ring is not None and ring >= RANG_OUT_S)
            return "no_answer" if rang else "unreachable"
        if code == 487:
            return "canceled"
        if 500 <= code <= 504:
            return "carrier"
        if code in CONFIG_CODES:
            return "config"
        if code == 403:
            return "forbidden"
    fam = OUTCOME_FAMILY.get(outcome, "other")
    if fam == "vm":
        ring = a.ring_s
        if ring is None:
            return "vm"
        if ring <= FAST_RING_S:
            return "vm_fast"
        return "vm_rang" if ring >= RANG_OUT_S else "vm_mid"
    if fam == "connected" and a.answered_by is None:
        # without answering-machine detection a voicemail greeting is an answered call: a brief one is no
        # evidence that a person talked (sip-knowledge §3: voicemail answers with 200 OK)
        dur = a.duration_s
        if dur is not None and dur < BRIEF_NO_AMD_S:
            return "brief"
    return fam


OUTCOME_FAMILY = {
    "connected": "connected",
    "voicemail": "vm",
    "no_answer": "no_answer",
    "busy": "busy",
    "unreachable": "unreachable",
    "caller_canceled": "canceled",
    "declined": "decline",
    "network_blocked": "block",
    "invalid_number": "invalid",
    "platform_rejected": "platform",
    "carrier_failure": "carrier",
}


# --------------------------------------------------------------------------- facts


class Side:
    """Aggregates over one set of attempts, grouped by family in a single pass; everything else is derived
    lazily (and cached), so a rule that never asks for carriers never pays for them."""

    def __init__(self, by_fam: dict[str, list[Attempt]] | None = None, span: tuple[datetime, datetime] | None = None):
        self.by_fam: dict[str, list[Attempt]] = by_fam if by_fam is not None else {}
        self.n = sum(len(v) for v in self.by_fam.values())
        self._cache: dict[str, object] = {}
        if span is not None:
            self._cache["first"], self._cache["last"] = span

    def _cached(self, key: str, make: Callable[[], object]) -> Any:
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    def attempts(self) -> list[Attempt]:
        return self._cached("all", lambda: [a for v in self.by_fam.values() for a in v])

    @property
    def ids(self) -> dict[str, list[str]]:
        return self._cached("ids", lambda: {f: [a.id for a in v] for f, v in self.by_fam.items()})

    def count(self, *families: str) -> int:
        return sum(len(self.by_fam.get(f, ())) for f in families)

    def ids_of(self, *families: str) -> list[str]:
        return [a.id for f in families for a in self.by_fam.get(f, ())]

    def dests_of(self, *families: str) -> set[str]:
        out: set[str] = set()
        for f in families:
            out.update(map(TO, self.by_fam.get(f, ())))
        return out

    @property
    def all_dests(self) -> set[str]:
        return self._cached("dests", lambda: set(map(TO, self.attempts())))

    @property
    def connected(self) -> int:
        return len(self.by_fam.get("connected", ()))

    @property
    def machine(self) -> int:
        return self.count(*MACHINE_FAMILIES)

    @property
    def short_human(self) -> list[Attempt]:
        return self._cached("short", lambda: [
            a for a in self.by_fam.get("connected", ()) if a.duration_s is not None and a.duration_s < SHORT_CALL_S])

    @property
    def first(self) -> datetime | None:
        return self._cached("first", lambda: min(map(START, self.attempts()), default=None))

    @property
    def last(self) -> datetime | None:
        return self._cached("last", lambda: max(map(START, self.attempts()), default=None))

    @property
    def carrier_times(self) -> list[tuple[datetime, str, str]]:
        """(time, destination, id) of the 5xx failures, by time."""
        return self._cached("5xx", lambda: sorted((a.start_time, a.to, a.id) for a in self.by_fam.get("carrier", ())))

    def carriers(self) -> tuple[dict[str, int], dict[str, int]]:
        """Per terminating carrier (known ones): attempts, and how many connected."""

        def make() -> tuple[dict[str, int], dict[str, int]]:
            total = Counter(map(CARRIER, self.attempts()))
            ok = Counter(map(CARRIER, self.by_fam.get("connected", ())))
            total.pop(None, None)
            ok.pop(None, None)
            return dict(total), dict(ok)

        return self._cached("carriers", make)

    def failed_on(self, carrier: str) -> list[str]:
        return [a.id for f, group in self.by_fam.items() if f != "connected" for a in group if a.carrier == carrier]

    def blocked_carriers(self) -> dict[str, str]:
        """attempt id -> terminating carrier, for the blocked family (608/603+/607/603) only."""
        return self._cached("code_carriers", lambda: {
            a.id: a.carrier for f in BLOCK_FAMILIES for a in self.by_fam.get(f, ()) if a.carrier})

    @property
    def answered(self) -> int:
        return self.connected + self.machine

    @property
    def talk_rate(self) -> float | None:
        """Share of attempts that became a conversation (a person, longer than a hang-up on sight)."""
        return (self.connected - len(self.short_human)) / self.n if self.n else None

    @property
    def short_rate(self) -> float:
        return len(self.short_human) / self.n if self.n else 0.0

    @property
    def fast_vm_rate(self) -> float:
        return self.count("vm_fast") / self.n if self.n else 0.0

    @property
    def connect_rate(self) -> float | None:
        return self.connected / self.n if self.n else None

    @property
    def machine_share(self) -> float | None:
        return self.machine / self.answered if self.answered else None

    def merged(self, other: Side) -> Side:
        keys = dict.fromkeys([*self.by_fam, *other.by_fam])
        firsts = [t for t in (self.first, other.first) if t is not None]
        lasts = [t for t in (self.last, other.last) if t is not None]
        span = (min(firsts), max(lasts)) if firsts else None
        return Side({f: [*self.by_fam.get(f, ()), *other.by_fam.get(f, ())] for f in keys}, span)


@dataclass
class Facts:
    """Everything the rules read, computed once per diagnosis."""

    destination: str
    destination_pretty: str
    caller_id: str | None
    caller_pretty: str
    attempts: list[Attempt]  # final attempts to the destination, in time order
    by_id: dict[str, Attempt]
    focus: Side  # destination attempts since the last one that connected (all of them if none did)
    focus_attempts: list[Attempt]
    before: Side  # destination attempts up to and including the last connected one
    whole: Side
    others: Side  # the caller's other calls, whole window
    others_recent: Side  # ... in the hours of the focus run
    others_before: Side  # ... before it
    has_others: bool
    has_codes: bool
    has_answered_by: bool
    change_at: datetime | None
    prior_contact: bool
    redress: list[str]

    @property
    def destination_connected_before(self) -> bool:
        return self.before.connected > 0

    def focus_share(self, *families: str) -> float:
        return self.focus.count(*families) / self.focus.n if self.focus.n else 0.0

    def rings(self, ids: list[str]) -> list[float]:
        return [r for r in (self.by_id[i].ring_s for i in ids if i in self.by_id) if r is not None]

    def others_state(self) -> str:
        """How the caller's other calls fare in the same hours: none | ok | poor | falling | mixed.

        Judged on conversations (answered by a person and longer than a hang-up), because a label shows as
        fewer conversations, more instant voicemail and more hang-ups on sight (sip-knowledge §3, §5 #4, #8).
        Cold-calling conversation rates are low (often 15-30%), so "ok" is judged against that."""
        recent = self.others_recent if self.others_recent.n >= 3 else self.others
        if recent.n < 3:
            return "none"
        talk = recent.talk_rate or 0.0
        mshare = recent.machine_share or 0.0
        before = self.others_before
        if before.n >= 5 and recent is self.others_recent:
            # a change counts when it is large and clear of sampling noise (dialer days vary a lot)
            t0 = before.talk_rate or 0.0
            drop = t0 - talk >= 0.15 and z_score(t0, before.n, talk, recent.n) >= CLEAR_CHANGE_Z
            rise = recent.fast_vm_rate - before.fast_vm_rate >= 0.15 and z_score(
                recent.fast_vm_rate, recent.n, before.fast_vm_rate, before.n) >= CLEAR_CHANGE_Z
            if (drop or rise) and (mshare >= 0.4 or recent.short_rate >= 0.2):
                return "falling"
        if talk < 0.1 and mshare >= 0.5 and len(recent.all_dests) >= 3:
            return "poor"
        return "ok" if talk >= 0.15 else "mixed"

    @cached_property
    def troubled_carrier(self) -> str | None:
        """The destination's terminating carrier when the caller's calls to *other* numbers on it fail but connect
        elsewhere (sip-knowledge §5 #20): then "only this number" is not true, whatever the destination shows."""
        dest_carrier = next((a.carrier for a in reversed(self.attempts) if a.carrier), None)
        if dest_carrier is None or not self.has_others:
            return None
        total, connected = self.others.carriers()
        n = total.get(dest_carrier, 0)
        if n < 5 or connected.get(dest_carrier, 0) / n > 0.1:
            return None
        rest_n = sum(v for c, v in total.items() if c != dest_carrier)
        rest_ok = sum(v for c, v in connected.items() if c != dest_carrier)
        if rest_n < 5 or rest_ok / rest_n < 0.2:
            return None
        return dest_carrier

    @cached_property
    def everyone(self) -> Side:
        """The destination's and the other calls together (the caller ID as a whole)."""
        return self.whole.merged(self.others) if self.has_others else self.whole

    def others_window(self) -> Side:
        return self.others_recent if self.others_recent.n >= 3 else self.others


@dataclass(slots=True)
class Finding:
    kind: DiagnosisKind
    confidence: float
    headline: str
    evidence: list[tuple[str, list[str], float]] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)
    alternatives: list[tuple[DiagnosisKind, float, str, str]] = field(default_factory=list)
    caveats: list[str] = field(default_factory=list)
    support: int = 0  # attempts the conclusion rests on
    uses_codes: bool = False  # rests on SIP/provider codes rather than call status alone
    needs_comparison: bool = False  # recipient-level vs caller-level needs the caller's other calls
    carrier: str | None = None  # terminating carrier the problem concentrates on
    default_steps: bool = True  # add the kind's generic steps from advice.yaml after the rule's own
    rule_id: str = ""


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    pattern: str
    kind: DiagnosisKind
    confidence: float
    source: str
    detect: Callable[[Facts, Rule], Finding | None]


RULES: list[Rule] = []


def rule(id: str, pattern: str, kind: DiagnosisKind, confidence: float, source: str) -> Callable:
    def register(fn: Callable[[Facts, Rule], Finding | None]) -> Callable[[Facts, Rule], Finding | None]:
        RULES.append(Rule(id, pattern, kind, confidence, source, fn))
        return fn

    return register


# --------------------------------------------------------------------------- wording helpers


def when(t: datetime | None) -> str:
    return t.strftime("%b %d %H:%M UTC") if t else "?"


def pct(x: float | None) -> str:
    return "n/a" if x is None else f"{round(x * 100)}%"


def secs(values: list[float]) -> str:
    if not values:
        return ""
    lo, hi = min(values), max(values)
    return f"{lo:.0f} s" if round(lo) == round(hi) else f"{lo:.0f}-{hi:.0f} s"


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


def cap_ids(ids: list[str], limit: int = 25) -> list[str]:
    return ids[:limit]


def others_sentence(f: Facts) -> tuple[str, list[str]] | None:
    side = f.others_window()
    if side.n == 0:
        return None
    scope = "in the same hours" if side is f.others_recent else "in the window"
    ids = cap_ids(side.ids_of("connected") or [i for v in side.ids.values() for i in v])
    text = (
        f"The caller's calls to other numbers {scope}: {side.connected} of {side.n} connected "
        f"({pct(side.connect_rate)}) "
        f"across {plural(len(side.all_dests), 'number')}"
    )
    if side.answered:
        text += f"; {pct(side.machine_share)} of the answered ones went to a machine"
    return text + ".", ids


def change_evidence(f: Facts) -> tuple[str, list[str], float] | None:
    if not f.destination_connected_before or f.change_at is None:
        return None
    ids = f.before.ids_of("connected")
    span = f"{when(f.before.first)} to {when(f.before.last)}" if len(ids) > 1 else when(f.before.last)
    text = (
        f"Earlier calls to {f.destination_pretty} connected ({plural(len(ids), 'call')}, {span}); "
        f"nothing has connected since {when(f.change_at)}."
    )
    return text, cap_ids(ids), 0.3


def engine_for(carrier: str | None) -> Engine | None:
    if not carrier:
        return None
    name = carrier.lower()
    for engine in advice().engines:
        if any(c in name for c in engine.carriers):
            return engine
    return None


# --------------------------------------------------------------------------- rules: platform and setup


@rule(
    "platform-rejection",
    "Provider error code (21215/13227/32205 geo-permissions, 21216 blocked by Twilio, 10001 account inactive) "
    "or outcome platform_rejected on most recent attempts",
    K.PLATFORM_RESTRICTION, 0.9,
    "sip-knowledge §5 #15; Twilio error docs 21215, 21216, 13227, 32205, 10001 (twilio-and-signalwire.md)",
)
def _platform(f: Facts, r: Rule) -> Finding | None:
    ids = f.focus.ids_of("platform")
    if not ids or (len(ids) / f.focus.n < 0.5 and f.focus_attempts[-1].id not in ids):
        return None
    errs = [e for e in (f.by_id[i].provider_error_code for i in ids) if e]
    main = max(set(errs), key=errs.count) if errs else None
    reason = PLATFORM_ERRORS.get(main or "", "the provider refused to place the call")
    label = f" (error {main})" if main else ""
    others = f.others.ids_of("platform")
    text = f"{plural(len(ids), 'attempt')} to {f.destination_pretty} failed at the platform{label}: {reason}."
    ev = [(text, ids, 0.9)]
    if others:
        ev.append((f"The same platform error hit {plural(len(f.others.dests_of('platform')), 'other number')}.",
                   cap_ids(others), 0.3))
    steps = [PLATFORM_STEPS[main]] if main in PLATFORM_STEPS else []
    return Finding(
        r.kind, r.confidence if errs else 0.75,
        f"Calls to {f.destination_pretty} never left the platform: {reason}{label}. The recipient never saw them.",
        ev, steps, support=len(ids) + len(others), uses_codes=True,
    )


@rule(
    "caller-setup",
    "SIP 433 (anonymous caller ID), 428/436/437/438 (STIR/SHAKEN), 488/415/606/580 (media) on most attempts",
    K.PLATFORM_RESTRICTION, 0.8,
    "sip-knowledge §5 #17, #18, #19; RFC 5079 §5, RFC 8224 §6.2, RFC 3261 §21.4.26",
)
def _setup(f: Facts, r: Rule) -> Finding | None:
    ids = f.focus.ids_of("config")
    if not ids or len(ids) / f.focus.n < 0.5:
        return None
    codes = [f.by_id[i].sip_code for i in ids]
    code = max(set(codes), key=codes.count)
    reason = CONFIG_CODES.get(code or 0, "a configuration problem on the caller's side")
    step = (
        "Send a real caller ID (no *67 / privacy) on these calls."
        if code == 433
        else "Ask the provider to fix STIR/SHAKEN signing for this caller ID (expect labels or blocks while it is "
             "broken)."
        if code in (428, 436, 437, 438)
        else "Check the trunk's codec/media configuration with the provider."
    )
    return Finding(
        r.kind, r.confidence, f"Calls to {f.destination_pretty} fail because {reason}: a setup problem on the "
                              "caller's side.",
        [(f"{plural(len(ids), 'attempt')} returned SIP {code}.", ids, 0.8)], [step],
        support=len(ids), uses_codes=True,
    )


# --------------------------------------------------------------------------- rules: blocked family


def _block_scope(f: Facts) -> tuple[set[str], list[str], list[str], set[str]]:
    """Distinct destinations with 608/603+ (network block) and with plain 603, across this number and others."""
    block_dests = set(f.others.dests_of("block"))
    block_ids = f.whole.ids_of("block") + f.others.ids_of("block")
    if f.whole.count("block"):
        block_dests.add(f.destination)
    decline_dests = set(f.others.dests_of("decline"))
    if f.whole.count("decline"):
        decline_dests.add(f.destination)
    decline_ids = f.whole.ids_of("decline") + f.others.ids_of("decline")
    return block_dests, block_ids, decline_ids, decline_dests


def _carrier_of_ids(f: Facts, ids: list[str]) -> tuple[str | None, float]:
    table = f.others.blocked_carriers()
    by_id = f.by_id
    counts = Counter(by_id[i].carrier if i in by_id else table.get(i) for i in ids)
    counts.pop(None, None)
    if not counts:
        return None, 0.0
    best = max(counts, key=counts.__getitem__)
    return best, counts[best] / sum(counts.values())


def _redress_steps(f: Facts, carrier: str | None) -> list[str]:
    steps = [f"Dispute the block with the blocking network using the contact in the rejection: {c}." for c in f.redress]
    engine = engine_for(carrier)
    if engine is not None:
        steps.append(f"{carrier} uses {engine.engine}'s analytics: request a review through {engine.review}.")
    a = advice()
    steps.append(a.redress.registry)
    steps.append(a.redress.no_rotation)
    return steps


@rule(
    "network-block-wide",
    "608 / 603+ (Network Blocked) from 3+ distinct destinations of the same caller ID (or plain 603 from 3+)",
    K.CALLER_ID_FLAGGED, 0.9,
    "sip-knowledge §5 #1, #3, #20; RFC 8688 §3.1 (608), ATIS-1000099 (603+), FCC 25-15",
)
def _block_wide(f: Facts, r: Rule) -> Finding | None:
    block_dests, block_ids, decline_ids, decline_dests = _block_scope(f)
    plain = False
    if len(block_dests) >= 3:
        ids, dests = block_ids, block_dests
    elif len(block_dests | decline_dests) >= 3:
        ids, dests, plain = block_ids + decline_ids, block_dests | decline_dests, True
    else:
        return None
    conf = 0.75 if plain else r.confidence
    here = f.whole.count("block", "decline")
    if not here:
        conf -= 0.1
    if not f.focus.n:
        conf = min(conf, 0.45)  # the latest call to this number connected: the flag is real but not this case's story
    carrier, share = _carrier_of_ids(f, ids)
    on = f" on {carrier}" if carrier and share >= 0.7 else ""
    what = "603 Decline" if plain else "608/603+ (blocked by network analytics)"
    ev = [(f"{plural(len(ids), 'call')} from this caller ID to {plural(len(dests), 'different number')} got "
           f"{what}{on}.",
           cap_ids(ids), 0.9)]
    if carrier and share >= 0.7:
        ev.append((f"{pct(share)} of those blocks came from {carrier}: that carrier's analytics engine.", [], 0.3))
    if not here:
        ev.append((f"Calls to {f.destination_pretty} themselves show no block code.", [], -0.1))
    headline = (
        f"The caller ID {f.caller_pretty} is being blocked by carrier spam analytics{on}: "
        f"{plural(len(dests), 'number')} rejected it with {'603' if plain else '608/603+'}, not just "
        f"{f.destination_pretty}."
    )
    return Finding(
        r.kind, conf, headline, ev,
        ["Stop dialing from this caller ID now.", *_redress_steps(f, carrier if on else None)],
        [(K.RECIPIENT_BLOCKED, 0.05, "Each recipient could have declined individually.",
          "Individual declines rarely come from many numbers within hours; network blocks do.")],
        support=len(ids), uses_codes=True, carrier=carrier if on else None,
    )


@rule(
    "network-block-one",
    "608 / 603+ on this destination, fewer than 3 destinations blocked",
    K.CALLER_ID_FLAGGED, 0.75,
    "sip-knowledge §1b, §5 #1; RFC 8688 Abstract, §3.1; ATIS-1000099",
)
def _block_one(f: Facts, r: Rule) -> Finding | None:
    ids = f.focus.ids_of("block")
    if not ids:
        return None
    labels = sorted({f.by_id[i].sip_label or "network blocked" for i in ids})
    carrier = next((f.by_id[i].carrier for i in reversed(ids) if f.by_id[i].carrier), None)
    at = f" at {carrier}" if carrier else " at the recipient's carrier"
    state = f.others_state()
    conf = r.confidence if state in ("ok", "none") else 0.7
    ev = [(f"{plural(len(ids), 'call')} to {f.destination_pretty} rejected with {'/'.join(labels)}: "
           "a machine (spam analytics) blocked it, the phone never rang.", ids, 0.9)]
    sent = others_sentence(f)
    if sent:
        ev.append((sent[0], sent[1], 0.2 if state == "ok" else 0.1))
    headline = (
        f"Calls to {f.destination_pretty} are blocked by spam analytics{at} ({'/'.join(labels)}), "
        "not by the person: the block is on the caller ID."
    )
    return Finding(
        r.kind, conf, headline, ev, _redress_steps(f, carrier),
        [(K.RECIPIENT_BLOCKED, 0.15, "The recipient may have opted into their carrier's spam blocking "
          "(T-Mobile Scam Block, Verizon Call Filter).",
          "Call other numbers on the same carrier: if they are blocked too, it is the carrier's analytics on the "
          "caller ID.")],
        support=len(ids), uses_codes=True, needs_comparison=True, carrier=carrier,
    )


@rule(
    "unwanted-607",
    "607 Unwanted on this destination (while the caller's other calls complete)",
    K.RECIPIENT_BLOCKED, 0.9,
    "sip-knowledge §5 #2; RFC 8197 §1, §4",
)
def _unwanted(f: Facts, r: Rule) -> Finding | None:
    ids = f.focus.ids_of("unwanted")
    if not ids:
        return None
    conf = r.confidence if f.has_others else 0.85
    ev = [(f"{plural(len(ids), 'call')} to {f.destination_pretty} rejected with 607 Unwanted: "
           "the person (or their phone) marked the caller ID as unwanted.", ids, 0.95)]
    sent = others_sentence(f)
    if sent:
        ev.append((sent[0], sent[1], 0.2))
    steps = [
        f"Stop calling {f.destination_pretty}: add it to the customer's internal do-not-call list. "
        "Later attempts are likely to be rejected the same way (RFC 8197 §1).",
        advice().redress.no_rotation,
    ]
    other_607 = f.others.dests_of("unwanted")
    if len(other_607) >= 2:
        ev.append((f"{plural(len(other_607), 'other number')} also answered 607: carriers use these as spam reports.",
                   cap_ids(f.others.ids_of("unwanted")), 0.3))
        steps.append("Several people marked this caller ID unwanted: review the call list (consent) and the pitch, "
                     "or the number will be labeled spam (RFC 8197 §4, §6).")
    return Finding(
        r.kind, conf,
        f"The person at {f.destination_pretty} rejected the calls as unwanted (SIP 607): they blocked the caller ID.",
        [*ev], [*steps, "If the customer needs to reach this person, suggest another channel they agreed to "
                "(email, text where permitted)."],
        [(K.CALLER_ID_FLAGGED, 0.05, "607 can also come from the phone's own spam logic (RFC 8197 §1).",
          "If many different numbers answer 607, the caller ID itself is the problem.")],
        support=len(ids), uses_codes=True, default_steps=False,
    )


@rule(
    "decline-603",
    "Plain 603 Decline (no Network Blocked reason) on this destination only",
    K.RECIPIENT_BLOCKED, 0.55,
    "sip-knowledge §5 #3, §1b; RFC 3261 §21.6.2; FCC 21-126 (603 allowed for network blocks before 2026-03-25)",
)
def _decline(f: Facts, r: Rule) -> Finding | None:
    ids = f.focus.ids_of("decline")
    if not ids or len(ids) / f.focus.n < 0.4:
        return None
    conf = r.confidence + (0.05 if len(ids) >= 3 else 0.0)
    ev = [(f"{plural(len(ids), 'call')} to {f.destination_pretty} declined with SIP 603 (no 'Network Blocked' reason).",
           ids, 0.6)]
    sent = others_sentence(f)
    if sent:
        ev.append((sent[0], sent[1], 0.15))
    return Finding(
        r.kind, conf,
        f"Calls to {f.destination_pretty} are being declined (SIP 603): most likely the person rejects the calls.",
        ev, [f"Do not retry {f.destination_pretty} for several days; then once, at another time of day."],
        [(K.CALLER_ID_FLAGGED, 0.25, "Networks could report analytics blocks as plain 603 before 2026-03-25.",
          "If numbers on the same carrier also return 603, or a recorded announcement plays, it is a network block.")],
        support=len(ids), uses_codes=True, needs_comparison=True,
    )


@rule(
    "forbidden-403",
    "403 Forbidden without a provider error: on several destinations -> platform; on this one only -> barred/blocked",
    K.PLATFORM_RESTRICTION, 0.7,
    "sip-knowledge §5 #15, #16; RFC 3261 §21.4.4; RFC 3398 (Q.850 21 -> 403)",
)
def _forbidden(f: Facts, r: Rule) -> Finding | None:
    ids = f.focus.ids_of("forbidden")
    if not ids or len(ids) / f.focus.n < 0.5:
        return None
    other_dests = f.others.dests_of("forbidden")
    ev = [(f"{plural(len(ids), 'call')} to {f.destination_pretty} got 403 Forbidden.", ids, 0.6)]
    if len(other_dests) >= 2:
        ev.append((f"403 also on {plural(len(other_dests), 'other number')}: the refusal is on the caller's side.",
                   cap_ids(f.others.ids_of("forbidden")), 0.4))
        return Finding(r.kind, r.confidence,
                       f"Calls from {f.caller_pretty} are refused with 403 on several numbers: most likely an account "
                       "or caller-ID permission problem at the provider.", ev,
                       ["Check the provider console for account limits, permissions and whether the caller ID is "
                        "allowed."],
                       [(K.CALLER_ID_FLAGGED, 0.15, "Some networks block with 403 (Q.850 21).",
                         "A provider-side refusal arrives instantly, before any ringing.")],
                       support=len(ids) + len(other_dests), uses_codes=True)
    return Finding(K.RECIPIENT_BLOCKED, 0.45,
                   f"Calls to {f.destination_pretty} are refused with 403 Forbidden: the number is barred or blocks "
                   "this caller.",
                   ev, [f"Treat {f.destination_pretty} as do-not-retry."],
                   [(K.PLATFORM_RESTRICTION, 0.3, "403 is also how a provider refuses a call (limits, permissions).",
                     "Look for a provider error code or an instant failure; check other calls for 403.")],
                   support=len(ids), uses_codes=True, needs_comparison=True)


# --------------------------------------------------------------------------- rules: number and line state


@rule(
    "invalid-number",
    "404 / 410 / 604 (or outcome invalid_number) on the recent attempts",
    K.INVALID_NUMBER, 0.9,
    "sip-knowledge §5 #10; RFC 3261 §21.4.5, §21.4.10, §21.6.3; RFC 3398 (Q.850 1, 22)",
)
def _invalid(f: Facts, r: Rule) -> Finding | None:
    ids = f.focus.ids_of("invalid")
    if not ids or (len(ids) / f.focus.n < 0.5 and f.focus_attempts[-1].id not in ids):
        return None
    codes = sorted({str(f.by_id[i].sip_code) for i in ids if f.by_id[i].sip_code})
    shown = f"SIP {'/'.join(codes)}" if codes else "not in service"
    text = f"{plural(len(ids), 'call')} to {f.destination_pretty} returned {shown}: the number is not assigned."
    ev = [(text, ids, 0.9)]
    alts: list[tuple[DiagnosisKind, float, str, str]] = []
    conf = r.confidence if codes else 0.7
    if f.destination_connected_before:
        conf = min(conf, 0.65)
        ce = change_evidence(f)
        if ce:
            ev.append(ce)
        alts.append((K.RECIPIENT_BLOCKED, 0.2, "The number worked before; some call-blocking services answer 604 to "
                                               "make "
                     "a number look dead (RFC 8688 §1).", "Call it from another phone: a real disconnect plays the "
                     "'not in service' message to everyone."))
    return Finding(
        r.kind, conf,
        f"{f.destination_pretty} is not in service ({shown}): the number is disconnected, changed or mistyped."
        + (" It worked earlier, so it changed recently." if f.destination_connected_before else ""),
        ev, [], alts, support=len(ids), uses_codes=bool(codes),
    )


@rule(
    "address-incomplete",
    "484 Address Incomplete (Q.850 28): wrong number format",
    K.INVALID_NUMBER, 0.85,
    "sip-knowledge §5 #11; RFC 3261 §21.4.22; RFC 3398 (Q.850 28)",
)
def _format(f: Facts, r: Rule) -> Finding | None:
    ids = f.focus.ids_of("format")
    if not ids or len(ids) / f.focus.n < 0.5:
        return None
    return Finding(
        r.kind, r.confidence,
        f"Calls to {f.destination_pretty} fail with 484 Address Incomplete: the number is dialled in a wrong or "
        "incomplete format.",
        [(f"{plural(len(ids), 'call')} returned SIP 484.", ids, 0.9)],
        ["Check how the CRM stores the number: E.164 (+1 and ten digits), no extension glued on."],
        support=len(ids), uses_codes=True,
    )


def _simple(f: Facts, r: Rule, fam: str, headline: str, what: str, code_word: str,
            alts: list[tuple[DiagnosisKind, float, str, str]], steps: list[str] | None = None) -> Finding | None:
    ids = f.focus.ids_of(fam)
    if not ids or len(ids) / f.focus.n < 0.5:
        return None
    codes = sorted({f.by_id[i].sip_label or "" for i in ids} - {""})
    uses_codes = bool(codes)
    conf = r.confidence if uses_codes else r.confidence - 0.15
    shown = f" ({code_word} {'/'.join(codes)})" if codes else ""
    ev = [(f"{len(ids)} of {f.focus.n} recent calls to {f.destination_pretty} {what}{shown}.", ids, 0.7)]
    return Finding(r.kind, conf, headline, ev, steps or [], alts, support=len(ids), uses_codes=uses_codes)


@rule("busy", "486 Busy Here / 600 Busy Everywhere (Q.850 17), or status busy, on most recent attempts",
      K.BUSY, 0.85, "sip-knowledge §5 #12; RFC 3261 §21.4.24, §21.6.1")
def _busy(f: Facts, r: Rule) -> Finding | None:
    ids = f.focus.ids_of("busy")
    days = len({f.by_id[i].start_time.date() for i in ids})
    alts = []
    if len(ids) >= 4 and days >= 2:
        alts.append((K.RECIPIENT_BLOCKED, 0.15, "Busy on every attempt over several days: some phones report a "
                                                "declined "
                     "call as busy.", "Call from another phone at the same time: if it rings, the calls are being "
                                      "declined."))
    return _simple(f, r, "busy", f"{f.destination_pretty} was busy: the line was in use (or rejected as busy).",
                   "were busy", "SIP", alts)


@rule("unreachable", "480 Temporarily Unavailable / 408 Request Timeout (Q.850 18/19/20), or outcome unreachable",
      K.UNREACHABLE, 0.8, "sip-knowledge §5 #9; RFC 3261 §21.4.18, §21.4.9; RFC 3398")
def _unreachable(f: Facts, r: Rule) -> Finding | None:
    return _simple(f, r, "unreachable", f"{f.destination_pretty} is unreachable: the phone is off, out of coverage or "
                                        "on "
                   "Do Not Disturb.", "could not reach the phone", "SIP",
                   [(K.RECIPIENT_BLOCKED, 0.1, "Do Not Disturb or a block list can also answer 480.",
                     "If it persists for days while the number works from another phone, it is a block.")])


@rule("caller-canceled", "487 Request Terminated or status canceled: the caller's side hung up before answer",
      K.CALLER_CANCELED, 0.8, "sip-knowledge §5 #13; RFC 3261 §21.4.25; Twilio Timeout default 60 s")
def _canceled(f: Facts, r: Rule) -> Finding | None:
    ids = f.focus.ids_of("canceled")
    if not ids or len(ids) / f.focus.n < 0.5:
        return None
    rings = f.rings(ids)
    med = median(rings) if rings else None
    codes = any(f.by_id[i].sip_code == 487 for i in ids)
    conf = r.confidence if med is not None and med < SHORT_CANCEL_RING_S else (0.7 if med is None else 0.6)
    if not codes:
        conf -= 0.05
    alts = []
    if med is not None and med >= SHORT_CANCEL_RING_S:
        alts.append((K.NO_ANSWER, 0.25, f"It rang {med:.0f} s before the caller's side gave up: nobody answered.",
                     "A normal ring-out to voicemail takes 20-30 s; a longer timeout would show it."))
    ring_txt = f" after {secs(rings)} of ringing" if rings else ""
    return Finding(
        r.kind, conf,
        f"The caller's side hung up calls to {f.destination_pretty}{ring_txt} before anyone could answer"
        + (": the dialer's ring timeout is too short." if med is not None and med < SHORT_CANCEL_RING_S else "."),
        [(f"{len(ids)} of {f.focus.n} recent calls were cancelled by the caller{ring_txt}"
          + (" (SIP 487)." if codes else "."), ids, 0.8)],
        [], alts, support=len(ids), uses_codes=codes,
    )


@rule("carrier-fault-wide",
      "500/502/503/504 on this destination and on 2+ unrelated destinations within 2 h "
      "(this destination only: 0.50, unreachable as the alternative)",
      K.CARRIER_FAULT, 0.85, "sip-knowledge §5 #14; RFC 3261 §21.5; RFC 3398 (Q.850 34/38/41/42/47)")
def _carrier_wide(f: Facts, r: Rule) -> Finding | None:
    ids = f.focus.ids_of("carrier")
    cleared = False
    if not f.focus.n:
        # the latest call connected: an outage just before it is still the answer to "why did my calls fail"
        ids, cleared = f.before.ids_of("carrier"), True
    elif len(ids) / f.focus.n < 0.5:
        return None
    if not ids:
        return None
    times = f.others.carrier_times
    near_ids: list[str] = []
    near_dests: set[str] = set()
    if times:
        keys = [t for t, _, _ in times]
        for i in ids:
            t = f.by_id[i].start_time
            lo = bisect.bisect_left(keys, t - SAME_HOURS)
            hi = bisect.bisect_right(keys, t + SAME_HOURS)
            for _, to, oid in times[lo:hi]:
                if to != f.destination:
                    near_dests.add(to)
                    near_ids.append(oid)
    codes = sorted({f.by_id[i].sip_label or "" for i in ids} - {""})
    shown = f"SIP {'/'.join(codes)}" if codes else "carrier failures"
    ev = [(f"{plural(len(ids), 'call')} to {f.destination_pretty} failed with {shown}.", ids, 0.6)]
    if len(near_dests) >= 2:
        ev.append((f"In the same hours {plural(len(near_dests), 'other number')} failed the same way: an outage, "
                   "not the recipient.", cap_ids(sorted(set(near_ids))), 0.6))
        tail = ""
        if cleared:
            last = f.attempts[-1]
            tail = f" The latest call connected ({when(last.start_time)}): it has most likely cleared."
            ev.append((f"The latest call to {f.destination_pretty} connected.", [last.id], 0.2))
        return Finding(r.kind, r.confidence if codes else 0.7,
                       f"A carrier or provider fault: calls to {f.destination_pretty} and to "
                       f"{plural(len(near_dests), 'other number')} failed with {shown} in the same hours." + tail,
                       ev, [], support=len(ids) + len(near_ids), uses_codes=bool(codes))
    if cleared:
        return None
    return Finding(K.CARRIER_FAULT, 0.5,
                   f"Calls to {f.destination_pretty} failed in the network ({shown}); other numbers were not affected.",
                   ev, [],
                   [(K.UNREACHABLE, 0.3, "502 also means the destination's line is down (Q.850 27).",
                     "If only this number fails for days, its line is down; an outage clears within hours.")],
                   support=len(ids), uses_codes=bool(codes), needs_comparison=True)


# --------------------------------------------------------------------------- rules: answered by a machine


def _machine_alternatives(f: Facts, state: str) -> list[tuple[DiagnosisKind, float, str, str]]:
    label = 0.25 if state in ("mixed", "none") else 0.12
    return [
        (K.UNREACHABLE, 0.2, "A phone that is off or out of coverage also sends every call straight to voicemail.",
         "Call from another phone: if it also goes straight to voicemail, the phone is off; if it rings, the caller ID "
         "is blocked or silenced."),
        (K.LIKELY_SPAM_LABELED, label, "Phones and carriers send numbers labeled spam, or unknown callers "
         "(iOS Silence Unknown Callers), to voicemail; no SIP code shows it.",
         "Check the caller ID's reputation, and whether the caller's other calls also go to voicemail more than "
         "before."),
    ]


@rule(
    "straight-to-voicemail",
    "This destination: repeated machine answers within ~5 s (no ring), after earlier connected calls or a customer "
    "who spoke with them before, while the caller's other calls connect",
    K.RECIPIENT_BLOCKED, 0.62,
    "sip-knowledge §5 #5, #6; §3 (iPhone blocked number, Silence Unknown Callers, phone off); origin ticket",
)
def _straight_to_vm(f: Facts, r: Rule) -> Finding | None:
    fast = f.focus.ids_of("vm_fast")
    if len(fast) < 2 or f.focus_share("vm_fast", "vm_mid") < 0.6:
        return None
    state = f.others_state()
    rings = f.rings(fast)
    conf = r.confidence
    ev: list[tuple[str, list[str], float]] = []
    ce = change_evidence(f)
    if ce:
        ev.append(ce)
        conf += 0.06
    elif f.prior_contact:
        conf += 0.03
        ev.append(("The customer says they spoke with this person before; no call in this window connected.", [], 0.15))
    if len(fast) >= 4:
        conf += 0.04
    ev.append((f"{len(fast)} of {f.focus.n} calls since {when(f.focus.first)} were answered by a machine within "
               f"{secs(rings)} (median {median(rings):.0f} s): the phone did not ring, straight to voicemail.",
               fast, 0.6))
    hung = [i for i in fast if (f.by_id[i].disconnected_by or "") == "callee"]
    if hung:
        ev.append((f"The far end ended {len(hung)} of them.", hung, 0.05))
    sent = others_sentence(f)
    if state == "ok" and sent:
        ev.append((sent[0] + " Only this number behaves this way.", sent[1], 0.3))
    elif state in ("poor", "falling") and sent:
        conf = 0.35
        ev.append((sent[0] + " The caller's other calls suffer too.", sent[1], -0.3))
    elif state == "mixed" and sent:
        conf -= 0.1
        ev.append((sent[0], sent[1], 0.0))
    if f.troubled_carrier:
        conf = min(conf, 0.4)
        ev.append((f"Calls to other {f.troubled_carrier} numbers fail the same way: not just this person.", [], -0.3))
        state = "mixed"
    others_txt = ", while the caller's other calls connect" if state == "ok" else ""
    headline = (
        f"Calls to {f.destination_pretty} now go to voicemail within {secs(rings)}{others_txt}: the person is most "
        "likely "
        "declining or blocking the caller's number (or the phone is off)."
    )
    caveats = ["An iPhone block, Silence Unknown Callers, a carrier spam filter and a phone that is off all look "
               "like an instant voicemail answer."]
    return Finding(r.kind, conf, headline, ev, [], _machine_alternatives(f, state), caveats,
                   support=f.focus.n, needs_comparison=True)


@rule(
    "machine-unknown-ring",
    "This destination: repeated machine answers, ring time unknown, after a change (earlier connected calls or "
    "prior contact); without a change: voicemail_pickup 0.45",
    K.RECIPIENT_BLOCKED, 0.45,
    "sip-knowledge §5 #5, #6; §3",
)
def _vm_unknown(f: Facts, r: Rule) -> Finding | None:
    ids = f.focus.ids_of("vm")
    if len(ids) < 2 or f.focus_share(*MACHINE_FAMILIES) < 0.6:
        return None
    changed = f.destination_connected_before or f.prior_contact
    state = f.others_state()
    ev: list[tuple[str, list[str], float]] = []
    ce = change_evidence(f)
    if ce:
        ev.append(ce)
    ev.append((f"{len(ids)} of {f.focus.n} calls since {when(f.focus.first)} were answered by a machine "
               "(ring time not recorded).", ids, 0.4))
    sent = others_sentence(f)
    if sent:
        ev.append((sent[0], sent[1], 0.2 if state == "ok" else -0.1))
    caveat = ["Ring time unknown: straight to voicemail (block, phone off) cannot be told from a ring-out to "
              "voicemail."]
    if changed and state not in ("poor", "falling"):
        return Finding(r.kind, r.confidence,
                       f"Calls to {f.destination_pretty} now reach voicemail, where they used to connect: the person "
                       "may be "
                       "declining or blocking the caller's number.", ev, [],
                       [(K.VOICEMAIL_PICKUP, 0.25, "They may simply not pick up.",
                         "Look at how long it rang (Voice Insights): 20-30 s means it rang out; under 5 s means a "
                         "block or a phone off."),
                        *_machine_alternatives(f, state)],
                       caveat, support=f.focus.n, needs_comparison=True)
    return Finding(K.VOICEMAIL_PICKUP, 0.45,
                   f"Calls to {f.destination_pretty} reach voicemail; without the ring time it is unclear whether it "
                   "rang.",
                   ev, [],
                   [(K.RECIPIENT_BLOCKED, 0.15, "Instant voicemail would mean a block or silencing.",
                     "Look at how long it rang; call from another phone."),
                    (K.UNREACHABLE, 0.15, "A phone that is off goes straight to voicemail.", "Call from another "
                                                                                             "phone.")],
                   caveat, support=f.focus.n)


@rule(
    "brief-answers-no-amd",
    "This destination, no answering-machine detection: repeated answered calls under 15 s after earlier real "
    "conversations (or prior contact); without a change: voicemail_pickup 0.40",
    K.RECIPIENT_BLOCKED, 0.42,
    "sip-knowledge §3 (voicemail answers with 200 OK), §5 #5, #6; twilio-and-signalwire.md (answered_by needs AMD)",
)
def _brief(f: Facts, r: Rule) -> Finding | None:
    ids = f.focus.ids_of("brief")
    if len(ids) < 2 or f.focus_share("brief", *MACHINE_FAMILIES) < 0.6:
        return None
    durations = [d for d in (f.by_id[i].duration_s for i in ids) if d is not None]
    ev: list[tuple[str, list[str], float]] = []
    ce = change_evidence(f)
    if ce:
        ev.append((ce[0].replace("connected (", "connected with real conversations ("), ce[1], ce[2]))
    ev.append((f"{len(ids)} of {f.focus.n} calls since {when(f.focus.first)} were answered for only {secs(durations)}: "
               "the length of a voicemail greeting, not a conversation.", ids, 0.4))
    state = f.others_state()
    sent = others_sentence(f)
    if sent:
        ev.append((sent[0], sent[1], 0.2 if state == "ok" else -0.1))
    caveat = ["No answering-machine detection on these calls: voicemail and a person look alike, so the short "
              "answers are read as voicemail. Turning on AMD (answered_by) would settle it."]
    if (f.destination_connected_before or f.prior_contact) and state not in ("poor", "falling"):
        return Finding(r.kind, r.confidence,
                       f"Calls to {f.destination_pretty} are now answered for only {secs(durations)}, where they "
                       "used to be conversations: most likely voicemail picking up, so the person may be declining "
                       "or blocking the caller's number (or the phone is off).", ev, [],
                       [(K.VOICEMAIL_PICKUP, 0.25, "They may simply let it go to voicemail.",
                         "Look at the ring time (Voice Insights): under 5 s means it never rang."),
                        *_machine_alternatives(f, state)],
                       caveat, support=f.focus.n, needs_comparison=True)
    return Finding(K.VOICEMAIL_PICKUP, 0.4,
                   f"Calls to {f.destination_pretty} are answered for only {secs(durations)}: most likely voicemail.",
                   ev, [],
                   [(K.RECIPIENT_BLOCKED, 0.15, "Instant voicemail can mean a block or silencing.",
                     "Look at the ring time; call from another phone.")],
                   caveat, support=f.focus.n)


@rule(
    "declined-short-ring",
    "This destination: machine answers after a short ring (5-15 s), repeatedly: the person presses Decline",
    K.RECIPIENT_BLOCKED, 0.5,
    "sip-knowledge §3 (recipient presses Decline: short ring, then voicemail; L/M)",
)
def _declined_short(f: Facts, r: Rule) -> Finding | None:
    ids = f.focus.ids_of("vm_mid")
    if len(ids) < 2 or f.focus_share("vm_mid", "vm_fast") < 0.6 or len(f.focus.ids_of("vm_fast")) >= 2:
        return None
    rings = f.rings(ids)
    ev = [(f"{len(ids)} of {f.focus.n} calls rang only {secs(rings)} before voicemail answered: "
           "shorter than a ring-out (20-30 s).", ids, 0.5)]
    ce = change_evidence(f)
    if ce:
        ev.insert(0, ce)
    return Finding(r.kind, r.confidence + (0.05 if ce else 0.0),
                   f"Calls to {f.destination_pretty} ring briefly, then voicemail: the person is most likely pressing "
                   "Decline.",
                   ev, [],
                   [(K.VOICEMAIL_PICKUP, 0.25, "Some voicemail systems pick up early.",
                     "If earlier calls rang 20-30 s and now ring under 15 s, someone declines them."),
                    (K.LIKELY_SPAM_LABELED, 0.1, "A 'Spam Likely' label makes people decline.",
                     "Check whether the caller's other calls are declined more than before.")],
                   support=f.focus.n, needs_comparison=True)


@rule("rang-out-voicemail", "This destination: rings ~20-30 s, then a machine answers",
      K.VOICEMAIL_PICKUP, 0.7, "sip-knowledge §5 #7; §3 (rings out, then voicemail)")
def _rang_out(f: Facts, r: Rule) -> Finding | None:
    ids = f.focus.ids_of("vm_rang")
    if not ids or len(ids) / f.focus.n < 0.5:
        return None
    rings = f.rings(ids)
    alts = [(K.NO_ANSWER, 0.15, "Same thing from the person's side: nobody picked up.", "")]
    if f.destination_connected_before or f.prior_contact:
        alts.append((K.RECIPIENT_BLOCKED, 0.1, "They may be ignoring the calls; a block would not let it ring.",
                     "If it keeps ringing out, they see the call and do not take it."))
    return Finding(r.kind, r.confidence,
                   f"Calls to {f.destination_pretty} ring {secs(rings)} and then go to voicemail: nobody answers, "
                   "nothing is blocked.",
                   [(f"{len(ids)} of {f.focus.n} calls rang {secs(rings)} before voicemail answered.", ids, 0.6)],
                   [], alts, support=len(ids))


@rule("no-answer", "This destination: rings out with no answer and no voicemail (status no-answer)",
      K.NO_ANSWER, 0.7, "sip-knowledge §5 #7; Q.850 19 (no answer from user, user alerted)")
def _no_answer(f: Facts, r: Rule) -> Finding | None:
    ids = f.focus.ids_of("no_answer")
    if not ids or len(ids) / f.focus.n < 0.5:
        return None
    rings = f.rings(ids)
    ring_txt = f" after {secs(rings)} of ringing" if rings else ""
    return Finding(r.kind, r.confidence,
                   f"Calls to {f.destination_pretty} ring out with no answer{ring_txt}: nothing is blocked.",
                   [(f"{len(ids)} of {f.focus.n} recent calls were not answered{ring_txt}.", ids, 0.6)], [],
                   [(K.VOICEMAIL_PICKUP, 0.1, "The person has no voicemail set up.", ""),
                    (K.UNREACHABLE, 0.1, "A phone that is off can also report no-answer on some networks.",
                     "Check whether it rang at all (ring time).")],
                   support=len(ids))


# --------------------------------------------------------------------------- rules: the caller ID everywhere


@rule(
    "spam-label-pattern",
    "No block codes; the caller's other calls also connect rarely (or less than before) and reach machines: "
    "the caller ID looks labeled",
    K.LIKELY_SPAM_LABELED, 0.6,
    "sip-knowledge §5 #4 (adapted: one caller ID before vs now), §3 'Labeling vs blocking' [HIYA-LABEL][TMO][ATT]",
)
def _label(f: Facts, r: Rule) -> Finding | None:
    state = f.others_state()
    if state not in ("poor", "falling") or not f.focus.n:
        return None
    if f.focus_share(*MACHINE_FAMILIES, "brief", "no_answer", "decline") < 0.5:
        return None
    side = f.others_window()
    conf = r.confidence + (0.08 if state == "falling" else 0.0)
    fast_share = side.count("vm_fast") / side.machine if side.machine else 0.0
    if fast_share >= 0.5:
        conf += 0.04
    ev: list[tuple[str, list[str], float]] = []
    if state == "falling":
        before = f.others_before
        ev.append((f"The caller's calls to other numbers that became a conversation fell from {pct(before.talk_rate)} "
                   f"to {pct(side.talk_rate)}; instant voicemail went from {pct(before.fast_vm_rate)} to "
                   f"{pct(side.fast_vm_rate)} and hang-ups within {SHORT_CALL_S:.0f} s from {pct(before.short_rate)} "
                   f"to {pct(side.short_rate)}.",
                   cap_ids(side.ids_of("vm_fast") + [a.id for a in side.short_human]), 0.6))
    sent = others_sentence(f)
    if sent:
        ev.append((sent[0], cap_ids(side.ids_of(*MACHINE_FAMILIES)), 0.5))
    if fast_share >= 0.5:
        ev.append((f"{pct(fast_share)} of those machine answers came within {FAST_RING_S:.0f} s: calls are diverted "
                   "to voicemail before ringing.", cap_ids(side.ids_of("vm_fast")), 0.3))
    ev.append((f"Calls to {f.destination_pretty}: {f.focus.n - f.focus.count('connected')} of {f.focus.n} recent calls "
               "did not reach a person.", f.focus.ids_of(*MACHINE_FAMILIES, "no_answer"), 0.2))
    ev.append(("No 603/607/608 anywhere: carriers label numbers without any SIP signal.", [], 0.1))
    return Finding(
        r.kind, conf,
        f"It is not just {f.destination_pretty}: the caller's calls to other numbers also go unanswered and reach "
        f"voicemail{' more than before' if state == 'falling' else ''}. {f.caller_pretty} is most likely labeled "
        "'Spam Likely' or silenced.",
        ev, [advice().redress.registry, advice().redress.no_rotation],
        [(K.CALLER_ID_FLAGGED, 0.1, "Carrier filters can divert a flagged number to voicemail (Verizon Call Filter "
          "'Voicemail' option) instead of rejecting it.", "A reputation lookup shows 'flagged' or a high spam risk."),
         (K.RECIPIENT_BLOCKED, 0.08, f"{f.destination_pretty} alone could also have blocked the number.",
          "Call from another phone: if it rings, this caller ID is treated differently.")],
        ["A spam label leaves no SIP code: this conclusion rests on answer rates alone."],
        support=f.focus.n + side.n,
    )


@rule(
    "hang-up-on-answer",
    "Human-answered calls shorter than ~6 s, repeatedly, across 3+ destinations",
    K.LIKELY_SPAM_LABELED, 0.5,
    "sip-knowledge §5 #8; §3 (iOS 26 Ask Reason for Calling, Pixel Call Screen)",
)
def _hang_up(f: Facts, r: Rule) -> Finding | None:
    short = f.everyone.short_human
    ids = [a.id for a in short]
    dests = {a.to for a in short}
    humans = f.whole.connected + f.others.connected
    if len(ids) < 3 or len(dests) < 3 or not humans or len(ids) / humans < 0.4:
        return None
    return Finding(
        r.kind, r.confidence,
        f"People hang up within seconds on calls from {f.caller_pretty}: the number is probably shown as spam, or call "
        "screening assistants answer and the dialer drops.",
        [(f"{len(ids)} of {humans} calls answered by a person lasted under {SHORT_CALL_S:.0f} s, "
          f"on {plural(len(dests), 'number')}.", cap_ids(ids), 0.6)],
        ["Have the agents state name and reason in the first seconds (this also satisfies iOS/Pixel call screening).",
         "Check the answering-machine detection settings: a screening assistant can be mistaken for a person."],
        [(K.RECIPIENT_BLOCKED, 0.1, "A few individuals may be hanging up on purpose.", "")],
        ["Very short calls feed the carriers' spam analytics (RFC 8197 §4)."],
        support=len(ids),
    )


@rule(
    "carrier-concentration",
    "The caller's calls to other numbers on the destination's carrier fail (5+ calls, <=10% connect) while other "
    "carriers connect (>=20%); with 608/603+ among them: caller_id_flagged 0.80",
    K.LIKELY_SPAM_LABELED, 0.65,
    "sip-knowledge §5 #20, §4d (carrier -> analytics engine)",
)
def _carrier_concentration(f: Facts, r: Rule) -> Finding | None:
    worst = f.troubled_carrier
    if worst is None:
        return None
    allside = f.others
    total, connected = allside.carriers()
    rest_n = sum(v for c, v in total.items() if c != worst)
    rest_ok = sum(v for c, v in connected.items() if c != worst)
    blocked = allside.count("block") > 0
    engine = engine_for(worst)
    n = total[worst]
    ev = [(f"{n - connected.get(worst, 0)} of {n} calls to other {worst} numbers did not connect, against "
           f"{pct(rest_ok / rest_n)} connected on other carriers.", cap_ids(allside.failed_on(worst)), 0.6)]
    steps = []
    if engine:
        steps.append(f"{worst} uses {engine.engine}'s analytics: request a review through {engine.review}.")
    steps.append(advice().redress.registry)
    return Finding(
        K.CALLER_ID_FLAGGED if blocked else r.kind, 0.8 if blocked else r.confidence,
        f"Calls from {f.caller_pretty} fail on {worst} only: {worst}"
        f"{' (' + engine.engine + ')' if engine else ''} most likely flags the number as spam.",
        ev, steps, support=n, uses_codes=blocked, carrier=worst,
    )


@rule(
    "high-velocity",
    "More than ~100 calls a day from the caller ID",
    K.LIKELY_SPAM_LABELED, 0.3,
    "sip-knowledge §5 #21, §4e (vendor rule of thumb <=100/day per number, L) [ARBEIT][VOIPOFFICE]",
)
def _velocity(f: Facts, r: Rule) -> Finding | None:
    allside = f.everyone
    if allside.first is None or allside.last is None:
        return None
    days = max(1.0, (allside.last - allside.first).total_seconds() / 86400)
    per_day = allside.n / days
    if per_day <= DAILY_VOLUME_RULE:
        return None
    return Finding(
        r.kind, r.confidence,
        f"{f.caller_pretty} places about {per_day:.0f} calls a day: volume like this gets numbers labeled spam.",
        [(f"{allside.n} calls over {days:.1f} days from this caller ID (about {per_day:.0f}/day; the usual rule of "
          "thumb "
          f"is at most {DAILY_VOLUME_RULE}/day per number).", [], 0.3)],
        ["Spread the volume over more hours and days instead of more numbers."],
        support=allside.n,
    )


# --------------------------------------------------------------------------- rules: nothing wrong


@rule("normal-connected", "The latest call to this destination connected",
      K.NORMAL, 0.8, "RFC 3261 §21.2 (2xx: answered); sip-knowledge §5 decision order (5)")
def _normal(f: Facts, r: Rule) -> Finding | None:
    if f.focus.n:
        return None
    last = f.attempts[-1]
    dur = last.duration_s
    conf = r.confidence if dur is None or dur >= NORMAL_TALK_S else 0.5
    talk = f", {dur:.0f} s" if dur is not None else ""
    ev = [(f"The latest call to {f.destination_pretty} connected ({when(last.start_time)}{talk}).", [last.id], 0.8)]
    connected = set(f.before.ids.get("connected", ()))
    failed = [a.id for a in f.attempts if a.id not in connected]
    if failed:
        ev.append((f"{plural(len(failed), 'earlier call')} in the window did not connect; the latest did.",
                   cap_ids(failed), -0.1))
    return Finding(r.kind, conf,
                   f"Calls to {f.destination_pretty} connect: the latest one was answered "
                   f"({when(last.start_time)}{talk}).",
                   ev, support=f.whole.n)


@rule("mostly-connected", "Most calls to this destination connect; only the very last one did not",
      K.NORMAL, 0.55, "sip-knowledge §5 #7 (an unanswered call is normal)")
def _mostly(f: Facts, r: Rule) -> Finding | None:
    if f.focus.n != 1 or f.whole.n < 3 or (f.whole.connect_rate or 0) < 0.6:
        return None
    return Finding(r.kind, r.confidence,
                   f"Calls to {f.destination_pretty} mostly connect; one call after the last answered one did not, "
                   "which is normal.",
                   [(f"{f.whole.connected} of {f.whole.n} calls connected.",
                     cap_ids(f.whole.ids_of("connected")), 0.5)],
                   support=f.whole.n)


_FAMILY_KIND = {
    "connected": K.NORMAL, "vm_fast": K.RECIPIENT_BLOCKED, "vm_mid": K.VOICEMAIL_PICKUP, "vm_rang": K.VOICEMAIL_PICKUP,
    "vm": K.VOICEMAIL_PICKUP, "brief": K.VOICEMAIL_PICKUP, "no_answer": K.NO_ANSWER, "busy": K.BUSY,
    "unreachable": K.UNREACHABLE,
    "canceled": K.CALLER_CANCELED, "decline": K.RECIPIENT_BLOCKED, "unwanted": K.RECIPIENT_BLOCKED,
    "block": K.CALLER_ID_FLAGGED, "invalid": K.INVALID_NUMBER, "format": K.INVALID_NUMBER,
    "platform": K.PLATFORM_RESTRICTION, "config": K.PLATFORM_RESTRICTION, "carrier": K.CARRIER_FAULT,
    "forbidden": K.PLATFORM_RESTRICTION,
}
FAMILY_WORDS = {
    "vm_fast": "went straight to voicemail", "vm_mid": "went to voicemail", "vm_rang": "rang out to voicemail",
    "vm": "went to voicemail", "brief": "were answered for a few seconds only", "no_answer": "were not answered",
    "busy": "were busy", "unreachable": "were unreachable",
    "canceled": "were cancelled by the caller", "decline": "were declined", "unwanted": "were rejected as unwanted",
    "block": "were blocked by the network", "invalid": "reached a number not in service",
    "format": "had an incomplete number", "platform": "were refused by the platform", "config": "failed on setup",
    "carrier": "failed in the network", "forbidden": "were refused (403)", "connected": "connected",
}


@rule("dominant-outcome",
      "Fallback when no pattern fits: the kind of the most common recent outcome (normal is a placeholder)",
      K.NORMAL, 0.4, "sip-knowledge §5 decision order for a single attempt")
def _dominant(f: Facts, r: Rule) -> Finding | None:
    if not f.focus.n:
        return None
    counts = {fam: len(ids) for fam, ids in f.focus.ids.items() if fam in _FAMILY_KIND}
    if not counts:
        return None
    fam = max(counts, key=counts.__getitem__)
    ids = f.focus.ids[fam]
    return Finding(
        _FAMILY_KIND[fam], r.confidence,
        f"Calls to {f.destination_pretty} mostly {FAMILY_WORDS[fam]} ({len(ids)} of {f.focus.n}); no clearer pattern.",
        [(f"{len(ids)} of {f.focus.n} recent calls {FAMILY_WORDS[fam]}.", ids, 0.3)],
        caveats=["The recent calls show no consistent pattern: treat this as a first reading."],
        support=len(ids),
    )


# --------------------------------------------------------------------------- data: advice and priors


class Engine(BaseModel):
    model_config = ConfigDict(extra="forbid")
    engine: str
    carriers: list[str]
    review: str
    source: str

    @field_validator("carriers")
    @classmethod
    def _lower(cls, v: list[str]) -> list[str]:
        return [c.lower() for c in v]


class Redress(BaseModel):
    model_config = ConfigDict(extra="forbid")
    registry: str
    no_rotation: str
    source: str


class KindSteps(BaseModel):
    model_config = ConfigDict(extra="forbid")
    phrase: str  # "the recipient blocking or declining the caller's number": for ranked-cause headlines
    how_to_tell: str  # what in the call logs confirms this kind
    source: str = Field(min_length=3)
    steps: list[str]


class Advice(BaseModel):
    model_config = ConfigDict(extra="forbid")
    engines: list[Engine]
    redress: Redress
    next_steps: dict[DiagnosisKind, KindSteps]

    @field_validator("next_steps")
    @classmethod
    def _every_kind(cls, v: dict[DiagnosisKind, KindSteps]) -> dict[DiagnosisKind, KindSteps]:
        missing = sorted(set(DiagnosisKind) - set(v))
        if missing:
            raise ValueError(f"next_steps misses kinds: {', '.join(missing)}")
        return v


class Prior(BaseModel):
    model_config = ConfigDict(extra="forbid")
    source: str = Field(min_length=3)
    kinds: dict[DiagnosisKind, float]
    check: str


class CodePrior(Prior):
    refs: list[str]


class Priors(BaseModel):
    model_config = ConfigDict(extra="forbid")
    symptoms: dict[str, Prior]
    codes: list[CodePrior]

    def for_code(self, ref: str) -> CodePrior | None:
        ref = ref.strip().lower()
        for entry in self.codes:
            for pattern in entry.refs:
                if pattern == ref or (pattern.endswith(":*") and ref.startswith(pattern[:-1])):
                    return entry
        return None


class DiagnosisDataError(SipsightError):
    """A packaged diagnosis data file is broken (a build problem, reported clearly)."""


def _load(name: str, model: type[BaseModel]) -> BaseModel:
    try:
        return model.model_validate(load_yaml("diagnosis", name))
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise DiagnosisDataError(f"resources/diagnosis/{name} is invalid at {where}: {first['msg']}",
                                 "Fix the file; every entry needs its fields and a source.") from None


@cache
def advice() -> Advice:
    return _load("advice.yaml", Advice)  # type: ignore[return-value]


@cache
def priors() -> Priors:
    return _load("priors.yaml", Priors)  # type: ignore[return-value]
