"""A real browser for tests: headless Chromium (Debian's `chromium`) driven over its DevTools protocol with
aiohttp's websocket client (already installed with textual-serve), so no browser automation package is needed.
Just enough to open pages, click, and type into the xterm.js terminal textual-serve puts in the page."""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
from typing import Any

import aiohttp


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


class Page:
    def __init__(self, session: aiohttp.ClientSession, ws_url: str):
        self._session = session
        self._ws_url = ws_url
        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._ids = itertools.count(1)
        self._waiting: dict[int, asyncio.Future] = {}
        self._reader: asyncio.Task | None = None

    async def open(self) -> "Page":
        self._ws = await self._session.ws_connect(self._ws_url, max_msg_size=0)
        self._reader = asyncio.create_task(self._read())
        return self

    async def _read(self) -> None:
        assert self._ws is not None
        async for msg in self._ws:
            if msg.type != aiohttp.WSMsgType.TEXT:
                continue
            data = json.loads(msg.data)
            fut = self._waiting.pop(data.get("id", -1), None)
            if fut is not None and not fut.done():
                fut.set_result(data)

    async def send(self, method: str, params: dict[str, Any] | None = None, timeout: float = 30) -> dict[str, Any]:
        assert self._ws is not None
        k = next(self._ids)
        fut = asyncio.get_running_loop().create_future()
        self._waiting[k] = fut
        await self._ws.send_str(json.dumps({"id": k, "method": method, "params": params or {}}))
        data = await asyncio.wait_for(fut, timeout)
        if "error" in data:
            raise RuntimeError(f"{method}: {data['error']}")
        return data.get("result", {})

    async def evaluate(self, expression: str) -> Any:
        r = await self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True})
        return r.get("result", {}).get("value")

    async def wait_for(self, expression: str, timeout: float = 30) -> Any:
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            value = await self.evaluate(expression)
            if value:
                return value
            if asyncio.get_running_loop().time() > deadline:
                raise TimeoutError(f"waited {timeout} s for {expression}")
            await asyncio.sleep(0.1)

    async def focus_terminal(self) -> None:
        """Click the middle of the terminal, as a person would, so xterm.js takes the keys."""
        await self.wait_for("document.querySelector('.xterm-helper-textarea') !== null")
        box = await self.evaluate("(() => { const r = document.querySelector('.textual-terminal').getBoundingClientRect();"
                                  " return [r.x + r.width / 2, r.y + r.height / 2]; })()")
        for kind in ("mousePressed", "mouseReleased"):
            await self.send("Input.dispatchMouseEvent", {"type": kind, "x": box[0], "y": box[1], "button": "left", "clickCount": 1})
        await self.evaluate("document.querySelector('.xterm-helper-textarea').focus()")

    async def type(self, text: str) -> None:
        for ch in text:
            await self.key(ch)

    KEYS = {"Enter": ("\r", 13), "Tab": ("\t", 9), "Escape": ("", 27), "Backspace": ("", 8)}

    async def key(self, key: str) -> None:
        if key in self.KEYS:
            text, code = self.KEYS[key]
            params = {"key": key, "code": key, "windowsVirtualKeyCode": code, "nativeVirtualKeyCode": code}
        else:
            text = key
            params = {"key": key, "windowsVirtualKeyCode": ord(key.upper()) if key.isalnum() else 0}
        await self.send("Input.dispatchKeyEvent", {"type": "keyDown", "text": text, **params})
        await self.send("Input.dispatchKeyEvent", {"type": "keyUp", **params})
        await asyncio.sleep(0.03)

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()
        if self._reader is not None:
            self._reader.cancel()


class Chromium:
    """`async with Chromium() as browser: page = await browser.new_page(url)`."""

    def __init__(self, executable: str | None = None):
        self.executable = executable or chromium_path()
        self._proc: subprocess.Popen | None = None
        self._profile = tempfile.TemporaryDirectory(prefix="appraisal-chromium-")
        self._session: aiohttp.ClientSession | None = None
        self._port = 0

    async def __aenter__(self) -> "Chromium":
        if self.executable is None:
            raise FileNotFoundError("no chromium on PATH")
        self._proc = subprocess.Popen(
            [self.executable, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
             "--remote-debugging-port=0", f"--user-data-dir={self._profile.name}", "--window-size=1280,900", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
        self._port = await asyncio.get_running_loop().run_in_executor(None, self._devtools_port)
        self._session = aiohttp.ClientSession()
        return self

    def _devtools_port(self) -> int:
        assert self._proc is not None and self._proc.stderr is not None
        for line in self._proc.stderr:
            m = re.search(r"DevTools listening on ws://[^:]+:(\d+)/", line)
            if m:
                return int(m.group(1))
        raise RuntimeError(f"chromium exited ({self._proc.wait()}) before it listened")

    async def new_page(self, url: str) -> Page:
        assert self._session is not None
        async with self._session.put(f"http://127.0.0.1:{self._port}/json/new?{url}") as r:
            target = await r.json(content_type=None)
        return await Page(self._session, target["webSocketDebuggerUrl"]).open()

    async def __aexit__(self, *exc) -> None:
        if self._session is not None:
            await self._session.close()
        if self._proc is not None:
            try:
                os.killpg(self._proc.pid, signal.SIGTERM)
                self._proc.wait(timeout=10)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                try:
                    os.killpg(self._proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        self._profile.cleanup()
