"""Before Qt starts: no screen, or missing X11 libraries, is a clear message with what to do (exit 2)."""

from __future__ import annotations

import pytest

from sipsight.gui.preflight import XCB_LIBRARIES, DisplayUnavailable, check_display
from sipsight.launcher import main


def test_no_screen_says_so() -> None:
    with pytest.raises(DisplayUnavailable, match="no screen") as info:
        check_display({}, "linux", lambda _: True)
    assert "--screenshot" in info.value.hint and info.value.exit_code == 2


def test_missing_xcb_libraries_are_named_with_the_install_command() -> None:
    absent = {"libxcb-cursor.so.0", "libxcb-icccm.so.4"}
    with pytest.raises(DisplayUnavailable) as info:
        check_display({"DISPLAY": ":0"}, "linux", lambda soname: soname not in absent)
    assert "libxcb-cursor0, libxcb-icccm4" in info.value.message
    assert info.value.hint == "On Debian or Ubuntu: sudo apt-get install libxcb-cursor0 libxcb-icccm4"


@pytest.mark.parametrize(
    ("env", "platform"),
    [
        ({"DISPLAY": ":0"}, "linux"),  # everything loads
        ({"QT_QPA_PLATFORM": "offscreen"}, "linux"),  # chosen on purpose: tests, CI
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux"),
        ({}, "win32"),
        ({}, "darwin"),
    ],
)
def test_nothing_to_say(env: dict[str, str], platform: str) -> None:
    check_display(env, platform, lambda soname: soname in XCB_LIBRARIES)


def test_the_gui_command_stops_before_qt(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.setattr("sys.platform", "linux")
    assert main(["gui", "--demo"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no screen" in err[0]
