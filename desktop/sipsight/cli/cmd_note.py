"""`sipsight note LINK`: read an Intercom conversation, look up its calls, and post SIPSight's internal note on it.

The note is an admin note (never a reply the customer sees), posted only after the agent confirms (`--yes`, or y at
the prompt), and never twice by accident: a SIPSight note already on the conversation is superseded only when asked
(`--supersede`, or y at the second question). docs/inbox.md tells the whole flow."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from sipsight.core.errors import InputError

if TYPE_CHECKING:
    from sipsight.inbox import InboxCase, IntercomSession
    from sipsight.inbox.lookup import CaseLookup

MAX_TEXT_BYTES = 256 * 1024


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "note",
        help="post SIPSight's internal note on an Intercom conversation (after you confirm)",
        description="Read the Intercom conversation LINK points to, look up its calls, and post the internal note "
        "(diagnosis, evidence, call ids) on it as an admin note. Asks before posting; never posts twice by accident.",
    )
    p.add_argument("link", help="the Intercom conversation link (or its conversation id)")
    p.add_argument("--demo", action="store_true", help="use the demo inbox and demo call data (no account needed)")
    p.add_argument("--profile", help="the telephony profile for the call data (see 'sipsight profile list')")
    p.add_argument("--yes", action="store_true", help="post without asking (scripts)")
    p.add_argument(
        "--supersede",
        action="store_true",
        help="post even though a SIPSight note is there: the new "
        "note says it supersedes it (Intercom cannot edit a note)",
    )
    p.add_argument("--text", metavar="FILE", help="post this text (your edited note) instead of the composed one")
    p.add_argument("--json", action="store_true", help="print the conversation part Intercom created, as JSON")
    p.add_argument("--tz", help="time zone for the note's times (IANA name, 'local' or 'UTC')")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from sipsight.inbox import compose_note, open_intercom

    if args.demo and args.profile:
        raise InputError("--demo uses the demo call data; it cannot be used with --profile.", "Drop one of them.")
    edited = _edited_text(args.text) if args.text else None
    with open_intercom(demo=args.demo) as inbox:
        case = inbox.fetch_case(args.link)
        looked = None if edited is not None else _lookup(case, inbox, args)
        text = (
            edited
            if edited is not None
            else compose_note(case, looked.result if looked else None, lookup_needed=looked.needed if looked else None)
        )
        supersede = _confirm(case, text, args)
        if supersede is None:
            print("sipsight: nothing was posted.", file=sys.stderr)
            return 1
        posted = inbox.post_note(case, text, supersede=supersede)
    if args.json:
        print(json.dumps(posted.part, indent=2, ensure_ascii=False))
    else:
        where = f"conversation {posted.conversation_id}"
        print(f"Posted SIPSight note {posted.note_id} on {where} (internal note, part {posted.part.get('id')}).")
        if posted.supersedes is not None:
            print(f"It supersedes note {posted.supersedes.note_id}.")
        if posted.confirmed_by_refetch:
            print("Intercom's answer was lost on the way; the note was found on the conversation afterwards.")
    return 0


def _lookup(case: InboxCase, inbox: IntercomSession, args: argparse.Namespace) -> CaseLookup:
    """The conversation's call data (one call: lookup_inbox_case, the same lookup as `lookup LINK` and the window's
    link paste: caller-first when the conversation names no number), or why there is none."""
    from sipsight.core.timezones import resolve_tz
    from sipsight.inbox.lookup import lookup_inbox_case
    from sipsight.providers.factory import open_provider

    scenario = inbox.scenarios.get(case.conversation_id) if args.demo else None
    with open_provider(profile=args.profile, demo=args.demo, scenario=scenario) as session:
        return lookup_inbox_case(case, session, tz=resolve_tz(args.tz or session.timezone))


def _edited_text(name: str) -> str:
    from sipsight.cli.common import read_input_file

    data = read_input_file(
        name,
        max_bytes=MAX_TEXT_BYTES,
        kind="text",
        looks_like="a note",
        instead="leave --text out to post the composed note",
    )
    text = data.decode("utf-8-sig", errors="replace")
    if not text.strip():
        raise InputError(f"{name} is empty: there is no note to post.", "Write the note in it, or leave --text out.")
    return text


def _ask(question: str) -> bool:
    print(question + " [y/N] ", end="", file=sys.stderr, flush=True)
    try:
        answer = sys.stdin.readline()
    except (OSError, ValueError):
        return False
    return answer.strip().lower() in ("y", "yes")


def _confirm(case: InboxCase, text: str, args: argparse.Namespace) -> bool | None:
    """Whether to supersede SIPSight's earlier note; None when the agent does not confirm the post."""
    existing = case.latest_note
    if args.yes:
        return bool(args.supersede)
    if not sys.stdin.isatty():
        raise InputError(
            "Posting a note needs your confirmation, and there is no terminal to ask on.",
            "Add --yes to post without asking (and --supersede if a SIPSight note is already there).",
        )
    print(
        f"Internal note for conversation {case.conversation_id} ({case.contact_name or 'unknown contact'}):\n",
        file=sys.stderr,
    )
    print(text.strip() + "\n", file=sys.stderr)
    supersede = bool(args.supersede)
    if existing is not None and not supersede:
        from sipsight.inbox.note import when

        if not _ask(
            f"SIPSight already noted this conversation ({existing.note_id}, {when(existing)}). Intercom cannot "
            "edit a note: post a new one that supersedes it?"
        ):
            return None
        supersede = True
    if not _ask("Post it as an internal note (teammates only, never sent to the customer)?"):
        return None
    return supersede
