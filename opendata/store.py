"""Where the full download lives: one directory per data version under settings.OPEN_DATA_DIR,
built once (the first request or `manage.py build_open_data`), then served as files.

A build is written into a temporary directory and renamed into place, under a file lock, so
that several server processes build it once and no one ever serves half a build. The data are
read after the version number and the number is read again afterwards: a publish in between
makes the build start again, so a build never holds data of another version than its name."""

import fcntl
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

from evaluations import dataversion

from .bundle import read_data, write_bundle

KEEP = 2  # builds kept: the current one and the one before (a download may be under way)
ATTEMPTS = 3


class BuildError(RuntimeError):
    pass


def root() -> Path:
    return Path(settings.OPEN_DATA_DIR)


def build_dir(version: dataversion.Version) -> Path:
    # The time as well as the number: a database made anew counts from 1 again, with other data.
    return root() / f"data-{version.number}-{int(version.changed_at.timestamp() * 1e6)}"


@contextmanager
def _lock():
    root().mkdir(parents=True, exist_ok=True)
    with (root() / ".lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _prune(keep: Path) -> None:
    builds = sorted(
        (p for p in root().glob("data-*") if p.is_dir()), key=lambda p: p.stat().st_mtime
    )
    for old in builds[:-KEEP]:
        if old != keep:
            shutil.rmtree(old, ignore_errors=True)


def current_build(*, site_url: str) -> tuple[Path, dataversion.Version]:
    """The build of the current data version, made now if it is missing."""
    for _attempt in range(ATTEMPTS):
        version = dataversion.current()
        target = build_dir(version)
        if target.is_dir():
            return target, version
        with _lock():
            if target.is_dir():  # another process built it while we waited
                return target, version
            staging = Path(tempfile.mkdtemp(prefix=".building-", dir=root()))
            staging.chmod(0o755)  # mkdtemp makes it private
            try:
                write_bundle(staging, read_data(version=version, site_url=site_url))
                if dataversion.current().number != version.number:
                    continue  # published meanwhile: these files may mix two versions
                staging.rename(target)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
            _prune(keep=target)
            return target, version
    raise BuildError("the data changed during every attempt to build the download")
