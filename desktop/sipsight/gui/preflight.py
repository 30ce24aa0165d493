"""Before Qt starts on Linux: is there a screen, and can Qt's X11 plugin load?

Without either, Qt aborts with a message about "platform plugins" that tells an agent nothing.
This check runs first and says what is wrong and what to install. It never imports Qt.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable
from pathlib import Path

from sipsight.core.errors import InputError

# The libraries Qt's xcb platform plugin links against that minimal systems often lack:
# shared object -> the Debian/Ubuntu package that ships it.
XCB_LIBRARIES: dict[str, str] = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-util.so.1": "libxcb-util1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libX11-xcb.so.1": "libx11-xcb1",
}


class DisplayUnavailable(InputError):
    """No screen, or Qt's X11 support cannot load (exit 2, with what to do)."""


def _loadable(soname: str) -> bool:
    bundled = getattr(sys, "_MEIPASS", None)  # a frozen app carries most of them itself
    if bundled and (Path(bundled) / soname).exists():
        return True
    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def check_display(
    environ: dict[str, str] | None = None, platform: str = sys.platform, loadable: Callable[[str], bool] = _loadable
) -> None:
    """Raise DisplayUnavailable when a window cannot open here; return quietly otherwise."""
    env = os.environ if environ is None else environ
    if not platform.startswith("linux"):
        return
    chosen = env.get("QT_QPA_PLATFORM", "")
    if chosen and not chosen.startswith("xcb"):
        return  # offscreen, wayland, vnc...: the user picked a platform on purpose
    if env.get("WAYLAND_DISPLAY") and not chosen:
        return  # Qt can use Wayland directly
    if not env.get("DISPLAY"):
        raise DisplayUnavailable(
            "There is no screen to open the window on (DISPLAY and WAYLAND_DISPLAY are not set).",
            "Start SIPSight from a desktop session. Without a screen, 'sipsight gui --demo --screenshot shot.png' "
            "still renders the window, and every other command works in a terminal.",
        )
    missing = [package for soname, package in XCB_LIBRARIES.items() if not loadable(soname)]
    if missing:
        raise DisplayUnavailable(
            f"Qt's X11 support needs system libraries that are not installed: {', '.join(missing)}.",
            f"On Debian or Ubuntu: sudo apt-get install {' '.join(missing)}",
        )
