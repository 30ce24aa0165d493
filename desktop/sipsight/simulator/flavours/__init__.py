"""The simulator's provider flavours beyond Twilio's API v2010 and its SignalWire twin: each module serves a scenario's
calls (calls.SimCall) in one provider's own JSON shapes, paging, filters, auth and error bodies. Telnyx and Plivo expose
what the simulator's routing table plugs in directly: ROUTES, authorized(headers), error_body(status, message),
fault_headers(status, value) and DEMO_CREDENTIALS; Vonage and Bandwidth are pure functions (request path + query
parameters + the served calls -> status, JSON body and headers) behind one `answer` each (docs/simulator.md). Each
flavour is a plain module; this package exports nothing."""
