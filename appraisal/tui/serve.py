"""Serving the participant app to browsers: textual-serve (one app process per connection) on sockets bound
before anything else happens, with the address participants can actually reach, a page that fetches nothing
from outside and says what to do, quiet logs, and a clean stop on Ctrl+C."""

from __future__ import annotations

import asyncio
import logging
import signal
import socket
from pathlib import Path

from textual_serve.server import Server

from ..errors import AppraisalError

STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}
PAGE_TEMPLATES = Path(__file__).parent / "serve_page"  # our app_index.html: local fonts, words on what to do


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


def listen(host: str, port: int) -> list[socket.socket]:
    """Bound, listening sockets for every address `host` names (as aiohttp would make them), or one
    AppraisalError and nothing left open: a second `serve` on a busy port or a bad host changes nothing."""
    where = f"{host}:{port}"
    try:
        infos = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError, ValueError) as e:
        raise AppraisalError(f"cannot listen on {where}: {getattr(e, 'strerror', None) or e}") from None
    bound: list[socket.socket] = []
    try:
        for family, kind, proto, _, address in dict.fromkeys((i[0], i[1], i[2], None, i[4]) for i in infos):
            s = socket.socket(family, kind, proto)
            bound.append(s)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as asyncio does: a restart need not wait for TIME_WAIT
            if family == socket.AF_INET6:
                s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            s.bind(address)
            s.listen(128)
            s.setblocking(False)
    except OSError as e:
        for s in bound:
            s.close()
        raise AppraisalError(f"cannot listen on {where}: {e.strerror or e}") from None
    return bound


def hold_stop() -> None:
    """Hold Ctrl+C (and SIGTERM) until the server's own handlers are in place (`serve_on`): one pressed as the
    address is printed then stops the server cleanly instead of interrupting it half-way."""
    signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)


def release_stop() -> None:
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)


class RoomServer(Server):
    def __init__(self, command: str, *, host: str, port: int, title: str):
        super().__init__(command, host=host, port=port, title=title, public_url=f"http://{reachable_host(host)}:{port}",
                         templates_path=PAGE_TEMPLATES)

    def initialize_logging(self) -> None:
        # Connections and errors only: the facilitator's terminal is not a web server's access log.
        logging.basicConfig(level=logging.WARNING, format="%(message)s")
        logging.getLogger("aiohttp.access").setLevel(logging.WARNING)

    async def on_startup(self, app) -> None:
        """textual-serve prints a banner here; `appraisal serve` has printed the URL and the code already."""

    def serve_on(self, sockets: list[socket.socket]) -> None:
        """textual-serve's `serve`, on sockets already bound (`listen`)."""
        from aiohttp import web

        self.initialize_logging()
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, self.request_exit)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)  # a Ctrl+C held since `hold_stop` arrives now, handled
        web.run_app(self._make_app(), sock=sockets, handle_signals=False, loop=loop, print=lambda *args: None)
