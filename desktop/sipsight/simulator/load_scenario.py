"""A scenario of a given size, for load tests and the lookup benchmark.

The providers brief's case: 50 attempts to the destination and 500 of the caller ID's other calls, with
Voice Insights on. The test that counts requests and the benchmark that times them must serve the same load.
"""

from __future__ import annotations

from typing import Any, Literal

from sipsight.core.scenarios import Scenario, get_scenario

_PATTERN = [
    {"status": "failed", "sip_code": 608, "ring_s": 1.0},
    {"status": "busy", "sip_code": 486, "ring_s": 3.0},
    {"status": "no-answer", "sip_code": 480, "ring_s": 30.0},
]
# the origin ticket's story at scale: conversations, then every call answered by a machine within 2 s
_CONNECTED = {"status": "completed", "duration_s": 180, "answered_by": "human", "ring_s": 9.0}
_STRAIGHT_TO_VOICEMAIL = {"status": "completed", "duration_s": 8, "answered_by": "machine_start", "ring_s": 1.5}
CONNECTED_BEFORE = 5  # the oldest calls of a "changed" destination, answered by a person


def _destination_call(i: int, n_dest: int, story: str) -> dict[str, Any]:
    if story == "failing":
        return _PATTERN[i % 3]
    return _CONNECTED if i >= n_dest - CONNECTED_BEFORE else _STRAIGHT_TO_VOICEMAIL  # i counts back from now


def big_scenario(n_dest: int = 50, n_other: int = 500, story: Literal["failing", "changed"] = "failing") -> Scenario:
    """The origin ticket's numbers with `n_dest` attempts to the destination (every 90 minutes) and `n_other`
    calls from the same caller ID to 400 other numbers over six days; deterministic. `story`: the destination's
    calls fail with 608, busy and no answer in turn ("failing"), or connected 5 times and then went straight to
    voicemail ("changed": the number a caller-first lookup must find among 400, then diagnose)."""
    base = get_scenario("origin-ticket").model_dump(by_alias=True, exclude_none=True)
    base["name"] = "bench-50-500" if story == "failing" else "bench-50-500-changed"
    base["calls"] = [{"minutes_ago": 10 + i * 90, **_destination_call(i, n_dest, story)} for i in range(n_dest)]
    base["other_calls"] = [
        {
            "count": n_other,
            "over_hours": 24 * 6,
            "destinations": 400,
            "mix": {"human_connected": 5, "voicemail_rang_out": 3, "no_answer": 2},
            "seed": 7,
        }
    ]
    return Scenario.model_validate(base)
