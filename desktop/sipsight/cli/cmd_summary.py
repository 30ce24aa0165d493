"""`sipsight summary`: the educational summary of a case as Markdown, HTML or PDF.

A case is a demo scenario (`--demo [--scenario NAME]`, the numbers and the customer's message come from
the scenario, as in the training window) or a real lookup (`NUMBER [--from CALLER_ID] [--profile NAME]`,
as `sipsight lookup`). Markdown goes to standard output unless --output says otherwise; a PDF always goes
to a file (sipsight-summary.pdf by default), and the command says where.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from sipsight.core.errors import InputError

if TYPE_CHECKING:
    from sipsight.core.models import LookupResult

FORMATS = ("md", "html", "pdf")
DEFAULT_PDF = "sipsight-summary.pdf"
_SUFFIX_FORMATS = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".pdf": "pdf"}


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "summary",
        help="the educational summary of a case (Markdown, HTML or PDF)",
        description="Write the educational summary of a case, in the structure of the origin ticket's trainer "
        "write-up: the problem, how to identify it, what the codes mean, the call flow with this case's path, "
        "and a tip.",
    )
    p.add_argument("number", nargs="?", help="the destination number (not needed with --demo)")
    p.add_argument(
        "--from", dest="caller_id", metavar="CALLER_ID", help="the customer's caller ID (inferred if omitted)"
    )
    src = p.add_mutually_exclusive_group()
    src.add_argument("--profile", help="a saved profile (see 'sipsight profile list')")
    src.add_argument("--demo", action="store_true", help="a built-in demo scenario instead of a real account")
    p.add_argument("--scenario", help="demo scenario name (implies --demo; default: origin-ticket)")
    p.add_argument(
        "--format", choices=FORMATS, help="md (default), html or pdf; without it, the --output file's suffix decides"
    )
    p.add_argument("--output", "-o", metavar="PATH", help=f"write to PATH (a PDF defaults to ./{DEFAULT_PDF})")
    p.add_argument("--since", default=None, help="time window for a NUMBER lookup: 24h, 7d, or YYYY-MM-DD (default 7d)")
    p.add_argument("--tz", help="time zone for displayed times (IANA name, 'local' or 'UTC')")
    p.add_argument("--region", help="default country for numbers without +country code (e.g. US, GB)")
    p.set_defaults(func=run)


def output_format(fmt: str | None, output: str | None) -> str:
    if fmt:
        return fmt
    if output:
        return _SUFFIX_FORMATS.get(Path(output).suffix.lower(), "md")
    return "md"


def _check_output(path: Path) -> Path:
    path = path.expanduser()
    if path.is_dir():
        raise InputError(f"{path} is a folder.", "Give a file name, e.g. --output summary.pdf.")
    if not path.parent.is_dir():
        raise InputError(f"The folder {path.parent} does not exist.", "Create it or choose another --output path.")
    return path


def run(args: argparse.Namespace) -> int:
    from sipsight.cli.common import region_arg

    args.region = region_arg(args.region)
    if args.scenario is not None and not args.scenario.strip():
        raise InputError("--scenario needs a scenario name.", "See 'sipsight simulate --list'.")
    demo = bool(args.demo or args.scenario)
    if demo and args.since is not None:  # silently ignoring it would hide a typo, or a wrong expectation
        raise InputError("--since is for a NUMBER lookup; a demo scenario has its own times.", "Drop --since.")
    if args.scenario and args.profile:
        raise InputError("--scenario is a demo option; it cannot be used with --profile.", "Drop one of them.")
    if not demo and not args.number:
        raise InputError(
            "Give the NUMBER to look up, or --demo for a built-in scenario.",
            "Example: sipsight summary +13035550199 --from +17205550100, or sipsight summary --demo.",
        )
    fmt = output_format(args.format, args.output)
    out = Path(args.output) if args.output else (Path(DEFAULT_PDF) if fmt == "pdf" else None)
    if out is not None:
        out = _check_output(out)
    result, tz = _demo_result(args) if demo else _lookup_result(args)
    if fmt == "pdf":
        from sipsight.export.pdf import save_summary_pdf  # Qt only for PDFs: md/html stay light

        written = save_summary_pdf(result, out or Path(DEFAULT_PDF), tz=tz).resolve()
        print(f"Summary PDF written to {written}", file=sys.stderr)
        return 0
    from sipsight.core.replies.summary import render_html, render_markdown

    text = render_markdown(result, tz=tz) if fmt == "md" else render_html(result, tz=tz)
    if out is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return 0
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as err:
        raise InputError(f"Cannot write {out}: {err.strerror or err}.", "Choose another --output path.") from None
    print(f"Summary ({fmt}) written to {out.resolve()}", file=sys.stderr)
    return 0


def _demo_result(args: argparse.Namespace) -> tuple[LookupResult, str]:
    """A demo scenario, looked up on the embedded simulator with the scenario's numbers and message."""
    from datetime import UTC, datetime

    from sipsight.core.lookup import run_lookup
    from sipsight.core.phone import InvalidNumber, to_e164
    from sipsight.core.scenarios import get_scenario
    from sipsight.core.timezones import resolve_tz
    from sipsight.providers.factory import open_provider
    from sipsight.training.cases import scenario_context, scenario_query

    scenario = get_scenario(args.scenario)
    tz = resolve_tz(args.tz)
    now = datetime.now(UTC)
    query = scenario_query(scenario, now)
    if args.number or args.caller_id:
        region = args.region or "US"
        try:
            update = {"destination": to_e164(args.number, region)} if args.number else {}
            if args.caller_id:
                update["caller_id"] = to_e164(args.caller_id, region)
        except InvalidNumber as err:
            raise InputError(str(err), "Give the number with its country code, e.g. +1 303 555 0199.") from None
        query = query.model_copy(update=update)
    with open_provider(demo=True, scenario=scenario.name) as session:
        return run_lookup(session, query, context=scenario_context(scenario, now), tz=tz), tz


def _lookup_result(args: argparse.Namespace) -> tuple[LookupResult, str]:
    """A real lookup, exactly as `sipsight lookup` builds it (profile, region, time zone, window)."""
    from sipsight.cli.common import lookup_query
    from sipsight.core.lookup import run_lookup
    from sipsight.providers.factory import open_provider

    with open_provider(profile=args.profile) as session:
        query, tz = lookup_query(args, session)
        return run_lookup(session, query, tz=tz), tz
