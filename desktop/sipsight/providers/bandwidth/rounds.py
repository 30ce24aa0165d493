"""One Bandwidth lookup's requests, in rounds: 2 requests without Insights, 4 with it, whoever the caller is.

  round 1, concurrently: the Voice API's calls to the destination (`to`, and `from` when the caller ID is given) and
           Insights' records of the same calls (`calledNumber`, `callingNumber`); when the caller ID is known, its
           calls (`from`) and its Insights records (`callingNumber`) too.
  round 2: when the caller ID had to be inferred (the most frequent `from` of the destination's calls), its two
           requests, started as soon as the destination's calls are in.

A caller-first lookup (`execute_caller`) is the caller ID's two requests alone: 1 without Insights, 2 with it.

The Voice API filters by number on the server and gives up to 10,000 calls a request, so each list is one request
(a list past 10,000 calls goes on from the newest start time read). Insights is matched to the Voice calls by call
ID, else by the same numbers within a minute (Insights documents no link to the Voice API's call ID); an Insights
record no Voice call matches (SIP trunking traffic, which the Voice API does not list) becomes an attempt of its own.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from concurrent.futures import Future
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from sipsight.core.callers import infer_caller_id
from sipsight.core.lookup import FetchResult
from sipsight.core.lookup.provider_api import LookupWindow
from sipsight.core.models import Attempt, CallerQuery, DataProfile, Query
from sipsight.core.phone import pretty
from sipsight.providers.bandwidth.records import (
    CallList,
    Record,
    call_to_attempt,
    insights_start,
    insights_to_attempt,
    start_of,
)
from sipsight.providers.errors import AuthFailed, ProviderError
from sipsight.providers.http import Scope

if TYPE_CHECKING:  # the client runs the rounds; the rounds only call its endpoint methods
    from sipsight.providers.bandwidth.client import BandwidthClient

log = logging.getLogger("sipsight.bandwidth")

MATCH_WINDOW_S = 60.0  # an Insights record and a Voice call of the same numbers this close are the same call
RETENTION_DAYS = 7  # the Voice API keeps calls for 7 days after hangup (bandwidth.yml listCalls)


def _key(to: object, frm: object) -> tuple[str, str]:
    return (str(to or "").strip(), str(frm or "").strip())


class LookupRounds:
    """One lookup's state; lives only for the duration of `BandwidthClient.fetch`."""

    def __init__(self, client: BandwidthClient, scope: Scope, query: LookupWindow) -> None:
        self.c = client
        self.scope = scope
        self.q = query
        self.caveats: list[str] = []
        self.insights_error: ProviderError | None = None
        self.insights_read = False  # Insights answered at least once
        self.insights_only = 0  # attempts that came from Insights alone

    # starting requests -----------------------------------------------------

    def _start(self, *, to: str | None, from_: str | None) -> tuple[Future[CallList], Future[CallList] | None]:
        calls = self.scope.submit(partial(self.c.list_calls, self.scope, self.q, to=to, from_=from_))
        insights = None
        if self.c.insights:
            q = self.q
            limit = q.max_calls if isinstance(q, CallerQuery) else (q.max_attempts if to else q.max_caller_attempts)
            job = partial(self.c.list_insights, self.scope, self.q, called=to, calling=from_, limit=limit * 2)
            insights = self.scope.submit(job)
        return calls, insights

    def _collect(self, futures: tuple[Future[CallList], Future[CallList] | None]) -> tuple[CallList, CallList]:
        calls_fut, insights_fut = futures
        calls = self.scope.collect([calls_fut])[0]
        if isinstance(calls, ProviderError):
            raise calls  # without the call list there is no lookup
        insights = CallList()
        if insights_fut is not None:
            got = self.scope.collect([insights_fut])[0]
            if isinstance(got, ProviderError):
                self.insights_error = self.insights_error or got
            else:
                insights, self.insights_read = got, True
        return calls, insights

    # the lookup ------------------------------------------------------------

    def execute_caller(self) -> FetchResult:
        """A caller-first lookup: the caller ID's calls (`from`) and its Insights records (`callingNumber`), one round
        of 1 or 2 requests."""
        q = self.q
        assert isinstance(q, CallerQuery)
        read, insights = self._collect(self._start(to=None, from_=q.caller_id))
        merged, self.insights_only = self._merge(read, insights)
        calls = [a for a in self._window(merged) if a.from_ in (q.caller_id, "")]
        if len(calls) > q.max_calls:
            self.caveats.append(
                f"Only the caller ID's latest {q.max_calls} calls in the window were read; older ones were not ranked."
            )
        calls = calls[: q.max_calls]
        self._reading_caveats(read, "the caller ID's calls")
        self._data_caveats(calls)
        data = DataProfile(
            has_sip_codes=any(a.sip_code is not None for a in calls),
            has_answered_by=False,
            has_caller_history=True,
            provider_caveats=list(self.caveats),
        )
        return FetchResult(caller_attempts=calls, caller_id=q.caller_id, data=data)

    def execute(self) -> FetchResult:
        q = self.q
        assert isinstance(q, Query)  # a caller-first lookup runs execute_caller
        caller = q.caller_id
        pending: list[Future[Any]] = []
        dest_futs = self._start(to=q.destination, from_=caller)
        caller_futs = self._start(to=None, from_=caller) if caller else None
        for group in (dest_futs, caller_futs):
            pending += [f for f in group or () if f is not None]
        try:
            dest_calls, dest_insights = self._collect(dest_futs)
            attempts, only = self._merge(dest_calls, dest_insights)
            attempts = self._window(attempts)
            inferred = False
            if not caller:
                caller = infer_caller_id(attempts[: q.max_attempts])
                inferred = caller is not None
                if caller:
                    caller_futs = self._start(to=None, from_=caller)
                    pending += [f for f in caller_futs if f is not None]
            caller_attempts: list[Attempt] = []
            caller_read = CallList()
            if caller and caller_futs is not None:
                caller_read, caller_insights = self._collect(caller_futs)
                merged, only_c = self._merge(caller_read, caller_insights)
                caller_attempts = [a for a in self._window(merged) if a.to != q.destination]
                only += only_c
        except BaseException:
            for fut in pending:
                fut.cancel()
            raise
        self.insights_only = only
        if len(attempts) > q.max_attempts:
            self.caveats.append(
                f"Only the latest {q.max_attempts} calls to the number in the window were read; older ones were not."
            )
        if len(caller_attempts) > q.max_caller_attempts:
            self.caveats.append(
                f"Only the caller ID's latest {q.max_caller_attempts} calls in the window were compared."
            )
        attempts, caller_attempts = attempts[: q.max_attempts], caller_attempts[: q.max_caller_attempts]
        self._reading_caveats(dest_calls, "calls to the number")
        if caller:
            self._reading_caveats(caller_read, "the caller ID's calls")
        if inferred and caller:
            self.caveats.append(f"The caller ID {pretty(caller)} was inferred: most calls to the number came from it.")
        both = attempts + caller_attempts
        self._data_caveats(both)
        data = DataProfile(
            has_sip_codes=any(a.sip_code is not None for a in both),
            has_answered_by=False,
            has_caller_history=caller is not None,
            provider_caveats=list(self.caveats),
        )
        return FetchResult(attempts=attempts, caller_attempts=caller_attempts, caller_id=caller, data=data)

    # reading ---------------------------------------------------------------

    def _window(self, attempts: list[Attempt]) -> list[Attempt]:
        q = self.q
        kept = [a for a in attempts if a.start_time >= q.since and (q.until is None or a.start_time <= q.until)]
        return sorted(kept, key=lambda a: (a.start_time, a.id), reverse=True)

    def _merge(self, calls: CallList, insights: CallList) -> tuple[list[Attempt], int]:
        """The Voice calls with their Insights records, and the Insights records no call matched as attempts of their
        own; with how many of those there were."""
        by_id: dict[str, Record] = {r["callId"]: r for r in insights.records}
        loose: dict[tuple[str, str], list[Record]] = {}
        for record in insights.records:
            loose.setdefault(_key(record.get("calledNumber"), record.get("callingNumber")), []).append(record)
        used: set[str] = set()
        out: list[Attempt] = []
        for call in calls.records:
            match = by_id.get(call["callId"])
            if match is None:
                match = self._nearest(call, loose.get(_key(call.get("to"), call.get("from")), []), used)
            if match is not None:
                used.add(match["callId"])
            try:
                out.append(call_to_attempt(call, match))
            except ValueError as exc:  # read_call let it through: never expected, but one call must not sink it
                log.warning("a call record could not be read: %s", exc)
        only = 0
        for record in insights.records:
            if record["callId"] in used:
                continue
            try:
                out.append(insights_to_attempt(record))
            except ValueError as exc:
                log.warning("an Insights record could not be read: %s", exc)
                continue
            only += 1
        return out, only

    @staticmethod
    def _nearest(call: Record, candidates: Sequence[Record], used: set[str]) -> Record | None:
        """The unused Insights record of the same numbers that started closest to the call, within a minute."""
        began = start_of(call)
        if began is None:
            return None
        best: tuple[float, Record] | None = None
        for record in candidates:
            if record["callId"] in used:
                continue
            when = insights_start(record)
            if when is None:
                continue
            gap = abs((when - began).total_seconds())
            if gap <= MATCH_WINDOW_S and (best is None or gap < best[0]):
                best = (gap, record)
        return best[1] if best is not None else None

    # caveats -----------------------------------------------------------------

    def _reading_caveats(self, read: CallList, whose: str) -> None:
        left_out = sum(read.unreadable.values())
        if left_out:
            why = "; ".join(reason for reason, _ in read.unreadable.most_common())
            self.caveats.append(
                f"{left_out} of {read.seen} {whose} could not be read ({why}); "
                f"{'they are' if left_out > 1 else 'it is'} left out."
            )
        if read.stopped is not None:
            self.caveats.append(
                f"The list of {whose} stopped after {read.pages} page{'s' * (read.pages != 1)} "
                f"({read.stopped.message.rstrip('.')}); Bandwidth lists calls oldest first, so the newest calls of "
                "the window may be missing."
            )
        elif read.truncated:
            self.caveats.append(
                f"The list of {whose} holds more calls than SIPSight reads in one lookup ({read.seen:,} read); "
                "Bandwidth lists calls oldest first, so the newest may be missing: narrow the window (--since)."
            )

    def _data_caveats(self, attempts: list[Attempt]) -> None:
        err = self.insights_error
        without = (
            "so there are no SIP codes: outcomes come from each call's disconnectCause, where 'rejected' covers a "
            "person declining and a network block (SIP 603, 607, 608) alike, and 'error' does not say why"
        )
        if not self.c.insights:
            self.caveats.insert(0, f"Bandwidth Insights is not used by this profile, {without}.")
        elif isinstance(err, AuthFailed):
            self.caveats.insert(
                0,
                f"Bandwidth Insights is not enabled for this account (or this API user may not read it), {without}. "
                f"Turn it on in the {self.c.info.console} to see SIP codes and who hung up.",
            )
        elif err is not None:
            self.caveats.insert(0, f"Bandwidth Insights did not answer ({err.message}), {without}.")
        elif self.insights_read:
            missing = sum(1 for a in attempts if a.sip_code is None and "call" in a.raw)
            if missing:
                self.caveats.append(
                    f"{missing} of the calls have no SIP code from Bandwidth Insights (none recorded, or not matched "
                    "to its record); their outcome comes from the disconnect cause."
                )
        if any(a.duration_s for a in attempts):
            self.caveats.append(
                "Bandwidth's call records (the Voice API's and Insights') carry no answering-machine result: a short "
                "answered call may be a voicemail greeting or a person."
            )
        if self.insights_only:
            self.caveats.append(
                f"{self.insights_only} calls are known only to Bandwidth Insights (the Voice API does not list them: "
                "SIP trunking traffic, say); their outcome comes from the SIP code alone."
            )
        if any("ring_s" in a.raw.get("derived", ()) for a in attempts):
            self.caveats.append(
                "Ring times are worked out from each call's start, answer and end times, not read from SIP signalling."
            )
        now = self.q.until or datetime.now(UTC)
        if self.q.since < now - timedelta(days=RETENTION_DAYS, hours=1):  # an hour's slack: 'the last 7 days'
            self.caveats.append(
                f"Bandwidth's Voice API keeps calls for {RETENTION_DAYS} days after they end: older calls in the "
                "window are not listed."
            )
