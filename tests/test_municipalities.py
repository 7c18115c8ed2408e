import pytest

from comparisons.municipalities import fold, search


def test_fold_matches_how_slugs_are_made():
    assert fold(" Upplands Väsby ") == "upplands-vasby"
    assert fold("Östersund") == "ostersund"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("lulea", ["Luleå"]),
        ("LULEÅ", ["Luleå"]),
        ("ostersund", ["Östersund"]),
        ("habo", ["Habo", "Håbo"]),
        ("vasby", ["Upplands Väsby"]),
        ("2580", ["Luleå"]),
        ("Luleå kommun", ["Luleå"]),
        ("Malmö stad", ["Malmö"]),
        ("Region Gotland", ["Gotland"]),
        ("!!!", []),
    ],
)
def test_search_is_tolerant_of_a_and_o_for_aao(query, expected):
    assert [hit.municipality.short_name for hit in search(query=query)] == expected


def test_start_page_search_says_which_are_evaluated(client, published_reports):
    html = client.get("/", {"q": "kal"}).content.decode()
    assert "Kalix</a>" in html and "senast utvärderad 2012, version 2010, 415 av 800" in html
    assert "Överkalix" in html and "inte utvärderad i Kompass ännu" in html
    assert client.get("/", {"q": "x" * 500}).status_code == 200
    assert "Ingen kommun matchar" in client.get("/", {"q": "zzzz"}).content.decode()


def test_a_search_with_more_hits_than_shown_says_so(client, db):
    html = client.get("/", {"q": "a"}).content.decode()
    assert "Fler än 20 kommuner hittades" in html
    hits = html[html.index('class="hits"') :].split("</ul>")[0]
    assert hits.count("<li>") == 20
    assert "Skriv mer av namnet" in html
    html = client.get("/", {"q": "lule"}).content.decode()
    assert "1 kommun hittades" in html and "Fler än" not in html
