"""comparisons.examples: searching strengths and texts and highlighting the match, without
HTTP."""

import pytest
from django.db import connection

from comparisons.examples import (
    clean_query,
    contains_pattern,
    examples,
    excerpt,
    highlight,
    mentions_containing,
    search,
)
from evaluations.models import AreaListItem, AreaResult, Evaluation

KINDS = {**dict(AreaListItem.Kind.choices), "text": "Text", "summary": "Sammanfattning"}


def found(query: str, **kwargs) -> list[tuple[str, str, int, str]]:
    return [
        (
            f"{row['hit_name']} {row['hit_year']}",
            KINDS[row["hit_kind"]],
            row["hit_area"],
            row["hit_text"],
        )
        for row in search(query=query, **kwargs)
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
    [example] = examples(search(query="medborgarbudget"), query="medborgarbudget")
    assert example.url == "/kommun/lulea/2018/#omrade-1"
    assert example.highlighted == ["<mark>Medborgarbudget</mark> i Råneå"]


def test_search_is_one_query(published_reports, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = list(search(query="medborgar", include_improvements=True, include_texts=True))
    assert {row["hit_kind"] for row in rows} == {"strength", "improvement", "text", "summary"}


def test_narrative_texts_only_when_asked_for_in_the_reports_order(published_reports):
    assert found("nyttorealiseringsmodell") == []
    [hit] = found("nyttorealiseringsmodell", include_texts=True)
    assert hit[:3] == ("Lindesberg 2021", "Text", 4)
    # Lindesberg 2021: the summary first, then area 8's text, then its strengths.
    hits = found("medarbetarskap", include_texts=True)
    assert [hit[1:3] for hit in hits] == [("Sammanfattning", 0), ("Text", 8)]


def test_a_text_shows_only_its_sentences_with_the_phrase(published_reports):
    [example] = examples(
        search(query="nyttorealiseringsmodell", include_texts=True),
        query="nyttorealiseringsmodell",
    )
    assert example.highlighted == [
        "Här kan man lära av varandra och använda någon form av "
        "<mark>nyttorealiseringsmodell</mark>."
    ]
    assert not example.more and example.url == "/kommun/lindesberg/2021/#omrade-4"
    summary = examples(search(query="medarbetarskap", include_texts=True), query="x")[0]
    assert summary.url == "/kommun/lindesberg/2021/#summary-heading"


def test_an_excerpt_keeps_at_most_three_sentences_and_says_there_were_more():
    # Test input.
    text = "Ett gott exempel. Ett gott exempel till. Ännu ett. Ett fjärde gott exempel."
    sentences, more = excerpt(text=text, query="gott exempel")
    assert sentences[-1] == "Ett fjärde gott exempel." and len(sentences) == 3 and not more
    sentences, more = excerpt(text=text + " Ett femte gott exempel.", query="gott exempel")
    assert len(sentences) == 3 and more
    # A phrase across a sentence's end: the words around it.
    assert excerpt(text="Slutet. Början av nästa.", query="slutet. början") == (
        ["Slutet. Början av nästa."],
        True,
    )


def test_drafts_texts_are_not_searched(published_reports):
    Evaluation.objects.filter(municipality__slug="lindesberg").update(
        status=Evaluation.Status.DRAFT
    )
    assert found("nyttorealiseringsmodell", include_texts=True) == []
    assert mentions_containing(query="medarbetarskap") == []


def test_mentions_whose_sentence_or_municipality_matches(published_reports):
    [by_sentence] = mentions_containing(query="medarbetarskap")
    assert by_sentence.mention.municipality.short_name == "Nässjö"
    assert "<mark>medarbetarskap</mark>" in by_sentence.highlighted
    [by_name] = mentions_containing(query="nässjö")
    assert by_name.mention == by_sentence.mention
    # "medborgardialog": one sentence of Lindesberg 2021 names three municipalities.
    assert [
        hit.mention.municipality.short_name for hit in mentions_containing(query="medborgardialog")
    ] == [
        "Piteå",
        "Sunne",
        "Ängelholm",
    ]


@pytest.mark.parametrize(
    ("model", "field", "index"),
    [
        (AreaListItem, "text", "arealistitem_text_trgm"),
        (AreaResult, "text", "arearesult_text_trgm"),
        (Evaluation, "summary", "evaluation_summary_trgm"),
    ],
)
def test_on_postgresql_the_search_lookup_is_served_by_a_trigram_index(
    published_reports, model, field, index
):
    # Without one every search reads every list item and text (0.6 s at 10,000 evaluations).
    # With sequential scans ruled out, a plan without the index would mean it is missing or
    # cannot serve the search's own lookup.
    if connection.vendor != "postgresql":
        pytest.skip("trigram indexes are PostgreSQL's")
    lookup = {f"{field}__iregex": contains_pattern("medborgardialog")}
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            plan = model.objects.filter(**lookup).order_by().values("pk").explain()
        finally:
            cursor.execute("RESET enable_seqscan")
    assert index in plan
