"""Twilio: recent call attempts to a number, with SIP codes from Voice Insights when the account has them.

Request flow of one lookup (docs/providers.md has the budget table):
  round 1, concurrently: Calls.json To=destination [From=caller]; Voice Insights Summaries list for the same
           filter; Lookup v2 line type (if the profile asks); and, when the caller ID is known, the caller's
           Calls.json + Summaries list.
  round 2: when the caller ID had to be inferred (most frequent From of the destination's calls), the caller's
           Calls.json + Summaries list.
  round 3, concurrently and bounded: per-call Summary fetches only for calls the lists lacked; Notifications.json
           per failed call when Voice Insights is off or had nothing for that call.
So a destination with 50 attempts and a caller with 500 more costs 4-5 requests when Insights is on, not 551.
"""

from __future__ import annotations

import email.utils
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any
from urllib.parse import quote, urlsplit

import httpx

from sipsight.core.callers import infer_caller_id
from sipsight.core.lookup import CancelToken, FetchResult
from sipsight.core.models import Attempt, DataProfile, Query
from sipsight.core.phone import pretty
from sipsight.core.privacy import mask_number
from sipsight.providers.errors import AuthFailed, BadResponse, FeatureNotEnabled, NotFound, ProviderError
from sipsight.providers.http import HttpClient, HttpConfig, Scope

log = logging.getLogger("sipsight.twilio")

DEFAULT_HOSTS = {
    "api": "https://api.twilio.com",
    "insights": "https://insights.twilio.com",
    "lookups": "https://lookups.twilio.com",
    "monitor": "https://monitor.twilio.com",
}
FAILED_STATUSES = frozenset({"failed", "busy", "no-answer", "canceled"})
UNFINISHED_STATUSES = frozenset({"queued", "ringing", "in-progress", "initiated"})
MAX_PER_CALL_SUMMARIES = 60  # per-call Summary fetches per lookup, for calls the list lacked (newest first)
MAX_NOTIFICATION_FETCHES = 60  # Notifications.json fetches per lookup when degraded (newest failed calls first)
SUBACCOUNT_CACHE_S = 300.0


@dataclass(frozen=True)
class TwilioCredentials:
    """Basic-auth pair plus the account whose resources we read (an API key SID is not an account)."""

    account_sid: str
    username: str  # API key SID (SK...) or the Account SID itself (auth-token mode)
    secret: str = field(repr=False)

    @classmethod
    def api_key(cls, account_sid: str, key_sid: str, key_secret: str) -> TwilioCredentials:
        return cls(account_sid, key_sid, key_secret)

    @classmethod
    def auth_token(cls, account_sid: str, token: str) -> TwilioCredentials:
        return cls(account_sid, account_sid, token)


def resolve_hosts(hosts: dict[str, str | None] | None = None, base_url: str | None = None) -> dict[str, str]:
    """Hosts for each Twilio service; a base_url override sends every service's paths to one origin."""
    if base_url:
        root = base_url.rstrip("/")
        return dict.fromkeys(DEFAULT_HOSTS, root)
    resolved = dict(DEFAULT_HOSTS)
    for key, value in (hosts or {}).items():
        if value and key in resolved:
            resolved[key] = value if "://" in value else f"https://{value}"
            resolved[key] = resolved[key].rstrip("/")
    return resolved


def rebase(root: str, link: str | None) -> str | None:
    """A next-page link (relative, or absolute on Twilio's own host) pointed at our configured root.

    Keeps regional edges and the base_url override in force across pages.
    """
    if not link:
        return None
    parts = urlsplit(link)
    tail = parts.path + (f"?{parts.query}" if parts.query else "")
    root_path = urlsplit(root).path.rstrip("/")
    if root_path and tail.startswith(root_path + "/"):
        tail = tail[len(root_path) :]
    return root.rstrip("/") + tail


def parse_rfc2822(value: Any) -> datetime | None:
    if not value or not isinstance(value, str):
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@lru_cache(maxsize=8192)
def _parse_cached(value: str) -> datetime | None:
    return parse_rfc2822(value)


def _start_of(call: dict[str, Any]) -> datetime | None:
    """A call's start (queued calls have none yet: their creation time); parsed once per distinct string."""
    for key in ("start_time", "date_created"):
        value = call.get(key)
        if isinstance(value, str) and value:
            parsed = _parse_cached(value)
            if parsed is not None:
                return parsed
    return None


def _int(value: Any) -> int | None:
    try:
        return None if value is None or value == "" else int(float(value))
    except (TypeError, ValueError):
        return None


def _float(value: Any) -> float | None:
    try:
        return None if value is None or value == "" else float(value)
    except (TypeError, ValueError):
        return None


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _in_window(attempt: Attempt, query: Query) -> bool:
    return attempt.start_time >= query.since and (query.until is None or attempt.start_time <= query.until)


class TwilioClient:
    """The Twilio provider; cheap to create, thread-safe, reusable across lookups (one keep-alive client)."""

    name = "twilio"
    label = "Twilio"
    api_prefix = "/2010-04-01"
    has_insights = True

    def __init__(
        self,
        credentials: TwilioCredentials,
        *,
        hosts: dict[str, str | None] | None = None,
        base_url: str | None = None,
        base_url_source: str | None = None,
        subaccounts: str = "this",
        line_type_lookup: bool = False,
        http_config: HttpConfig | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.credentials = credentials
        self.hosts = resolve_hosts(hosts, base_url)
        self.subaccounts = subaccounts
        self.line_type_lookup = line_type_lookup
        # who set the base URL ("SIPSIGHT_TWILIO_BASE_URL", "profile 'lab' base_url"): named when nothing answers there
        override = f"{base_url.rstrip('/')} ({base_url_source})" if base_url and base_url_source else None
        self.http = HttpClient(
            auth=(credentials.username, credentials.secret),
            config=http_config,
            label=self.label,
            transport=transport,
            override=override,
        )
        self._accounts_cache: tuple[float, list[str]] | None = None
        self._lock = threading.Lock()

    def close(self) -> None:
        self.http.close()

    # ------------------------------------------------------------------ URLs

    def _api(self, path: str) -> str:
        return f"{self.hosts['api']}{self.api_prefix}{path}"

    def _calls_url(self, account_sid: str) -> str:
        return self._api(f"/Accounts/{account_sid}/Calls.json")

    # ------------------------------------------------------------------ public API

    def check_connection(self) -> str:
        scope = self.http.scope(budget_s=min(self.http.config.budget_s, 30.0))
        sid = self.credentials.account_sid
        account = scope.get_json(self._api(f"/Accounts/{sid}.json"), what="account")
        if not isinstance(account, dict):
            account = {}
        name = account.get("friendly_name") or sid
        status = account.get("status") or "unknown status"
        summary = f"Connected to {self.label} account '{name}' ({sid[:2]}…{sid[-4:]}, {status})."
        if self.has_insights:
            summary += " " + self._insights_probe(scope)
        return summary

    def _insights_probe(self, scope: Scope) -> str:
        try:
            scope.get_json(
                f"{self.hosts['insights']}/v1/Voice/Summaries",
                {"StartTime": "1h", "PageSize": 1},
                what="Voice Insights",
            )
        except (FeatureNotEnabled, AuthFailed):
            return "Voice Insights Advanced Features: off (lookups show call status, not SIP codes)."
        except ProviderError as err:
            return f"Voice Insights: could not check ({err.message})"
        return "Voice Insights Advanced Features: on (SIP codes available)."

    def fetch(self, query: Query, cancel: CancelToken | None = None) -> FetchResult:
        started = time.monotonic()
        scope = self.http.scope(cancel)
        run = _Run(self, scope, query)
        result = run.execute()
        result.request_count = scope.request_count
        result.elapsed_s = time.monotonic() - started
        log.info(
            "lookup of %s: %d attempts, %d caller attempts, %d requests in %.2f s",
            mask_number(query.destination),
            len(result.attempts),
            len(result.caller_attempts),
            result.request_count,
            result.elapsed_s,
        )
        return result

    # ------------------------------------------------------------------ pieces a run uses

    def accounts(self, scope: Scope) -> list[str]:
        """The account SIDs to search: this one, or it and all its active sub-accounts (cached for 5 minutes)."""
        if self.subaccounts != "all":
            return [self.credentials.account_sid]
        with self._lock:
            cached = self._accounts_cache
        if cached and time.monotonic() - cached[0] < SUBACCOUNT_CACHE_S:
            return cached[1]
        items, _ = scope.paginate(
            self._api("/Accounts.json"),
            {"Status": "active", "PageSize": 1000},
            items_key="accounts",
            next_url=lambda body: rebase(self.hosts["api"], body.get("next_page_uri")),
            limit=5000,
            what="sub-account list",
        )
        sids = [self.credentials.account_sid]
        sids += [a["sid"] for a in items if isinstance(a.get("sid"), str) and a["sid"] not in sids]
        with self._lock:
            self._accounts_cache = (time.monotonic(), sids)
        return sids

    def list_calls(
        self, scope: Scope, account_sid: str, query: Query, *, to: str | None, from_: str | None, limit: int
    ):
        params: dict[str, Any] = {}
        if to:
            params["To"] = to
        if from_:
            params["From"] = from_
        # The spec's parameter is literally named "StartTime>" (on or after, a UTC date); the exact window
        # is applied to the results, since the API filters by whole days.
        params["StartTime>"] = query.since.strftime("%Y-%m-%d")
        if query.until is not None:
            params["StartTime<"] = (query.until + timedelta(days=1)).strftime("%Y-%m-%d")
        params["PageSize"] = max(1, min(1000, limit))
        return scope.paginate(
            self._calls_url(account_sid),
            params,
            items_key="calls",
            next_url=lambda body: rebase(self.hosts["api"], body.get("next_page_uri")),
            limit=limit,
            what="call list",
        )

    def list_summaries(
        self,
        scope: Scope,
        query: Query,
        *,
        to: str | None,
        from_: str | None,
        wanted: set[str] | None,
        limit: int,
        subaccount: str | None = None,
    ) -> dict[str, dict[str, Any]]:
        """Voice Insights summaries by call SID, from the list endpoint (one request covers up to 1000 calls)."""
        params: dict[str, Any] = {}
        if to:
            params["To"] = to
        if from_:
            params["From"] = from_
        params["StartTime"] = _iso(query.since)
        if query.until is not None:
            params["EndTime"] = _iso(query.until)
        params["ProcessingState"] = "all"  # include partial summaries of calls that ended minutes ago
        params["SortBy"] = "start_time"
        if subaccount:
            params["Subaccount"] = subaccount
        params["PageSize"] = max(1, min(1000, limit))
        found: dict[str, dict[str, Any]] = {}
        url: str | None = f"{self.hosts['insights']}/v1/Voice/Summaries"
        page_params: dict[str, Any] | None = params
        for _ in range(5):
            body = _insights(lambda u=url, p=page_params: scope.get_json(u, p, what="Voice Insights call summaries"))
            if not isinstance(body, dict) or not isinstance(body.get("call_summaries"), list):
                raise BadResponse("Twilio sent a Voice Insights page without a 'call_summaries' list.")
            for item in body["call_summaries"]:
                if isinstance(item, dict) and isinstance(item.get("call_sid"), str):
                    found[item["call_sid"]] = item
            meta = body.get("meta") if isinstance(body.get("meta"), dict) else {}
            url = rebase(self.hosts["insights"], meta.get("next_page_url"))
            page_params = None
            if not url or (wanted is not None and wanted <= found.keys()) or len(found) >= limit:
                break
        return found

    def fetch_summary(self, scope: Scope, call_sid: str) -> dict[str, Any] | None:
        try:
            body = _insights(
                lambda: scope.get_json(
                    f"{self.hosts['insights']}/v1/Voice/{call_sid}/Summary",
                    {"ProcessingState": "partial"},  # a partial summary beats none for a call that just ended
                    what="Voice Insights call summary",
                )
            )
        except NotFound:
            return None
        return body if isinstance(body, dict) else None

    def fetch_notifications(self, scope: Scope, account_sid: str, call_sid: str) -> list[dict[str, Any]]:
        body = scope.get_json(
            self._api(f"/Accounts/{account_sid}/Calls/{call_sid}/Notifications.json"),
            {"PageSize": 20},
            what="call notifications",
        )
        items = body.get("notifications") if isinstance(body, dict) else None
        return [n for n in items or [] if isinstance(n, dict)]

    def fetch_line_type(self, scope: Scope, number: str) -> str | None:
        body = scope.get_json(
            f"{self.hosts['lookups']}/v2/PhoneNumbers/{quote(number, safe='')}",
            {"Fields": "line_type_intelligence"},
            what="number lookup",
        )
        info = body.get("line_type_intelligence") if isinstance(body, dict) else None
        return info.get("type") if isinstance(info, dict) and info.get("type") else None

    def to_attempt(self, call: dict[str, Any], summary: dict[str, Any] | None, notes: list[dict] | None) -> Attempt:
        return call_to_attempt(call, summary, notes, provider=self.name)


def _insights(call: Callable[[], Any]) -> Any:
    """Voice Insights answers 403 when Advanced Features is off: that is a missing feature, not bad credentials."""
    try:
        return call()
    except AuthFailed as err:
        if err.status != 403:
            raise
        raise FeatureNotEnabled(
            "Voice Insights Advanced Features is not enabled for this account (HTTP 403).", status=403, code=err.code
        ) from None


def call_to_attempt(
    call: dict[str, Any], summary: dict[str, Any] | None, notes: list[dict[str, Any]] | None, *, provider: str
) -> Attempt:
    """One Twilio Call (+ its Voice Insights summary and notifications) as an Attempt; outcome stays UNKNOWN."""
    summary = summary or None
    props = (summary or {}).get("properties") or {}
    to_party = (summary or {}).get("to") or {}
    start = _start_of(call)
    if start is None:
        raise ValueError(f"call {call.get('sid')} has no start time")
    total = _float((summary or {}).get("duration"))
    connect = _float((summary or {}).get("connect_duration"))
    ring_s = max(0.0, total - (connect or 0.0)) if total is not None else None
    duration = connect if connect is not None else _float(call.get("duration"))
    disconnected = props.get("disconnected_by")
    if isinstance(disconnected, str) and disconnected.startswith("unknown"):
        disconnected = "unknown"
    answered_by = call.get("answered_by") or (summary or {}).get("answered_by") or None
    error_code = _notification_error(notes)
    raw: dict[str, Any] = {"call": call}
    if summary:
        raw["summary"] = summary
    if notes:
        raw["notifications"] = notes
    return Attempt(
        id=str(call.get("sid")),
        start_time=start,
        **{"from": str(call.get("from") or "")},
        to=str(call.get("to") or ""),
        provider=provider,
        provider_status=call.get("status"),
        sip_code=_int(props.get("last_sip_response_num")),
        # Not in the documented summary properties; read when present (the reason phrase marks 603+)
        sip_reason=props.get("last_sip_response_reason") or None,
        redress_contact=props.get("redress_contact") or None,
        q850_cause=_int(props.get("q850_cause")),
        provider_error_code=error_code,
        answered_by=answered_by,
        duration_s=duration,
        ring_s=ring_s,
        pdd_ms=_int(props.get("pdd_ms")),
        disconnected_by=disconnected or None,
        carrier=to_party.get("carrier") or None,
        line_type=to_party.get("connection") or None,
        insights_state=(summary or {}).get("processing_state") if summary else None,
        raw=raw,
    )


def _notification_error(notes: list[dict[str, Any]] | None) -> str | None:
    """The call's error code: the first ERROR-level notification's, else the first one's."""
    if not notes:
        return None
    errors = [n for n in notes if str(n.get("log")) == "0"] or notes
    code = errors[0].get("error_code")
    return str(code) if code not in (None, "") else None


class _Run:
    """One lookup's state; lives only for the duration of `fetch`."""

    def __init__(self, client: TwilioClient, scope: Scope, query: Query) -> None:
        self.c = client
        self.scope = scope
        self.q = query
        self.caveats: list[str] = []
        self.insights_error: ProviderError | None = None
        self.summaries: dict[str, dict[str, Any]] = {}

    # round helpers -------------------------------------------------------

    def _calls_jobs(self, accounts: list[str], *, to: str | None, from_: str | None, limit: int):
        return [
            (lambda sid=sid: self.c.list_calls(self.scope, sid, self.q, to=to, from_=from_, limit=limit))
            for sid in accounts
        ]

    def _summary_jobs(self, accounts: list[str], *, to: str | None, from_: str | None, limit: int):
        if not self.c.has_insights:
            return []
        primary = self.c.credentials.account_sid
        return [
            (
                lambda sid=sid: self.c.list_summaries(
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

    def _merge_calls(self, results: list[Any]) -> tuple[list[dict[str, Any]], bool]:
        calls: list[dict[str, Any]] = []
        more = False
        for res in results:
            if isinstance(res, ProviderError):
                raise res  # without the call list there is no lookup
            items, extra = res
            calls.extend(items)
            more = more or extra
        return calls, more

    def _merge_summaries(self, results: list[Any]) -> None:
        for res in results:
            if isinstance(res, ProviderError):
                self.insights_error = self.insights_error or res
            else:
                self.summaries.update(res)

    # the lookup ------------------------------------------------------------

    def execute(self) -> FetchResult:
        q, c = self.q, self.c
        accounts = c.accounts(self.scope)
        caller = q.caller_id
        submit = self.scope.submit
        # Everything that does not depend on the caller ID starts at once; when the caller ID must be
        # inferred, its queries start as soon as the destination's calls are in, overlapping the rest.
        dest_futs = [
            submit(j) for j in self._calls_jobs(accounts, to=q.destination, from_=caller, limit=q.max_attempts)
        ]
        summ_futs = [
            submit(j) for j in self._summary_jobs(accounts, to=q.destination, from_=caller, limit=q.max_attempts)
        ]
        line_job = c.line_type_lookup and c.has_insights  # Lookup v2 is Twilio-only
        line_fut = submit(lambda: c.fetch_line_type(self.scope, q.destination)) if line_job else None
        caller_futs = [submit(j) for j in self._caller_jobs(accounts, caller)] if caller else []
        pending = [*dest_futs, *summ_futs, *([line_fut] if line_fut else []), *caller_futs]
        try:
            dest_calls, dest_more = self._merge_calls(self.scope.collect(dest_futs))
            dest_calls = self._newest(dest_calls, q.max_attempts)
            inferred = False
            if not caller:
                caller = infer_caller_id(self._attempts(dest_calls, {}))
                inferred = caller is not None
                caller_futs = [submit(j) for j in self._caller_jobs(accounts, caller)] if caller else []
                pending += caller_futs
            self._merge_summaries(self.scope.collect(summ_futs))
            line_type = None
            if line_fut is not None:
                res = self.scope.collect([line_fut])[0]
                if isinstance(res, ProviderError):
                    self.caveats.append(f"The line-type lookup of the number failed ({res.message}).")
                else:
                    line_type = res
            caller_results = self.scope.collect(caller_futs)
        except BaseException:
            for fut in pending:
                fut.cancel()
            raise
        if dest_more:
            self.caveats.append(
                f"Only the latest {q.max_attempts} calls to the number in the window were read; older ones were not."
            )
        caller_calls: list[dict[str, Any]] = []
        if caller:
            n = len(accounts)
            caller_calls, caller_more = self._merge_calls(caller_results[:n])
            self._merge_summaries(caller_results[n:])
            caller_calls = [
                x for x in self._newest(caller_calls, q.max_caller_attempts) if x.get("to") != q.destination
            ]
            if caller_more:
                self.caveats.append(
                    f"Only the caller ID's latest {q.max_caller_attempts} calls in the window were compared."
                )
            if inferred:
                self.caveats.append(
                    f"The caller ID {pretty(caller)} was inferred: most calls to the number came from it."
                )

        notes = self._fill_in(dest_calls, caller_calls)
        attempts = self._attempts(dest_calls, notes)
        caller_attempts = self._attempts(caller_calls, notes)
        # partial summaries are reported as a count, not a caveat: the diagnosis words that caveat itself
        partial = sum(1 for a in attempts + caller_attempts if a.insights_state == "partial")
        data = DataProfile(
            has_sip_codes=any(a.sip_code is not None for a in attempts + caller_attempts),
            has_answered_by=any(a.answered_by for a in attempts + caller_attempts),
            has_caller_history=caller is not None,
            partial_summaries=partial,
            provider_caveats=list(self.caveats),
        )
        return FetchResult(
            attempts=attempts, caller_attempts=caller_attempts, caller_id=caller, data=data, line_type=line_type
        )

    def _caller_jobs(self, accounts: list[str], caller: str) -> list[Callable[[], Any]]:
        limit = self.q.max_caller_attempts
        return self._calls_jobs(accounts, to=None, from_=caller, limit=limit) + self._summary_jobs(
            accounts, to=None, from_=caller, limit=limit
        )

    @staticmethod
    def _newest(calls: list[dict[str, Any]], limit: int) -> list[dict[str, Any]]:
        dated = [(_start_of(x), x) for x in calls]
        dated = [(d, x) for d, x in dated if d is not None]
        dated.sort(key=lambda pair: pair[0], reverse=True)
        seen: set[str] = set()
        out = []
        for _, call in dated:
            if call.get("sid") not in seen:
                seen.add(call.get("sid"))
                out.append(call)
        return out[:limit]

    def _attempts(self, calls: list[dict[str, Any]], notes: dict[str, list[dict[str, Any]]]) -> list[Attempt]:
        out = []
        for call in calls:
            try:
                attempt = self.c.to_attempt(call, self.summaries.get(call.get("sid")), notes.get(call.get("sid")))
            except ValueError as exc:  # one odd record must not sink the lookup
                log.warning("skipped a call record: %s", exc)
                continue
            if _in_window(attempt, self.q):
                out.append(attempt)
        return out

    def _fill_in(self, dest_calls: list[dict[str, Any]], caller_calls: list[dict[str, Any]]) -> dict[str, list]:
        """Round 3: per-call summaries the lists lacked, then Notifications for failed calls still without a code."""
        notes: dict[str, list[dict[str, Any]]] = {}
        finished = [x for x in dest_calls + caller_calls if x.get("status") not in UNFINISHED_STATUSES]
        if self.c.has_insights and self.insights_error is None:
            missing = [x["sid"] for x in finished if x.get("sid") not in self.summaries][:MAX_PER_CALL_SUMMARIES]
            if missing:
                fetched = self.scope.gather(
                    [(lambda sid=sid: self.c.fetch_summary(self.scope, sid)) for sid in missing]
                )
                not_ready = 0
                for sid, res in zip(missing, fetched, strict=True):
                    if isinstance(res, dict):
                        self.summaries[sid] = res
                    elif res is None:
                        not_ready += 1
                    elif isinstance(res, ProviderError):
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
            failed = [x for x in finished if x.get("status") == "failed" and self._sip_of(x.get("sid")) is None][
                :MAX_NOTIFICATION_FETCHES
            ]
            if failed:
                fetched = self.scope.gather(
                    [
                        (lambda x=x: self.c.fetch_notifications(self.scope, self._account_of(x), x["sid"]))
                        for x in failed
                    ]
                )
                lost = 0
                for call, res in zip(failed, fetched, strict=True):
                    if isinstance(res, list):
                        notes[call["sid"]] = res
                    else:
                        lost += 1
                if lost:
                    self.caveats.append(f"The error notifications of {lost} failed calls could not be read.")
        return notes

    def _account_of(self, call: dict[str, Any]) -> str:
        return str(call.get("account_sid") or self.c.credentials.account_sid)

    def _sip_of(self, sid: Any) -> int | None:
        summary = self.summaries.get(sid) or {}
        return _int((summary.get("properties") or {}).get("last_sip_response_num"))

    def _insights_caveat(self) -> None:
        err = self.insights_error
        if err is None:
            return
        if isinstance(err, (FeatureNotEnabled, AuthFailed)):
            self.caveats.insert(
                0,
                "Voice Insights Advanced Features is off for this account, so there are no SIP codes: outcomes come "
                "from the call status, answered_by and the calls' error notifications. "
                "Turn it on in the Twilio Console (Voice > Settings) to see SIP codes.",
            )
        else:
            self.caveats.insert(
                0,
                f"Voice Insights did not answer ({err.message}); outcomes come from the call status and the calls' "
                "error notifications instead of SIP codes.",
            )
