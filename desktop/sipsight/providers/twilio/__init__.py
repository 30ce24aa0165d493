"""Twilio: recent call attempts to a number, with SIP codes from Voice Insights when the account has them.

The one home of everything Twilio: `client` (the endpoints and the connection check), `rounds` (one lookup's
requests, in rounds), `records` (a Call + its summary + notifications -> Attempt) and `account` (credentials,
hosts, next-page links). SignalWire's compatibility API reuses them (providers/signalwire.py).
"""

from sipsight.providers.twilio.account import DEFAULT_HOSTS, TwilioCredentials, rebase, resolve_hosts
from sipsight.providers.twilio.client import TwilioClient
from sipsight.providers.twilio.records import call_to_attempt

__all__ = ["DEFAULT_HOSTS", "TwilioClient", "TwilioCredentials", "call_to_attempt", "rebase", "resolve_hosts"]
