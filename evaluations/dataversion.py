"""The data version: raised by every change that public pages could show, read by caches.

Any saved or deleted row of the models below raises it, inside the same transaction, so a
reader sees the new number exactly when it sees the new data. Conservative on purpose: a
draft's edit raises it too (data changes a few times a year; a needless cache refill is cheap,
a stale public page after a publish is not). ``bulk_create`` and ``QuerySet.update`` send no
signals: code that writes public data that way calls ``bump()`` itself.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from . import models

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
