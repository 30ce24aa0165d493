"""The bucket ("family") each final attempt falls into, by the single-attempt decision order of sip-knowledge §5,
with the code tables that order reads and the kind and words each family stands for."""

from __future__ import annotations

from sipsight.core.models import Attempt, DiagnosisKind

K = DiagnosisKind

# Ring-time bands (sip-knowledge §3): voicemail picking up within a few seconds means the phone never rang
# (off, blocked, silenced); 20-30 s of ringing then voicemail is an ordinary no-reply forward.
FAST_RING_S = 5.0
RANG_OUT_S = 15.0
BRIEF_NO_AMD_S = 15.0  # answered, no AMD result, shorter than this: a voicemail greeting as likely as a person

PLATFORM_ERRORS: dict[str, str] = {
    "21215": "the account's geographic permissions do not allow this destination",
    "13227": "the account's geographic permissions do not allow this destination",
    "32205": "the SIP trunk's geographic permissions do not allow this destination",
    "21216": "Twilio blocked the call: high fraud risk, regulatory, or no Primary Customer Profile in Trust Hub",
    "10001": "the account is not active",
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
MACHINE_FAMILIES = ("vm_fast", "vm_mid", "vm_rang", "vm")

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
FAMILY_KIND = {
    "connected": K.NORMAL, "vm_fast": K.RECIPIENT_BLOCKED, "vm_mid": K.VOICEMAIL_PICKUP, "vm_rang": K.VOICEMAIL_PICKUP,
    "vm": K.VOICEMAIL_PICKUP, "brief": K.VOICEMAIL_PICKUP, "no_answer": K.NO_ANSWER, "busy": K.BUSY,
    "unreachable": K.UNREACHABLE,
    "canceled": K.CALLER_CANCELED, "decline": K.RECIPIENT_BLOCKED, "unwanted": K.RECIPIENT_BLOCKED,
    "block": K.CALLER_ID_FLAGGED, "invalid": K.INVALID_NUMBER, "format": K.INVALID_NUMBER,
    "platform": K.PLATFORM_RESTRICTION, "config": K.PLATFORM_RESTRICTION, "carrier": K.CARRIER_FAULT,
    "forbidden": K.PLATFORM_RESTRICTION,
}  # fmt: skip
FAMILY_WORDS = {
    "vm_fast": "went straight to voicemail", "vm_mid": "went to voicemail", "vm_rang": "rang out to voicemail",
    "vm": "went to voicemail", "brief": "were answered for a few seconds only", "no_answer": "were not answered",
    "busy": "were busy", "unreachable": "were unreachable",
    "canceled": "were cancelled by the caller", "decline": "were declined", "unwanted": "were rejected as unwanted",
    "block": "were blocked by the network", "invalid": "reached a number not in service",
    "format": "had an incomplete number", "platform": "were refused by the platform", "config": "failed on setup",
    "carrier": "failed in the network", "forbidden": "were refused (403)", "connected": "connected",
}  # fmt: skip


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
