"""The embedded provider simulator (Twilio- and SignalWire-compatible HTTP on 127.0.0.1); Qt-free."""

from sipsight.simulator.server import LoggedRequest, Simulator, demo_credentials

__all__ = ["LoggedRequest", "Simulator", "demo_credentials"]
