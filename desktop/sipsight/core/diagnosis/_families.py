"""The bucket ("family") each final attempt falls into, and the kind and words each family stands for.

A family refines the attempt's outcome: the code that produced it says more than the outcome (608 and 603+ are
`block` where 603 is `decline`; 433 is `config`), and ring time and duration split machine answers. Which code
names which family is knowledge-base data (an entry's `family`), read in classify's order by `code_family`; this
module only adds what is not a code: the outcome's own family and the time bands (sip-knowledge §3, §5).
"""

from __future__ import annotations

from collections.abc import Callable

from sipsight.core.knowledge import code_family
from sipsight.core.models import Attempt, DiagnosisKind, Family, OutcomeClass

F = Family
K = DiagnosisKind
O = OutcomeClass  # noqa: E741 - reads like the enum it abbreviates

# Ring-time bands (sip-knowledge §3): voicemail picking up within a few seconds means the phone never rang
# (off, blocked, silenced); 20-30 s of ringing then voicemail is an ordinary no-reply forward.
FAST_RING_S = 5.0
RANG_OUT_S = 15.0
BRIEF_NO_AMD_S = 15.0  # answered, no AMD result, shorter than this: a voicemail greeting as likely as a person

BLOCK_FAMILIES = (F.BLOCK, F.UNWANTED, F.DECLINE)
# codes whose meaning the ring time and the Q.850 cause can overrule (resources/knowledge/outcomes.yaml)
_RING_FAMILIES = frozenset({F.UNREACHABLE, F.NO_ANSWER, F.CANCELED})
_RING_OUTCOMES = frozenset({O.UNREACHABLE.value, O.NO_ANSWER.value, O.CALLER_CANCELED.value})
MACHINE_FAMILIES = (F.VM_FAST, F.VM_MID, F.VM_RANG, F.VM)

# keyed by the outcome's plain value: the diagnosis groups thousands of attempts and looks these up per attempt
OUTCOME_FAMILY: dict[str, Family] = {
    O.CONNECTED.value: F.CONNECTED,
    O.VOICEMAIL.value: F.VM,
    O.NO_ANSWER.value: F.NO_ANSWER,
    O.BUSY.value: F.BUSY,
    O.UNREACHABLE.value: F.UNREACHABLE,
    O.CALLER_CANCELED.value: F.CANCELED,
    O.DECLINED.value: F.DECLINE,
    O.NETWORK_BLOCKED.value: F.BLOCK,
    O.INVALID_NUMBER.value: F.INVALID,
    O.PLATFORM_REJECTED.value: F.PLATFORM,
    O.CARRIER_FAILURE.value: F.CARRIER,
}
FAMILY_KIND: dict[Family, DiagnosisKind] = {
    F.CONNECTED: K.NORMAL, F.VM_FAST: K.VOICEMAIL_PICKUP, F.VM_MID: K.VOICEMAIL_PICKUP,
    F.VM_RANG: K.VOICEMAIL_PICKUP, F.VM: K.VOICEMAIL_PICKUP, F.BRIEF: K.VOICEMAIL_PICKUP, F.NO_ANSWER: K.NO_ANSWER,
    F.BUSY: K.BUSY, F.UNREACHABLE: K.UNREACHABLE, F.CANCELED: K.CALLER_CANCELED, F.DECLINE: K.RECIPIENT_BLOCKED,
    F.UNWANTED: K.RECIPIENT_BLOCKED, F.BLOCK: K.CALLER_ID_FLAGGED, F.INVALID: K.INVALID_NUMBER,
    F.FORMAT: K.INVALID_NUMBER, F.PLATFORM: K.PLATFORM_RESTRICTION, F.CONFIG: K.PLATFORM_RESTRICTION,
    F.CARRIER: K.CARRIER_FAULT, F.FORBIDDEN: K.PLATFORM_RESTRICTION,
}  # fmt: skip
FAMILY_WORDS: dict[Family, str] = {
    F.VM_FAST: "went straight to voicemail", F.VM_MID: "went to voicemail", F.VM_RANG: "rang out to voicemail",
    F.VM: "went to voicemail", F.BRIEF: "were answered for a few seconds only", F.NO_ANSWER: "were not answered",
    F.BUSY: "were busy", F.UNREACHABLE: "were unreachable", F.CANCELED: "were canceled by the caller's side",
    F.DECLINE: "were declined", F.UNWANTED: "were rejected as unwanted", F.BLOCK: "were blocked by the network",
    F.INVALID: "reached a number not in service", F.FORMAT: "had an incomplete number",
    F.PLATFORM: "were refused by the platform", F.CONFIG: "failed on setup", F.CARRIER: "failed in the network",
    F.FORBIDDEN: "were refused (403)", F.CONNECTED: "connected",
}  # fmt: skip


def family(a: Attempt, outcome: str, coded_as: Callable[[Attempt], Family | None] = code_family) -> Family:
    """The bucket one attempt falls into: a platform refusal first, then the family the knowledge base gives the
    attempt's codes (`coded_as`: knowledge.code_family, or its bound form in a loop), then the outcome's own, with
    machine answers split by ring time and brief answers set apart."""
    if outcome == O.PLATFORM_REJECTED:
        return F.PLATFORM
    if a.sip_code is not None or a.provider_error_code is not None:
        coded = coded_as(a)
        if coded in _RING_FAMILIES and outcome in _RING_OUTCOMES:
            # the outcome decision table already weighed the code against the ring time, the cause and who hung up
            # (a 480 after a minute of ringing is a ring-out): the family follows the outcome it decided
            return OUTCOME_FAMILY[outcome]
        if coded is not None:
            return coded
    fam = OUTCOME_FAMILY.get(outcome, F.OTHER)
    if fam is F.VM:
        ring = a.ring_s
        if ring is None:
            return F.VM
        if ring <= FAST_RING_S:
            return F.VM_FAST
        return F.VM_RANG if ring >= RANG_OUT_S else F.VM_MID
    if fam is F.CONNECTED and a.answered_by is None:
        # without answering-machine detection a voicemail greeting is an answered call: a brief one is no
        # evidence that a person talked (sip-knowledge §3: voicemail answers with 200 OK)
        dur = a.duration_s
        if dur is not None and dur < BRIEF_NO_AMD_S:
            return F.BRIEF
    return fam
