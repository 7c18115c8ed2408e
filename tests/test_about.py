"""/om/ with the real counts, the accessibility statement, the privacy note, robots, sitemap."""

import re

import pytest
from django.db.models import F

from evaluations.models import Evaluation, QuestionScore
from opendata.facts import data_facts

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_counts_of_the_real_reports(open_data_reports):
    """Kalix 2012 and Luleå 2018 published, Lindesberg 2021 a draft, Luleå 2015 stated."""
    facts = data_facts()
    assert (facts.evaluations, facts.municipalities) == (2, 2)
    assert (facts.first_year, facts.last_year) == (2012, 2018)
    assert [(v.code, v.evaluations) for v in facts.by_version] == [
        ("2010", 1),
        ("2016", 1),
        ("2020", 0),
    ]
    assert facts.printed_total_differs == 1  # Kalix: 415 printed, areas sum to 413
    assert facts.stated_previous == 1
    recovered = QuestionScore.objects.filter(
        evaluation__status="published", printed_points__isnull=False
    ).exclude(points=F("printed_points"))
    assert facts.recovered_from_percent == recovered.count() > 0
    assert facts.last_published is not None


def test_the_page_states_the_real_counts(client, open_data_reports):
    text = text_of(client.get("/om/"))
    facts = data_facts()
    assert "2 publicerade utvärderingar (2012–2018), av 2 kommuner." in text
    assert "Version 2010: 1; Version 2016: 1; Version 2020: 0." in text
    assert f"Det gäller {facts.recovered_from_percent} delfrågepoäng" in text
    assert "Totalen i texten visas; 1 utvärdering har en sådan skillnad." in text
    assert "Kompass har 1 sådant tidigare resultat." in text
    assert "oviktat medelvärde" in text and "n, antalet utvärderingar" in text
    assert "Creative Commons Attribution 4.0" in text


def test_the_counts_follow_a_publish(client, open_data_reports):
    lindesberg = open_data_reports["lindesberg"]
    lindesberg.status = Evaluation.Status.PUBLISHED
    lindesberg.save()
    text = text_of(client.get("/om/"))
    assert "3 publicerade utvärderingar (2012–2021), av 3 kommuner." in text
    assert "Totalen i texten visas; 2 utvärderingar har en sådan skillnad." in text


def test_accessibility_statement_and_privacy_note(client, settings):
    settings.CONTACT_EMAIL = "kompass@skr.example.se"
    accessibility = text_of(client.get("/om/tillganglighet/"))
    assert "WCAG 2.1" in accessibility and "Digg" in accessibility
    assert "kompass@skr.example.se" in accessibility
    privacy = text_of(client.get("/om/personuppgifter/"))
    assert "Utvärderarnas namn" in privacy and "personuppgifter" in privacy
    assert "kompass@skr.example.se" in privacy
    home = client.get("/").content.decode()
    for url in ("/om/", "/data/", "/api/v1/docs/", "/om/tillganglighet/", "/om/personuppgifter/"):
        assert f'href="{url}"' in home


def test_robots_and_sitemap(client, open_data_reports):
    robots = client.get("/robots.txt").content.decode()
    assert "Disallow: /admin/" in robots and "Sitemap: http://testserver/sitemap.xml" in robots
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "http://testserver/kommun/lulea/2018/" in sitemap
    assert "http://testserver/kommun/kalix/2012/" in sitemap
    assert "lindesberg" not in sitemap  # a draft
    assert "/kommun/lulea/2015/" not in sitemap  # stated, not an evaluation
    assert "http://testserver/om/" in sitemap
    assert "<loc>http://testserver/en/kommun/lulea/2018/</loc>" in sitemap
    english = '<xhtml:link rel="alternate" hreflang="en" href="http://testserver/en/om/"/>'
    assert english in sitemap
