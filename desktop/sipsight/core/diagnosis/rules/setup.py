"""Diagnosis rules for calls the platform or the caller's own setup stopped: provider errors (geo
permissions, account), anonymous caller ID, STIR/SHAKEN and media refusals (sip-knowledge §5 #15, #17-#19)."""

from __future__ import annotations

from sipsight.core.diagnosis._facts import Facts
from sipsight.core.diagnosis._findings import Finding, Rule, RuleSet
from sipsight.core.diagnosis._wording import cap_ids, plural
from sipsight.core.knowledge import KnowledgeEntry, error_entry, knowledge
from sipsight.core.models import DiagnosisKind, Family

F = Family
K = DiagnosisKind
RULES = RuleSet()
rule = RULES.rule


def _explained(entry: KnowledgeEntry | None, family: Family) -> KnowledgeEntry | None:
    """The entry when the knowledge base explains its code for this rule: its family, its meaning and next step."""
    return entry if entry is not None and entry.family is family and entry.meaning else None


@rule(
    "platform-rejection",
    "Provider error code (21215/13227/32205 geo-permissions, 21216 blocked by Twilio, 10001 account inactive) "
    "or outcome platform_rejected on most recent attempts",
    K.PLATFORM_RESTRICTION,
    0.9,
    "sip-knowledge §5 #15; Twilio error docs 21215, 21216, 13227, 32205, 10001 (twilio-and-signalwire.md)",
)
def _platform(f: Facts, r: Rule) -> Finding | None:
    ids = f.recent(F.PLATFORM, or_latest=True)
    if not ids:
        return None
    errs = [e for e in (f.by_id[i].provider_error_code for i in ids) if e]
    main = max(sorted(set(errs)), key=errs.count) if errs else None  # sorted: ties resolve the same way every run
    with_main = next((f.by_id[i] for i in ids if main and f.by_id[i].provider_error_code == main), None)
    entry = _explained(error_entry(with_main), F.PLATFORM) if with_main else None
    reason = entry.meaning if entry and entry.meaning else "the provider refused to place the call"
    label = f" (error {main})" if main else ""
    others = f.others.ids_of(F.PLATFORM)
    text = f"{plural(len(ids), 'attempt')} to {f.destination_pretty} failed at the platform{label}: {reason}."
    ev = [(text, ids, 0.9)]
    if others:
        ev.append(
            (
                f"The same platform error hit {plural(len(f.others.dests_of(F.PLATFORM)), 'other number')}.",
                cap_ids(others),
                0.3,
            )
        )
    steps = [entry.next_step] if entry else []
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
    ids = f.recent(F.CONFIG)
    if not ids:
        return None
    codes = [c for c in (f.by_id[i].sip_code for i in ids) if c is not None]
    code = max(sorted(set(codes)), key=codes.count) if codes else None  # sorted: ties resolve the same way
    entry = _explained(knowledge().sip(code), F.CONFIG) if code is not None else None
    reason = entry.meaning if entry and entry.meaning else "a configuration problem on the caller's side"
    what = f"returned SIP {code}" if code is not None else "failed on setup"
    return Finding(
        r.kind,
        r.confidence,
        f"Calls to {f.destination_pretty} fail because {reason}: a setup problem on the caller's side.",
        [(f"{plural(len(ids), 'attempt')} {what}.", ids, 0.8)],
        [entry.next_step] if entry else [],
        support=len(ids),
        uses_codes=True,
    )
