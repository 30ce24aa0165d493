"""Lookup speed against the simulator with a fixed per-request latency: SIPSight's plan vs a naive client.

The case from the providers brief: 50 attempts to the destination plus 500 of the caller ID's other calls,
Voice Insights on. Every simulated request costs `--latency-ms` (default 100 ms), so wall time divided by
that latency says how many round trips the user waits for. Target: SIPSight <= 3x.

The caller-first case (the customer named no number, only their caller ID): the same 50 + 500 calls, the
destination's telling the origin ticket's story (5 conversations, then 45 calls straight to voicemail); all 550 calls
of the caller ID read, the 401 numbers ranked, the one that stands out diagnosed from the same calls, the replies
rendered. Target: <= 1.5x one round trip, <= 4 requests. One round trip is measured in the same run, interleaved
with the lookups: the caller ID's call list (one 1,000-call page, 1.2 MB) fetched by a plain keep-alive client, the
least any caller-first lookup must wait for. Its ratio to the latency alone is printed too.

The simulator runs in its own process (as Twilio runs on its own servers): in-process, its Python work
would compete with the client for the GIL and be billed to the client. Each figure is the median of
`--repeat` runs.

The naive client is what a first version would do: list the calls, then fetch each call's Voice Insights
summary one by one.

    python bench/bench_lookup.py [--latency-ms 100] [--skip-naive]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import statistics
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx

from sipsight.core.lookup import run_caller_lookup, run_lookup
from sipsight.core.models import CallerQuery, Query
from sipsight.providers.twilio import TwilioClient, TwilioCredentials
from sipsight.simulator.load_scenario import big_scenario
from sipsight.simulator.server import Simulator

DEST = "+13035550199"
CALLER = "+17205550100"


@dataclass
class Remote:
    """Just what a client needs of a simulator running in another process."""

    base_url: str
    account_sid: str
    api_key_sid: str
    api_key_secret: str
    conn: object

    def request_count(self) -> int:
        self.conn.send("count")
        return self.conn.recv()


def _serve(conn, latency_ms: int, story: str = "failing") -> None:
    with Simulator(scenario=big_scenario(story=story), latency_ms=latency_ms) as sim:
        conn.send((sim.base_url, sim.account_sid, sim.api_key_sid, sim.api_key_secret))
        while (msg := conn.recv()) != "stop":
            conn.send(len(sim.requests) if msg == "count" else None)


def sipsight_lookup(sim: Remote, caller: str | None) -> tuple[float, int, int, int]:
    client = TwilioClient(
        TwilioCredentials.api_key(sim.account_sid, sim.api_key_sid, sim.api_key_secret), base_url=sim.base_url
    )
    query = Query(destination=DEST, caller_id=caller, since=datetime.now(UTC) - timedelta(days=7))
    before = sim.request_count()
    try:
        started, cpu = time.perf_counter(), time.process_time()
        result = run_lookup(client, query)
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    finally:
        client.close()
    return wall, sim.request_count() - before, len(result.attempts), len(result.caller_attempts), cpu


def caller_first_lookup(sim: Remote) -> tuple[float, int, int, int, float]:
    client = TwilioClient(
        TwilioCredentials.api_key(sim.account_sid, sim.api_key_sid, sim.api_key_secret), base_url=sim.base_url
    )
    query = CallerQuery(caller_id=CALLER, since=datetime.now(UTC) - timedelta(days=7))
    before = sim.request_count()
    try:
        started, cpu = time.perf_counter(), time.process_time()
        result = run_caller_lookup(client, query)
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    finally:
        client.close()
    if result.query.destination != DEST or result.diagnosis is None:  # the bench times the whole path, or nothing
        raise SystemExit(f"the caller-first lookup chose {result.query.destination or 'no number'}, not {DEST}")
    calls = len(result.attempts) + len(result.caller_attempts)
    return wall, sim.request_count() - before, len(result.candidates or []), calls, cpu


def round_trip(sim: Remote, http: httpx.Client) -> float:
    """One request of the caller-first lookup's size: the caller ID's call list, read to its last byte."""
    since = (datetime.now(UTC) - timedelta(days=7)).strftime("%Y-%m-%d")
    calls_url = f"{sim.base_url}/2010-04-01/Accounts/{sim.account_sid}/Calls.json"
    started = time.perf_counter()
    response = http.get(calls_url, params={"From": CALLER, "StartTime>": since, "PageSize": 1000})
    response.raise_for_status()
    return time.perf_counter() - started


def naive_lookup(sim: Remote, caller: str) -> tuple[float, int, int, int]:
    since = (datetime.now(UTC) - timedelta(days=7)).strftime("%Y-%m-%d")
    calls_url = f"{sim.base_url}/2010-04-01/Accounts/{sim.account_sid}/Calls.json"
    before = sim.request_count()
    started, cpu = time.perf_counter(), time.process_time()
    with httpx.Client(auth=(sim.api_key_sid, sim.api_key_secret), timeout=30) as http:
        dest = http.get(calls_url, params={"To": DEST, "StartTime>": since, "PageSize": 50}).json()["calls"]
        others = http.get(calls_url, params={"From": caller, "StartTime>": since, "PageSize": 500}).json()["calls"]
        others = [c for c in others if c["to"] != DEST]
        for call in dest + others:
            http.get(f"{sim.base_url}/v1/Voice/{call['sid']}/Summary").raise_for_status()
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    return wall, sim.request_count() - before, len(dest), len(others), cpu


def median_of(runs: list[tuple[float, int, int, int, float]]) -> tuple[float, int, int, int, float]:
    wall, cpu = statistics.median(r[0] for r in runs), statistics.median(r[4] for r in runs)
    return wall, max(r[1] for r in runs), runs[-1][2], runs[-1][3], cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--latency-ms", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--skip-naive", action="store_true", help="skip the naive client (about 55 s at 100 ms)")
    args = parser.parse_args()
    latency = args.latency_ms / 1000
    servers, remotes = [], []
    for story in ("failing", "changed"):  # a simulator process per load: the destination's calls differ
        parent, child = mp.Pipe()
        server = mp.get_context("spawn").Process(target=_serve, args=(child, args.latency_ms, story), daemon=True)
        server.start()
        servers.append((server, parent))
        remotes.append(Remote(*parent.recv(), conn=parent))
    sim, changed = remotes
    rows = []
    try:
        sipsight_lookup(sim, CALLER)  # warm-up: imports, knowledge base, first connection
        rows.append(
            ("SIPSight, caller ID given", *median_of([sipsight_lookup(sim, CALLER) for _ in range(args.repeat)]))
        )
        rows.append(
            ("SIPSight, caller ID inferred", *median_of([sipsight_lookup(sim, None) for _ in range(args.repeat)]))
        )
        caller_first_lookup(changed)  # warm-up: the ranking's data
        runs, trips = [], []
        with httpx.Client(auth=(changed.api_key_sid, changed.api_key_secret), timeout=30) as http:
            round_trip(changed, http)  # warm-up: the connection
            for _ in range(args.repeat):  # interleaved, so both see the machine in the same state
                trips.append(round_trip(changed, http))
                runs.append(caller_first_lookup(changed))
        caller_first = median_of(runs)
        one_trip = statistics.median(trips)
        if not args.skip_naive:
            rows.append(("naive: list + Summary per call, sequential", *naive_lookup(sim, CALLER)))
    finally:
        for server, conn in servers:
            conn.send("stop")
            server.join(10)
    print(f"Lookup of {DEST}: 50 attempts + 500 caller-ID calls, Voice Insights on, {args.latency_ms} ms per request")
    print(
        f"{'approach':<44} {'wall s':>8} {'x latency':>10} {'requests':>9} {'attempts':>9} {'caller':>7} {'CPU s':>6}"
    )
    for name, wall, requests, n_dest, n_other, cpu in rows:
        print(f"{name:<44} {wall:>8.2f} {wall / latency:>10.1f} {requests:>9} {n_dest:>9} {n_other:>7} {cpu:>6.3f}")
    if len(rows) == 3:
        print(f"speed-up (inferred vs naive): {rows[2][1] / rows[1][1]:.0f}x; requests {rows[2][2]} -> {rows[1][2]}")
    print("target: SIPSight <= 3.0x latency, <= 6 requests (medians of", args.repeat, "runs)")
    wall, requests, candidates, calls, cpu = caller_first
    print()
    print(f"Caller-first lookup of {CALLER} (no number): its {calls} calls ranked, {DEST} chosen and diagnosed")
    print(f"{'approach':<44} {'wall s':>8} {'x trip':>7} {'x latency':>10} {'requests':>9} {'kept':>5} {'CPU s':>6}")
    rows_cf = [
        ("one round trip (the caller's call list)", one_trip, 1),
        ("SIPSight, caller-first (--from only)", wall, requests),
    ]
    for name, took, n in rows_cf:
        kept, cpu_text = (str(candidates), f"{cpu:.3f}") if took is wall else ("", "")
        print(f"{name:<44} {took:>8.2f} {took / one_trip:>7.2f} {took / latency:>10.1f} {n:>9} {kept:>5} {cpu_text:>6}")
    print(
        f"target: caller-first <= 1.5x one round trip, <= 4 requests (medians of {args.repeat} interleaved runs); "
        f"measured {wall / one_trip:.2f}x, {requests} requests"
    )


if __name__ == "__main__":
    main()
