"""Diagnosis rules that judge the caller ID everywhere: a spam-label pattern, hang-ups on answer, one carrier
failing, call volume (sip-knowledge §3, §5 #4, #8, #20, #21)."""

from __future__ import annotations

from sipsight.core.diagnosis._advice import advice, engine_for, review_step
from sipsight.core.diagnosis._facts import SHORT_CALL_S, Facts
from sipsight.core.diagnosis._families import FAST_RING_S, MACHINE_FAMILIES
from sipsight.core.diagnosis._findings import EvidenceItem, Finding, Rule, RuleSet
from sipsight.core.diagnosis._wording import cap_ids, others_sentence, share
from sipsight.core.models import DiagnosisKind, Family

F = Family
K = DiagnosisKind
RULES = RuleSet()
rule = RULES.rule

DAILY_VOLUME_RULE = 100  # calls/day per number, vendor rule of thumb (sip-knowledge §4e, L)


@rule(
    "spam-label-pattern",
    "No block codes; the caller's other calls also connect rarely (or less than before) and reach machines: "
    "the caller ID looks labeled",
    K.LIKELY_SPAM_LABELED,
    0.6,
    "sip-knowledge §5 #4 (adapted: one caller ID before vs now), §3 'Labeling vs blocking' [HIYA-LABEL][TMO][ATT]",
)
def _label(f: Facts, r: Rule) -> Finding | None:
    state = f.others_state()
    if state not in ("poor", "falling") or not f.focus.n:
        return None
    if f.focus_share(*MACHINE_FAMILIES, F.BRIEF, F.NO_ANSWER, F.DECLINE) < 0.5:
        return None
    side = f.others_window()
    conf = r.confidence + (0.08 if state == "falling" else 0.0)
    fast_share = side.count(F.VM_FAST) / side.machine if side.machine else 0.0
    if fast_share >= 0.5:
        conf += 0.04
    ev: list[EvidenceItem] = []
    cs = f.stats
    if state == "falling":
        b, o = cs.other_numbers_before, cs.other_numbers
        ev.append(
            (
                f"The caller's calls to other numbers that became a conversation: {share(b.conversations, b.calls)} "
                f"before these hours, {share(o.conversations, o.calls)} in them; straight to voicemail: "
                f"{share(b.straight_to_voicemail, b.calls)} before, {share(o.straight_to_voicemail, o.calls)} now; "
                f"hang-ups within {SHORT_CALL_S:.0f} s: {share(b.short_hangups, b.calls)} before, "
                f"{share(o.short_hangups, o.calls)} now.",
                cap_ids(side.ids_of(F.VM_FAST) + [a.id for a in side.short_human]),
                0.6,
            )
        )
    sent = others_sentence(f)
    if sent:
        ev.append((sent[0], cap_ids(side.ids_of(*MACHINE_FAMILIES)), 0.5))
    if fast_share >= 0.5:
        o = cs.other_numbers
        ev.append(
            (
                f"{o.straight_to_voicemail} of those {o.voicemail} voicemail answers came within {FAST_RING_S:.0f} s: "
                "calls are diverted to voicemail before ringing.",
                cap_ids(side.ids_of(F.VM_FAST)),
                0.3,
            )
        )
    recent = cs.this_number_recent
    ev.append(
        (
            f"Calls to {f.destination_pretty}: {recent.connected} of {recent.calls} recent calls were answered by a "
            "person.",
            f.focus.ids_of(*MACHINE_FAMILIES, F.NO_ANSWER),
            0.2,
        )
    )
    ev.append(("No 603/607/608 anywhere: carriers label numbers without any SIP signal.", [], 0.1))
    return Finding(
        r.kind,
        conf,
        f"It is not just {f.destination_pretty}: the caller's calls to other numbers also go unanswered and reach "
        f"voicemail{' more than before' if state == 'falling' else ''}. {f.caller_pretty} is most likely labeled "
        "'Spam Likely' or silenced.",
        ev,
        [advice().redress.registry, advice().redress.no_rotation],
        [
            (
                K.CALLER_ID_FLAGGED,
                0.1,
                "Carrier filters can divert a flagged number to voicemail (Verizon Call Filter "
                "'Voicemail' option) instead of rejecting it.",
                "A reputation lookup shows 'flagged' or a high spam risk.",
            ),
            (
                K.RECIPIENT_BLOCKED,
                0.08,
                f"{f.destination_pretty} alone could also have blocked the number.",
                "One test call from another phone (the customer's personal phone, once): if it rings, this caller ID "
                "is treated differently.",
            ),
        ],
        ["A spam label leaves no SIP code: this conclusion rests on answer rates alone."],
        support=f.focus.n + side.n,
    )


@rule(
    "hang-up-on-answer",
    "Human-answered calls shorter than ~6 s, repeatedly, across 3+ destinations",
    K.LIKELY_SPAM_LABELED,
    0.5,
    "sip-knowledge §5 #8; §3 (iOS 26 Ask Reason for Calling, Pixel Call Screen)",
)
def _hang_up(f: Facts, r: Rule) -> Finding | None:
    short = f.everyone.short_human
    ids = [a.id for a in short]
    dests = {a.to for a in short}  # several numbers: one person hanging up is no label
    humans = f.whole.connected + f.others.connected
    if len(ids) < 3 or len(dests) < 3 or not humans or len(ids) / humans < 0.4:
        return None
    return Finding(
        r.kind,
        r.confidence,
        f"People hang up within seconds on calls from {f.caller_pretty}: the number is probably shown as spam, or call "
        "screening assistants answer and the dialer drops.",
        [
            (
                f"{len(ids)} of {humans} calls answered by a person lasted under {SHORT_CALL_S:.0f} s, "
                "on several numbers.",
                cap_ids(ids),
                0.6,
            )
        ],
        [
            "Have the agents state name and reason in the first seconds "
            "(this also satisfies iOS/Pixel call screening).",
            "Check the answering-machine detection settings: a screening assistant can be mistaken for a person.",
        ],
        [(K.RECIPIENT_BLOCKED, 0.1, "A few individuals may be hanging up on purpose.", "")],
        ["Very short calls feed the carriers' spam analytics (RFC 8197 §4)."],
        support=len(ids),
    )


@rule(
    "carrier-concentration",
    "The caller's calls to other numbers on the destination's carrier fail (5+ calls, <=10% connect) while other "
    "carriers connect (>=20%); with 608/603+ among them: caller_id_flagged 0.80",
    K.LIKELY_SPAM_LABELED,
    0.65,
    "sip-knowledge §5 #20, §4d (carrier -> analytics engine)",
)
def _carrier_concentration(f: Facts, r: Rule) -> Finding | None:
    if (worst := f.troubled_carrier) is None:
        return None
    allside = f.others
    n, ok, rest_n, rest_ok = allside.carrier_split(worst)
    blocked = allside.count(F.BLOCK) > 0
    engine = engine_for(worst)
    ev = [
        (
            f"{ok} of {n} calls to other {worst} numbers were answered by a person, against "
            f"{share(rest_ok, rest_n)} on other carriers.",
            cap_ids(allside.failed_on(worst)),
            0.6,
        )
    ]
    steps = [*review_step(worst), advice().redress.registry]
    return Finding(
        K.CALLER_ID_FLAGGED if blocked else r.kind,
        0.8 if blocked else r.confidence,
        f"Calls from {f.caller_pretty} fail on {worst} only: {worst}"
        f"{' (' + engine.engine + ')' if engine else ''} most likely flags the number as spam.",
        ev,
        steps,
        support=n,
        uses_codes=blocked,
        carrier=worst,
    )


@rule(
    "high-velocity",
    "More than ~100 calls a day from the caller ID",
    K.LIKELY_SPAM_LABELED,
    0.3,
    "sip-knowledge §5 #21, §4e (vendor rule of thumb <=100/day per number, L) [ARBEIT][VOIPOFFICE]",
)
def _velocity(f: Facts, r: Rule) -> Finding | None:
    cs = f.stats
    per_day = cs.calls_per_day
    everyone = cs.all_numbers
    if per_day is None or per_day <= DAILY_VOLUME_RULE or everyone.first is None:
        return None
    return Finding(
        r.kind,
        r.confidence,
        f"{f.caller_pretty} places about {per_day:.0f} calls a day: volume like this gets numbers labeled spam.",
        [
            (
                f"{everyone.calls} calls from this caller ID between {f.when(everyone.first)} and "
                f"{f.when(everyone.last)}: about {per_day:.0f} a day (the usual rule of thumb is at most "
                f"{DAILY_VOLUME_RULE} a day per number).",
                [],
                0.3,
            )
        ],
        ["Spread the volume over more hours and days instead of more numbers."],
        support=everyone.calls,
    )
