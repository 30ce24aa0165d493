"""Customer replies and internal notes: every kind, every confidence band, and template validation."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

import project_paths
from sipsight.core import replies, timezones
from sipsight.core.errors import InputError
from sipsight.core.models import (
    Alternative,
    Attempt,
    Diagnosis,
    DiagnosisKind,
    Evidence,
    LookupResult,
    OutcomeClass,
    Query,
)
from sipsight.core.replies._templating import Template, TemplateSyntaxError

DATA = project_paths.DATA / "attempts"
DEST = "+13035550199"
PRETTY_DEST = "+1 303-555-0199"
BANDS = {"high": 0.9, "medium": 0.6, "low": 0.3}
HEDGES = ("most likely", "it looks like", "can't be certain", "can't be sure", "possibly", "possible", "may ")
JARGON = re.compile(
    r"\bSIP\b|Q\.?850|\bISUP\b|\bPDD\b|\bAMD\b|STIR|SHAKEN|\bINVITE\b|answered_by|Voice Insights|\bAPI\b|"
    # a bare 3-digit code (603, 608+, 486), but not a count ("150 other numbers", "120 calls")
    r"\b[1-6]\d\d\b\+?(?!-)(?! (?:other|calls?|numbers?|people)\b)|jCard|analytics",
    re.IGNORECASE,
)


def load_attempts(name: str = "origin-ticket.json") -> tuple[list[Attempt], list[Attempt]]:
    data = json.loads((DATA / name).read_text())
    return [Attempt.model_validate(a) for a in data["attempts"]], [
        Attempt.model_validate(a) for a in data.get("caller_attempts", [])
    ]


def make_result(kind: DiagnosisKind, confidence: float = 0.9, **attempt_changes) -> LookupResult:
    attempts, others = load_attempts()
    attempts = [a.model_copy(update={"outcome": OutcomeClass.VOICEMAIL, **attempt_changes}) for a in attempts]
    others = [a.model_copy(update={"outcome": OutcomeClass.CONNECTED}) for a in others]
    diagnosis = Diagnosis(
        kind=kind,
        confidence=confidence,
        headline=f"Hand-built {kind.value} diagnosis",
        evidence=[Evidence(text="5 of 7 calls were answered by a machine within 1 s", attempt_ids=[attempts[-1].id])],
        next_steps=["Suppress the destination for 30 days"],
        caveats=["No SIP codes: Voice Insights Advanced Features is off"],
        alternatives=[
            Alternative(kind=DiagnosisKind.UNREACHABLE, confidence=0.2, why="Phone off", how_to_tell="Try in a day")
        ],
        stats={"change_at": "2026-11-23T04:00:00Z", "change_summary": "Human answers stopped; machine answers began"},
    )
    return LookupResult(
        query=Query(destination=DEST, caller_id="+17205550100", since=datetime(2026, 11, 20, tzinfo=UTC)),
        provider="twilio",
        caller_id="+17205550100",
        attempts=attempts,
        caller_attempts=others,
        diagnosis=diagnosis,
    )


def words(text: str) -> int:
    return len(text.split())


# --------------------------------------------------------------------------- customer replies


@pytest.mark.parametrize("kind", list(DiagnosisKind))
@pytest.mark.parametrize("band", list(BANDS))
def test_customer_reply_is_short_plain_and_names_number_and_dates(kind: DiagnosisKind, band: str) -> None:
    text = replies.render_customer(make_result(kind, BANDS[band]), tz="America/Denver")
    body = text.split("\n\n", 1)[1].rsplit("\n\n", 1)[0]  # between the greeting and the sign-off
    assert words(body) <= 160, f"{kind.value}/{band}: {words(body)} words"
    assert PRETTY_DEST in text
    # attempts run Nov 21 16:00Z to Nov 23 15:00Z: Nov 21 and Nov 23 in Denver as well
    assert "Nov 21" in text and "Nov 23" in text, text
    plain = text.replace(PRETTY_DEST, "").replace("+1 720-555-0100", "")
    found = JARGON.findall(plain)
    assert not found, f"{kind.value}/{band}: jargon {found} in {text!r}"
    assert "{" not in text and "[[" not in text


@pytest.mark.parametrize("kind", list(DiagnosisKind))
def test_customer_wording_follows_the_confidence_band(kind: DiagnosisKind) -> None:
    high = replies.render_customer(make_result(kind, 0.95)).lower()
    for band in ("medium", "low"):
        text = replies.render_customer(make_result(kind, BANDS[band])).lower()
        assert any(h in text for h in HEDGES), f"{kind.value}/{band} does not hedge: {text!r}"
    if kind is not DiagnosisKind.NO_DATA:
        assert "can't be certain" not in high and "can't be sure" not in high
    low = replies.render_customer(make_result(kind, 0.1)).lower()
    if kind is not DiagnosisKind.NO_DATA:
        assert low != high


def test_band_thresholds_come_from_the_claims_data() -> None:
    t = replies.templates()
    assert t.band(0.75) == "high"
    assert t.band(0.74) == "medium"
    assert t.band(0.45) == "medium"
    assert t.band(0.44) == "low"


def test_dates_follow_the_display_time_zone() -> None:
    result = make_result(DiagnosisKind.VOICEMAIL_PICKUP)
    # +14:00: Nov 21 16:00Z is already Nov 22 there, Nov 23 15:00Z is Nov 24
    text = replies.render_customer(result, tz="Pacific/Kiritimati")
    assert "between Nov 22 and Nov 24" in text
    assert "Nov 21" not in text


def test_single_day_reads_on_date() -> None:
    result = make_result(DiagnosisKind.BUSY)
    result.attempts = result.attempts[-3:]
    assert "on Nov 23" in replies.render_customer(result)
    assert "3 calls" in replies.render_customer(result)


def test_healthy_other_numbers_are_mentioned_only_when_they_connect() -> None:
    result = make_result(DiagnosisKind.RECIPIENT_BLOCKED, 0.9)
    text = replies.render_customer(result)
    assert "12 of your 12 calls to other numbers in the same hours rang or were answered" in text
    assert "your line itself is fine" in text
    result.caller_attempts = [
        a.model_copy(update={"outcome": OutcomeClass.NETWORK_BLOCKED}) for a in result.caller_attempts
    ]
    text = replies.render_customer(result)
    assert "other numbers" not in text and "fine" not in text
    flagged = make_result(DiagnosisKind.CALLER_ID_FLAGGED, 0.9)
    flagged.caller_attempts = result.caller_attempts
    assert "12 other numbers rejected your calls the same way" in replies.render_customer(flagged)


def test_redress_contact_reaches_the_customer_when_returned() -> None:
    result = make_result(DiagnosisKind.CALLER_ID_FLAGGED, 0.9, redress_contact="tel:+13035550150")
    assert "tel:+13035550150" in replies.render_customer(result)
    assert "disputing" not in replies.render_customer(make_result(DiagnosisKind.CALLER_ID_FLAGGED, 0.9))


def test_no_attempts_names_the_searched_window() -> None:
    result = make_result(DiagnosisKind.NO_DATA, 0.2)
    result.attempts = []
    result.query = result.query.model_copy(update={"until": datetime(2026, 11, 23, 18, tzinfo=UTC)})
    text = replies.render_customer(result)
    assert "between Nov 20 and Nov 23" in text and PRETTY_DEST in text


def test_missing_diagnosis_renders_as_no_data() -> None:
    result = make_result(DiagnosisKind.NORMAL)
    result.diagnosis = None
    assert "enough call records" in replies.render_customer(result)


def test_bad_time_zone_is_a_user_error() -> None:
    with pytest.raises(InputError, match="'Mars/Olympus' is not a time zone"):
        replies.render_customer(make_result(DiagnosisKind.BUSY), tz="Mars/Olympus")


# --------------------------------------------------------------------------- internal note


def test_internal_note_is_technical_and_complete() -> None:
    result = make_result(
        DiagnosisKind.CALLER_ID_FLAGGED,
        0.62,
        sip_code=608,
        sip_reason="Rejected",
        q850_cause=21,
        provider_status="failed",
    )
    note = replies.render_internal_note(result, tz="America/Denver")
    for a in result.attempts:
        assert a.id in note
    assert "608 Rejected x7" in note  # code, reason phrase, count
    assert "Q.850 21" in note
    assert "America/Denver" in note and "MST" in note
    assert "likely (62%)" in note and "(medium)" not in note
    assert "provider twilio" in note
    assert "Caveats:" in note and "Voice Insights Advanced Features is off" in note
    assert "Alternatives:" in note
    assert "Phone off or unreachable (possible, 20%): Phone off. How to tell: Try in a day." in note
    assert "Next steps:" in note and "Suppress the destination" in note
    assert "Other numbers: In the same hours: 12 calls to 12 numbers" in note
    # the hand-built stats claim a change, but no call to the number connected: the note states no change
    assert "Change:" not in note and "Human answers stopped" not in note
    assert "Caller ID blocked by network spam analytics" in note


def test_internal_note_reason_phrase_comes_from_the_knowledge_base() -> None:
    # the attempt carries a non-standard phrase; the note uses the registry name (RFC 3261 allows any phrase)
    result = make_result(DiagnosisKind.BUSY, 0.9, sip_code=486, sip_reason="User Busy", provider_status="busy")
    note = replies.render_internal_note(result)
    assert "486 Busy Here" in note


def test_internal_note_drops_empty_sections() -> None:
    result = make_result(DiagnosisKind.NORMAL, 0.9)
    result.diagnosis = result.diagnosis.model_copy(update={"caveats": [], "alternatives": []})
    note = replies.render_internal_note(result)
    assert "Caveats:" not in note and "Alternatives:" not in note
    assert "[[" not in note and "{" not in note


def test_internal_note_lists_at_most_twenty_attempts() -> None:
    result = make_result(DiagnosisKind.NO_ANSWER)
    base = result.attempts[0]
    result.attempts = [base.model_copy(update={"id": f"CAdemo{i:04d}many"}) for i in range(30)]
    note = replies.render_internal_note(result)
    assert note.count("CAdemo") == 20 and "and 10 older attempts" in note


# --------------------------------------------------------------------------- template engine and validation


def test_template_engine_substitutes_and_drops_optional_parts() -> None:
    t = Template("Hi {name}.[[ Carrier: {carrier}.]] {{literal}}")
    assert t.placeholders == {"name", "carrier"}
    assert t.render({"name": "Sam", "carrier": ""}) == "Hi Sam. {literal}"
    assert t.render({"name": "Sam", "carrier": "Example"}) == "Hi Sam. Carrier: Example. {literal}"
    # attribute access is not a placeholder: nothing is ever evaluated
    with pytest.raises(TemplateSyntaxError, match="not a placeholder name"):
        Template("{name.__class__}")
    with pytest.raises(TemplateSyntaxError, match="never closed"):
        Template("Hi {name")
    with pytest.raises(TemplateSyntaxError, match="no opening"):
        Template("Hi name}")
    with pytest.raises(TemplateSyntaxError, match="cannot nest"):
        Template("[[ a [[ b ]] ]]")


def _packaged(name: str) -> dict:
    from sipsight.core.resources import read_text

    return yaml.safe_load(read_text("replies", name))  # a fresh copy: load_yaml's cached one must stay intact


def _write(folder: Path, name: str, data: dict) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(yaml.safe_dump(data), encoding="utf-8")


def test_unknown_placeholder_is_a_load_error_naming_file_and_key(tmp_path: Path) -> None:
    data = _packaged("customer.yaml")
    data["kinds"]["busy"]["high"] = "Your calls to {numbr} were busy."
    _write(tmp_path, "customer.yaml", data)
    with pytest.raises(replies.ReplyTemplateError) as err:
        replies.load_templates(tmp_path)
    message = str(err.value)
    assert str(tmp_path / "customer.yaml") in message
    assert "kinds.busy.high" in message and "{numbr}" in message and "{number}" in message


def test_missing_kind_is_a_load_error(tmp_path: Path) -> None:
    data = _packaged("internal.yaml")
    del data["kinds"]["no_data"]
    _write(tmp_path, "internal.yaml", data)
    with pytest.raises(replies.ReplyTemplateError, match=r"internal\.yaml: kinds\.no_data: missing"):
        replies.load_templates(tmp_path)


def test_missing_band_and_unknown_key_are_load_errors(tmp_path: Path) -> None:
    data = _packaged("customer.yaml")
    del data["kinds"]["normal"]["medium"]
    _write(tmp_path, "customer.yaml", data)
    with pytest.raises(replies.ReplyTemplateError, match=r"kinds\.normal\.medium: Field required"):
        replies.load_templates(tmp_path)
    data = _packaged("summary.yaml")
    data["kinds"]["busy"]["tipp"] = "typo"
    _write(tmp_path, "customer.yaml", _packaged("customer.yaml"))
    _write(tmp_path, "summary.yaml", data)
    with pytest.raises(replies.ReplyTemplateError, match=r"summary\.yaml: kinds\.busy\.tipp: unknown key"):
        replies.load_templates(tmp_path)


def test_syntax_errors_and_bad_yaml_name_the_file(tmp_path: Path) -> None:
    data = _packaged("summary.yaml")
    data["kinds"]["busy"]["tip"] = "Retry {later"
    _write(tmp_path, "summary.yaml", data)
    with pytest.raises(replies.ReplyTemplateError, match=r"kinds\.busy\.tip: '\{' at character 7 is never closed"):
        replies.load_templates(tmp_path)
    (tmp_path / "summary.yaml").write_text("kinds: [unclosed\n", encoding="utf-8")
    with pytest.raises(replies.ReplyTemplateError, match=r"summary\.yaml: \(file\): is not valid YAML.*line"):
        replies.load_templates(tmp_path)


def test_team_lead_override_in_the_config_dir_is_used() -> None:
    from sipsight.core.paths import config_dir

    data = _packaged("customer.yaml")
    data["kinds"]["busy"]["high"] = "Override: {number} was busy {dates}."
    _write(config_dir() / "replies", "customer.yaml", data)
    text = replies.render_customer(make_result(DiagnosisKind.BUSY, 0.9))
    body = f"Override: {PRETTY_DEST} was busy between Nov 21 and Nov 23."
    assert text == f"Hi there,\n\n{body}\n\nBest regards,\nThe support team"


def test_a_broken_override_is_reported_not_ignored() -> None:
    from sipsight.core.paths import config_dir

    folder = config_dir() / "replies"
    folder.mkdir(parents=True)
    (folder / "internal.yaml").write_text("source: x\nlayout: '{nope}'\nkinds: {}\n", encoding="utf-8")
    with pytest.raises(replies.ReplyTemplateError, match=r"internal\.yaml"):
        replies.render_internal_note(make_result(DiagnosisKind.BUSY))


def test_a_maybe_empty_placeholder_outside_an_optional_part_is_a_load_error(tmp_path: Path) -> None:
    data = _packaged("customer.yaml")
    data["kinds"]["caller_id_flagged"]["high"] = "Calls to {failing_others} fail too, {dates}, {number}."
    _write(tmp_path, "customer.yaml", data)
    with pytest.raises(replies.ReplyTemplateError, match=r"kinds\.caller_id_flagged\.high: \{failing_others\} can be"):
        replies.load_templates(tmp_path)


def test_flagged_reply_reads_well_when_other_numbers_are_unknown() -> None:
    result = make_result(DiagnosisKind.CALLER_ID_FLAGGED, 0.9)
    result.caller_attempts = []
    text = replies.render_customer(result)
    assert "calls to  " not in text and "other numbers" not in text
    assert "flagged the number as possible spam." in text


def test_dates_stay_english_under_another_locale() -> None:
    import locale

    zone = timezones.zone("UTC")
    when = datetime(2026, 3, 5, 9, 30, tzinfo=UTC)
    previous = locale.setlocale(locale.LC_TIME)
    try:
        for name in ("de_DE.UTF-8", "fr_FR.UTF-8", "C"):
            try:
                locale.setlocale(locale.LC_TIME, name)
            except locale.Error:
                continue
            assert replies.format_date(when, zone) == "Mar 5"
            assert replies.format_datetime(when, zone) == "Mar 5 09:30 UTC"
    finally:
        locale.setlocale(locale.LC_TIME, previous)


# --------------------------------------------------------------------------- pipeline glue


def test_analyse_classifies_sorts_infers_and_renders() -> None:
    from sipsight.core.lookup import analyse

    attempts, others = load_attempts()
    query = Query(destination=DEST, since=datetime(2026, 11, 20, tzinfo=UTC))  # no caller ID given
    result = analyse(query, list(reversed(attempts)), others, provider="twilio", tz="America/Denver", request_count=3)
    assert [a.id for a in result.attempts] == sorted(a.id for a in attempts)  # oldest first
    assert all(a.outcome is not OutcomeClass.UNKNOWN for a in [*result.attempts, *result.caller_attempts])
    assert result.caller_id == "+17205550100"  # the most common `from`
    assert result.request_count == 3 and result.provider == "twilio"
    # no DataProfile from a provider: derived from the attempts themselves
    assert result.data.has_sip_codes and result.data.has_answered_by and result.data.has_caller_history
    assert result.diagnosis is not None
    assert result.replies.customer == replies.render_customer(result, "America/Denver")
    assert result.replies.internal_note == replies.render_internal_note(result, "America/Denver")


def test_analyse_rejects_a_bad_zone_and_unknown_fields() -> None:
    from sipsight.core.lookup import analyse

    attempts, others = load_attempts()
    query = Query(destination=DEST, since=datetime(2026, 11, 20, tzinfo=UTC))
    with pytest.raises(InputError, match="is not a time zone"):
        analyse(query, attempts, others, provider="twilio", tz="Nowhere/Land")
    with pytest.raises(TypeError, match="colour"):
        analyse(query, attempts, others, provider="twilio", colour="red")


# --------------------------------------------------------------------------- greeting and sign-off


@pytest.mark.parametrize(
    ("agent", "company", "signed"),
    [
        (None, None, "The support team"),
        ("Dana", None, "Dana"),
        (None, "Acme CRM", "The Acme CRM team"),
        ("Dana", "Acme CRM", "Dana, Acme CRM"),
        ("   ", "", "The support team"),  # blank is unset, never an empty line or a placeholder
    ],
)
def test_every_reply_is_ready_to_send(agent: str | None, company: str | None, signed: str) -> None:
    from sipsight.core.models import DiagnosisContext

    ctx = DiagnosisContext(agent_name=agent, company_name=company, customer_name="Sarah Whitfield")
    for kind in DiagnosisKind:
        text = replies.render_customer(make_result(kind, 0.6), context=ctx)
        assert text.startswith("Hi Sarah,\n\n"), text
        assert text.endswith(f"\n\nBest regards,\n{signed}"), text
        assert "{" not in text and "[[" not in text and "None" not in text
    assert replies.render_customer(make_result(DiagnosisKind.BUSY)).startswith("Hi there,\n\n")


def test_the_settings_sign_the_reply() -> None:
    from sipsight.core.models import DiagnosisContext
    from sipsight.settings.model import Settings

    settings = Settings(agent_name="  Dana   Lee ", company_name="Acme CRM")
    assert settings.reply_signer() == {"agent_name": "Dana Lee", "company_name": "Acme CRM"}
    assert Settings(agent_name=" ").agent_name is None and Settings().reply_signer()["company_name"] is None
    text = replies.render_customer(make_result(DiagnosisKind.BUSY), context=DiagnosisContext(**settings.reply_signer()))
    assert text.endswith("Best regards,\nDana Lee, Acme CRM")


def test_a_greeting_or_sign_off_with_an_unknown_placeholder_is_refused(tmp_path: Path) -> None:
    data = _packaged("customer.yaml")
    data["sign_off"] = "Cheers,\n{agent}"
    _write(tmp_path, "customer.yaml", data)
    with pytest.raises(replies.ReplyTemplateError, match=r"sign_off: unknown placeholder \{agent\}"):
        replies.load_templates(tmp_path)
    data = _packaged("customer.yaml")
    data["greeting"] = "Hi {customer_name},"  # may be empty: "Hi ," in front of a customer
    _write(tmp_path, "customer.yaml", data)
    with pytest.raises(replies.ReplyTemplateError, match=r"greeting: \{customer_name\} can be empty"):
        replies.load_templates(tmp_path)


def test_a_claim_part_names_a_known_claim(tmp_path: Path) -> None:
    data = _packaged("customer.yaml")
    data["kinds"]["busy"]["high"] = "{number} {dates}.[[?line_fine Your line is fine.]]"
    _write(tmp_path, "customer.yaml", data)
    with pytest.raises(replies.ReplyTemplateError, match=r"unknown claim \[\[\?line_fine"):
        replies.load_templates(tmp_path)


def test_the_old_bands_key_says_where_the_bands_went(tmp_path: Path) -> None:
    data = _packaged("customer.yaml")
    data["bands"] = {"high": 0.75, "medium": 0.45}
    _write(tmp_path, "customer.yaml", data)
    with pytest.raises(replies.ReplyTemplateError, match=r"claims\.yaml"):
        replies.load_templates(tmp_path)
