"""Intake: whatever the agent pasted (a number, a conversation, a link, raw bytes) -> a `Case`. Never raises."""

from sipsight.core.intake._parse import parse
from sipsight.core.intake._text import decode, looks_binary

__all__ = ["decode", "looks_binary", "parse"]
