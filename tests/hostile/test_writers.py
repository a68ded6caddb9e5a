"""Hostile places to write: every command that writes a file (export in each format, import, journal
export, replay --junit), into a missing folder, onto a directory, into a read-only folder and onto a
full disk. Each case: exit 2, exactly one `error:` line, no traceback, and nothing written (no file, no
temporary file). Real file systems where the tests run as root (a small tmpfs, remounted read-only);
elsewhere the same failures are raised by the system calls, monkeypatched."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from appraisal import cli
from appraisal.io.journal import file_sha256

from ..conftest import REPO

WRITERS = {
    "export-csv": lambda w, out: ["export", str(w / "scenarios" / "bham.toml"), "-o", str(out / "x.csv")],
    "export-csv-long": lambda w, out: ["export", str(w / "scenarios" / "bham.toml"), "-o", str(out / "x.csv"), "--format", "csv-long"],
    "export-xlsx": lambda w, out: ["export", str(w / "scenarios" / "bham.toml"), "-o", str(out / "x.xlsx"), "--samples", "50"],
    "export-md": lambda w, out: ["export", str(w / "scenarios" / "bham.toml"), "-o", str(out / "x.md")],
    "export-json": lambda w, out: ["export", str(w / "scenarios" / "bham.toml"), "-o", str(out / "x.json")],
    "export-html": lambda w, out: ["export", str(w / "scenarios" / "bham.toml"), "-o", str(out / "x.html"), "--samples", "50"],
    "import": lambda w, out: ["import", str(w / "sheet.csv"), "-o", str(out / "x.toml"), "--criteria", str(w / "criteria" / "birmingham-2013.toml")],
    "journal-export": lambda w, out: ["journal", "export", str(w / "scenarios" / "bham.toml.journal.jsonl"), "-o", str(out / "x.toml")],
    "replay-junit": lambda w, out: ["replay", str(w / "scenarios" / "bham.toml"), "--junit", str(out / "x.xml")],
    "record-html": lambda w, out: ["record", str(w / "scenarios" / "bham.toml"), "-o", str(out / "x.html"), "--samples", "50"],
    "record-md": lambda w, out: ["record", str(w / "scenarios" / "bham.toml"), "-o", str(out / "x.md"), "--samples", "50",
                                 "--journal", str(w / "scenarios" / "bham.toml.journal.jsonl")],
}


@pytest.fixture(scope="module")
def work(tmp_path_factory) -> Path:
    """The inputs every writer reads: the bundled appraisal, its criteria, a sheet, a journal."""
    w = tmp_path_factory.mktemp("inputs")
    shutil.copytree(REPO / "criteria", w / "criteria")
    (w / "scenarios").mkdir()
    base = w / "scenarios" / "bham.toml"
    shutil.copy(REPO / "scenarios" / "birmingham-2013.toml", base)
    assert cli.main(["export", str(base), "-o", str(w / "sheet.csv")]) == 0
    (w / "scenarios" / "bham.toml.journal.jsonl").write_text(
        json.dumps({"kind": "header", "version": 1, "file": "bham.toml", "sha256": file_sha256(base), "started": "2024-01-01T10:00"}) + "\n"
        + json.dumps({"kind": "edit", "group": 1, "step": {"action": "exclude", "option": "outsource", "note": "why"}}) + "\n", encoding="utf-8")
    return w


def _mount(folder: Path, *options: str) -> bool:
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    return subprocess.run(["mount", "-t", "tmpfs", "-o", ",".join(["size=64k", *options]), "tmpfs", str(folder)], capture_output=True).returncode == 0


def _fill(folder: Path) -> None:
    fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            os.write(fd, b"\0" * 1024)
    except OSError as e:
        assert e.errno == errno.ENOSPC
    finally:
        os.close(fd)


def _fail_inside(monkeypatch, folder: Path, err: int, call: str) -> None:
    """Without a real file system to break: the system call that would fail, failing the same way."""
    inside = str(folder.resolve())
    if call == "open":
        real = os.open

        def fake(path, flags, *a, **kw):
            if str(Path(path).resolve()).startswith(inside) and flags & os.O_CREAT:
                raise OSError(err, os.strerror(err), str(path))
            return real(path, flags, *a, **kw)

        monkeypatch.setattr(os, "open", fake)
    else:
        real_write = os.write

        def fake_write(fd, data):
            try:
                target = os.readlink(f"/proc/self/fd/{fd}")
            except OSError:
                target = ""
            if target.startswith(inside):
                raise OSError(err, os.strerror(err))
            return real_write(fd, data)

        monkeypatch.setattr(os, "write", fake_write)


@pytest.fixture
def place(request, tmp_path, monkeypatch):
    """(kind) -> the folder to write into, broken in that way. Unmounted afterwards."""
    mounted: list[Path] = []

    def make(kind: str) -> Path:
        folder = tmp_path / kind
        if kind == "missing-folder":
            return folder / "nowhere"
        folder.mkdir()
        if kind == "directory":
            return folder  # the output path names a directory: made in `test_...` below
        if kind == "read-only":
            if _mount(folder):
                mounted.append(folder)
                subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
            elif os.geteuid() != 0:
                folder.chmod(0o555)
            else:
                _fail_inside(monkeypatch, folder, errno.EROFS, "open")
            return folder
        if kind == "full-disk":
            if _mount(folder):
                mounted.append(folder)
                _fill(folder)
            else:
                _fail_inside(monkeypatch, folder, errno.ENOSPC, "write")
            return folder
        raise AssertionError(kind)

    yield make
    for folder in mounted:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


@pytest.mark.parametrize("kind", ["missing-folder", "directory", "read-only", "full-disk"])
@pytest.mark.parametrize("writer", list(WRITERS))
def test_a_write_that_cannot_happen_is_one_line_and_leaves_nothing(work, place, capsys, writer, kind):
    folder = place(kind)
    argv = WRITERS[writer](work, folder)
    if kind == "directory":  # the output path itself is a directory
        Path(argv[argv.index("-o") + 1] if "-o" in argv else argv[-1]).mkdir()
    before = listing(folder)
    inputs_before = {p: p.read_bytes() for p in work.rglob("*") if p.is_file()}
    code = cli.main(argv)
    err = capsys.readouterr().err
    assert code == 2, err
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in err, err
    expected = {"missing-folder": "does not exist", "directory": "is a directory", "read-only": ("read-only", "permission denied"),
                "full-disk": "no space left"}[kind]
    assert any(e in lines[0] for e in ([expected] if isinstance(expected, str) else expected)), lines[0]
    assert listing(folder) == before  # nothing written, no temporary file
    assert {p: p.read_bytes() for p in work.rglob("*") if p.is_file()} == inputs_before


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to mount a small tmpfs")
def test_a_full_disk_through_a_real_process(work, tmp_path):
    folder = tmp_path / "disk"
    folder.mkdir()
    if not _mount(folder):
        pytest.skip("cannot mount a tmpfs here")
    try:
        _fill(folder)
        r = subprocess.run([sys.executable, "-m", "appraisal", *WRITERS["export-xlsx"](work, folder)], capture_output=True, text=True)
        assert r.returncode == 2 and r.stderr == f"error: {folder / 'x.xlsx'}: cannot write: no space left on the device\n", r.stderr
        assert listing(folder) == ["filler"]
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def _output_of(argv: list[str]) -> Path:
    return Path(argv[argv.index("-o") + 1] if "-o" in argv else argv[-1])


@pytest.mark.parametrize("special", ["fifo", "device"])
@pytest.mark.parametrize("writer", list(WRITERS))
def test_a_fifo_or_device_is_never_replaced_even_with_force(work, tmp_path, capsys, writer, special):
    """Run as root with --force, `-o /dev/null` once replaced the machine's /dev/null with a file."""
    argv = WRITERS[writer](work, tmp_path)
    target = _output_of(argv)
    if special == "fifo":
        os.mkfifo(target)
    else:
        if os.geteuid() != 0:
            pytest.skip("making a device node needs root")
        os.mknod(target, 0o666 | 0o020000, os.makedev(1, 3))  # a character device like /dev/null
    argv += ["--force"] if "-o" in argv else []
    code = cli.main(argv)
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "not a regular file" in err, err
    kind = os.stat(target).st_mode
    assert (os.path.stat.S_ISFIFO(kind) if special == "fifo" else os.path.stat.S_ISCHR(kind)), "the special file was replaced"


def test_record_to_standard_output_writes_no_file(work, tmp_path):
    r = subprocess.run([sys.executable, "-m", "appraisal", "record", str(work / "scenarios" / "bham.toml"), "-o", "-", "--format", "md",
                        "--samples", "50"], capture_output=True, cwd=tmp_path)
    assert r.returncode == 0 and r.stdout.startswith(b"# Decision record: ") and r.stderr == b""
    assert listing(tmp_path) == []
    r = subprocess.run([sys.executable, "-m", "appraisal", "record", "-o", "-"], capture_output=True, text=True, cwd=tmp_path)
    assert r.returncode == 2 and r.stderr == "error: -o - writes to standard output: say which format with --format html or md\n"


@pytest.mark.parametrize("argv", [["rank", "--format", "json"], ["export", "-o", "-", "--format", "csv"], ["validate"]])
def test_a_closed_standard_output_is_one_error_line(tmp_path, argv):
    r = subprocess.run([sys.executable, "-m", "appraisal", *argv], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                       cwd=tmp_path, close_fds=True, preexec_fn=lambda: os.close(1))
    assert r.returncode == 2 and r.stderr.startswith("error: standard output is closed") and r.stderr.count("\n") == 1, r.stderr


def test_a_file_output_with_standard_output_closed_is_still_written(tmp_path):
    r = subprocess.run([sys.executable, "-m", "appraisal", "export", "-o", str(tmp_path / "x.csv")], stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True, preexec_fn=lambda: os.close(1))
    assert r.returncode == 0 and r.stderr == "" and (tmp_path / "x.csv").read_text(encoding="utf-8-sig").startswith("Criterion,id,")


@pytest.mark.parametrize("argv", [["rank", "--format", "json"], ["export", "-o", "-", "--format", "html", "--samples", "50"]])
def test_standard_output_cut_short_is_an_error_not_a_truncated_file(tmp_path, argv):
    """CPython's buffered stdout drops the rest of a short write (a disk filling up, `ulimit -f`): the
    file was cut at 8 KB and the command said nothing, exit 0."""
    import resource
    import signal

    def small_files():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (8192, 8192))

    with (tmp_path / "out").open("wb") as out:
        r = subprocess.run([sys.executable, "-m", "appraisal", *argv], stdout=out, stderr=subprocess.PIPE, text=True, preexec_fn=small_files)
    assert r.returncode == 2 and r.stderr == "error: standard output: cannot write: file too large\n", r.stderr


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (Linux)")
@pytest.mark.parametrize("argv", [["rank"], ["validate"], ["replay", "SCENARIOS"], ["sensitivity", "--samples", "50"], ["--help"],
                                  ["rank", "--help"], ["--version"], ["rank", "--format", "json"]])
def test_a_full_standard_output_is_one_error_line_whatever_wrote_to_it(work, argv):
    """Rich's tables and argparse's help wrote into the buffer a failed flush had left: the error line, then
    'Exception ignored ... Traceback' at exit and status 120; argparse dropped a failed --help (exit 0)."""
    argv = [str(work / "scenarios") if a == "SCENARIOS" else a for a in argv]
    with open("/dev/full", "w") as full:
        r = subprocess.run([sys.executable, "-m", "appraisal", *argv], stdout=full, stderr=subprocess.PIPE, text=True, cwd=work)
    assert r.returncode == 2 and r.stderr == "error: standard output: cannot write: no space left on device\n", r.stderr
