"""Running the command line on hostile input, bounded in time and memory, and checking its contract.

Each command runs in its own child process with an address-space limit and a wall-clock limit. By
default the children are forked from a warm server process (`serve()` below: Python, numpy, pydantic
and the tool already imported), so a run costs ~30 ms instead of ~400 ms of interpreter start-up and
the whole corpus fits in the normal test run. `HOSTILE_RUNNER=subprocess` runs every command as a
fresh `python -m appraisal` instead; `test_corpus.py` checks on a sample that both agree.
"""

from __future__ import annotations

import json
import os
import queue
import resource
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TIME_LIMIT = 20.0  # seconds of CPU a command may take on any input
WALL_LIMIT = 60.0  # seconds on the clock before a command is taken to hang (the machine may be busy)
MEMORY_LIMIT = 1536 * 1024 * 1024  # bytes of address space a command may map (RLIMIT_AS)
NOBODY = 65534  # uid/gid for cases about unreadable files (root reads anything)
ENV = {
    **os.environ,
    "COLUMNS": "120", "NO_COLOR": "1", "TERM": "dumb", "PYTHONHASHSEED": "0",
    "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
}


@dataclass(frozen=True)
class Run:
    argv: tuple[str, ...]
    code: int | None  # exit status; None when killed
    stdout: str
    stderr: str
    seconds: float  # CPU seconds (user + system) where known, else on the clock
    timed_out: bool = False
    signal: int | None = None


def _limit(memory: int, user: int | None) -> None:
    """In the child, before the command runs."""
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if user is not None and os.geteuid() == 0:
        os.setgroups([])
        os.setgid(user)
        os.setuid(user)


# --- the warm server -----------------------------------------------------------------------------

def _child(job: dict) -> None:
    """Runs in the forked child; never returns."""
    code = 1
    try:
        os.chdir(job["cwd"])
        for fd, name, flags in ((0, os.devnull, os.O_RDONLY), (1, job["stdout"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC),
                                (2, job["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC)):
            new = os.open(name, flags, 0o644)
            os.dup2(new, fd)
            os.close(new)
        _limit(job["memory"], job.get("user"))
        from appraisal.cli import main

        sys.argv = ["appraisal", *job["argv"]]
        try:
            code = main(job["argv"])
        except SystemExit as e:  # as the interpreter treats it
            if e.code is None or isinstance(e.code, int):
                code = e.code or 0
            else:
                sys.stderr.write(f"{e.code}\n")
                code = 1
        except BaseException:  # what an uncaught exception prints, then exit 1
            import traceback

            traceback.print_exc()
            code = 1
        sys.stdout.flush()
        sys.stderr.flush()
    except BaseException:
        pass
    os._exit(code if isinstance(code, int) else 1)


def _run_job(job: dict) -> dict:
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:
        _child(job)
    deadline = start + job["timeout"]
    status, timed_out = None, False
    while status is None:
        done, st, usage = os.wait4(pid, os.WNOHANG)
        if done:
            status = st
        elif time.monotonic() > deadline:
            os.kill(pid, 9)
            _, status, usage = os.wait4(pid, 0)
            timed_out = True
        else:
            time.sleep(0.002)
    seconds = usage.ru_utime + usage.ru_stime
    if os.WIFSIGNALED(status):
        return {"code": None, "signal": os.WTERMSIG(status), "seconds": seconds, "timed_out": timed_out}
    return {"code": os.WEXITSTATUS(status), "signal": None, "seconds": seconds, "timed_out": timed_out}


def serve() -> None:
    """Read jobs (JSON lines) on stdin, answer each on stdout. Import what the commands import first."""
    reply = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    import appraisal
    import appraisal.cli  # noqa: F401
    from appraisal.cli import main

    main(["schema"])  # builds pydantic's validators in the parent: children inherit them warm
    "".encode("utf-8-sig")  # codecs too: a child running as another user cannot read this Python's library
    for module in ("numpy", "scipy.optimize", "openpyxl", "rich.console", "rich.table", "appraisal.io.load",
                   "appraisal.io.importer", "appraisal.io.journal", "appraisal.reports.export", "appraisal.reports.sensitivity",
                   "appraisal.reports.group", "appraisal.reports.replay", "appraisal.reports.findings", "appraisal.tui.app",
                   "appraisal.io.room_store", "appraisal.reports.room", "sqlite3",
                   "glob", "fnmatch", "shlex", "difflib", "termios", "tty", "textual.drivers.linux_driver"):
        __import__(module)
    import pkgutil  # every module of the tool, so a new command's lazy imports are warm too

    for info in pkgutil.walk_packages(appraisal.__path__, "appraisal."):
        if not info.name.endswith("__main__"):  # that one runs the command line
            __import__(info.name)
    reply.write("ready\n")
    for line in sys.stdin:
        reply.write(json.dumps(_run_job(json.loads(line))) + "\n")


# --- the client ----------------------------------------------------------------------------------

class _Server:
    def __init__(self) -> None:
        self.proc = subprocess.Popen([sys.executable, "-c", "from tests.hostile.runner import serve; serve()"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=REPO, env=ENV, text=True)
        assert self.proc.stdout.readline().strip() == "ready"

    def run(self, job: dict) -> dict:
        self.proc.stdin.write(json.dumps(job) + "\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=10)


class Runner:
    """Runs commands in bounded children: forked from warm servers (default) or fresh processes."""

    def __init__(self, logs: Path, workers: int = 2, mode: str | None = None):
        self.logs = logs
        self.logs.mkdir(parents=True, exist_ok=True)
        self.mode = mode or os.environ.get("HOSTILE_RUNNER", "fork")
        self.workers = workers
        self._servers: queue.Queue[_Server] = queue.Queue()
        self._all: list[_Server] = []
        self._lock = threading.Lock()
        self._count = 0

    def _server(self) -> _Server:
        try:
            return self._servers.get_nowait()
        except queue.Empty:
            with self._lock:
                if len(self._all) < self.workers:
                    s = _Server()
                    self._all.append(s)
                    return s
            return self._servers.get()

    def run(self, argv: list[str] | tuple[str, ...], *, cwd: Path, user: int | None = None,
            timeout: float = WALL_LIMIT, memory: int = MEMORY_LIMIT) -> Run:
        with self._lock:
            self._count += 1
            n = self._count
        out, err = self.logs / f"{n}.out", self.logs / f"{n}.err"
        argv = tuple(str(a) for a in argv)
        if self.mode == "subprocess":
            start = time.monotonic()
            with open(out, "wb") as fo, open(err, "wb") as fe:
                p = subprocess.Popen([sys.executable, "-m", "appraisal", *argv], stdin=subprocess.DEVNULL, stdout=fo, stderr=fe,
                                     cwd=cwd, env=ENV, preexec_fn=lambda: _limit(memory, user))
                try:
                    p.wait(timeout=timeout)
                    timed_out = False
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
                    timed_out = True
            code = p.returncode
            result = {"code": code if code >= 0 else None, "signal": -code if code < 0 else None,
                      "seconds": time.monotonic() - start, "timed_out": timed_out}
        else:
            server = self._server()
            try:
                result = server.run({"argv": list(argv), "cwd": str(cwd), "stdout": str(out), "stderr": str(err),
                                     "timeout": timeout, "memory": memory, "user": user})
            finally:
                self._servers.put(server)
        return Run(argv, result["code"], out.read_text(errors="replace"), err.read_text(errors="replace"),
                   result["seconds"], result["timed_out"], result["signal"])

    def run_all(self, jobs: list[dict]) -> list[Run]:
        """Several runs at once (each a dict of `run`'s arguments), in order."""
        with ThreadPoolExecutor(self.workers) as pool:
            return list(pool.map(lambda job: self.run(**job), jobs))

    def close(self) -> None:
        for s in self._all:
            s.close()


# --- the contract --------------------------------------------------------------------------------

def listing(folder: Path) -> dict[str, tuple[int, int]]:
    """Every path below `folder` (symlinks not followed) with its size and mtime."""
    out = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            p = Path(root) / name
            st = p.lstat()
            out[str(p.relative_to(folder))] = (st.st_size, st.st_mtime_ns)
    return out


def read_error_problems(run: Run, *, needle: str = "", time_limit: float = TIME_LIMIT) -> list[str]:
    """What is wrong with how `run` refused bad input (empty when it is right). `needle`: text the
    error line must hold (alternatives separated by |).

    Every command: exit status 2, no traceback, within the time limit. `replay` reports each file
    on stdout (`ERROR file: message`, one line per bad file, the others still run); `import` says
    `error: FILE: N problems; nothing written` and lists them below, indented; every other command
    prints exactly one line, starting `error: `, on stderr and nothing on stdout.
    """
    problems = []
    if run.timed_out:
        return [f"still running after {WALL_LIMIT:g} s (killed)"]
    if run.signal is not None:
        return [f"killed by signal {run.signal}"]
    if run.seconds > time_limit:
        problems.append(f"took {run.seconds:.1f} s of CPU")
    if run.code != 2:
        problems.append(f"exit status {run.code}, not 2")
    if "Traceback" in run.stderr + run.stdout or "MemoryError" in run.stderr:
        problems.append("traceback")
    command = run.argv[0]
    if command == "replay":
        errors = [line for line in run.stdout.splitlines() if line.startswith("ERROR ")]
        if len(errors) != 1:
            problems.append(f"{len(errors)} ERROR lines on stdout, not 1")
        if run.stderr:
            problems.append("replay wrote to stderr")
        line = errors[0] if errors else ""
    else:
        lines = run.stderr.splitlines()
        errors = [line for line in lines if line.startswith("error:")]
        if len(errors) != 1 or not lines or not lines[0].startswith("error: "):
            problems.append(f"{len(errors)} lines starting 'error:' on stderr, not 1 (first)")
        if command == "import":
            if any(not line.startswith("  ") for line in lines[1:]):
                problems.append("import: problems below the error line are not indented")
        elif len(lines) != 1:
            problems.append(f"{len(lines)} lines on stderr, not 1")
        if run.stdout:
            problems.append("wrote to stdout")
        line = lines[0] if lines else ""
    if needle and not any(n in line for n in needle.split("|")):
        problems.append(f"{needle!r} not in the error line")
    return problems
