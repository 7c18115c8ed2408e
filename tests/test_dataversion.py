"""The data version rises with every change that a public page could show."""

import pytest

from evaluations import dataversion, workflow
from evaluations.models import AreaResult, Evaluation, ReferenceMean

from .conftest import import_reports

pytestmark = pytest.mark.django_db


def test_an_import_raises_the_version_once_committed():
    before = dataversion.current()
    import_reports("lulea", publish=False)
    after = dataversion.current()
    assert after.number > before.number
    assert after.changed_at >= before.changed_at


def test_publishing_unpublishing_and_editing_raise_it():
    import_reports("kalix", publish=False)
    evaluation = Evaluation.objects.get()
    numbers = [dataversion.current().number]
    workflow.publish(evaluation)
    numbers.append(dataversion.current().number)
    result = AreaResult.objects.filter(evaluation=evaluation).first()
    result.text = "Ny text."
    result.save()
    numbers.append(dataversion.current().number)
    workflow.unpublish(evaluation, reason="Fel i texten")
    numbers.append(dataversion.current().number)
    assert numbers == sorted(set(numbers)), numbers


def test_a_new_reference_mean_raises_it():
    import_reports("lulea")
    before = dataversion.current().number
    ReferenceMean.objects.create(
        name="Alla utvärderingar", framework=Evaluation.objects.get().framework
    )
    assert dataversion.current().number > before


def test_reading_it_costs_one_query(django_assert_num_queries):
    dataversion.current()
    with django_assert_num_queries(1):
        dataversion.current()


def test_committed_is_sent_after_the_commit_and_never_for_a_rollback(
    django_capture_on_commit_callbacks,
):
    from django.db import transaction

    import_reports("lulea", publish=False)
    seen = []

    def receiver(**_signal):
        seen.append(dataversion.current().number)

    def failing(**_signal):
        raise RuntimeError("a receiver that fails")

    dataversion.committed.connect(failing, dispatch_uid="test-failing")
    dataversion.committed.connect(receiver, dispatch_uid="test-receiver")
    try:
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            workflow.publish(Evaluation.objects.get())
            assert seen == []  # not before the commit
        assert seen and set(seen) == {dataversion.current().number}  # the failure aside
        seen.clear()
        with (
            django_capture_on_commit_callbacks(execute=True),
            pytest.raises(ValueError),
            transaction.atomic(),
        ):
            workflow.unpublish(Evaluation.objects.get(), reason="Fel")
            raise ValueError
        assert seen == []
    finally:
        dataversion.committed.disconnect(dispatch_uid="test-failing")
        dataversion.committed.disconnect(dispatch_uid="test-receiver")
