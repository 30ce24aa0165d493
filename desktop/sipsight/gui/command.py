"""`sipsight gui` (also plain `sipsight`): the desktop app's subcommand, which the launcher hands the CLI.

PySide6 is imported inside `run` only, so `sipsight --help` and every other subcommand stay Qt-free.
"""

from __future__ import annotations

import argparse
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "gui",
        help="open the desktop app (the default when no command is given)",
        description="Open the SIPSight side panel. With --screenshot it renders the window after the lookup, "
        "saves a PNG and exits (for the README, docs and training material).",
    )
    src = p.add_mutually_exclusive_group()
    src.add_argument("--demo", action="store_true", help="run on the built-in demo data (no account needed)")
    src.add_argument("--profile", help="look up with this saved profile (see 'sipsight profile list')")
    p.add_argument("--scenario", help="demo scenario to start with; its conversation is pasted in (implies --demo)")
    p.add_argument("--lookup", metavar="NUMBER", help="look this number (or text) up right after start")
    p.add_argument(
        "--screenshot",
        metavar="PATH",
        type=Path,
        help="render the window after the lookup completes, save it as PNG and exit "
        "(demo scenario 'origin-ticket' unless --scenario/--lookup/--profile say otherwise)",
    )
    p.add_argument(
        "--theme",
        choices=("system", "light", "dark"),
        default=None,
        help="colour scheme (default: the settings, which follow the system)",
    )
    p.add_argument("--size", metavar="WxH", help="window size, e.g. 420x860 (screenshots)")
    p.add_argument(
        "--tab", choices=("explanation", "reply", "timeline", "calls"), help="result tab to show (screenshots)"
    )
    p.add_argument(
        "--health",
        action="store_true",
        help="screenshots: after the lookup, open its caller ID's health view (one click, as an agent would) and "
        "render that window instead",
    )
    # Training and docs: show what an error looks like without breaking a real account.
    p.add_argument(
        "--fault",
        metavar="SPEC",
        help="demo only: make the demo provider fail, e.g. 401, 429, 503, reset, malformed, slow=15 "
        "(the simulator's fault grammar)",
    )
    p.add_argument("--latency-ms", type=int, default=0, help="demo only: add this much latency to each request")
    p.set_defaults(func=run)


def _size(text: str | None) -> tuple[int | None, int | None]:
    from sipsight.core.errors import InputError

    if not text:
        return None, None
    try:
        w, h = text.lower().split("x", 1)
        width, height = int(w), int(h)
    except ValueError:
        raise InputError(f"'{text}' is not a window size.", "Write it as WIDTHxHEIGHT, e.g. 420x860.") from None
    if not (200 <= width <= 8000 and 200 <= height <= 8000):
        raise InputError(f"'{text}' is not a usable window size.", "Use 200 to 8000 pixels per side.")
    return width, height


def run(args: argparse.Namespace) -> int:
    from sipsight.core.errors import InputError

    if (args.fault or args.latency_ms) and args.profile:
        raise InputError("--fault and --latency-ms work on the demo data only.", "Drop --profile, or drop --fault.")
    if args.latency_ms < 0:
        raise InputError("--latency-ms cannot be negative.", "Use 0 or more.")
    if args.fault:
        from sipsight.simulator.faults import parse_faults

        parse_faults(args.fault)  # a typo is a clear usage error here, not a banner after start
    width, height = _size(args.size)
    if args.screenshot is None:  # a screenshot renders offscreen and needs no screen
        from sipsight.gui.preflight import check_display

        check_display()

    from sipsight.gui.app import GuiOptions  # Qt loads here, not at CLI start
    from sipsight.gui.app import run as run_gui

    options = GuiOptions(
        demo=bool(args.demo or args.scenario or args.fault or args.latency_ms),
        scenario=args.scenario,
        lookup=args.lookup,
        screenshot=args.screenshot,
        profile=args.profile,
        theme=args.theme or "",
        width=width,
        height=height,
        latency_ms=args.latency_ms,
        fault=args.fault,
        tab=args.tab,
        health=args.health,
    )
    return run_gui(options)
