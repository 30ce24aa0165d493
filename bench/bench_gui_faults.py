"""The desktop app's column of the fault matrix: for each simulator fault, what the agent sees after pressing
Enter (`sipsight gui --demo --fault KIND`, the shipped timeouts, retries and budget): the banner's message and
hint, whether Retry is offered, and the time from Enter to the banner (or to the result when the lookup copes).

    QT_QPA_PLATFORM=offscreen python bench/bench_gui_faults.py [--only KIND]

Prints a Markdown table for docs/reliability.md. The slow fault waits for the shipped read timeout, so the
whole run takes about a minute. Exit 1 when a fault that must fail shows no error banner, or one that the lookup
survives shows one.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from dataclasses import dataclass

TEXT = "The seller at (303) 555-0199 never picks up when I call from 720-555-0100, did they block me?"


@dataclass(frozen=True)
class Fault:
    spec: str  # the simulator's fault grammar (docs/simulator.md), as `sipsight gui --fault` takes it
    name: str
    fails: bool = True  # False: the lookup copes (a result, maybe with a caveat), no error banner


FAULTS = [
    Fault("401", "401 bad credentials"),
    Fault("403", "403 Voice Insights off (its default scope)", fails=False),
    Fault("403@all", "403 on everything (a restricted key)"),
    Fault("404", "404 account not found"),
    Fault("429", "429, Retry-After 1 s (every request)"),
    Fault("429:2", "429 twice, then service", fails=False),
    Fault("500", "500"),
    Fault("503", "503 (every request)"),
    Fault("503=2:1", "503, Retry-After 2 s, once", fails=False),
    Fault("503@insights", "Insights 503, Calls fine", fails=False),
    Fault("slow=30", "slow: 30 s before answering"),
    Fault("reset", "TCP reset"),
    Fault("truncated", "truncated body"),
    Fault("malformed", "malformed body (not JSON)"),
    Fault("empty", "empty lists", fails=False),
]


@dataclass
class Seen:
    message: str
    hint: str
    retry: bool
    seconds: float
    error: bool


def run_one(fault: Fault) -> Seen:
    """One window per fault, as `sipsight gui --demo --fault SPEC` builds it; Enter, then wait for the outcome."""
    from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer

    from sipsight.gui.app import GuiOptions, create_window, ensure_app
    from sipsight.settings.model import Settings

    ensure_app()
    window = create_window(GuiOptions(demo=True, fault=fault.spec, theme="light"), Settings(), install_hooks=False)
    window.persist = False
    window.show()
    window.finish_startup()
    window.input_panel.set_text(TEXT)
    loop = QEventLoop()
    outcome: list[bool] = []
    window.lookup_failed.connect(lambda _e: (outcome.append(True), loop.quit()))
    window.lookup_finished.connect(lambda _r: (outcome.append(False), loop.quit()))
    QTimer.singleShot(180_000, loop.quit)
    started = time.monotonic()
    window.look_up()
    if not outcome:
        loop.exec()
    took = time.monotonic() - started
    banner = window.banner
    error = banner.isVisible() and banner.kind == "error"
    seen = Seen(
        banner.message_label.text() if error else "",
        banner.hint_label.text() if error else "",
        error and banner.button("Retry") is not None,
        took,
        error,
    )
    if not outcome:
        seen.message = "(no outcome within 180 s)"
    window.lookups.cancel()
    window.lookups.wait_idle(5000)
    window.close()
    window.deleteLater()
    QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    return seen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help="run only the faults whose spec starts with this")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    from sipsight.export import qt_log

    qt_log.install()  # as `sipsight gui` does: Qt's own messages to the log
    wrong = 0
    with tempfile.TemporaryDirectory(prefix="sipsight-gui-faults-") as home:
        os.environ["SIPSIGHT_HOME"] = home
        print("| fault (`--fault`) | the banner (message, then hint) | Retry | time to banner (s) |")
        print("|---|---|---|---|")
        for fault in FAULTS:
            if args.only and not fault.spec.startswith(args.only):
                continue
            seen = run_one(fault)
            ok = seen.error == fault.fails and (not seen.error or (bool(seen.hint) and seen.retry))
            wrong += not ok
            shown = f"**{seen.message}** {seen.hint}" if seen.error else "no error banner: the result shows"
            shown = shown.replace("|", "\\|").replace("\n", " ")
            flag = "" if ok else " **UNEXPECTED**"
            print(
                f"| {fault.name} (`{fault.spec}`){flag} | {shown} | {'yes' if seen.retry else 'no'} | "
                f"{seen.seconds:.1f} |",
                flush=True,
            )
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
