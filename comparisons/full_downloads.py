"""The explorer's full downloads: every published score in the page's own order, one CSV and one
XLSX per data version, kept on disk (``kompass_site.prebuilt``). Built by the first request for
them (``views/explorer.py``), after every change of the data and by ``manage.py
build_open_data`` (``opendata/prebuild.py``), whichever comes first."""

import functools
from collections.abc import Callable, Iterator
from pathlib import Path

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from evaluations.dataversion import Version
from evaluations.models import QuestionScore
from kompass_site.prebuilt import Built, prebuilt

from . import downloads
from .filters import published_scores
from .means import question_sums_by_version
from .tables import ScoreExplorerTable

NAME = "delfragor"
CSV_SUFFIX = ".csv"
XLSX_SUFFIX = ".xlsx"


def every_score() -> QuerySet[QuestionScore]:
    """What the explorer lists without a filter, in its default order."""
    return ScoreExplorerTable.ordered(published_scores(), order_by=None)


def _rows() -> Iterator[downloads.Row]:
    return downloads.score_rows(every_score(), sums=question_sums_by_version())


def _write_csv(path: Path, _version: Version) -> None:
    with path.open("wb") as out:
        out.writelines(downloads.csv_chunks(rows=_rows()))


def _write_xlsx(path: Path, _version: Version, *, site_url: str) -> None:
    with path.open("wb") as out:
        downloads.write_xlsx(
            rows=_rows(),
            out=out,
            applied_filters=[],
            # The page that shows these rows, not the download's own address.
            source_url=site_url + reverse("comparisons:explorer"),
            created=timezone.localdate(),
        )


def csv_file() -> Built:
    """The full CSV of the current data version, built now if it is missing (a few seconds at
    450,000 rows)."""
    built = prebuilt(NAME, _write_csv, suffix=CSV_SUFFIX)
    assert built is not None  # built here, never in the background
    return built


def xlsx_file(*, site_url: str, background: bool | Callable[[], bool] = False) -> Built | None:
    """The full XLSX of the current data version, built now if it is missing; with
    `background`, None while a thread builds it. `site_url` (no trailing slash) names the
    explorer's page in its note."""
    return prebuilt(
        NAME,
        functools.partial(_write_xlsx, site_url=site_url),
        suffix=XLSX_SUFFIX,
        background=background,
    )
