"""The provider catalog (resources/providers/): every provider loads, a broken file is refused with its file and
field named, and classify reads each provider's vocabularies from it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

import project_paths
from sipsight.core import resources
from sipsight.core.errors import InputError
from sipsight.core.knowledge import (
    HINT_KINDS,
    VOCABULARIES,
    ProviderCatalogError,
    ProviderInfo,
    _classify,
    classify,
    error_entry,
    knowledge,
    provider_info,
    provider_names,
)
from sipsight.core.knowledge._providers import read_provider_file
from sipsight.core.lookup.window import DEFAULT_RETENTION, DEFAULT_RETENTION_NOTE
from sipsight.core.models import Attempt, OutcomeClass

SIX = ["bandwidth", "plivo", "signalwire", "telnyx", "twilio", "vonage"]


def test_all_six_providers_load() -> None:
    assert provider_names() == SIX
    labels = {name: provider_info(name).label for name in SIX}
    assert labels == {
        "bandwidth": "Bandwidth",
        "plivo": "Plivo",
        "signalwire": "SignalWire",
        "telnyx": "Telnyx",
        "twilio": "Twilio",
        "vonage": "Vonage",
    }


@pytest.mark.parametrize("name", SIX)
def test_every_provider_has_its_facts_and_a_hint_for_every_failure(name: str) -> None:
    info = provider_info(name)
    assert info.name == name
    assert info.status_page.startswith("https://")
    assert info.console and info.retention_note and info.source
    assert list(info.hints) == list(HINT_KINDS)
    assert all(info.hints.values())
    assert all(v in VOCABULARIES for v in info.status_vocabularies)
    assert info.error_vocabulary is None or info.error_vocabulary in VOCABULARIES
    if name != "twilio":  # each provider's own wording: no "Twilio is throttling" or status.twilio.com elsewhere
        assert not [kind for kind, hint in info.hints.items() if "twilio" in hint.lower()]


def test_documented_retention_is_what_the_reference_says() -> None:
    assert provider_info("twilio").history_retention_days == 30  # Voice Insights, error 17002
    assert provider_info("plivo").history_retention_days == 90
    assert provider_info("bandwidth").history_retention_days == 7
    for name in ("signalwire", "telnyx", "vonage"):
        assert provider_info(name).history_retention_days is None
        assert "no retention limit" in provider_info(name).retention_note


def test_the_lookup_window_defaults_to_twilio_s_retention() -> None:
    assert DEFAULT_RETENTION.days == provider_info("twilio").history_retention_days
    assert provider_info("twilio").retention_note == DEFAULT_RETENTION_NOTE


def test_an_unknown_provider_is_a_clear_input_error() -> None:
    with pytest.raises(InputError, match=r"Unknown provider 'twillio'.*") as err:
        provider_info("twillio")
    assert "twilio" in err.value.hint


def _packaged(name: str) -> dict[str, Any]:
    data = yaml.safe_load(resources.read_text("providers", f"{name}.yaml"))
    assert isinstance(data, dict)
    return data


def _write(tmp_path: Path, name: str, data: object) -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_a_packaged_file_copied_elsewhere_reads_the_same() -> None:
    assert read_provider_file(project_paths.ROOT / "resources" / "providers" / "telnyx.yaml") == provider_info("telnyx")


@pytest.mark.parametrize(
    ("change", "field", "reason"),
    [
        (lambda d: d["hints"].pop("timeout"), "hints", "missing timeout"),
        (lambda d: d["hints"].update(throttled="x"), "hints", "unknown throttled"),
        (lambda d: d.update(status_vocabularies=["twilio-statuses"]), "status_vocabularies", "unknown vocabulary"),
        (lambda d: d.update(error_vocabulary="twilio-errors"), "error_vocabulary", "unknown vocabulary"),
        (lambda d: d.update(status_page="status.twilio.com"), "status_page", "should match pattern"),
        (lambda d: d.update(history_retention_days=0), "history_retention_days", "greater than or equal to 1"),
        (lambda d: d.pop("history_retention_days"), "history_retention_days", "Field required"),
        (lambda d: d.update(label=" "), "label", "must not be empty"),
        (lambda d: d.update(statuspage="https://x"), "statuspage", "Extra inputs are not permitted"),
        (lambda d: d.pop("credentials"), "credentials", "Field required"),
        (lambda d: d["credentials"].update(secret_field="API key"), "credentials.secret_field", "lower-case letters"),
    ],
)
def test_a_bad_file_is_refused_naming_file_and_field(
    tmp_path: Path, change: Callable[[dict[str, Any]], object], field: str, reason: str
) -> None:
    data = _packaged("twilio")
    change(data)
    path = _write(tmp_path, "twilio", data)
    with pytest.raises(ProviderCatalogError) as err:
        read_provider_file(path)
    message = str(err.value)
    assert message.startswith(f"{path} is invalid at {field}:"), message
    assert reason in message
    assert "Value error" not in message
    assert "Provider catalog" in err.value.hint


def test_a_file_must_be_named_after_its_provider(tmp_path: Path) -> None:
    path = _write(tmp_path, "twilio2", _packaged("twilio"))
    with pytest.raises(ProviderCatalogError, match=r"twilio2.yaml is invalid at name: 'twilio' must match"):
        read_provider_file(path)


def test_a_file_that_is_not_yaml_is_named(tmp_path: Path) -> None:
    path = tmp_path / "twilio.yaml"
    path.write_text("name: [twilio\n", encoding="utf-8")
    with pytest.raises(ProviderCatalogError, match=r"twilio.yaml is not readable YAML"):
        read_provider_file(path)


def _telnyx_busy() -> Attempt:
    return Attempt(
        id="v3:demo",
        start_time=datetime(2026, 11, 23, 15, 0, tzinfo=UTC),
        **{"from": "+17205550100"},
        to="+13035550199",
        provider="telnyx",
        provider_status="user_busy",
    )


def test_classify_reads_each_provider_s_status_vocabularies_from_the_catalog(monkeypatch: pytest.MonkeyPatch) -> None:
    assert classify(_telnyx_busy()) is OutcomeClass.BUSY  # telnyx-hangup-cause, the first in its chain
    real = provider_info

    def without_telnyx_causes(name: str) -> ProviderInfo:
        info = real(name)
        if name != "telnyx":
            return info
        return info.model_copy(update={"status_vocabularies": ["twilio-status"]})

    monkeypatch.setattr(_classify, "provider_info", without_telnyx_causes)
    tables = _classify._Tables(knowledge())
    assert "user_busy" not in tables.status["telnyx"]
    assert tables.status["twilio"].get("busy") is OutcomeClass.BUSY
    assert tables.mirrors_sip == {"twilio", "signalwire"}  # the providers whose error vocabulary is twilio-error


@pytest.mark.parametrize(
    ("provider", "code", "ref"),
    [
        ("twilio", "21215", "twilio:21215"),
        ("signalwire", "21215", "twilio:21215"),  # SignalWire's error codes are Twilio's (its catalog file says so)
        ("plivo", "2000", "plivo:voice:2000"),  # Voice is Plivo's default product
        ("telnyx", "21215", None),  # Telnyx has no error vocabulary
        ("somebody", "21215", None),  # a provider the catalog does not know
    ],
)
def test_an_error_code_is_read_in_its_provider_s_vocabulary(provider: str, code: str, ref: str | None) -> None:
    attempt = _telnyx_busy().model_copy(update={"provider": provider, "provider_error_code": code})
    entry = error_entry(attempt)
    assert (entry.ref if entry else None) == ref


@pytest.mark.parametrize("name", ["signalwire", "telnyx", "plivo", "vonage", "bandwidth"])
def test_a_profile_keeps_its_secret_under_the_field_its_catalog_entry_names(name: str) -> None:
    from sipsight.settings.model import Profile

    creds = provider_info(name).credentials
    profile = Profile(name="p", provider=name, account_sid="9900000", api_user="u", space="example")
    assert profile.secret_field == creds.secret_field and creds.secret
    assert (creds.account is None) == (name == "telnyx")  # Telnyx's API key says which account
