"""The data version: raised by every change that public pages could show, read by caches.

Any saved or deleted row of the models below raises it, inside the same transaction, so a
reader sees the new number exactly when it sees the new data. Conservative on purpose: a
draft's edit raises it too (data changes a few times a year; a needless cache refill is cheap,
a stale public page after a publish is not). ``bulk_create`` and ``QuerySet.update`` send no
signals: code that writes public data that way calls ``bump()`` itself.

``current()`` reads the version from the database. ``latest()`` answers it from the process's
memory for as long as the *stamp* is unchanged: a token rewritten once every change is
committed, in the cache when that is shared by every app server (Redis), else in a file
(``DATA_VERSION_STAMP``) that the processes of one machine share. A request then costs no
query for the version, and the first request of any process after a commit reads it anew.

``committed`` is sent after each committed change, once the stamp is written: for work on the
new version that need not wait for a request (``opendata/prebuild.py`` builds the full
downloads). It is sent once for every row saved, so a receiver must take repeats cheaply.
"""

import logging
import os
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection, transaction
from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal
from django.utils import timezone

from . import models

logger = logging.getLogger(__name__)

committed = Signal()

WATCHED = (
    models.Evaluation,
    models.AreaResult,
    models.QuestionScore,
    models.AreaListItem,
    models.ReferenceMean,
    models.ReferenceMeanArea,
    models.Municipality,
    models.County,
    models.FrameworkVersion,
    models.Area,
    models.Question,
)


@dataclass(frozen=True)
class Version:
    number: int
    changed_at: datetime


def current() -> Version:
    """The current data version (one query; the row is made on first use)."""
    row = models.DataVersion.objects.filter(pk=1).values_list("number", "changed_at").first()
    if row is None:
        row_obj, _ = models.DataVersion.objects.get_or_create(
            pk=1, defaults={"changed_at": timezone.now()}
        )
        return Version(row_obj.number, row_obj.changed_at)
    return Version(*row)


def bump() -> None:
    now = timezone.now()
    updated = models.DataVersion.objects.filter(pk=1).update(number=F("number") + 1, changed_at=now)
    if not updated:
        models.DataVersion.objects.get_or_create(pk=1, defaults={"number": 2, "changed_at": now})
    transaction.on_commit(_committed)


def _committed() -> None:
    _restamp()
    # The change is committed: a receiver that fails must not make it look as if it were not.
    for receiver, result in committed.send_robust(sender=Version):
        if isinstance(result, Exception):
            logger.error("after a data change, %s failed", receiver, exc_info=result)


# --- The version without a query: the process's memory, checked against the stamp -------------

STAMP_KEY = "dataversion-stamp"
_UNREADABLE = object()
# (the stamp seen before the version was read, the version)
_remembered: tuple[object, Version] | None = None


def _stamp_in_cache() -> bool:
    # A cache of each process's own (or none) cannot tell the other processes.
    return not isinstance(caches["default"], LocMemCache | DummyCache)


def _stamp() -> object:
    try:
        if _stamp_in_cache():
            return caches["default"].get(STAMP_KEY)
        status = os.stat(settings.DATA_VERSION_STAMP)
        return (status.st_ino, status.st_mtime_ns, status.st_size)
    except FileNotFoundError:
        return None  # never written: any later change writes it
    except Exception:
        logger.warning("data version stamp unreadable: read from the database", exc_info=True)
        return _UNREADABLE


def _restamp() -> None:
    global _remembered
    _remembered = None
    token = secrets.token_hex(8)
    try:
        if _stamp_in_cache():
            caches["default"].set(STAMP_KEY, token, None)
            return
        path = Path(settings.DATA_VERSION_STAMP)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{token}")
        partial.write_text(token)
        os.replace(partial, path)  # a new file each time: its inode tells it apart
    except Exception:
        logger.error(
            "data version stamp not written: other processes keep the version before this "
            "change until the next one",
            exc_info=True,
        )


def latest() -> Version:
    """The current data version, from memory unless the stamp changed since it was read."""
    global _remembered
    if connection.in_atomic_block:
        # A transaction may see a change not committed yet (its own): never remembered.
        return current()
    stamp = _stamp()
    remembered = _remembered
    if remembered is not None and stamp is not _UNREADABLE and remembered[0] == stamp:
        return remembered[1]
    version = current()
    if stamp is not _UNREADABLE:
        _remembered = (stamp, version)
    return version


def _changed(sender, **kwargs) -> None:
    if kwargs.get("raw"):  # loaddata: fixtures are not public changes
        return
    bump()


def connect() -> None:
    for model in WATCHED:
        post_save.connect(_changed, sender=model, dispatch_uid=f"dataversion-save-{model.__name__}")
        post_delete.connect(
            _changed, sender=model, dispatch_uid=f"dataversion-delete-{model.__name__}"
        )
