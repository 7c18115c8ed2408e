"""comparisons.figure_notes: the public notes on figures that a report itself disagrees on."""

from decimal import Decimal

import pytest

from comparisons.figure_notes import NoteKind, figure_notes

pytestmark = pytest.mark.django_db


def notes_by_kind(evaluation) -> dict:
    return {note.kind: note for note in figure_notes(evaluation=evaluation)}


def test_kalix_total_rows_rounding_and_contradicting_percents(published_reports):
    notes = notes_by_kind(published_reports["kalix"])
    assert set(notes) == {NoteKind.TOTAL, NoteKind.AREA_ROWS, NoteKind.ROUNDING, NoteKind.PERCENT}
    total = notes[NoteKind.TOTAL]
    assert total.text.startswith("Totalpoängen 415 är den som rapportens text anger.")
    assert "summerar till 413" in total.text
    rows = notes[NoteKind.AREA_ROWS]
    # Area 2: printed rows 41, total 40, the recovered points 40,3.
    assert [(i.where, i.shown, i.printed) for i in rows.items][0] == ("2", 40, 41)
    assert "område 2: raderna 41, summan 40 (exaktare poäng: 40,3)" in rows.text
    rounding = notes[NoteKind.ROUNDING]
    assert rounding.text.startswith("Rapporten skriver delfrågornas poäng avrundade")
    assert "1.1: tryckt 5, 35 %, visas 5,3" in rounding.text
    # 2.3 "7 of 15, 50 %": no one-decimal value reconciles them; the printed points stand.
    percent = notes[NoteKind.PERCENT]
    assert [i.where for i in percent.items] == ["2.3", "6.6", "8.5"]
    assert "2.3: 7 poäng men 50 %" in percent.text


def test_lulea_header_and_rounding_but_no_total_note(published_reports):
    notes = notes_by_kind(published_reports["lulea"])
    assert NoteKind.TOTAL not in notes  # no printed total: the sum of the areas is shown
    header = notes[NoteKind.AREA_HEADER]
    assert [(i.where, i.shown, i.printed) for i in header.items] == [
        ("3", Decimal("72"), Decimal("71")),
        ("6", Decimal("69"), Decimal("71")),
        ("7", Decimal("65"), Decimal("66")),
    ]
    assert "område 3: rubriken 71, tabellen 72" in header.text
    assert "1.5: tryckt 10, 95 %, visas 9,5" in notes[NoteKind.ROUNDING].text
    assert NoteKind.DATES not in notes  # dated January 2019, after October 2018


def test_lindesberg_total_and_dates(published_reports):
    notes = notes_by_kind(published_reports["lindesberg"])
    assert "Totalpoängen 420" in notes[NoteKind.TOTAL].text
    assert "summerar till 423" in notes[NoteKind.TOTAL].text
    dates = notes[NoteKind.DATES]
    assert dates.text == (
        "Rapporten är daterad 11 maj 2020, före utvärderingen som enligt rapporten gjordes "
        "mars 2021. Kompass anger utvärderingens tidpunkt, mars 2021."
    )


def test_no_staff_warning_reaches_the_public_notes(published_reports):
    # The importer's warnings speak of parsing (a table label from another version, a list
    # split heuristically): none of that is a public note.
    lindesberg = published_reports["lindesberg"]
    text = " ".join(note.text for note in figure_notes(evaluation=lindesberg))
    assert any("heuristiskt" in w for w in lindesberg.import_warnings)
    assert "heuristiskt" not in text and "Offentlighet och demokrati" not in text


def test_figure_notes_take_two_queries(published_reports, django_assert_num_queries):
    with django_assert_num_queries(2):
        figure_notes(evaluation=published_reports["kalix"])
