"""Attempts in, LookupResult out: classify -> diagnose -> replies.

The one place the steps are glued together, so `sipsight diagnose` (attempts from a file), the
providers' lookup and the GUI worker all produce the same result from the same attempts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sipsight.core.callers import infer_caller_id
from sipsight.core.models import Attempt, DataProfile, DiagnosisContext, Evidence, LookupResult, Query, Replies

if TYPE_CHECKING:
    from sipsight.core.lookup._caller import CallerSource
    from sipsight.core.lookup.candidates import Ranking


def derive_data_profile(attempts: Sequence[Attempt], caller_attempts: Sequence[Attempt]) -> DataProfile:
    """What the attempts themselves can show, for results whose provider did not say."""
    both = [*attempts, *caller_attempts]
    return DataProfile(
        has_sip_codes=any(a.sip_code is not None for a in both),
        has_answered_by=any(a.answered_by for a in both),
        has_caller_history=bool(caller_attempts),
        partial_summaries=sum(1 for a in both if a.insights_state == "partial"),
    )


def analyse(
    query: Query,
    attempts: Sequence[Attempt],
    caller_attempts: Sequence[Attempt] = (),
    *,
    provider: str,
    data: DataProfile | None = None,
    context: DiagnosisContext | None = None,
    tz: str = "UTC",
    ranking: Ranking | None = None,
    caller_source: CallerSource = "given",
    **meta: Any,  # LookupResult fields of several types, checked by LookupResult itself
) -> LookupResult:
    """Classify both lists, diagnose, and render the replies into `result.replies`.

    `meta` carries LookupResult fields the caller knows (profile, demo, scenario, caller_id,
    line_type, request_count, elapsed_s). The caller ID defaults to the query's, then to the
    caller ID most of the attempts came from (`infer_caller_id`). `ranking`: the destination was chosen by a
    caller-first ranking (whose caller ID `caller_source` says); the diagnosis then says so, first in its evidence
    and its caveats, and the result carries the candidates.
    """
    from sipsight.core.diagnosis import diagnose
    from sipsight.core.knowledge import classify_all  # the knowledge base loads on first use, not on import
    from sipsight.core.replies import render_customer, render_internal_note
    from sipsight.core.timezones import zone as zone_of

    zone_of(tz)  # a bad time zone is a usage error before any work is done
    ordered = sorted(classify_all(attempts), key=lambda a: a.start_time)
    others = sorted(classify_all(caller_attempts), key=lambda a: a.start_time)
    profile = data if data is not None else derive_data_profile(ordered, others)
    ctx = context.model_copy() if context is not None else DiagnosisContext()
    if ctx.data is None:
        ctx = ctx.model_copy(update={"data": profile})
    if ctx.provider is None:
        ctx = ctx.model_copy(update={"provider": provider})
    diagnosis = diagnose(ordered, others, ctx)
    if ranking is not None and ranking.candidates:
        from sipsight.core.lookup._caller import chosen_lines, chosen_message

        evidence, caveat = chosen_lines(ranking, caller_source)
        ids = [a.id for a in ordered][-25:]
        diagnosis = diagnosis.model_copy(
            update={
                "evidence": [Evidence(text=evidence, attempt_ids=ids, weight=0.0), *diagnosis.evidence],
                "caveats": [caveat, *diagnosis.caveats],
            }
        )
        meta |= {
            "destination_source": "caller_ranking",
            "candidates": ranking.candidates,
            "message": chosen_message(ranking, caller_source),
        }
    caller_id = meta.pop("caller_id", None) or query.caller_id or infer_caller_id(ordered)
    known = set(LookupResult.model_fields)
    unknown = sorted(set(meta) - known)
    if unknown:
        raise TypeError(f"analyse() got unknown LookupResult fields: {', '.join(unknown)}")
    result = LookupResult(
        query=query,
        provider=provider,
        caller_id=caller_id,
        attempts=ordered,
        caller_attempts=others,
        data=profile,
        diagnosis=diagnosis,
        **meta,
    )
    result.replies = Replies(customer=render_customer(result, tz, ctx), internal_note=render_internal_note(result, tz))
    return result
