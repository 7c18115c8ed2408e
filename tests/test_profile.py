import re

import pytest
from django.contrib.auth.models import Permission, User

from evaluations import dataversion
from evaluations.models import Evaluation, Municipality, ReferenceMean, ReferenceMeanArea

from .conftest import EDITOR, make_areas_like, make_evaluation_like


def municipality(code: str) -> Municipality:
    return Municipality.objects.get(code=code)


@pytest.fixture
def lulea_with_history(published_reports):
    """Luleå 2018 with an earlier evaluation of the same version, and Piteå in that version.

    The extra evaluations carry Luleå 2018's real figures (see make_evaluation_like)."""
    lulea = published_reports["lulea"]
    make_evaluation_like(lulea, municipality=municipality("2580"), year=2016)
    make_evaluation_like(lulea, municipality=municipality("2581"), year=2019)
    return lulea


def test_profile_shows_the_latest_published_evaluation(client, published_reports):
    response = client.get("/kommun/lulea/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Luleå kommun</h1>" in html
    assert "Norrbottens län" in html
    assert "oktober 2018" in html
    assert "kommunens andra" in html
    assert '<strong class="total">575</strong> av 800' in html
    assert "version 2016" in html.lower() or ">2016<" in html


def test_profile_shows_area_texts_strengths_improvements_and_questions(client, published_reports):
    html = client.get("/kommun/lulea/").content.decode()
    assert "Område 2: Tillgänglighet och brukarorientering" in html
    assert "<li>Informativ hemsida</li>" in html
    assert "<li>Kommungemensam utbildning kring bemötande och tillgänglighet</li>" in html
    assert "Kommunens gemensamma kundtjänst har en viktig roll" in html
    assert "Finns en strategi för ständiga förbättringar?" in html
    assert ">9,5<" in html  # 1.5, stored from the percent column
    assert "Utvärderare: Ulrika Elming" in html


def test_a_given_year_and_the_municipality_code(client, published_reports):
    assert client.get("/kommun/kalix/2012/").status_code == 200
    assert client.get("/kommun/kalix/2013/").status_code == 404
    response = client.get("/kommun/2580/")
    assert (response.status_code, response["Location"]) == (301, "/kommun/lulea/")


def test_a_code_or_a_name_as_typed_redirects_to_the_slug(client, published_reports):
    for typed, address in (
        ("/kommun/Lule%C3%A5/", "/kommun/lulea/"),
        ("/kommun/2580/2018/", "/kommun/lulea/2018/"),
        ("/kommun/LULEA/2018/", "/kommun/lulea/2018/"),
    ):
        response = client.get(typed)
        assert (response.status_code, response["Location"]) == (301, address), typed
    assert client.get("/kommun/Atlantis/").status_code == 404
    assert client.get("/kommun/9999/2018/").status_code == 404


def test_drafts_are_hidden(client, published_reports):
    Evaluation.objects.filter(municipality__code="2514").update(status=Evaluation.Status.DRAFT)
    assert client.get("/kommun/kalix/").status_code == 404
    assert client.get("/kommun/kalix/2012/").status_code == 404


def test_unknown_and_unevaluated_municipalities_are_404(client, published_reports):
    assert client.get("/kommun/atlantis/").status_code == 404
    response = client.get("/kommun/stockholm/")
    assert response.status_code == 404
    assert "ingen publicerad Kommunkompassen-utvärdering" in response.content.decode()


def test_previous_evaluation_and_mean_appear_with_changes(client, lulea_with_history):
    html = client.get("/kommun/lulea/").content.decode()
    assert "Förändring sedan 2016" in html
    # Luleå 2016 and Piteå 2019: the others, not Luleå 2018 itself.
    assert "Medel av 2 andra utvärderingar, version 2016" in html
    assert 'href="/kommun/lulea/2016/"' in html


def area_table(html: str) -> str:
    return html[html.index('id="area-table"') :].split("</table>")[0]


def test_the_mean_leaves_the_municipality_itself_out_and_says_how_many(client, published_reports):
    lulea = published_reports["lulea"]
    # Kalix 2012's printed area scores as a version-2016 evaluation of Piteå: the one other.
    make_areas_like(
        published_reports["kalix"],
        framework=lulea.framework,
        municipality=municipality("2581"),
        year=2019,
    )
    table = area_table(client.get("/kommun/lulea/").content.decode())
    assert "Medel av 1 annan utvärdering, version 2016" in table
    # Area 1: Luleå 79 against Kalix's 41: +38, not +19 against a mean that includes Luleå.
    row = table[table.index("1 Offentlighet och demokrati") :].split("</tr>")[0]
    assert re.findall(r'<td class="num"[^>]*>([^<]*)</td>', row) == ["79", "41", "+38"]


def test_the_area_table_ends_with_the_total(client, published_reports):
    table = area_table(client.get("/kommun/kalix/").content.decode())
    footer = table[table.index("<tfoot>") :]
    assert "Totalt (av 800)" in footer
    assert "<strong>415</strong>" in footer  # the report's printed total (areas sum to 413)


def test_the_draft_preview_shows_the_mean_the_public_page_will_show(
    client, published_reports, staff_client_factory
):
    kalix = published_reports["kalix"]
    make_evaluation_like(kalix, municipality=municipality("2581"), year=2013)
    draft = make_areas_like(
        published_reports["lulea"],
        framework=kalix.framework,
        municipality=municipality("2582"),
        year=2014,
        status=Evaluation.Status.DRAFT,
    )
    preview = staff_client_factory("anna", groups=(EDITOR,)).get(f"/forhandsvisning/{draft.pk}/")
    preview_table = area_table(preview.content.decode())
    assert "Medel av 2 andra utvärderingar, version 2010" in preview_table
    Evaluation.objects.filter(pk=draft.pk).update(status=Evaluation.Status.PUBLISHED)
    dataversion.bump()  # QuerySet.update sends no signal: code that writes so raises it itself
    public_table = area_table(client.get("/kommun/boden/").content.decode())
    assert public_table.replace("Boden 2014", "") == preview_table.replace("Boden 2014", "")


def test_sub_question_means_are_of_the_others_with_n(client, published_reports):
    lulea = published_reports["lulea"]
    html = client.get("/kommun/lulea/").content.decode()
    questions = html[html.index('id="delfragor"') :].split("</table>")[0]
    assert "Medel av andra" in questions and "n = " not in questions
    assert ">9,5<" in questions and ">–<" in questions  # alone: a dash, never its own 9,5
    make_evaluation_like(lulea, municipality=municipality("2581"), year=2019)
    html = client.get("/kommun/lulea/").content.decode()
    questions = html[html.index('id="delfragor"') :].split("</table>")[0]
    assert "Medel av 1 annan utvärdering, version 2016" in questions


def test_a_previous_evaluation_of_another_version_names_the_areas_that_differ(
    client, published_reports
):
    # Luleå 2018's real figures as a Lindesberg 2018 (version 2016) before Lindesberg 2021 (2020).
    make_evaluation_like(published_reports["lulea"], municipality=municipality("1885"), year=2018)
    html = client.get("/kommun/lindesberg/").content.decode()
    assert "Lindesberg 2018 (ej fullt jämförbar, version 2016)" in html
    assert "version 2016 och är inte fullt jämförbar; förändringar per område visas" in html
    assert (
        "Område 1, 2, 3, 4, 5, 6, 7, 8 hade andra rubriker och frågor i version 2016; den serien "
        "ritas ändå efter områdets nummer." in html
    )


def test_missing_previous_evaluation_is_explained_not_drawn(client, published_reports):
    html = client.get("/kommun/lulea/").content.decode()
    assert "Den föregående utvärderingen (2015) finns inte i Kompass" in html
    assert "Inget medelvärde visas: det finns inga andra publicerade utvärderingar enligt " in html
    assert "Medel av" not in area_table(html)


def test_visitor_can_choose_an_official_reference_mean(client, lulea_with_history):
    reference = ReferenceMean.objects.create(
        name="Alla utvärderingar sedan 2010", framework=lulea_with_history.framework, n=33
    )
    for area in lulea_with_history.framework.areas.all():
        ReferenceMeanArea.objects.create(reference=reference, area=area, points=60)
    html = client.get("/kommun/lulea/").content.decode()
    assert f'value="ref-{reference.pk}"' in html
    chosen = client.get("/kommun/lulea/", {"medel": f"ref-{reference.pk}"}).content.decode()
    assert "Alla utvärderingar sedan 2010 (n = 33)" in chosen
    unknown = client.get("/kommun/lulea/", {"medel": "ref-99999"})
    assert unknown.status_code == 200
    assert "Det valda medelvärdet finns inte" in unknown.content.decode()


def test_sub_question_table_sorts_and_ignores_a_bad_sort(client, published_reports):
    html = client.get("/kommun/lulea/", {"sortera": "-points"}).content.decode()
    table = html[html.index('id="delfragor"') :]
    assert table.index(">5.6<") < table.index(">4.2<")  # 10 points before 4.5
    assert client.get("/kommun/lulea/", {"sortera": "nonsense"}).status_code == 200


def test_preview_shows_a_draft_to_staff_only(client, published_reports):
    draft = published_reports["kalix"]
    draft.status = Evaluation.Status.DRAFT
    draft.save()
    url = f"/forhandsvisning/{draft.pk}/"
    assert client.get(url).status_code == 302  # anonymous: to the login page
    visitor = User.objects.create_user("besokare", password="x")
    client.force_login(visitor)
    assert client.get(url).status_code == 404
    staff = User.objects.create_user("redaktor", password="x", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_evaluation"))
    client.force_login(staff)
    response = client.get(url)
    assert response.status_code == 200
    assert "Utvärderingen är ett utkast" in response.content.decode()


def test_profile_query_count_does_not_grow_with_evaluations(
    client, lulea_with_history, django_assert_max_num_queries
):
    with django_assert_max_num_queries(22) as before:  # the page cache reads the data version first
        client.get("/kommun/lulea/")
    for code in ("2582", "2583", "2584", "2560", "2505"):
        make_evaluation_like(lulea_with_history, municipality=municipality(code), year=2017)
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get("/kommun/lulea/")


def test_the_profile_explains_figures_the_report_disagrees_on(client, published_reports):
    html = client.get("/kommun/kalix/").content.decode()
    notes = html[html.index('id="om-siffrorna"') :].split("</section>")[0]
    assert "<h2" in notes and "Om siffrorna" in notes
    assert "Totalpoängen 415 är den som rapportens text anger." in notes
    assert "1.1: tryckt 5, 35 %, visas 5,3" in notes
    # The total row points to the note and gives the areas' sum.
    footer = area_table(html)[area_table(html).index("<tfoot>") :]
    assert '<a href="#om-siffrorna" class="footnote-link">områdena: 413</a>' in footer
    lindesberg = client.get("/kommun/lindesberg/").content.decode()
    assert "Rapporten är daterad 11 maj 2020, före utvärderingen" in lindesberg
    # Staff-only import warnings are not on the public page.
    assert "heuristiskt" not in lindesberg


def test_the_profile_names_the_kommungrupp_where_the_report_gives_it(client, published_reports):
    kalix = client.get("/kommun/kalix/").content.decode()
    assert "<dt>Kommungrupp (enligt rapportens Kortfakta)</dt>" in kalix
    assert "<dd>10 Kommuner i glesbefolkad region Kommun med mindre än 300 000" in kalix
    # Luleå 2018's report has no Kortfakta: nothing is made up.
    assert "Kommungrupp" not in client.get("/kommun/lulea/").content.decode()
