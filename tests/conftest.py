from pathlib import Path

import pytest
from django.core.management import call_command

from evaluations.models import AreaPoint, AreaResult, Evaluation, Municipality, QuestionScore

DATA_DIR = Path(__file__).resolve().parents[1] / "evaluations" / "data"
REPORTS_DIR = DATA_DIR / "reports"
REPORT_FILES = {
    "kalix": REPORTS_DIR / "kalix-2012.txt",
    "lulea": REPORTS_DIR / "lulea-2018.txt",
    "lindesberg": REPORTS_DIR / "lindesberg-2021.txt",
}


def import_reports(*names: str, publish: bool = True) -> None:
    args = [str(REPORT_FILES[name]) for name in names]
    call_command("import_report", *args, *(["--publish"] if publish else []), stdout=None)


@pytest.fixture
def published_reports(db):
    """The three real reports, imported and published."""
    import_reports("kalix", "lulea", "lindesberg")
    return {e.municipality.slug: e for e in Evaluation.objects.with_related()}


def make_evaluation_like(
    source: Evaluation,
    *,
    municipality: Municipality,
    year: int,
    status: str = Evaluation.Status.PUBLISHED,
) -> Evaluation:
    """A copy of a real imported evaluation's figures under another municipality or year.

    Used where a test needs more evaluations than the three real reports (query counts, means);
    the figures stay those printed in a real report.
    """
    copy = Evaluation.objects.create(
        municipality=municipality,
        framework=source.framework,
        year=year,
        month=source.month,
        ordinal=1,
        status=status,
        source_file=source.source_file,
    )
    for result in source.area_results.all():
        new_result = AreaResult.objects.create(
            evaluation=copy,
            area=result.area,
            points=result.points,
            header_points=result.header_points,
            table_points=result.table_points,
            text=result.text,
        )
        AreaPoint.objects.bulk_create(
            AreaPoint(area_result=new_result, kind=p.kind, position=p.position, text=p.text)
            for p in result.points_list.all()
        )
    QuestionScore.objects.bulk_create(
        QuestionScore(evaluation=copy, question=s.question, points=s.points)
        for s in source.scores.all()
    )
    return copy
