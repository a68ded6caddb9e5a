"""A real browser: `appraisal serve` on a free localhost port, headless Chromium opens two pages, joins as
two participants, sets a weight in each and submits; `appraisal room --format json` then shows both."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time

import pytest

from .browser import Chromium, chromium_path
from .conftest import REPO, copy_bundled, run_cli

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def room_now(path) -> dict:
    r = run_cli("room", str(path), "--format", "json")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


async def until(check, seconds: float = 150.0):
    """(A loaded 2-core CI machine, running the rest of the suite, once needed more than 60 s for a join.)"""
    t0 = time.monotonic()
    while True:
        value = await asyncio.get_running_loop().run_in_executor(None, check)
        if value:
            return value
        if time.monotonic() - t0 > seconds:
            raise AssertionError(f"not within {seconds} s")
        await asyncio.sleep(0.3)


@pytest.fixture
def served(tmp_path):
    if chromium_path() is None:
        pytest.skip("no Chromium on this machine (Debian: apt-get install chromium; .ci/run installs it when it can)")
    path = copy_bundled(tmp_path)
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO), "XDG_STATE_HOME": str(tmp_path / "state")}
    server = subprocess.Popen([sys.executable, "-m", "appraisal", "serve", str(path), "--port", str(port)], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, env=env, start_new_session=True)
    first = server.stdout.readline()
    assert f"http://127.0.0.1:{port}" in first, first
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                raise AssertionError(f"appraisal serve did not listen: {server.stdout.read()}")
            time.sleep(0.2)
    yield path, f"http://127.0.0.1:{port}/", server
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGINT)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def entry(path, name: str) -> dict | None:
    return next((p for p in room_now(path)["participants"] if p["name"] == name), None)


async def join_and_weigh(page, name: str, weight: str, path) -> None:
    await page.focus_terminal()
    await page.wait_for("document.body.classList.contains('-first-byte')", timeout=60)  # the app is drawing
    for attempt in range(3):  # keys typed while the app is still starting can be lost: type again
        await asyncio.sleep(2.0 + 2 * attempt)
        for _ in range(len(name) + 2):
            await page.key("Backspace")
        await page.type(name)
        await page.key("Enter")
        try:
            await until(lambda: entry(path, name), seconds=10)
            break
        except AssertionError:
            continue
    await asyncio.sleep(1.5)
    await page.type("w")  # the weight of the criterion under the cursor (the first)
    await asyncio.sleep(1.5)
    for _ in range(4):
        await page.key("Backspace")
    await page.type(weight)
    await page.key("Enter")
    await until(lambda: entry(path, name)["weights"])
    await asyncio.sleep(1.0)
    await page.key("Escape")  # no reason given
    await asyncio.sleep(1.0)
    await page.type("s")
    await until(lambda: entry(path, name)["submitted"])


def test_two_browsers_join_weigh_and_submit(served):
    path, url, server = served

    async def scenario():
        async with Chromium() as browser:
            ann = await browser.new_page(url)
            bob = await browser.new_page(url)
            await join_and_weigh(ann, "Ann", "8", path)
            await join_and_weigh(bob, "Bob", "2", path)
            await ann.close()
            await bob.close()

    asyncio.run(scenario())
    room = room_now(path)
    people = {p["name"]: p for p in room["participants"]}
    assert set(people) == {"Ann", "Bob"}
    assert people["Ann"]["weights"] == {"outcomes": 8.0} and people["Bob"]["weights"] == {"outcomes": 2.0}
    assert people["Ann"]["submitted"] and people["Bob"]["submitted"]
    assert room["group"] is not None and room["submitted_count"] == 2
    os.killpg(server.pid, signal.SIGINT)  # Ctrl+C stops it cleanly
    out, _ = server.communicate(timeout=30)
    assert server.returncode == 0 and "Traceback" not in out and "stopped" in out
