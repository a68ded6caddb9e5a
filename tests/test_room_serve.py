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


def test_any_other_host_gets_a_join_code_and_ctrl_c_stops_cleanly(tmp_path):
    path = copy_bundled(tmp_path)
    port = free_port()
    proc = start([str(path), "--host", "0.0.0.0", "--port", str(port)], tmp_path)
    wait_listening(port, proc)
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0 and "Traceback" not in out + err, err
    code = next(line.split(": ", 1)[1] for line in out.splitlines() if line.startswith("Join code: "))
    assert len(code) == 8 and f":{port}" in out.splitlines()[0] and "0.0.0.0" not in out.splitlines()[0]
    assert out.rstrip().endswith("stopped")
    room = json.loads(run_cli("room", str(path), "--format", "json").stdout)
    assert room["code_required"] is True


def test_localhost_needs_no_code_and_a_busy_port_is_one_error_line(tmp_path):
    path = copy_bundled(tmp_path)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        proc = start([str(path), "--port", str(port)], tmp_path)
        out, err = proc.communicate(timeout=60)
    assert proc.returncode == 2 and "No join code" in out
    assert err.count("\n") == 1 and err.startswith(f"error: cannot listen on 127.0.0.1:{port}"), err


def test_bad_serve_arguments_are_one_line():
    for args, needle in ((["--port", "99999"], "not a port number"), (["--port", "x"], "not a port number"),
                         (["--code", "ab", "--port", "8765"], "at least 4")):
        r = run_cli("serve", *args)
        assert r.returncode == 2 and needle in r.stderr and r.stderr.count("\n") == 1, r.stderr
