"""The demo Intercom workspace (an Intercom-compatible HTTP API on 127.0.0.1): the conversations and contacts of
every scenario, the notes it receives; Qt-free, standard library only."""

from sipsight.simulator.intercom.server import DEMO_TOKEN, IntercomSimulator, LoggedIntercomRequest

__all__ = ["DEMO_TOKEN", "IntercomSimulator", "LoggedIntercomRequest"]
