"""Soak: 1,000 lookups with random faults, the way the desktop app runs all day (one session kept open, a lookup
now and then cancelled by the next), plus a fresh session every tenth lookup (the CLI's way). Prints resident
memory, open file descriptors, sockets and threads at the start (after a warm-up), every 100 lookups and at the end,
and what the lookups ended in. Nothing may grow without bound: the figures go in docs/reliability.md.

The simulators run in a child process (as Twilio runs elsewhere), so the figures are SIPSight's own: the client,
its pools and connections, the lookups' results. Every address is loopback.

    python bench/bench_soak.py [--lookups 1000] [--seed 12]
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import multiprocessing as mp
import os
import random
import sys
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

from sipsight.core.errors import Cancelled
from sipsight.core.lookup import CancelToken, run_lookup
from sipsight.core.models import Query
from sipsight.providers.errors import ProviderError
from sipsight.providers.http import HttpConfig
from sipsight.providers.twilio import TwilioClient, TwilioCredentials
from sipsight.simulator import Simulator
from sipsight.simulator.faults import FaultPlan
from sipsight.simulator.served import demo_credentials

FAULTS = [
    None, None, None, None, None, "429:1", "503:1", "reset:1", "truncated:1", "malformed@insights", "403",
    "500@notifications", "slow=2:1", "empty", "404:1", "500:1", "503@insights", "500@lookups", "401:1",
]  # fmt: skip
CONFIG = HttpConfig(read_timeout=1.0, max_retries=2, backoff_base=0.01, backoff_max=0.05, budget_s=20)


def _status(name: str) -> int:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith(name + ":"):
                return int(line.split()[1])
    return -1


def snapshot() -> dict[str, float]:
    gc.collect()
    fds = os.listdir("/proc/self/fd")
    sockets = 0
    for fd in fds:
        with contextlib.suppress(OSError):  # closed meanwhile
            sockets += os.readlink(f"/proc/self/fd/{fd}").startswith("socket:")
    return {
        "rss_mb": _status("VmRSS") / 1024,
        "fds": len(fds),
        "sockets": sockets,
        "threads": threading.active_count(),
    }


class Remote:
    """A simulator in the child process: what a client needs of it, and its fault plan set through the pipe."""

    def __init__(self, conn: object, index: int, base_url: str) -> None:
        self.conn, self.index, self.base_url = conn, index, base_url
        creds = demo_credentials("twilio")
        self.account_sid, self.api_key_sid, self.api_key_secret = (
            creds["account_sid"], creds["api_key_sid"], creds["api_key_secret"]
        )  # fmt: skip

    def set_fault(self, spec: str | None) -> None:
        self.conn.send((self.index, spec))  # type: ignore[attr-defined]
        self.conn.recv()  # type: ignore[attr-defined]


def _serve(conn: object) -> None:
    with Simulator("origin-ticket") as sim, Simulator("origin-ticket-no-insights") as quiet:
        sims = [sim, quiet]
        conn.send([s.base_url for s in sims])  # type: ignore[attr-defined]
        while (msg := conn.recv()) != "stop":  # type: ignore[attr-defined]
            index, spec = msg
            sims[index].faults = FaultPlan.parse(spec)
            conn.send("ok")  # type: ignore[attr-defined]


def _client(sim: Remote) -> TwilioClient:
    creds = TwilioCredentials.api_key(sim.account_sid, sim.api_key_sid, sim.api_key_secret)
    return TwilioClient(creds, base_url=sim.base_url, line_type_lookup=True, http_config=CONFIG)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lookups", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    outcomes: Counter[str] = Counter()
    parent, child = mp.Pipe()
    server = mp.Process(target=_serve, args=(child,), daemon=True)
    server.start()
    urls = parent.recv()
    sim, quiet = Remote(parent, 0, urls[0]), Remote(parent, 1, urls[1])
    try:
        shared = _client(sim)
        query = Query(destination="+13035550199", since=datetime.now(UTC) - timedelta(days=7))
        for _ in range(20):  # warm-up: imports, caches, the pools' threads and connections
            run_lookup(shared, query)
        print("| after lookups | RSS (MB) | fds | sockets | threads |")
        print("|---|---|---|---|---|")
        first = snapshot()
        row = f"{first['rss_mb']:.1f} | {first['fds']} | {first['sockets']} | {first['threads']}"
        print(f"| 0 (after warm-up) | {row} |")
        started = time.monotonic()
        for i in range(1, args.lookups + 1):
            fault = rng.choice(FAULTS)
            target = quiet if rng.random() < 0.15 else sim
            target.set_fault(fault)
            fresh = i % 10 == 0 or target is quiet
            client = _client(target) if fresh else shared
            token = CancelToken()
            timer = threading.Timer(rng.uniform(0.001, 0.02), token.cancel) if rng.random() < 0.05 else None
            if timer:
                timer.start()
            try:
                run_lookup(client, query, cancel=token)
                outcomes["result"] += 1
            except Cancelled:
                outcomes["cancelled"] += 1
            except ProviderError as err:
                outcomes[type(err).__name__] += 1
            except Exception as exc:  # the soak's finding: must stay at zero
                outcomes[f"UNEXPECTED {type(exc).__name__}"] += 1
            finally:
                if timer:
                    timer.cancel()
                if fresh:
                    client.close()
            if i % 100 == 0:
                now = snapshot()
                print(f"| {i} | {now['rss_mb']:.1f} | {now['fds']} | {now['sockets']} | {now['threads']} |", flush=True)
        elapsed = time.monotonic() - started
        shared.close()
    finally:
        parent.send("stop")
        server.join(10)
    time.sleep(0.5)
    after = snapshot()
    print(f"| client closed, simulators stopped | {after['rss_mb']:.1f} | {after['fds']} | {after['sockets']} | "
          f"{after['threads']} |")  # fmt: skip
    ended = ", ".join(f"{k} {v}" for k, v in outcomes.most_common())
    print(f"\n{args.lookups} lookups in {elapsed:.0f} s; outcomes: {ended}")
    sys.exit(1 if any(k.startswith("UNEXPECTED") for k in outcomes) else 0)


if __name__ == "__main__":
    main()
