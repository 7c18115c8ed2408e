"""Draft, published, back to draft: who may do what, the reasons, the preview."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from evaluations.models import AreaResult, Evaluation

from .conftest import EDITOR, PUBLISHER, form_data, import_reports

ADMIN = "/admin/evaluations/evaluation/"


def url(evaluation, page: str) -> str:
    return f"{ADMIN}{evaluation.pk}/{page}/"


@pytest.fixture
def draft(db):
    """Kalix 2012, imported as a draft."""
    import_reports("kalix", publish=False)
    return Evaluation.objects.get()


@pytest.fixture
def published(db):
    import_reports("kalix")
    return Evaluation.objects.get()


def status(evaluation) -> str:
    evaluation.refresh_from_db()
    return evaluation.status


def test_the_groups_come_from_the_migration_with_their_permissions(db):
    editor = set(Group.objects.get(name=EDITOR).permissions.values_list("codename", flat=True))
    publisher = set(
        Group.objects.get(name=PUBLISHER).permissions.values_list("codename", flat=True)
    )
    assert {"add_evaluation", "change_evaluation", "view_evaluation"} <= editor
    assert "publish_evaluation" not in editor and "add_referencemean" not in editor
    assert editor < publisher
    assert {"publish_evaluation", "add_referencemean", "change_referencemean"} <= publisher


@pytest.mark.parametrize("page", ["", "add/", "ladda-upp/"])
def test_anonymous_visitors_are_sent_to_the_login_page(client, draft, page):
    response = client.get(f"{ADMIN}{page}")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("page", ["publicera", "avpublicera", "change", "history"])
def test_anonymous_visitors_cannot_reach_an_evaluation(client, published, page):
    response = client.post(url(published, page), {"reason": "Fel"})
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert status(published) == Evaluation.Status.PUBLISHED


def test_a_logged_in_user_who_is_not_staff_cannot_use_the_admin(staff_client_factory, draft):
    visitor = staff_client_factory("besokare", groups=(PUBLISHER,), is_staff=False)
    response = visitor.post(url(draft, "publicera"))
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert status(draft) == Evaluation.Status.DRAFT


def test_staff_without_a_group_cannot_see_evaluations(staff_client_factory, draft):
    nobody = staff_client_factory("utan-grupp")
    assert nobody.get(ADMIN).status_code == 403
    assert nobody.get(url(draft, "change")).status_code == 403


def test_redaktor_cannot_publish(editor_client, draft):
    html = editor_client.get(url(draft, "change")).content.decode()
    assert 'id="publish-link"' not in html
    assert editor_client.get(url(draft, "publicera")).status_code == 403
    assert editor_client.post(url(draft, "publicera")).status_code == 403
    assert status(draft) == Evaluation.Status.DRAFT


def test_redaktor_cannot_unpublish(editor_client, published):
    response = editor_client.post(url(published, "avpublicera"), {"reason": "Fel i område 3"})
    assert response.status_code == 403
    assert status(published) == Evaluation.Status.PUBLISHED


def test_redaktor_sees_a_published_evaluation_read_only(editor_client, published):
    response = editor_client.get(url(published, "change"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="_save"' not in html
    assert "Bara en publicerare kan ändra den" in html
    data = form_data(response, "evaluation_form")
    assert "disabled" in html[html.index('name="delfraga-0-points"') :].split(">")[0]
    data.update({"delfraga-0-points": "0", "_save": "Spara"})
    assert editor_client.post(url(published, "change"), data).status_code == 403
    assert published.scores.get(question__code="1.1").points != 0


def test_redaktor_edits_and_deletes_drafts_but_never_a_published_evaluation(
    editor_client, published_reports
):
    lulea, draft = published_reports["lulea"], published_reports["kalix"]
    Evaluation.objects.filter(pk=draft.pk).update(status=Evaluation.Status.DRAFT)
    assert 'name="_save"' in editor_client.get(url(draft, "change")).content.decode()
    assert editor_client.post(url(lulea, "delete"), {"post": "yes"}).status_code == 403
    assert Evaluation.objects.filter(pk=lulea.pk).exists()
    asked = editor_client.post(url(draft, "delete"), {"post": "yes"})
    assert asked.status_code == 200 and "Ange en anledning." in asked.content.decode()
    response = editor_client.post(url(draft, "delete"), {"reason": "Dubblett av rätt utkast"})
    assert response.status_code == 302
    assert Evaluation.objects.in_trash().filter(pk=draft.pk).exists()


def test_publicerare_publishes_a_draft_and_the_public_profile_shows_it(
    client, publisher_client, draft
):
    public = reverse("comparisons:evaluation", args=["kalix", 2012])
    assert client.get(public).status_code == 404
    page = publisher_client.get(url(draft, "publicera"))
    assert page.status_code == 200 and "syns den på webbplatsen för alla" in page.content.decode()
    assert status(draft) == Evaluation.Status.DRAFT  # a GET changes nothing
    response = publisher_client.post(url(draft, "publicera"), follow=True)
    assert response.redirect_chain == [(url(draft, "change"), 302)]
    assert "Kalix 2012 är publicerad." in response.content.decode()
    assert status(draft) == Evaluation.Status.PUBLISHED
    html = client.get(public).content.decode()
    assert "Kalix" in html and "415" in html


def test_an_evaluation_missing_area_points_cannot_be_published(publisher_client, draft):
    AreaResult.objects.filter(evaluation=draft, area__number=6).update(points=None)
    response = publisher_client.post(url(draft, "publicera"))
    assert response.status_code == 200
    assert "Område 6 saknar poäng." in response.content.decode()
    assert status(draft) == Evaluation.Status.DRAFT


def test_unpublishing_needs_a_reason(publisher_client, published):
    response = publisher_client.post(url(published, "avpublicera"), {"reason": "  "})
    assert response.status_code == 200
    assert "Ange varför utvärderingen avpubliceras." in response.content.decode()
    too_long = publisher_client.post(url(published, "avpublicera"), {"reason": "x" * 501})
    assert "Anledningen får vara högst 500 tecken (den har 501)." in too_long.content.decode()
    assert status(published) == Evaluation.Status.PUBLISHED


def test_unpublishing_keeps_and_shows_the_reason_and_hides_the_public_page(
    client, publisher_client, published
):
    reason = "Område 2 har fel poäng för delfråga 2.3; rättas mot rapporten."
    response = publisher_client.post(url(published, "avpublicera"), {"reason": reason})
    assert response.status_code == 302
    assert status(published) == Evaluation.Status.DRAFT
    assert published.history.first().history_change_reason == reason
    html = publisher_client.get(url(published, "change")).content.decode()
    assert f"av publicerare. Anledning: {reason}" in html
    assert reason in publisher_client.get(url(published, "history")).content.decode()
    assert client.get("/kommun/kalix/2012/").status_code == 404
    assert client.get("/kommun/kalix/").status_code == 404


def test_public_pages_never_show_drafts(client, published_reports):
    Evaluation.objects.filter(year=2012).update(status=Evaluation.Status.DRAFT)
    assert client.get("/kommun/kalix/2012/").status_code == 404
    assert client.get("/kommun/kalix/").status_code == 404
    assert ">Kalix<" not in client.get("/").content.decode()


def test_a_draft_links_to_its_preview_which_is_for_staff_only(
    client, editor_client, staff_client_factory, draft
):
    preview = reverse("comparisons:preview", args=[draft.pk])
    html = editor_client.get(url(draft, "change")).content.decode()
    assert f'href="{preview}"' in html
    assert editor_client.get(preview).status_code == 200
    anonymous = client.get(preview)
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    visitor = staff_client_factory("besokare", is_staff=False)
    assert visitor.get(preview).status_code == 404


def test_a_published_evaluation_links_to_its_public_page_not_a_preview(publisher_client, published):
    html = publisher_client.get(url(published, "change")).content.decode()
    assert 'id="preview-link"' not in html and 'id="unpublish-link"' in html
    assert '<a href="/kommun/kalix/2012/" class="viewsitelink">' in html


def test_publicerare_edits_a_published_evaluation_only_with_a_reason(publisher_client, published):
    data = form_data(publisher_client.get(url(published, "change")), "evaluation_form")
    data.update({"evaluators": "Rättat namn", "_save": "Spara"})
    refused = publisher_client.post(url(published, "change"), data)
    assert "Ange varför en publicerad utvärdering ändras." in refused.content.decode()
    data["change_reason"] = "Utvärderarnas namn rättade"
    review = publisher_client.post(url(published, "change"), data)
    assert review.status_code == 200 and 'id="review-diff"' in review.content.decode()
    assert published.evaluators != "Rättat namn"  # nothing saved before the review
    confirmed = form_data(review, "review-form")
    assert publisher_client.post(url(published, "change"), confirmed).status_code == 302
    published.refresh_from_db()
    assert published.evaluators == "Rättat namn" and published.is_published
    assert published.history.first().history_change_reason == "Utvärderarnas namn rättade"


def test_a_published_evaluation_keeps_a_score_in_every_area(publisher_client, published):
    data = form_data(publisher_client.get(url(published, "change")), "evaluation_form")
    area_1 = [
        name
        for name, value in data.items()
        if name.startswith("omrade-")
        and name.endswith("-area")
        and value == str(published.framework.areas.get(number=1).pk)
    ][0].removesuffix("-area")
    first_questions = {str(q.pk) for q in published.framework.areas.get(number=1).questions.all()}
    for name in list(data):
        if (
            name.startswith("delfraga-")
            and name.endswith("-question")
            and (data[name] in first_questions)
        ):
            data[name.removesuffix("-question") + "-points"] = ""
    data.update(
        {
            f"{area_1}-points": "",
            f"{area_1}-header_points": "",
            "change_reason": "Område 1 tömt",
            "_save": "Spara",
        }
    )
    response = publisher_client.post(url(published, "change"), data)
    assert response.status_code == 200
    assert (
        "Område 1: En publicerad utvärdering behöver poäng i varje område. Avpublicera den "
        "först om poängen ska tas bort." in response.content.decode()
    )
    assert AreaResult.objects.get(evaluation=published, area__number=1).points == 41


def test_publishing_twice_or_unpublishing_a_draft_only_says_so(publisher_client, published):
    again = publisher_client.post(url(published, "publicera"), follow=True)
    assert "Kalix 2012 är redan publicerad." in again.content.decode()
    publisher_client.post(url(published, "avpublicera"), {"reason": "Granskas igen"})
    twice = publisher_client.post(url(published, "avpublicera"), {"reason": "Igen"}, follow=True)
    assert "Kalix 2012 är redan ett utkast." in twice.content.decode()
    assert published.history.first().history_change_reason == "Granskas igen"
