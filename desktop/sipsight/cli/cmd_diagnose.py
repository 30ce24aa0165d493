"""`sipsight diagnose ATTEMPTS.json`: explain call attempts from a file, offline (no provider account).

Accepts a JSON list of attempts (the report's attempt shape), an object {"attempts": [...],
"caller_attempts": [...], "caller_id": ..., "destination": ...}, or a previous `--json` report.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import timedelta
from typing import TYPE_CHECKING

from sipsight.cli.common import read_input_file, region_arg
from sipsight.core.errors import InputError
from sipsight.core.phone import InvalidNumber, to_e164

if TYPE_CHECKING:
    from sipsight.core.models import Attempt, DiagnosisContext

MAX_FILE_BYTES = 64 * 1024 * 1024  # far above any real export; stops a wrong file (a disk image) from eating memory


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "diagnose",
        help="explain call attempts from a JSON file (offline)",
        description="Diagnose call attempts read from a JSON file ('-' for stdin): a list of attempts, an object "
        'with "attempts" (and optionally "caller_attempts", "caller_id", "destination"), or a previous '
        "--json report. See docs/json-schema.md for the attempt fields.",
    )
    p.add_argument("file", metavar="ATTEMPTS.json", help="the attempts file, or '-' for standard input")
    p.add_argument(
        "--destination",
        "--to",
        dest="destination",
        help="the number the customer called (default: the most common 'to' in the file)",
    )
    p.add_argument(
        "--from",
        dest="caller_id",
        metavar="CALLER_ID",
        help="the customer's caller ID (default: from the file, else the most common 'from')",
    )
    p.add_argument("--json", action="store_true", help="print the JSON document instead of the text report")
    p.add_argument("--tz", help="time zone for displayed times (IANA name, 'local' or 'UTC'; default: local)")
    p.add_argument("--region", default="US", help="country for numbers given without +country code (default: US)")
    p.set_defaults(func=run)


def read_json_input(name: str) -> object:
    """Parse a JSON file or stdin; every failure is an InputError that says what and where."""
    if name == "-":
        if sys.stdin.isatty():
            raise InputError("No input on standard input.", "Pipe a JSON file in, or give its path.")
        text = sys.stdin.read()
        label = "standard input"
    else:
        raw = read_input_file(
            name,
            max_bytes=MAX_FILE_BYTES,
            kind="JSON",
            looks_like="an attempts file",
            instead="use '-' to read standard input",
        )
        label = name
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InputError(f"{name} is not UTF-8 text; it does not look like a JSON file.") from None
    if not text.strip():
        raise InputError(f"{label} is empty.", 'Expected a JSON list of attempts or an object with "attempts".')
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise InputError(
            f"{label} is not valid JSON: {err.msg} at line {err.lineno}, column {err.colno}.",
            "Fix the JSON (a trailing comma or a missing quote is the usual cause).",
        ) from None
    except RecursionError:  # thousands of nested brackets: not an export, and json gives up on the stack
        raise InputError(
            f"{label} is nested too deeply to be an attempts file.", "See docs/json-schema.md for the shape."
        ) from None


def unknown_fields(data: object) -> list[str]:
    """Attempt keys the model does not know (a misspelt or foreign field would otherwise vanish silently)."""
    from sipsight.core.models import Attempt

    known = {name for name in Attempt.model_fields} | {f.alias for f in Attempt.model_fields.values() if f.alias}
    lists: list[object] = [data] if isinstance(data, list) else []
    if isinstance(data, dict):
        lists = [data.get("attempts"), data.get("caller_attempts")]
    found: dict[str, None] = {}
    for items in lists:
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict):
                found.update(dict.fromkeys(k for k in item if k not in known))
    return list(found)


def _number(value: str | None, what: str, region: str) -> str | None:
    if value is None:
        return None
    try:
        return to_e164(value, region)
    except InvalidNumber as err:
        raise InputError(f"{what}: {err}", "Give the number in any usual notation, e.g. +1 303 555 0199.") from None


def _normalised(attempts: list[Attempt], region: str) -> list[Attempt]:
    """Attempts with from/to in E.164 where they parse (exports often hold '(303) 555-0199'); others as given."""
    cache: dict[str, str] = {}

    def e164(value: str) -> str:
        if value not in cache:
            try:
                cache[value] = to_e164(value, region)
            except InvalidNumber:
                cache[value] = value  # a SIP URI or a client name: keep it, the diagnosis treats it as opaque
        return cache[value]

    return [a.model_copy(update={"to": e164(a.to), "from_": e164(a.from_)}) for a in attempts]


def _signer() -> DiagnosisContext:
    """Who signs the reply: the agent and company names from the settings (neutral wording when unset)."""
    from sipsight.core.models import DiagnosisContext
    from sipsight.settings.store import load_settings

    return DiagnosisContext(**load_settings().reply_signer())


def run(args: argparse.Namespace) -> int:
    from sipsight.core.callers import infer_caller_id
    from sipsight.core.json_document import most_common, read_attempts_document
    from sipsight.core.lookup import analyse
    from sipsight.core.models import Query
    from sipsight.core.timezones import resolve_tz

    tz = resolve_tz(args.tz)
    args.region = region_arg(args.region)
    data = read_json_input(args.file)
    doc = read_attempts_document(data)
    ignored = unknown_fields(data)
    if ignored:
        print(
            f"sipsight: note: ignored unknown attempt field(s): {', '.join(ignored[:10])}"
            f"{' ...' if len(ignored) > 10 else ''} (see docs/json-schema.md for the field names)",
            file=sys.stderr,
        )
    doc.attempts = _normalised(doc.attempts, args.region)
    doc.caller_attempts = _normalised(doc.caller_attempts, args.region)
    everything = [*doc.attempts, *doc.caller_attempts]
    if not everything:
        raise InputError("The file holds no call attempts.", "Give at least one attempt; see docs/json-schema.md.")
    destination = _number(args.destination, "--destination", args.region)
    if destination is None and doc.destination:
        destination = _number(doc.destination, '"destination" in the file', args.region)
    if destination is None:
        destination = most_common([a.to for a in doc.attempts] or [a.to for a in everything])
    caller_id = _number(args.caller_id, "--from", args.region)
    if caller_id is None and doc.caller_id:
        caller_id = _number(doc.caller_id, '"caller_id" in the file', args.region)
    # a flat list may mix destinations: this number's calls are the case, the rest is the caller's baseline
    attempts = [a for a in everything if a.to == destination]
    if not attempts:
        raise InputError(
            f"No attempt in the file was to {destination}.", "Check --destination, or leave it out to use the file's."
        )
    if caller_id is None:
        caller_id = infer_caller_id(attempts)
    listed = {id(a) for a in doc.caller_attempts}
    others = [a for a in everything if a.to != destination and (id(a) in listed or a.from_ == caller_id)]
    times = [a.start_time for a in attempts]
    query = Query(
        destination=destination,
        caller_id=caller_id,
        since=min(times) - timedelta(seconds=1),
        until=max(times),
    )
    provider = doc.provider or most_common([a.provider for a in attempts]) or "file"
    result = analyse(query, attempts, others, provider=provider, tz=tz, caller_id=caller_id, context=_signer())
    if args.json:
        from sipsight.core.json_document import to_document

        print(json.dumps(to_document(result), indent=2, ensure_ascii=False))
    else:
        from sipsight.cli.text_report import render_result, use_color

        print(render_result(result, tz, use_color(sys.stdout)))
    return 0
