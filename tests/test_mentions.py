"""evaluations.mentions: good examples the reports recommend, on the real reports' sentences.

Sentences are quoted verbatim from the reports in evaluations/data/reports/ unless marked
"test input" (a constructed sentence for a case the real reports do not have)."""

import csv
from io import StringIO

import pytest
from django.core.management import call_command

from evaluations import dataversion, mentions
from evaluations.mentions import Passage, find_mentions, sentences
from evaluations.models import AreaResult, Evaluation, GoodExampleMention

from .conftest import DATA_DIR, form_data, import_reports

with open(DATA_DIR / "municipalities.csv", encoding="utf-8") as file:
    MUNICIPALITIES = [
        (row["municipality_code"], row["municipality_name_short"]) for row in csv.DictReader(file)
    ]
CODES = {name: code for code, name in MUNICIPALITIES}
LINDESBERG, LULEA = CODES["Lindesberg"], CODES["Luleå"]


def named(text: str, *, own: str = LINDESBERG, part: str = "area_text") -> list[str]:
    """The municipalities `text` recommends, by name, as the evaluators of `own` wrote it."""
    found = find_mentions(
        passages=[Passage(part=part, text=text, area_number=1)],
        municipalities=MUNICIPALITIES,
        own_code=own,
    )
    names = dict(MUNICIPALITIES)
    return [names[m.municipality_code] for m in found]


# --- Lindesberg 2021: every recommending phrasing its evaluators use -------------------------


@pytest.mark.parametrize(
    "sentence, expected",
    [
        (
            "Nässjö är ett gott exempel på arbete med medarbetarskap, exempelvis med ett utskick "
            "redan innan anställning påbörjas.",
            ["Nässjö"],
        ),
        (
            "Piteå, Sunne och Ängelholm är kommuner Lindsberg kan titta vidare på om man vill "
            "utveckla arbetet i och kring medborgardialog.",
            ["Piteå", "Sunne", "Ängelholm"],
        ),
        (
            "Gällivare är annars en kommun som Lindesberg skulle kunna titta på, där man har "
            "gjort nulägesanalyser inom hållbarhetsområdet för att kunna jobba systematiskt med "
            "utvecklingen.",
            ["Gällivare"],
        ),
        (
            # The genitive: "Vaxholms", "Tyresös".
            "Vaxholms arbete med sina tre värdeord kan vara något för Lindesberg att studera.",
            ["Vaxholm"],
        ),
        (
            "Tyresös modell att presentera KKiK de kallar kvalitetsuppslag eller "
            "Resultatnätverket R9.s årliga rapport kan vara inspirationskällor.",
            ["Tyresö"],
        ),
        (
            "Lidingö är ett exempel på en kommun som arbetar med en tydlig "
            "resursfördelningsmodell kopplat till demografisk utveckling i ett tio-årsperspektiv.",
            ["Lidingö"],
        ),
        (
            "En kommun som arbetat mycket och framgångsrikt med processtyrning är Eskilstuna.",
            ["Eskilstuna"],
        ),
        (
            # "Kumla kommun", and Kumla once although named twice.
            "En kommun som tagit ett sådant grepp och fått fart på utvecklingen är Kumla kommun "
            "med sitt arbete ”Digitala Kumla 2025”.",
            ["Kumla"],
        ),
        (
            "En kommun som arbetar strategiskt med ledarskapet och att skapa rätt förutsättningar "
            "för detta är Tomelilla.",
            ["Tomelilla"],
        ),
    ],
)
def test_a_sentence_that_recommends_another_municipality_is_a_mention(sentence, expected):
    assert named(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        # Lindesberg 2021: partners, not examples.
        "Arbetet sker tillsammans med Borlänge, Falköping och Nässjö.",
        "Norra länsdelen, Hällefors, Lindesberg, Ljusnarsberg och Nora har en överenskommelse "
        "med Region Örebro om arbete med folkhälsa.",
        "Det finns ett samordningsförbund för de tekniska verksamheterna och lokalvården "
        "tillsammans med Nora, Ljusnarsberg och Hällefors.",
        # Lindesberg 2021: described, but with none of the recommending phrasings (a known miss,
        # on purpose: precision over recall).
        "Lidingö stad som också fått utmärkelsen årets digitaliseringskommun, har som Örebro "
        "kommun centralt avsatta resurser för digitalisering kopplat till effektivitetsutveckling "
        "och har ett väl utvecklat e-tjänsteutbud.",
        # Kalix 2012: a university and a programme named after a town.
        "Naturligtvis samarbetar man här med det lokala näringslivet men även med universiteten i "
        "Luleå och Umeå.",
        "Kommunen har utbildat aktörer från civilsamhället i ÖPP (Örebro prevention program) i "
        "syfte att påverka föräldrars relation till ungdomars drickande.",
    ],
)
def test_a_sentence_that_only_names_a_municipality_is_no_mention(sentence):
    assert named(sentence) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "Luleå är ett gott exempel på systematiskt arbete kring kommunikation.",
        "Luleå är ett gott exempel inom detta område.",
        "Utvärderarna anser att Luleå är ett gott exempel på hur arbetsmiljöarbetet kan "
        "genomföras.",
        "Sammantaget är Luleå ett gott exempel inom detta område.",
    ],
)
def test_the_evaluated_municipality_praising_itself_is_no_mention(sentence):
    """Luleå 2018 calls Luleå a good example again and again: that is praise, not a
    recommendation of another municipality."""
    assert named(sentence, own=LULEA) == []
    assert named(sentence, own=LINDESBERG) == ["Luleå"]


def test_a_name_inside_a_longer_word_or_name_is_not_that_municipality():
    # Real words of Luleå 2018 ("Luleåregionen", "Umeåregionen") and Kalix 2012 ("Årets"
    # begins like Åre, "Kalixbornas" like Kalix), each in a sentence with a recommending
    # phrase (test input).
    assert named("Luleåregionen och Umeåregionen är goda exempel på samarbete.") == []
    assert named("Årets pedagog är ett gott exempel.") == []
    assert named("Kalixbornas förening är ett gott exempel.", own=LULEA) == []
    # Test input: Överkalix contains kalix; Upplands Väsby is one name of two words.
    assert named("Överkalix är ett gott exempel.") == ["Överkalix"]
    assert named("Upplands Väsbys arbete är ett gott exempel.") == ["Upplands Väsby"]


def test_names_that_are_common_words_count_only_as_a_municipality():
    # Test input: "Vara" and "Mark" are Swedish words; capitalised mid-sentence or with
    # "kommun" they are the municipalities.
    assert named("Vara en förebild för andra är svårt.") == []
    assert named("Vara kommun är en förebild.") == ["Vara"]
    assert named("Här kan Mark vara en förebild.") == ["Mark"]
    assert named("Det finns mark att bygga på, och Nora är en förebild.") == ["Nora"]


def test_region_gotland_is_the_municipality_but_region_orebro_is_not():
    # Test input.
    assert named("Region Gotland är ett gott exempel.") == ["Gotland"]
    assert named("Region Örebro är ett gott exempel.") == []
    assert named("Luleå tekniska universitet är ett gott exempel.", own=CODES["Kalix"]) == []


def test_a_negated_recommendation_is_no_mention():
    # Test input.
    assert named("Nora är inte ett gott exempel på detta.") == []


def test_a_sentence_broken_by_a_page_break_is_joined_again():
    # Lindesberg 2021, area 5, as stored: the PDF's page break runs through the sentence.
    text = (
        "Helsingborg är en stad som arbetat\n\ngenomgripande med sitt fokus på kunder utifrån "
        "sin servicepolicy som kan vara värt att titta på.\n\nFokus på service\n\nKommunen kan "
        "centralt stödja fokus på brukare och kunder."
    )
    assert sentences(text) == [
        "Helsingborg är en stad som arbetat genomgripande med sitt fokus på kunder utifrån sin "
        "servicepolicy som kan vara värt att titta på.",
        "Fokus på service",
        "Kommunen kan centralt stödja fokus på brukare och kunder.",
    ]
    assert named(text) == ["Helsingborg"]


def test_abbreviations_do_not_end_a_sentence():
    # Luleå 2018.
    text = (
        "Det finns exempel på hur kommunen sprider kunnande och goda exempel i vissa "
        "verksamheter, t.ex. ska socialförvaltningen arrangera en kvalitetsdag under våren. "
        "Ett annat exempel är skolans ambassadörsnätverk som verkar både internt och externt."
    )
    assert len(sentences(text)) == 2


def test_a_mention_keeps_where_in_the_report_it_stands():
    found = find_mentions(
        passages=[
            Passage(part="summary", text="Lindesberg fick 420 poäng."),
            Passage(
                part="area_text",
                area_number=8,
                text="Nässjö är ett gott exempel på arbete med medarbetarskap, exempelvis med "
                "ett utskick redan innan anställning påbörjas.",
            ),
        ],
        municipalities=MUNICIPALITIES,
        own_code=LINDESBERG,
    )
    assert [(m.municipality_code, m.part, m.area_number) for m in found] == [
        (CODES["Nässjö"], "area_text", 8)
    ]


# --- Stored: imported, saved, recomputed -----------------------------------------------------

LINDESBERG_NAMES = [
    "Piteå",
    "Sunne",
    "Ängelholm",
    "Gällivare",
    "Vaxholm",
    "Lidingö",
    "Tyresö",
    "Eskilstuna",
    "Helsingborg",
    "Kumla",
    "Nässjö",
    "Tomelilla",
]


def stored(slug: str) -> list[tuple[str, str, int | None]]:
    return [
        (m.municipality.short_name, m.part, m.area.number if m.area else None)
        for m in GoodExampleMention.objects.filter(evaluation__municipality__slug=slug)
        .select_related("municipality", "area")
        .order_by("order")
    ]


def test_importing_the_real_reports_finds_twelve_mentions_all_in_lindesberg(published_reports):
    assert stored("kalix") == [] and stored("lulea") == []
    assert [name for name, _, _ in stored("lindesberg")] == LINDESBERG_NAMES
    assert stored("lindesberg")[-2] == ("Nässjö", "area_text", 8)
    nassjo = GoodExampleMention.objects.get(municipality__short_name="Nässjö")
    assert nassjo.sentence.startswith("Nässjö är ett gott exempel på arbete med medarbetarskap")


def test_a_draft_is_searched_but_its_mentions_are_not_public(db):
    import_reports("lindesberg", publish=False)
    assert len(stored("lindesberg")) == 12
    assert not GoodExampleMention.objects.public().exists()
    evaluation = Evaluation.objects.get()
    evaluation.status = Evaluation.Status.PUBLISHED
    evaluation.save()
    assert GoodExampleMention.objects.public().count() == 12


def test_changed_texts_change_the_mentions_and_raise_the_data_version(published_reports):
    lindesberg = published_reports["lindesberg"]
    area = AreaResult.objects.get(evaluation=lindesberg, area__number=8)
    area.text = area.text.replace("Nässjö är ett gott exempel", "Nässjö nämns")
    AreaResult.objects.filter(pk=area.pk).update(text=area.text)
    before = dataversion.current().number
    assert mentions.refresh(evaluation=lindesberg) == 11
    assert dataversion.current().number > before
    assert "Nässjö" not in [name for name, _, _ in stored("lindesberg")]

    # Nothing changed: nothing written, the data version stays.
    unchanged = dataversion.current().number
    assert mentions.refresh(evaluation=lindesberg) == 11
    assert dataversion.current().number == unchanged


def test_find_mentions_recomputes_from_the_stored_texts(published_reports):
    GoodExampleMention.objects.all().delete()
    out = StringIO()
    call_command("find_mentions", stdout=out)
    assert out.getvalue().strip() == "12 omnämnanden som gott exempel i 3 utvärderingar."
    assert [name for name, _, _ in stored("lindesberg")] == LINDESBERG_NAMES


def test_saving_texts_in_the_admin_finds_the_mentions_again(editor_client):
    import_reports("lindesberg", publish=False)
    evaluation = Evaluation.objects.get()
    url = f"/admin/evaluations/evaluation/{evaluation.pk}/change/"
    data = form_data(editor_client.get(url), "evaluation_form")
    area_8 = next(
        i
        for i in range(int(data["omrade-TOTAL_FORMS"]))
        if data[f"omrade-{i}-area"] == str(evaluation.area_results.get(area__number=8).area_id)
    )
    data[f"omrade-{area_8}-text"] = data[f"omrade-{area_8}-text"].replace(
        "Nässjö är ett gott exempel", "Nässjö nämns"
    )
    # Test input: a strength that recommends a municipality.
    data[f"omrade-{area_8}-strengths"] += "\r\nAnsatsen liknar Tranås, en förebild."
    response = editor_client.post(url, {**data, "_save": "Spara"})
    assert response.status_code == 302
    found = stored("lindesberg")
    assert ("Nässjö", "area_text", 8) not in found
    assert found[-1] == ("Tranås", "strength", 8)
