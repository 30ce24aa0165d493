"""The lookup controller: the query built from the form (its window checked by the core), supersede, cancel,
retry, failures, the history and the display zone; with a fake lookup, so no network and no window."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

import pytest

from sipsight.core.errors import Cancelled, InputError
from sipsight.core.history import HistoryStore
from sipsight.core.models import Attempt, LookupResult, OutcomeClass, Query
from sipsight.gui import background
from sipsight.gui.lookup_controller import LookupController, failure_text
from sipsight.gui.lookup_request import LookupForm, LookupRequest, TimeWindow, build_request

NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
DEST, CALLER = "+13035550199", "+17205550100"


def form(window: TimeWindow | None = None, **extra) -> LookupForm:
    return LookupForm(destination=DEST, caller_id=CALLER, window=window or TimeWindow("7d"), **extra)


def result_for(request: LookupRequest) -> LookupResult:
    attempt = Attempt(id="CAtest00001", start_time=NOW, **{"from": CALLER}, to=DEST, outcome=OutcomeClass.CONNECTED)
    return LookupResult(query=request.query, provider="demo", demo=request.demo, attempts=[attempt])


class FakeLookups:
    """Stands in for the provider: each request waits for its release, or is answered at once."""

    def __init__(self) -> None:
        self.calls: list[tuple[LookupRequest, object]] = []
        self.hold: dict[str, threading.Event] = {}
        self.fail: BaseException | None = None

    def __call__(self, request: LookupRequest, token) -> LookupResult:
        self.calls.append((request, token))
        gate = self.hold.get(request.input_text)
        if gate is not None:
            gate.wait(10)
        if self.fail is not None:
            raise self.fail
        return result_for(request)


@pytest.fixture
def fake() -> FakeLookups:
    return FakeLookups()


@pytest.fixture
def lookups(qtbot, fake: FakeLookups):
    controller = LookupController(run=fake, clock=lambda: NOW, time_zone="America/Denver")
    yield controller
    controller.cancel()
    for gate in fake.hold.values():
        gate.set()
    controller.wait_idle(5000)


def test_the_query_comes_from_the_form_and_the_clock(lookups: LookupController, qtbot) -> None:
    with qtbot.waitSignal(lookups.succeeded, timeout=5000) as blocker:
        generation = lookups.look_up(form(TimeWindow("24h"), profile="work", input_text="call me"))
    request = lookups.last_request
    assert generation == 1 and request is not None
    assert request.query == Query(destination=DEST, caller_id=CALLER, since=NOW - timedelta(hours=24))
    assert request.context.now == NOW and request.tz == "America/Denver"
    assert (request.profile, request.demo, request.window, request.input_text) == ("work", False, "24h", "call me")
    assert blocker.args[0].query == request.query and lookups.result is blocker.args[0]
    assert not lookups.busy


def test_a_custom_range_is_whole_days_in_the_display_zone() -> None:
    zone_request = build_request(
        form(TimeWindow("custom", date(2026, 11, 19), date(2026, 11, 17)), scenario="busy-seller"),
        now=NOW,
        tz="UTC",
        zone=UTC,
    )
    query = zone_request.query
    assert query.since == datetime(2026, 11, 17, tzinfo=UTC)  # the days in either order
    assert query.until == datetime(2026, 11, 19, 23, 59, 59, 999999, tzinfo=UTC)
    assert zone_request.demo and zone_request.scenario == "busy-seller" and zone_request.window == "custom"
    today = build_request(form(TimeWindow("custom", NOW.date(), NOW.date())), now=NOW, tz="UTC", zone=UTC).query
    assert today.until == NOW  # never beyond now


def test_a_window_the_provider_cannot_answer_is_rejected_and_nothing_starts(lookups, fake, qtbot) -> None:
    too_old = TimeWindow("custom", date(2026, 9, 1), date(2026, 9, 30))
    with qtbot.waitSignal(lookups.rejected, timeout=1000) as blocker, qtbot.assertNotEmitted(lookups.started):
        assert lookups.look_up(form(too_old)) is None
    err = blocker.args[0]
    assert isinstance(err, InputError) and "more than 30 days" in err.message and "30 days" in err.hint
    assert lookups.generation == 0 and lookups.last_request is None and fake.calls == []


def test_the_window_is_bounded_by_the_providers_retention() -> None:
    long_ago = TimeWindow("custom", date(2026, 9, 1), date(2026, 9, 30))
    with pytest.raises(InputError, match="more than 30 days"):
        build_request(form(long_ago), now=NOW, tz="UTC", zone=UTC)  # Twilio keeps 30 days (the catalog)
    # a provider whose documentation names no limit: any past window
    request = build_request(form(long_ago, profile="sw", provider="signalwire"), now=NOW, tz="UTC", zone=UTC)
    assert request.query.since == datetime(2026, 9, 1, tzinfo=UTC)


def test_a_newer_lookup_supersedes_and_the_stale_result_is_never_shown(lookups, fake, qtbot) -> None:
    fake.hold["slow"] = threading.Event()
    shown: list[LookupResult] = []
    lookups.succeeded.connect(shown.append)
    first = lookups.look_up(form(input_text="slow"))
    qtbot.waitUntil(lambda: len(fake.calls) == 1, timeout=2000)
    with qtbot.waitSignal(lookups.succeeded, timeout=5000):
        second = lookups.look_up(form(TimeWindow("24h"), input_text="fast"))
    assert second == (first or 0) + 1
    slow_token, fast_token = fake.calls[0][1], fake.calls[1][1]
    assert slow_token.cancelled and not fast_token.cancelled
    fake.hold["slow"].set()
    assert lookups.wait_idle(5000)
    qtbot.waitUntil(lambda: background.pending_ops() == 0, timeout=5000)  # the slow one's result: dropped
    assert len(shown) == 1 and lookups.result is shown[0]
    assert shown[0].query.since == NOW - timedelta(hours=24)


def test_cancel_drops_the_result_and_keeps_the_last_good_one(lookups, fake, qtbot) -> None:
    with qtbot.waitSignal(lookups.succeeded, timeout=5000):
        lookups.look_up(form())
    good = lookups.result
    fake.hold["late"] = threading.Event()
    lookups.look_up(form(input_text="late"))
    assert lookups.busy
    with qtbot.waitSignal(lookups.cancelled, timeout=1000), qtbot.assertNotEmitted(lookups.succeeded, wait=100):
        lookups.cancel()
        fake.hold["late"].set()
        assert lookups.wait_idle(5000)
    assert not lookups.busy and lookups.result is good
    with qtbot.assertNotEmitted(lookups.cancelled):
        lookups.cancel()  # nothing running: a no-op


def test_failures_keep_the_last_result_and_retry_runs_the_same_request(lookups, fake, qtbot) -> None:
    with qtbot.waitSignal(lookups.succeeded, timeout=5000):
        lookups.look_up(form())
    good = lookups.result
    fake.fail = RuntimeError("boom")
    with qtbot.waitSignal(lookups.failed, timeout=5000) as blocker:
        lookups.look_up(form(input_text="again"))
    assert isinstance(blocker.args[0], RuntimeError) and lookups.result is good and not lookups.busy
    fake.fail = Cancelled("The lookup was cancelled.")  # cancelled from elsewhere: said as a cancellation
    with qtbot.waitSignal(lookups.cancelled, timeout=5000), qtbot.assertNotEmitted(lookups.failed):
        lookups.retry()
    fake.fail = None
    with qtbot.waitSignal(lookups.succeeded, timeout=5000):
        assert lookups.retry() == lookups.generation
    assert fake.calls[-1][0] is fake.calls[-2][0]  # the very same request


def test_successful_lookups_are_kept_in_the_history(lookups, qtbot, tmp_path) -> None:
    assert lookups.history_entries() == [] and not lookups.clear_history()
    lookups.history = HistoryStore(tmp_path / "history.json")
    with qtbot.waitSignal(lookups.finished, timeout=5000):
        lookups.look_up(form(input_text="the customer wrote"))
    (entry,) = lookups.history_entries()
    assert entry.destination == DEST and entry.input_text == "the customer wrote" and entry.window == "7d"
    assert lookups.history_entry(entry.id) is entry
    assert entry.attempts == len(lookups.result.attempts) and entry.caller_attempts == 0  # counts, not the calls
    assert lookups.take_history_notes() == []
    assert lookups.clear_history() and lookups.history_entries() == []


def test_a_history_that_cannot_be_written_does_not_hide_the_result(lookups, qtbot, tmp_path) -> None:
    class Broken(HistoryStore):
        def add_result(self, *args, **kwargs):
            raise OSError("disk full")

    lookups.history = Broken(tmp_path / "history.json")
    with qtbot.waitSignal(lookups.finished, timeout=5000) as blocker:
        lookups.look_up(form())
    assert lookups.result is blocker.args[0]


def test_failure_text_names_the_problem_and_logs_the_unexpected() -> None:
    assert failure_text(InputError("Bad window.", "Use 7d.")) == ("Bad window.", "Use 7d.")
    message, hint = failure_text(RuntimeError("boom while calling +13035550199"))
    assert message == "Something went wrong during the lookup." and hint.startswith("Try again")
