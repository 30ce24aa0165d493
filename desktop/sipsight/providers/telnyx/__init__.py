"""Telnyx: recent call attempts to a number from API v2's call events (hangup cause, SIP code, answering-machine
result; the last 24 hours) and its call-control detail records (further back: when, and for how long).

`client` holds the endpoints, the connection check and a lookup's reads; `records` turns a leg's events and record
into an Attempt.
"""

from sipsight.providers.telnyx.client import API_ROOT, TelnyxClient
from sipsight.providers.telnyx.records import leg_to_attempt, legs_of, read_event, read_record

__all__ = ["API_ROOT", "TelnyxClient", "leg_to_attempt", "legs_of", "read_event", "read_record"]
