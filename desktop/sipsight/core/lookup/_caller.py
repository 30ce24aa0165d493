"""Caller-first lookups, and the one entry point the faces call with a Case.

`lookup_case(session, case, ...)` decides: a destination (typed, or read from the conversation) -> the destination
lookup; only the customer's caller ID (typed, read from the conversation, or the contact's: the inbox's, the demo
session's) -> a caller-first lookup; neither -> an InputError saying what to give.

`run_caller_lookup` fetches every call of the caller ID in the window (the provider's `fetch_caller`), ranks the
numbers (candidates.py), and when one clearly stands out diagnoses it from the calls already fetched, split into
this number's and the others': no second round of requests. With a sub-account SID instead (the inbox contact's
attribute: a sub-account's calls are the caller's calls), it is every call of that sub-account, whatever number it
came from, and the chosen number's caller ID is the one most of its calls came from (`core.callers`).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any, Literal, cast

from sipsight.core.callers import infer_caller_id
from sipsight.core.errors import InputError
from sipsight.core.lookup.candidates import CustomerWords, Ranking, rank_candidates
from sipsight.core.lookup.provider_api import CancelToken, FetchResult, Provider, Session
from sipsight.core.models import (
    Attempt,
    CallerQuery,
    Case,
    DataProfile,
    DiagnosisContext,
    LookupResult,
    Query,
    TimeHint,
)

CallerSource = Literal["given", "conversation", "contact", "subaccount"]
_WHOSE: dict[str, str] = {
    "given": "the caller ID given",
    "conversation": "the caller ID in the conversation",
    "contact": "the customer's caller ID, from their contact",
    "subaccount": "the customer's sub-account",
}
SHOWN_IN_MESSAGE = 3  # candidates a "nothing stands out" message names


def split_session(session_or_provider: Session | Provider) -> tuple[Session | None, Provider]:
    """A ProviderSession wraps its provider; a bare provider has none."""
    if hasattr(session_or_provider, "provider"):
        session = cast(Session, session_or_provider)  # hasattr narrows only the other branch
        return session, session.provider
    return None, session_or_provider


def session_meta(session: Session | None) -> dict[str, Any]:
    return {
        "profile": session.profile if session else None,
        "demo": bool(session.demo) if session else False,
        "scenario": session.scenario if session else None,
    }


def run_caller_lookup(
    session_or_provider: Session | Provider,
    query: CallerQuery,
    *,
    context: DiagnosisContext | None = None,
    time_hints: Iterable[TimeHint] = (),
    cancel: CancelToken | None = None,
    tz: str = "UTC",
    caller_source: CallerSource = "given",
    account_source: str | None = None,
) -> LookupResult:
    """Which number did they mean? Fetch the caller ID's (or the sub-account's) calls, rank the numbers, diagnose
    the one that stands out. `account_source`: where the sub-account SID came from ("contact attribute ...")."""
    session, provider = split_session(session_or_provider)
    started = time.monotonic()
    fetched: FetchResult = provider.fetch_caller(query, cancel)
    if cancel is not None:
        cancel.raise_if_cancelled()
    result = analyse_caller(
        query,
        fetched.caller_attempts,
        provider=provider.name,
        data=fetched.data,
        context=context,
        time_hints=time_hints,
        tz=tz,
        caller_source=caller_source,
        account_source=account_source,
        request_count=fetched.request_count,
        **session_meta(session),
    )
    return result.model_copy(update={"elapsed_s": time.monotonic() - started})


def analyse_caller(
    query: CallerQuery,
    calls: Sequence[Attempt],
    *,
    provider: str,
    data: DataProfile | None = None,
    context: DiagnosisContext | None = None,
    time_hints: Iterable[TimeHint] = (),
    tz: str = "UTC",
    caller_source: CallerSource = "given",
    account_source: str | None = None,
    **meta: Any,  # LookupResult fields the caller knows (profile, demo, scenario, request_count)
) -> LookupResult:
    """Rank the destinations of one caller ID's (or one sub-account's) `calls`; diagnose the one that stands out
    (from the same calls)."""
    from sipsight.core.knowledge import classify_all
    from sipsight.core.lookup._analyse import analyse
    from sipsight.core.timezones import zone

    zone(tz)  # a bad time zone is a usage error before any work is done
    classified = classify_all(calls)
    now = context.now if context is not None and context.now is not None else datetime.now(UTC)
    words = CustomerWords.from_context(context, time_hints)
    ranking = rank_candidates(classified, words=words, now=now, tz=tz, caller_id=query.caller_id)
    if query.account_sid and not query.caller_id:
        where = f" ({account_source})" if account_source else ""
        ranking = dataclasses.replace(ranking, calls_of=f"sub-account {query.account_sid}{where}")
        caller_source = "subaccount"
    chosen = ranking.chosen
    if chosen is not None:
        mine = [a for a in classified if a.to == chosen]
        others = [a for a in classified if a.to != chosen]
        caller = query.caller_id or infer_caller_id(mine)  # a sub-account's: the number most of its calls came from
        chosen_query = Query(destination=chosen, caller_id=caller, since=query.since, until=query.until)
        return analyse(
            chosen_query,
            mine,
            others,
            provider=provider,
            data=data,
            context=context,
            tz=tz,
            ranking=ranking,
            caller_source=caller_source,
            **meta,
        )
    return LookupResult(
        query=Query(destination="", caller_id=query.caller_id, since=query.since, until=query.until),
        provider=provider,
        caller_id=query.caller_id,
        caller_attempts=sorted(classified, key=lambda a: a.start_time),
        data=data if data is not None else DataProfile(has_caller_history=bool(classified)),
        destination_source="caller_ranking",
        candidates=ranking.candidates,
        message=no_choice_message(ranking, caller_source),
        **meta,
    )


def _pretty(number: str | None) -> str:
    from sipsight.core.phone import pretty

    return pretty(number) if number else "the caller ID"


def _numbers(ranking: Ranking) -> str:
    return "1 number" if ranking.numbers == 1 else f"{ranking.numbers} numbers"


def _caller(ranking: Ranking, caller_source: CallerSource) -> str:
    """'+1 720-555-0100 (the caller ID in the conversation)', or 'sub-account AC... (contact attribute ...)'."""
    if ranking.calls_of:
        return ranking.calls_of
    return f"{_pretty(ranking.caller_id)} ({_WHOSE[caller_source]})"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def chosen_message(ranking: Ranking, caller_source: CallerSource = "given") -> str:
    top = ranking.candidates[0]
    return (
        f"The customer named no number. {_upper_first(_caller(ranking, caller_source))} called "
        f"{_numbers(ranking)} in the window, and {_pretty(top.number)} clearly stands out: {_lower_first(top.change)}."
    )


def chosen_lines(ranking: Ranking, caller_source: CallerSource = "given") -> tuple[str, str]:
    """The evidence line and the caveat a chosen number's diagnosis carries: it was chosen by the ranking, and the
    agent should confirm it. Diagnosis texts write dates in UTC with the year (they travel into exports)."""
    from sipsight.core.lookup._stories import story_of

    top = ranking.candidates[0]
    story = story_of(ranking.by_number[top.number], "UTC", year=True)
    evidence = (
        f"The customer named no number: {_pretty(top.number)} was chosen from the {_calls(ranking.calls)} of "
        f"{_caller(ranking, caller_source)} to {_numbers(ranking)} in the window, because it clearly stands out: "
        f"{_lower_first(story)}."
    )
    runner_up = ranking.candidates[1].number if len(ranking.candidates) > 1 else None
    caveat = (
        f"The number was chosen by ranking the {'sub-account' if ranking.calls_of else 'caller ID'}'s calls, not "
        f"named by the customer: confirm with them that "
        f"{_pretty(top.number)} is the number they meant"
        + (f" (the next closest was {_pretty(runner_up)})." if runner_up else ".")
    )
    return evidence, caveat


def _calls(n: int) -> str:
    return "1 call" if n == 1 else f"{n} calls"


def no_choice_message(ranking: Ranking, caller_source: CallerSource = "given") -> str:
    caller = _caller(ranking, caller_source)
    if not ranking.candidates:
        return (
            f"The customer named no number, and {caller} made no calls in the window: check the caller ID, widen "
            "the window, or use the account the customer calls from."
        )
    closest = "; ".join(
        f"{_pretty(c.number)} ({_lower_first(c.change)})" for c in ranking.candidates[:SHOWN_IN_MESSAGE]
    )
    if len(ranking.candidates) == 1:
        return (
            f"The customer named no number, and the one number {caller} called does not clearly fit: {closest}. "
            "Ask the customer which number they were calling."
        )
    return (
        f"The customer named no number, and none of the {_numbers(ranking)} {caller} called clearly stands out. "
        f"The closest: {closest}. Ask the customer which number they were calling, then look it up."
    )


def lookup_case(
    session: Session | Provider,
    case: Case,
    *,
    destination: str | None = None,
    caller_id: str | None = None,
    contact_caller_id: str | None = None,
    account_sid: str | None = None,
    account_source: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    context: DiagnosisContext | None = None,
    cancel: CancelToken | None = None,
    tz: str = "UTC",
) -> LookupResult:
    """Look up what the agent pasted (`case`, from intake): the destination lookup when a destination is known, a
    caller-first lookup when only the customer's caller ID is, an InputError when neither is.

    `destination` and `caller_id` are what the agent typed (E.164); they beat what intake read from the conversation.
    Without a destination, the caller ID is the typed one, else the conversation's, else the contact's
    (`contact_caller_id`: the inbox contact's), else the sub-account's calls (`account_sid`, the inbox contact's
    sub-account attribute, `account_source` saying which), else the session's (e.g. the demo scenario's customer).
    A destination lookup uses only a typed or read caller ID: the contact's number need not be the one the dialer
    calls from, and the destination's calls name their caller ID themselves. `context` defaults to the case's words
    (`DiagnosisContext.from_case`); `since` to the last 7 days."""
    from sipsight.core.lookup._run import run_lookup
    from sipsight.core.lookup.window import DEFAULT_WINDOW

    ctx = context if context is not None else DiagnosisContext.from_case(case)
    now = ctx.now or datetime.now(UTC)
    start = since or now - DEFAULT_WINDOW
    dest = destination or (case.destination.e164 if case.destination else None)
    read = case.caller_id.e164 if case.caller_id else None
    if dest:
        query = Query(destination=dest, caller_id=caller_id or read, since=start, until=until)
        return run_lookup(session, query, context=ctx, cancel=cancel, tz=tz)
    contact = contact_caller_id or (None if account_sid else getattr(session, "contact_caller_id", None))
    source: CallerSource
    if caller_id:
        caller, source = caller_id, "given"
    elif read:
        caller, source = read, "conversation"
    elif contact:
        caller, source = str(contact), "contact"
    elif account_sid:
        return run_caller_lookup(
            session,
            CallerQuery(account_sid=account_sid, since=start, until=until),
            context=ctx,
            time_hints=case.time_hints,
            cancel=cancel,
            tz=tz,
            caller_source="subaccount",
            account_source=account_source,
        )
    else:
        raise InputError(
            "No phone number found: paste the number the customer was calling, or type it.",
            "Or give the customer's caller ID (the number their dialer calls from) to find which number they meant.",
        )
    return run_caller_lookup(
        session,
        CallerQuery(caller_id=caller, since=start, until=until),
        context=ctx,
        time_hints=case.time_hints,
        cancel=cancel,
        tz=tz,
        caller_source=source,
    )
