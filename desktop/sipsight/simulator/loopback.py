"""A simulator's HTTP server on 127.0.0.1, in a daemon thread: start (any free port by default), stop, `with`, and
sleeps a stop wakes (slow faults, latency). The telephony simulator and the Intercom one share it."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler
from typing import Self

from sipsight.core.errors import InputError
from sipsight.simulator.handler import QuietServer


class LoopbackServer:
    thread_name = "sipsight-simulator"
    port_hint = "Pick another --port, or 0 for any free port."

    def __init__(self, port: int = 0) -> None:
        self.port = port
        self.base_url = ""
        self._server: QuietServer | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()

    def handler(self) -> type[BaseHTTPRequestHandler]:
        """The request handler class, bound to this simulator."""
        raise NotImplementedError

    def started(self) -> None:
        """Runs once the server listens, before it serves (a moving clock starts here)."""

    def start(self) -> Self:
        if self._server is not None:
            return self
        try:
            server = QuietServer(("127.0.0.1", self.port), self.handler())
        except OSError as exc:
            raise InputError(f"Cannot listen on 127.0.0.1:{self.port} ({exc.strerror}).", self.port_hint) from None
        server.daemon_threads = True  # a slow-fault sleeper must never keep the process alive
        self._server = server
        self.port = server.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        self._stopping.clear()
        self.started()
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, name=self.thread_name, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # wakes slow-fault and latency sleepers
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            self._stopping.wait(seconds)
