"""Starting the desktop app: QApplication, theme, error hooks, the window; the --lookup and --screenshot runs.

`sipsight.gui.command.run` calls `run(options)`; tests and the self-test use `create_window`.
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from sipsight.core.errors import InputError, SipsightError

if TYPE_CHECKING:
    from sipsight.core.models import LookupResult
    from sipsight.gui.main_window import MainWindow
    from sipsight.settings.model import Settings

log = logging.getLogger("sipsight.gui")
SCREENSHOT_SIZE = (440, 820)


@dataclass
class GuiOptions:
    demo: bool = False
    scenario: str | None = None
    lookup: str | None = None
    screenshot: Path | None = None
    profile: str | None = None
    theme: str = ""  # system | light | dark; empty: the settings' choice
    width: int | None = None
    height: int | None = None
    latency_ms: int = 0
    fault: str | None = None
    tab: str | None = None  # explanation | reply | timeline | calls (screenshots)
    health: bool = False  # screenshots: the lookup's Caller ID view instead of the panel


def ensure_app(argv: list[str] | None = None) -> QApplication:
    app = current_app() or QApplication(argv or [sys.argv[0]])
    app.setApplicationName("SIPSight")
    app.setOrganizationName("SIPSight")
    app.setApplicationDisplayName("SIPSight")
    app.setDesktopFileName("sipsight")
    return app


def current_app() -> QApplication | None:
    """The running QApplication (a widgets app: the window needs one), or None before it exists."""
    app = QApplication.instance()
    return app if isinstance(app, QApplication) else None


def load_settings_safely() -> tuple[Settings | None, str | None]:
    """(settings, problem): a broken settings file must not stop the app; it runs on defaults and says so.

    The store's notes (a file set aside, a migration) are told by the window (`show_storage_notes`), once."""
    try:
        from sipsight.settings.store import load_settings

        return load_settings(), None
    except (SipsightError, OSError) as err:
        return None, str(err)


def create_window(
    options: GuiOptions | None = None, settings: Settings | None = None, *, install_hooks: bool = True
) -> MainWindow:
    """Build (not show) the main window with theme and error hooks; QApplication must exist."""
    from sipsight.gui.error_hooks import ErrorHooks
    from sipsight.gui.lookup_request import SessionOptions
    from sipsight.gui.main_window import MainWindow, window_icon
    from sipsight.gui.theme import apply_theme

    options = options or GuiOptions()
    app = current_app()
    if app is None:
        raise RuntimeError("create_window() needs a QApplication: call ensure_app() first")
    problem = None
    if settings is None:
        settings, problem = load_settings_safely()
    theme = options.theme or (settings.theme if settings is not None else "system")
    apply_theme(app, theme)
    if theme == "system":
        app.styleHints().colorSchemeChanged.connect(lambda *_: apply_theme(app, "system"))
    window = MainWindow(settings, demo=options.demo, scenario=options.scenario, profile=options.profile)
    window.setWindowIcon(window_icon())
    if options.latency_ms or options.fault:
        window.lookups.session_options = SessionOptions(latency_ms=options.latency_ms, fault=options.fault)
    if settings is not None and settings.demo_provider:
        window.lookups.set_demo_provider(settings.demo_provider)
    if options.width or options.height:
        window.resize(options.width or window.width(), options.height or window.height())
    if install_hooks:
        window.error_hooks = ErrorHooks(window.show_crash).install()
    if problem:
        window.banner.show_message("Note about your settings", problem, kind="warning")
    else:
        window.show_storage_notes()
    return window


def run(options: GuiOptions) -> int:
    from sipsight.core.crash import setup_logging
    from sipsight.export import qt_log

    setup_logging()
    qt_log.install()  # Qt's own chatter goes to the log: a screenshot run prints only where the PNG went
    if options.screenshot is not None:
        # Screenshots are for docs and training: same pixels on any machine, no display needed.
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        if not options.lookup and not options.scenario:
            options.scenario = "origin-ticket"
        if options.profile is None:
            options.demo = True
    app = ensure_app()
    window = create_window(options)
    if options.screenshot is not None:
        # Same pixels on any machine: the default size, not the agent's saved one, and nothing saved back.
        window.persist = False
        window.resize(options.width or SCREENSHOT_SIZE[0], options.height or SCREENSHOT_SIZE[1])
    runner = _Run(app, window, options)
    probe = os.environ.get("SIPSIGHT_BENCH_PROBE")  # bench/bench_gui.py: startup | memory
    if probe:
        _install_probe(app, window, probe)
    window.show()
    runner.after_first_paint()
    code = app.exec()
    return runner.exit_code if runner.exit_code is not None else code


class _Run(QObject):
    """What happens after the first paint: load the rest, pre-fill, look up, maybe screenshot and quit."""

    def __init__(self, app: QApplication, window: MainWindow, options: GuiOptions) -> None:
        super().__init__(window)
        self.app = app
        self.window = window
        self.options = options
        self.exit_code: int | None = None

    def after_first_paint(self) -> None:
        """Run after_show once the window is on screen, so loading the heavy parts never delays the first frame."""
        handle = self.window.windowHandle()
        started = {"done": False}

        def go() -> None:
            if not started["done"]:
                started["done"] = True
                self.after_show()

        class _Exposed(QObject):
            def eventFilter(self, obj: QObject, event: QEvent) -> bool:
                if event.type() == QEvent.Type.Expose and handle is not None and handle.isExposed():
                    handle.removeEventFilter(self)
                    QTimer.singleShot(0, go)  # after this expose has been painted
                return False

        if handle is None:
            QTimer.singleShot(0, go)
            return
        handle.installEventFilter(_Exposed(self))
        QTimer.singleShot(500, go)  # a platform that never exposes (minimised start) still gets its data

    def after_show(self) -> None:
        if self.options.screenshot is not None:
            QTimer.singleShot(60_000, self._give_up)
        try:
            self._prepare_and_look_up()
        except Exception as err:
            if self.window.error_hooks is not None:
                self.window.error_hooks.handle(err)
            if self.options.screenshot is not None:
                QTimer.singleShot(150, self.save_screenshot)

    def _prepare_and_look_up(self) -> None:
        window, options = self.window, self.options
        window.finish_startup()
        if options.lookup:
            window.input_panel.set_text(options.lookup)
        elif options.scenario and window.demo:
            scenario = next((s for s in window.scenarios if s.name == options.scenario), None)
            if scenario is None:
                window.show_error(
                    f"Unknown scenario '{options.scenario}'.",
                    "Pick one from the scenario list; 'sipsight simulate --list' names them.",
                    retry=False,
                )
            else:
                window.prefill_scenario(scenario)
        if options.screenshot is not None:
            window.lookup_finished.connect(lambda _r: QTimer.singleShot(150, self.save_screenshot))
            window.lookup_failed.connect(lambda _e: QTimer.singleShot(150, self.save_screenshot))
        if options.lookup or options.screenshot is not None:
            window.look_up()
            if options.screenshot is not None and window.lookups.last_request is None:
                self.shoot_when_idle(window)

    def shoot_when_idle(self, window: MainWindow) -> None:
        """No lookup started: a conversation link may still be read (its lookup follows and shoots when it ends);
        otherwise there is nothing to look up, or the link failed: shoot what the window says."""
        if window.inbox.fetching is not None:
            QTimer.singleShot(100, lambda: self.shoot_when_idle(window))
        elif window.lookups.last_request is None:
            QTimer.singleShot(150, self.save_screenshot)

    def save_screenshot(self) -> None:
        from sipsight.gui.results_view import TABS

        if self.options.screenshot is None:
            return
        if self.options.health and self._open_health():
            return
        if self.options.tab in TABS:
            self.window.results.show_tab(self.options.tab)
            self.app.processEvents()
        path = Path(self.options.screenshot)
        path.parent.mkdir(parents=True, exist_ok=True)
        ok = self.window.grab().save(str(path), "PNG")
        if ok:
            print(f"screenshot written to {path}")
            self.exit_code = 0
        else:
            print(f"sipsight: error: could not write {path}", file=sys.stderr)
            self.exit_code = 1
        self.window.close()
        self.app.quit()

    def _open_health(self) -> bool:
        """Click the results' Caller ID link; the view's own window is shot once its report shows."""
        self.options.health = False
        if not self.window.results.health_link.isVisible():
            return False
        self.window.results.health_link.click()
        view = getattr(self.window, "caller_health_view", None)
        if view is None:
            return False
        view.resize(self.options.width or SCREENSHOT_SIZE[0], self.options.height or SCREENSHOT_SIZE[1])
        view.shown.connect(lambda _r: QTimer.singleShot(150, lambda: self._shoot(view)))
        view.failed.connect(lambda _e: QTimer.singleShot(150, lambda: self._shoot(view)))
        return True

    def _shoot(self, widget: QWidget) -> None:
        path = Path(self.options.screenshot or "")
        path.parent.mkdir(parents=True, exist_ok=True)
        self.exit_code = 0 if widget.grab().save(str(path), "PNG") else 1
        print(f"screenshot written to {path}" if self.exit_code == 0 else f"sipsight: error: could not write {path}")
        self.window.close()
        self.app.quit()

    def _give_up(self) -> None:
        if self.exit_code is None:
            print("sipsight: error: the lookup did not finish within 60 s; no screenshot written", file=sys.stderr)
            self.exit_code = 1
            self.app.quit()


def _install_probe(app: QApplication, window: MainWindow, probe: str) -> None:
    """Benchmark markers on stdout, then quit: the first expose (startup) or RSS after a demo lookup (memory)."""
    import time

    if probe == "startup":
        window.winId()  # creates the native window so its expose event can be watched
        handle = window.windowHandle()

        class _Exposed(QObject):
            def eventFilter(self, obj: QObject, event: QEvent) -> bool:
                if event.type() == QEvent.Type.Expose and handle.isExposed():
                    print(f"SIPSIGHT_SHOWN {time.time():.6f}", flush=True)
                    handle.removeEventFilter(self)
                    QTimer.singleShot(0, app.quit)
                return False

        handle.installEventFilter(_Exposed(window))
    elif probe == "memory":

        def report(_result: LookupResult) -> None:
            rss = next(
                (
                    line.split()[1]
                    for line in Path("/proc/self/status").read_text().splitlines()
                    if line.startswith("VmRSS")
                ),
                "0",
            )
            print(f"SIPSIGHT_RSS_KB {rss}", flush=True)
            QTimer.singleShot(0, app.quit)

        window.lookup_finished.connect(report)


def parse_theme(value: str) -> str:
    if value not in ("system", "light", "dark"):
        raise InputError(f"Unknown theme '{value}'.", "Use system, light or dark.")
    return value
