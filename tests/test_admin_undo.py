"""Review before public (the diff, the second person), deleting to the trash and restoring,
reverting to an earlier version: through the admin, over real HTTP."""

import pytest
from django.contrib.auth.models import User

from evaluations.forms import format_points
from evaluations.models import AreaResult, Evaluation, QuestionScore, Revision

from .conftest import PUBLISHER, form_data, import_reports

ADMIN = "/admin/evaluations/evaluation/"


def url(evaluation, page: str) -> str:
    return f"{ADMIN}{evaluation.pk}/{page}/"


@pytest.fixture
def draft(db):
    import_reports("kalix", publish=False)
    return Evaluation.objects.get()


@pytest.fixture
def published(db):
    import_reports("kalix")
    return Evaluation.objects.get()


def edit(client, evaluation, *, points: str, reason: str, reviewed: bool = True):
    """Set sub-question 3.2 through the change form (and confirm the review if one is shown)."""
    data = form_data(client.get(url(evaluation, "change")), "evaluation_form")
    question = evaluation.scores.get(question__code="3.2").question_id
    row = next(
        name.removesuffix("-question")
        for name, value in data.items()
        if name.startswith("delfraga-") and name.endswith("-question") and value == str(question)
    )
    data.update({f"{row}-points": points, "change_reason": reason, "_save": "Spara"})
    response = client.post(url(evaluation, "change"), data)
    if reviewed and 'id="review-form"' in response.content.decode():
        response = client.post(url(evaluation, "change"), form_data(response, "review-form"))
    return response


def score(evaluation, code="3.2"):
    return QuestionScore.objects.get(evaluation=evaluation, question__code=code).points


# --- Review before public ---------------------------------------------------------------


def test_the_publish_page_shows_everything_that_becomes_public(publisher_client, draft):
    html = publisher_client.get(url(draft, "publicera")).content.decode()
    assert "Allt detta blir publikt" in html and 'id="review-diff"' in html
    assert "<caption>Område 3</caption>" in html and "Delfråga 3.2" in html


def test_republishing_shows_what_changed_since_it_was_last_public(publisher_client, published):
    old = score(published)
    publisher_client.post(url(published, "avpublicera"), {"reason": "Rättas"})
    edit(publisher_client, published, points="14", reason="Rättat mot rapporten")
    html = publisher_client.get(url(published, "publicera")).content.decode()
    assert "Jämfört med det som senast var publicerat" in html
    section = html[html.index("<caption>Område 3</caption>") :].split("</table>")[0]
    assert "Delfråga 3.2" in section and f"<del>{format_points(old)}</del>" in section
    assert "<ins>14</ins>" in section
    assert "<caption>Område 1</caption>" not in html  # unchanged areas are not listed


def test_a_published_evaluations_edit_is_reviewed_before_it_is_saved(publisher_client, published):
    old = score(published)
    review = edit(publisher_client, published, points="14", reason="Rättat", reviewed=False)
    html = review.content.decode()
    assert review.status_code == 200 and "Jämfört med det som är publicerat nu" in html
    assert "<ins>14</ins>" in html and score(published) == old
    confirmed = publisher_client.post(url(published, "change"), form_data(review, "review-form"))
    assert confirmed.status_code == 302 and score(published) == 14


def test_the_last_editor_of_a_draft_cannot_publish_it_alone(settings, staff_client_factory, draft):
    settings.PUBLISH_NEEDS_SECOND_PERSON = True
    anna = staff_client_factory("anna", groups=(PUBLISHER,))
    bertil = staff_client_factory("bertil", groups=(PUBLISHER,))
    edit(anna, draft, points="14", reason="Rättat")
    refused = anna.post(url(draft, "publicera"))
    assert "Du ändrade utkastet senast" in refused.content.decode()
    assert Evaluation.objects.get().status == Evaluation.Status.DRAFT
    assert bertil.post(url(draft, "publicera")).status_code == 302
    assert Evaluation.objects.get().is_published


def test_without_the_setting_one_person_may_edit_and_publish(publisher_client, draft):
    edit(publisher_client, draft, points="14", reason="Rättat")
    assert publisher_client.post(url(draft, "publicera")).status_code == 302


# --- Trash and restore ----------------------------------------------------------------------


def test_a_deleted_draft_goes_to_the_trash_with_its_reason(
    client, editor_client, publisher_client, draft
):
    page = editor_client.get(url(draft, "delete")).content.decode()
    assert "flyttas till papperskorgen" in page and 'name="reason"' in page
    editor_client.post(url(draft, "delete"), {"reason": "Fel kommun vald"})
    assert Evaluation.objects.live().count() == 0
    assert AreaResult.objects.filter(evaluation=draft).count() == 8  # nothing is lost
    assert f'href="{url(draft, "change")}"' not in editor_client.get(ADMIN).content.decode()
    assert editor_client.get(url(draft, "change")).status_code == 302  # "does not exist"
    assert client.get("/kommun/kalix/2012/").status_code == 404
    trash = publisher_client.get(f"{ADMIN}papperskorg/").content.decode()
    assert "Kalix 2012" in trash and "Fel kommun vald" in trash and "redaktor" in trash


def test_only_publicerare_see_the_trash_and_restore(editor_client, publisher_client, draft):
    editor_client.post(url(draft, "delete"), {"reason": "Dubblett"})
    assert editor_client.get(f"{ADMIN}papperskorg/").status_code == 403
    assert editor_client.post(f"{ADMIN}papperskorg/{draft.pk}/aterstall/").status_code == 403
    assert 'id="trash-link"' in publisher_client.get(ADMIN).content.decode()
    response = publisher_client.post(f"{ADMIN}papperskorg/{draft.pk}/aterstall/")
    assert response.status_code == 302 and response["Location"] == url(draft, "change")
    restored = Evaluation.objects.live().get()
    assert restored.deletion_reason == "" and not restored.is_published
    actions = list(restored.revisions.values_list("action", flat=True))
    assert actions == ["restored", "deleted", "imported"]  # its history kept
    assert (
        "Borttagen till papperskorgen"
        in publisher_client.get(url(draft, "history")).content.decode()
    )


def test_a_trashed_draft_is_not_restored_over_a_new_one_of_the_same_year(
    editor_client, publisher_client, draft
):
    editor_client.post(url(draft, "delete"), {"reason": "Läses in igen"})
    import_reports("kalix", publish=False)
    response = publisher_client.post(f"{ADMIN}papperskorg/{draft.pk}/aterstall/", follow=True)
    assert "Det finns redan en utvärdering av kommunen det året" in response.content.decode()
    assert Evaluation.objects.in_trash().filter(pk=draft.pk).exists()


def test_a_published_evaluation_cannot_be_deleted(publisher_client, published):
    assert publisher_client.post(url(published, "delete"), {"reason": "x"}).status_code == 403
    assert Evaluation.objects.live().get().is_published


# --- Revert ---------------------------------------------------------------------------------


def test_a_published_change_is_reverted_from_the_history_with_a_reason(
    client, publisher_client, published
):
    old = score(published)
    edit(publisher_client, published, points="14", reason="Felaktig rättelse")
    imported = published.revisions.get(action=Revision.Action.IMPORTED)
    history = publisher_client.get(url(published, "history")).content.decode()
    revert_url = f"{url(published, 'historik')}{imported.pk}/aterstall/"
    assert f'href="{revert_url}"' in history
    page = publisher_client.get(revert_url).content.decode()
    assert "<del>14</del>" in page and f"<ins>{format_points(old)}</ins>" in page
    refused = publisher_client.post(revert_url, {"reason": ""})
    assert "Ange en anledning." in refused.content.decode() and score(published) == 14
    publisher_client.post(revert_url, {"reason": "Rättelsen var fel"})
    assert score(published) == old and Evaluation.objects.get().is_published
    newest = published.revisions.first()
    assert (newest.action, newest.reason) == ("reverted", "Rättelsen var fel")
    assert newest.user == User.objects.get(username="publicerare")
    assert format_points(old) in client.get("/kommun/kalix/2012/").content.decode()


def test_a_redaktor_cannot_revert_a_published_evaluation(editor_client, published):
    imported = published.revisions.get()
    response = editor_client.post(
        f"{url(published, 'historik')}{imported.pk}/aterstall/", {"reason": "x"}
    )
    assert response.status_code == 403
