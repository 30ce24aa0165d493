"""`sipsight triage [FILE]`: what a pasted conversation says, and the likely explanations, offline.

Reads the conversation from FILE, or from standard input ('-' or no FILE); never needs an account.
"""

from __future__ import annotations

import argparse
import json
import sys

from sipsight.cli.common import read_input_file, region_arg
from sipsight.core.errors import InputError

MAX_INPUT_BYTES = 16 * 1024 * 1024  # conversations are kilobytes; this only stops a wrong file


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "triage",
        help="read a pasted conversation: numbers, symptoms, codes, and the likely explanations (offline)",
        description="Read a customer conversation (a file, or standard input) and print what it says: phone numbers "
        "with their roles, symptoms, codes, time hints, links, and the likely explanations before any call data.",
    )
    p.add_argument("file", nargs="?", default="-", metavar="FILE", help="the conversation text; '-' or nothing: stdin")
    p.add_argument("--json", action="store_true", help='print {"case": ..., "hypotheses": ...} as JSON')
    p.add_argument("--region", default="US", help="country for numbers without +country code (default: US)")
    p.set_defaults(func=run)


def read_text_input(name: str) -> bytes:
    if name == "-":
        if sys.stdin.isatty():
            raise InputError(
                "No conversation given.", "Pipe the text in (e.g. pbpaste | sipsight triage) or give a FILE."
            )
        data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode("utf-8")
    else:
        data = read_input_file(
            name,
            max_bytes=MAX_INPUT_BYTES,
            kind="text",
            looks_like="a conversation",
            instead="pipe the text in on standard input",
        )
    if len(data) > MAX_INPUT_BYTES:
        raise InputError("The input is larger than 16 MB; it does not look like a conversation.")
    label = "Standard input" if name == "-" else name
    if not data.strip():
        raise InputError(f"{label} is empty: no conversation given.", "Pipe the text in or give a FILE that holds it.")
    from sipsight.core.intake import decode, looks_binary

    # judged on the decoded text: UTF-16 with a BOM is text, though its raw bytes are full of NULs
    if looks_binary(decode(data)):  # a script piping the wrong file should fail, not get a report read from noise
        raise InputError(f"{label} looks like binary data, not a conversation.", "Give the conversation as text.")
    return data


def run(args: argparse.Namespace) -> int:
    from sipsight.core.diagnosis import hypothesize
    from sipsight.core.intake import parse

    region = region_arg(args.region) or "US"
    case = parse(read_text_input(args.file), region=region)
    hypotheses = hypothesize(case)
    if args.json:
        doc = {
            "case": case.model_dump(mode="json"),
            "hypotheses": hypotheses.model_dump(mode="json"),
        }
        print(json.dumps(doc, indent=2, ensure_ascii=False))
        return 0
    from sipsight.cli.text_report import render_case, use_color

    print(render_case(case, hypotheses, use_color(sys.stdout)))
    return 0
