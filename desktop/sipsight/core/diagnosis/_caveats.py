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
        text = "No SIP codes: call status only (" + _why_no_codes(ctx.provider) + ")"
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
            "No calls from this caller ID to other numbers in the window: it cannot be told whether the problem is "
            "this number's or the caller ID's everywhere."
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


def _why_no_codes(provider: str | None) -> str:
    """Why a provider's calls came without SIP codes, in that provider's terms (Twilio's when unknown: a diagnosis
    run on attempts alone)."""
    if provider in (None, "twilio"):
        return "Voice Insights Advanced Features off"
    from sipsight.core.knowledge import provider_info

    return f"{provider_info(provider).label}'s records carry none for these calls"


def _codes_phrase(codes: list[str]) -> str:
    listed = codes[0] if len(codes) == 1 else ", ".join(codes[:-1]) + " and " + codes[-1]
    return f"SIP {listed}"


def _missing_codes(refs: list[str], ex: Extra) -> list[str]:
    """The SIP codes among `refs` that no attempt (to this number or another) returned, in order, each once."""
    seen = set(ex.sip_codes) | {str(c) for c in ex.other_codes}
    if any(a.is_603_plus for a in ex.other_finals):
        seen.add("603+")
    out = []
    for ref in refs:
        code = ref[4:] if ref.startswith("sip:") else None
        if code and code not in seen and code not in out:
            out.append(code)
    return out


def _disagreements(f: Facts, ctx: DiagnosisContext, ex: Extra, main: Finding) -> list[str]:
    """Where the words and the data disagree, one caveat per fact: the customer's own words ("the customer
    describes") apart from what the pasted text only mentions (a quoted article, an agent's answer)."""
    out = []
    pri = priors()
    adv = advice()
    said = [s for s in dict.fromkeys(ctx.symptoms) if s in pri.symptoms]
    mentioned = [s for s in dict.fromkeys(ctx.mentioned_symptoms) if s in pri.symptoms and s not in said]
    shown = adv.next_steps[main.kind].phrase
    for words, who in ((said, "The customer describes"), (mentioned, "The pasted text mentions")):
        if not words or main.kind is K.NORMAL:
            continue
        kinds = {k for s in words for k, w in pri.symptoms[s].kinds.items() if w >= 0.1}
        if main.kind not in kinds:
            quoted = ", ".join(f"\u201c{s.replace('_', ' ')}\u201d" for s in words)
            tail = "go by the data, and explain the difference in the reply." if said is words else "go by the data."
            out.append(f"{who} {quoted}, but the calls show {shown}: {tail}")
    if said and main.kind is K.NORMAL:
        out.append("The customer reports a problem, but the latest calls connect: ask for the time of a failed call.")
    customer_codes = _missing_codes(ctx.codes, ex)
    if customer_codes:
        them = "it" if len(customer_codes) == 1 else "them"
        out.append(
            f"The customer mentions {_codes_phrase(customer_codes)}, but none of the attempts here returned {them}."
        )
    pasted = [c for c in _missing_codes(ctx.mentioned_codes, ex) if c not in customer_codes]
    if pasted:
        verb = "is" if len(pasted) == 1 else "are"
        them = "it" if len(pasted) == 1 else "them"
        out.append(
            f"{_codes_phrase(pasted)} {verb} mentioned in the pasted text (not the customer's own message); "
            f"none of the attempts here returned {them}."
        )
    return out
