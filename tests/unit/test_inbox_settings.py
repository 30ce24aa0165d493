"""The Intercom section of the settings: validated, changed by targeted updates, its token in the keyring only."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from sipsight.settings import credentials
from sipsight.settings.edits import SettingsEdit, preference_names
from sipsight.settings.model import IntercomSettings, Settings
from sipsight.settings.store import load_settings, save_intercom, save_profile, settings_path


def test_defaults_and_validation() -> None:
    ic = IntercomSettings()
    assert (ic.region, ic.contact_attributes, ic.offer_contact_phone, ic.admin_id) == ("us", None, True, None)
    assert IntercomSettings(contact_attributes=[" dialer_number ", "dialer_number"]).contact_attributes == [
        "dialer_number"]
    for bad in ({"region": "mars"}, {"contact_attributes": ["bad\x00name"]}, {"admin_id": "abc"},
                {"api_base": "ftp://x"}, {"unknown": 1}):
        with pytest.raises(ValidationError):
            IntercomSettings.model_validate(bad)


def test_a_targeted_update_keeps_what_another_process_saved() -> None:
    from sipsight.settings.model import Profile

    save_profile(Profile(name="work", account_sid="AC" + "0" * 32, auth_mode="auth_token"))
    save_intercom(lambda ic: ic.model_copy(update={"region": "au", "company_attributes": ["line"]}))
    loaded = load_settings()
    assert loaded.profile("work") is not None
    assert (loaded.intercom.region, loaded.intercom.company_attributes) == ("au", ["line"])
    on_disk = json.loads(settings_path().read_text(encoding="utf-8"))
    assert on_disk["intercom"]["region"] == "au"
    with pytest.raises(ValidationError):
        save_intercom(lambda ic: ic.model_copy(update={"region": "mars"}))
    assert load_settings().intercom.region == "au"  # nothing written


def test_intercom_is_no_preference_and_has_its_own_edit() -> None:
    assert "intercom" not in preference_names()
    with pytest.raises(ValueError):
        SettingsEdit().set_preferences(intercom={"region": "eu"})
    edited = SettingsEdit().set_intercom(IntercomSettings(region="eu")).apply(Settings())
    assert edited.intercom.region == "eu"


def test_an_older_file_without_the_section_reads_with_defaults() -> None:
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"schema_version": 1, "theme": "dark"}), encoding="utf-8")
    loaded = load_settings()
    assert loaded.theme == "dark" and loaded.intercom == IntercomSettings()


def test_the_token_key_is_never_a_profiles() -> None:
    from sipsight.settings.model import Profile

    name, field = credentials.INTERCOM_KEY
    with pytest.raises(ValidationError):
        Profile(name=name, account_sid="AC" + "0" * 32, auth_mode="auth_token")
    credentials.set_secret(name, field, "tok")
    assert credentials.get_secret(name, field) == "tok"
    credentials.delete_secret(name, field)
    assert credentials.get_secret(name, field) is None
