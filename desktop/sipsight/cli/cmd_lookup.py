"""`sipsight lookup NUMBER`: what happened to recent calls to a number, and what to answer."""

from __future__ import annotations

import argparse
import json

from sipsight.cli.common import lookup_query
from sipsight.core.errors import InputError


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "lookup",
        help="look up recent calls to a number at the provider and explain them",
        description="Fetch the recent call attempts to NUMBER (and the caller ID's other calls) and explain them.",
    )
    p.add_argument("number", help="the destination number, in any notation: +1 303 555 0199, (303) 555-0199, tel:...")
    p.add_argument(
        "--from", dest="caller_id", metavar="CALLER_ID", help="the customer's caller ID (inferred if omitted)"
    )
    p.add_argument("--since", default=None, help="time window: 24h, 7d, 30m, or a date YYYY-MM-DD (default: 7d)")
    src = p.add_mutually_exclusive_group()
    src.add_argument("--profile", help="a saved profile (see 'sipsight profile list')")
    src.add_argument("--demo", action="store_true", help="use the built-in demo data (no account needed)")
    p.add_argument("--scenario", help="demo scenario name (implies --demo)")
    p.add_argument("--json", action="store_true", help="print the JSON document instead of the text report")
    p.add_argument("--tz", help="time zone for displayed times (IANA name, 'local' or 'UTC')")
    p.add_argument("--region", help="default country for numbers without +country code (e.g. US, GB)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from sipsight.core.lookup import run_lookup
    from sipsight.providers.factory import open_provider

    check_source(args)
    demo = bool(args.demo or args.scenario)
    with open_provider(profile=args.profile, demo=demo, scenario=args.scenario) as session:
        query, tz = lookup_query(args, session)
        result = run_lookup(session, query, tz=tz)
    if args.json:
        from sipsight.core.json_document import to_document

        print(json.dumps(to_document(result), indent=2, ensure_ascii=False))
    else:
        import sys

        from sipsight.cli.text_report import render_result, use_color

        print(render_result(result, tz, use_color(sys.stdout)))
    return 0


def check_source(args: argparse.Namespace) -> None:
    """--scenario is demo data: with --profile the user would get a demo report while asking for an account."""
    if args.scenario is not None and not args.scenario.strip():
        raise InputError("--scenario needs a scenario name.", "See 'sipsight simulate --list'.")
    if args.scenario and args.profile:
        raise InputError("--scenario is a demo option; it cannot be used with --profile.", "Drop one of them.")
