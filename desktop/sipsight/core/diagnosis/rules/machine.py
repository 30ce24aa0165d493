"""Diagnosis rules for calls a machine (or nobody) answered: straight to voicemail, ring time unknown, brief
answers without answering-machine detection, a short ring then voicemail, ring-outs (sip-knowledge §3, §5 #5-#7)."""

from __future__ import annotations

from statistics import median

from sipsight.core.diagnosis._advice import advice
from sipsight.core.diagnosis._facts import Facts
from sipsight.core.diagnosis._families import MACHINE_FAMILIES
from sipsight.core.diagnosis._findings import AlternativeItem, EvidenceItem, Finding, Rule, RuleSet
from sipsight.core.diagnosis._wording import add_others, change_evidence, others_sentence, secs
from sipsight.core.models import DiagnosisKind, Family

F = Family
K = DiagnosisKind
RULES = RuleSet()
rule = RULES.rule


# A test call from another phone is a one-off check, never a way around the block (docs/replies.md "Next steps")
ONE_TEST_CALL = (
    "One test call from another phone (the customer's personal phone, once): if it rings there, this caller ID is "
    "blocked or silenced; if it also goes straight to voicemail, the phone is off or unreachable."
)


def _machine_alternatives(f: Facts, state: str) -> list[AlternativeItem]:
    label = 0.25 if state in ("mixed", "none") else 0.12
    return [
        (
            K.UNREACHABLE,
            0.2,
            "A phone that is off or out of coverage also sends every call straight to voicemail.",
            ONE_TEST_CALL,
        ),
        (
            K.LIKELY_SPAM_LABELED,
            label,
            "Phones and carriers send numbers labeled spam, or unknown callers "
            "(iOS Silence Unknown Callers), to voicemail; no SIP code shows it.",
            "Check the caller ID's reputation, and whether the caller's other calls also go to voicemail more than "
            "before.",
        ),
    ]


def _story_changed(f: Facts) -> bool:
    """A person acting (a block, a decline) needs a code that says so or a change in the story: the number connected
    before and nothing has since, or the customer says they spoke with this person before."""
    return f.stats.claims.changed or f.prior_contact


@rule(
    "straight-to-voicemail",
    "This destination: repeated machine answers within ~5 s (no ring), after earlier connected calls or a customer "
    "who spoke with them before, while the caller's other calls connect; from the first call on: voicemail_pickup "
    "0.55 (what is observed), the block a ranked alternative",
    K.RECIPIENT_BLOCKED,
    0.62,
    "sip-knowledge §5 #5, #6; §3 (iPhone blocked number, Silence Unknown Callers, phone off); origin ticket",
)
def _straight_to_vm(f: Facts, r: Rule) -> Finding | None:
    fast = f.focus.ids_of(F.VM_FAST)
    if len(fast) < 2 or f.focus_share(F.VM_FAST, F.VM_MID) < 0.6:
        return None
    state = f.others_state()
    claims = f.stats.claims
    rings = f.rings(fast)
    conf = r.confidence
    ev: list[EvidenceItem] = []
    ce = change_evidence(f)
    if ce:
        ev.append(ce)
        conf += 0.06
    elif f.prior_contact:
        conf += 0.03
        ev.append(("The customer says they spoke with this person before; no call in this window connected.", [], 0.15))
    if len(fast) >= 4:
        conf += 0.04
    ev.append(
        (
            f"{len(fast)} of {f.focus.n} calls since {f.when(f.focus.first)} were answered by a machine within "
            f"{secs(rings)} (median {median(rings):.0f} s): the phone did not ring, straight to voicemail.",
            fast,
            0.6,
        )
    )
    sent = others_sentence(f)
    if claims.only_this_number and sent:
        ev.append((sent[0] + " Only this number behaves this way.", sent[1], 0.3))
    elif state in ("poor", "falling") and sent:
        conf = 0.35
        ev.append((sent[0] + " The caller's other calls suffer too.", sent[1], -0.3))
    elif sent:
        conf -= 0.1 if state == "mixed" else 0.0
        ev.append((sent[0], sent[1], 0.0))
    if f.troubled_carrier:
        conf = min(conf, 0.4)
        ev.append((f"Calls to other {f.troubled_carrier} numbers fail the same way: not just this person.", [], -0.3))
        state = "mixed"
    others_txt = ", while the caller's other calls connect" if claims.others_fine and not f.troubled_carrier else ""
    caveats = [
        "An iPhone block, Silence Unknown Callers, a carrier spam filter and a phone that is off all look "
        "like an instant voicemail answer."
    ]
    if _story_changed(f):
        headline = (
            f"Calls to {f.destination_pretty} now go to voicemail within {secs(rings)}{others_txt}: the person is "
            "most likely declining or blocking the caller's number (or the phone is off)."
        )
        return Finding(
            r.kind, conf, headline, ev, [], _machine_alternatives(f, state), caveats,
            support=f.focus.n, needs_comparison=True,
        )  # fmt: skip
    # from the first call on: nothing says a person acted, so lead with what is observed, the block a ranked
    # alternative with how to tell (sip-knowledge §5 #6: phone off, block and silencing look alike)
    headline = (
        f"Calls to {f.destination_pretty} go straight to voicemail within {secs(rings)}{others_txt}: the phone does "
        "not ring. It may be off or silencing unknown callers, or the person may have blocked the caller's number."
    )
    alternatives: list[AlternativeItem] = [
        (
            K.RECIPIENT_BLOCKED,
            0.3 if state in ("ok", "none") else 0.15,
            "The person may have blocked the caller's number (an iPhone block list answers with voicemail).",
            ONE_TEST_CALL,
        ),
        *_machine_alternatives(f, state),
    ]
    adv = advice()
    steps = [adv.next_steps[K.RECIPIENT_BLOCKED].steps[0], adv.redress.no_rotation]  # the check, not a way around
    return Finding(
        K.VOICEMAIL_PICKUP,
        min(conf - 0.07, 0.55),
        headline,
        ev,
        steps,
        alternatives,
        caveats,
        support=f.focus.n,
        needs_comparison=True,
    )


@rule(
    "machine-unknown-ring",
    "This destination: repeated machine answers, ring time unknown, after a change (earlier connected calls or "
    "prior contact); without a change: voicemail_pickup 0.45",
    K.RECIPIENT_BLOCKED,
    0.45,
    "sip-knowledge §5 #5, #6; §3",
)
def _vm_unknown(f: Facts, r: Rule) -> Finding | None:
    ids = f.focus.ids_of(F.VM)
    if len(ids) < 2 or f.focus_share(*MACHINE_FAMILIES) < 0.6:
        return None
    changed = _story_changed(f)
    state = f.others_state()
    ev: list[EvidenceItem] = []
    ce = change_evidence(f)
    if ce:
        ev.append(ce)
    ev.append(
        (
            f"{len(ids)} of {f.focus.n} calls since {f.when(f.focus.first)} were answered by a machine "
            "(ring time not recorded).",
            ids,
            0.4,
        )
    )
    add_others(f, ev, 0.2 if state == "ok" else -0.1)
    caveat = [
        "Ring time unknown: straight to voicemail (block, phone off) cannot be told from a ring-out to voicemail."
    ]
    if changed and state not in ("poor", "falling"):
        return Finding(
            r.kind,
            r.confidence,
            f"Calls to {f.destination_pretty} now reach voicemail, where they used to connect: the person "
            "may be declining or blocking the caller's number.",
            ev,
            [],
            [
                (
                    K.VOICEMAIL_PICKUP,
                    0.25,
                    "They may simply not pick up.",
                    f"Look at how long it rang ({f.ring_source}): 20-30 s means it rang out; under 5 s means a "
                    "block or a phone off.",
                ),
                *_machine_alternatives(f, state),
            ],
            caveat,
            support=f.focus.n,
            needs_comparison=True,
        )
    return Finding(
        K.VOICEMAIL_PICKUP,
        0.45,
        f"Calls to {f.destination_pretty} reach voicemail; without the ring time it is unclear whether it rang.",
        ev,
        [],
        [
            (
                K.RECIPIENT_BLOCKED,
                0.15,
                "Instant voicemail would mean a block or silencing.",
                f"Look at how long it rang ({f.ring_source}); or: " + ONE_TEST_CALL,
            ),
            (K.UNREACHABLE, 0.15, "A phone that is off goes straight to voicemail.", ONE_TEST_CALL),
        ],
        caveat,
        support=f.focus.n,
    )


@rule(
    "brief-answers-no-amd",
    "This destination, no answering-machine detection: repeated answered calls under 15 s after earlier real "
    "conversations (or prior contact); without a change: voicemail_pickup 0.40",
    K.RECIPIENT_BLOCKED,
    0.42,
    "sip-knowledge §3 (voicemail answers with 200 OK), §5 #5, #6; twilio-and-signalwire.md (answered_by needs AMD)",
)
def _brief(f: Facts, r: Rule) -> Finding | None:
    ids = f.focus.ids_of(F.BRIEF)
    if len(ids) < 2 or f.focus_share(F.BRIEF, *MACHINE_FAMILIES) < 0.6:
        return None
    durations = [d for d in (f.by_id[i].duration_s for i in ids) if d is not None]
    ev: list[EvidenceItem] = []
    ce = change_evidence(f)
    if ce:
        ev.append((ce[0].replace("connected (", "connected with real conversations ("), ce[1], ce[2]))
    ev.append(
        (
            f"{len(ids)} of {f.focus.n} calls since {f.when(f.focus.first)} were answered for only {secs(durations)}: "
            "the length of a voicemail greeting, not a conversation.",
            ids,
            0.4,
        )
    )
    state = f.others_state()
    add_others(f, ev, 0.2 if state == "ok" else -0.1)
    caveat = [
        "No answering-machine detection on these calls: voicemail and a person look alike, so the short "
        "answers are read as voicemail. Answering-machine detection, on a provider that records its result (Twilio's "
        "answered_by, Telnyx's machine detection), would settle it."
    ]
    if _story_changed(f) and state not in ("poor", "falling"):
        return Finding(
            r.kind,
            r.confidence,
            f"Calls to {f.destination_pretty} are now answered for only {secs(durations)}, where they "
            "used to be conversations: most likely voicemail picking up, so the person may be declining "
            "or blocking the caller's number (or the phone is off).",
            ev,
            [],
            [
                (
                    K.VOICEMAIL_PICKUP,
                    0.25,
                    "They may simply let it go to voicemail.",
                    f"Look at the ring time ({f.ring_source}): under 5 s means it never rang.",
                ),
                *_machine_alternatives(f, state),
            ],
            caveat,
            support=f.focus.n,
            needs_comparison=True,
        )
    return Finding(
        K.VOICEMAIL_PICKUP,
        0.4,
        f"Calls to {f.destination_pretty} are answered for only {secs(durations)}: most likely voicemail.",
        ev,
        [],
        [
            (
                K.RECIPIENT_BLOCKED,
                0.15,
                "Instant voicemail can mean a block or silencing.",
                f"Look at the ring time ({f.ring_source}); or: " + ONE_TEST_CALL,
            )
        ],
        caveat,
        support=f.focus.n,
    )


@rule(
    "declined-short-ring",
    "This destination: machine answers after a short ring (5-15 s), repeatedly, after earlier connected calls (or "
    "prior contact): the person presses Decline; from the first call on: voicemail_pickup 0.45",
    K.RECIPIENT_BLOCKED,
    0.5,
    "sip-knowledge §3 (recipient presses Decline: short ring, then voicemail; L/M)",
)
def _declined_short(f: Facts, r: Rule) -> Finding | None:
    ids = f.focus.ids_of(F.VM_MID)
    if len(ids) < 2 or f.focus_share(F.VM_MID, F.VM_FAST) < 0.6 or len(f.focus.ids_of(F.VM_FAST)) >= 2:
        return None
    rings = f.rings(ids)
    ev = [
        (
            f"{len(ids)} of {f.focus.n} calls rang only {secs(rings)} before voicemail answered: "
            "shorter than a ring-out (20-30 s).",
            ids,
            0.5,
        )
    ]
    ce = change_evidence(f)
    if ce:
        ev.insert(0, ce)
    spam = (
        K.LIKELY_SPAM_LABELED,
        0.1,
        "A 'Spam Likely' label makes people decline.",
        "Check whether the caller's other calls are declined more than before.",
    )
    if _story_changed(f):
        return Finding(
            r.kind,
            r.confidence + (0.05 if ce else 0.0),
            f"Calls to {f.destination_pretty} ring briefly, then voicemail, where they used to connect: the person is "
            "most likely pressing Decline.",
            ev,
            [],
            [
                (
                    K.VOICEMAIL_PICKUP,
                    0.25,
                    "Some voicemail systems pick up early.",
                    "If earlier calls rang 20-30 s and now ring under 15 s, someone declines them.",
                ),
                spam,
            ],
            support=f.focus.n,
            needs_comparison=True,
        )
    return Finding(
        K.VOICEMAIL_PICKUP,
        0.45,
        f"Calls to {f.destination_pretty} ring briefly ({secs(rings)}), then voicemail answers.",
        ev,
        [],
        [
            (
                K.RECIPIENT_BLOCKED,
                0.25,
                "A ring this short often means the person pressed Decline.",
                "If this number used to ring 20-30 s before voicemail, or the customer spoke with the person before, "
                "someone declines the calls.",
            ),
            spam,
        ],
        support=f.focus.n,
        needs_comparison=True,
    )


@rule(
    "rang-out-voicemail",
    "This destination: rings ~20-30 s, then a machine answers",
    K.VOICEMAIL_PICKUP,
    0.7,
    "sip-knowledge §5 #7; §3 (rings out, then voicemail)",
)
def _rang_out(f: Facts, r: Rule) -> Finding | None:
    ids = f.recent(F.VM_RANG)
    if not ids:
        return None
    rings = f.rings(ids)
    alts = [(K.NO_ANSWER, 0.15, "Same thing from the person's side: nobody picked up.", "")]
    if f.destination_connected_before or f.prior_contact:
        alts.append(
            (
                K.RECIPIENT_BLOCKED,
                0.1,
                "They may be ignoring the calls; a block would not let it ring.",
                "If it keeps ringing out, they see the call and do not take it.",
            )
        )
    return Finding(
        r.kind,
        r.confidence,
        f"Calls to {f.destination_pretty} ring {secs(rings)} and then go to voicemail: nobody answers, "
        "nothing is blocked.",
        [(f"{len(ids)} of {f.focus.n} calls rang {secs(rings)} before voicemail answered.", ids, 0.6)],
        [],
        alts,
        support=len(ids),
    )


@rule(
    "no-answer",
    "This destination: rings out with no answer and no voicemail (status no-answer)",
    K.NO_ANSWER,
    0.7,
    "sip-knowledge §5 #7; Q.850 19 (no answer from user, user alerted)",
)
def _no_answer(f: Facts, r: Rule) -> Finding | None:
    ids = f.recent(F.NO_ANSWER)
    if not ids:
        return None
    rings = f.rings(ids)
    ring_txt = f" after {secs(rings)} of ringing" if rings else ""
    # without the ring time a no-answer status is also what a phone that is off gives (Twilio maps 480 to it)
    conf = r.confidence if rings else 0.42
    return Finding(
        r.kind,
        conf,
        f"Calls to {f.destination_pretty} ring out with no answer{ring_txt}: nothing is blocked.",
        [(f"{len(ids)} of {f.focus.n} recent calls were not answered{ring_txt}.", ids, 0.6)],
        [],
        [
            (K.VOICEMAIL_PICKUP, 0.1, "The person has no voicemail set up.", ""),
            (
                K.UNREACHABLE,
                0.1,
                "A phone that is off can also report no-answer on some networks.",
                "Check whether it rang at all (ring time).",
            ),
        ],
        support=len(ids),
    )
