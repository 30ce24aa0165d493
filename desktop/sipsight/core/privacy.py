"""Masking personal data: phone numbers in logs, crash reports and presenter mode; secrets everywhere.

One place for it, so every log handler, banner and screenshot masks the same way.
"""

from __future__ import annotations

import logging
import re

# A run of 7+ digits, allowing the usual separators, optionally led by + : wide on purpose,
# because over-masking a log line costs nothing and under-masking leaks a customer's number.
_NUMBERISH = r"(?<![\w%])(?:\+|%2[bB])?\d(?:[\s().\-]{0,2}\d){6,}(?![\w])"  # %2B: a + in a URL
# What looks like a number but is not one, tried first at each position so it is left as it is: dates and times
# (an API path's /2010-04-01/, ISO 8601, "2026-11-24 06:00:00"), IPv4 addresses with their port, UUIDs (SignalWire
# SIDs). Twilio SIDs (AC..., CA...) never match: their digits follow letters.
_DATE = r"(?:19|20)\d\d-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])"
_TIME = r"(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?"
_NOT_A_NUMBER = (
    rf"(?<![\w.]){_DATE}(?:[T ]{_TIME})?(?![\w])"
    r"|(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?::\d{1,5})?(?![\w.])"
    r"|(?<![\w-])[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![\w-])"
)
_MASKABLE = re.compile(rf"(?P<keep>{_NOT_A_NUMBER})|(?P<number>{_NUMBERISH})")
_SECRETISH = re.compile(
    r"(?i)(authorization:\s*\S+\s+)\S+|((?:auth_?token|api_?secret|password|secret|token)[\"']?\s*[:=]\s*[\"']?)[^\s\"',}]+"
)


def mask_number(number: str, keep: int = 4) -> str:
    """'+13035550199' -> '+1•••••••0199' (logs: the last `keep` digits stay, the country code stays)."""
    digits = [c for c in number if c.isdigit()]
    if len(digits) <= keep:
        return "•" * len(digits)
    lead = "+" if number.strip().startswith("+") else ""
    cc = digits[0] if lead and digits[0] == "1" else ""
    hidden = len(digits) - keep - len(cc)
    return f"{lead}{cc}{'•' * hidden}{''.join(digits[-keep:])}"


def mask_presenter(e164: str) -> str:
    """Projector-safe form keeping only the area and the last two digits: '+1 303 •••-••99'."""
    digits = "".join(c for c in e164 if c.isdigit())
    if e164.startswith("+1") and len(digits) == 11:
        return f"+1 {digits[1:4]} •••-••{digits[-2:]}"
    if len(digits) <= 4:
        return "•" * len(digits)
    return f"+{digits[:2]} {'•' * (len(digits) - 4)}{digits[-2:]}"


def mask_text(text: str, keep: int = 4) -> str:
    """Mask every phone-number-like run and every secret-looking value in free text."""
    text = _MASKABLE.sub(lambda m: m.group(0) if m.group("keep") else _masked(m.group(0), keep), text)
    return _SECRETISH.sub(lambda m: (m.group(1) or m.group(2) or "") + "[redacted]", text)


def _masked(found: str, keep: int) -> str:
    if found[:3].upper() == "%2B":  # URL-encoded: mask the number, keep the encoding
        return "%2B" + mask_number("+" + found[3:], keep)[1:]
    return mask_number(found, keep)


class MaskingFilter(logging.Filter):
    """Logging filter that masks numbers and secrets in the final message (installed on every handler)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not kill logging
            message = str(record.msg)
        record.msg = mask_text(message)
        record.args = None
        return True
