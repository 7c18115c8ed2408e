import re

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluations.models import Evaluation, Municipality

from .conftest import make_evaluation_like

pytestmark = pytest.mark.django_db

URL = "/delfragor/"
KALIX_GROUP = (
    "10 Kommuner i glesbefolkad region Kommun med mindre än 300 000 personer inom en radie på "
    "112,5 km"
)


def rows(response) -> list:
    """The records on the page, in the order shown."""
    return [row.record for row in response.context["table"].page.object_list]


def html_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_shows_every_published_score_with_a_count_and_pages(client, published_reports):
    response = client.get(URL)
    html = html_of(response)
    assert "<h1>Delfrågor</h1>" in html
    assert "125 delfrågepoäng hittades</strong>, sida 1 av 3" in html
    assert len(rows(response)) == 50
    assert len(rows(client.get(URL, {"sida": 3}))) == 25
    assert "<caption>Delfrågepoäng i publicerade utvärderingar</caption>" in html
    assert 'aria-current="page"' in html


def test_a_row_links_the_municipality_and_the_question(client, published_reports):
    html = html_of(client.get(URL, {"kommun": "lulea", "kod": "1.5"}))
    assert "1 delfrågepoäng hittades" in html
    cells = re.findall(r"<td[^>]*>(.*?)</td>", html, re.S)
    assert [re.sub(r"<[^>]+>", "", cell).strip() for cell in cells] == [
        "Luleå",
        "Norrbotten",
        "2018",
        "2016",
        "1",
        "1.5 – alla kommuners poäng",
        "Etik - Hur skapas tillit genom god etik?",
        "9,5",  # printed 10 of 10 but 95 %
        "10",
        "95\u00a0%",
    ]
    assert '<a href="/kommun/lulea/">Luleå</a>' in html
    assert '<a href="/delfragor/2016/1.5/">1.5<span class="visually-hidden">' in html


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ({"q": "dialog"}, 3),
        ({"version": "2020"}, 35),
        ({"omrade": "7"}, 14),
        ({"kod": "1.4"}, 3),
        ({"kommun": "kalix"}, 45),
        ({"lan": "25"}, 90),
        ({"ar_fran": "2013", "ar_till": "2020"}, 45),
        ({"procent_fran": "90"}, 9),
        ({"procent_till": "30"}, 12),
        ({"lan": "25", "omrade": "1", "procent_fran": "70"}, 6),
        # Only Kalix 2012's report gives its kommungrupp in its Kortfakta.
        ({"kommungrupp": KALIX_GROUP}, 45),
    ],
)
def test_each_filter_is_a_url_parameter(client, published_reports, query, count):
    response = client.get(URL, query)
    html = html_of(response)
    assert response.context["table"].paginator.count == count
    assert f"{count} delfrågepoäng hittades" in html
    for value in query.values():
        assert f'value="{value}"' in html  # the form shows the filter in use


def test_empty_form_fields_are_dropped_from_the_url(client, published_reports):
    response = client.get(URL, {"q": "", "version": "2016", "kod": "", "sortera": "-procent"})
    assert response.status_code == 302
    assert response["Location"] == "/delfragor/?version=2016&sortera=-procent"
    assert client.get(URL, {"q": " "})["Location"] == URL


@pytest.mark.parametrize(
    ("sort", "key"),
    [
        ("kommun", lambda s: s.evaluation.municipality.short_name),
        ("lan", lambda s: s.evaluation.municipality.county.short_name),
        ("ar", lambda s: s.evaluation.year),
        ("version", lambda s: s.evaluation.framework.year),
        ("omrade", lambda s: s.question.area.number),
        ("kod", lambda s: s.question.code),
        ("delfraga", lambda s: s.question.text),
        ("poang", lambda s: s.points),
        ("maxpoang", lambda s: s.question.max_points),
        ("procent", lambda s: s.procent),
    ],
)
def test_every_column_sorts_both_ways_and_pages_do_not_overlap(
    client, published_reports, sort, key
):
    for prefix, reverse in (("", False), ("-", True)):
        pages = [rows(client.get(URL, {"sortera": prefix + sort, "sida": n})) for n in (1, 2, 3)]
        shown = [score for page in pages for score in page]
        assert len({score.pk for score in shown}) == 125
        values = [key(score) for score in shown]
        assert values == sorted(values, reverse=reverse)


def test_the_sorted_column_is_marked_and_sorting_keeps_the_filters(client, published_reports):
    response = client.get(URL, {"version": "2016", "sortera": "-procent"})
    html = html_of(response)
    assert re.search(
        r'aria-sort="descending">\s*'
        r'<a href="\?version=2016&amp;sortera=procent#poang"'
        r' aria-label="Procent, sortera">Procent<',
        html,
    )
    assert html.count("aria-sort=") == 1
    assert '<input type="hidden" name="sortera" value="-procent">' in html
    first = rows(response)[0]
    assert (first.question.code, first.procent) == ("5.6", 100)  # Luleå's only full marks


def test_downloads_carry_the_filters_and_the_sort_but_not_the_page(client, published_reports):
    html = html_of(client.get(URL, {"version": "2016", "sortera": "-procent", "sida": "2"}))
    assert 'href="/delfragor/delfragor.csv?version=2016&amp;sortera=-procent" download' in html
    assert 'href="/delfragor/delfragor.xlsx?version=2016&amp;sortera=-procent" download' in html


def test_results_from_several_versions_carry_a_warning(client, published_reports):
    html = html_of(client.get(URL, {"kod": "1.4"}))
    assert "Resultatet innehåller poäng från versionerna 2010, 2016, 2020." in html
    html = html_of(client.get(URL, {"kod": "1.4", "version": "2016"}))
    assert "Resultatet innehåller poäng från versionerna" not in html
    assert "inte fullt jämförbara" in html


def test_drafts_are_not_shown_nor_offered(client, published_reports):
    Evaluation.objects.filter(municipality__slug="kalix").update(status=Evaluation.Status.DRAFT)
    html = html_of(client.get(URL))
    assert "80 delfrågepoäng hittades" in html
    assert '<option value="kalix"' not in html
    assert '<option value="lulea"' in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"ar_fran": "tjugo"}, "År från: Fyll i ett heltal."),
        ({"procent_till": "500"}, "Procent till: Kontrollera att detta värde är mindre än"),
        ({"kod": "9.9"}, "Kod: Välj ett giltigt alternativ. 9.9 finns inte"),
        ({"version": "1999"}, "Version: Välj ett giltigt alternativ."),
        ({"ar_fran": "2021", "ar_till": "2012"}, "År till: ”År från” är senare än ”År till”."),
    ],
)
def test_bad_input_shows_a_message_and_no_rows(client, published_reports, query, message):
    response = client.get(URL, query)
    html = html_of(response)
    assert 'role="alert"' in html
    assert message in html
    assert 'aria-invalid="true"' in html
    assert rows(response) == []
    assert "Inga delfrågepoäng matchar filtren." in html
    assert "hittades" not in html
    assert "delfragor.csv" not in html


@pytest.mark.parametrize(
    "query",
    [{"sida": "abc"}, {"sida": "999"}, {"sortera": "finns-inte"}, {"omrade": "<script>"}],
)
def test_odd_parameters_never_fail(client, published_reports, query):
    response = client.get(URL, query)
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("<main", 1)[1]


def test_the_filter_form_is_labelled_and_offers_the_choices(client, published_reports):
    html = html_of(client.get(URL))
    for name, label in [
        ("q", "Sök i delfrågan"),
        ("version", "Version"),
        ("omrade", "Område"),
        ("kod", "Kod"),
        ("kommun", "Kommun"),
        ("lan", "Län"),
        ("ar_fran", "År från"),
        ("ar_till", "År till"),
        ("procent_fran", "Procent från"),
        ("procent_till", "Procent till"),
    ]:
        assert f'<label for="id_{name}">{label}</label>' in html
    assert '<option value="2016">2016</option>' in html
    assert '<option value="25">Norrbottens län</option>' in html
    assert '<option value="7">7 Verksamhetsutveckling / Ständiga förbättringar / Arbetsliv' in html


def test_the_nav_links_the_explorer(client, published_reports):
    assert '<a href="/delfragor/">Delfrågor</a>' in html_of(client.get("/"))


def test_query_count_does_not_grow_with_the_rows(
    client, published_reports, django_assert_max_num_queries
):
    every_filter = {
        "q": "dialog",
        "version": "2016",
        "omrade": "1",
        "kod": "1.4",
        "kommun": "lulea",
        "lan": "25",
        "ar_fran": "2010",
        "ar_till": "2030",
        "procent_fran": "10",
        "procent_till": "100",
        "sortera": "-procent",
        "sida": "1",
    }

    def queries(query: dict) -> int:
        # The page rendered from the data, not its stored copy (make_evaluation_like adds
        # rows without raising the data version the figures are cached under).
        caches["default"].clear()
        caches["figures"].clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL, query).status_code == 200
        return len(captured)

    few = [queries({}), queries(every_filter)]
    for index, municipality in enumerate(
        Municipality.objects.exclude(evaluations__isnull=False).order_by("code")[:9]
    ):
        source = list(published_reports.values())[index % 3]
        make_evaluation_like(source, municipality=municipality, year=source.year + 1)
    assert client.get(URL).context["table"].paginator.count == 4 * 125
    assert [queries({}), queries(every_filter)] == few
    caches["default"].clear()
    caches["figures"].clear()
    # The kommungrupp choices add one, and the page cache reads the data version first.
    with django_assert_max_num_queries(13):
        client.get(URL, every_filter)
