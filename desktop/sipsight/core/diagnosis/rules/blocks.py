"""Diagnosis rules for the blocked family: 608 / 603+ network blocks (one number or the caller ID everywhere),
607 Unwanted, plain 603 Decline and 403 Forbidden (sip-knowledge §5 #1-#3, #15, #16, #20)."""

from __future__ import annotations

from collections import Counter

from sipsight.core.diagnosis._advice import advice, review_step
from sipsight.core.diagnosis._facts import Facts
from sipsight.core.diagnosis._findings import Finding, Rule, RuleSet
from sipsight.core.diagnosis._wording import add_others, cap_ids, plural
from sipsight.core.models import DiagnosisKind, Family

F = Family
K = DiagnosisKind
RULES = RuleSet()
rule = RULES.rule


def _scope(f: Facts, family: Family) -> tuple[set[str], list[str]]:
    """Distinct destinations, and the attempts, with `family` across this number and the caller's others."""
    dests = set(f.others.dests_of(family))
    if f.whole.count(family):
        dests.add(f.destination)
    return dests, f.whole.ids_of(family) + f.others.ids_of(family)


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
    a = advice()
    return [*steps, *review_step(carrier), a.redress.registry, a.redress.no_rotation]


@rule(
    "network-block-wide",
    "608 / 603+ (Network Blocked) from 3+ distinct destinations of the same caller ID (or plain 603 from 3+)",
    K.CALLER_ID_FLAGGED,
    0.9,
    "sip-knowledge §5 #1, #3, #20; RFC 8688 §3.1 (608), ATIS-1000099 (603+), FCC 25-15",
)
def _block_wide(f: Facts, r: Rule) -> Finding | None:
    # plain 603 counts too, at a lower confidence, when blocks alone reach fewer than 3 numbers (sip-knowledge §5 #3)
    block_dests, block_ids = _scope(f, F.BLOCK)
    decline_dests, decline_ids = _scope(f, F.DECLINE)
    plain = False
    if len(block_dests) >= 3:
        ids, dests = block_ids, block_dests
    elif len(block_dests | decline_dests) >= 3:
        ids, dests, plain = block_ids + decline_ids, block_dests | decline_dests, True
    else:
        return None
    conf = 0.75 if plain else r.confidence
    here = f.whole.count(F.BLOCK, F.DECLINE)
    if not here:
        conf -= 0.1
    if not f.focus.n:
        conf = min(conf, 0.45)  # the latest call to this number connected: the flag is real but not this case's story
    carrier, share = _carrier_of_ids(f, ids)
    on = f" on {carrier}" if carrier and share >= 0.7 else ""
    what = "603 Decline" if plain else "608/603+ (blocked by network analytics)"
    ev = [
        (
            f"{plural(len(ids), 'call')} from this caller ID to {plural(len(dests), 'different number')} got "
            f"{what}{on}.",
            cap_ids(ids),
            0.9,
        )
    ]
    if carrier and share >= 0.7:
        ev.append((f"Most of those blocks came from {carrier}: that carrier's analytics engine.", [], 0.3))
    if not here:
        ev.append((f"Calls to {f.destination_pretty} themselves show no block code.", [], -0.1))
    headline = (
        f"The caller ID {f.caller_pretty} is being blocked by carrier spam analytics{on}: "
        f"{plural(len(dests), 'number')} rejected it with {'603' if plain else '608/603+'}, not just "
        f"{f.destination_pretty}."
    )
    return Finding(
        r.kind,
        conf,
        headline,
        ev,
        ["Stop dialing from this caller ID now.", *_redress_steps(f, carrier if on else None)],
        [
            (
                K.RECIPIENT_BLOCKED,
                0.05,
                "Each recipient could have declined individually.",
                "Individual declines rarely come from many numbers within hours; network blocks do.",
            )
        ],
        support=len(ids),
        uses_codes=True,
        carrier=carrier if on else None,
    )


@rule(
    "network-block-one",
    "608 / 603+ on this destination, fewer than 3 destinations blocked",
    K.CALLER_ID_FLAGGED,
    0.75,
    "sip-knowledge §1b, §5 #1; RFC 8688 Abstract, §3.1; ATIS-1000099",
)
def _block_one(f: Facts, r: Rule) -> Finding | None:
    ids = f.focus.ids_of(F.BLOCK)
    if not ids:
        return None
    labels = sorted({f.by_id[i].sip_label or "network blocked" for i in ids})
    carrier = next((f.by_id[i].carrier for i in reversed(ids) if f.by_id[i].carrier), None)
    at = f" at {carrier}" if carrier else " at the recipient's carrier"
    state = f.others_state()
    conf = r.confidence if state in ("ok", "none") else 0.7
    ev = [
        (
            f"{plural(len(ids), 'call')} to {f.destination_pretty} rejected with {'/'.join(labels)}: "
            "a machine (spam analytics) blocked it, the phone never rang.",
            ids,
            0.9,
        )
    ]
    add_others(f, ev, 0.2 if state == "ok" else 0.1)
    headline = (
        f"Calls to {f.destination_pretty} are blocked by spam analytics{at} ({'/'.join(labels)}), "
        "not by the person: the block is on the caller ID."
    )
    return Finding(
        r.kind,
        conf,
        headline,
        ev,
        _redress_steps(f, carrier),
        [
            (
                K.RECIPIENT_BLOCKED,
                0.15,
                "The recipient may have opted into their carrier's spam blocking "
                "(T-Mobile Scam Block, Verizon Call Filter).",
                "Call other numbers on the same carrier: if they are blocked too, it is the carrier's analytics on the "
                "caller ID.",
            )
        ],
        support=len(ids),
        uses_codes=True,
        needs_comparison=True,
        carrier=carrier,
    )


@rule(
    "unwanted-607",
    "607 Unwanted on this destination (while the caller's other calls complete)",
    K.RECIPIENT_BLOCKED,
    0.9,
    "sip-knowledge §5 #2; RFC 8197 §1, §4",
)
def _unwanted(f: Facts, r: Rule) -> Finding | None:
    ids = f.focus.ids_of(F.UNWANTED)
    if not ids:
        return None
    conf = r.confidence if f.has_others else 0.85
    ev = [
        (
            f"{plural(len(ids), 'call')} to {f.destination_pretty} rejected with 607 Unwanted: "
            "the person (or their phone) marked the caller ID as unwanted.",
            ids,
            0.95,
        )
    ]
    add_others(f, ev, 0.2)
    steps = [
        f"Stop calling {f.destination_pretty}: add it to the customer's internal do-not-call list. "
        "Later attempts are likely to be rejected the same way (RFC 8197 §1).",
        advice().redress.no_rotation,
    ]
    other_607 = f.others.dests_of(F.UNWANTED)
    if len(other_607) >= 2:
        ev.append(
            (
                f"{plural(len(other_607), 'other number')} also answered 607: carriers use these as spam reports.",
                cap_ids(f.others.ids_of(F.UNWANTED)),
                0.3,
            )
        )
        steps.append(
            "Several people marked this caller ID unwanted: review the call list (consent) and the pitch, "
            "or the number will be labeled spam (RFC 8197 §4, §6)."
        )
    return Finding(
        r.kind,
        conf,
        f"The person at {f.destination_pretty} rejected the calls as unwanted (SIP 607): they blocked the caller ID.",
        [*ev],
        [
            *steps,
            "If the customer needs to reach this person, suggest another channel they agreed to "
            "(email, text where permitted).",
        ],
        [
            (
                K.CALLER_ID_FLAGGED,
                0.05,
                "607 can also come from the phone's own spam logic (RFC 8197 §1).",
                "If many different numbers answer 607, the caller ID itself is the problem.",
            )
        ],
        support=len(ids),
        uses_codes=True,
        default_steps=False,
    )


@rule(
    "decline-603",
    "Plain 603 Decline (no Network Blocked reason) on this destination only",
    K.RECIPIENT_BLOCKED,
    0.55,
    "sip-knowledge §5 #3, §1b; RFC 3261 §21.6.2; FCC 21-126 (603 allowed for network blocks before 2026-03-25)",
)
def _decline(f: Facts, r: Rule) -> Finding | None:
    ids = f.recent(F.DECLINE, 0.4)
    if not ids:
        return None
    conf = r.confidence + (0.05 if len(ids) >= 3 else 0.0)
    ev = [
        (
            f"{plural(len(ids), 'call')} to {f.destination_pretty} declined with SIP 603 "
            "(no 'Network Blocked' reason).",
            ids,
            0.6,
        )
    ]
    add_others(f, ev, 0.15)
    return Finding(
        r.kind,
        conf,
        f"Calls to {f.destination_pretty} are being declined (SIP 603): most likely the person rejects the calls.",
        ev,
        [f"Do not retry {f.destination_pretty} for several days; then once, at another time of day."],
        [
            (
                K.CALLER_ID_FLAGGED,
                0.25,
                "Networks could report analytics blocks as plain 603 before 2026-03-25.",
                "If numbers on the same carrier also return 603, or a recorded announcement plays, "
                "it is a network block.",
            )
        ],
        support=len(ids),
        uses_codes=True,
        needs_comparison=True,
    )


@rule(
    "forbidden-403",
    "403 Forbidden without a provider error: on several destinations -> platform; on this one only -> barred/blocked",
    K.PLATFORM_RESTRICTION,
    0.7,
    "sip-knowledge §5 #15, #16; RFC 3261 §21.4.4; RFC 3398 (Q.850 21 -> 403)",
)
def _forbidden(f: Facts, r: Rule) -> Finding | None:
    ids = f.recent(F.FORBIDDEN)
    if not ids:
        return None
    other_dests = f.others.dests_of(F.FORBIDDEN)
    ev = [(f"{plural(len(ids), 'call')} to {f.destination_pretty} got 403 Forbidden.", ids, 0.6)]
    if len(other_dests) >= 2:
        ev.append(
            (
                f"403 also on {plural(len(other_dests), 'other number')}: the refusal is on the caller's side.",
                cap_ids(f.others.ids_of(F.FORBIDDEN)),
                0.4,
            )
        )
        return Finding(
            r.kind,
            r.confidence,
            f"Calls from {f.caller_pretty} are refused with 403 on several numbers: most likely an account "
            "or caller-ID permission problem at the provider.",
            ev,
            ["Check the provider console for account limits, permissions and whether the caller ID is allowed."],
            [
                (
                    K.CALLER_ID_FLAGGED,
                    0.15,
                    "Some networks block with 403 (Q.850 21).",
                    "A provider-side refusal arrives instantly, before any ringing.",
                )
            ],
            support=len(ids) + len(other_dests),
            uses_codes=True,
        )
    if f.stats.claims.changed or f.prior_contact:
        # the number took these calls before: a refusal now is this number's doing (sip-knowledge §5 #16)
        return Finding(
            K.RECIPIENT_BLOCKED,
            0.45,
            f"Calls to {f.destination_pretty} are refused with 403 Forbidden, where they used to connect: the "
            "number is barred or blocks this caller.",
            ev,
            [f"Treat {f.destination_pretty} as do-not-retry."],
            [
                (
                    K.PLATFORM_RESTRICTION,
                    0.3,
                    "403 is also how a provider refuses a call (limits, permissions).",
                    "Look for a provider error code or an instant failure; check other calls for 403.",
                )
            ],
            support=len(ids),
            uses_codes=True,
            needs_comparison=True,
        )
    # no code that says a person acted (403 is not 603/607/608) and no change: lead with what is observed
    return Finding(
        K.PLATFORM_RESTRICTION,
        0.4,
        f"Calls to {f.destination_pretty} are refused with 403 Forbidden: a refusal by the provider (limits, "
        "permissions) or by the number's network (a barred number); the records do not say which.",
        ev,
        ["Check the provider console for a refusal on these calls (limits, permissions, the caller ID)."],
        [
            (
                K.RECIPIENT_BLOCKED,
                0.3,
                "The number may be barred, or block this caller (403 from the far end).",
                "If the calls to other numbers go through and this number keeps answering 403 for days, it is this "
                "number.",
            )
        ],
        support=len(ids),
        uses_codes=True,
        needs_comparison=True,
    )
