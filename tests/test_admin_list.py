"""The admin's list of evaluations: totals, search, filters, a bounded number of queries."""

import re

import pytest

from evaluations.models import Evaluation, Municipality

from .conftest import make_evaluation_like

LIST_URL = "/admin/evaluations/evaluation/"


def listed(response) -> list[str]:
    """The municipality and year of each row, in order."""
    html = response.content.decode()
    body = html[html.index('id="result_list"') :].split("</table>")[0]
    return [
        f"{name} {year}"
        for name, year in re.findall(
            r"field-municipality[^>]*><a [^>]*>([^<]+)</a>.*?field-year[^>]*>(\d+)<", body
        )
    ]


def test_the_list_shows_each_evaluations_version_status_and_total(editor_client, published_reports):
    Evaluation.objects.filter(year=2021).update(status=Evaluation.Status.DRAFT)
    html = editor_client.get(LIST_URL).content.decode()
    for name, version, status, total in (
        ("Kalix", "2010", "Publicerad", "415"),
        ("Luleå", "2016", "Publicerad", "575"),
        ("Lindesberg", "2020", "Utkast", "420"),
    ):
        row = html[html.index(f">{name}</a>") :].split("</tr>")[0]
        assert f'field-framework nowrap">{version}<' in row
        assert f'field-status">{status}<' in row
        assert f'field-total_points">{total}<' in row


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("luleå", ["Luleå 2018"]),
        ("LULEÅ", ["Luleå 2018"]),
        ("lulea", ["Luleå 2018"]),
        ("1885", ["Lindesberg 2021"]),
    ],
)
def test_search_by_municipality_name_or_code(editor_client, published_reports, query, expected):
    assert listed(editor_client.get(LIST_URL, {"q": query})) == expected


def test_filters_by_version_status_and_year(editor_client, published_reports):
    Evaluation.objects.filter(year=2012).update(status=Evaluation.Status.DRAFT)
    version_2016 = published_reports["lulea"].framework_id
    assert listed(editor_client.get(LIST_URL, {"framework__id__exact": version_2016})) == [
        "Luleå 2018"
    ]
    assert listed(editor_client.get(LIST_URL, {"status__exact": "draft"})) == ["Kalix 2012"]
    assert listed(editor_client.get(LIST_URL, {"year": "2021"})) == ["Lindesberg 2021"]


def test_the_list_can_be_sorted_by_total(editor_client, published_reports):
    columns = editor_client.get(LIST_URL).context["cl"].list_display
    by_total = f"o=-{columns.index('total_points')}"
    assert listed(editor_client.get(f"{LIST_URL}?{by_total}")) == [
        "Luleå 2018",
        "Lindesberg 2021",
        "Kalix 2012",
    ]


def test_the_list_query_count_does_not_grow_with_evaluations(
    editor_client, published_reports, django_assert_max_num_queries
):
    with django_assert_max_num_queries(20) as before:
        editor_client.get(LIST_URL)
    queries = len(before.captured_queries)
    lulea = published_reports["lulea"]
    for code in ("2581", "2582", "2583", "2584", "2560", "2505", "2506", "2510", "2513"):
        make_evaluation_like(lulea, municipality=Municipality.objects.get(code=code), year=2018)
    with django_assert_max_num_queries(queries):
        response = editor_client.get(LIST_URL)
    assert len(listed(response)) == 12
