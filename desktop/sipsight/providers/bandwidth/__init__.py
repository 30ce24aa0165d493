"""Bandwidth (Voice API v2 and Bandwidth Insights): its one home. `client.py` (BandwidthClient: the call list, the
Insights call records, the connection check, fetch), `rounds.py` (one lookup's requests: 2, or 4 with Insights),
`records.py` (a call and its Insights record -> Attempt)."""

from sipsight.providers.bandwidth.client import INSIGHTS_API, VOICE_API, BandwidthClient
from sipsight.providers.bandwidth.records import call_to_attempt, insights_to_attempt, read_call, read_insights

__all__ = [
    "INSIGHTS_API",
    "VOICE_API",
    "BandwidthClient",
    "call_to_attempt",
    "insights_to_attempt",
    "read_call",
    "read_insights",
]
