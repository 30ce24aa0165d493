"""A caller-first lookup's requests: every call of one caller ID in the window, when the customer named no number.

  round 1, concurrently: Calls.json From=caller (PageSize up to 1000) and the Voice Insights Summaries list for the
           same filter (per account when sub-accounts are searched);
  round 2, concurrently and bounded: per-call Summary fetches only for calls the list lacked, and Notifications.json
           per failed call when Voice Insights is off or had nothing for it (the destination lookup's round 3).

500 calls of the caller ID with Voice Insights cost 2 requests (4 at most, docs/providers.md), as many as the
caller ID's share of a destination lookup: the destination, once chosen by the ranking, is diagnosed from these
calls without another round. SignalWire runs it without the Insights steps.

With a sub-account SID (`CallerQuery.account_sid`) the same two lists are read for that one account, without a From
filter: every call of the sub-account is the caller's, whatever number it came from (the Summaries list with
`Subaccount=`). The parent's credentials read a sub-account's calls; Twilio's 404 for an account they cannot see
becomes `SubaccountNotVisible`.
"""

from __future__ import annotations

from concurrent.futures import Future
from typing import TYPE_CHECKING, Any

from sipsight.core.lookup import FetchResult
from sipsight.core.models import CallerQuery
from sipsight.providers.errors import NotFound, ProviderError
from sipsight.providers.http import Scope
from sipsight.providers.twilio.records import CallPage, Record, Summaries
from sipsight.providers.twilio.rounds import Rounds, merge_calls, newest

if TYPE_CHECKING:
    from sipsight.providers.twilio.client import TwilioClient


class SubaccountNotVisible(NotFound):
    """The sub-account SID is neither the profile's account nor one of its sub-accounts (Twilio answered 404)."""


class CallerRounds(Rounds):
    """One caller-first lookup's rounds (`TwilioClient.fetch_caller`)."""

    def __init__(self, client: TwilioClient, scope: Scope, query: CallerQuery) -> None:
        super().__init__(client, scope, query)
        self.query = query

    def execute(self) -> FetchResult:
        q, scope = self.query, self.scope
        accounts = [q.account_sid] if q.account_sid else self.c.accounts(scope)
        calls_futs = self._start_calls(accounts, to=None, from_=q.caller_id, limit=q.max_calls)
        summ_futs: list[Future[Summaries]] = self._start_summaries(
            accounts, to=None, from_=q.caller_id, limit=q.max_calls
        )
        pending: list[Future[Any]] = [*calls_futs, *summ_futs]
        try:
            call_results = scope.collect(calls_futs)
            summ_results = scope.collect(summ_futs)
        except BaseException:
            for fut in pending:
                fut.cancel()
            raise
        if q.account_sid:
            self._visible(call_results, q.account_sid)
        page = merge_calls(call_results)
        self.read_caller.add(page)
        self._merge_summaries(summ_results)
        calls: list[Record] = newest(page.calls, q.max_calls)
        if page.more:
            whose = "sub-account's" if q.account_sid and not q.caller_id else "caller ID's"
            self.caveats.append(
                f"Only the {whose} latest {q.max_calls} calls in the window were read; older ones were not ranked."
            )
        notes = self._fill_in([], calls)
        attempts = self._attempts(calls, notes)
        self._reading_caveats(attempts)
        return FetchResult(
            caller_attempts=attempts,
            caller_id=q.caller_id,
            data=self.data_profile(attempts, has_caller_history=True),
        )

    def _visible(self, results: list[CallPage | ProviderError], sid: str) -> None:
        """Twilio's 404 for another account's calls, in words: these credentials cannot see that sub-account."""
        for res in results:
            if isinstance(res, NotFound):
                raise SubaccountNotVisible(
                    f"This {self.c.label} profile cannot see sub-account {sid}: Twilio answered that the account "
                    f"was not found (HTTP 404). It is neither the profile's account ({self.c.credentials.account_sid})"
                    " nor one of its sub-accounts.",
                    "Check the SID (the contact's attribute, or --account), or use the profile of the parent account "
                    "that owns it.",
                    provider=self.c.name,
                    status=res.status,
                    code=res.code,
                )
