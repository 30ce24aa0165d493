"""Vonage (Voice API): its one home. `client.py` (VonageClient: the call list, the connection check, fetch),
`listing.py` (one lookup: the account's calls newest first, filtered on this side, bounded), `records.py` (a call
record -> Attempt), `app_token.py` (the application JWT, RS256)."""

from sipsight.providers.vonage.app_token import ApplicationKey, application_jwt, load_private_key
from sipsight.providers.vonage.client import CALLS_PATH, VONAGE_API, VonageClient
from sipsight.providers.vonage.listing import MAX_PAGES, PAGE_SIZE
from sipsight.providers.vonage.records import call_to_attempt, read_call

__all__ = [
    "CALLS_PATH",
    "MAX_PAGES",
    "PAGE_SIZE",
    "VONAGE_API",
    "ApplicationKey",
    "VonageClient",
    "application_jwt",
    "call_to_attempt",
    "load_private_key",
    "read_call",
]
