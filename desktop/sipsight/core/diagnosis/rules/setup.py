"""Diagnosis rules for calls the platform or the caller's own setup stopped: provider errors (geo
permissions, account), anonymous caller ID, STIR/SHAKEN and media refusals (sip-knowledge §5 #15, #17-#19)."""

from __future__ import annotations

from sipsight.core.diagnosis._facts import Facts
from sipsight.core.diagnosis._families import CONFIG_CODES, PLATFORM_ERRORS
from sipsight.core.diagnosis._findings import Finding, Rule, RuleSet
from sipsight.core.diagnosis._wording import cap_ids, plural
from sipsight.core.models import DiagnosisKind

K = DiagnosisKind
RULES = RuleSet()
rule = RULES.rule

PLATFORM_STEPS: dict[str, str] = {
    "21215": "Enable the destination's country in the provider's Voice Geographic Permissions.",
    "13227": "Enable the destination's country in the provider's Voice Geographic Permissions.",
    "32205": "Enable the destination's country in the SIP trunk's geographic permissions.",
    "21216": "Complete the Trust Hub Primary Customer Profile, then contact Twilio support about error 21216.",
    "10001": "Reactivate the account (billing or suspension) in the provider console.",
}


@rule(
    "platform-rejection",
    "Provider error code (21215/13227/32205 geo-permissions, 21216 blocked by Twilio, 10001 account inactive) "
    "or outcome platform_rejected on most recent attempts",
    K.PLATFORM_RESTRICTION,
    0.9,
    "sip-knowledge §5 #15; Twilio error docs 21215, 21216, 13227, 32205, 10001 (twilio-and-signalwire.md)",
)
def _platform(f: Facts, r: Rule) -> Finding | None:
    ids = f.recent("platform", or_latest=True)
    if not ids:
        return None
    errs = [e for e in (f.by_id[i].provider_error_code for i in ids) if e]
    main = max(sorted(set(errs)), key=errs.count) if errs else None  # sorted: ties resolve the same way every run
    reason = PLATFORM_ERRORS.get(main or "", "the provider refused to place the call")
    label = f" (error {main})" if main else ""
    others = f.others.ids_of("platform")
    text = f"{plural(len(ids), 'attempt')} to {f.destination_pretty} failed at the platform{label}: {reason}."
    ev = [(text, ids, 0.9)]
    if others:
        ev.append(
            (
                f"The same platform error hit {plural(len(f.others.dests_of('platform')), 'other number')}.",
                cap_ids(others),
                0.3,
            )
        )
    steps = [PLATFORM_STEPS[main]] if main in PLATFORM_STEPS else []
    return Finding(
        r.kind,
        r.confidence if errs else 0.75,
        f"Calls to {f.destination_pretty} never left the platform: {reason}{label}. The recipient never saw them.",
        ev,
        steps,
        support=len(ids) + len(others),
        uses_codes=True,
    )


@rule(
    "caller-setup",
    "SIP 433 (anonymous caller ID), 428/436/437/438 (STIR/SHAKEN), 488/415/606/580 (media) on most attempts",
    K.PLATFORM_RESTRICTION,
    0.8,
    "sip-knowledge §5 #17, #18, #19; RFC 5079 §5, RFC 8224 §6.2, RFC 3261 §21.4.26",
)
def _setup(f: Facts, r: Rule) -> Finding | None:
    ids = f.recent("config")
    if not ids:
        return None
    codes = [f.by_id[i].sip_code for i in ids]
    code = max(sorted(set(codes)), key=codes.count)
    reason = CONFIG_CODES.get(code or 0, "a configuration problem on the caller's side")
    step = (
        "Send a real caller ID (no *67 / privacy) on these calls."
        if code == 433
        else (
            "Ask the provider to fix STIR/SHAKEN signing for this caller ID "
            "(expect labels or blocks while it is broken)."
        )
        if code in (428, 436, 437, 438)
        else "Check the trunk's codec/media configuration with the provider."
    )
    return Finding(
        r.kind,
        r.confidence,
        f"Calls to {f.destination_pretty} fail because {reason}: a setup problem on the caller's side.",
        [(f"{plural(len(ids), 'attempt')} returned SIP {code}.", ids, 0.8)],
        [step],
        support=len(ids),
        uses_codes=True,
    )
