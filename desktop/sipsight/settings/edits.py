"""Settings changes as targeted edits, replayed onto the file as it is when they are saved.

A face never writes back the whole copy it loaded at start: another process (the CLI, a second window) may
have changed the file since. It records what the user changed (a profile saved or removed, the active profile,
preferences) in a `SettingsEdit`, and the store applies it to the current file under the lock
(`settings.store.apply_edit`). Each step is a function of the settings as they are then, so a profile added
elsewhere in the meantime stays.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sipsight.settings.model import IntercomSettings, Profile, Settings

# What `set_preferences` may touch: every field but the profiles, the active one and the layout version.
NOT_PREFERENCES = frozenset({"schema_version", "profiles", "active_profile", "intercom"})


def preference_names() -> frozenset[str]:
    return frozenset(Settings.model_fields) - NOT_PREFERENCES


def check_preferences(changes: dict[str, Any]) -> dict[str, Any]:
    """The changes with their values as validated by the model; ValueError for an unknown name, pydantic's
    ValidationError (a ValueError too) for a bad value."""
    unknown = sorted(set(changes) - preference_names())
    if unknown:
        raise ValueError(f"not a preference: {', '.join(unknown)}")
    checked = Settings.model_validate(changes)
    return {name: getattr(checked, name) for name in changes}


Step = Callable[[Settings], Settings]


class SettingsEdit:
    """What one dialog session (or one command) changed, in order; `apply` replays it onto fresh settings."""

    def __init__(self) -> None:
        self._steps: list[Step] = []

    def __bool__(self) -> bool:
        return bool(self._steps)

    def save_profile(self, profile: Profile, *, replaces: str | None = None, activate: bool = False) -> SettingsEdit:
        """Add `profile` or replace the one of its name; `replaces` names the profile it was before a rename.
        `activate`: make it the active profile (it also becomes active when none is)."""

        renamed = replaces is not None and replaces != profile.name

        def step(s: Settings) -> Settings:
            activate_it = activate or (renamed and s.active_profile == replaces)  # a rename keeps it active
            if renamed and replaces is not None:
                s = s.without_profile(replaces)
            s = s.with_profile(profile)
            if activate_it or s.active_profile is None:
                s.active_profile = profile.name
            return s

        self._steps.append(step)
        return self

    def remove_profile(self, name: str) -> SettingsEdit:
        self._steps.append(lambda s: s.without_profile(name))
        return self

    def set_active_profile(self, name: str | None) -> SettingsEdit:
        """`name` must be a profile by the time the edit is applied, or the model drops the pointer (None)."""

        def step(s: Settings) -> Settings:
            s.active_profile = name if name is None or s.profile(name) is not None else s.active_profile
            return s

        self._steps.append(step)
        return self

    def set_preferences(self, **changes: Any) -> SettingsEdit:
        """Preferences by field name (`theme="dark"`, `window_geometry=...`); checked now, applied later."""
        checked = check_preferences(changes)

        def step(s: Settings) -> Settings:
            return Settings.model_validate({**s.model_dump(), **checked})

        self._steps.append(step)
        return self

    def set_intercom(self, intercom: IntercomSettings) -> SettingsEdit:
        """Replace the Intercom section (region, attributes ...) as a whole; its token is in the keyring."""
        data = intercom.model_dump()

        def step(s: Settings) -> Settings:
            return Settings.model_validate({**s.model_dump(), "intercom": data})

        self._steps.append(step)
        return self

    def apply(self, settings: Settings) -> Settings:
        """The settings with every step applied, validated as a whole."""
        for step in self._steps:
            settings = step(settings)
        return Settings.model_validate(settings.model_dump())
