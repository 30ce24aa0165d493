"""Caller ID health over real HTTP (the unit tests: tests/unit/test_health.py): the demo scenarios' verdicts,
Lookup v2 carriers (the per-check cap, the disk cache with its TTL and two writers), partial data (no Insights,
SignalWire), and `sipsight health` end to end."""

from __future__ import annotations

import contextlib
import io
import json
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from sipsight.core.health import LineInfo, run_health
from sipsight.launcher import main
from sipsight.providers.factory import open_provider
from sipsight.providers.line_lookup import LineCache, carrier_source

CALLER = "+17205550100"


def health(scenario: str, **kw):
    with open_provider(demo=True, scenario=scenario) as session:
        source = carrier_source(session, demo_scenario=scenario, **kw)
        return run_health(session, session.contact_caller_id, days=14, carriers=source), session


def lookups(sim_requests) -> int:
    return sum(1 for r in sim_requests if r.path.startswith("/v2/PhoneNumbers/"))


@pytest.mark.parametrize(
    ("scenario", "status", "carriers", "engines"),
    [
        ("caller-id-608-redress", "blocked", ["Verizon Wireless"], ["TNS"]),
        ("network-blocked-603plus", "blocked", ["T-Mobile USA, Inc."], ["First Orion"]),
        ("spam-label-low-answer", "likely_labeled", None, None),
        ("healthy-connected", "healthy", [], []),
    ],
)
def test_demo_scenarios_read_as_their_story(scenario, status, carriers, engines) -> None:
    report, _ = health(scenario)
    assert report.verdict.status == status, report.verdict.headline
    if carriers is not None:
        assert report.verdict.carriers == carriers and report.verdict.engines == engines
    if status == "likely_labeled":  # the slide: the recent days against the caller ID's own baseline
        assert report.recent.answer_rate < report.baseline.answer_rate * 0.5
        assert report.verdict.carriers and report.verdict.confidence <= 0.65
    if status == "blocked":
        [contact] = report.redress.contacts
        assert contact.carrier == carriers[0] and contact.contact.startswith("https://")
        assert report.redress.engines[0].engine == engines[0] and report.redress.customer_reply


def test_lookup_is_capped_per_check_and_cached_with_a_ttl(tmp_path: Path) -> None:
    clock = [datetime(2026, 11, 24, tzinfo=UTC)]
    cache = LineCache(tmp_path / "lines.json", ttl=timedelta(days=30), clock=lambda: clock[0])
    with open_provider(demo=True, scenario="origin-ticket-no-insights") as session:
        source = carrier_source(session, cache=cache, cap=10)
        first = run_health(session, CALLER, days=14, carriers=source)
        assert first.lookups.looked_up == 10 and first.lookups.cached == 0
        assert first.lookups.capped > 0
        assert any("capped at 10 numbers" in c for c in first.caveats)
        known = [r for r in first.by_carrier if r.known]
        assert known and sum(r.numbers for r in known) == 10
        second = run_health(session, CALLER, days=14, carriers=source)
        assert second.lookups.cached == 10 and second.lookups.looked_up == 10  # the next 10: no number paid twice
        clock[0] += timedelta(days=31)  # past the TTL: looked up again
        third = run_health(session, CALLER, days=14, carriers=source)
        assert third.lookups.cached == 0 and third.lookups.looked_up == 10
    saved = json.loads((tmp_path / "lines.json").read_text())["numbers"]
    assert len(saved) == 10  # the expired 20 were dropped when the fresh ones were written


def test_lookup_requests_go_through_the_simulator_and_zero_cap_makes_none() -> None:
    from sipsight.providers.factory import ProviderSession
    from sipsight.providers.twilio.account import TwilioCredentials
    from sipsight.providers.twilio.client import TwilioClient
    from sipsight.simulator.server import Simulator

    with Simulator(scenario="origin-ticket-no-insights") as sim:
        client = TwilioClient(TwilioCredentials.api_key(sim.account_sid, sim.api_key_sid, sim.api_key_secret),
                              base_url=sim.base_url)  # fmt: skip
        session = ProviderSession(provider=client, label="sim")
        try:
            run_health(session, CALLER, days=7, carriers=carrier_source(session, cap=0))
            assert lookups(sim.requests) == 0
            report = run_health(session, CALLER, days=7, carriers=carrier_source(session, cap=7))
            assert lookups(sim.requests) == 7 == report.lookups.looked_up
            assert all(("Fields", "line_type_intelligence") in r.query for r in sim.requests
                       if r.path.startswith("/v2/PhoneNumbers/"))  # fmt: skip
        finally:
            client.close()


def test_two_writers_keep_each_others_entries(tmp_path: Path) -> None:
    path = tmp_path / "lines.json"
    writers = [LineCache(path) for _ in range(8)]

    def write(i: int) -> None:
        writers[i].put({f"+1303555{100 + i:04d}": LineInfo(carrier=f"Carrier {i}", line_type="mobile")})

    threads = [threading.Thread(target=write, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    got = LineCache(path).get([f"+1303555{100 + i:04d}" for i in range(8)])
    assert {v.carrier for v in got.values()} == {f"Carrier {i}" for i in range(8)}


def test_an_unusable_cache_is_set_aside_and_the_check_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "lines.json"
    path.write_bytes(b"{not json")
    cache = LineCache(path)
    assert cache.get(["+13035550100"]) == {}
    cache.put({"+13035550100": LineInfo(carrier="AT&T Wireless", line_type="mobile")})
    assert cache.get(["+13035550100"])["+13035550100"].carrier == "AT&T Wireless"
    assert any(p.name.startswith("lines.json.bad-") for p in tmp_path.iterdir())


def test_partial_data_no_insights_names_carriers_from_lookup_and_signalwire_says_it_cannot() -> None:
    report, _ = health("origin-ticket-no-insights")
    assert report.lookups.from_records == 0 and report.lookups.looked_up > 0
    assert any(r.known and r.engine for r in report.by_carrier)
    assert all(not d.codes for d in report.by_day)
    sw, _ = health("signalwire-603-decline")
    assert sw.lookups.available is False and [r.carrier for r in sw.by_carrier] == ["Carrier unknown"]
    assert any("no carrier lookup" in c for c in sw.caveats)


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["health", *argv])
    return code, out.getvalue(), err.getvalue()


def test_cli_json_names_the_blocking_carriers_engines_and_the_redress_drafts() -> None:
    code, out, _ = cli(CALLER, "--demo", "--scenario", "caller-id-608-redress", "--json")
    assert code == 0
    doc = json.loads(out)
    assert doc["schema"] == "sipsight.health"
    assert {"by_day", "by_carrier", "verdict", "evidence", "redress"} <= set(doc)
    assert all("engine" in row for row in doc["by_carrier"])
    assert doc["verdict"]["status"] == "blocked" and doc["verdict"]["engines"] == ["TNS"]
    blocked = [r for r in doc["by_carrier"] if r["status"] == "blocked"]
    assert [(r["carrier"], r["engine"]) for r in blocked] == [("Verizon Wireless", "TNS")]
    [request] = doc["redress"]["engines"]
    assert "Kowalski Home Buyers" in request["request"] and request["portal"].startswith("https://")
    assert doc["redress"]["contacts"][0]["code"] == "608"
    assert "Dana" in doc["redress"]["customer_reply"]


def test_cli_text_report_and_exports(tmp_path: Path) -> None:
    md, js = tmp_path / "team.md", tmp_path / "team.json"
    code, out, _ = cli("--scenario", "network-blocked-603plus", "--export", str(md))
    assert code == 0 and "BLOCKED" in out and "First Orion" in out and str(md) in out
    text = md.read_text()
    assert text.startswith("# Caller ID health") and "## By carrier" in text and "T-Mobile USA, Inc." in text
    code, _, _ = cli(CALLER, "--scenario", "spam-label-low-answer", "--since", "30d", "--export", str(js))
    assert code == 0 and json.loads(js.read_text())["query"]["window_days"] == 30


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("+1720555", "--demo"), "wrong number of digits"),
        ((CALLER, "--demo", "--since", "9d"), "not a health window"),
        ((CALLER, "--demo", "--export", "report.txt"), "ending in .md or .json"),
        ((CALLER, "--demo", "--max-lookups", "-3"), "cannot be negative"),
        ((), "Give the CALLER_ID"),
        ((CALLER, "--scenario", "no-such"), "Unknown scenario"),
    ],
)
def test_cli_bad_input_is_a_clear_message(argv, message) -> None:
    code, out, err = cli(*argv)
    assert code == 2 and message in err and "Traceback" not in err + out
