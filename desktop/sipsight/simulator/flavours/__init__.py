"""The simulator's other provider flavours: a scenario's calls rendered in each provider's own JSON shapes, and its
list endpoints answered with its own paging and filters, as pure functions (request path + query parameters + the
served calls -> status, JSON body and headers) that the server's routing table plugs in. Each flavour is a plain
module; this package exports nothing."""
