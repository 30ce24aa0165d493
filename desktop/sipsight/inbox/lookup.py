"""The call data behind an Intercom conversation, as one call: `lookup_inbox_case(case, session)`.

It is the core's one entry point, `lookup_case`, with what the conversation gives: intake's case of the customer's
own messages (a destination they name -> the destination lookup), the contact's caller ID (no destination -> the
caller-first lookup: which number did they mean?) or, without one, the provider sub-account SID its attribute holds
(the caller-first lookup over every call of that sub-account), and the customer's words and name for the
diagnosis. The GUI's link paste, `sipsight lookup LINK` and `sipsight note` all look a conversation up through it,
so they agree.
`provenance` says where the destination and the caller ID came from (the JSON's `inbox` object)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sipsight.core.errors import InputError
from sipsight.core.lookup import CancelToken, Session, lookup_case
from sipsight.core.models import DiagnosisContext, LookupResult
from sipsight.inbox.models import InboxCase

DEFAULT_WINDOW = timedelta(days=7)


@dataclass(frozen=True)
class CaseLookup:
    """What was looked up for the conversation: the result, or why there is none (`needed`)."""

    result: LookupResult | None
    needed: str | None = None  # what the conversation lacks for a lookup, and what to do about it


def caller_first_needed(case: InboxCase) -> str:
    return ("The conversation names neither the number the customer was calling nor their caller ID: ask the "
            "customer which number they were calling, or name the contact attribute that holds their caller ID.")


def subaccount(case: InboxCase) -> tuple[str, str] | None:
    """(the sub-account SID, where it came from) when the contact gives a sub-account and no caller ID."""
    caller = case.caller_id
    if caller is None or caller.e164 or not caller.subaccount_sid:
        return None
    where = caller.source.removeprefix("sub-account SID (").removesuffix(")")  # "company X attribute name"
    return caller.subaccount_sid, f"from the {where}"


def diagnosis_context(case: InboxCase, *, now: datetime | None = None) -> DiagnosisContext:
    """What the customer said (and what others only mentioned), and their name for the greeting."""
    return DiagnosisContext.from_case(case.case, now=now, customer_name=case.contact_name or case.case.customer)


def contact_caller_id(case: InboxCase) -> str | None:
    """The caller ID the contact gives (a named attribute, or the customer's own words); never the contact's phone,
    which is a candidate only."""
    caller = case.caller_id
    return caller.e164 if caller is not None else None


def lookup_inbox_case(
    case: InboxCase,
    session: Session,
    *,
    tz: str = "UTC",
    since: datetime | None = None,
    until: datetime | None = None,
    caller_id: str | None = None,
    cancel: CancelToken | None = None,
    now: datetime | None = None,
) -> CaseLookup:
    """Look up the conversation's calls through a provider session (`providers.open_provider`): `lookup_case` with
    the conversation's case and the contact's caller ID. `caller_id`: one the agent typed, which wins."""
    start = since or (now or datetime.now(UTC)) - DEFAULT_WINDOW
    account = subaccount(case)
    try:
        result = lookup_case(
            session,
            case.case,
            caller_id=caller_id,
            contact_caller_id=contact_caller_id(case),
            account_sid=account[0] if account else None,
            account_source=account[1] if account else None,
            since=start,
            until=until,
            context=diagnosis_context(case, now=now),
            cancel=cancel,
            tz=tz,
        )
    except InputError as err:
        if account is not None:  # the provider cannot read the sub-account (not Twilio's): say so, in its words
            return CaseLookup(result=None, needed=f"{err.message} {err.hint}".strip())
        return CaseLookup(result=None, needed=caller_first_needed(case))  # neither a destination nor a caller ID
    return CaseLookup(result=result)


def provenance(case: InboxCase, result: LookupResult, *, caller_id: str | None = None) -> dict[str, Any]:
    """Where the lookup's numbers came from: the destination from the conversation or the caller-first ranking, the
    caller ID typed, from the conversation, from the contact (its attribute) or inferred from the calls."""
    read = case.case.caller_id.e164 if case.case.caller_id is not None else None
    used = result.caller_id or result.query.caller_id
    contact = case.caller_id
    caller_source: str | None
    if caller_id:
        caller_source = "given"
    elif used and used == read:
        caller_source = "conversation"
    elif used and contact is not None and used == contact.e164:
        caller_source = contact.source
    elif result.destination_source == "caller_ranking" and (account := subaccount(case)):
        calls = f"the calls of sub-account {account[0]} ({account[1]})"  # the lookup read that sub-account's calls
        caller_source = f"inferred from {calls}" if used else calls
    elif used and result.destination_source == "caller_ranking":
        caller_source = "the demo customer's caller ID" if result.demo else "the session's caller ID"
    else:
        caller_source = "inferred from the calls" if used else None
    destination_source = "caller_ranking" if result.destination_source == "caller_ranking" else "conversation"
    return {
        "conversation_id": case.conversation_id,
        "link": case.link,
        "contact": case.contact_name,
        "destination_source": destination_source if result.query.destination else None,
        "caller_id_source": caller_source,
        "notes": list(case.notes),
    }
