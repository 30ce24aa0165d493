"""The call data behind an Intercom conversation's note, as one call: `lookup_inbox_case(case, session)`.

Today it is a destination lookup: the number the customer was calling (intake's destination, read from their own
messages) with the caller ID the contact gives (a named attribute, or the customer's own words). When the
conversation names no destination (the origin ticket: "the seller", no number), the lookup that is needed is the
caller-first one (the caller ID's recent calls, then the failing number among them); `CaseLookup.needed` says so.
When that lookup lands (core/lookup), this module's one call becomes it: nothing else changes for the faces."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sipsight.core.lookup import CancelToken, Session, run_lookup
from sipsight.core.models import DiagnosisContext, LookupResult, Query
from sipsight.inbox.models import InboxCase

DEFAULT_WINDOW = timedelta(days=7)


@dataclass(frozen=True)
class CaseLookup:
    """What was looked up for the conversation: the result, or why there is none (`needed`)."""

    result: LookupResult | None
    query: Query | None = None
    needed: str | None = None  # the lookup the conversation needs and this one could not do


def caller_first_needed(case: InboxCase) -> str:
    caller = case.caller_id
    if caller is not None and (caller.e164 or caller.subaccount_sid):
        return (f"The conversation names no number the customer was calling: the call data has to be found from "
                f"the caller ID ({caller.e164 or caller.subaccount_sid}, {caller.source}), with a caller-first "
                "lookup.")
    return ("The conversation names neither the number the customer was calling nor their caller ID: ask the "
            "customer which number they were calling, or name the contact attribute that holds their caller ID.")


def diagnosis_context(case: InboxCase, *, now: datetime | None = None) -> DiagnosisContext:
    """What the customer said (and what others only mentioned), and their name for the greeting."""
    return DiagnosisContext.from_case(case.case, now=now, customer_name=case.contact_name or case.case.customer)


def lookup_inbox_case(
    case: InboxCase,
    session: Session,
    *,
    tz: str = "UTC",
    since: datetime | None = None,
    cancel: CancelToken | None = None,
    now: datetime | None = None,
) -> CaseLookup:
    """Look up the conversation's calls through a provider session (`providers.open_provider`)."""
    destination = case.case.destination
    if destination is None:
        return CaseLookup(result=None, needed=caller_first_needed(case))
    caller = case.caller_id
    start = since or (now or datetime.now(UTC)) - DEFAULT_WINDOW
    query = Query(destination=destination.e164, caller_id=caller.e164 if caller else None, since=start)
    result = run_lookup(session, query, context=diagnosis_context(case, now=now), cancel=cancel, tz=tz)
    return CaseLookup(result=result, query=query)
