"""Masking personal data: phone numbers in logs, crash reports and presenter mode; secrets everywhere.

One place for it, so every log handler, banner and screenshot masks the same way.
"""

from __future__ import annotations

import logging
import re

# A run of 7+ digits, allowing the usual separators, optionally led by + : wide on purpose,
# because over-masking a log line costs nothing and under-masking leaks a customer's number.
_NUMBERISH = re.compile(r"(?<![\w])\+?\d(?:[\s().\-]{0,2}\d){6,}(?![\w])")
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
    text = _NUMBERISH.sub(lambda m: mask_number(m.group(0), keep), text)
    return _SECRETISH.sub(lambda m: (m.group(1) or m.group(2) or "") + "[redacted]", text)


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
