"""What an agent must know before trusting a diagnosis: the limits of the data (no codes, partial summaries, few
attempts, no comparison, no answering-machine detection), what was left out, and where the customer's words and
the data disagree."""

from __future__ import annotations

from sipsight.core.diagnosis._advice import advice, priors
from sipsight.core.diagnosis._facts import Facts
from sipsight.core.diagnosis._findings import Finding
from sipsight.core.diagnosis._gather import Extra
from sipsight.core.diagnosis._wording import plural
from sipsight.core.models import DataProfile, DiagnosisContext, DiagnosisKind, Family

F = Family
K = DiagnosisKind
# kinds where "this number only" vs "the caller ID everywhere" changes the answer
_CALLER_LEVEL = frozenset({K.RECIPIENT_BLOCKED, K.CALLER_ID_FLAGGED, K.LIKELY_SPAM_LABELED, K.CARRIER_FAULT})


def caveats(f: Facts, ctx: DiagnosisContext, ex: Extra, main: Finding, side_notes: list[Finding]) -> list[str]:
    out: list[str] = []
    data: DataProfile | None = ctx.data
    if not f.has_codes:
        text = "No SIP codes: call status only (Voice Insights Advanced Features off)"
        if main.kind in (K.RECIPIENT_BLOCKED, K.LIKELY_SPAM_LABELED, K.CALLER_ID_FLAGGED, K.UNREACHABLE):
            text += ", so a block can only be inferred from the pattern, not confirmed"
        out.append(text + ".")
    partial = max(ex.partial, data.partial_summaries if data else 0)
    if partial:
        out.append(
            f"{plural(partial, 'call summary', 'call summaries')} {'is' if partial == 1 else 'are'} still "
            "partial (Voice Insights completes them about 30 minutes after the call): codes may still change."
        )
    if f.whole.n < 4:
        out.append(f"Only {plural(f.whole.n, 'attempt')} to this number: a pattern needs more (4 or more).")
    if not f.has_others and (main.needs_comparison or main.kind in _CALLER_LEVEL):
        out.append(
            "No calls from this caller ID to other numbers in the window: it cannot be told whether only this "
            "number is affected or the caller ID everywhere."
        )
    if not f.has_answered_by and (f.whole.connected or f.whole.count(F.BRIEF)):
        out.append("No answering-machine detection: a voicemail answer and a person look alike in this data.")
    if main.kind in (K.RECIPIENT_BLOCKED, K.VOICEMAIL_PICKUP, K.UNREACHABLE) and not main.uses_codes:
        out.append("A spam label leaves no SIP code: labeled calls only show as fewer answers and more voicemail.")
    if ex.pending:
        out.append(f"{plural(ex.pending, 'call')} still in progress left out.")
    if ex.unclassified:
        out.append(f"{plural(ex.unclassified, 'attempt')} without any status or code left out.")
    if data is not None:
        out.extend(data.provider_caveats)
    out.extend(main.caveats)
    out.extend(f"Also seen: {fd.headline}" for fd in side_notes)
    out.extend(_disagreements(f, ctx, ex, main))
    return list(dict.fromkeys(out))


def _disagreements(f: Facts, ctx: DiagnosisContext, ex: Extra, main: Finding) -> list[str]:
    out = []
    pri = priors()
    adv = advice()
    said = [s for s in ctx.symptoms if s in pri.symptoms]
    if said and main.kind is not K.NORMAL:
        kinds = {k for s in said for k, w in pri.symptoms[s].kinds.items() if w >= 0.1}
        if main.kind not in kinds:
            words = ", ".join(f"\u201c{s.replace('_', ' ')}\u201d" for s in said)
            out.append(
                f"The customer describes {words}, but the calls show {adv.next_steps[main.kind].phrase}: "
                "go by the data, and explain the difference in the reply."
            )
    elif said and main.kind is K.NORMAL:
        out.append("The customer reports a problem, but the latest calls connect: ask for the time of a failed call.")
    seen = set(ex.sip_codes) | {str(c) for c in ex.other_codes}
    for ref in ctx.codes:
        if ref.startswith("sip:"):
            code = ref[4:]
            if code == "603+" and 603 in ex.other_codes and any(a.is_603_plus for a in ex.other_finals):
                continue
            if code not in seen:
                out.append(f"The customer mentions SIP {code}, but none of the attempts here returned it.")
    return out
