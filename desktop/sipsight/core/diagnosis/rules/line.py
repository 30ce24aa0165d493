"""Diagnosis rules for the state of the number and its line: not in service, wrong format, busy, unreachable,
canceled by the caller's side, and carrier faults (sip-knowledge §5 #9-#14)."""

from __future__ import annotations

from statistics import median

from sipsight.core.diagnosis._facts import Facts
from sipsight.core.diagnosis._findings import AlternativeItem, Finding, Rule, RuleSet
from sipsight.core.diagnosis._wording import cap_ids, change_evidence, plural, secs
from sipsight.core.models import DiagnosisKind, Family

F = Family
K = DiagnosisKind
RULES = RuleSet()
rule = RULES.rule

SHORT_CANCEL_RING_S = 20.0  # a dialer timeout below this cuts calls off (sip-knowledge §5 #13)


@rule(
    "invalid-number",
    "404 / 410 / 604 (or outcome invalid_number) on the recent attempts",
    K.INVALID_NUMBER,
    0.9,
    "sip-knowledge §5 #10; RFC 3261 §21.4.5, §21.4.10, §21.6.3; RFC 3398 (Q.850 1, 22)",
)
def _invalid(f: Facts, r: Rule) -> Finding | None:
    ids = f.recent(F.INVALID, or_latest=True)
    if not ids:
        return None
    codes = sorted({str(f.by_id[i].sip_code) for i in ids if f.by_id[i].sip_code})
    shown = f"SIP {'/'.join(codes)}" if codes else "not in service"
    text = f"{plural(len(ids), 'call')} to {f.destination_pretty} returned {shown}: the number is not assigned."
    ev = [(text, ids, 0.9)]
    alts: list[AlternativeItem] = []
    conf = r.confidence if codes else 0.7
    if f.destination_connected_before:
        conf = min(conf, 0.65)
        ce = change_evidence(f)
        if ce:
            ev.append(ce)
        alts.append(
            (
                K.RECIPIENT_BLOCKED,
                0.2,
                "The number worked before; some call-blocking services answer 604 to "
                "make a number look dead (RFC 8688 §1).",
                "Call it from another phone: a real disconnect plays the 'not in service' message to everyone.",
            )
        )
    return Finding(
        r.kind,
        conf,
        f"{f.destination_pretty} is not in service ({shown}): the number is disconnected, changed or mistyped."
        + (" It worked earlier, so it changed recently." if f.destination_connected_before else ""),
        ev,
        [],
        alts,
        support=len(ids),
        uses_codes=bool(codes),
    )


@rule(
    "address-incomplete",
    "484 Address Incomplete (Q.850 28): wrong number format",
    K.INVALID_NUMBER,
    0.85,
    "sip-knowledge §5 #11; RFC 3261 §21.4.22; RFC 3398 (Q.850 28)",
)
def _format(f: Facts, r: Rule) -> Finding | None:
    ids = f.recent(F.FORMAT)
    if not ids:
        return None
    return Finding(
        r.kind,
        r.confidence,
        f"Calls to {f.destination_pretty} fail with 484 Address Incomplete: the number is dialed in a wrong or "
        "incomplete format.",
        [(f"{plural(len(ids), 'call')} returned SIP 484.", ids, 0.9)],
        ["Check how the CRM stores the number: E.164 (+1 and ten digits), no extension glued on."],
        support=len(ids),
        uses_codes=True,
    )


def _simple(
    f: Facts,
    r: Rule,
    fam: Family,
    headline: str,
    what: str,
    code_word: str,
    alts: list[AlternativeItem],
    steps: list[str] | None = None,
) -> Finding | None:
    ids = f.recent(fam)
    if not ids:
        return None
    codes = sorted({f.by_id[i].sip_label or "" for i in ids} - {""})
    uses_codes = bool(codes)
    conf = r.confidence if uses_codes else r.confidence - 0.15
    shown = f" ({code_word} {'/'.join(codes)})" if codes else ""
    ev = [(f"{len(ids)} of {f.focus.n} recent calls to {f.destination_pretty} {what}{shown}.", ids, 0.7)]
    return Finding(r.kind, conf, headline, ev, steps or [], alts, support=len(ids), uses_codes=uses_codes)


@rule(
    "busy",
    "486 Busy Here / 600 Busy Everywhere (Q.850 17), or status busy, on most recent attempts",
    K.BUSY,
    0.85,
    "sip-knowledge §5 #12; RFC 3261 §21.4.24, §21.6.1",
)
def _busy(f: Facts, r: Rule) -> Finding | None:
    ids = f.focus.ids_of(F.BUSY)
    days = len({f.by_id[i].start_time.date() for i in ids})
    alts = []
    if len(ids) >= 4 and days >= 2:
        alts.append(
            (
                K.RECIPIENT_BLOCKED,
                0.15,
                "Busy on every attempt over several days: some phones report a declined call as busy.",
                "Call from another phone at the same time: if it rings, the calls are being declined.",
            )
        )
    return _simple(
        f,
        r,
        F.BUSY,
        f"{f.destination_pretty} was busy: the line was in use (or rejected as busy).",
        "were busy",
        "SIP",
        alts,
    )


@rule(
    "unreachable",
    "480 Temporarily Unavailable / 408 Request Timeout (Q.850 18/19/20), or outcome unreachable",
    K.UNREACHABLE,
    0.8,
    "sip-knowledge §5 #9; RFC 3261 §21.4.18, §21.4.9; RFC 3398",
)
def _unreachable(f: Facts, r: Rule) -> Finding | None:
    return _simple(
        f,
        r,
        F.UNREACHABLE,
        f"{f.destination_pretty} is unreachable: the phone is off, out of coverage or on Do Not Disturb.",
        "could not reach the phone",
        "SIP",
        [
            (
                K.RECIPIENT_BLOCKED,
                0.1,
                "Do Not Disturb or a block list can also answer 480.",
                "If it persists for days while one test call from another phone (the customer's personal phone, once) "
                "goes through, it is a block.",
            )
        ],
    )


@rule(
    "caller-canceled",
    "487 Request Terminated or status canceled: the caller's side hung up before answer",
    K.CALLER_CANCELED,
    0.8,
    "sip-knowledge §5 #13; RFC 3261 §21.4.25; Twilio Timeout default 60 s",
)
def _canceled(f: Facts, r: Rule) -> Finding | None:
    ids = f.recent(F.CANCELED)
    if not ids:
        return None
    rings = f.rings(ids)
    med = median(rings) if rings else None
    codes = any(f.by_id[i].sip_code == 487 for i in ids)
    conf = r.confidence if med is not None and med < SHORT_CANCEL_RING_S else (0.7 if med is None else 0.6)
    if not codes:
        conf -= 0.05
    alts = []
    if med is not None and med >= SHORT_CANCEL_RING_S:
        alts.append(
            (
                K.NO_ANSWER,
                0.25,
                f"It rang {med:.0f} s before the caller's side gave up: nobody answered.",
                "A normal ring-out to voicemail takes 20-30 s; a longer timeout would show it.",
            )
        )
    ring_txt = f" after {secs(rings)} of ringing" if rings else ""
    return Finding(
        r.kind,
        conf,
        f"The caller's side hung up calls to {f.destination_pretty}{ring_txt} before anyone could answer"
        + (": the dialer's ring timeout is too short." if med is not None and med < SHORT_CANCEL_RING_S else "."),
        [
            (
                f"{len(ids)} of {f.focus.n} recent calls were canceled by the caller's side{ring_txt}"
                + (" (SIP 487)." if codes else "."),
                ids,
                0.8,
            )
        ],
        [],
        alts,
        support=len(ids),
        uses_codes=codes,
    )


@rule(
    "carrier-fault-wide",
    "500/502/503/504 on this destination and on 2+ unrelated destinations within 2 h "
    "(this destination only: 0.50, unreachable as the alternative)",
    K.CARRIER_FAULT,
    0.85,
    "sip-knowledge §5 #14; RFC 3261 §21.5; RFC 3398 (Q.850 34/38/41/42/47)",
)
def _carrier_wide(f: Facts, r: Rule) -> Finding | None:
    ids = f.focus.ids_of(F.CARRIER)
    cleared = False
    if not f.focus.n:
        # the latest call connected: an outage just before it is still the answer to "why did my calls fail"
        ids, cleared = f.before.ids_of(F.CARRIER), True
    elif len(ids) / f.focus.n < 0.5:
        return None
    if not ids:
        return None
    near_ids, near_dests = f.failing_nearby
    codes = sorted({f.by_id[i].sip_label or "" for i in ids} - {""})
    shown = f"SIP {'/'.join(codes)}" if codes else "carrier failures"
    ev = [(f"{plural(len(ids), 'call')} to {f.destination_pretty} failed with {shown}.", ids, 0.6)]
    if len(near_dests) >= 2:
        ev.append(
            (
                f"Within 2 hours of these failures {plural(len(near_dests), 'other number')} failed the same way: an "
                "outage, not the recipient.",
                cap_ids(sorted(set(near_ids))),
                0.6,
            )
        )
        tail = ""
        if cleared:
            last = f.attempts[-1]
            tail = f" The latest call connected ({f.when(last.start_time)}): it has most likely cleared."
            ev.append((f"The latest call to {f.destination_pretty} connected.", [last.id], 0.2))
        return Finding(
            r.kind,
            r.confidence if codes else 0.7,
            f"A carrier or provider fault: calls to {f.destination_pretty} and to "
            f"{plural(len(near_dests), 'other number')} failed with {shown} in the same hours." + tail,
            ev,
            [],
            support=len(ids) + len(near_ids),
            uses_codes=bool(codes),
        )
    if cleared:
        # no other numbers failed with it (or none to compare): the codes still say the network failed, then cleared
        last = f.attempts[-1]
        return Finding(
            K.CARRIER_FAULT,
            0.55,
            f"Calls to {f.destination_pretty} failed in the network ({shown}); the latest call connected "
            f"({f.when(last.start_time)}): it has most likely cleared.",
            [*ev, (f"The latest call to {f.destination_pretty} connected.", [last.id], 0.2)],
            [],
            support=len(ids),
            uses_codes=bool(codes),
        )
    return Finding(
        K.CARRIER_FAULT,
        0.5,
        f"Calls to {f.destination_pretty} failed in the network ({shown}); "
        + (
            "no call to another number failed this way within 2 hours of them."
            if not near_dests
            else f"{plural(len(near_dests), 'other number')} failed this way within 2 hours of them, too few for an "
            "outage."
        ),
        ev,
        [],
        [
            (
                K.UNREACHABLE,
                0.3,
                "502 also means the destination's line is down (Q.850 27).",
                "If only this number fails for days, its line is down; an outage clears within hours.",
            )
        ],
        support=len(ids),
        uses_codes=bool(codes),
        needs_comparison=True,
    )
