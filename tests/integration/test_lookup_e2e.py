"""Whole lookups over real HTTP against the simulator: factory -> provider -> pipeline, CLI included.

Proves: the mapped attempts equal the scenario's calls field by field; the request budget (no N+1: at most
6 requests for 50 destination attempts + 500 caller attempts with Insights on, counted in the simulator's
own log); Insights-off degradation; environment credentials; profiles end to end; thread-safety of a shared
session; SignalWire's sip_result_code; and that provider errors reach the CLI user as one line, exit 3.
"""

from __future__ import annotations

import io
import json
import logging
import threading
from datetime import UTC, datetime, timedelta

import pytest

from sipsight.core.lookup import run_lookup
from sipsight.core.models import LookupResult, Query
from sipsight.core.scenarios import get_scenario
from sipsight.launcher import main
from sipsight.providers.factory import open_provider
from sipsight.providers.http import HttpConfig
from sipsight.simulator.calls import materialize
from sipsight.simulator.load_scenario import big_scenario

DEST = "+13035550199"
CALLER = "+17205550100"
FAST = HttpConfig(read_timeout=5, max_retries=2, backoff_base=0.01, backoff_max=0.05, budget_s=30)


def query(**kw) -> Query:
    return Query(destination=DEST, since=datetime.now(UTC) - timedelta(days=7), **kw)


def test_demo_lookup_maps_every_call_like_the_scenario() -> None:
    scenario = get_scenario("origin-ticket")
    with open_provider(demo=True, http_config=FAST) as session:
        assert session.demo and session.label == f"Demo data: {scenario.title}" and session.scenario == scenario.name
        result = run_lookup(session, query(), tz="America/Denver")
    assert isinstance(result, LookupResult) and result.diagnosis is not None
    assert result.demo and result.scenario == scenario.name and result.provider == "twilio"
    assert result.caller_id == scenario.caller_id  # inferred from the destination's attempts
    assert 0 < result.request_count <= 6 and result.elapsed_s > 0
    dest_calls, other_calls = materialize(scenario, datetime.now(UTC))
    expected = {c.sid: c for c in [*dest_calls, *other_calls]}
    got = {a.id: a for a in [*result.attempts, *result.caller_attempts]}
    assert set(got) <= set(expected) and len(result.attempts) == len([c for c in dest_calls if c.to == DEST])
    for sid, attempt in got.items():
        want = expected[sid].to_attempt("twilio", insights=True)
        for field in (
            "from_",
            "to",
            "provider_status",
            "sip_code",
            "q850_cause",
            "answered_by",
            "sip_reason",
            "redress_contact",
            "carrier",
            "line_type",
            "insights_state",
        ):
            assert getattr(attempt, field) == getattr(want, field), f"{sid}.{field}"
        if attempt.insights_state == "complete":  # a partial summary lacks these until it is assembled
            assert (attempt.pdd_ms, attempt.disconnected_by) == (want.pdd_ms, want.disconnected_by), sid
        if want.ring_s is not None:
            assert attempt.ring_s == pytest.approx(want.ring_s, abs=1.0), sid
        if want.duration_s:
            assert attempt.duration_s == pytest.approx(want.duration_s, abs=1.0), sid
        assert attempt.raw["call"]["sid"] == sid


def test_no_n_plus_one_50_attempts_and_500_caller_calls_cost_at_most_6_requests() -> None:
    from sipsight.providers.twilio import TwilioClient, TwilioCredentials
    from sipsight.simulator.server import Simulator

    with Simulator(scenario=big_scenario()) as sim:
        tw = TwilioClient(
            TwilioCredentials.api_key(sim.account_sid, sim.api_key_sid, sim.api_key_secret),
            base_url=sim.base_url,
            http_config=FAST,
        )
        try:
            result = tw.fetch(query())
        finally:
            tw.close()
        logged = list(sim.requests)
    assert len(result.attempts) == 50
    assert len(result.caller_attempts) >= 450  # the caller's 500 minus any to the destination itself
    assert len(logged) == result.request_count <= 6, [r.path for r in logged]
    assert not any(r.path.endswith("/Summary") for r in logged)
    assert sum(a.sip_code is not None for a in result.attempts) == 50


def test_insights_off_degrades_to_status_and_notifications() -> None:
    with open_provider(demo=True, scenario="origin-ticket-no-insights", http_config=FAST) as session:
        result = run_lookup(session, query())
    assert result.attempts and not result.data.has_sip_codes
    assert all(a.sip_code is None and a.insights_state is None for a in result.attempts)
    assert "Voice Insights Advanced Features is off" in result.data.provider_caveats[0]
    failed = [a for a in result.attempts if a.provider_status == "failed"]
    assert all(a.provider_error_code for a in failed)


def test_environment_credentials_and_base_url(monkeypatch: pytest.MonkeyPatch) -> None:
    from sipsight.simulator.server import Simulator

    with Simulator() as sim:
        monkeypatch.setenv("TWILIO_ACCOUNT_SID", sim.account_sid)
        monkeypatch.setenv("TWILIO_API_KEY", sim.api_key_sid)
        monkeypatch.setenv("TWILIO_API_SECRET", sim.api_key_secret)
        monkeypatch.setenv("SIPSIGHT_TWILIO_BASE_URL", sim.base_url)
        with open_provider(http_config=FAST) as session:
            assert "environment" in session.label and not session.demo
            result = run_lookup(session, query(caller_id=CALLER))
        assert result.attempts and result.caller_id == CALLER
        monkeypatch.delenv("TWILIO_API_KEY")
        monkeypatch.delenv("TWILIO_API_SECRET")
        monkeypatch.setenv("TWILIO_AUTH_TOKEN", sim.auth_token)
        with open_provider(http_config=FAST) as session:
            assert "Connected" in session.provider.check_connection()


def test_one_session_serves_concurrent_lookups() -> None:
    with open_provider(demo=True, http_config=FAST) as session:
        results: list[LookupResult] = []
        lock = threading.Lock()

        def worker() -> None:
            r = run_lookup(session, query())
            with lock:
                results.append(r)

        threads = [threading.Thread(target=worker) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
    assert len(results) == 4
    assert len({tuple(a.id for a in r.attempts) for r in results}) == 1


def test_signalwire_reads_sip_result_code() -> None:
    from sipsight.providers.signalwire import SignalWireClient
    from sipsight.simulator.server import Simulator

    with Simulator(provider="signalwire") as sim:
        sw = SignalWireClient(sim.account_sid, sim.auth_token, base_url=sim.base_url, http_config=FAST)
        try:
            result = sw.fetch(query())
            summary = sw.check_connection()
        finally:
            sw.close()
    assert result.attempts and all(a.provider == "signalwire" for a in result.attempts)
    assert result.data.has_sip_codes and "SignalWire" in summary
    assert not any(r.path.startswith("/v1/") for r in sim.requests)  # no Voice Insights at SignalWire


# ----------------------------------------------------------------------------- CLI


def test_cli_lookup_demo_text_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lookup", "(303) 555-0199", "--demo", "--since", "7d", "--tz", "UTC"]) == 0
    text = capsys.readouterr().out
    assert text.strip()
    assert main(["lookup", "+1 303 555 0199", "--demo", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["query"]["destination"] == DEST if "query" in doc else DEST in json.dumps(doc)


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["lookup", "not a number", "--demo"], "not a phone number"),
        (["lookup", "+13035550199", "--demo", "--since", "yesterday"], "not a time window"),
        (["lookup", "+13035550199", "--demo", "--tz", "Mars/Base"], "not a time zone"),
        (["lookup", "+13035550199", "--demo", "--scenario", "no-such-scenario"], "Unknown scenario"),
        (["lookup", "+13035550199"], "No provider account is configured"),
    ],
)
def test_cli_lookup_usage_errors_exit_2(args, needle, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(args) == 2
    err = capsys.readouterr().err
    assert needle in err and "Traceback" not in err


def test_cli_provider_errors_exit_3_with_one_line(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    from sipsight.simulator.server import Simulator

    with Simulator(fault="401") as sim:
        monkeypatch.setenv("TWILIO_ACCOUNT_SID", sim.account_sid)
        monkeypatch.setenv("TWILIO_AUTH_TOKEN", "wrong-token")
        monkeypatch.setenv("SIPSIGHT_TWILIO_BASE_URL", sim.base_url)
        assert main(["lookup", "+13035550199", "--since", "24h"]) == 3
    err = capsys.readouterr().err.strip().splitlines()
    # the credentials came from the environment: the hint names its variables, not "this profile"
    assert len(err) == 1 and "rejected the credentials" in err[0] and "TWILIO_ACCOUNT_SID / TWILIO_API_KEY" in err[0]
    assert "this profile" not in err[0] and "wrong-token" not in err[0]


def test_cli_profile_add_test_and_lookup_against_the_simulator(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    from sipsight.simulator.server import Simulator

    with Simulator() as sim:
        monkeypatch.setattr("sys.stdin", io.StringIO(sim.api_key_secret + "\n"))
        args = [
            "profile",
            "add",
            "sim",
            "--account-sid",
            sim.account_sid,
            "--api-key",
            sim.api_key_sid,
            "--base-url",
            sim.base_url,
            "--timezone",
            "America/Denver",
            "--secret-stdin",
        ]
        assert main(args) == 0
        capsys.readouterr()
        assert main(["profile", "test", "sim"]) == 0
        out = capsys.readouterr().out
        assert "Connected to Twilio account" in out and "Voice Insights Advanced Features: on" in out
        assert main(["lookup", "303-555-0199", "--profile", "sim", "--json"]) == 0
        doc = json.loads(capsys.readouterr().out)
        assert DEST in json.dumps(doc)


def test_since_parsing_relative_dates_and_limits() -> None:
    from sipsight.cli.common import parse_since
    from sipsight.core.errors import InputError

    now = datetime(2026, 11, 24, 6, 0, tzinfo=UTC)
    assert parse_since("24h", "UTC", now) == now - timedelta(hours=24)
    assert parse_since("7d", "UTC", now) == now - timedelta(days=7)
    assert parse_since(None, "UTC", now) == now - timedelta(days=7)
    # a date means its midnight in the display zone (Denver is UTC-7 in November)
    assert parse_since("2026-11-20", "America/Denver", now) == datetime(2026, 11, 20, 7, 0, tzinfo=UTC)
    for bad in ("2026-12-01", "45d", "soon"):
        with pytest.raises(InputError):
            parse_since(bad, "UTC", now)


def test_the_window_reaches_back_as_far_as_the_provider_keeps_calls(capsys: pytest.CaptureFixture[str]) -> None:
    from sipsight.cli.common import parse_since
    from sipsight.core.errors import InputError
    from sipsight.core.knowledge import provider_info

    now = datetime(2026, 11, 24, 6, 0, tzinfo=UTC)
    twilio = provider_info("twilio")
    with pytest.raises(InputError) as info:
        parse_since("45d", "UTC", now, provider="twilio")
    assert f"more than {twilio.history_retention_days} days" in info.value.message
    assert twilio.retention_note in info.value.hint
    # the catalog documents no limit for SignalWire's call list: 45 days back is a window like any other
    assert provider_info("signalwire").history_retention_days is None
    assert parse_since("45d", "UTC", now, provider="signalwire") == now - timedelta(days=45)
    for bad in ("2026-12-01", "0d"):  # the window's own sense holds for every provider
        with pytest.raises(InputError):
            parse_since(bad, "UTC", now, provider="signalwire")
    # through the CLI: a SignalWire demo lookup 45 days back runs; Twilio's says why it cannot
    assert main(["lookup", "+13035550199", "--scenario", "signalwire-603-decline", "--since", "45d", "--json"]) == 0
    capsys.readouterr()
    assert main(["lookup", "+13035550199", "--demo", "--since", "45d"]) == 2
    assert twilio.retention_note in capsys.readouterr().err


def test_paging_follows_next_page_uri_over_real_http_and_caps_are_reported() -> None:
    from sipsight.providers.twilio import TwilioClient, TwilioCredentials
    from sipsight.simulator.server import Simulator

    with Simulator(scenario=big_scenario(n_dest=30, n_other=450)) as sim:
        tw = TwilioClient(
            TwilioCredentials.api_key(sim.account_sid, sim.api_key_sid, sim.api_key_secret),
            base_url=sim.base_url,
            http_config=FAST,
        )
        try:
            scope = tw.http.scope()
            listing = scope.paginate(
                tw._calls_url(sim.account_sid),
                {"From": CALLER, "PageSize": 100},
                items_key="calls",
                next_link=lambda body: body.get("next_page_uri"),
                limit=10_000,
                what="call list",
            )
            assert scope.request_count == 5 and not listing.more and listing.pages == 5  # 480 calls in pages of 100
            assert listing.stopped is None and listing.unreadable == 0
            assert len({c["sid"] for c in listing.items}) == len(listing.items) == 480
            capped = tw.fetch(query(caller_id=CALLER, max_attempts=10, max_caller_attempts=100))
        finally:
            tw.close()
    assert len(capped.attempts) == 10 and len(capped.caller_attempts) <= 100
    caveats = " ".join(capped.data.provider_caveats)
    assert "latest 10 calls to the number" in caveats and "latest 100 calls" in caveats


def _closed_port() -> int:
    """A local port nothing listens on (bound, then released), so connecting is refused at once."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_cli_refused_base_url_names_the_override(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    url = f"http://127.0.0.1:{_closed_port()}"
    monkeypatch.setenv("TWILIO_ACCOUNT_SID", "AC" + "0" * 32)
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", "x")
    monkeypatch.setenv("SIPSIGHT_TWILIO_BASE_URL", url)
    assert main(["lookup", "+13035550199", "--since", "24h"]) == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and f"Nothing answers at {url} (SIPSIGHT_TWILIO_BASE_URL): is the simulator running?" in err[0]
    assert "internet connection" not in err[0]


def test_cli_refused_profile_base_url_names_the_profile(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    url = f"http://127.0.0.1:{_closed_port()}"
    monkeypatch.setattr("sys.stdin", io.StringIO("token\n"))
    args = ["profile", "add", "lab", "--account-sid", "AC" + "0" * 32, "--auth-mode", "auth_token"]
    assert main([*args, "--base-url", url, "--secret-stdin"]) == 0
    capsys.readouterr()
    assert main(["lookup", "+13035550199", "--profile", "lab", "--since", "24h"]) == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and f"Nothing answers at {url} (base_url of profile 'lab')" in err[0]


def test_a_session_writes_no_secret_anywhere_and_masks_numbers_in_logs(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    """Lookups that work, lookups that fail (401, 503, refused), and a crash: then every file SIPSight wrote (config,
    data, logs, crash report) is searched for the secret and for full phone numbers."""
    import os
    from pathlib import Path

    from sipsight.core.crash import setup_logging

    home = Path(os.environ["SIPSIGHT_HOME"])
    root = logging.getLogger("sipsight")
    # the log file handler of an earlier test writes to that test's home: this session's log goes to this one
    earlier = [h for h in root.handlers if h.get_name() == "sipsight-log"]
    for handler in earlier:
        root.removeHandler(handler)
    setup_logging(logging.DEBUG)  # every request's log line, with its number, goes to the log file
    try:
        _a_session(monkeypatch, capsys, home)
    finally:
        for handler in [h for h in root.handlers if h.get_name() == "sipsight-log"]:
            root.removeHandler(handler)
            handler.close()
        for handler in earlier:
            root.addHandler(handler)
        root.setLevel(logging.WARNING)


def _a_session(monkeypatch: pytest.MonkeyPatch, capsys, home) -> None:
    from secret_scan import secret_leaks, unmasked_numbers
    from sipsight.simulator.server import Simulator

    logging.getLogger("sipsight").setLevel(logging.DEBUG)
    with Simulator() as sim:
        monkeypatch.setenv("TWILIO_ACCOUNT_SID", sim.account_sid)
        monkeypatch.setenv("TWILIO_API_KEY", sim.api_key_sid)
        monkeypatch.setenv("TWILIO_API_SECRET", sim.api_key_secret)
        monkeypatch.setenv("SIPSIGHT_TWILIO_BASE_URL", sim.base_url)
        with open_provider(http_config=FAST) as session:
            run_lookup(session, query(caller_id=CALLER))
        assert main(["lookup", DEST, "--from", CALLER, "--since", "24h", "--json"]) == 0
        secrets = [sim.api_key_secret, sim.auth_token]
        user = sim.api_key_sid
        # a crash in the middle of a lookup: the traceback goes to the crash log
        monkeypatch.setattr("sipsight.core.lookup._analyse.analyse", _explode)
        assert main(["lookup", DEST, "--since", "24h"]) == 1
        monkeypatch.undo()
    for fault in ("401", "503"):
        with Simulator(fault=fault) as sim:
            monkeypatch.setenv("TWILIO_ACCOUNT_SID", sim.account_sid)
            monkeypatch.setenv("TWILIO_API_KEY", sim.api_key_sid)
            monkeypatch.setenv("TWILIO_API_SECRET", sim.api_key_secret)
            monkeypatch.setenv("SIPSIGHT_TWILIO_BASE_URL", sim.base_url)
            monkeypatch.setattr("sipsight.providers.http.HttpConfig", lambda: FAST)
            assert main(["lookup", DEST, "--since", "24h"]) == 3
    capsys.readouterr()
    written = [p for p in home.rglob("*") if p.is_file()]
    log_text = "".join(p.read_text(encoding="utf-8", errors="replace") for p in home.rglob("*.log"))
    assert "unexpected error" in log_text and "/2010-04-01/" in log_text  # there was something to search
    assert written and secret_leaks(home, secrets, user) == []
    assert unmasked_numbers(home, [DEST, CALLER]) == []


def _explode(*args, **kwargs):
    raise RuntimeError("the diagnosis broke on purpose, while calls to +13035550199 were in hand")


def test_a_proxy_in_the_environment_does_not_break_the_demo(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    """HTTP_PROXY / HTTPS_PROXY / ALL_PROXY pointing at a dead port: the demo's loopback traffic never goes there."""
    dead = f"http://127.0.0.1:{_closed_port()}"
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.setenv(var, dead)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    assert main(["lookup", DEST, "--demo", "--json"]) == 0
    assert DEST in capsys.readouterr().out
    with open_provider(demo=True, http_config=FAST) as session:
        assert run_lookup(session, query()).attempts
