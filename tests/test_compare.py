import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluations.models import Evaluation, Municipality

from .conftest import make_evaluation_like


def area_row(html: str, label: str) -> list[str]:
    """The cells of the comparison table's row headed `label`."""
    row = html[html.index(f'<th scope="row">{label}</th>') :].split("</tr>")[0]
    return re.findall(r'<td class="num[^"]*">(?:<strong>)?([^<]*)', row)


def radar(html: str) -> dict:
    match = re.search(
        r'<script id="compare-radar-data" type="application/json">(.*?)</script>', html
    )
    return json.loads(match.group(1))


def test_two_municipalities_side_by_side_with_the_difference_to_the_first(
    client, published_reports
):
    response = client.get("/jamfor/?k=lulea&k=kalix")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Jämför kommuner: Luleå 2018, Kalix 2012" in html
    assert "Poäng per område (av 100) och skillnad mot Luleå 2018" in html
    assert area_row(html, "1 Offentlighet och demokrati") == ["79", "41", "−38"]
    assert area_row(html, "8 Kommunen som samhällsbyggare") == ["85", "61", "−24"]
    assert area_row(html, "Totalt (av 800)") == ["575", "415", "−160"]
    assert [trace["name"] for trace in radar(html)["data"]] == [
        "Luleå 2018 (version 2016)",
        "Kalix 2012 (version 2010)",
    ]
    assert 'href="/kommun/kalix/2012/"' in html


def test_mixed_versions_are_labelled_and_sub_questions_kept_apart(client, published_reports):
    html = client.get("/jamfor/?k=lulea&k=kalix").content.decode()
    assert "olika versioner av Kommunkompassen (2016, 2010) och är inte fullt jämförbara" in html
    assert 'Skillnad mot Luleå 2018 <span class="muted">(ej fullt jämförbar)</span>' in html
    # Area 7 changed its title in 2016; both are named.
    assert area_row(html, "7 Ständiga förbättringar / Verksamhetsutveckling") == ["65", "56", "−9"]
    version_2016 = html[html.index('id="delfragor-2016"') :].split("</table>")[0]
    version_2010 = html[html.index('id="delfragor-2010"') :].split("</table>")[0]
    assert "Finns en strategi för ständiga förbättringar?" in version_2016
    assert "Luleå 2018" in version_2016 and "Kalix 2012" not in version_2016
    assert "Hur beskrivs övergripande strategiskt kvalitetsarbete" in version_2010
    assert "Kalix 2012" in version_2010 and "Luleå 2018" not in version_2010


def test_same_version_sub_questions_line_up_in_one_table(client, six_evaluated):
    html = client.get("/jamfor/?k=lulea&k=pitea").content.decode()
    assert "gjorda enligt olika versioner" not in html
    assert html.count("<table") == 2  # the area table and one sub-question table
    table = html[html.index('id="delfragor-2016"') :].split("</table>")[0]
    assert "Luleå 2018" in table and "Piteå 2019" in table
    row = table[table.index("Finns en strategi för ständiga förbättringar?") :].split("</tr>")[0]
    assert re.findall(r'class="num"[^>]*>\s*([0-9,]+)\s*<', row) == ["15", "13,5", "13,5"]
    assert [t["name"] for t in radar(html)["data"]] == ["Luleå 2018", "Piteå 2019"]


def test_a_chosen_year_for_each_municipality(client, published_reports):
    make_evaluation_like(
        published_reports["kalix"], municipality=Municipality.objects.get(code="2580"), year=2015
    )
    html = client.get("/jamfor/?k=lulea:2015&k=lulea").content.decode()
    # The copy has no printed total, so its total is the sum of Kalix's areas, 413.
    # The last column: version 2010's mean without the compared, Kalix 2012 alone (415).
    assert area_row(html, "Totalt (av 800)") == ["413", "575", "+162", "415"]
    assert "Medel av 1 annan utvärdering, version 2010" in html
    assert '<option value="lulea:2015" selected>2015 (version 2010)</option>' in html
    assert '<option value="lulea" selected>2018 (version 2016) – senaste</option>' in html
    # Without JavaScript the chosen years are shown with their own button.
    assert '<button type="submit">Visa valda år</button>' in html
    assert "Visa valda år" not in client.get("/jamfor/?k=kalix&k=lindesberg").content.decode()


def test_the_mean_leaves_out_every_compared_evaluation(client, six_evaluated):
    # Luleå and Piteå are the version's only two: no others, so no mean, and a sentence.
    html = client.get("/jamfor/?k=lulea&k=pitea").content.decode()
    assert "Inget medelvärde visas: det finns inga andra publicerade utvärderingar enligt " in html
    assert [t["name"] for t in radar(html)["data"]] == ["Luleå 2018", "Piteå 2019"]
    # Luleå against Kalix: version 2016's others are Piteå alone.
    mixed = client.get("/jamfor/?k=lulea&k=kalix").content.decode()
    assert "Medel av 1 annan utvärdering, version 2016" in radar(mixed)["data"][-1]["name"]


def test_the_latest_year_written_out_is_the_same_as_the_slug_alone(client, published_reports):
    html = client.get("/jamfor/?k=lulea:2018&k=lulea&k=kalix").content.decode()
    assert [t["name"] for t in radar(html)["data"]] == [
        "Luleå 2018 (version 2016)",
        "Kalix 2012 (version 2010)",
    ]
    assert "http://testserver/jamfor/?k=lulea&amp;k=kalix" in html


def test_an_unknown_slug_or_year_is_named_on_the_page(client, published_reports):
    response = client.get("/jamfor/?k=lulea&k=xyz&k=kalix&k=kalix:2099")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Hittades inte: <strong>xyz</strong>, <strong>kalix:2099</strong>." in html
    assert area_row(html, "Totalt (av 800)") == ["575", "415", "−160"]


def test_malformed_keys_are_named_escaped(client, published_reports):
    html = client.get("/jamfor/", {"k": ["lulea", "<script>alert(1)</script>"]}).content.decode()
    assert "Hittades inte: <strong>&lt;script&gt;alert(1)&lt;/script&gt;</strong>" in html
    assert "<script>alert" not in html


def test_a_municipality_without_a_published_evaluation_is_named(client, published_reports):
    Evaluation.objects.filter(municipality__slug="kalix").update(status=Evaluation.Status.DRAFT)
    html = client.get("/jamfor/?k=lulea&k=kalix&k=habo").content.decode()
    assert "Ingen publicerad utvärdering: <strong>Kalix</strong>, <strong>Habo</strong>." in html
    assert "Välj minst en kommun till för att jämföra." in html
    assert "compare-radar-data" not in html


def test_more_than_six_are_refused_with_a_message(client, six_evaluated, django_assert_num_queries):
    url = "/jamfor/?" + "&".join(f"k={slug}" for slug in [*six_evaluated, "habo"])
    with django_assert_num_queries(1):  # the data version, read by the page cache
        response = client.get(url)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Du valde 7 kommuner. Högst 6 kan jämföras åt gången." in html
    first_six = "&amp;".join(f"k={slug}" for slug in six_evaluated)
    assert f'href="/jamfor/?{first_six}">Jämför de 6 första</a>' in html


def test_six_are_compared_and_the_picker_then_refuses_more(client, six_evaluated):
    html = client.get("/jamfor/?" + "&".join(f"k={s}" for s in six_evaluated)).content.decode()
    assert len(radar(html)["data"]) == 6
    assert 'name="lagg_till"' not in html
    assert "Högst 6 kommuner kan jämföras; ta bort någon för att lägga till en annan." in html


def test_the_empty_page_explains_and_offers_the_picker(client, published_reports):
    response = client.get("/jamfor/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Välj 2 till 6 kommuner" in html
    assert '<input type="text" id="lagg-till" name="lagg_till"' in html
    assert 'data-picker-url="/jamfor/kommuner.json"' in html


def test_picker_without_javascript_adds_an_unambiguous_name(client, published_reports):
    response = client.get("/jamfor/?k=lulea&lagg_till=Kalix")  # not Överkalix
    assert (response.status_code, response["Location"]) == (302, "/jamfor/?k=lulea&k=kalix")
    response = client.get("/jamfor/?lagg_till=2580")
    assert response["Location"] == "/jamfor/?k=lulea"
    response = client.get("/jamfor/?k=lulea&k=kalix&lagg_till=+")
    assert response["Location"] == "/jamfor/?k=lulea&k=kalix"


def test_picker_without_javascript_offers_a_choice_when_ambiguous(client, published_reports):
    make_evaluation_like(
        published_reports["kalix"], municipality=Municipality.objects.get(code="0643"), year=2013
    )
    html = client.get("/jamfor/?k=lulea&lagg_till=habo").content.decode()
    assert "Vilken kommun menade du med ”habo”?" in html
    assert '<a href="/jamfor/?k=lulea&amp;k=habo">Lägg till Habo</a>' in html
    assert "Håbo (Uppsala, 0305) – ingen publicerad utvärdering" in html
    assert 'value="habo"' in html  # the typed text stays in the field


def test_picker_without_javascript_says_when_nothing_matches(client, published_reports):
    html = client.get("/jamfor/?k=lulea&lagg_till=zzz").content.decode()
    assert "Ingen kommun matchar ”zzz”" in html


def test_similar_municipalities_are_offered_beside_the_comparison(client, six_evaluated):
    html = client.get("/jamfor/?k=lulea&k=kalix").content.decode()
    similar = html[html.index('id="similar-heading"') :].split("</section>")[0]
    assert "Piteå 2019" in similar
    assert (
        '<a href="/jamfor/?k=lulea&amp;k=kalix&amp;k=pitea">Lägg till Piteå i jämförelsen</a>'
        in (similar)
    )
    assert "Kalix 2012" not in similar and ">Luleå" not in similar


@pytest.mark.parametrize(
    "query",
    [
        "k=" + "a" * 5000,
        "k=lulea:99999&k=kalix:0",
        "k=%C3%A5%C3%A4%C3%B6&k=LULEA",
        "k=lulea&lagg_till=" + "x" * 500,
        "k=:&k=-&k=lulea::2018",
    ],
)
def test_bad_input_never_gives_a_server_error(client, published_reports, query):
    assert client.get(f"/jamfor/?{query}").status_code in (200, 302)


def test_names_as_typed_and_codes_lead_to_the_address_of_slugs(client, published_reports):
    response = client.get("/jamfor/?k=LULEÅ&k=2514:2012&k=lulea")
    assert response.status_code == 302
    assert response["Location"] == "/jamfor/?k=lulea&k=kalix:2012"


def test_slugs_are_case_insensitive(client, published_reports):
    html = client.get("/jamfor/?k=LULEA&k=Kalix", follow=True).content.decode()
    assert area_row(html, "Totalt (av 800)") == ["575", "415", "−160"]


def test_query_count_is_bounded_for_six_municipalities(
    client, six_evaluated, django_assert_max_num_queries
):
    with CaptureQueriesContext(connection) as two:
        client.get("/jamfor/?k=lulea&k=kalix")
    with django_assert_max_num_queries(len(two.captured_queries)):
        response = client.get("/jamfor/?" + "&".join(f"k={s}" for s in six_evaluated))
    assert len(radar(response.content.decode())["data"]) == 6
    assert len(two.captured_queries) <= 10  # the mean of the first one's version adds two
