"""`sipsight lookup [NUMBER | LINK]`: what happened to recent calls to a number, and what to answer.

Without a NUMBER: `--from CALLER_ID` finds which number the customer meant (a caller-first lookup); `--conversation
FILE` looks up what a pasted conversation names (its number, else its caller ID, else the demo's customer);
`--scenario NAME` (or `--demo`) alone looks up the scenario's own number. An Intercom conversation LINK is read
and looked up as the window does (cli/lookup_link.py).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from sipsight.cli.common import lookup_query, number_arg, parse_since, region_arg
from sipsight.core.errors import InputError
from sipsight.settings.model import PROVIDER_NAMES

if TYPE_CHECKING:
    from sipsight.core.models import LookupResult
    from sipsight.providers.factory import ProviderSession


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "lookup",
        help="look up recent calls to a number at the provider and explain them",
        description="Fetch the recent call attempts to NUMBER (and the caller ID's other calls) and explain them. "
        "Without NUMBER, --from CALLER_ID finds which number the customer meant: the caller ID's calls, ranked.",
    )
    p.add_argument(
        "number",
        nargs="?",
        help="the destination number, in any notation: +1 303 555 0199, (303) 555-0199, tel:... "
        "(optional with --from, --conversation, --scenario or --demo); or an Intercom conversation link",
    )
    p.add_argument(
        "--from",
        dest="caller_id",
        metavar="CALLER_ID",
        help="the customer's caller ID (inferred if omitted); without NUMBER: find which number they meant",
    )
    p.add_argument(
        "--account",
        metavar="SUBACCOUNT_SID",
        help="without NUMBER: find which number the customer meant from every call of this Twilio sub-account "
        "(its calls are the customer's, whatever number they came from)",
    )
    p.add_argument(
        "--conversation",
        metavar="FILE",
        help="a pasted conversation ('-': standard input): its number, caller ID and the customer's words",
    )
    p.add_argument("--since", default=None, help="time window: 24h, 7d, 30m, or a date YYYY-MM-DD (default: 7d)")
    src = p.add_mutually_exclusive_group()
    src.add_argument("--profile", help="a saved profile (see 'sipsight profile list')")
    src.add_argument("--demo", action="store_true", help="use the built-in demo data (no account needed)")
    p.add_argument("--scenario", help="demo scenario name (implies --demo); without NUMBER: its own number")
    p.add_argument("--provider", choices=PROVIDER_NAMES, help="the demo serves this provider's API (with --demo)")
    p.add_argument("--json", action="store_true", help="print the JSON document instead of the text report")
    p.add_argument("--tz", help="time zone for displayed times (IANA name, 'local' or 'UTC')")
    p.add_argument("--region", help="default country for numbers without +country code (e.g. US, GB)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from sipsight.cli.lookup_link import is_link, run_link
    from sipsight.providers.factory import open_provider

    check_source(args)
    if is_link(args.number):  # an Intercom conversation link: its case, looked up as the window does
        return run_link(args)
    demo = bool(args.demo or args.scenario)
    text = _conversation(args) if args.conversation is not None else None
    if args.account is not None and (args.number or text is not None or not args.account.strip()):
        raise InputError(
            "--account needs a sub-account SID, and reads its calls to find the number: it goes without NUMBER and "
            "--conversation.",
            "Example: sipsight lookup --account AC... (--demo for demo data).",
        )
    if text is None and not args.number and not args.caller_id and not args.account and not demo:
        raise InputError(
            "Give the NUMBER to look up, or --from CALLER_ID to find which number the customer meant.",
            "Example: sipsight lookup +13035550199, or sipsight lookup --from +17205550100 (--demo for demo data).",
        )
    if args.provider and not demo:
        raise InputError("--provider picks the demo's provider; it needs --demo.", "A profile names its own provider.")
    with open_provider(profile=args.profile, demo=demo, scenario=args.scenario, demo_provider=args.provider) as session:
        result, tz = _lookup(args, session, text)
    if args.json:
        from sipsight.core.json_document import to_document

        print(json.dumps(to_document(result), indent=2, ensure_ascii=False))
    else:
        from sipsight.cli.text_report import render_result, use_color

        print(render_result(result, tz, use_color(sys.stdout)))
    return 0


def _lookup(args: argparse.Namespace, session: ProviderSession, text: bytes | None) -> tuple[LookupResult, str]:
    from sipsight.core.lookup import lookup_case, run_caller_lookup, run_lookup
    from sipsight.core.models import CallerQuery
    from sipsight.core.timezones import resolve_tz

    if args.number and text is None:
        query, tz = lookup_query(args, session)
        return run_lookup(session, query, tz=tz), tz
    region = region_arg(args.region) or (session.region or "US").upper()
    tz = resolve_tz(args.tz or session.timezone)
    since = parse_since(args.since, tz, provider=session.provider.name)
    caller = number_arg(args.caller_id, region) if args.caller_id else None
    if text is not None:
        from sipsight.core.intake import parse

        case = parse(text, region=region)
        destination = number_arg(args.number, region) if args.number else None
        return lookup_case(session, case, destination=destination, caller_id=caller, since=since, tz=tz), tz
    if args.account:  # every call of the sub-account (with --from: only that caller ID's), ranked
        by_account = CallerQuery(caller_id=caller, account_sid=args.account.strip(), since=since)
        return run_caller_lookup(session, by_account, tz=tz, account_source="given with --account"), tz
    if caller is not None:
        return run_caller_lookup(session, CallerQuery(caller_id=caller, since=since), tz=tz), tz
    # --scenario NAME (or --demo) and nothing else: the scenario's own number, as `lookup ITS_NUMBER --scenario NAME`
    from sipsight.core.scenarios import get_scenario

    args.number = get_scenario(session.scenario).destination
    query, tz = lookup_query(args, session)
    return run_lookup(session, query, tz=tz), tz


def _conversation(args: argparse.Namespace) -> bytes:
    """The text of --conversation FILE, read before any provider is opened (the same checks as `sipsight triage`)."""
    from sipsight.cli.cmd_triage import read_text_input

    if not args.conversation.strip():
        raise InputError("--conversation needs a FILE ('-' for standard input).", "Give the conversation's file.")
    return read_text_input(args.conversation)


def check_source(args: argparse.Namespace) -> None:
    """--scenario is demo data: with --profile the user would get a demo report while asking for an account."""
    if args.scenario is not None and not args.scenario.strip():
        raise InputError("--scenario needs a scenario name.", "See 'sipsight simulate --list'.")
    if args.scenario and args.profile:
        raise InputError("--scenario is a demo option; it cannot be used with --profile.", "Drop one of them.")
