"""The CLI fault matrix: `sipsight lookup` against every simulator fault, and against addresses where nothing works
(nothing listening, a name that does not resolve, HTTPS to a plain-HTTP port). tests/integration/test_fault_matrix.py
drives it in-process on a fake clock; bench/bench_fault_matrix.py runs it as a user would (a subprocess, the shipped
timeouts and retries) and prints the table for docs/reliability.md.

Each case: the environment a lookup runs in (the Twilio CLI's variables, SIPSIGHT_TWILIO_BASE_URL), then what the
user saw: exit code, the one line on stderr, and how long it took.
"""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Iterator
from dataclasses import dataclass

from sipsight.simulator import Simulator

DEST = "+13035550199"


@dataclass(frozen=True)
class Case:
    name: str  # what the row is called
    fault: str | None = None  # a simulator fault (docs/simulator.md), or None with `address`
    address: str | None = None  # "closed", "dns", "tls": a base URL where nothing works
    exit_code: int = 3  # what the user must get
    needle: str = ""  # in the message
    retry_after: str | None = None  # what the message must say of the provider's Retry-After


CASES = [
    Case("401 bad credentials", "401", needle="rejected the credentials"),
    Case("403 on everything", "403@all", needle="refused access"),
    Case("403 Voice Insights off", "403", exit_code=0),
    Case("404 account not found", "404", needle="found no call list"),
    Case("429, Retry-After 1 s (every request)", "429", needle="rate-limiting"),
    Case("429, Retry-After 90 s (past the budget)", "429=90", needle="rate-limiting", retry_after="asked to wait 90 s"),
    Case("429 twice, then service", "429:2", exit_code=0),
    Case("500", "500", needle="HTTP 500"),
    Case("503 (every request)", "503", needle="HTTP 503"),
    Case("503, Retry-After 2 s, once", "503=2:1", exit_code=0),
    Case("slow: 30 s before answering", "slow=30", needle="did not answer"),
    Case("TCP reset", "reset", needle="connection"),
    Case("truncated body", "truncated", needle="incomplete"),
    Case("malformed body (not JSON)", "malformed", needle="not valid JSON"),
    Case("empty lists", "empty", exit_code=0),
    Case("Insights 503, Calls fine", "503@insights", exit_code=0),
    Case("nothing listening", address="closed", needle="connection was refused"),
    Case("DNS failure (.invalid)", address="dns", needle="Could not reach"),
    Case("TLS mismatch (https to the plain port)", address="tls", needle="TLS"),
]


def closed_port() -> int:
    """A local port nothing listens on (bound, then released), so connecting is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def environment(case: Case) -> Iterator[dict[str, str]]:
    """The variables of a lookup for this case (a simulator runs for the simulator's cases)."""
    if case.address is None:
        with Simulator("origin-ticket", fault=case.fault) as sim:
            yield {**sim.env(), "SIPSIGHT_TWILIO_BASE_URL": sim.base_url}
        return
    account = {"TWILIO_ACCOUNT_SID": "AC" + "0" * 32, "TWILIO_AUTH_TOKEN": "demo" + "0" * 28}
    if case.address == "closed":
        yield {**account, "SIPSIGHT_TWILIO_BASE_URL": f"http://127.0.0.1:{closed_port()}"}
    elif case.address == "dns":
        yield {**account, "SIPSIGHT_TWILIO_BASE_URL": "https://sipsight-fault-matrix.invalid"}
    else:  # https to a port that speaks plain HTTP: the simulator's
        with Simulator("origin-ticket") as sim:
            yield {**account, "SIPSIGHT_TWILIO_BASE_URL": sim.base_url.replace("http://", "https://")}


def lookup_args() -> list[str]:
    return ["lookup", DEST, "--since", "24h"]
