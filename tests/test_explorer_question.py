"""One question across the country: /delfragor/<version>/<code>/."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluations import dataversion
from evaluations.models import Evaluation, Municipality, QuestionScore

from .conftest import make_evaluation_like

pytestmark = pytest.mark.django_db


def ranking(response) -> list[tuple[str, ...]]:
    """The ranking table's body cells as text, row by row."""
    html = response.content.decode()
    body = html.split('id="rankning"', 1)[1].split("<tbody", 1)[1].split("</tbody>", 1)[0]
    return [
        tuple(
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        )
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


@pytest.fixture
def lulea_and_two_copies(published_reports):
    """Luleå 2018 and its real figures as Piteå 2019 and Boden 2019 (all version 2016)."""
    for code in ("2581", "2582"):
        make_evaluation_like(
            published_reports["lulea"], municipality=Municipality.objects.get(code=code), year=2019
        )
    return published_reports


def test_a_code_in_the_explorer_leads_to_the_question_page(client, published_reports):
    html = client.get("/delfragor/", {"kod": "1.4", "version": "2010"}).content.decode()
    assert 'href="/delfragor/2010/1.4/"' in html
    response = client.get("/delfragor/2010/1.4/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>1.4 Hur främjas medborgardialog och deltagande</h1>" in page
    assert "område 1 Offentlighet och demokrati" in page
    # Kalix is alone: no mean, and no "±0" against a mean of itself.
    assert ranking(response) == [("1", "Kalix", "Norrbotten", "2012", "12", "40\u00a0%", "–")]
    assert '<strong class="total">–</strong> (n = 1 utvärdering)' in page
    assert "Bara en publicerad utvärdering har poäng på delfrågan." in page


def test_every_evaluation_is_ranked_with_the_versions_mean(client, lulea_and_two_copies):
    response = client.get("/delfragor/2016/1.5/")
    html = response.content.decode()
    # Three evaluations with Luleå's real 9.5: a three-way tie for first place, mean 9.5.
    assert ranking(response) == [
        ("1", "Boden", "Norrbotten", "2019", "9,5", "95\u00a0%", "±0"),
        ("1", "Luleå", "Norrbotten", "2018", "9,5", "95\u00a0%", "±0"),
        ("1", "Piteå", "Norrbotten", "2019", "9,5", "95\u00a0%", "±0"),
    ]
    assert "Medelvärde, version 2016" in html
    assert '<strong class="total">9,5</strong> (n = 3 utvärderingar)' in html
    assert "Skillnad mot medel av de 2 andra" in html
    assert "<caption>Poäng på delfråga 1.5, version 2016, rankade</caption>" in html
    assert '<a href="/kommun/lulea/">Luleå</a>' in html


def test_the_ranking_sorts_by_any_column(client, lulea_and_two_copies):
    by_name_descending = ranking(client.get("/delfragor/2016/1.5/", {"sortera": "-kommun"}))
    assert [row[1] for row in by_name_descending] == ["Piteå", "Luleå", "Boden"]
    by_year = ranking(client.get("/delfragor/2016/1.5/", {"sortera": "ar"}))
    assert [row[3] for row in by_year] == ["2018", "2019", "2019"]


def test_the_default_order_is_the_databases_ranking(client, lulea_and_two_copies):
    # Piteå a point lower and Boden two: the default order comes from the ranking cached per
    # data version, `sortera` from the database; they agree.
    for code, points in (("2581", "8.5"), ("2582", "7.5")):
        QuestionScore.objects.filter(
            evaluation__municipality__code=code,
            question__code="1.5",
            question__area__framework__code="2016",
        ).update(points=Decimal(points))
    dataversion.bump()
    default = ranking(client.get("/delfragor/2016/1.5/"))
    assert [(row[0], row[1]) for row in default] == [("1", "Luleå"), ("2", "Piteå"), ("3", "Boden")]
    assert ranking(client.get("/delfragor/2016/1.5/", {"sortera": "plats"})) == default


def test_drafts_are_not_ranked_nor_in_the_mean(client, lulea_and_two_copies):
    Evaluation.objects.filter(municipality__code="2582").update(status=Evaluation.Status.DRAFT)
    response = client.get("/delfragor/2016/1.5/")
    assert [row[1] for row in ranking(response)] == ["Luleå", "Piteå"]
    assert "(n = 2 utvärderingar)" in response.content.decode()


def test_the_same_code_in_other_versions_is_linked_and_labelled(client, published_reports):
    # 2.3 changed from 2010 to 2016 (15 points, then 20) and is another question in 2020.
    html = client.get("/delfragor/2016/2.3/").content.decode()
    assert "Samma kod i andra versioner (andra delfrågor, inte fullt jämförbara)" in html
    assert (
        '<a href="/delfragor/2010/2.3/">version 2010: 2.3 Hur Informerar kommunen om service '
        "och tjänster?</a>" in html
    )
    assert '<a href="/delfragor/2020/2.3/">version 2020: 2.3 Ekologisk hållbarhet</a>' in html


def test_the_question_page_offers_its_rows_for_download(client, published_reports):
    html = client.get("/delfragor/2016/1.4/").content.decode()
    assert 'href="/delfragor/delfragor.csv?version=2016&amp;kod=1.4" download' in html
    assert 'href="/delfragor/delfragor.xlsx?version=2016&amp;kod=1.4" download' in html
    assert 'href="/delfragor/?version=2016&amp;kod=1.4"' in html


def test_a_question_without_published_scores_says_so(client, published_reports):
    Evaluation.objects.filter(municipality__slug="lindesberg").update(
        status=Evaluation.Status.DRAFT
    )
    response = client.get("/delfragor/2020/1.3/")
    assert response.status_code == 200
    assert "Ingen publicerad utvärdering har poäng på den här delfrågan ännu." in (
        response.content.decode()
    )


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/delfragor/2016/9.9/", "Det finns ingen delfråga med koden ”9.9” i version ”2016”"),
        ("/delfragor/1999/1.4/", "Det finns ingen delfråga med koden ”1.4” i version ”1999”"),
        ("/delfragor/2020/8.7/", "Det finns ingen delfråga med koden ”8.7” i version ”2020”"),
        (
            "/delfragor/2016/%3Cscript%3E/",
            "Det finns ingen delfråga med koden ”&lt;script&gt;” i version ”2016”",
        ),
    ],
)
def test_an_unknown_version_or_code_is_a_404_with_a_message(
    client, published_reports, url, message
):
    response = client.get(url)
    assert response.status_code == 404
    html = response.content.decode()
    assert message in html
    assert 'href="/delfragor/"' in html


def test_query_count_does_not_grow_with_the_rows(client, published_reports):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/delfragor/2016/1.5/").status_code == 200
        return len(captured)

    few = queries()
    for municipality in Municipality.objects.filter(county__code="25").exclude(
        evaluations__isnull=False
    )[:5]:
        make_evaluation_like(published_reports["lulea"], municipality=municipality, year=2019)
    # The question, its successors, the other versions' same code, and per version kept (2016,
    # 2010) the sums and the scores, and the count for the pages of each; the data version.
    assert queries() == few <= 10


def test_a_question_the_framework_kept_lists_both_versions_scores(client, published_reports):
    # 1.4 "Hur främjas medborgardialog och deltagande" (2010) became "Hur främjas
    # invånardialog och deltagande?" (2016): the same question, reworded.
    response = client.get("/delfragor/2016/1.4/")
    html = response.content.decode()
    assert "Ramverket behöll delfrågan mellan versionerna: i version 2010 är den 1.4" in html
    assert "(omformulerad, samma innebörd)" in html
    assert "Samma delfråga i version 2010" in html
    kalix = html.split('id="rankning-2010"', 1)[1].split("</tbody>", 1)[0]
    assert "Kalix" in kalix and ">12<" in kalix
    assert ranking(response)[0][1] == "Luleå"  # the version's own ranking comes first
    # The 2020 question with the same code is another question: listed, not lined up.
    assert '<a href="/delfragor/2020/1.4/">version 2020: 1.4 Transparens kring resultat</a>' in html
    assert 'id="rankning-2020"' not in html
    back = client.get("/delfragor/2010/1.4/").content.decode()
    assert "i version 2016 är den 1.4" in back and 'id="rankning-2016"' in back


def test_a_question_the_framework_changed_is_not_lined_up(client, published_reports):
    html = client.get("/delfragor/2016/2.3/").content.decode()
    assert "Ramverket behöll" not in html and "Samma delfråga i version" not in html
    assert "Samma kod i andra versioner (andra delfrågor, inte fullt jämförbara)" in html
