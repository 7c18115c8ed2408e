"""comparisons.examples: searching strengths and highlighting the match, without HTTP."""

from comparisons.examples import clean_query, examples, highlight, search_points
from evaluations.models import AreaListItem, Evaluation


def found(query: str, **kwargs) -> list[tuple[str, str, int, str]]:
    return [
        (str(p.area_result.evaluation), p.get_kind_display(), p.area_result.area.number, p.text)
        for p in search_points(query=query, **kwargs)
    ]


def test_strengths_containing_the_phrase_in_any_case(published_reports):
    assert found("medborgarbudget") == [("Luleå 2018", "Styrka", 1, "Medborgarbudget i Råneå")]
    assert found("MEDBORGARDIALOG") == [
        ("Lindesberg 2021", "Styrka", 1, "Riktlinje för medborgardialog"),
        ("Luleå 2018", "Styrka", 1, "kommunövergripande strategi kring medborgardialoger"),
        ("Luleå 2018", "Styrka", 1, "Medborgardialoger"),
    ]


def test_swedish_letters_match_in_either_case(published_reports):
    assert found("öppna ks") == [("Lindesberg 2021", "Styrka", 1, "Öppna KS")]


def test_improvement_points_only_when_asked_for(published_reports):
    assert found("utveckla medborgardialogen") == []
    assert found("utveckla medborgardialogen", include_improvements=True) == [
        ("Luleå 2018", "Förbättringsmöjlighet", 1, "Utveckla medborgardialogen")
    ]


def test_drafts_are_not_searched(published_reports):
    Evaluation.objects.filter(municipality__slug="lulea").update(status=Evaluation.Status.DRAFT)
    assert found("medborgarbudget") == []


def test_regular_expression_characters_are_plain_text(published_reports):
    assert found("barn & unga") == [
        (
            "Lindesberg 2021",
            "Styrka",
            2,
            "Rikt föreningsliv, samverkansavtal finns i vissa fall. Fokus på barn & unga",
        )
    ]
    assert found(".*") == []
    assert found("(politik)", include_improvements=True)[0][3] == (
        "Använd Facebook till medborgarinformation (politik)"
    )


def test_highlight_marks_every_match_and_escapes_everything_else():
    assert highlight(text="<b>Medborgar</b>budget & medborgare", query="medborgar") == (
        "&lt;b&gt;<mark>Medborgar</mark>&lt;/b&gt;budget &amp; <mark>medborgar</mark>e"
    )
    assert highlight(text="Öppna KS", query="öppna") == "<mark>Öppna</mark> KS"
    assert highlight(text="a<b", query="<") == "a<mark>&lt;</mark>b"
    assert highlight(text="x & y", query="") == "x &amp; y"


def test_query_is_trimmed_and_shortened():
    assert clean_query("  medborgar \n budget ") == "medborgar budget"
    assert len(clean_query("x" * 500)) == 100


def test_examples_link_to_the_area_on_the_profile(published_reports):
    points = search_points(query="medborgarbudget")
    [example] = examples(points, query="medborgarbudget")
    assert example.url == "/kommun/lulea/2018/#omrade-1"
    assert example.highlighted == "<mark>Medborgarbudget</mark> i Råneå"


def test_search_is_one_query(published_reports, django_assert_num_queries):
    with django_assert_num_queries(1):
        points = list(search_points(query="medborgar", include_improvements=True))
    assert {p.kind for p in points} == {AreaListItem.Kind.STRENGTH, AreaListItem.Kind.IMPROVEMENT}
