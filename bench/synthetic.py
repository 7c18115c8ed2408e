"""A synthetic national dataset for the benchmark, built through the project's models.

Only ever written to the benchmark's own database (bench/run.py refuses any database whose
name does not end in ``_bench``), never to demo or production data. Every synthetic evaluation
says what it is where a visitor would look: its summary, its evaluators and its source file
read "SYNTETISK", and its texts and list items are filler of the real reports' lengths.

One evaluation per municipality and year: 10,000 evaluations of 290 municipalities need the
years 2002-2036 (the model allows up to 2100), each with the framework version of its year.
"""

import random
from decimal import Decimal

from evaluations import dataversion
from evaluations.models import (
    AreaListItem,
    AreaResult,
    Evaluation,
    FrameworkVersion,
    Municipality,
    QuestionScore,
)

MARK = "SYNTETISK"
SOURCE_FILE = "SYNTETISK-benchmark"
FIRST_YEAR = 2002
YEARS = 35  # 2002-2036
FILLER = (
    "Syntetisk text för prestandamätning, inga verkliga uppgifter. Kommunen arbetar med "
    "styrning, uppföljning och dialog med invånarna, och texten är lika lång som i en "
    "verklig rapport. "
)
# About what the real reports hold per area and per list.
AREA_TEXT_CHARS = 2400
SUMMARY_CHARS = 1500
ITEMS_PER_LIST = 4
BATCH = 2000


def _filler(chars: int) -> str:
    return (FILLER * (chars // len(FILLER) + 1))[:chars].rsplit(" ", 1)[0] + "."


def _version_for(year: int, versions: dict[str, FrameworkVersion]) -> FrameworkVersion:
    if year >= 2020:
        return versions["2020"]
    if year >= 2016:
        return versions["2016"]
    return versions["2010"]


def _slots(municipalities: list[Municipality], taken: set[tuple[int, int]]):
    """(municipality, year) pairs in a fixed order: a round over every municipality, each at
    another year, then the next round; the versions are mixed from the first round on."""
    for round_number in range(YEARS):
        for index, municipality in enumerate(municipalities):
            year = FIRST_YEAR + (index * 7 + round_number) % YEARS
            if (municipality.pk, year) not in taken:
                yield municipality, year


def grow_to(total: int, *, seed: int = 2024) -> int:
    """Add synthetic published evaluations until the database holds `total` published ones;
    returns how many were added."""
    have = Evaluation.objects.published().count()
    wanted = total - have
    if wanted <= 0:
        return 0
    versions = {v.code: v for v in FrameworkVersion.objects.prefetch_related("areas__questions")}
    municipalities = list(Municipality.objects.order_by("code"))
    taken = set(Evaluation.objects.values_list("municipality_id", "year"))
    rng = random.Random(seed + have)
    summary = f"{MARK}: {_filler(SUMMARY_CHARS)}"
    area_text = _filler(AREA_TEXT_CHARS)
    items = [f"{MARK} punkt {n}: {_filler(90)}" for n in range(1, ITEMS_PER_LIST + 1)]

    slots = _slots(municipalities, taken)
    added = 0
    while added < wanted:
        batch = []
        for municipality, year in slots:
            framework = _version_for(year, versions)
            batch.append(
                Evaluation(
                    municipality=municipality,
                    framework=framework,
                    year=year,
                    month=rng.randint(1, 12),
                    ordinal=1,
                    evaluators=f"{MARK} (benchmark)",
                    interviewed=rng.randint(25, 40),
                    summary=summary,
                    status=Evaluation.Status.PUBLISHED,
                    source_file=SOURCE_FILE,
                )
            )
            if len(batch) == min(BATCH, wanted - added):
                break
        if not batch:
            raise RuntimeError("no (municipality, year) left for another synthetic evaluation")
        Evaluation.objects.bulk_create(batch)
        results, scores = [], []
        for evaluation in batch:
            for area in versions[evaluation.framework.code].areas.all():
                points = Decimal(0)
                for question in area.questions.all():
                    share = rng.uniform(0.25, 0.95)
                    value = Decimal(round(question.max_points * share * 2) / 2).quantize(
                        Decimal("0.1")
                    )
                    points += value
                    scores.append(
                        QuestionScore(evaluation=evaluation, question=question, points=value)
                    )
                results.append(
                    AreaResult(
                        evaluation=evaluation,
                        area=area,
                        points=points,
                        table_points=points,
                        header_points=points,
                        text=area_text,
                    )
                )
        AreaResult.objects.bulk_create(results, batch_size=BATCH)
        QuestionScore.objects.bulk_create(scores, batch_size=BATCH * 5)
        AreaListItem.objects.bulk_create(
            (
                AreaListItem(area_result=result, kind=kind, position=position, text=text)
                for result in results
                for kind in (AreaListItem.Kind.STRENGTH, AreaListItem.Kind.IMPROVEMENT)
                for position, text in enumerate(items, start=1)
            ),
            batch_size=BATCH * 5,
        )
        added += len(batch)
    dataversion.bump()  # bulk_create sends no signals
    return added
