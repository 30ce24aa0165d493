"""`sipsight simulate`: run the embedded provider simulator in the foreground (for demos, trainers and
trying the CLI against a known scenario), or list the scenarios."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import tempfile
import threading
from typing import TYPE_CHECKING

from sipsight.simulator.faults import KINDS, SCOPES

if TYPE_CHECKING:
    from sipsight.simulator import Simulator


def _whole(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None


def _port(text: str) -> int:
    port = _whole(text)
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a TCP port (0 to 65535; 0 picks a free one)")
    return port


def _latency(text: str) -> int:
    value = _whole(text)
    if value < 0:
        raise argparse.ArgumentTypeError("cannot be negative")
    return value


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    parser = sub.add_parser(
        "simulate",
        help="run a fake Twilio/SignalWire API on 127.0.0.1 serving a scenario",
        description="Serve a scenario through a Twilio- (or SignalWire-) compatible API on 127.0.0.1 until Ctrl+C. "
        "Point SIPSight (or any Twilio client) at it with the printed exports.",
    )
    parser.add_argument("--port", type=_port, default=0, metavar="N", help="port to listen on (default: any free port)")
    parser.add_argument("--scenario", metavar="NAME", help="scenario to serve (default: origin-ticket; see --list)")
    parser.add_argument(
        "--provider",
        choices=("twilio", "signalwire", "telnyx", "plivo", "vonage", "bandwidth"),
        help="API flavour (default: the scenario's)",
    )
    parser.add_argument("--latency-ms", type=_latency, default=0, metavar="N", help="delay every response by N ms")
    parser.add_argument(
        "--fault",
        metavar="KIND",
        help=f"inject faults: KIND[=SECONDS][:COUNT][@SCOPE], comma-separated; KIND in {', '.join(KINDS)}; "
        f"SCOPE in {', '.join(SCOPES)} (e.g. 429:2, 503@insights, slow=15)",
    )
    parser.add_argument("--list", action="store_true", help="list the scenarios (built-in and your own) and exit")
    parser.set_defaults(func=run)
    return parser


def _list() -> int:
    from sipsight.core.scenarios import load_scenarios, user_scenarios_dir

    lib = load_scenarios()
    width = max((len(s.name) for s in lib.scenarios), default=10)
    print(f"{'scenario':<{width}}  {'destination':<13} {'caller ID':<13} {'expected':<21} title")
    for scenario in lib.scenarios:
        origin = "" if lib.origins.get(scenario.name) == "built-in" else "  (yours)"
        numbers = f"{scenario.destination:<13} {scenario.caller_id:<13}"
        print(f"{scenario.name:<{width}}  {numbers} {scenario.expected.kind.value:<21} {scenario.title}{origin}")
    for note in lib.notes:
        print(f"note: {note}")
    for error in lib.errors:
        print(f"error: {error}", file=sys.stderr)
    print(
        "\nThe destination is the number the scenario's customer calls, the caller ID their own (the demo's contact):"
        "\n'sipsight lookup --scenario NAME' looks up the destination;"
        " 'sipsight lookup --scenario NAME --from CALLER_ID' finds it from the caller ID."
    )
    print(f"Your own scenario files go in {user_scenarios_dir()} (see docs/scenarios.md).")
    return 2 if lib.errors else 0  # a file of yours that does not load is bad input, like any other


def run(args: argparse.Namespace) -> int:
    if args.list:
        return _list()
    from sipsight.simulator import Simulator

    sim = Simulator(
        scenario=args.scenario, provider=args.provider, latency_ms=args.latency_ms, fault=args.fault, port=args.port
    ).start()
    key_file: str | None = None
    try:
        print(f"SIPSight simulator: {sim.provider} API for scenario '{sim.scenario.name}' ({sim.scenario.title})")
        if sim.provider not in ("twilio", "signalwire"):
            signal.signal(signal.SIGTERM, _interrupt)  # a kill, too, removes the Vonage key file (finally below)
            key_file = _other_provider(sim)
            print("\nServing until Ctrl+C.", flush=True)
            threading.Event().wait()
            return 0
        print(f"  base URL:    {sim.base_url}")
        print(f"  account:     {sim.account_sid}")
        print(f"  auth token:  {sim.auth_token}   (fake demo credentials)")
        if sim.provider == "twilio":
            print(f"  API key:     {sim.api_key_sid} / {sim.api_key_secret}")
        print(f"  destination: {sim.scenario.destination}   caller ID: {sim.scenario.caller_id}")
        print(f"  calls:       {len(sim.destination_calls)} to the destination, {len(sim.other_calls)} others")
        print(f"  latency:     {sim.latency_ms} ms   faults: {sim.faults.describe()}")
        if sim.provider == "twilio":
            print("\nUse it from another terminal:")
            for name, value in sim.env().items():
                print(f"  export {name}={value}")
        else:  # SignalWire has no environment-variable convention: a profile points at the simulator
            print("\nUse it from another terminal (a profile pointed at the simulator):")
            print(
                f"  sipsight profile add sim-signalwire --provider signalwire --account-sid {sim.account_sid} "
                f"--base-url {sim.base_url} --secret-stdin <<< '{sim.auth_token}'"
            )
        print("\nServing until Ctrl+C.", flush=True)
        threading.Event().wait()  # the server runs in its own thread; Ctrl+C ends this wait
    except KeyboardInterrupt:
        print("\nsimulator stopped")
    finally:
        sim.stop()
        if key_file is not None:
            os.unlink(key_file)
    return 0


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def _other_provider(sim: Simulator) -> str | None:
    """Telnyx, Plivo, Vonage or Bandwidth: the demo credentials and the profile that points at the simulator. The
    Vonage application's private key is made for this run and written to a private temporary file (removed on
    exit); returns that file."""
    creds = sim.credentials()
    print(f"  base URL:    {sim.base_url}")
    print(f"  destination: {sim.scenario.destination}   caller ID: {sim.scenario.caller_id}")
    print(f"  calls:       {len(sim.destination_calls)} to the destination, {len(sim.other_calls)} others")
    print(f"  latency:     {sim.latency_ms} ms   faults: {sim.faults.describe()}")
    name, url, key_file = f"sim-{sim.provider}", sim.base_url, None
    add = f"  sipsight profile add {name} --provider {sim.provider} --base-url {url}"
    if sim.provider == "telnyx":
        command = f"{add} --secret-stdin <<< '{creds['api_key']}'"
    elif sim.provider == "plivo":
        command = f"{add} --account-sid {creds['auth_id']} --secret-stdin <<< '{creds['auth_token']}'"
    elif sim.provider == "bandwidth":
        command = (f"{add} --account-sid {creds['account_id']} --api-user {creds['username']} --secret-stdin "
                   f"<<< '{creds['password']}'")  # fmt: skip
    else:
        handle, key_file = tempfile.mkstemp(prefix="sipsight-demo-vonage-", suffix=".key")
        with os.fdopen(handle, "w", encoding="ascii") as out:  # mkstemp: readable by this user only
            out.write(creds["private_key"])
        command = f"{add} --account-sid {creds['application_id']} --private-key-file {key_file}"
    print("  (fake demo credentials)\n\nUse it from another terminal (a profile pointed at the simulator):")
    print(command)
    return key_file
