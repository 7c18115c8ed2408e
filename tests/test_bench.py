"""The benchmark's data and its guard (the benchmark itself is `make bench`, never a test)."""

import pytest

from bench import run, synthetic
from evaluations import dataversion
from evaluations.models import Evaluation


@pytest.mark.django_db
def test_synthetic_evaluations_are_published_marked_and_whole(published_reports):
    before = dataversion.current().number
    assert synthetic.grow_to(12) == 9
    made = Evaluation.objects.filter(source_file=synthetic.SOURCE_FILE).with_total()
    assert made.count() == 9 and Evaluation.objects.published().count() == 12
    for evaluation in made:
        assert evaluation.summary.startswith("SYNTETISK") and "SYNTETISK" in evaluation.evaluators
        areas = list(evaluation.area_results.all())
        assert len(areas) == 8 and all(a.points is not None for a in areas)
        assert (
            evaluation.scores.count()
            == evaluation.framework.areas.filter(questions__isnull=False)
            .values("questions")
            .count()
        )
        assert evaluation.total == sum(a.points for a in areas) <= 800
    assert {e.framework.code for e in made} == {"2010", "2016", "2020"}  # mixed from the start
    assert dataversion.current().number > before  # bulk_create sends no signals: bumped
    assert synthetic.grow_to(12) == 0


@pytest.mark.parametrize(
    "url",
    [
        "postgres://postgres@127.0.0.1:5432/kompass",
        "postgres://postgres@127.0.0.1:5432/kompass_ci",
        "sqlite:///db_bench.sqlite3",
    ],
)
def test_the_benchmark_refuses_any_database_not_its_own(monkeypatch, url):
    monkeypatch.setenv("BENCH_DATABASE_URL", url)
    with pytest.raises(SystemExit, match="_bench"):
        run.bench_database()


def test_a_size_measured_alone_replaces_its_own_section_and_keeps_the_others():
    figures = {
        size: run.SizeFigures(size=size, scores=size * 44, measured="2026-12-01", load="1.0")
        for size in (3, 300, 10_000)
    }
    head = run.markdown_head(server="gunicorn", label="test")
    earlier = run.merged("", {3: run.markdown_size(figures[3])}, head)
    earlier = run.merged(earlier, {300: run.markdown_size(figures[300])}, head)
    figures[300].bare_rps = 1234
    later = run.merged(
        earlier,
        {10_000: run.markdown_size(figures[10_000]), 300: run.markdown_size(figures[300])},
        head,
    )
    sections = [line for line in later.splitlines() if line.startswith("## ")]
    assert sections == [
        "## 3 published evaluations (132 scores)",
        "## 300 published evaluations (13 200 scores)",
        "## 10 000 published evaluations (440 000 scores)",
    ]
    assert later.count("# Benchmark: test") == 1 and "1 234 req/s" in later
    assert "1 234 req/s" not in earlier and "## 3 published" in earlier
