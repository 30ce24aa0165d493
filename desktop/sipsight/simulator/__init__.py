"""The embedded provider simulator (Twilio- and SignalWire-compatible HTTP on 127.0.0.1); Qt-free."""

from sipsight.simulator.handler import LoggedRequest
from sipsight.simulator.served import demo_credentials
from sipsight.simulator.server import Simulator

__all__ = ["LoggedRequest", "Simulator", "demo_credentials"]
