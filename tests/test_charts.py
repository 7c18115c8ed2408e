import json
from decimal import Decimal

from comparisons.charts import Series, bar_figure, radar_figure, wrap_label

LABELS = [f"{n} Område" for n in range(1, 9)]


def test_radar_has_one_closed_trace_per_series():
    figure = radar_figure(
        labels=LABELS,
        series=[
            Series(
                name="Luleå 2018", values=[Decimal(v) for v in (79, 74, 72, 65, 66, 69, 65, 85)]
            ),
            Series(name="Medel", values=[Decimal("60.5")] * 8, dash="dot"),
        ],
    )
    assert [trace["name"] for trace in figure["data"]] == ["Luleå 2018", "Medel"]
    first = figure["data"][0]
    assert first["type"] == "scatterpolar"
    assert first["r"] == [79.0, 74.0, 72.0, 65.0, 66.0, 69.0, 65.0, 85.0, 79.0]
    assert first["theta"][0] == first["theta"][-1]
    assert figure["layout"]["polar"]["radialaxis"]["range"] == [0, 100]


def test_unknown_area_scores_are_gaps_not_zeros():
    figure = radar_figure(
        labels=LABELS, series=[Series(name="2003", values=[None, 59] + [None] * 6)]
    )
    r = figure["data"][0]["r"]
    assert r[1] == 59.0 and r[0] is None and 0 not in r
    assert figure["data"][0]["connectgaps"] is False


def test_bar_chart_shows_each_area_out_of_100():
    figure = bar_figure(labels=LABELS, values=[Decimal("9.5")] + [None] * 7, name="2018")
    bar = figure["data"][0]
    assert bar["type"] == "bar" and bar["x"][0] == 9.5 and bar["x"][1] is None
    assert bar["text"][1] == "–"


def test_long_labels_wrap_for_plotly_at_18_characters():
    assert wrap_label("1 Samspel mellan förtroendevalda och medborgare") == (
        "1 Samspel mellan<br>förtroendevalda<br>och medborgare"
    )


def test_figures_carry_no_plotly_template():
    figure = bar_figure(labels=LABELS, values=[Decimal("50")] * 8, name="2018")
    assert "template" not in figure["layout"]
    assert len(json.dumps(figure)) < 2000
