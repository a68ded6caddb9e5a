"""Serving the participant app to browsers: textual-serve (one app process per connection) with the
address participants can actually reach, quiet logs, and a clean stop on Ctrl+C."""

from __future__ import annotations

import logging
import socket

from textual_serve.server import Server


def reachable_host(host: str) -> str:
    """The address to print and to put in the page: a wildcard bind (0.0.0.0, ::) is reached through
    this machine's own address, found from the route table (nothing is sent)."""
    if host not in ("0.0.0.0", "::", ""):
        return f"[{host}]" if ":" in host else host
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("10.255.255.255", 1))
            return s.getsockname()[0]
    except OSError:
        return socket.gethostname()


class RoomServer(Server):
    def __init__(self, command: str, *, host: str, port: int, title: str):
        super().__init__(command, host=host, port=port, title=title, public_url=f"http://{reachable_host(host)}:{port}")

    def initialize_logging(self) -> None:
        # Connections and errors only: the facilitator's terminal is not a web server's access log.
        logging.basicConfig(level=logging.WARNING, format="%(message)s")
        logging.getLogger("aiohttp.access").setLevel(logging.WARNING)

    async def on_startup(self, app) -> None:
        """textual-serve prints a banner here; `appraisal serve` has printed the URL and the code already."""
