"""The simulator's provider flavours beyond Twilio's API v2010 and its SignalWire twin: each module serves a scenario's
calls (calls.SimCall) in one provider's own JSON shapes, paging, filters, auth and error bodies, and exposes what the
simulator's routing table plugs in: ROUTES, authorized(headers), error_body(status, message), fault_headers(status,
value) and DEMO_CREDENTIALS (docs/simulator.md)."""
