"""CSV and XLSX of what the profile, the comparison and the ranking show."""

import csv
import io

import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_the_profile_table_against_the_mean(client, six_evaluated):
    rows = csv_rows(client.get("/kommun/lulea/2018/poang.csv"))
    assert rows[0][:3] == ["Område", "Områdesrubrik", "2018"]
    # Piteå 2019 alone: Luleå 2018 is not in the mean it is compared with.
    assert rows[0][3] == "Medel av 1 annan utvärdering, version 2016"
    assert rows[0][4] == "Skillnad mot medel"
    assert rows[1] == ["1", "Offentlighet och demokrati", "79,0", "79,0", "0,0"]
    assert rows[-1][:3] == ["Totalt (av 800)", "", "575,0"]
    assert len(rows) == 10  # header, eight areas, total


def test_the_profile_table_with_its_previous_evaluation(client, published_reports):
    from .conftest import make_evaluation_like

    kalix = published_reports["kalix"]
    make_evaluation_like(kalix, municipality=kalix.municipality, year=2009)
    rows = csv_rows(client.get("/kommun/kalix/2012/poang.csv"))
    assert rows[0][2:5] == ["2012", "2009", "Förändring"]
    assert rows[1][2:5] == ["41,0", "41,0", "0,0"]


def test_the_comparison_table_with_differences_and_totals(client, six_evaluated):
    rows = csv_rows(client.get("/jamfor/poang.csv?k=lulea&k=pitea&k=kalix"))
    assert rows[0][2:] == [
        "Luleå 2018 (version 2016)",
        "Piteå 2019 (version 2016)",
        "Skillnad mot Luleå 2018",
        "Kalix 2012 (version 2010)",
        "Skillnad mot Luleå 2018 (ej fullt jämförbar)",
    ]
    assert rows[1][2:] == ["79,0", "79,0", "0,0", "41,0", "-38,0"]
    assert rows[-1][0] == "Totalt (av 800)" and rows[-1][2] == "575,0"


def test_the_ranking_table(client, six_evaluated):
    rows = csv_rows(client.get("/rankning/rankning.csv?version=2010"))
    assert rows == [
        ["Plats", "Kommun", "Kommunkod", "Län", "År", "Version", "Poäng"],
        ["1", "Kalix", "2514", "Norrbottens län", "2012", "2010", "415,0"],
        ["2", "Boden", "2582", "Norrbottens län", "2013", "2010", "413,0"],
    ]
    by_area = csv_rows(client.get("/rankning/rankning.csv?version=2016&area=3"))
    assert [row[0] for row in by_area[1:]] == ["1", "1"]


def test_xlsx_carries_the_table_its_source_and_date(client, six_evaluated):
    response = client.get("/kommun/lulea/2018/poang.xlsx")
    assert response["Content-Disposition"].startswith('attachment; filename="kompass-lulea-2018-')
    workbook = load_workbook(io.BytesIO(response.content))
    table = list(workbook["Tabell"].values)
    assert table[1][:3] == (1, "Offentlighet och demokrati", 79)
    note = {row[0]: row[1] for row in workbook["Om uppgifterna"].values if row and row[0]}
    assert note["Källa"] == "http://testserver/kommun/lulea/2018/"
    assert note["Hämtad"] is not None
    assert "inte fullt jämförbara" in note["Jämförelser mellan versioner"]


def test_bad_requests_and_drafts(client, open_data_reports):
    assert client.get("/kommun/lindesberg/2021/poang.csv").status_code == 404
    assert client.get("/kommun/lulea/2018/poang.pdf").status_code == 404
    assert client.get("/jamfor/poang.csv?k=lulea").status_code == 404  # one is no comparison
    refused = client.get("/rankning/rankning.csv?version=1999")
    assert refused.status_code == 400 and "1999" in refused.content.decode()
