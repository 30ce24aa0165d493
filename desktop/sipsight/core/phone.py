"""Phone-number normalisation (E.164) on top of `phonenumbers`, shared by intake, CLI, GUI and providers."""

from __future__ import annotations

import phonenumbers

DEFAULT_REGION = "US"


class InvalidNumber(ValueError):
    """The text is not a phone number we can dial; the message says why, for the user."""


def to_e164(text: str, region: str = DEFAULT_REGION) -> str:
    """Normalise any common notation ("(303) 555-0199", "tel:+13035550199", "+44 20 7946 0958") to E.164.

    Raises InvalidNumber with a user-facing message.
    """
    raw = (text or "").strip()
    if raw.lower().startswith("tel:"):
        raw = raw[4:].split(";", 1)[0]
    if not raw:
        raise InvalidNumber("No phone number given.")
    try:
        parsed = phonenumbers.parse(raw, region.upper() if region else None)
    except phonenumbers.NumberParseException as exc:
        raise InvalidNumber(f"'{text.strip()[:40]}' is not a phone number ({_reason(exc)}).") from None
    if not phonenumbers.is_possible_number(parsed):
        raise InvalidNumber(f"'{text.strip()[:40]}' has the wrong number of digits for a phone number.")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def is_e164(text: str) -> bool:
    return bool(text) and text.startswith("+") and text[1:].isdigit() and 8 <= len(text) <= 16


def pretty(e164: str) -> str:
    """International display form ("+1 303-555-0199"); falls back to the input."""
    try:
        return phonenumbers.format_number(phonenumbers.parse(e164, None), phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    except phonenumbers.NumberParseException:
        return e164


def region_of(e164: str) -> str | None:
    try:
        return phonenumbers.region_code_for_number(phonenumbers.parse(e164, None))
    except phonenumbers.NumberParseException:
        return None


def _reason(exc: phonenumbers.NumberParseException) -> str:
    return {
        phonenumbers.NumberParseException.INVALID_COUNTRY_CODE: "unknown country code",
        phonenumbers.NumberParseException.NOT_A_NUMBER: "no digits found",
        phonenumbers.NumberParseException.TOO_SHORT_AFTER_IDD: "too short",
        phonenumbers.NumberParseException.TOO_SHORT_NSN: "too short",
        phonenumbers.NumberParseException.TOO_LONG: "too long",
    }.get(exc.error_type, "not recognised")
