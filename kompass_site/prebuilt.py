"""Files built once per data version (full downloads), kept on disk and served from there.

``prebuilt(name, build)`` answers the path of the file for the current data version, building
it first if no process has: one process builds (a lock file, released if the process dies),
the others wait for it; the file is written beside its final name and renamed into place, so
no one ever reads half a file. Files of older versions are removed once a newer one is in place.

A build the caller knows to be long (``background=True``) runs in a thread of its own; the
caller waits up to ``wait`` seconds and otherwise gets None, to answer "being prepared, try
again": a request never holds a worker for minutes. Short builds run in the request itself.
"""

import contextlib
import fcntl
import logging
import os
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.db import connection

from .caching import data_version, release

logger = logging.getLogger(__name__)
# How long a request waits for a background build before it answers "try again".
WAIT_SECONDS = 20.0
_building: set[str] = set()
_building_lock = threading.Lock()


def _path(name: str, suffix: str) -> Path:
    version = data_version()
    stamp = f"{version.number}-{int(version.changed_at.timestamp() * 1e6)}"
    return Path(settings.DOWNLOADS_ROOT) / f"{name}-{release()[0]}-{stamp}{suffix}"


def _build(name: str, path: Path, build: Callable[[BinaryIO], None]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.parent / f".{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another process may be building it
        if path.exists():
            return
        handle, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{name}-", suffix=".part")
        try:
            with os.fdopen(handle, "wb") as out:
                build(out)
            os.replace(partial, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(partial)
            raise
        for old in path.parent.glob(f"{name}-*{path.suffix}"):
            if old != path:
                with contextlib.suppress(OSError):
                    old.unlink()


def prebuilt(
    name: str,
    build: Callable[[BinaryIO], None],
    *,
    suffix: str,
    background: bool | Callable[[], bool] = False,
    wait: float | None = None,
) -> Path | None:
    """The path of `name` for the current data version, or None while it is being built."""
    path = _path(name, suffix)
    if path.exists():
        return path
    if not (background() if callable(background) else background):
        _build(name, path, build)
        return path
    with _building_lock:
        started = str(path) not in _building
        if started:
            _building.add(str(path))
            done = threading.Event()

    if not started:
        return path if path.exists() else None

    def run() -> None:
        try:
            _build(name, path, build)
        except Exception:
            logger.exception("building %s failed", path.name)
        finally:
            connection.close()  # this thread's own
            with _building_lock:
                _building.discard(str(path))
            done.set()

    threading.Thread(target=run, name=f"prebuild-{name}", daemon=True).start()
    done.wait(WAIT_SECONDS if wait is None else wait)
    return path if path.exists() else None
