"""/data/: the full download, built once per data version, read back as a researcher would."""

import io
import json
import zipfile
from decimal import Decimal

import pandas as pd
import pytest
from openpyxl import load_workbook

from evaluations import dataversion
from evaluations.models import Evaluation
from opendata import bundle, store

pytestmark = pytest.mark.django_db

PANDAS_TYPES = {"string": "string", "integer": "Int64", "number": "Float64"}


@pytest.fixture(autouse=True)
def open_data_dir(settings, tmp_path):
    settings.OPEN_DATA_DIR = tmp_path / "open-data"
    return settings.OPEN_DATA_DIR


def download(client, name: str) -> bytes:
    response = client.get(f"/data/{name}")
    assert response.status_code == 200, name
    return b"".join(response.streaming_content)


def read_table(archive: zipfile.ZipFile, resource: dict) -> pd.DataFrame:
    """A CSV of the zip read with exactly the types its datapackage.json declares."""
    fields = resource["schema"]["fields"]
    dates = [f["name"] for f in fields if f["type"] == "date"]
    frame = pd.read_csv(
        archive.open(resource["path"]),
        dtype={f["name"]: PANDAS_TYPES[f["type"]] for f in fields if f["type"] != "date"},
        parse_dates=dates,
        date_format="%Y-%m-%d",
        keep_default_na=False,
        na_values=resource["schema"]["missingValues"],
    )
    assert list(frame.columns) == [f["name"] for f in fields]
    for name in dates:
        assert frame[name].dtype.kind == "M", name
    return frame


@pytest.fixture
def tables(client, open_data_reports):
    archive = zipfile.ZipFile(io.BytesIO(download(client, bundle.ZIP_NAME)))
    package = json.loads(archive.read(bundle.DATAPACKAGE_NAME))
    return archive, package, {r["name"]: read_table(archive, r) for r in package["resources"]}


def test_pandas_reads_every_csv_with_the_declared_types_and_constraints(tables):
    _archive, package, frames = tables
    assert {r["name"] for r in package["resources"]} == {
        "municipalities", "questions", "evaluations", "area_results", "question_scores",
        "list_items",
    }  # fmt: skip
    for resource in package["resources"]:
        frame = frames[resource["name"]]
        schema = resource["schema"]
        assert not frame.duplicated(subset=schema["primaryKey"]).any(), resource["name"]
        for field in schema["fields"]:
            constraints = field.get("constraints", {})
            column = frame[field["name"]]
            if constraints.get("required"):
                assert column.notna().all(), (resource["name"], field["name"])
            if "pattern" in constraints:
                assert column.dropna().str.fullmatch(constraints["pattern"]).all()
            if "enum" in constraints:
                assert set(column.dropna()) <= set(constraints["enum"])
        for key in schema["foreignKeys"]:
            other = frames[key["reference"]["resource"]][key["reference"]["fields"][0]]
            assert set(frame[key["fields"][0]]) <= set(other)


def test_the_tables_hold_the_published_figures_and_nothing_else(tables):
    _archive, _package, frames = tables
    municipalities, evaluations = frames["municipalities"], frames["evaluations"]
    assert len(municipalities) == 290
    assert municipalities.loc[municipalities.name == "Upplands Väsby", "code"].item() == "0114"
    # Lindesberg 2021 is a draft, Luleå 2015 only stated in Luleå 2018's report.
    assert sorted(evaluations.id) == ["2514/2012", "2580/2018"]
    lulea = evaluations.set_index("id").loc["2580/2018"]
    assert lulea.total == 575 and lulea.area_3 == 72
    assert (lulea.previous_year, lulea.previous_origin) == (2015, "stated")
    assert str(lulea.report_date.date()) == "2019-01-15"
    scores = frames["question_scores"].set_index(["evaluation_id", "code"])
    q15 = scores.loc[("2580/2018", "1.5")]
    assert (q15.points, q15.printed_points, q15.printed_percent, q15.percent) == (9.5, 10, 95, 95)
    assert len(scores) == sum(e.scores.count() for e in Evaluation.objects.published())
    items = frames["list_items"]
    assert set(items.kind) <= {"strength", "improvement", "weakness"}
    assert (items.groupby(["evaluation_id", "area", "kind"]).position.min() == 1).all()
    areas = frames["area_results"]
    assert len(areas) == 16 and areas.text.str.len().min() > 0


def test_every_file_states_its_date_licence_and_the_version_caveat(client, tables):
    archive, package, _frames = tables
    date = bundle.date_of(dataversion.current())
    readme = archive.read(bundle.README_NAME).decode()
    caveat = "Poäng från olika versioner är inte fullt jämförbara"
    assert date in readme and caveat in readme and "CC BY" not in readme
    assert "Creative Commons Attribution 4.0" in readme
    assert caveat in package["description"] and package["lastModified"].startswith(date)
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    workbook = load_workbook(io.BytesIO(download(client, bundle.XLSX_NAME)), read_only=True)
    about = [[c for c in row if c is not None] for row in workbook["Om uppgifterna"].values]
    assert ["Uppgifter per", date] in about
    assert any(caveat in str(cell) for row in about for cell in row)
    assert len(list(workbook["Utvärderingar"].values)) == 3  # header and two evaluations
    dump = json.loads(download(client, bundle.JSON_NAME))
    assert dump["data_date"] == date and any(caveat in note for note in dump["notes"])
    # The JSON dump is the API's own shape, notes included.
    api = client.get("/api/v1/evaluations/2580/2018").json()
    dumped = next(e for e in dump["evaluations"] if e["id"] == "2580/2018")
    assert dumped["areas"] == api["areas"] and dumped["notes"] == api["notes"] != []
    names = {
        response["Content-Disposition"]
        for response in (client.get(f"/data/{n}") for n in (bundle.ZIP_NAME, bundle.XLSX_NAME))
    }
    assert names == {
        f'attachment; filename="kommunkompassen-{date}.zip"',
        f'attachment; filename="kommunkompassen-{date}.xlsx"',
    }


def test_built_once_per_data_version_and_again_after_a_publish(
    client, open_data_reports, open_data_dir, monkeypatch
):
    builds = []
    write = bundle.write_bundle
    monkeypatch.setattr(store, "write_bundle", lambda *a, **k: builds.append(1) or write(*a, **k))
    for _ in range(3):
        download(client, "evaluations.csv")
    assert client.get("/data/").status_code == 200
    assert len(builds) == 1
    lindesberg = open_data_reports["lindesberg"]
    lindesberg.status = Evaluation.Status.PUBLISHED
    lindesberg.save()
    assert b"1885/2021" in download(client, "evaluations.csv")
    assert len(builds) == 2
    lindesberg.area_results.filter(area__number=1).update(points=Decimal("48"))
    lindesberg.save()
    download(client, "evaluations.csv")
    kept = sorted(p.name for p in open_data_dir.glob("data-*"))
    assert len(kept) == 2  # the two latest builds
    assert store.build_dir(dataversion.current()).name in kept


def test_a_build_that_saw_a_publish_starts_again(client, open_data_reports, monkeypatch):
    write = bundle.write_bundle
    lindesberg = open_data_reports["lindesberg"]

    def publish_meanwhile(directory, data):
        write(directory, data)
        if lindesberg.status != Evaluation.Status.PUBLISHED:
            lindesberg.status = Evaluation.Status.PUBLISHED
            lindesberg.save()

    monkeypatch.setattr(store, "write_bundle", publish_meanwhile)
    assert b"1885/2021" in download(client, "evaluations.csv")


def test_the_data_page_lists_the_files_and_the_columns(client, open_data_reports):
    page = client.get("/data/")
    html = page.content.decode()
    date = bundle.date_of(dataversion.current())
    assert f"kommunkompassen-{date}.zip" in html and "datapackage.json" in html
    assert f"Uppgifterna är från {date} (dataversion {dataversion.current().number})." in html
    assert "<code>printed_points</code>" in html
    assert "inte fullt jämförbara" in html
    assert client.get("/data/ingenting.csv").status_code == 404
    assert client.get("/data/../settings.py").status_code == 404


def test_the_command_builds_the_current_version(open_data_reports, open_data_dir, settings):
    from django.core.management import call_command

    settings.SITE_URL = "https://kompass.example.se"
    call_command("build_open_data", stdout=io.StringIO())
    directory = store.build_dir(dataversion.current())
    package = json.loads((directory / bundle.DATAPACKAGE_NAME).read_text())
    assert package["homepage"] == "https://kompass.example.se/data/"
    assert (
        "https://kompass.example.se/kommun/lulea/2018/"
        in (directory / "evaluations.csv").read_text()
    )


def test_a_download_that_cannot_be_built_is_a_503(client, open_data_reports, settings, tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    settings.OPEN_DATA_DIR = blocked / "open-data"  # cannot be made: its parent is a file
    for url in ("/data/", "/data/evaluations.csv"):
        response = client.get(url)
        assert response.status_code == 503 and response["Retry-After"] == "60", url


def test_the_evaluations_are_written_a_batch_at_a_time_with_the_same_files(
    open_data_reports, tmp_path, monkeypatch
):
    data = bundle.read_data(version=dataversion.current(), site_url="https://kompass.example")
    whole, batched = tmp_path / "whole", tmp_path / "batched"
    whole.mkdir(), batched.mkdir()
    bundle.write_bundle(whole, data)
    monkeypatch.setattr(bundle, "EVALUATIONS_PER_BATCH", 1)
    assert [len(batch) for batch in data.evaluation_batches()] == [1, 1]
    bundle.write_bundle(batched, data)
    for table in bundle.TABLES:
        assert (batched / table.path).read_bytes() == (whole / table.path).read_bytes()
    dump = json.loads((batched / bundle.JSON_NAME).read_text())
    assert dump == json.loads((whole / bundle.JSON_NAME).read_text())
    assert [e["id"] for e in dump["evaluations"]] == ["2514/2012", "2580/2018"]
    rows = load_workbook(batched / bundle.XLSX_NAME, read_only=True)["Delfrågepoäng"].values
    assert len(list(rows)) == 1 + sum(e.scores.count() for e in Evaluation.objects.published())


def test_the_bundle_is_in_swedish_when_an_english_visitor_builds_it(client, open_data_reports):
    english = client.get(f"/en/data/{bundle.ZIP_NAME}")
    assert english.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(english.streaming_content)))
    assert archive.read(bundle.README_NAME).decode().splitlines()[2].startswith("Uppgifter per")
    workbook = load_workbook(io.BytesIO(download(client, bundle.XLSX_NAME)), read_only=True)
    assert workbook.sheetnames[0] == "Om uppgifterna"
