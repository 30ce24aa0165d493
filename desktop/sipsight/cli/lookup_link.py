"""`sipsight lookup LINK`: read the Intercom conversation a link points to and look up its calls, the same lookup
as the window's link paste (`inbox.lookup.lookup_inbox_case`, the core's `lookup_case`): the number the customer
names, else the caller-first ranking from the contact's caller ID. The JSON document gains an `inbox` object that
says where the destination and the caller ID came from (docs/cli.md, docs/inbox.md)."""

from __future__ import annotations

import argparse
import json
import sys

from sipsight.cli.common import number_arg, parse_since, region_arg
from sipsight.core.errors import InputError


def is_link(value: str | None) -> bool:
    """A web link where the NUMBER goes: a conversation link (a phone number never starts so)."""
    return bool(value) and str(value).strip().lower().lstrip("<(\"'").startswith(("http://", "https://"))


def run_link(args: argparse.Namespace) -> int:
    from sipsight.core.timezones import resolve_tz
    from sipsight.inbox import open_intercom, parse_link
    from sipsight.inbox.lookup import lookup_inbox_case, provenance
    from sipsight.providers.factory import open_provider

    if args.conversation is not None or args.scenario:
        raise InputError("A conversation link brings its own conversation (and, in the demo, its own scenario).",
                         "Drop --conversation and --scenario, or give a NUMBER instead of the link.")
    region = region_arg(args.region)
    parse_link(args.number)  # a link that is not one is said first, before any token or network
    with open_intercom(demo=args.demo, region=region) as inbox:
        case = inbox.fetch_case(args.number)
        scenario = inbox.scenarios.get(case.conversation_id) if args.demo else None
    with open_provider(profile=args.profile, demo=args.demo, scenario=scenario) as session:
        tz = resolve_tz(args.tz or session.timezone)
        since = parse_since(args.since, tz, provider=session.provider.name)
        typed = number_arg(args.caller_id, region or (session.region or "US").upper()) if args.caller_id else None
        looked = lookup_inbox_case(case, session, tz=tz, since=since, caller_id=typed)
    result = looked.result
    if result is None:
        raise InputError(looked.needed or "Nothing to look up in this conversation.",
                         "Or look the number up yourself: sipsight lookup NUMBER --from CALLER_ID.")
    if args.json:
        from sipsight.core.json_document import to_document

        document = to_document(result)
        document["inbox"] = provenance(case, result, caller_id=typed)
        print(json.dumps(document, indent=2, ensure_ascii=False))
        return 0
    from sipsight.cli.text_report import render_result, use_color

    who = f" with {case.contact_name}" if case.contact_name else ""
    print(f"Intercom conversation {case.conversation_id}{who}: {len(case.messages)} messages read.")
    for note in case.notes:
        print(f"  {note}")
    print(render_result(result, tz, use_color(sys.stdout)))
    return 0
