"""Hostile Telnyx and Plivo responses, for fuzzing their parsers (tests/unit/test_telnyx_plivo_parsing.py runs a few
thousand cases with hypothesis; bench/bench_fuzz_providers.py runs 100,000 of each), built on the odd values and
mutations of tests/provider_fuzz.py.

The contracts: a Telnyx leg (its events and detail record) becomes an Attempt, or is refused with ValueError only when
nothing in it dates the call; a Plivo Call object becomes an Attempt, or is refused with ValueError only when
`read_call` refuses it; a whole fetch ends in a FetchResult or a ProviderError. Anything else is unexpected.
"""

from __future__ import annotations

import json
import random
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qsl

import httpx

from provider_fuzz import CALLER, DEST, LINKS, NOW, mutate, odd_value, raw_body

TELNYX_NAMES = ["call.initiated", "call.answered", "call.hangup", "call.machine.detection.ended",
                "call.machine.premium.detection.ended", "call.bridged", "dial"]  # fmt: skip
CAUSES = ["call_rejected", "normal_clearing", "originator_cancel", "timeout", "user_busy", "not_found", "unspecified"]
PLIVO_CAUSES = [
    (4000, "Normal Hangup"), (1000, "Canceled"), (2000, "Invalid Destination Address"),
    (2010, "Destination Out Of Service"), (0, "Unknown"), (3010, "Some Cause"), (4010, "bad_request"),
]  # fmt: skip
PLIVO_SOURCES = ["Caller", "Call recipient", "Plivo", "Carrier", "API Request", "customer", "zentrunk", "x"]


def _iso(rng: random.Random, minutes_back: int) -> str:
    at = NOW - timedelta(minutes=minutes_back, seconds=rng.randint(0, 59))
    return at.strftime("%Y-%m-%dT%H:%M:%S.%fZ") if rng.random() < 0.7 else at.strftime("%Y-%m-%dT%H:%M:%SZ")


def telnyx_event(rng: random.Random, leg: str, to: str = DEST, frm: str = CALLER) -> dict[str, Any]:
    name = rng.choice(TELNYX_NAMES)
    at = _iso(rng, rng.randint(1, 60 * 30))
    payload: dict[str, Any] = {"call_leg_id": leg, "from": frm, "to": to, "start_time": at}
    if name == "call.hangup":
        payload |= {"hangup_cause": rng.choice(CAUSES), "hangup_source": rng.choice(["caller", "callee", "unknown"]),
                    "sip_hangup_cause": rng.choice(["603", "486", "200", "unspecified", "487"])}  # fmt: skip
    elif "detection" in name:
        payload["result"] = rng.choice(["human", "machine", "not_sure", "human_business", "fax_detected"])
    metadata: Any = {"event_type": name, "occurred_at": at, "payload": payload, "record_type": "event"}
    if rng.random() < 0.2:
        metadata = {"data": metadata, "meta": {"attempt": 1}}
    return {"record_type": "call_event", "call_leg_id": leg, "call_session_id": leg, "event_timestamp": at,
            "name": name, "type": "webhook", "metadata": metadata}  # fmt: skip


def telnyx_record(rng: random.Random, leg: str, to: str = DEST, frm: str = CALLER) -> dict[str, Any]:
    back = rng.randint(1, 60 * 24 * 6)
    record: dict[str, Any] = {
        "record_type": "call_control_detail_record", "id": leg, "telnyx_leg_id": leg, "cld": to, "cli": frm,
        "direction": "outbound", "started_at": _iso(rng, back), "finished_at": _iso(rng, max(0, back - 2)),
        "call_sec": rng.choice([0, 0, 12, 300]), "billed_sec": 60,
    }  # fmt: skip
    if rng.random() < 0.2:
        record |= {"hangup_cause": rng.choice(CAUSES), "sip_hangup_cause": rng.choice([486, "603", "x"])}
    return record


def telnyx_leg_case(rng: random.Random) -> tuple[list[Any], list[Any]]:
    """(events, records) of one leg, mutated; now and then of two legs, or not objects at all."""
    leg = "428c31b6-7af4-4bcb-b7f5-5013ef9657c1" if rng.random() < 0.8 else rng.choice(["a" * 64, "x/y", "", "L2"])
    events = [mutate(rng, telnyx_event(rng, leg)) for _ in range(rng.randint(0, 5))]
    records = [mutate(rng, telnyx_record(rng, leg)) for _ in range(rng.randint(0, 2))]
    if rng.random() < 0.1:
        events.append(odd_value(rng))
    return events, records


def plivo_call(rng: random.Random, i: int = 1, to: str = DEST, frm: str = CALLER) -> dict[str, Any]:
    code, name = rng.choice(PLIVO_CAUSES)
    start = NOW - timedelta(minutes=rng.randint(1, 60 * 24 * 6))
    ring = rng.randint(0, 40)
    answered = code in (4000, 4010) and rng.random() < 0.8
    offset = rng.choice(["+05:30", "-07:00", "+00:00", ""])

    def stamp(seconds: int) -> str:
        return (start + timedelta(seconds=seconds)).strftime("%Y-%m-%d %H:%M:%S") + offset

    return {
        "call_uuid": f"00000000-0000-4000-8000-{i:012d}",
        "from_number": frm.lstrip("+") if rng.random() < 0.8 else frm,
        "to_number": to.lstrip("+"),
        "call_direction": "outbound",
        "initiation_time": stamp(0),
        "answer_time": stamp(ring) if answered else rng.choice([None, ""]),
        "end_time": stamp(ring + (rng.randint(1, 300) if answered else 0)),
        "bill_duration": rng.randint(1, 300) if answered else 0,
        "hangup_cause_code": code,
        "hangup_cause_name": name,
        "hangup_source": rng.choice(PLIVO_SOURCES),
        "stir_verification": "Verified",
    }


def plivo_case(rng: random.Random) -> tuple[Any, str]:
    """(call, product) for the Plivo parser."""
    return mutate(rng, plivo_call(rng)), rng.choice(["voice", "voice", "zentrunk"])


class _Hostile:
    """What both hostile fakes share: random error statuses and bodies that are not what the client expects."""

    def __init__(self, rng: random.Random, *, hostility: float = 0.5) -> None:
        self.rng = rng
        self.hostility = hostility

    def _status(self) -> httpx.Response | None:
        rng = self.rng
        if rng.random() > self.hostility * 0.3:
            return None
        status = rng.choice([400, 401, 403, 404, 422, 429, 500, 502, 503, 504, 302, 204, 418])
        wait = rng.choice(["0", "1", "-5", "soon", "nan", "1e9", "Wed, 21 Oct 2015 07:28:00 GMT"])
        headers = {rng.choice(["Retry-After", "x-ratelimit-reset"]): wait}
        body = rng.choice([raw_body(rng), json.dumps({"errors": [mutate(rng, {"code": "10011"})]}).encode()])
        return httpx.Response(status, content=body, headers=headers)

    def _json(self, body: Any) -> httpx.Response:
        if self.rng.random() < self.hostility * 0.15:
            return httpx.Response(200, content=raw_body(self.rng))
        try:
            return httpx.Response(200, content=json.dumps(body, allow_nan=True).encode())
        except (ValueError, TypeError):
            return httpx.Response(200, content=b"{}")

    def _count(self, real: int) -> Any:
        return rng_choice(self.rng, [real, real, 0, -1, 10**12, "3", None, 2.5, float("nan")])


def rng_choice(rng: random.Random, values: list[Any]) -> Any:
    return values[rng.randrange(len(values))]


class HostileTelnyx(_Hostile):
    """/v2/call_events and /v2/detail_records, answering with mutated or hostile pages."""

    def __init__(self, rng: random.Random, *, hostility: float = 0.5) -> None:
        super().__init__(rng, hostility=hostility)
        legs = [f"{i:08d}-0000-4000-8000-000000000000" for i in range(rng.randint(0, 6))]
        self.events = [telnyx_event(rng, leg) for leg in legs for _ in range(rng.randint(1, 4))]
        self.events += [telnyx_event(rng, "99999999-0000-4000-8000-000000000000", to="+17205550150")]
        self.records = [telnyx_record(rng, leg) for leg in legs if rng.random() < 0.7]

    def __call__(self, request: httpx.Request) -> httpx.Response:
        rng = self.rng
        failure = self._status()
        if failure is not None:
            return failure
        hostile = rng.random() < self.hostility
        items: list[Any] = self.events if request.url.path.endswith("/call_events") else self.records
        if hostile:
            items = [mutate(rng, i) for i in items] + ([odd_value(rng)] if rng.random() < 0.2 else [])
        meta: Any = {"total_pages": self._count(max(1, rng.randint(1, 3))), "total_results": self._count(len(items))}
        if hostile and rng.random() < 0.2:
            meta = odd_value(rng)
        body: Any = {"data": items, "meta": meta}
        return self._json(mutate(rng, body, 0.2) if hostile and rng.random() < 0.2 else body)


class HostilePlivo(_Hostile):
    """/v1/Account/{id}/ and /v1/Account/{id}/Call/, answering with mutated or hostile pages."""

    def __init__(self, rng: random.Random, *, hostility: float = 0.5) -> None:
        super().__init__(rng, hostility=hostility)
        self.calls = [plivo_call(rng, i) for i in range(rng.randint(0, 8))]
        self.calls += [plivo_call(rng, 100 + i, to=f"+1720555{150 + i:04d}") for i in range(rng.randint(0, 4))]

    def __call__(self, request: httpx.Request) -> httpx.Response:
        rng = self.rng
        failure = self._status()
        if failure is not None:
            return failure
        hostile = rng.random() < self.hostility
        if not request.url.path.endswith("/Call/"):
            return self._json(mutate(rng, {"name": "x", "timezone": "UTC"}) if hostile else {"name": "x"})
        query = dict(parse_qsl(request.url.query.decode()))
        to, frm = query.get("to_number"), query.get("from_number")
        items: list[Any] = [
            c for c in self.calls if to in (None, c["to_number"]) and (frm is None or frm in c["from_number"])
        ]
        if hostile:
            items = [mutate(rng, c) for c in items] + ([odd_value(rng)] if rng.random() < 0.2 else [])
        meta: Any = {"limit": 20, "offset": query.get("offset"), "next": rng.choice(LINKS) if hostile else None,
                     "total_count": self._count(len(items))}  # fmt: skip
        if hostile and rng.random() < 0.2:
            meta = odd_value(rng)
        body: Any = {"api_id": "x", "meta": meta, "objects": items}
        return self._json(mutate(rng, body, 0.2) if hostile and rng.random() < 0.2 else body)
