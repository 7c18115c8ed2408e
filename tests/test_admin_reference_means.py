"""Official reference profiles entered by staff: pre-filled with the version's eight areas."""

from decimal import Decimal

import pytest

from evaluations import importing
from evaluations.forms import format_points
from evaluations.models import Area, ReferenceMean, ReferenceMeanArea

from .conftest import REPORT_FILES, form_data

ADMIN = "/admin/evaluations/referencemean/"
ADD_URL = f"{ADMIN}add/"
FORM = "referencemean_form"
NAME = "Kalix 2012 som jämförelseprofil"


def area_rows(data: dict) -> dict[int, int]:
    """Area number -> row index in the submitted data."""
    numbers = dict(Area.objects.values_list("pk", "number"))
    return {
        numbers[int(data[f"omrade-{i}-area"])]: i for i in range(int(data["omrade-TOTAL_FORMS"]))
    }


@pytest.fixture
def kalix_areas(db) -> list[Decimal]:
    """Kalix 2012's eight area scores as its report prints them (the real figures we have for
    version 2010; the mean in its radar chart is only an image)."""
    text = REPORT_FILES["kalix"].read_text(encoding="utf-8")
    report = importing.parse(text, reference=importing.load_reference())
    return [area.points for area in sorted(report.areas, key=lambda area: area.number)]


@pytest.fixture
def reference_entry(publisher_client, kalix_areas):
    data = form_data(publisher_client.get(ADD_URL, {"version": "2010"}), FORM)
    data.update(name=NAME, n="1", source="Kalix 2012, översiktstabellerna")
    for number, i in area_rows(data).items():
        data[f"omrade-{i}-points"] = format_points(kalix_areas[number - 1])
    return data


def add(client, data):
    return client.post(f"{ADD_URL}?version=2010", {**data, "_save": "Spara"})


def test_a_new_reference_starts_with_a_choice_of_version(publisher_client):
    html = publisher_client.get(ADD_URL).content.decode()
    assert 'href="?version=2016"' in html and 'id="referencemean_form"' not in html
    assert "Vilken version av Kommunkompassen gäller referensmedelvärdet?" in html


def test_the_form_is_prefilled_with_the_versions_eight_areas(publisher_client):
    response = publisher_client.get(ADD_URL, {"version": "2016"})
    data = form_data(response, FORM)
    assert sorted(area_rows(data)) == list(range(1, 9))
    assert all(
        Area.objects.get(pk=data[f"omrade-{i}-area"]).framework.code == "2016" for i in range(8)
    )
    assert "7 Ständiga förbättringar</label>" in response.content.decode()


def test_a_publisher_enters_a_reference_mean(publisher_client, reference_entry, kalix_areas):
    assert add(publisher_client, reference_entry).status_code == 302
    reference = ReferenceMean.objects.get()
    assert (reference.name, reference.framework.code, reference.n) == (NAME, "2010", 1)
    values = list(reference.areas.order_by("area__number").values_list("points", flat=True))
    assert values == kalix_areas


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "Område 3: ange ett värde."),
        ("100,5", "Område 3: Poängen måste ligga mellan 0 och 100."),
        ("62,25", "Område 3: Ange poäng med högst en decimal."),
        ("sextio", "Ange poängen som ett tal, till exempel 12 eller 10,8."),
    ],
)
def test_a_bad_area_value_gets_a_message_and_saves_nothing(
    publisher_client, reference_entry, value, message
):
    reference_entry[f"omrade-{area_rows(reference_entry)[3]}-points"] = value
    html = add(publisher_client, reference_entry).content.decode()
    assert message in html and "Rätta områdenas värden nedan." in html
    assert not ReferenceMean.objects.exists() and not ReferenceMeanArea.objects.exists()


def test_an_area_of_another_version_is_refused(publisher_client, reference_entry):
    reference_entry["omrade-0-area"] = str(Area.objects.get(framework__code="2020", number=1).pk)
    html = add(publisher_client, reference_entry).content.decode()
    assert (
        "Område 1 (Samspel mellan förtroendevalda och medborgare) hör till ramverksversion " in html
    )
    assert not ReferenceMean.objects.exists()


def test_the_same_name_twice_in_a_version_is_refused(publisher_client, reference_entry):
    add(publisher_client, reference_entry)
    html = add(publisher_client, reference_entry).content.decode()
    assert f"Det finns redan ett referensmedelvärde med namnet ”{NAME}” för version 2010." in html
    assert ReferenceMean.objects.count() == 1


def test_every_changed_area_value_is_kept_in_the_readable_history(
    publisher_client, editor_client, reference_entry, kalix_areas
):
    add(publisher_client, reference_entry)
    reference = ReferenceMean.objects.get()
    change = f"{ADMIN}{reference.pk}/change/"
    data = form_data(publisher_client.get(change), FORM)
    for number, i in area_rows(data).items():
        data[f"omrade-{i}-points"] = f"{60 + number},5"
    assert publisher_client.post(change, {**data, "_save": "Spara"}).status_code == 302
    assert reference.areas.get(area__number=3).points == Decimal("63.5")
    html = editor_client.get(f"{ADMIN}{reference.pk}/history/").content.decode()
    for number in range(1, 9):
        old = format_points(kalix_areas[number - 1])
        assert f"Område {number}: ändrad" in html
        assert f"Poäng: {old} → {60 + number},5" in html
    assert "Referensmedelvärdet: skapad" in html and "Ramverksversion: 2010" in html
    assert "Revert" not in html and "Återställ" not in html


def test_fewer_than_eight_area_values_are_refused(publisher_client, reference_entry):
    last = int(reference_entry["omrade-TOTAL_FORMS"]) - 1
    tampered = {
        **{k: v for k, v in reference_entry.items() if not k.startswith(f"omrade-{last}-")},
        "omrade-TOTAL_FORMS": str(last),
    }
    html = add(publisher_client, tampered).content.decode()
    assert "Ange ett värde för vart och ett av versionens 8 områden." in html
    assert not ReferenceMean.objects.exists()


def test_redaktor_may_read_but_not_enter_reference_means(editor_client, publisher_client):
    assert editor_client.get(ADMIN).status_code == 200
    assert editor_client.get(ADD_URL, {"version": "2010"}).status_code == 403
    assert editor_client.get(ADD_URL).status_code == 403


def test_the_public_profile_offers_the_entered_reference_mean(
    client, publisher_client, reference_entry, published_reports
):
    add(publisher_client, reference_entry)
    reference = ReferenceMean.objects.get()
    html = client.get("/kommun/kalix/", {"medel": f"ref-{reference.pk}"}).content.decode()
    assert f"{NAME} (n = 1)" in html
    assert f"{NAME} (n = 1). Källa: Kalix 2012, översiktstabellerna" in html


def test_redaktor_sees_a_reference_mean_read_only(editor_client, publisher_client, reference_entry):
    add(publisher_client, reference_entry)
    change = f"{ADMIN}{ReferenceMean.objects.get().pk}/change/"
    html = editor_client.get(change).content.decode()
    assert 'name="_save"' not in html
    assert "disabled" in html[html.index('name="omrade-0-points"') :].split(">")[0]
    data = form_data(editor_client.get(change), FORM)
    assert editor_client.post(change, {**data, "_save": "Spara"}).status_code == 403
