"""Plivo: recent call attempts to a number from the call detail records of the Voice API (or of Zentrunk, Plivo's SIP
trunking): Plivo's own hangup cause per call (a SIP code only for Zentrunk), who hung up, and the call's times.

`client` holds the endpoints, the connection check and a lookup's reads within Plivo's query limits; `records` turns
one Call object into an Attempt.
"""

from sipsight.providers.plivo.client import API_ROOTS, PlivoClient
from sipsight.providers.plivo.records import call_to_attempt, read_call

__all__ = ["API_ROOTS", "PlivoClient", "call_to_attempt", "read_call"]
