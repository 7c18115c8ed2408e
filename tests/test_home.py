import pytest

from evaluations.models import Evaluation, Municipality

from .conftest import make_evaluation_like


def test_start_page_lists_published_evaluations_with_year_version_and_total(
    client, published_reports
):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    for name, year, version, total in (
        ("Kalix", "2012", "2010", "415"),
        ("Luleå", "2018", "2016", "575"),
        ("Lindesberg", "2021", "2020", "420"),
    ):
        row = html[html.index(f">{name}<") :].split("</tr>")[0]
        assert f">{year}<" in row and f">{version}<" in row and f">{total}<" in row


def test_drafts_are_hidden_from_the_start_page(client, published_reports):
    Evaluation.objects.filter(municipality__code="2580").update(status=Evaluation.Status.DRAFT)
    assert ">Luleå<" not in client.get("/").content.decode()


@pytest.mark.django_db
def test_start_page_query_count_does_not_grow_with_evaluations(
    client, published_reports, django_assert_max_num_queries
):
    lulea = published_reports["lulea"]
    for code in ("2581", "2582", "2583", "2584"):
        make_evaluation_like(lulea, municipality=Municipality.objects.get(code=code), year=2018)
    with django_assert_max_num_queries(3):
        response = client.get("/")
    assert response.content.decode().count("<tr>") == 1 + 3 + 4
