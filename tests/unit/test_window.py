"""The lookup window is checked in one place (core.lookup.window) for the CLI, the GUI and training alike."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sipsight.core.errors import InputError
from sipsight.core.lookup.window import check_window, clamp_to_retention

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


def test_a_window_inside_the_retention_is_fine() -> None:
    check_window(NOW - timedelta(days=7), now=NOW)
    check_window(NOW - timedelta(days=30), NOW - timedelta(days=20), now=NOW)
    check_window(NOW - timedelta(days=30, hours=20), now=NOW)  # a date's midnight: a day of grace


@pytest.mark.parametrize(
    ("since", "until", "message"),
    [
        (NOW + timedelta(hours=1), None, "starts in the future"),
        (NOW, None, "empty window"),
        (NOW - timedelta(days=2), NOW - timedelta(days=3), "empty window"),
        (NOW - timedelta(days=32), None, "reaches back more than 30 days"),
    ],
)
def test_a_window_that_cannot_be_looked_up_is_a_clear_input_error(
    since: datetime, until: datetime | None, message: str
) -> None:
    with pytest.raises(InputError, match=message) as info:
        check_window(since, until, now=NOW, what="The custom range")
    assert info.value.message.startswith("The custom range")
    assert info.value.hint


def test_the_retention_is_the_provider_s() -> None:
    with pytest.raises(InputError, match="more than 7 days") as info:
        check_window(NOW - timedelta(days=10), now=NOW, retention=timedelta(days=7), retention_note="X keeps 7 days")
    assert info.value.hint.startswith("X keeps 7 days")
    assert clamp_to_retention(timedelta(days=90)) == timedelta(days=30)
    assert clamp_to_retention(timedelta(days=3)) == timedelta(days=3)


def test_a_provider_without_a_documented_retention_has_no_limit() -> None:
    from sipsight.core.lookup.window import retention_of

    assert retention_of("twilio")[0] == timedelta(days=30)
    retention, note = retention_of("signalwire")
    assert retention is None and note
    check_window(NOW - timedelta(days=400), now=NOW, retention=None)
    assert clamp_to_retention(timedelta(days=90), None) == timedelta(days=90)
