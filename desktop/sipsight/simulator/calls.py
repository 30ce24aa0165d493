"""A scenario as the provider would hold it: its calls with absolute UTC times (`SimCall`), materialized
from the scenario file at a given 'now'. The simulator serves these through each provider's API shapes; tests
use `SimCall.to_attempt` to diagnose a scenario without HTTP."""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sipsight.core.models import Attempt
from sipsight.core.scenarios import OtherCalls, Scenario, ScenarioCall, resolve


@dataclass(frozen=True)
class SimCall:
    """A call with absolute UTC times, as the provider holds it (everything the simulator can serve)."""

    sid: str
    start_time: datetime
    end_time: datetime | None
    from_: str
    to: str
    status: str
    duration_s: int | None
    answered_by: str | None
    sip_code: int | None
    sip_reason: str | None
    q850_cause: int | None
    error_code: str | None
    ring_s: float | None
    pdd_ms: int | None
    disconnected_by: str | None
    carrier: str | None
    connection: str | None
    redress_contact: str | None
    processing_state: str

    def to_attempt(self, provider: str = "twilio", insights: bool = True) -> Attempt:
        """The attempt a provider client would build from this call (status only without Insights).

        SignalWire puts the SIP code on every call (sip_result_code) but has nothing like Insights.
        """
        if provider == "signalwire":
            insights = False
        sip_code = self.sip_code if insights or provider == "signalwire" else None
        return Attempt(
            id=self.sid,
            start_time=self.start_time,
            **{"from": self.from_},
            to=self.to,
            provider=provider,
            provider_status=self.status,
            sip_code=sip_code,
            sip_reason=self.sip_reason if insights else None,
            q850_cause=self.q850_cause if insights else None,
            provider_error_code=self.error_code,
            answered_by=self.answered_by,
            duration_s=float(self.duration_s) if self.duration_s is not None else None,
            ring_s=self.ring_s if insights else None,
            pdd_ms=self.pdd_ms if insights else None,
            disconnected_by=self.disconnected_by if insights else None,
            carrier=self.carrier if insights else None,
            line_type=self.connection if insights else None,
            redress_contact=self.redress_contact if insights else None,
            insights_state=self.processing_state if insights else None,
        )


def _sid(prefix: str, *parts: object) -> str:
    # 32 hex chars like a real SID, derived (not random) so a scenario always yields the same SIDs
    return prefix + hashlib.sha256(":".join(map(str, parts)).encode()).hexdigest()[:32]


def _end_time(start: datetime, status: str, ring_s: float | None, duration_s: int | None) -> datetime | None:
    ring = ring_s or 0.0
    if status in ("completed",):
        return start + timedelta(seconds=ring + (duration_s or 0))
    if status in ("busy", "failed", "no-answer", "canceled"):
        return start + timedelta(seconds=ring)
    return None


def _explicit(scenario: Scenario, index: int, call: ScenarioCall, now: datetime) -> SimCall:
    start = now - timedelta(seconds=round(call.minutes_ago * 60))
    sip = call.sip_code
    if sip is None and call.status == "completed" and call.error_code is None:
        sip = 200
    return SimCall(
        sid=_sid("CA", scenario.name, "call", index),
        start_time=start,
        end_time=_end_time(start, call.status, call.ring_s, call.duration_s),
        from_=call.from_ or scenario.caller_id,
        to=call.to or scenario.destination,
        status=call.status,
        duration_s=call.duration_s,
        answered_by=call.answered_by,
        sip_code=sip,
        sip_reason=call.sip_reason,
        q850_cause=call.q850_cause,
        error_code=call.error_code,
        ring_s=call.ring_s,
        pdd_ms=call.pdd_ms,
        disconnected_by=call.disconnected_by,
        carrier=call.carrier,
        connection=call.connection,
        redress_contact=call.redress_contact,
        processing_state=call.processing_state,
    )


# Fictional numbers only: NXX-555-0100..0199 across these area codes.
_AREA_CODES = (
    "303", "720", "719", "970", "512", "214", "469", "602", "480", "702", "305", "407", "813",
    "404", "678", "704", "919", "615", "317", "614", "216", "313", "312", "773", "206", "503",
)  # fmt: skip


def _destinations(series: OtherCalls, rng: random.Random, exclude: set[str]) -> list[str]:
    pool = [f"+1{area}555{n:04d}" for area in _AREA_CODES for n in range(100, 200)]
    pool = [n for n in pool if n not in exclude]
    return rng.sample(pool, min(series.destinations, len(pool)))


def _generated(profile: str, rng: random.Random, series: OtherCalls) -> dict[str, Any]:
    """Fields of one generated call for an outcome profile (times and numbers are set by the caller)."""
    carrier = rng.choice(series.carriers)
    mobile = "mobile" if "Wireless" in carrier or "Mobile" in carrier else rng.choice(["landline", "mobile"])
    base: dict[str, Any] = {
        "carrier": carrier,
        "connection": mobile,
        "pdd_ms": rng.randint(900, 3200),
        "answered_by": None,
        "duration_s": None,
        "sip_reason": None,
        "q850_cause": None,
        "error_code": None,
        "redress_contact": None,
    }
    blocked_carrier = series.blocked_carrier or carrier
    match profile:
        case "human_connected":
            base |= {"status": "completed", "sip_code": 200, "ring_s": rng.uniform(6, 22),
                     "answered_by": "human", "duration_s": rng.randint(45, 420),
                     "disconnected_by": rng.choice(["caller", "callee"])}  # fmt: skip
        case "short_human":
            base |= {"status": "completed", "sip_code": 200, "ring_s": rng.uniform(5, 18),
                     "answered_by": "human", "duration_s": rng.randint(1, 5), "disconnected_by": "callee"}  # fmt: skip
        case "voicemail_rang_out":
            base |= {"status": "completed", "sip_code": 200, "ring_s": rng.uniform(20, 32),
                     "answered_by": "machine_end_beep", "duration_s": rng.randint(18, 40),
                     "disconnected_by": "caller"}  # fmt: skip
        case "fast_voicemail":
            base |= {"status": "completed", "sip_code": 200, "ring_s": rng.uniform(0.8, 3.0),
                     "answered_by": "machine_start", "duration_s": rng.randint(3, 12),
                     "disconnected_by": "caller"}  # fmt: skip
        case "no_answer":
            base |= {"status": "no-answer", "sip_code": 480, "q850_cause": 19, "ring_s": rng.uniform(55, 60),
                     "disconnected_by": "caller"}  # fmt: skip
        case "busy":
            base |= {"status": "busy", "sip_code": 486, "q850_cause": 17, "ring_s": rng.uniform(0.5, 3),
                     "disconnected_by": "callee"}  # fmt: skip
        case "unreachable":
            base |= {"status": "no-answer", "sip_code": 480, "q850_cause": 20, "ring_s": rng.uniform(2, 6),
                     "disconnected_by": "callee"}  # fmt: skip
        case "invalid_number":
            base |= {"status": "failed", "sip_code": 404, "q850_cause": 1, "ring_s": rng.uniform(0.5, 2),
                     "disconnected_by": "callee", "connection": "landline"}  # fmt: skip
        case "canceled":
            base |= {"status": "canceled", "sip_code": 487, "ring_s": rng.uniform(8, 14), "disconnected_by": "caller"}
        case "blocked_608":
            base |= {"status": "failed", "sip_code": 608, "sip_reason": "Rejected", "q850_cause": 21,
                     "ring_s": rng.uniform(0.2, 1.2), "disconnected_by": "callee", "carrier": blocked_carrier,
                     "connection": "mobile", "redress_contact": series.redress_contact}  # fmt: skip
        case "blocked_603plus":
            base |= {"status": "failed", "sip_code": 603, "sip_reason": "Network Blocked", "q850_cause": 21,
                     "ring_s": rng.uniform(0.2, 1.2), "disconnected_by": "callee", "carrier": blocked_carrier,
                     "connection": "mobile", "redress_contact": series.redress_contact}  # fmt: skip
        case "blocked_607":
            base |= {"status": "failed", "sip_code": 607, "sip_reason": "Unwanted", "q850_cause": 21,
                     "ring_s": rng.uniform(3, 9), "disconnected_by": "callee"}  # fmt: skip
        case "carrier_503":
            base |= {"status": "failed", "sip_code": 503, "q850_cause": rng.choice([34, 38, 41]),
                     "ring_s": rng.uniform(0.3, 2), "disconnected_by": "callee"}  # fmt: skip
    return base


def _series(scenario: Scenario, index: int, series: OtherCalls, now: datetime) -> list[SimCall]:
    rng = random.Random(f"{scenario.name}:{index}:{series.seed}")  # string seeds are stable across runs
    caller = series.from_ or scenario.caller_id
    numbers = _destinations(series, rng, {scenario.destination, scenario.caller_id, caller})
    profiles = sorted(series.mix)
    weights = [series.mix[p] for p in profiles]
    span_min = series.over_hours * 60
    calls = []
    for i in range(series.count):
        # spread evenly with jitter so the timeline looks like a working day, not a metronome
        offset = series.start_minutes_ago + span_min * (i + rng.uniform(0, 0.9)) / max(series.count, 1)
        start = now - timedelta(seconds=round(offset * 60))
        profile = rng.choices(profiles, weights)[0]
        fields = _generated(profile, rng, series)
        ring = round(fields.pop("ring_s"), 1)
        status = fields.pop("status")
        calls.append(
            SimCall(
                sid=_sid("CA", scenario.name, "other", index, i),
                start_time=start,
                end_time=_end_time(start, status, ring, fields["duration_s"]),
                from_=caller,
                to=numbers[i % len(numbers)] if i < len(numbers) else rng.choice(numbers),
                status=status,
                ring_s=ring,
                processing_state="complete",
                **fields,
            )
        )
    return calls


def materialize(scenario: Scenario | str | None, now: datetime) -> tuple[list[SimCall], list[SimCall]]:
    """(calls to the destination, the caller's other calls), newest first, absolute UTC; same `now` -> same calls."""
    scenario = resolve(scenario)
    now = (now.replace(tzinfo=UTC) if now.tzinfo is None else now.astimezone(UTC)).replace(microsecond=0)
    explicit = [_explicit(scenario, i, call, now) for i, call in enumerate(scenario.calls)]
    generated = [c for i, s in enumerate(scenario.other_calls) for c in _series(scenario, i, s, now)]
    calls = explicit + generated
    dest = [c for c in calls if c.to == scenario.destination and c.from_ == scenario.caller_id]
    other = [c for c in calls if not (c.to == scenario.destination and c.from_ == scenario.caller_id)]
    newest_first = lambda c: (c.start_time, c.sid)  # noqa: E731
    return sorted(dest, key=newest_first, reverse=True), sorted(other, key=newest_first, reverse=True)


