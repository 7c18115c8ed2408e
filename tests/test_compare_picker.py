def test_suggestions_for_a_partial_name_with_the_latest_evaluation(client, published_reports):
    response = client.get("/jamfor/kommuner.json?q=lul")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "results": [
            {
                "slug": "lulea",
                "name": "Luleå",
                "county": "Norrbotten",
                "code": "2580",
                "year": 2018,
                "version": "2016",
                "total": 575.0,
            }
        ]
    }


def test_suggestions_offer_both_habo_and_habo_and_say_which_are_unevaluated(
    client, published_reports
):
    results = client.get("/jamfor/kommuner.json?q=habo").json()["results"]
    assert [(r["name"], r["slug"], r["year"]) for r in results] == [
        ("Habo", "habo", None),
        ("Håbo", "habo-uppsala", None),
    ]


def test_suggestions_by_code_and_none_for_nothing(client, published_reports):
    assert [r["name"] for r in client.get("/jamfor/kommuner.json?q=2514").json()["results"]] == [
        "Kalix"
    ]
    assert client.get("/jamfor/kommuner.json?q=").json() == {"results": []}
    assert client.get("/jamfor/kommuner.json").json() == {"results": []}
    assert client.get("/jamfor/kommuner.json?q=%20%25%20").json() == {"results": []}


def test_suggestions_are_bounded_in_queries(
    client, published_reports, django_assert_num_queries, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):  # the page cache reads the data version first
        client.get("/jamfor/kommuner.json?q=a" + "x" * 500)
    with django_assert_num_queries(3):
        assert len(client.get("/jamfor/kommuner.json?q=a").json()["results"]) == 20
