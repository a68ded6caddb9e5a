"""`appraisal serve`: localhost by default; any other host gets a join code; a busy port is one error line;
Ctrl+C stops it cleanly. (The browser itself: test_room_browser.py.)"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time

from .conftest import REPO, copy_bundled, run_cli


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(args, tmp_path):
    env = {**os.environ, "PYTHONPATH": str(REPO), "XDG_STATE_HOME": str(tmp_path / "state")}
    return subprocess.Popen([sys.executable, "-m", "appraisal", "serve", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env, start_new_session=True)


def wait_listening(port: int, proc, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
            time.sleep(0.1)


def announced(proc) -> str:
    """What `serve` prints before it serves (it listens, stores the code, then says so)."""
    lines = []
    while not lines or "Stop: Ctrl+C" not in lines[-1]:
        lines.append(proc.stdout.readline())
        assert lines[-1], (lines, proc.communicate())
    return "".join(lines)


def test_any_other_host_gets_a_join_code_and_ctrl_c_stops_cleanly(tmp_path):
    path = copy_bundled(tmp_path)
    port = free_port()
    proc = start([str(path), "--host", "0.0.0.0", "--port", str(port)], tmp_path)
    wait_listening(port, proc)
    head = announced(proc)
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    out = head + out
    assert proc.returncode == 0 and "Traceback" not in out + err, (out, err)
    code = next(line.split(": ", 1)[1] for line in out.splitlines() if line.startswith("Join code: "))
    assert len(code) == 8 and f":{port}" in out.splitlines()[0] and "0.0.0.0" not in out.splitlines()[0]
    assert out.rstrip().endswith("stopped")
    room = json.loads(run_cli("room", str(path), "--format", "json").stdout)
    assert room["code_required"] is True


def test_ctrl_c_pressed_again_and_again_from_the_first_moment_still_stops_cleanly(tmp_path):
    """Impatient presses: from the moment it listens (before the address is printed, while the event loop is
    made, while aiohttp tidies up), every Ctrl+C is a request to stop, never a traceback or an exit of 130.
    CI once saw a press land half-way through making the event loop."""
    path = copy_bundled(tmp_path)
    for attempt in range(3):
        port = free_port()
        proc = start([str(path), "--port", str(port)], tmp_path)
        wait_listening(port, proc)
        for _ in range(40):
            if proc.poll() is not None:
                break
            os.killpg(proc.pid, signal.SIGINT)
            time.sleep(0.005 * attempt)
        out, err = proc.communicate(timeout=30)
        assert proc.returncode == 0 and "Traceback" not in out + err and "Exception ignored" not in err, (attempt, out, err)
        assert out.rstrip().endswith("stopped"), (attempt, out)


def test_localhost_needs_no_code_and_a_busy_port_is_one_error_line(tmp_path):
    path = copy_bundled(tmp_path)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        proc = start([str(path), "--port", str(port)], tmp_path)
        out, err = proc.communicate(timeout=60)
    assert proc.returncode == 2 and out == ""  # nothing announced: it never served
    assert err.count("\n") == 1 and err.startswith(f"error: cannot listen on 127.0.0.1:{port}"), err


def test_bad_serve_arguments_are_one_line():
    for args, needle in ((["--port", "99999"], "not a port number"), (["--port", "x"], "not a port number"),
                         (["--code", "ab", "--port", "8765"], "at least 4")):
        r = run_cli("serve", *args)
        assert r.returncode == 2 and needle in r.stderr and r.stderr.count("\n") == 1, r.stderr


def _joins_with(path, code: str) -> bool:
    from appraisal.errors import AppraisalError
    from appraisal.io import load_appraisal
    from appraisal.io.room_store import RoomStore, room_path

    with RoomStore(room_path(path), load_appraisal(path)) as store:
        try:
            store.join(f"Tester{code}", code)
            return True
        except AppraisalError:
            return False


def test_a_second_serve_that_cannot_listen_changes_nothing_and_announces_nothing(tmp_path):
    """A busy port or a bad host fails before the room's code is replaced (the running server's participants
    would be locked out) and before an address is printed."""
    path = copy_bundled(tmp_path)
    port = free_port()
    first = start([str(path), "--host", "0.0.0.0", "--port", str(port), "--code", "FIRST123"], tmp_path)
    try:
        wait_listening(port, first)
        assert announced(first).startswith("Serving the room")
        before = room_path_bytes(path)
        for args in (["--host", "0.0.0.0", "--port", str(port)], ["--host", "0.0.0.0", "--port", str(port), "--code", "OTHER999"],
                     ["--host", "no-such-host.invalid", "--port", str(free_port())], ["--host", "10.255.255.254", "--port", str(free_port())]):
            proc = start([str(path), *args], tmp_path)
            out, err = proc.communicate(timeout=60)
            assert proc.returncode == 2 and out == "", (args, out, err)
            assert err.count("\n") == 1 and err.startswith("error: cannot listen on "), err
        assert room_path_bytes(path) == before
        assert _joins_with(path, "FIRST123") and not _joins_with(path, "OTHER999")
    finally:
        os.killpg(first.pid, signal.SIGINT)
        first.communicate(timeout=30)


def room_path_bytes(path):
    import sqlite3

    from appraisal.io.room_store import room_path

    with sqlite3.connect(room_path(path)) as c:
        return c.execute("SELECT code_hash FROM room").fetchone()


def test_a_join_code_is_ascii_letters_and_digits_and_never_printed_raw():
    for code in ("\x1b[2J", "!!!!", "\x1b]0;x\x07", "Ünïcode", "ab\tcd", "ab_cd", "x" * 65, "ab"):
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        r = subprocess.run([sys.executable, "-m", "appraisal", "serve", "--code", code, "--port", str(free_port())],
                           capture_output=True, text=True, env=env, timeout=60)  # accepted, it would serve until killed
        assert r.returncode == 2 and r.stdout == "" and r.stderr.count("\n") == 1, r.stderr
        assert "\x1b" not in r.stderr and "code" in r.stderr
        r = run_cli("room", "--code", code)
        assert r.returncode == 2 and r.stderr.count("\n") == 1 and "\x1b" not in r.stderr, r.stderr


def test_the_page_fetches_nothing_from_outside_and_says_what_to_do(tmp_path):
    """No Google Fonts (a council network may block or log them; a room may be offline): every address in
    the page is the server's own, and the fonts it names are served."""
    import re
    import urllib.request

    path = copy_bundled(tmp_path)
    port = free_port()
    proc = start([str(path), "--port", str(port)], tmp_path)
    try:
        wait_listening(port, proc)
        page = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30).read().decode()
        addresses = set(re.findall(r"(?:https?:|wss?:)?//[^\"')\s]+", page))
        assert f"ws://127.0.0.1:{port}/ws" in addresses  # the app's own connection
        addresses.discard(f"ws://127.0.0.1:{port}/ws")
        assert addresses and all(a.startswith(f"http://127.0.0.1:{port}/") for a in addresses), addresses
        assert "googleapis" not in page and "RobotoMono-VariableFont_wght.ttf" in page
        for a in addresses:
            assert urllib.request.urlopen(a, timeout=30).status == 200, a
        words = re.sub(r"<[^>]+>|\s+", " ", page)
        assert "type your name" in words and "press Enter to join" in words and "click once inside the window" in words
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        proc.communicate(timeout=30)
