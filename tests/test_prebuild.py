"""The full downloads built before anyone asks (opendata/prebuild.py): after a publish, in a
thread of the process that published, and by `manage.py build_open_data`."""

import io
import threading

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comparisons import downloads
from comparisons.ranking import ranked_ids
from comparisons.views import explorer
from evaluations import dataversion, workflow
from evaluations.models import Evaluation
from kompass_site.prebuilt import path_for
from opendata import bundle, prebuild, store

from .conftest import import_reports

XLSX_URL = "/delfragor/delfragor.xlsx"
# Bounds the wait for the thread (two reports take a second or two), never a sleep.
THREAD_SECONDS = 120


@pytest.fixture(autouse=True)
def site(settings, tmp_path):
    settings.OPEN_DATA_DIR = tmp_path / "open-data"
    settings.SITE_URL = "http://testserver"  # the address the test client's pages have


def full_download_paths(settings, version, language: str = "sv") -> list:
    return [
        path_for(f"delfragor-{language}", version, suffix=suffix, root=settings.DOWNLOADS_ROOT)
        for suffix in (".csv", ".xlsx")
    ]


def fail(*args, **kwargs):
    raise AssertionError("built again")


def publish_lulea() -> dataversion.Version:
    workflow.publish(Evaluation.objects.get(municipality__slug="lulea"))
    return dataversion.current()


@pytest.mark.django_db(transaction=True)  # on_commit, and a thread with its own connection
def test_a_publish_builds_the_full_downloads_that_a_request_then_gets(
    client, settings, monkeypatch
):
    import_reports("lulea", "kalix", publish=False)
    settings.PREBUILD_AFTER_CHANGE = True
    version = publish_lulea()
    assert prebuild.wait(THREAD_SECONDS), "the thread is still building"
    # The figures the pages share were computed first (comparisons/warming.py).
    framework_id = Evaluation.objects.get(year=2018).framework_id
    with CaptureQueriesContext(connection) as captured:
        ranked_ids(framework_id=framework_id, area_number=3, latest_only=True, kommungrupp=None)
    # At most the data version is read: the ranking itself comes from the figure cache.
    assert all("evaluations_dataversion" in query["sql"] for query in captured), captured
    csv_path, xlsx_path = full_download_paths(settings, version)
    assert csv_path.read_bytes().decode("utf-8-sig").count("\n") == 1 + 45  # Luleå's scores
    assert (store.build_dir(version) / bundle.DATAPACKAGE_NAME).is_file()
    # A request now serves the file: building it would fail, and a spreadsheet this large
    # that is not built yet would be answered 503 at once.
    monkeypatch.setattr(downloads, "write_xlsx", fail)
    monkeypatch.setattr(explorer, "BUILD_WHILE_WAITING_ROWS", 10)
    monkeypatch.setattr("kompass_site.prebuilt.WAIT_SECONDS", 0.0)
    response = client.get(XLSX_URL)
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book["Delfrågor"].max_row == 1 + 45
    assert book["Delfrågor"]["A1"].value == "Kommun"
    note = {row[0]: row[1] for row in book["Om uppgifterna"].iter_rows(values_only=True) if row[0]}
    assert note["Källa"] == "http://testserver/delfragor/"
    assert xlsx_path.read_bytes() == b"".join(client.get(XLSX_URL).streaming_content)


@pytest.mark.django_db(transaction=True)
def test_without_the_setting_a_publish_builds_nothing(settings):
    import_reports("lulea", publish=False)
    assert settings.PREBUILD_AFTER_CHANGE is False  # the tests' default (tests/environment.py)
    version = publish_lulea()
    assert prebuild.THREAD_NAME not in [thread.name for thread in threading.enumerate()]
    assert not any(path.exists() for path in full_download_paths(settings, version))
    assert not store.root().exists()


@pytest.mark.django_db
def test_without_an_address_only_the_csv_is_built(settings):
    import_reports("lulea")
    built = prebuild.build_missing(site_url="")
    assert list(built) == ["/delfragor/delfragor.csv", "/en/delfragor/delfragor.csv"]
    assert all(download.made for download in built.values())
    csv_path, xlsx_path = full_download_paths(settings, dataversion.current())
    assert csv_path.exists() and not xlsx_path.exists()


@pytest.mark.django_db
def test_build_open_data_builds_what_is_missing_and_then_nothing(settings, monkeypatch):
    import_reports("lulea")
    first = io.StringIO()
    call_command("build_open_data", "--no-previews", stdout=first)
    version = dataversion.current()
    figures, *lines = first.getvalue().splitlines()
    assert figures.startswith("Gemensamma siffror (medelvärden, rankningar): ")
    assert [line.split(":")[0] for line in lines] == [
        f"/delfragor/delfragor.csv, dataversion {version.number}",
        f"/delfragor/delfragor.xlsx, dataversion {version.number}",
        f"/en/delfragor/delfragor.csv, dataversion {version.number}",
        f"/en/delfragor/delfragor.xlsx, dataversion {version.number}",
        f"/data/, dataversion {version.number}",
    ]
    assert all(": byggd nu, " in line for line in lines), lines
    paths = [
        *full_download_paths(settings, version),
        *full_download_paths(settings, version, "en"),
        store.build_dir(version),
    ]
    assert all(path.exists() for path in paths)
    stamps = [path.stat().st_mtime_ns for path in paths]

    monkeypatch.setattr(downloads, "write_xlsx", fail)
    monkeypatch.setattr(downloads, "csv_chunks", fail)
    monkeypatch.setattr(store, "write_bundle", fail)
    again = io.StringIO()
    call_command("build_open_data", "--no-previews", stdout=again)
    assert all(": fanns redan, " in line for line in again.getvalue().splitlines()[1:])
    assert [path.stat().st_mtime_ns for path in paths] == stamps


@pytest.mark.django_db
def test_build_open_data_without_an_address_is_a_clear_error(settings):
    settings.SITE_URL = ""
    with pytest.raises(CommandError, match="ange --site-url eller SITE_URL"):
        call_command("build_open_data", "--no-previews", stdout=io.StringIO())
