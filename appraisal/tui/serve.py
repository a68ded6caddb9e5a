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


class _StopNoted:
    """Ctrl+C (or SIGTERM) noted, not raised, while the server is not ready to take it: a mask on the main
    thread alone is not enough (a signal sent to the process may land on any thread, and Python then raises
    KeyboardInterrupt in the main thread anywhere, even half-way through making the event loop)."""

    requested = False

    @classmethod
    def note(cls, signum, frame) -> None:
        cls.requested = True


def hold_stop() -> None:
    """From here until the server's own handlers are in place (`serve_on`), and again after they are gone,
    a Ctrl+C is noted: the server then stops cleanly instead of being interrupted half-way."""
    for sig in STOP_SIGNALS:
        signal.signal(sig, _StopNoted.note)


def stop_requested() -> bool:
    return _StopNoted.requested


class _StopLoop(asyncio.SelectorEventLoop):
    """An event loop that, when it gives back its signal handlers on closing, leaves a Ctrl+C noted rather
    than the default KeyboardInterrupt: a second press while aiohttp tidies up must not interrupt it."""

    def remove_signal_handler(self, sig: int) -> bool:
        removed = super().remove_signal_handler(sig)
        if sig in STOP_SIGNALS:
            signal.signal(sig, _StopNoted.note)
        return removed

    def close(self) -> None:
        # Give the handlers back first: the base class closes its wake-up pipe before it lets go of the
        # signals, and a press in between prints "Exception ignored ... Bad file descriptor".
        if not self.is_running() and not self.is_closed():
            for sig in STOP_SIGNALS:
                self.remove_signal_handler(sig)
        super().close()


class RoomServer(Server):
    def __init__(self, command: str, *, host: str, port: int, title: str):
        super().__init__(command, host=host, port=port, title=title, public_url=f"http://{reachable_host(host)}:{port}",
                         templates_path=PAGE_TEMPLATES)

    def initialize_logging(self) -> None:
        # Connections and errors only: the facilitator's terminal is not a web server's access log.
        logging.basicConfig(level=logging.WARNING, format="%(message)s")
        logging.getLogger("aiohttp.access").setLevel(logging.WARNING)

    _exiting = False

    def request_exit(self) -> None:
        """Stop once: textual-serve raises GracefulExit (a SystemExit of 1) for every press, and a second one
        while aiohttp tidies up would escape it and end the process with 1 and no goodbye."""
        if not self._exiting:
            self._exiting = True
            super().request_exit()

    async def on_startup(self, app) -> None:
        """textual-serve prints a banner here; `appraisal serve` has printed the URL and the code already."""

    def serve_on(self, sockets: list[socket.socket]) -> None:
        """textual-serve's `serve`, on sockets already bound (`listen`)."""
        from aiohttp import web

        self.initialize_logging()
        loop = _StopLoop()
        asyncio.set_event_loop(loop)
        for sig in STOP_SIGNALS:
            loop.add_signal_handler(sig, self.request_exit)
        if _StopNoted.requested:  # pressed while starting: stop as soon as the server runs
            loop.call_soon(self.request_exit)
        web.run_app(self._make_app(), sock=sockets, handle_signals=False, loop=loop, print=lambda *args: None)
