"""Importing what reports print beyond the three real files: weaknesses as a third list, a
previous evaluation's result stated in words (stored as such, public with its report), other
layouts, and the framework version chosen on the command line."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from evaluations import workflow
from evaluations.importing import MAX_REPORT_BYTES
from evaluations.models import AreaListItem, Evaluation, Municipality

from .conftest import import_reports, make_evaluation_like
from .report_layouts import (
    headings_in_header,
    report_text,
    split_improvements,
    three_columns,
    truncated,
    undecided_kalix,
    with_page_headers,
    with_sentences,
    with_token,
    without_section,
)
from .test_report_parser_layouts import KALIX_LIST_COUNTS, STATED

pytestmark = pytest.mark.django_db

STORED_NOTE = (
    "Föregående resultat enligt texten sparas som 2015, uppgift ur rapporten 2018 (version 2010)."
)


def run(*args) -> str:
    out = StringIO()
    call_command("import_report", *map(str, args), stdout=out, stderr=StringIO())
    return out.getvalue()


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def lulea_stating(tmp_path):
    """Luleå 2018 whose summary states the 2015 result in words."""
    return write(tmp_path, "lulea-2018.txt", with_sentences(report_text("lulea"), STATED))


def kalix_as_lulea_2015(tmp_path):
    """A report of Luleå 2015: Kalix 2012's text and figures under Luleå's name and that year."""
    text = (
        report_text("kalix")
        .replace("KALIX", "LULEÅ")
        .replace("Kalix", "Luleå")
        .replace("genomfördes i november 2012", "genomfördes i november 2015")
    )
    return write(tmp_path, "lulea-2015.txt", text)


# --- weaknesses ---------------------------------------------------------------------------------


def test_weaknesses_are_stored_as_their_own_kind_in_the_reports_order(tmp_path):
    path = write(tmp_path, "kalix-2012.txt", three_columns(report_text("kalix")))
    run(path)
    for number, (strengths, improvements) in enumerate(KALIX_LIST_COUNTS, start=1):
        items = AreaListItem.objects.filter(area_result__area__number=number)
        counts = [items.filter(kind=kind).count() for kind in AreaListItem.Kind.values]
        assert counts == [strengths, (improvements + 1) // 2, improvements // 2], number
    first = AreaListItem.objects.filter(area_result__area__number=1)
    assert list(
        first.filter(kind=AreaListItem.Kind.WEAKNESS).order_by("position").values_list("text")
    ) == [
        ("En förenklad snabb information om beslut i KF",),
        ("Informationen om resultat till medborgarna",),
    ]
    assert not AreaListItem.objects.filter(text__in=["Svagheter", "--"]).exists()


def test_dry_run_json_lists_weaknesses_per_area(tmp_path):
    three = json.loads(
        run("--dry-run", "--json", write(tmp_path, "k.txt", three_columns(report_text("kalix"))))
    )
    real = json.loads(run("--dry-run", "--json", write(tmp_path, "r.txt", report_text("kalix"))))
    assert [len(a["weaknesses"]) for a in three["areas"]] == [2, 2, 2, 1, 1, 2, 2, 1]
    for area, original in zip(three["areas"], real["areas"], strict=True):
        assert area["strengths"] == original["strengths"]
        assert (area["improvements"], area["weaknesses"]) == split_improvements(
            original["improvements"]
        )
        assert original["weaknesses"] == []
    lulea = json.loads(run("--dry-run", "--json", write(tmp_path, "l.txt", report_text("lulea"))))
    assert [a["weaknesses"] for a in lulea["areas"]] == [[]] * 8
    assert lulea["previous_stated"] is None
    assert Evaluation.objects.count() == 0


# --- stated previous results --------------------------------------------------------------------


def test_a_stated_previous_result_is_stored_as_a_summary_only_evaluation(lulea_stating):
    out = run(lulea_stating)
    later = Evaluation.objects.get(year=2018)
    stated = Evaluation.objects.with_total().get(year=2015)
    assert (stated.origin, stated.stated_in, stated.stated_source) == ("stated", later, STATED)
    assert (stated.framework.code, stated.municipality.code, stated.status) == (
        "2010",
        "2580",
        "draft",
    )
    assert (stated.printed_total, stated.total) == (551, 551)
    assert list(stated.area_results.values_list("area__number", "points")) == [(6, 59)]
    assert not stated.scores.exists()
    assert STORED_NOTE in later.import_warnings and f"varning: {STORED_NOTE}" in out
    assert later.origin == "report"


def test_a_stated_result_without_a_total_has_none(tmp_path):
    text = with_sentences(
        report_text("lulea"), "Inom område 6 gick kommunen från 59 till 69 poäng."
    )
    run(write(tmp_path, "lulea-2018.txt", text))
    stated = Evaluation.objects.with_total().get(year=2015)
    assert (stated.printed_total, stated.total, stated.areas_total) == (None, None, 59)


def test_dry_run_json_shows_the_stated_result_and_writes_nothing(lulea_stating):
    data = json.loads(run("--dry-run", "--json", lulea_stating))
    assert data["previous_stated"] == {
        "year": 2015,
        "total": 551.0,
        "areas": {"6": 59.0},
        "source": STATED,
    }
    assert STORED_NOTE in data["warnings"]
    assert Evaluation.objects.count() == 0


def test_it_is_public_exactly_when_its_report_is(lulea_stating):
    run("--publish", lulea_stating)
    later, stated = Evaluation.objects.get(year=2018), Evaluation.objects.get(year=2015)
    assert stated.is_published
    assert list(Evaluation.objects.published()) == [later]
    assert set(Evaluation.objects.published_or_stated()) == {later, stated}
    workflow.unpublish(later, reason="Fel i rapporten")
    stated.refresh_from_db()
    assert stated.status == "draft" and stated.history.first().history_change_reason == (
        "Fel i rapporten"
    )
    assert not Evaluation.objects.published_or_stated().exists()
    workflow.publish(later)
    stated.refresh_from_db()
    assert stated.is_published
    assert workflow.publish_problems(stated) == [
        "Luleå 2015 är en uppgift ur rapporten Luleå 2018 och publiceras och avpubliceras med den."
    ]


def test_it_never_overwrites_an_evaluation_from_its_own_report(lulea_stating):
    import_reports("kalix")
    own = make_evaluation_like(
        Evaluation.objects.get(), municipality=Municipality.objects.get(code="2580"), year=2015
    )
    run(lulea_stating)
    own.refresh_from_db()
    assert own.origin == "report" and own.stated_in is None
    assert not Evaluation.objects.filter(origin="stated").exists()
    assert (
        "Föregående resultat enligt texten sparas inte: Kompass har redan utvärderingen Luleå "
        "2015 ur dess egen rapport. Texten skiljer sig från den: totalt 551 i texten, 413 i "
        "Kompass; område 6 59 i texten, 43 i Kompass."
    ) in Evaluation.objects.get(year=2018).import_warnings


def test_the_real_report_of_that_year_replaces_the_stated_one(lulea_stating, tmp_path):
    run("--publish", lulea_stating)
    out = run(kalix_as_lulea_2015(tmp_path))
    own = Evaluation.objects.with_total().get(year=2015)
    assert (own.origin, own.status, own.total, own.scores.count()) == ("report", "draft", 415, 45)
    warning = (
        "Kompass hade 2015 bara som uppgift ur rapporten 2018; den ersätts av denna rapport. Den "
        "syns inte längre på webbplatsen förrän denna utvärdering publiceras."
    )
    assert warning in own.import_warnings and warning in out
    assert Evaluation.objects.count() == 2


def test_importing_the_later_report_again_replaces_its_stated_result(lulea_stating):
    run("--publish", lulea_stating)
    run("--publish", "--replace", lulea_stating)
    assert Evaluation.objects.filter(origin="stated").count() == 1
    assert Evaluation.objects.get(year=2015).stated_in == Evaluation.objects.get(year=2018)


def test_a_result_from_before_2010_is_not_stored(tmp_path):
    text = with_sentences(
        report_text("kalix"), "Kalix gick från totalt 551 till 415.", after="genomfördes 2003. "
    )
    out = run(write(tmp_path, "kalix-2012.txt", text))
    assert Evaluation.objects.count() == 1
    assert "ingen ramverksversion för 2003 (den första är från 2010)" in out


# --- layouts and the framework version ------------------------------------------------------------


def test_a_report_whose_version_nothing_decides_is_refused_until_it_is_given(tmp_path):
    path = write(tmp_path, "kalix.txt", undecided_kalix())
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_report", str(path), stdout=StringIO(), stderr=err)
    assert (
        "kalix.txt: Rapporten avgör inte vilken ramverksversion den följer (2010, 2016, 2020); "
        "ange den med --version." in err.getvalue()
    )
    assert Evaluation.objects.count() == 0
    out = run("--version", "2010", path)
    evaluation = Evaluation.objects.get()
    assert (evaluation.framework.code, evaluation.year, evaluation.scores.count()) == (
        "2010",
        2009,
        0,
    )
    assert "Ramverksversion 2010 vald av personalen; rapporten avgjorde den inte." in out
    assert evaluation.revisions.get().reason == (
        "Ramverksversion 2010 vald av personalen (rapporten avgör den inte); inläst från kalix.txt"
    )


def test_version_overrides_what_the_report_points_to_and_says_so(tmp_path):
    path = write(tmp_path, "kalix.txt", truncated(report_text("kalix")))
    data = json.loads(run("--dry-run", "--json", "--version", "2016", path))
    assert (data["framework_version"], data["detected_version"], data["version_signal"]) == (
        "2016",
        "2010",
        "staff",
    )
    run("--version", "2016", path)
    evaluation = Evaluation.objects.get()
    assert evaluation.framework.code == "2016"
    assert (
        "Ramverksversion 2016 vald av personalen; rapporten själv pekar på 2010 (efter "
        "områdesrubrikerna)." in evaluation.import_warnings
    )
    assert evaluation.revisions.get().reason == (
        "Ramverksversion 2016 vald av personalen (rapporten pekar på 2010); inläst från kalix.txt"
    )


def test_an_unknown_version_is_refused_before_any_file_is_read(tmp_path):
    with pytest.raises(
        CommandError, match="Okänd ramverksversion 2.1; Kompass har 2010, 2016, 2020."
    ):
        call_command(
            "import_report", "--version", "2.1", str(tmp_path / "x.txt"), stdout=StringIO()
        )


def test_a_flattened_report_with_headings_in_its_headers_imports_whole(tmp_path):
    text = with_page_headers(headings_in_header(report_text("lulea")))
    run(write(tmp_path, "lulea-flat.txt", text))
    evaluation = Evaluation.objects.with_total().get()
    assert (evaluation.framework.code, evaluation.total, evaluation.scores.count()) == (
        "2016",
        575,
        45,
    )
    results = evaluation.area_results.order_by("area__number")
    assert [r.header_points for r in results] == [79, 74, 71, 65, 66, 71, 66, 85]
    assert all(r.text.startswith("Allmänt") for r in results)
    assert AreaListItem.objects.filter(kind="strength").count() == 54
    assert AreaListItem.objects.filter(kind="improvement").count() == 47


def test_a_truncated_flattened_report_becomes_summary_only(tmp_path):
    text = with_page_headers(truncated(headings_in_header(report_text("kalix"), rubriker=False)))
    out = run(write(tmp_path, "kalix-flat.txt", text))
    evaluation = Evaluation.objects.with_total().get()
    assert (evaluation.framework.code, evaluation.total, evaluation.scores.count()) == (
        "2010",
        415,
        0,
    )
    points = list(evaluation.area_results.order_by("area__number").values_list("points", flat=True))
    assert points == [41, 40, 65, 58, 49, 43, 56, 61]
    assert "Ramverksversion 2010 vald efter områdesrubrikerna (översiktstabellerna saknas)." in out


# --- damage -------------------------------------------------------------------------------------


def test_a_file_over_two_megabytes_is_refused_and_never_read_whole(tmp_path):
    huge = tmp_path / "stor.txt"
    with huge.open("wb") as file:
        file.truncate(50 * 1024 * 1024)  # sparse: 50 MB that take no disk
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_report", str(huge), stdout=StringIO(), stderr=err)
    assert err.getvalue() == "stor.txt: Filen är för stor (högst 2 MB).\n".replace(
        "stor.txt", str(huge)
    )
    assert Evaluation.objects.count() == 0


def test_a_report_at_the_limit_is_read_and_one_byte_more_is_not(tmp_path):
    text = report_text("lulea")
    filler = MAX_REPORT_BYTES - len(text.encode()) - 2
    at_limit = write(tmp_path, "lulea.txt", with_token(text, filler))
    assert at_limit.stat().st_size == MAX_REPORT_BYTES
    over = write(tmp_path, "lulea-over.txt", with_token(text, filler + 1))
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_report", str(over), stdout=StringIO(), stderr=err)
    assert "Filen är för stor (högst 2 MB)." in err.getvalue()
    out = run(at_limit)
    assert "tecken utan mellanrum – troligen skräp från PDF-extraktionen" in out
    assert Evaluation.objects.with_total().get().total == 575


def test_two_reports_in_one_file_are_refused_and_nothing_is_written(tmp_path):
    both = write(tmp_path, "both.txt", report_text("kalix") + "\n" + report_text("lulea"))
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_report", str(both), stdout=StringIO(), stderr=err)
    assert "Filen innehåller 2 rapporter (Kalix 2012 och Luleå 2018), inte en" in err.getvalue()
    assert Evaluation.objects.count() == 0


def test_a_missing_section_is_imported_with_its_warning(tmp_path):
    out = run("--publish", write(tmp_path, "lulea.txt", without_section(report_text("lulea"), 4)))
    four = Evaluation.objects.get().area_results.get(area__number=4)
    assert (four.points, four.text, four.list_items.count()) == (65, "", 0)
    assert "varning: Område 4: avsnittet saknas i rapporten" in out


def test_a_windows_file_with_a_byte_order_mark_reads_as_the_real_report(tmp_path):
    windows = tmp_path / "kalix-windows.txt"
    windows.write_bytes(report_text("kalix").replace("\n", "\r\n").encode("utf-8-sig"))
    windowsjson = json.loads(run("--dry-run", "--json", windows))
    real = json.loads(run("--dry-run", "--json", write(tmp_path, "k.txt", report_text("kalix"))))
    assert windowsjson == real
