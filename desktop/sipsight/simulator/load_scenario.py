"""A scenario of a given size, for load tests and the lookup benchmark.

The providers brief's case: 50 attempts to the destination and 500 of the caller ID's other calls, with
Voice Insights on. The test that counts requests and the benchmark that times them must serve the same load.
"""

from __future__ import annotations

from sipsight.core.scenarios import Scenario, get_scenario

_PATTERN = [
    {"status": "failed", "sip_code": 608, "ring_s": 1.0},
    {"status": "busy", "sip_code": 486, "ring_s": 3.0},
    {"status": "no-answer", "sip_code": 480, "ring_s": 30.0},
]


def big_scenario(n_dest: int = 50, n_other: int = 500) -> Scenario:
    """The origin ticket's numbers with `n_dest` attempts to the destination (every 90 minutes) and `n_other`
    calls from the same caller ID to 400 other numbers over six days; deterministic."""
    base = get_scenario("origin-ticket").model_dump(by_alias=True, exclude_none=True)
    base["name"] = "bench-50-500"
    base["calls"] = [{"minutes_ago": 10 + i * 90, **_PATTERN[i % 3]} for i in range(n_dest)]
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
