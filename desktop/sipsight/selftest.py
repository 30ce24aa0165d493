"""`sipsight --self-test`: prove an installed or frozen app works, without a screen or an account.

Checks the packaged data (knowledge base, scenarios, reply templates), intake, then opens the main
window offscreen and runs the origin ticket's demo lookup through the embedded simulator over real
HTTP, exactly as an agent would. Exit 0 only when the diagnosis matches the scenario's expected
kind. Runs in a throwaway settings directory so it never touches the user's profiles.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

SCENARIO = "origin-ticket"
TIMEOUT_S = 60


def _check(label: str, fn: Callable[[], str]) -> bool:
    started = time.perf_counter()
    try:
        detail = fn()
    except Exception as err:  # the self-test reports every failure as one line, never a traceback
        print(f"FAIL {label}: {type(err).__name__}: {err}")
        return False
    print(f"ok   {label}: {detail} ({(time.perf_counter() - started) * 1000:.0f} ms)")
    return True


def _core_checks() -> bool:
    from sipsight.core.intake import parse
    from sipsight.core.knowledge import knowledge
    from sipsight.core.scenarios import get_scenario, load_scenarios

    def kb() -> str:
        entry = knowledge().get("sip:608")
        return f"{len(knowledge().entries())} entries; 608 = {entry.name}"

    def scenarios() -> str:
        library = load_scenarios(include_user=False)
        return f"{len(library.scenarios)} scenarios"

    def intake() -> str:
        case = parse(get_scenario(SCENARIO).conversation)
        return f"{len(case.symptoms)} symptoms, {len(case.numbers)} numbers"

    def templates() -> str:
        from sipsight.core.replies import load_templates

        load_templates()  # the packaged ones, validated: a broken install fails here, not at the first reply
        return "reply templates load"

    return all(
        [
            _check("knowledge base", kb),
            _check("scenarios", scenarios),
            _check("intake", intake),
            _check("reply templates", templates),
        ]
    )


def _gui_check() -> bool:
    from PySide6.QtCore import QTimer

    from sipsight.core.scenarios import get_scenario
    from sipsight.gui.app import GuiOptions, create_window, ensure_app

    app = ensure_app()
    _quiet_offscreen_noise()
    window = create_window(GuiOptions(demo=True, scenario=SCENARIO), install_hooks=False)
    outcome: dict[str, Any] = {}

    def finished(result: Any) -> None:
        outcome["result"] = result
        app.quit()

    def failed(error: Any) -> None:
        outcome["error"] = error
        app.quit()

    def start() -> None:
        window.finish_startup()
        window.prefill_scenario(get_scenario(SCENARIO))
        window.look_up()

    window.lookup_finished.connect(finished)
    window.lookup_failed.connect(failed)
    window.show()
    QTimer.singleShot(0, start)
    QTimer.singleShot(TIMEOUT_S * 1000, app.quit)
    started = time.perf_counter()
    app.exec()
    elapsed = time.perf_counter() - started

    if "error" in outcome:
        print(f"FAIL demo lookup: {outcome['error']}")
        return False
    result = outcome.get("result")
    if result is None:
        print(f"FAIL demo lookup: no result within {TIMEOUT_S} s")
        return False
    expected = get_scenario(SCENARIO).expected.kind
    kind = result.diagnosis.kind if result.diagnosis else None
    shot = window.grab()
    window.close()
    ok = kind == expected and not shot.isNull() and len(result.attempts) > 0
    status = "ok  " if ok else "FAIL"
    print(
        f"{status} demo lookup in the window: {len(result.attempts)} attempts, "
        f"{len(result.caller_attempts)} other calls, "
        f"{result.request_count} requests, diagnosis {kind} (expected {expected}) in {elapsed:.1f} s"
    )
    return ok


def _quiet_offscreen_noise() -> None:
    """The offscreen platform warns that it cannot resize native windows; that is expected here."""
    from PySide6.QtCore import qInstallMessageHandler

    previous = None

    def handler(mode: Any, context: Any, message: str) -> None:
        if "does not support propagateSizeHints" in message or "does not support raise" in message:
            return
        if previous is not None:
            previous(mode, context, message)
        else:
            print(message, file=sys.stderr)

    previous = qInstallMessageHandler(handler)


def run_self_test() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory(prefix="sipsight-selftest-") as home:
        os.environ["SIPSIGHT_HOME"] = home
        from sipsight import __version__

        frozen = getattr(sys, "frozen", False)
        print(f"SIPSight {__version__} self-test (Python {sys.version.split()[0]}, frozen={frozen})")
        ok = _core_checks() and _gui_check()
    print("self-test passed" if ok else "self-test FAILED")
    return 0 if ok else 1
