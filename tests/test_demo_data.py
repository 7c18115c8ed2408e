from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from evaluations.models import Evaluation
from tests.conftest import import_reports


def demo_data(*args: str) -> str:
    out = StringIO()
    call_command("demo_data", *args, stdout=out)
    return out.getvalue()


def evaluations() -> set[tuple[str, int, str, str]]:
    return set(
        Evaluation.objects.values_list("municipality__slug", "year", "status", "source_file")
    )


@pytest.mark.django_db
def test_demo_data_publishes_the_real_reports_and_can_run_again():
    demo_data()
    first = set(Evaluation.objects.values_list("pk", flat=True))
    assert evaluations() == {
        ("kalix", 2012, "published", "evaluations/data/reports/kalix-2012.txt"),
        ("lulea", 2018, "published", "evaluations/data/reports/lulea-2018.txt"),
        ("lindesberg", 2021, "published", "evaluations/data/reports/lindesberg-2021.txt"),
    }
    demo_data()  # its own evaluations are replaced
    assert len(evaluations()) == 3
    assert not first & set(Evaluation.objects.values_list("pk", flat=True))


@pytest.mark.django_db
def test_demo_data_refuses_a_database_with_evaluations_it_did_not_make():
    import_reports("kalix")  # as staff would: import_report, the bare file name
    real = Evaluation.objects.get()
    real.summary = "Rättad av redaktionen."
    real.save()
    with pytest.raises(
        CommandError, match=r"utvärderingar som demodata inte skapat \(1, till exempel Kalix 2012\)"
    ):
        demo_data()
    assert evaluations() == {("kalix", 2012, "published", "kalix-2012.txt")}
    assert Evaluation.objects.get().summary == "Rättad av redaktionen."


@pytest.mark.django_db
def test_told_to_it_adds_demo_data_beside_real_data_and_never_replaces_it():
    import_reports("kalix")
    real = Evaluation.objects.get()
    out = demo_data("--beside-other-data")
    assert "Kalix 2012 finns redan och är inte demodata; lämnas orörd." in out
    assert Evaluation.objects.get(municipality__slug="kalix") == real
    assert evaluations() == {
        ("kalix", 2012, "published", "kalix-2012.txt"),
        ("lulea", 2018, "published", "evaluations/data/reports/lulea-2018.txt"),
        ("lindesberg", 2021, "published", "evaluations/data/reports/lindesberg-2021.txt"),
    }
