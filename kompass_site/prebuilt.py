"""Files built once per data version, kept on disk and served from there: the explorer's full
downloads and the open data bundle (``opendata/store.py``), a file or a directory of files.

``prebuilt(name, build)`` answers the build of `name` for the current data version, making it
first if no process has: one process builds (a lock file, released if the process dies), the
others wait for it; the build is written beside its final name and renamed into place, so no
one ever reads half of it. The data are read after the version and the version is read again
afterwards: a change in between makes the build start again, so a build never holds data of
another version than its name says. The `keep` latest builds of a name stay (a download of the
one before may be under way); older ones are removed, and so are the partial files of a build
that a dying process left (only the holder of the lock writes one).

A build the caller knows to be long (``background=True``) runs in a thread of its own; the
caller waits up to ``wait`` seconds and otherwise gets None, to answer "being prepared, try
again": a request never holds a worker for minutes. Short builds run in the request itself.
"""

import contextlib
import fcntl
import logging
import os
import secrets
import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection

from evaluations import dataversion

from .caching import data_version, release

logger = logging.getLogger(__name__)
# How long a request waits for a background build before it answers "try again".
WAIT_SECONDS = 20.0
ATTEMPTS = 3
_building: set[str] = set()
_building_lock = threading.Lock()


class BuildError(RuntimeError):
    """The data changed during every attempt to build."""


@dataclass(frozen=True)
class Built:
    path: Path
    version: dataversion.Version
    made: bool = False  # by this call, not found on disk


# Writes the build of `version` at the path given (a file, or a directory it makes).
Builder = Callable[[Path, dataversion.Version], None]


def path_for(name: str, version: dataversion.Version, *, suffix: str = "", root: Path) -> Path:
    # The time as well as the number: a database made anew counts from 1 again, with other
    # data. The release too: new code may write other files.
    stamp = f"{version.number}-{int(version.changed_at.timestamp() * 1e6)}"
    return root / f"{name}-{release()[0]}-{stamp}{suffix}"


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            path.unlink()


def _prune(current: Path, *, name: str, suffix: str, keep: int) -> None:
    # Called with the lock held: no other build of this name is writing a partial file now.
    for orphan in current.parent.glob(f".{name}-*.part{suffix}"):
        _remove(orphan)
    others = sorted(
        (p for p in current.parent.glob(f"{name}-*{suffix}") if p != current),
        key=lambda p: p.stat().st_mtime,
    )
    for old in others[: max(0, len(others) - (keep - 1))]:
        _remove(old)


def _build(name: str, build: Builder, *, suffix: str, root: Path, keep: int) -> Built:
    root.mkdir(parents=True, exist_ok=True)
    with open(root / f".{name}{suffix}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another process may be building it
        for _attempt in range(ATTEMPTS):
            version = dataversion.current()
            path = path_for(name, version, suffix=suffix, root=root)
            if path.exists():  # another process built it while we waited
                return Built(path, version)
            partial = root / f".{name}-{secrets.token_hex(6)}.part{suffix}"
            try:
                build(partial, version)
                if dataversion.current() != version:
                    continue  # changed meanwhile: this build may mix two versions
                os.replace(partial, path)
            finally:
                if partial.exists():
                    _remove(partial)
            _prune(path, name=name, suffix=suffix, keep=keep)
            return Built(path, version, made=True)
    raise BuildError(f"the data changed during every attempt to build {name}{suffix}")


def prebuilt(
    name: str,
    build: Builder,
    *,
    suffix: str = "",
    root: Path | None = None,
    keep: int = 1,
    background: bool | Callable[[], bool] = False,
    wait: float | None = None,
) -> Built | None:
    """The build of `name` for the current data version, or None while it is being built in
    the background."""
    root = Path(settings.DOWNLOADS_ROOT if root is None else root)
    version = data_version()
    path = path_for(name, version, suffix=suffix, root=root)
    if path.exists():
        return Built(path, version)
    if not (background() if callable(background) else background):
        return _build(name, build, suffix=suffix, root=root, keep=keep)
    with _building_lock:
        started = str(path) not in _building
        if started:
            _building.add(str(path))
            done = threading.Event()

    if not started:
        return Built(path, version) if path.exists() else None

    def run() -> None:
        try:
            _build(name, build, suffix=suffix, root=root, keep=keep)
        except Exception:
            logger.exception("building %s failed", path.name)
        finally:
            connection.close()  # this thread's own
            with _building_lock:
                _building.discard(str(path))
            done.set()

    threading.Thread(target=run, name=f"prebuild-{name}", daemon=True).start()
    done.wait(WAIT_SECONDS if wait is None else wait)
    return Built(path, version) if path.exists() else None
