"""The explorer's full downloads: every published score in the page's own order, one CSV and one
XLSX per data version and language (their headers and notes are translated), kept on disk
(``kompass_site.prebuilt``). Built by the first request for them (``views/explorer.py``), after
every change of the data and by ``manage.py build_open_data`` (``opendata/prebuild.py``),
whichever comes first."""

import functools
from collections.abc import Callable, Iterator
from pathlib import Path

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation

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


def _in_active_language(write: Callable[[Path, Version], None]) -> tuple[str, Callable]:
    """The file's name and its writer for the active language: a build in a thread of its own
    would otherwise write in the default one."""
    language = translation.get_language() or settings.LANGUAGE_CODE

    def build(path: Path, version: Version) -> None:
        with translation.override(language):
            write(path, version)

    return f"{NAME}-{language}", build


def csv_file() -> Built:
    """The full CSV of the current data version in the active language, built now if it is
    missing (a few seconds at 450,000 rows)."""
    name, build = _in_active_language(_write_csv)
    built = prebuilt(name, build, suffix=CSV_SUFFIX)
    assert built is not None  # built here, never in the background
    return built


def xlsx_file(*, site_url: str, background: bool | Callable[[], bool] = False) -> Built | None:
    """The full XLSX of the current data version in the active language, built now if it is
    missing; with `background`, None while a thread builds it. `site_url` (no trailing slash)
    names the explorer's page in its note."""
    name, build = _in_active_language(functools.partial(_write_xlsx, site_url=site_url))
    return prebuilt(
        name,
        build,
        suffix=XLSX_SUFFIX,
        background=background,
    )
