"""One lookup's requests, in rounds, so that 50 attempts to a number and 500 of its caller ID cost 4-5 requests
with Voice Insights on, not 551 (docs/providers.md has the budget):

  round 1, concurrently: Calls.json To=destination [From=caller]; the Voice Insights Summaries list for the same
           filter; Lookup v2 line type (if the profile asks); and, when the caller ID is known, the caller's
           Calls.json + Summaries list.
  round 2: when the caller ID had to be inferred (most frequent From of the destination's calls), the caller's
           Calls.json + Summaries list, started as soon as the destination's calls are in.
  round 3, concurrently and bounded: per-call Summary fetches only for calls the lists lacked; Notifications.json
           per failed call when Voice Insights is off or had nothing for that call.

SignalWire runs the same rounds without the Voice Insights and Lookup steps (`has_insights` False). A caller-first
lookup's rounds (caller_rounds.py) share `Rounds`: the list requests, round 3, the records and the caveats.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from concurrent.futures import Future
from functools import partial
from typing import TYPE_CHECKING, Any

from sipsight.core.callers import infer_caller_id
from sipsight.core.lookup import FetchResult
from sipsight.core.lookup.provider_api import LookupWindow
from sipsight.core.models import Attempt, DataProfile, Query
from sipsight.core.phone import pretty
from sipsight.providers.errors import AuthFailed, FeatureNotEnabled, ProviderError
from sipsight.providers.http import Scope
from sipsight.providers.twilio.records import (
    UNREADABLE_FIELDS,
    CallPage,
    Record,
    Summaries,
    as_int,
    is_sid,
    start_of,
    status_of,
)

if TYPE_CHECKING:  # the client runs the rounds; the rounds only call its endpoint methods
    from sipsight.providers.twilio.client import TwilioClient

log = logging.getLogger("sipsight.twilio")

UNFINISHED_STATUSES = frozenset({"queued", "ringing", "in-progress", "initiated"})
MAX_PER_CALL_SUMMARIES = 60  # per-call Summary fetches per lookup, for calls the list lacked (newest first)
MAX_NOTIFICATION_FETCHES = 60  # Notifications.json fetches per lookup when degraded (newest failed calls first)


def _in_window(attempt: Attempt, query: LookupWindow) -> bool:
    return attempt.start_time >= query.since and (query.until is None or attempt.start_time <= query.until)


def newest(calls: list[Record], limit: int) -> list[Record]:
    """The `limit` newest calls, each SID once (sub-account lists and pages may overlap)."""
    dated = [(start, call) for call in calls if (start := start_of(call)) is not None]
    dated.sort(key=lambda pair: pair[0], reverse=True)
    seen: set[object] = set()
    out: list[Record] = []
    for _, call in dated:
        sid = call.get("sid")
        if sid not in seen:
            seen.add(sid)
            out.append(call)
    return out[:limit]


def merge_calls(results: Sequence[CallPage | ProviderError]) -> CallPage:
    merged = CallPage()
    for res in results:
        if isinstance(res, ProviderError):
            raise res  # without the call list there is no lookup
        merged.add(res)
    return merged


class Rounds:
    """What the rounds of a destination lookup (LookupRounds) and of a caller-first one (caller_rounds.py) share:
    starting the list requests, round 3, turning records into attempts, and the caveats; lives only for the
    duration of one fetch."""

    def __init__(self, client: TwilioClient, scope: Scope, query: LookupWindow) -> None:
        self.c = client
        self.scope = scope
        self.q = query
        self.caveats: list[str] = []
        self.insights_error: ProviderError | None = None
        self.summaries: Summaries = {}
        # what the call lists read: what was left out, and why a list stopped early (the destination's, the caller's)
        self.read_dest = CallPage()
        self.read_caller = CallPage()

    # starting requests -----------------------------------------------------

    def _start_calls(
        self, accounts: list[str], *, to: str | None, from_: str | None, limit: int
    ) -> list[Future[CallPage]]:
        return [
            self.scope.submit(partial(self.c.list_calls, self.scope, sid, self.q, to=to, from_=from_, limit=limit))
            for sid in accounts
        ]

    def _start_summaries(
        self, accounts: list[str], *, to: str | None, from_: str | None, limit: int
    ) -> list[Future[Summaries]]:
        if not self.c.has_insights:
            return []
        primary = self.c.credentials.account_sid
        return [
            self.scope.submit(
                partial(
                    self.c.list_summaries,
                    self.scope,
                    self.q,
                    to=to,
                    from_=from_,
                    wanted=None,
                    limit=limit,
                    subaccount=None if sid == primary else sid,
                )
            )
            for sid in accounts
        ]

    def _merge_summaries(self, results: Sequence[Summaries | ProviderError]) -> None:
        for res in results:
            if isinstance(res, ProviderError):
                self.insights_error = self.insights_error or res
            else:
                self.summaries.update(res)

    def _attempts(self, calls: list[Record], notes: dict[str, list[Record]]) -> list[Attempt]:
        out = []
        for call in calls:
            sid = str(call.get("sid"))
            try:
                attempt = self.c.to_attempt(call, self.summaries.get(sid), notes.get(sid))
            except ValueError as exc:  # one odd record must not sink the lookup; it is counted in a caveat
                log.warning("a call record could not be read: %s", exc)
                self.read_dest.unreadable[UNREADABLE_FIELDS] += 1
                continue
            if _in_window(attempt, self.q):
                out.append(attempt)
        return out

    def data_profile(self, attempts: list[Attempt], has_caller_history: bool) -> DataProfile:
        # partial summaries are reported as a count, not a caveat: the diagnosis words that caveat itself
        return DataProfile(
            has_sip_codes=any(a.sip_code is not None for a in attempts),
            has_answered_by=any(a.answered_by for a in attempts),
            has_caller_history=has_caller_history,
            partial_summaries=sum(1 for a in attempts if a.insights_state == "partial"),
            provider_caveats=list(self.caveats),
        )

    def _reading_caveats(self, attempts: list[Attempt]) -> None:
        """Say what could not be read, instead of letting it look like "no calls"."""
        for read, whose in ((self.read_dest, "calls to the number"), (self.read_caller, "the caller ID's calls")):
            left_out = sum(read.unreadable.values())
            if left_out:
                why = "; ".join(reason for reason, _ in read.unreadable.most_common())
                self.caveats.append(
                    f"{left_out} of {read.seen} {whose} could not be read ({why}); "
                    f"{'they are' if left_out > 1 else 'it is'} left out."
                )
            for pages, why in dict.fromkeys(read.stopped):
                self.caveats.append(
                    f"The list of {whose} stopped after {pages} page{'s' * (pages != 1)} ({why}); the calls on "
                    f"{'those pages' if pages != 1 else 'that page'} are shown, older ones were not read."
                )
        if any("ring_s" in a.raw.get("derived", ()) for a in attempts):
            self.caveats.append(
                "Ring times of unanswered calls are worked out from each call's start and end time (to the second), "
                "not read from SIP signalling."
            )

    def _fill_in(self, dest_calls: list[Record], caller_calls: list[Record]) -> dict[str, list[Record]]:
        """Round 3: per-call summaries the lists lacked, then Notifications for failed calls still without a code."""
        notes: dict[str, list[Record]] = {}
        finished = [x for x in dest_calls + caller_calls if status_of(x) not in UNFINISHED_STATUSES]
        if self.c.has_insights and self.insights_error is None:
            sids: list[str] = [x["sid"] for x in finished if is_sid(x.get("sid"))]
            missing = [sid for sid in sids if sid not in self.summaries][:MAX_PER_CALL_SUMMARIES]
            if missing:
                fetched = self.scope.gather([partial(self.c.fetch_summary, self.scope, sid) for sid in missing])
                not_ready = 0
                for sid, res in zip(missing, fetched, strict=True):
                    if isinstance(res, dict):
                        self.summaries[sid] = res
                    elif res is None:
                        not_ready += 1
                    else:
                        self.insights_error = self.insights_error or res
                if not_ready:
                    self.caveats.append(
                        f"{not_ready} calls have no Voice Insights summary yet (summaries appear about 10 to 30 "
                        "minutes after a call ends); for those, the outcome comes from the call status."
                    )
            unread = sum(1 for x in finished if x.get("sid") not in self.summaries) - len(missing)
            if unread > 0:
                self.caveats.append(f"{unread} of the caller ID's older calls were compared without SIP details.")
        self._insights_caveat()
        if self.c.has_insights:  # SignalWire puts the SIP code on the call itself
            failed = [
                x
                for x in finished
                if status_of(x) == "failed" and is_sid(x.get("sid")) and self._sip_of(x["sid"]) is None
            ][:MAX_NOTIFICATION_FETCHES]
            if failed:
                fetched_notes = self.scope.gather(
                    [partial(self.c.fetch_notifications, self.scope, self._account_of(x), x["sid"]) for x in failed]
                )
                lost = 0
                for call, got in zip(failed, fetched_notes, strict=True):
                    if isinstance(got, list):
                        notes[call["sid"]] = got
                    else:
                        lost += 1
                if lost:
                    self.caveats.append(f"The error notifications of {lost} failed calls could not be read.")
        return notes

    def _account_of(self, call: Record) -> str:
        account = call.get("account_sid")
        return account if is_sid(account) else self.c.credentials.account_sid

    def _sip_of(self, sid: str) -> int | None:
        props = self.summaries.get(sid, {}).get("properties")
        return as_int(props.get("last_sip_response_num"), 100, 699) if isinstance(props, dict) else None

    def _insights_caveat(self) -> None:
        err = self.insights_error
        if err is None:
            return
        if isinstance(err, FeatureNotEnabled | AuthFailed):
            self.caveats.insert(
                0,
                "Voice Insights Advanced Features is off for this account, so there are no SIP codes: outcomes come "
                "from the call status, answered_by and the calls' error notifications. "
                f"Turn it on in the {self.c.info.console} (Voice > Settings) to see SIP codes.",
            )
        else:
            self.caveats.insert(
                0,
                f"Voice Insights did not answer ({err.message}); outcomes come from the call status and the calls' "
                "error notifications instead of SIP codes.",
            )


class LookupRounds(Rounds):
    """One destination lookup's rounds (`TwilioClient.fetch`)."""

    def __init__(self, client: TwilioClient, scope: Scope, query: Query) -> None:
        super().__init__(client, scope, query)
        self.query = query

    def execute(self) -> FetchResult:
        q, c, scope = self.query, self.c, self.scope
        accounts = c.accounts(scope)
        caller = q.caller_id
        limit = q.max_caller_attempts
        # Everything that does not depend on the caller ID starts at once; when the caller ID must be
        # inferred, its queries start as soon as the destination's calls are in, overlapping the rest.
        dest_futs = self._start_calls(accounts, to=q.destination, from_=caller, limit=q.max_attempts)
        summ_futs = self._start_summaries(accounts, to=q.destination, from_=caller, limit=q.max_attempts)
        line_job = c.line_type_lookup and c.has_insights  # Lookup v2 is Twilio-only
        line_fut = scope.submit(partial(c.fetch_line_type, scope, q.destination)) if line_job else None
        caller_calls_futs: list[Future[CallPage]] = []
        caller_summ_futs: list[Future[Summaries]] = []
        if caller:
            caller_calls_futs = self._start_calls(accounts, to=None, from_=caller, limit=limit)
            caller_summ_futs = self._start_summaries(accounts, to=None, from_=caller, limit=limit)
        pending: list[Future[Any]] = [*dest_futs, *summ_futs, *caller_calls_futs, *caller_summ_futs]
        if line_fut is not None:
            pending.append(line_fut)
        try:
            dest_results = scope.collect(dest_futs)
            dest_page = merge_calls(dest_results)
            self.read_dest.add(dest_page)
            dest_calls, dest_more = newest(dest_page.calls, q.max_attempts), dest_page.more
            inferred = False
            if not caller:
                caller = infer_caller_id(self._attempts(dest_calls, {}))
                inferred = caller is not None
                if caller:
                    caller_calls_futs = self._start_calls(accounts, to=None, from_=caller, limit=limit)
                    caller_summ_futs = self._start_summaries(accounts, to=None, from_=caller, limit=limit)
                    pending += [*caller_calls_futs, *caller_summ_futs]
            summ_results = scope.collect(summ_futs)
            self._merge_summaries(summ_results)
            line_type = None
            if line_fut is not None:
                res = scope.collect([line_fut])[0]
                if isinstance(res, ProviderError):
                    self.caveats.append(f"The line-type lookup of the number failed ({res.message}).")
                else:
                    line_type = res
            caller_results = scope.collect(caller_calls_futs)
            caller_summaries = scope.collect(caller_summ_futs)
        except BaseException:
            for fut in pending:
                fut.cancel()
            raise
        if dest_more:
            self.caveats.append(
                f"Only the latest {q.max_attempts} calls to the number in the window were read; older ones were not."
            )
        caller_calls: list[Record] = []
        if caller:
            caller_page = merge_calls(caller_results)
            self.read_caller.add(caller_page)
            caller_more = caller_page.more
            self._merge_summaries(caller_summaries)
            caller_calls = [x for x in newest(caller_page.calls, limit) if x.get("to") != q.destination]
            if caller_more:
                self.caveats.append(f"Only the caller ID's latest {limit} calls in the window were compared.")
            if inferred:
                self.caveats.append(
                    f"The caller ID {pretty(caller)} was inferred: most calls to the number came from it."
                )

        notes = self._fill_in(dest_calls, caller_calls)
        attempts = self._attempts(dest_calls, notes)
        caller_attempts = self._attempts(caller_calls, notes)
        self._reading_caveats(attempts + caller_attempts)
        data = self.data_profile(attempts + caller_attempts, has_caller_history=caller is not None)
        return FetchResult(
            attempts=attempts, caller_attempts=caller_attempts, caller_id=caller, data=data, line_type=line_type
        )
