"""The one way SIPSight reads and writes its own files (settings, history).

- Writes replace the whole file atomically (temporary file + rename), so a crash or a full disk mid-write leaves
  the previous file intact instead of half a file.
- Read-modify-write runs under `locked(path)`: an inter-process lock (fcntl.flock on POSIX, msvcrt.locking on
  Windows, on a hidden `.<name>.lock` file beside it) plus a thread lock. The writer re-reads the file as it is
  now under the lock, applies its change and writes (`update_text`), so two writers never lose each other's
  change. The OS drops the lock when a process dies: there is no stale lock to clean up, and the lock file stays.
- Reading is guarded (`read_json`): a size limit, a nesting limit and every decoding error become one
  `Unreadable` with a reason a person can act on, never a RecursionError or a traceback.
- A file that cannot be used is set aside byte for byte under a unique name (`set_aside`, `copy_aside`); an
  existing file is never overwritten by a backup.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

LOCK_TIMEOUT = 15.0  # seconds a writer waits for another one; a write holds the lock for milliseconds
_REPLACE_RETRIES = 40  # Windows refuses to replace a file another process is reading for a moment


class StorageBusy(OSError):
    """Another SIPSight process held the file's lock for longer than LOCK_TIMEOUT."""


class Unreadable(ValueError):
    """A file SIPSight cannot use; `reason` says why in words a person can act on."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# ---------------------------------------------------------------------------------------------- writing
def atomic_write_text(path: Path, text: str, *, prefix: str = ".sipsight-") -> Path:
    """Write `text` (UTF-8) to a temporary file beside `path`, flush it to disk, then rename it over `path`."""
    return atomic_write_bytes(path, text.encode("utf-8"), prefix=prefix)


def atomic_write_bytes(path: Path, data: bytes, *, prefix: str = ".sipsight-") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        _replace(Path(tmp), path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _replace(src: Path, dst: Path) -> None:
    for attempt in range(_REPLACE_RETRIES):
        try:
            os.replace(src, dst)
            return
        except PermissionError:
            # On Windows a reader that has the file open blocks the rename for a moment; elsewhere it is final.
            if sys.platform != "win32" or attempt == _REPLACE_RETRIES - 1:
                raise
            time.sleep(0.025)


# ---------------------------------------------------------------------------------------------- locking
_registry_lock = threading.Lock()
_thread_locks: dict[str, threading.RLock] = {}
_depth: dict[str, int] = {}  # nesting of `locked` per path, touched only by the thread holding that path's RLock


def lock_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.lock")


@contextmanager
def locked(path: Path, *, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold `path`'s lock against other threads and processes; re-entrant within a thread.

    Raises StorageBusy after `timeout` seconds, or OSError when the lock file cannot be created (a read-only
    folder: the write the caller wants would fail anyway).
    """
    key = os.path.abspath(path)
    with _registry_lock:
        rlock = _thread_locks.setdefault(key, threading.RLock())
    if not rlock.acquire(timeout=timeout):
        raise StorageBusy(f"{path} is being written by another part of SIPSight; try again.")
    try:
        depth = _depth.get(key, 0)
        _depth[key] = depth + 1
        try:
            if depth:
                yield
            else:
                with _file_lock(lock_path(path), timeout):
                    yield
        finally:
            _depth[key] = depth
    finally:
        rlock.release()


@contextmanager
def _file_lock(where: Path, timeout: float) -> Iterator[None]:
    where.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(where, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        deadline = time.monotonic() + timeout
        pause = 0.001
        while not _try_lock(fd):
            if time.monotonic() >= deadline:
                raise StorageBusy(
                    f"{where.name[1:-5]} is being written by another SIPSight process; try again in a moment."
                )
            time.sleep(pause)
            pause = min(pause * 2, 0.05)
        try:
            yield
        finally:
            _unlock(fd)
    finally:
        os.close(fd)


if sys.platform == "win32":  # pragma: no cover - exercised on Windows
    import msvcrt

    def _try_lock(fd: int) -> bool:
        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


def update_text(path: Path, change: Callable[[bytes | None], str | None], *, prefix: str = ".sipsight-") -> bool:
    """Re-read `path` under its lock, let `change` compute the new text from the current bytes (None: no file),
    and write it atomically; `change` returning None writes nothing. True when the file was written."""
    with locked(path):
        text = change(read_bytes(path))
        if text is None:
            return False
        atomic_write_text(path, text, prefix=prefix)
        return True


# ---------------------------------------------------------------------------------------------- reading
def read_bytes(path: Path, *, max_bytes: int | None = None) -> bytes | None:
    """The file's bytes, None when there is none; Unreadable for a folder, an unreadable or an oversized file."""
    try:
        if max_bytes is not None and path.stat().st_size > max_bytes:
            raise Unreadable(f"it is too large ({path.stat().st_size:,} bytes; at most {max_bytes:,} expected)")
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise Unreadable("it is a folder, not a file") from None
    except PermissionError:
        if path.is_dir():  # Windows says "permission denied" for a folder
            raise Unreadable("it is a folder, not a file") from None
        raise Unreadable("SIPSight is not allowed to read it") from None
    except OSError as err:
        raise Unreadable(f"it could not be read ({err.strerror or err})") from None


def parse_json(data: bytes, *, max_depth: int) -> Any:
    """UTF-8 JSON (a leading BOM, as Windows editors write, is accepted) -> Python; Unreadable saying why not."""
    if not data.strip():
        raise Unreadable("it is empty" if not data else "it holds only blank space")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise Unreadable(f"it holds NUL bytes (the first at byte {nul}): it was not written completely")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise Unreadable(f"it is not UTF-8 text (byte {err.start})") from None
    try:
        value = json.loads(text)
    except json.JSONDecodeError as err:
        raise Unreadable(f"not valid JSON (line {err.lineno}, column {err.colno})") from None
    except RecursionError:
        raise Unreadable("its JSON is nested too deeply") from None
    except ValueError as err:  # e.g. "Exceeds the limit (4300 digits) for integer string conversion"
        raise Unreadable(f"it holds a value Python cannot read ({str(err).split(':')[0]})") from None
    if _depth_of(value) > max_depth:
        raise Unreadable(f"its JSON is nested too deeply (more than {max_depth} levels)")
    return value


def _depth_of(value: Any) -> int:
    """The nesting depth of parsed JSON, without recursion (a deep document must not overflow the stack)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            deepest = max(deepest, depth)
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            deepest = max(deepest, depth)
            stack.extend((v, depth + 1) for v in item)
    return deepest


def read_json(path: Path, *, max_bytes: int, max_depth: int) -> tuple[Any, bytes] | None:
    """(parsed JSON, the bytes it came from), None when there is no file; Unreadable when it cannot be used."""
    data = read_bytes(path, max_bytes=max_bytes)
    if data is None:
        return None
    return parse_json(data, max_depth=max_depth), data


# ---------------------------------------------------------------------------------------------- setting aside
def aside_name(path: Path, tag: str, now: datetime | None = None) -> Path:
    """`settings.json.bad-2026-11-20T15-00-00.123456Z`: UTC to the microsecond. The T and the Z keep the stamp from
    reading as a phone number, which the log's privacy filter would mask."""
    stamp = (now or datetime.now(UTC)).strftime("%Y-%m-%dT%H-%M-%S.%fZ")
    return path.with_name(f"{path.name}.{tag}-{stamp}")


def _candidates(path: Path, tag: str) -> Iterator[Path]:
    base = aside_name(path, tag)
    yield base
    for counter in range(2, 10_000):
        yield base.with_name(f"{base.name}.{counter}")
    raise FileExistsError(f"no free name beside {path} to set it aside")


def set_aside(path: Path, tag: str = "bad") -> Path:
    """Move `path` (a file or a folder) to a unique name beside it, byte for byte; never overwrites anything."""
    for candidate in _candidates(path, tag):
        try:
            os.link(path, candidate)  # fails if `candidate` exists: the no-overwrite guarantee, atomically
        except FileExistsError:
            continue
        except OSError:  # a folder, or a file system without hard links
            if candidate.exists() or candidate.is_symlink():
                continue
            os.rename(path, candidate)
            return candidate
        os.unlink(path)
        return candidate
    raise AssertionError("unreachable")  # pragma: no cover


def copy_aside(path: Path, data: bytes, tag: str) -> Path:
    """Write `data` (the file's bytes as read) to a new unique file beside `path`, readable by its owner only."""
    for candidate in _candidates(path, tag):
        try:
            fd = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        except FileExistsError:
            continue
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        except BaseException:
            candidate.unlink(missing_ok=True)
            raise
        return candidate
    raise AssertionError("unreachable")  # pragma: no cover
