"""Where a provider's address comes from: SIPSIGHT_TWILIO_BASE_URL and a profile's base_url are checked when
read, so a typo is a setup error (exit 2) that names the setting, never "the provider's API is having trouble"."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from sipsight.launcher import main
from sipsight.providers.errors import NotConfigured
from sipsight.providers.factory import ENV_BASE_URL, create_session, env_base_url, provider_from_profile
from sipsight.settings import credentials
from sipsight.settings.model import Profile, check_base_url
from sipsight.settings.store import load_settings_with_notes, settings_path

ACCOUNT = "AC" + "0" * 32
BAD_URLS = ["notaurl", "ftp://x", "http://", "https:///path", "http://host:notaport", "127.0.0.1:8080"]


@pytest.mark.parametrize("url", BAD_URLS)
def test_bad_base_urls_are_refused_with_the_reason(url: str) -> None:
    with pytest.raises(ValueError, match=r"address|host|port"):
        check_base_url(url)


@pytest.mark.parametrize("url", ["http://127.0.0.1:8080", "https://proxy.example.test/twilio/", " http://[::1]:9 "])
def test_good_base_urls_pass(url: str) -> None:
    assert check_base_url(url) == url.strip()
    assert check_base_url("") is None and check_base_url(None) is None


@pytest.mark.parametrize("url", BAD_URLS)
def test_env_base_url_is_a_configuration_error_naming_the_variable(url: str, monkeypatch) -> None:
    monkeypatch.setenv(ENV_BASE_URL, url)
    monkeypatch.setenv("TWILIO_ACCOUNT_SID", ACCOUNT)
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", "x")
    with pytest.raises(NotConfigured) as info:
        create_session()
    assert info.value.exit_code == 2 and ENV_BASE_URL in info.value.message and url in info.value.message


@pytest.mark.parametrize("url", ["notaurl", "ftp://x"])
def test_cli_lookup_with_a_bad_env_base_url_exits_2_in_one_line(url: str, monkeypatch, capsys) -> None:
    monkeypatch.setenv(ENV_BASE_URL, url)
    monkeypatch.setenv("TWILIO_ACCOUNT_SID", ACCOUNT)
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", "x")
    assert main(["lookup", "3035550199"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and ENV_BASE_URL in err[0] and "UnsupportedProtocol" not in err[0]
    assert "having trouble" not in err[0]


def test_unset_or_empty_env_base_url_means_the_default_hosts(monkeypatch) -> None:
    monkeypatch.delenv(ENV_BASE_URL, raising=False)
    assert env_base_url() is None
    monkeypatch.setenv(ENV_BASE_URL, "  ")
    assert env_base_url() is None


@pytest.mark.parametrize("url", ["notaurl", "ftp://x", "http://"])
def test_profile_model_refuses_a_bad_base_url(url: str) -> None:
    with pytest.raises(ValidationError, match="base_url"):
        Profile(name="lab", account_sid=ACCOUNT, auth_mode="auth_token", base_url=url)
    assert Profile(name="lab", account_sid=ACCOUNT, auth_mode="auth_token", base_url="").base_url is None


def test_settings_file_with_a_bad_profile_base_url_is_set_aside_with_the_field_named() -> None:
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    profile = {"name": "lab", "account_sid": ACCOUNT, "auth_mode": "auth_token", "base_url": "ftp://x"}
    path.write_text(json.dumps({"schema_version": 1, "profiles": [profile]}), encoding="utf-8")
    settings, notes = load_settings_with_notes()
    assert settings.profiles == [] and "profiles.0.base_url" in notes[0]


def test_profile_built_without_validation_still_cannot_reach_httpx_with_a_bad_base_url() -> None:
    profile = Profile.model_construct(
        name="lab", account_sid=ACCOUNT, auth_mode="auth_token", provider="twilio", base_url="ftp://x"
    )
    credentials.set_secret("lab", "auth_token", "token")
    with pytest.raises(NotConfigured) as info:
        provider_from_profile(profile)
    assert "profile 'lab'" in info.value.message and info.value.exit_code == 2


def test_a_bad_env_base_url_is_named_for_a_profile_that_would_use_it(monkeypatch) -> None:
    monkeypatch.setenv(ENV_BASE_URL, "notaurl")
    credentials.set_secret("work", "auth_token", "token")
    profile = Profile(name="work", account_sid=ACCOUNT, auth_mode="auth_token")
    with pytest.raises(NotConfigured, match=ENV_BASE_URL):
        provider_from_profile(profile)
    # a profile with its own base_url does not read the variable at all
    own = Profile(name="work", account_sid=ACCOUNT, auth_mode="auth_token", base_url="http://127.0.0.1:9")
    provider_from_profile(own).close()


def test_the_public_surface_is_what_the_faces_use() -> None:
    import sipsight.providers as providers
    from sipsight.providers import errors, factory

    for name in providers.__all__:
        assert getattr(providers, name) is not None, name
    # the faces' import paths: `providers.factory` (open_provider, provider_from_profile) and `providers.errors`
    assert providers.open_provider is factory.open_provider and providers.ProviderSession is factory.ProviderSession
    assert providers.provider_from_profile is factory.provider_from_profile
    assert providers.RateLimited is errors.RateLimited and issubclass(providers.Offline, providers.ProviderError)
