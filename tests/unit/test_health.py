"""Caller ID health (core/health): each verdict from synthetic calls, confidence within what the evidence carries,
partial data (no carrier, no SIP codes), the early warning, the data files' checks, and the claims: every number a
text states is one of the statistics, and the statistics are the counts of the calls."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from sipsight.core.errors import InputError
from sipsight.core.health import CarrierLookup, HealthDataError, LineInfo, Requester, assess, window_days
from sipsight.core.health import _data as data
from sipsight.core.health._texts import pct
from sipsight.core.models import Attempt

NOW = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)
CALLER = "+17205550100"
CARRIERS = ("Verizon Wireless", "T-Mobile USA, Inc.", "AT&T Wireless")
_seq = iter(range(10**9))


def number(i: int) -> str:
    area = ("303", "720", "719", "512", "602", "480")[i // 100 % 6]
    return f"+1{area}555{100 + i % 100:04d}"


def call(
    hours_ago: float,
    to: str,
    *,
    kind: str = "human",
    carrier: str | None = "Verizon Wireless",
    insights: bool = True,
) -> Attempt:
    """One call of a kind: human (a conversation), short (hang-up on sight), vm, noanswer, 608, 603plus, 603, 607."""
    fields: dict = {"provider_status": "completed", "sip_code": 200 if insights else None, "ring_s": 12.0}
    match kind:
        case "human":
            fields |= {"answered_by": "human", "duration_s": 95.0, "disconnected_by": "caller"}
        case "short":
            fields |= {"answered_by": "human", "duration_s": 3.0, "disconnected_by": "callee"}
        case "vm":
            fields |= {"answered_by": "machine_end_beep", "duration_s": 25.0, "ring_s": 25.0}
        case "noanswer":
            fields |= {"provider_status": "no-answer", "sip_code": 480 if insights else None, "ring_s": 58.0}
        case "608":
            fields |= {"provider_status": "failed", "sip_code": 608, "sip_reason": "Rejected", "ring_s": 0.5,
                       "redress_contact": "https://redress.example.net/dispute"}  # fmt: skip
        case "603plus":
            fields |= {"provider_status": "failed", "sip_code": 603, "sip_reason": "Network Blocked", "ring_s": 0.4}
        case "603":
            fields |= {"provider_status": "failed", "sip_code": 603, "sip_reason": "Decline", "ring_s": 4.0}
        case "607":
            fields |= {"provider_status": "failed", "sip_code": 607, "sip_reason": "Unwanted", "ring_s": 5.0}
    return Attempt(
        id=f"CA{next(_seq):032d}",
        start_time=NOW - timedelta(hours=hours_ago),
        **{"from": CALLER},
        to=to,
        carrier=carrier if insights else None,
        insights_state="complete" if insights else None,
        **fields,
    )


def day_of_calls(
    days_ago_from: float, days_ago_to: float, n: int, kinds: list[str], *, carriers=CARRIERS, start: int = 0, **kw
) -> list[Attempt]:
    """n calls spread over a stretch, cycling through `kinds` and `carriers`, to distinct numbers from `start`."""
    span = (days_ago_from - days_ago_to) * 24
    return [
        call(
            days_ago_to * 24 + span * (i + 0.5) / n,
            number(start + i),
            kind=kinds[i % len(kinds)],
            carrier=carriers[i % len(carriers)],
            **kw,
        )
        for i in range(n)
    ]


HEALTHY = ["human", "vm", "noanswer", "vm", "human", "noanswer", "vm", "human", "noanswer", "vm"]  # 30% talk


def check(attempts: list[Attempt], days: int = 14, **kw):
    return assess(attempts, caller_id=CALLER, since=NOW - timedelta(days=days), until=NOW, days=days, **kw)


def baseline(n: int = 300) -> list[Attempt]:
    return day_of_calls(14, 3, n, HEALTHY, start=0)


# --------------------------------------------------------------------------- verdicts


def test_healthy_with_a_baseline_and_enough_calls() -> None:
    r = check(baseline() + day_of_calls(3, 0, 120, HEALTHY, start=300))
    assert r.verdict.status == "healthy"
    assert r.verdict.confidence == data.thresholds().confidence.healthy
    assert all(row.status == "healthy" for row in r.by_carrier)
    assert r.redress.customer_reply is None and not r.redress.engines


def test_healthy_on_thin_data_says_so_with_low_confidence() -> None:
    r = check(day_of_calls(2, 0, 12, HEALTHY))
    assert r.verdict.status == "healthy"
    assert r.verdict.confidence == data.thresholds().confidence.healthy_thin
    assert any("cannot be read yet" in e for e in r.evidence)


def test_608_from_many_numbers_on_one_carrier_is_blocked_there_with_the_redress() -> None:
    blocked = [call(20 - i * 0.3, number(500 + i), kind="608", carrier="Verizon Wireless") for i in range(12)]
    r = check(baseline() + day_of_calls(3, 0, 90, HEALTHY, start=300) + blocked)
    assert r.verdict.status == "blocked"
    assert r.verdict.carriers == ["Verizon Wireless"] and r.verdict.engines == ["TNS"]
    assert r.verdict.confidence == data.thresholds().block.confidence
    rows = {row.carrier: row for row in r.by_carrier}
    assert rows["Verizon Wireless"].status == "blocked" and rows["Verizon Wireless"].engine == "TNS"
    assert rows["Verizon Wireless"].codes == {"608": 12} and rows["Verizon Wireless"].block_numbers == 12
    assert rows["AT&T Wireless"].status == "healthy" and rows["AT&T Wireless"].engine == "Hiya"
    assert sum(sum(d.codes.values()) for d in r.by_day) == 12
    assert sum(sum(c.values()) for c in rows["Verizon Wireless"].codes_by_day.values()) == 12
    [contact] = r.redress.contacts
    assert contact.code == "608" and contact.count == 12 and contact.carrier == "Verizon Wireless"
    [engine] = r.redress.engines
    assert engine.engine == "TNS" and engine.portal == "https://tnsresponsecenter.com"
    assert "Verizon Wireless" in engine.request and contact.contact in engine.request
    assert "freecallerregistry.com" in (r.redress.registry or "")
    assert "rotating makes it worse" in (r.redress.customer_reply or "")


def test_603_plus_blocks_and_plain_603_from_many_numbers_reads_as_a_block_with_less_confidence() -> None:
    plus = [call(10 + i, number(600 + i), kind="603plus", carrier="T-Mobile USA, Inc.") for i in range(4)]
    r = check(baseline() + plus)
    assert r.verdict.status == "blocked" and r.verdict.engines == ["First Orion"]
    plain = [call(10 + i, number(600 + i), kind="603", carrier="AT&T Wireless") for i in range(6)]
    r2 = check(baseline() + plain)
    assert r2.verdict.status == "blocked" and r2.verdict.engines == ["Hiya"]
    assert r2.verdict.confidence == data.thresholds().block.plain_603_confidence < r.verdict.confidence


def test_a_couple_of_blocks_are_a_watch_not_a_verdict_of_blocking() -> None:
    few = [call(10 + i, number(600 + i), kind="608", carrier="Verizon Wireless") for i in range(2)]
    r = check(baseline() + few)
    assert r.verdict.status == "watch"
    assert "2 blocked calls on Verizon Wireless" in r.verdict.headline


def test_an_answer_rate_slide_without_codes_is_likely_labeled_on_the_carriers_that_slid() -> None:
    slid = day_of_calls(3, 0, 150, ["short", "vm", "noanswer", "vm", "short"], carriers=("T-Mobile USA, Inc.",),
                        start=300)  # fmt: skip
    fine = day_of_calls(3, 0, 60, HEALTHY, carriers=("Verizon Wireless", "AT&T Wireless"), start=450)
    r = check(baseline() + slid + fine)
    assert r.verdict.status == "likely_labeled"
    assert r.verdict.carriers == ["T-Mobile USA, Inc."] and r.verdict.engines == ["First Orion"]
    t = data.thresholds()
    assert t.label.confidence <= r.verdict.confidence <= t.label.max_confidence
    assert any("leaves no code" in c for c in r.caveats)
    assert r.redress.engines[0].engine == "First Orion" and r.redress.engines[0].portal is None
    assert "Free Caller Registry" in r.redress.engines[0].portal_note


def test_a_slide_on_few_calls_is_not_called_a_label() -> None:
    slid = day_of_calls(3, 0, 10, ["short", "vm"], carriers=("T-Mobile USA, Inc.",), start=300)
    r = check(baseline() + slid)
    assert r.verdict.status != "likely_labeled"


def test_many_short_calls_alone_are_a_watch() -> None:
    calls = day_of_calls(14, 0, 300, ["human", "short", "vm", "noanswer", "vm"])
    r = check(calls)
    assert r.verdict.status == "watch" and r.totals.short_share == pytest.approx(60 / 240)
    assert "shorter than 10 s" in r.verdict.headline


def test_volume_past_the_rule_of_thumb_is_a_watch() -> None:
    r = check(baseline(60) + day_of_calls(1, 0, 150, HEALTHY, start=300))
    assert r.volume.per_day_max > data.thresholds().volume.per_day and r.volume.over_line
    assert r.verdict.status == "watch" and "calls a day" in r.verdict.headline


def test_early_warning_when_the_daily_rate_heads_toward_a_label() -> None:
    calls = baseline(250)
    # the last days: talk share falling day by day, not yet at the labeled level
    for d, kinds in enumerate(
        [
            ["human", "vm", "noanswer", "vm"],
            ["human", "vm", "noanswer", "vm", "vm"],
            ["human", "vm", "noanswer", "vm", "vm", "noanswer"],
        ]
    ):
        calls += day_of_calls(3 - d, 2 - d, 100, kinds, start=300 + 100 * d)
    r = check(calls)
    assert r.early_warning is not None, r.verdict
    assert r.verdict.status == "watch" and "falling day by day" in r.verdict.headline
    assert r.early_warning.label_rate == pytest.approx(r.baseline.answer_rate * 0.5, abs=0.001)


# --------------------------------------------------------------------------- partial data


def test_no_carrier_information_blocks_on_carriers_it_cannot_name_and_says_so() -> None:
    blocked = [call(10 + i, number(600 + i), kind="608", carrier=None) for i in range(5)]
    r = check(baseline() + blocked, lookup_available=False)
    assert r.verdict.status == "blocked" and r.verdict.carriers == []
    assert "carriers we could not name" in r.verdict.headline
    assert any("no carrier lookup" in c for c in r.caveats)
    unknown = next(row for row in r.by_carrier if not row.known)
    assert unknown.engine is None and unknown.codes == {"608": 5}


def test_carriers_from_a_lookup_fill_records_without_one_and_capped_numbers_stay_unknown() -> None:
    calls = day_of_calls(14, 0, 90, HEALTHY, insights=False)
    named = {a.to: LineInfo(carrier="AT&T Wireless", line_type="mobile") for a in calls[:40]}
    capped = sorted({a.to for a in calls[40:]})
    r = check(calls, lookup=CarrierLookup(lines=named, looked_up=40, capped=capped, cap=40))
    rows = {row.carrier: row for row in r.by_carrier}
    assert rows["AT&T Wireless"].calls == 40 and rows["AT&T Wireless"].line_types == {"mobile": 40}
    assert rows["Carrier unknown"].calls == 50
    assert any("capped at 40 numbers" in c and f"{len(capped)} numbers" in c for c in r.caveats)


def test_without_voice_insights_outcomes_come_from_status_and_no_block_is_invented() -> None:
    calls = day_of_calls(14, 0, 200, HEALTHY, insights=False)
    r = check(calls)
    assert all(not d.codes for d in r.by_day)
    assert r.verdict.status == "healthy" and r.attestation.verified == 0


def test_no_calls_is_healthy_at_the_thin_confidence_and_no_rate() -> None:
    r = check([])
    assert r.totals.calls == 0 and r.totals.answer_rate is None
    assert r.verdict.confidence == data.thresholds().confidence.healthy_thin
    assert len(r.by_day) == 15  # every day of the window, with or without calls


# --------------------------------------------------------------------------- claims

NUMBER = re.compile(r"(?<![\w+.-])\d+(?:\.\d+)?%?")


def _texts(r) -> list[str]:
    out = [r.verdict.headline, *r.evidence, *r.caveats]
    out += [c.text for c in r.redress.contacts] + [e.request for e in r.redress.engines]
    out += [x for x in (r.redress.registry, r.redress.customer_reply) if x]
    return out + ([r.early_warning.text] if r.early_warning else [])


def _reports():
    blocked = [call(20 - i * 0.3, number(500 + i), kind="608") for i in range(12)]
    slid = day_of_calls(3, 0, 150, ["short", "vm", "noanswer"], carriers=("T-Mobile USA, Inc.",), start=300)
    who = Requester(business="Kowalski Home Buyers", use_case="returning calls", customer="Dana", signature="Sam")
    return [
        check(baseline() + blocked, requester=who),
        check(baseline() + slid, requester=who),
        check(day_of_calls(14, 0, 300, ["human", "short", "vm"])),
    ]


@pytest.mark.parametrize("index", [0, 1, 2])
def test_every_number_a_text_states_is_one_of_the_statistics(index: int) -> None:
    r = _reports()[index]
    allowed = {m for v in r.facts.values() for m in NUMBER.findall(v)}
    allowed |= {m for e in r.redress.contacts for m in NUMBER.findall(e.contact)}
    allowed |= set(NUMBER.findall(r.caller_id)) | {"555", "0100", "720"}  # the caller ID's digits, as written
    for text in _texts(r):
        stray = [m for m in NUMBER.findall(re.sub(r"https?://\S+|\b[A-Z][a-z]{2} \d{1,2}\b", "", text))
                 if m not in allowed]  # fmt: skip
        assert not stray, (stray, text)


def test_the_statistics_are_the_counts_of_the_calls() -> None:
    r = _reports()[0]
    t = data.thresholds()
    answered = sum(d.answered for d in r.by_day)
    final = sum(d.final for d in r.by_day)
    assert r.facts["calls"] == str(sum(d.calls for d in r.by_day)) == str(sum(c.calls for c in r.by_carrier))
    assert r.facts["answer_rate"] == pct(answered / final)
    assert r.facts["numbers"] == str(r.totals.numbers)
    short = sum(d.short for d in r.by_day) / sum(d.completed for d in r.by_day)
    assert r.facts["short_share"] == pct(short) and r.facts["short_line"] == pct(t.short_call.share)
    assert r.facts["Verizon Wireless: block_count"] == "12"
    assert r.facts["Verizon Wireless: block_numbers"] == "12"
    assert r.facts["per_day_max"] == str(max(d.calls for d in r.by_day))


# --------------------------------------------------------------------------- the data files


def test_window_choices_are_data_and_a_bad_window_is_a_clear_error() -> None:
    assert [window_days(w) for w in ("7d", "14d", "30d", 14, None)] == [7, 14, 30, 14, 14]
    with pytest.raises(InputError, match="not a health window"):
        window_days("9d")


def test_a_text_with_an_unknown_placeholder_is_refused_at_load(monkeypatch: pytest.MonkeyPatch) -> None:
    from sipsight.core.resources import load_yaml

    raw = load_yaml("health", "texts.yaml")
    broken = {**raw, "warning": "in about {weeks_left} weeks"}
    monkeypatch.setattr(data, "load_model", lambda model, *a, **k: model.model_validate(broken))
    data.texts.cache_clear()
    try:
        with pytest.raises(Exception, match="unknown placeholder"):
            data.texts()
    finally:
        data.texts.cache_clear()


def test_broken_thresholds_are_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from sipsight.core import yaml_models

    monkeypatch.setattr(yaml_models, "load_yaml", lambda *parts: {"windows": [7], "default_window": 14})
    data.thresholds.cache_clear()
    try:
        with pytest.raises(HealthDataError, match=r"thresholds.yaml is invalid"):
            data.thresholds()
    finally:
        data.thresholds.cache_clear()


def test_every_engine_names_its_source_and_the_registry_reaches_the_three() -> None:
    from sipsight.core.knowledge import engine_data, engine_for

    d = engine_data()
    assert set(d.registry.reaches) == {"Hiya", "First Orion", "TNS"}
    assert all(e.source for e in d.engines)
    assert engine_for("T-Mobile USA, Inc.").engine == "First Orion"
    assert engine_for("AT&T Wireless").engine == "Hiya" and engine_for("Cox Communications") is None
