"""The settings dialog with all six providers: a profile of each kind with that provider's credential fields (the
secret to the keyring, never the file), Test connection against the simulator serving that provider, and the demo
provider choice reaching the demo session (the window's lookups then read that provider's API)."""

from __future__ import annotations

import pytest

from gui_support import demo_window
from sipsight.gui.settings_dialog import SettingsDialog
from sipsight.providers.http import HttpConfig
from sipsight.settings import credentials
from sipsight.settings.model import Settings
from sipsight.simulator.server import Simulator

FAST = HttpConfig(connect_timeout=2, read_timeout=5, max_retries=0, backoff_base=0.01, backoff_max=0.02, budget_s=10)
TIMEOUT_MS = 20000
CONVERSATION = "Calls to (303) 555-0199 from 720-555-0100 go straight to voicemail since yesterday."


@pytest.fixture(autouse=True)
def _no_secrets_left():
    credentials.forget_session_secrets()
    yield
    credentials.forget_session_secrets()


def _visible_rows(dialog: SettingsDialog) -> set[str]:
    rows = {
        "account": dialog.account_edit, "api_user": dialog.api_user_edit, "product": dialog.product_combo,
        "auth": dialog.auth_combo, "api_key": dialog.key_edit, "space": dialog.space_edit,
        "secret": dialog.secret_edit, "private_key": dialog.key_file, "insights": dialog.insights_check,
    }  # fmt: skip
    return {name for name, widget in rows.items() if dialog._form.isRowVisible(widget)}


@pytest.mark.parametrize(
    ("provider", "rows", "secret_label"),
    [
        ("twilio", {"account", "auth", "api_key", "secret"}, "API key secret"),
        ("signalwire", {"account", "space", "secret"}, "API token"),
        ("telnyx", {"secret"}, "API key"),
        ("plivo", {"account", "product", "secret"}, "Auth Token"),
        ("vonage", {"account", "private_key"}, None),
        ("bandwidth", {"account", "api_user", "secret", "insights"}, "API user password"),
    ],
)
def test_each_provider_shows_its_own_credential_fields(qtbot, provider, rows, secret_label) -> None:
    dialog = SettingsDialog(Settings())
    qtbot.addWidget(dialog)
    dialog.provider_combo.setCurrentIndex(dialog.provider_combo.findData(provider))
    assert _visible_rows(dialog) == rows
    if secret_label is not None:
        assert dialog._form.labelForField(dialog.secret_edit).text() == secret_label


def _fill(dialog: SettingsDialog, provider: str, sim: Simulator) -> str:
    """Fill the form for a profile pointed at the simulator; returns the secret."""
    creds = sim.credentials()
    dialog.name_edit.setText(f"sim-{provider}")
    dialog.provider_combo.setCurrentIndex(dialog.provider_combo.findData(provider))
    dialog.base_url_edit.setText(sim.base_url)
    if provider == "telnyx":
        secret = creds["api_key"]
    elif provider == "plivo":
        dialog.account_edit.setText(creds["auth_id"])
        secret = creds["auth_token"]
    elif provider == "bandwidth":
        dialog.account_edit.setText(creds["account_id"])
        dialog.api_user_edit.setText(creds["username"])
        secret = creds["password"]
    else:
        dialog.account_edit.setText(creds["application_id"])
        assert not dialog.key_file.set_key("not a key", "the clipboard")
        assert dialog.key_file.set_key(creds["private_key"], "private.key")
        return dialog.key_file.text()
    dialog.secret_edit.setText(secret)
    return secret


@pytest.mark.parametrize("provider", ["telnyx", "plivo", "vonage", "bandwidth"])
def test_a_profile_of_each_provider_tests_its_connection_and_saves_without_its_secret(qtbot, provider) -> None:
    from sipsight.settings.store import load_settings, settings_path

    with Simulator("origin-ticket", provider=provider) as sim:
        dialog = SettingsDialog(Settings())
        qtbot.addWidget(dialog)
        secret = _fill(dialog, provider, sim)
        dialog.test_button.click()
        qtbot.waitUntil(lambda: dialog.test_result.property("kind") != "busy", timeout=TIMEOUT_MS)
        assert dialog.test_result.property("kind") == "ok", dialog.test_result.text()
        assert dialog.test_result.text().startswith("✓ Connected")
        with qtbot.waitSignal(dialog.saved, timeout=2000):
            dialog.save()
    saved = load_settings().profile(f"sim-{provider}")
    assert saved is not None and saved.provider == provider and saved.base_url == sim.base_url
    assert credentials.get_secret(saved.name, saved.secret_field) == secret
    on_disk = settings_path().read_text()
    assert secret.strip().splitlines()[1 if provider == "vonage" else 0] not in on_disk


def test_a_vonage_profile_without_a_usable_key_says_so(qtbot) -> None:
    dialog = SettingsDialog(Settings())
    qtbot.addWidget(dialog)
    dialog.name_edit.setText("voice")
    dialog.provider_combo.setCurrentIndex(dialog.provider_combo.findData("vonage"))
    dialog.account_edit.setText("00000000-0000-4000-8000-000000000000")
    dialog.test_button.click()
    qtbot.waitUntil(lambda: dialog.test_result.property("kind") == "error", timeout=TIMEOUT_MS)
    assert "No secret is stored for profile 'voice'" in dialog.test_result.text()


def test_the_demo_provider_choice_is_saved_and_the_demo_serves_that_providers_api(qtbot) -> None:
    from sipsight.settings.store import load_settings

    with demo_window(qtbot, FAST, size=(440, 860)) as window:
        window.open_settings()
        dialog = window.settings_dialog
        qtbot.waitExposed(dialog)
        dialog.tabs.setCurrentIndex(1)
        assert dialog.demo_provider_combo.count() == 7  # the scenario's own, and the six
        dialog.demo_provider_combo.setCurrentIndex(dialog.demo_provider_combo.findData("vonage"))
        with qtbot.waitSignal(dialog.saved, timeout=2000):
            dialog.save()
        assert load_settings().demo_provider == "vonage"
        assert window.lookups.session_options.get("demo_provider") == "vonage"
        window.input_panel.set_text(CONVERSATION)
        with qtbot.waitSignal(window.lookup_finished, timeout=TIMEOUT_MS) as blocker:
            window.look_up()
        result = blocker.args[0]
    assert result.demo and result.provider == "vonage"
    assert result.diagnosis is not None and result.diagnosis.kind.value == "recipient_blocked"
    assert any("Vonage" in c for c in result.diagnosis.caveats)  # what Vonage's data cannot show, in the UI
