"""Reading defensively (appraisal/io/read.py): only regular files, capped while reading, nesting and
dotted keys capped before tomllib sees them, and every error on one line."""

from __future__ import annotations

import os
import signal
import tomllib
from pathlib import Path

import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from appraisal.errors import AppraisalError, one_line
from appraisal.io import read
from appraisal.io.read import MAX_KEY_PARTS, MAX_NESTING, nesting, read_bytes, read_toml


class Blocked(BaseException):
    """Raised by the alarm; not an OSError, so no `except OSError` swallows it."""


@pytest.fixture
def alarm():
    """Fail instead of hanging if a read blocks."""
    def hung(*_):
        raise Blocked("the read blocked")

    old = signal.signal(signal.SIGALRM, hung)
    signal.alarm(5)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


def test_a_fifo_swapped_in_after_the_check_is_refused_without_blocking(tmp_path, monkeypatch, alarm):
    """The check and the open are two steps: whatever is opened is checked again on its descriptor."""
    fifo = tmp_path / "swapped.toml"
    os.mkfifo(fifo)
    regular = os.stat(__file__)
    real_stat = os.stat
    monkeypatch.setattr(read.os, "stat", lambda p, *a, **k: regular if str(p) == str(fifo) else real_stat(p, *a, **k))
    with pytest.raises(AppraisalError, match="FIFO"):
        read_bytes(fifo)


def test_the_cap_holds_while_reading_not_only_by_the_size_the_file_claims(tmp_path):
    # /proc files say they are empty and are not
    status = Path("/proc/self/status")
    assert status.stat().st_size == 0
    with pytest.raises(AppraisalError, match="the limit is"):
        read_bytes(status, limit=10)
    assert b"Name:" in read_bytes(status)


@pytest.mark.parametrize("make, gist", [
    (lambda p: os.mkfifo(p), "FIFO"),
    (lambda p: p.symlink_to("/dev/zero"), "device"),
    (lambda p: p.mkdir(), "directory"),
    (lambda p: p.symlink_to(p.name), "symbolic links"),
])
def test_special_files_are_refused_before_reading(tmp_path, make, gist, alarm):
    path = tmp_path / "special.toml"
    make(path)
    with pytest.raises(AppraisalError, match=gist) as e:
        read_toml(path)
    assert e.value.file == str(path)


def test_nesting_is_counted_only_as_deep_as_the_limit_whatever_the_depth():
    deep: list = []
    for _ in range(100_000):
        deep = [deep]
    assert nesting(deep) == MAX_NESTING + 1  # it stops counting past the limit (no RecursionError)
    assert nesting({"a": [{"b": 1}]}) == 3 and nesting(5) == 0 and nesting([]) == 1 and nesting({}) == 1


def _nesting_oracle(value) -> int:
    """The plain definition, for any depth the test builds (recursive, unbounded)."""
    if isinstance(value, dict):
        value = list(value.values())
    if not isinstance(value, list):
        return 0
    return 1 + max((_nesting_oracle(x) for x in value), default=0)


@given(st.recursive(st.integers() | st.text(max_size=2), lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=2), kids, max_size=4),
                    max_leaves=60))
def test_nesting_agrees_with_its_definition_up_to_the_limit(value):
    assert nesting(value) == min(_nesting_oracle(value), MAX_NESTING + 1) or (
        _nesting_oracle(value) > MAX_NESTING and nesting(value) > MAX_NESTING)


@pytest.mark.parametrize("text", [
    "a = " + "[" * 100_000,
    "a = " + "{b = " * 5000,
    "[" + ".".join(["a"] * 100_000) + "]",
    ".".join(['"a.b"'] * 40) + " = 1",
])
def test_deep_toml_is_one_error(tmp_path, text):
    path = tmp_path / "deep.toml"
    path.write_text(text + "\n")
    with pytest.raises(AppraisalError, match="nested too deeply|dotted key"):
        read_toml(path)


def test_dots_in_strings_comments_and_values_are_not_keys(tmp_path):
    dots = ".".join(["x"] * 100)
    text = (f'# {dots}\ntitle = "{dots}"\nlit = \'{dots}\'\nml = """\n{dots}\n"" """\nmll = \'\'\'{dots}\'\'\'\n'
            f'floats = [{", ".join(["1.5"] * 100)}]\nwhen = 1979-05-27T07:32:00.999\n"{dots}" = 1\n'
            f'{".".join(["k"] * MAX_KEY_PARTS)} = 2\n')
    path = tmp_path / "ok.toml"
    path.write_text(text)
    assert read_toml(path)[0] == tomllib.loads(text)


_keys = st.text(min_size=1, max_size=12)
_scalars = st.one_of(st.text(max_size=30), st.integers(-10**6, 10**6), st.floats(allow_nan=False), st.booleans())
_values = st.recursive(_scalars, lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_keys, inner, max_size=4)), max_leaves=25)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(_keys, _values, min_size=1, max_size=6))
def test_any_toml_within_the_limits_reads_as_tomllib_reads_it(tmp_path_factory, data):
    text = tomli_w.dumps(data)
    path = tmp_path_factory.mktemp("toml") / "any.toml"
    path.write_text(text, encoding="utf-8")
    if nesting(data) <= MAX_NESTING:
        assert read_toml(path)[0] == tomllib.loads(text)


@given(st.text(), st.text(), st.lists(st.one_of(st.text(), st.integers(0, 99)), max_size=3))
def test_every_error_is_one_line_with_control_characters_shown(message, file, key):
    line = str(AppraisalError(message, file=file or None, key=key, line=3))
    assert len(line.splitlines()) <= 1 and "\n" not in line
    assert not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in line)
    assert one_line("a\nb\x1b[2J") == "a\u240ab\u241b[2J"  # the control pictures ␊ and ␛


def test_a_dangling_symlink_is_missing_a_loop_is_not(tmp_path):
    (tmp_path / "dangling").symlink_to("nowhere")
    (tmp_path / "loop").symlink_to("loop")
    assert read.is_missing(tmp_path / "dangling") and not read.is_missing(tmp_path / "loop")


def test_a_lock_file_that_is_a_fifo_is_not_read(tmp_path, alarm):
    """The app reads the lock file beside an appraisal before it opens it: a FIFO there must not hang it."""
    from appraisal.io.lock import FileLock, Locked, lock_path

    app = tmp_path / "app.toml"
    app.write_text("x")
    os.mkfifo(lock_path(app))
    with pytest.raises(Locked):
        FileLock.acquire(app)


@pytest.mark.parametrize("text, line, message", [
    ("[weights]\na = 1\n[weights]\nb = 2\n", 3, "malformed TOML: Cannot declare [weights] twice"),
    ("[a.b]\nx = 1\n[a.b]\n", 3, "malformed TOML: Cannot declare [a.b] twice"),
])
def test_a_repeated_table_is_named_as_written_not_as_a_python_tuple(tmp_path, text, line, message):
    from appraisal.io.read import read_toml

    (tmp_path / "f.toml").write_text(text, encoding="utf-8")
    with pytest.raises(AppraisalError) as e:
        read_toml(tmp_path / "f.toml")
    assert (e.value.line, e.value.message) == (line, message)


def test_a_nul_byte_is_refused_with_its_line(tmp_path):
    from appraisal.io.read import read_text

    (tmp_path / "nul.csv").write_bytes(b"Criterion,a\nx,1\ny,\x002\n")
    with pytest.raises(AppraisalError) as e:
        read_text(tmp_path / "nul.csv")
    assert (e.value.line, e.value.message) == (3, "file is binary, not text (a NUL byte)")


@pytest.mark.parametrize("separator", ["\u2028", "\x0b", "\r"])
def test_a_long_dotted_key_is_refused_even_with_line_separators_inside_its_quoted_parts(tmp_path, separator):
    """The scan for over-long dotted keys is skipped when no line has enough dots: a "line" is TOML's (\\n),
    not Python's splitlines, which also breaks at U+2028 and other separators a quoted key part may hold."""
    from appraisal.io.read import read_toml

    parts = [f'"p{k}{separator if k % 10 == 5 else ""}"' for k in range(200)]
    (tmp_path / "k.toml").write_text(".".join(parts) + " = 1\n", encoding="utf-8", newline="")
    with pytest.raises(AppraisalError, match="more than 32 parts"):
        read_toml(tmp_path / "k.toml")


@pytest.mark.parametrize("depth", [1, 2, 31, 32, 33, 34, 40, 900])
def test_nesting_at_and_around_the_limit(depth):
    value: object = 1
    for k in range(depth):
        value = [value, 2] if k % 2 else {"a": value, "b": [3]}
    expected = _nesting_oracle(value) if depth < 500 else depth
    assert nesting(value) == min(expected, MAX_NESTING + 1)
