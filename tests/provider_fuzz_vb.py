"""Hostile Vonage and Bandwidth responses, for fuzzing those clients' parsing (tests/unit/test_vonage.py and
test_bandwidth.py run a few thousand cases with hypothesis; bench/bench_fuzz_providers.py runs 100,000 of each).

Built on tests/provider_fuzz.py (its odd values and `mutate`): good records in each provider's shape, then mutated;
whole fetches against a mock transport that answers with mutated pages, odd statuses and bodies that are not JSON.
The contract is the same: a record becomes an Attempt or is refused with ValueError (only when the provider's
`read_call` refuses it); a fetch ends in a FetchResult or a ProviderError.
"""

from __future__ import annotations

import json
import random
import uuid
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qsl

import httpx

from provider_fuzz import CALLER, DEST, LINKS, NOW, mutate, odd_value, raw_body

ODD_TIMES: list[Any] = [
    "2026-11-24T06:00:00.000Z", "2026-11-24 06:00:00", "2026-11-24T06:00:00+02:00", "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59-12:00", "2026-02-31T06:00:00Z", "2026-11-24T99:99:99Z", "2026-11-24", "2026-11-24T06:00Z",
    "2026-11-24T06:00:00.1234567890Z", "24/11/2026 06:00", "", None, 0, 1e20, "2026-W48-2T06:00:00",
]  # fmt: skip
VONAGE_STATUSES = [
    "completed",
    "busy",
    "rejected",
    "failed",
    "timeout",
    "unanswered",
    "cancelled",
    "started",
    "machine",
]
CAUSES = ["hangup", "busy", "timeout", "cancel", "rejected", "error", "unknown", "account-limit", None]


def _iso(minutes_ago: int, extra_s: int = 0) -> str:
    return (NOW - timedelta(minutes=minutes_ago) + timedelta(seconds=extra_s)).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128)))


def good_vonage_call(rng: random.Random, *, to: str = DEST, frm: str = CALLER) -> dict[str, Any]:
    ago = rng.randint(1, 60 * 24 * 6)
    status = rng.choice(VONAGE_STATUSES)
    call: dict[str, Any] = {
        "_links": {"self": {"href": "/v1/calls/x"}},
        "uuid": _uuid(rng),
        "conversation_uuid": "CON-" + _uuid(rng),
        "to": {"type": "phone", "number": to.lstrip("+")},
        "from": {"type": "phone", "number": frm.lstrip("+")},
        "status": status,
        "direction": "outbound",
        "start_time": _iso(ago),
        "end_time": _iso(ago, rng.randint(0, 200)),
    }
    if status == "completed":
        call |= {"duration": str(rng.randint(0, 150)), "rate": "0.01400000", "price": "0.001", "network": "310260"}
    if rng.random() < 0.3:
        call["detail"] = rng.choice(["restricted", "declined", "cannot_route", "no_detail", "unavailable", "x y"])
    return call


def vonage_record_case(rng: random.Random) -> Any:
    call = mutate(rng, good_vonage_call(rng))
    if isinstance(call, dict) and rng.random() < 0.3:
        call[rng.choice(["start_time", "end_time"])] = rng.choice(ODD_TIMES)
    if isinstance(call, dict) and rng.random() < 0.2:
        call[rng.choice(["to", "from"])] = rng.choice([{"number": odd_value(rng)}, {"type": "sip", "uri": "sip:x"}, 7])
    return call


def good_bandwidth_call(rng: random.Random, *, to: str = DEST, frm: str = CALLER) -> dict[str, Any]:
    ago = rng.randint(1, 60 * 24 * 6)
    cause = rng.choice(CAUSES)
    answered = cause == "hangup"
    return {
        "accountId": "9900000",
        "callId": f"c-{rng.getrandbits(32):08x}-{rng.getrandbits(32):08x}-{_uuid(rng)}",
        "to": to,
        "from": frm,
        "direction": "outbound",
        "state": "disconnected" if cause else rng.choice(["queued", "initiated", "answered"]),
        "enqueuedTime": _iso(ago),
        "startTime": _iso(ago),
        "answerTime": _iso(ago, rng.randint(1, 30)) if answered else None,
        "endTime": _iso(ago, rng.randint(31, 300)) if cause else None,
        "disconnectCause": cause,
        "errorMessage": "Call could not be placed" if cause == "error" else None,
        "errorId": None,
    }


def good_insights(rng: random.Random, call: dict[str, Any] | None = None) -> dict[str, Any]:
    source = call or good_bandwidth_call(rng)
    return {
        "accountId": "9900000",
        "callId": source.get("callId") if isinstance(source.get("callId"), str) else "x",
        "startTime": source.get("startTime"),
        "endTime": source.get("endTime"),
        "duration": rng.randint(0, 300_000),
        "callingNumber": source.get("from"),
        "calledNumber": source.get("to"),
        "callDirection": "OUTBOUND",
        "callResult": rng.choice(["COMPLETE", "INCOMPLETE"]),
        "sipResponseCode": rng.choice([200, 486, 603, 607, 608, 404, -1]),
        "sipResponseDescription": rng.choice(["OK", "Decline", "Network Blocked", "Unknown"]),
        "hangUpSource": rng.choice(["CALLED_PARTY", "CALLING_PARTY", "BANDWIDTH_INTERNAL", "ELSEWHERE"]),
        "postDialDelay": rng.randint(0, 5000),
        "attestationIndicator": rng.choice(["A", "B", "C", None]),
    }


def bandwidth_record_case(rng: random.Random) -> tuple[Any, Any]:
    """(a Voice API call, its Insights record or None), each mutated."""
    good = good_bandwidth_call(rng)
    call = mutate(rng, good)
    if isinstance(call, dict) and rng.random() < 0.3:
        call[rng.choice(["startTime", "enqueuedTime", "answerTime", "endTime"])] = rng.choice(ODD_TIMES)
    insights = mutate(rng, good_insights(rng, good)) if rng.random() < 0.6 else None
    if isinstance(insights, dict) and rng.random() < 0.3:
        insights["sipResponseCode"] = odd_value(rng)
    return call, insights


# --------------------------------------------------------------------------- whole fetches


class _Hostile:
    def __init__(self, rng: random.Random, hostility: float) -> None:
        self.rng = rng
        self.hostility = hostility

    def _status(self) -> httpx.Response | None:
        rng = self.rng
        if rng.random() > self.hostility * 0.3:
            return None
        status = rng.choice([400, 401, 403, 404, 422, 429, 500, 502, 503, 504, 302, 204, 418])
        headers = {"Retry-After": str(rng.choice(["0", "1", "-5", "soon", "Wed, 21 Oct 2015 07:28:00 GMT", "1e9"]))}
        body = rng.choice([raw_body(rng), json.dumps(mutate(rng, {"title": "x", "detail": "y"})).encode()])
        return httpx.Response(status, content=body, headers=headers)

    def _json(self, body: Any, headers: dict[str, str] | None = None) -> httpx.Response:
        if self.rng.random() < self.hostility * 0.15:
            return httpx.Response(200, content=raw_body(self.rng))
        try:
            data = json.dumps(body, allow_nan=True).encode()
        except (ValueError, TypeError):
            data = b"{}"
        return httpx.Response(200, content=data, headers=headers or {})


class HostileVonage(_Hostile):
    """GET /v1/calls answering with mutated pages, odd counts and odd statuses."""

    def __init__(self, rng: random.Random, *, hostility: float = 0.5) -> None:
        super().__init__(rng, hostility)
        self.calls = [good_vonage_call(rng) for _ in range(rng.randint(0, 6))]
        self.calls += [good_vonage_call(rng, to=f"+1720555{150 + i:04d}") for i in range(rng.randint(0, 250))]

    def __call__(self, request: httpx.Request) -> httpx.Response:
        rng = self.rng
        failure = self._status()
        if failure is not None:
            return failure
        query = dict(parse_qsl(request.url.query.decode()))
        index = int(query.get("record_index", "0")) if query.get("record_index", "0").isdigit() else 0
        items: list[Any] = self.calls[index : index + 100]
        hostile = rng.random() < self.hostility
        if hostile:
            items = [mutate(rng, c) for c in items] + ([odd_value(rng)] if rng.random() < 0.2 else [])
        count: Any = rng.choice([len(self.calls), odd_value(rng), 10**9, -3]) if hostile else len(self.calls)
        body: Any = {"count": count, "page_size": 100, "record_index": index, "_embedded": {"calls": items}}
        if hostile and rng.random() < 0.2:
            body = mutate(rng, body, 0.3)
        if hostile and rng.random() < 0.1 and isinstance(body, dict):  # a mutated body may be a list or a scalar
            body["_links"] = {"next": {"href": rng.choice(LINKS)}}
        return self._json(body)


class HostileBandwidth(_Hostile):
    """The Voice API call list and Insights, answering with mutated records, odd totals and odd statuses."""

    def __init__(self, rng: random.Random, *, hostility: float = 0.5) -> None:
        super().__init__(rng, hostility)
        self.calls = [good_bandwidth_call(rng) for _ in range(rng.randint(0, 6))]
        self.calls += [good_bandwidth_call(rng, to=f"+1720555{150 + i:04d}") for i in range(rng.randint(0, 4))]

    def __call__(self, request: httpx.Request) -> httpx.Response:
        rng = self.rng
        failure = self._status()
        if failure is not None:
            return failure
        query = dict(parse_qsl(request.url.query.decode()))
        hostile = rng.random() < self.hostility
        to, frm = query.get("to") or query.get("calledNumber"), query.get("from") or query.get("callingNumber")
        items: list[Any] = [c for c in self.calls if to in (None, c["to"]) and frm in (None, c["from"])]
        if request.url.path.endswith("/voice/calls"):
            records: Any = [good_insights(rng, c) for c in items]
            if hostile:
                records = [mutate(rng, r) for r in records] + ([odd_value(rng)] if rng.random() < 0.2 else [])
            data: Any = {"totalCount": rng.choice([len(records), odd_value(rng)]), "calls": records}
            if hostile and rng.random() < 0.2:
                data = odd_value(rng)
            return self._json({"links": rng.choice(LINKS) if hostile else [], "data": data, "errors": None})
        if hostile:
            items = [mutate(rng, c) for c in items] + ([odd_value(rng)] if rng.random() < 0.2 else [])
        body: Any = items if not (hostile and rng.random() < 0.2) else odd_value(rng)
        link = rng.choice(LINKS) if hostile else None
        return self._json(body, {"Link": f"<{link}>; rel=next"} if isinstance(link, str) and link.isprintable() else {})
