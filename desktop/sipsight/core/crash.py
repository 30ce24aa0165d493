"""Crash reports: the traceback goes to a log file with phone numbers and secrets masked, never to a dialog."""

from __future__ import annotations

import logging
import traceback
from datetime import UTC, datetime
from pathlib import Path

from sipsight.core.paths import log_dir
from sipsight.core.privacy import MaskingFilter, mask_text


def crash_log_path() -> Path:
    return log_dir() / "sipsight.log"


def record_crash(err: BaseException) -> Path | None:
    """Append a masked traceback to the log file; its path, or None when it could not be written."""
    path = crash_log_path()
    text = "".join(traceback.format_exception(type(err), err, err.__traceback__))
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as fh:
            fh.write(f"--- {stamp} unexpected error\n{mask_text(text)}\n")
    except OSError:
        return None
    return path


def where_saved(path: Path | None) -> str:
    """The end of a sentence telling the user where the crash details went."""
    return (
        f"details were written to {path}" if path else "the details could not be saved (the log folder is not writable)"
    )


_HANDLER = "sipsight-log"  # the name that marks our own handler, so a second setup adds none


def setup_logging(level: int = logging.INFO) -> Path:
    """File logging with masking on; returns the log path. Safe to call twice."""
    path = crash_log_path()
    root = logging.getLogger("sipsight")
    root.setLevel(level)
    if any(h.get_name() == _HANDLER for h in root.handlers):
        return path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = _QuietFileHandler(path, encoding="utf-8", delay=True)  # no file until a record
    except OSError:
        handler = logging.NullHandler()
    handler.set_name(_HANDLER)
    handler.addFilter(MaskingFilter())
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    return path


class _QuietFileHandler(logging.FileHandler):
    def handleError(self, record: logging.LogRecord) -> None:
        # A log file that cannot be written (full disk, read-only home) must never put a traceback
        # on the user's terminal or stop the app; the log is a help, not a duty.
        return
