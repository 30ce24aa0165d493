"""Hostile provider responses, for fuzzing the provider clients' parsing (tests/unit/test_provider_parsing.py runs a
few thousand cases with hypothesis; bench/bench_fuzz_providers.py runs 100,000+ with `random`).

Everything is generated from a `random.Random`, so a case is reproduced from its seed. Values are built to break
naive parsing: wrong types, NaN and infinities, huge and negative numbers, dates outside datetime's range, NUL bytes,
deep nesting, next-page links to other hosts, and bodies that are not JSON at all.

The contract under test: the record parser returns an Attempt or raises ValueError for a call it cannot read; a
whole fetch returns a FetchResult or raises a ProviderError. Anything else is an unexpected exception.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any
from urllib.parse import parse_qsl

import httpx

ACCOUNT = "AC" + "0" * 32
DEST = "+13035550199"
CALLER = "+17205550100"
NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)

ODD_STRINGS = [
    "", " ", "x", "\x00", "null", "None", "inf", "-inf", "Infinity", "NaN", "nan", "1e999", "-1e999", "-5", "0", "3.7",
    "603", "603 ", "٦٠٣", "9" * 400, "ä" * 3, "\ud800".encode("utf-8", "surrogatepass").decode("utf-8", "replace"),
    "Mon, 01 Jan 0001 00:00:00 +1400", "Fri, 31 Dec 9999 23:59:59 -1200", "Tue, 24 Nov 2026 06:00:00 +0000",
    "Tue, 24 Nov 2026 06:00:00", "Tue, 31 Feb 2026 06:00:00 +0000", "Tue, 24 Nov 2026 99:99:99 +0000",
    "2026-11-24T06:00:00Z", "yesterday", "Tue, 24 Nov 1900 06:00:00 +0000", "x" * 5000, "../../x", "/", "?",
    "CA" + "0" * 32, "unknown_disconnected_by", "caller", "completed", "failed", "busy", "no-answer", "partial",
]  # fmt: skip
ODD_NUMBERS: list[Any] = [
    0, -1, 1, 2**31, 2**63, -(2**63), 10**30, 10**400, 0.5, -0.0, 1e308, -1e308, float("inf"), float("-inf"),
    float("nan"), True, False, 486, 603, 200, 99, 700,
]  # fmt: skip
LINKS: list[Any] = [
    None, "", 0, False, [], {}, 7, ".attacker.example/x", "0/x", "//attacker.example/x", "https://attacker.example/x",
    "https://api.twilio.com.attacker.example/x", "http://127.0.0.1:9/x", "/x\x00y", "/x\ny", "/x y", "x" * 3000,
    "/2010-04-01/Accounts/AC00/Calls.json?Page=1", "https://insights.twilio.com/v1/Voice/Summaries?Page=1",
]  # fmt: skip


def odd_value(rng: random.Random, depth: int = 0) -> Any:
    roll = rng.random()
    if roll < 0.3:
        return rng.choice(ODD_STRINGS)
    if roll < 0.55:
        return rng.choice(ODD_NUMBERS)
    if roll < 0.65:
        return None
    if roll < 0.8 and depth < 3:
        return [odd_value(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    if depth < 3:
        keys = ["a", "sid", "status", "0", ""]
        return {rng.choice(keys): odd_value(rng, depth + 1) for _ in range(rng.randint(0, 3))}
    return rng.choice(ODD_STRINGS)


def good_call(rng: random.Random, i: int, *, to: str = DEST, frm: str = CALLER) -> dict[str, Any]:
    start = NOW - timedelta(minutes=rng.randint(1, 60 * 24 * 6))
    status = rng.choice(["completed", "busy", "no-answer", "failed", "canceled", "in-progress", "queued"])
    answered = status == "completed"
    return {
        "sid": f"CA{i:032d}",
        "account_sid": ACCOUNT,
        "to": to,
        "from": frm,
        "status": status,
        "start_time": format_datetime(start),
        "date_created": format_datetime(start),
        "end_time": format_datetime(start + timedelta(seconds=rng.randint(0, 200))),
        "duration": str(rng.randint(0, 300)) if answered else "0",
        "answered_by": rng.choice([None, "human", "machine_start"]),
        "direction": "outbound-api",
    }


def good_summary(rng: random.Random, sid: str) -> dict[str, Any]:
    return {
        "call_sid": sid,
        "account_sid": ACCOUNT,
        "processing_state": rng.choice(["complete", "partial"]),
        "duration": rng.randint(0, 200),
        "connect_duration": rng.choice([None, rng.randint(0, 100)]),
        "answered_by": "unknown",
        "to": {"carrier": "Verizon Wireless", "connection": "mobile"},
        "properties": {
            "last_sip_response_num": rng.choice([200, 486, 603, 608, 480]),
            "pdd_ms": rng.randint(0, 5000),
            "disconnected_by": "callee",
            "q850_cause": rng.choice([None, 16, 21]),
        },
    }


def mutate(rng: random.Random, record: dict[str, Any], rate: float = 0.35) -> Any:
    """Replace, drop or add fields; now and then the whole record becomes something else."""
    if rng.random() < 0.04:
        return odd_value(rng)
    out = dict(record)
    for key in list(out):
        roll = rng.random()
        if roll < rate / 2:
            out[key] = odd_value(rng)
        elif roll < rate:
            del out[key]
        elif isinstance(out[key], dict) and roll < rate * 1.5:
            out[key] = mutate(rng, out[key], rate)
    if rng.random() < 0.1:
        out[rng.choice(["properties", "to", "extra", "sid"])] = odd_value(rng)
    return out


def odd_record_case(rng: random.Random, i: int = 1) -> tuple[Any, Any, Any]:
    """(call, summary, notifications) for the record parser."""
    call = mutate(rng, good_call(rng, i))
    sid = call.get("sid") if isinstance(call, dict) else None
    summary = mutate(rng, good_summary(rng, sid if isinstance(sid, str) else "CA1")) if rng.random() < 0.6 else None
    notes: Any = None
    if rng.random() < 0.4:
        notes = [mutate(rng, {"log": "0", "error_code": "21215"}) for _ in range(rng.randint(0, 3))]
        notes = [n for n in notes if isinstance(n, dict)]
    return call, summary, notes


def deep(rng: random.Random) -> bytes:
    n = rng.choice([70, 1000, 100_000])
    return (b"[" * n + b"]" * n) if rng.random() < 0.5 else (b'{"a":' * n + b"1" + b"}" * n)


def raw_body(rng: random.Random) -> bytes:
    """A body that is not a JSON document the client expects."""
    return rng.choice(
        [
            b"",
            b"   ",
            b"not json",
            b"{'calls': None}",
            b'{"calls": [',
            b"\xff\xfe\x00",
            b"1" * 5000,
            b"null",
            b"[]",
            b'"calls"',
            b'{"calls": {"0": 1}}',
            deep(rng),
            json.dumps({"calls": [odd_value(rng)]}).encode(),
        ]
    )


class HostileTwilio:
    """A MockTransport handler: every Twilio endpoint a lookup reads, answering with mutated or hostile bodies."""

    def __init__(self, rng: random.Random, *, hostility: float = 0.5) -> None:
        self.rng = rng
        self.hostility = hostility  # the chance that a response is mutated at all
        self.calls = [good_call(rng, i) for i in range(rng.randint(0, 6))]
        self.calls += [good_call(rng, 100 + i, to=f"+1720555{150 + i:04d}") for i in range(rng.randint(0, 4))]

    def _status(self) -> httpx.Response | None:
        rng = self.rng
        if rng.random() > self.hostility * 0.3:
            return None
        status = rng.choice([400, 401, 403, 404, 429, 500, 502, 503, 504, 302, 204, 418])
        headers = {"Retry-After": str(rng.choice(["0", "1", "-5", "soon", "Wed, 21 Oct 2015 07:28:00 GMT", "1e9"]))}
        body = rng.choice([raw_body(rng), json.dumps(mutate(rng, {"code": 20003, "message": "x"})).encode()])
        return httpx.Response(status, content=body, headers=headers)

    def _json(self, body: Any) -> httpx.Response:
        rng = self.rng
        if rng.random() < self.hostility * 0.15:
            return httpx.Response(200, content=raw_body(rng))
        try:
            data = json.dumps(body, allow_nan=True).encode()
        except (ValueError, TypeError):  # a value json cannot write (10**400 is fine, a set is not)
            data = b"{}"
        return httpx.Response(200, content=data)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        rng = self.rng
        failure = self._status()
        if failure is not None:
            return failure
        path = request.url.path
        query = dict(parse_qsl(request.url.query.decode()))
        hostile = rng.random() < self.hostility
        if path.endswith("/Calls.json"):
            to, frm = query.get("To"), query.get("From")
            items: list[Any] = [c for c in self.calls if to in (None, c["to"]) and frm in (None, c["from"])]
            if hostile:
                items = [mutate(rng, c) for c in items] + ([odd_value(rng)] if rng.random() < 0.2 else [])
            page = int(query.get("Page", "0") or 0) if query.get("Page", "0").isdigit() else 0
            link = rng.choice(LINKS) if hostile else None
            if link is None and page == 0 and rng.random() < 0.3:  # a real second page
                link = f"{path}?{request.url.query.decode()}&Page=1&PageToken=PA1"
            body: Any = {"calls": items, "next_page_uri": link, "page": page}
            return self._json(mutate(rng, body, 0.2) if hostile and rng.random() < 0.2 else body)
        if path == "/v1/Voice/Summaries":
            summaries = [good_summary(rng, c["sid"]) for c in self.calls]
            if hostile:
                summaries = [mutate(rng, s) for s in summaries]
            meta: Any = {"next_page_url": rng.choice(LINKS) if hostile else None}
            if hostile and rng.random() < 0.2:
                meta = odd_value(rng)
            return self._json({"call_summaries": summaries, "meta": meta})
        if path.startswith("/v1/Voice/") and path.endswith("/Summary"):
            sid = path.split("/")[3]
            return self._json(mutate(rng, good_summary(rng, sid)) if hostile else good_summary(rng, sid))
        if path.endswith("/Notifications.json"):
            notes: Any = [{"log": "0", "error_code": "21215"}]
            if hostile:
                notes = rng.choice([[mutate(rng, n) for n in notes], odd_value(rng), 7])
            return self._json({"notifications": notes, "next_page_uri": None})
        if path.startswith("/v2/PhoneNumbers/"):
            lti: Any = {"type": "mobile"}
            if hostile:
                lti = rng.choice([mutate(rng, lti), odd_value(rng)])
            return self._json({"line_type_intelligence": lti})
        if path.endswith("/Accounts.json"):
            accounts: Any = [{"sid": ACCOUNT, "status": "active"}, {"sid": "AC" + "2" * 32, "status": "active"}]
            if hostile:
                accounts = [mutate(rng, a) for a in accounts] + [odd_value(rng)]
            return self._json({"accounts": accounts, "next_page_uri": rng.choice(LINKS) if hostile else None})
        return httpx.Response(404, json={"code": 20404, "message": "not found"})


def fetch_case(rng: random.Random, client_factory: Callable[[HostileTwilio], Any], query: Any) -> Any:
    """One whole fetch against a hostile fake; returns the FetchResult or raises what the client raised."""
    fake = HostileTwilio(rng, hostility=rng.choice([0.2, 0.5, 0.9]))
    client = client_factory(fake)
    try:
        return client.fetch(query)
    finally:
        client.close()
