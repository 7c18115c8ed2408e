"""Plotly figures built from plain data, as the JSON-ready dicts that plotly.js draws; views
pass them to the page with json_script.

Plain dicts, not plotly.py's graph objects: validating and serialising those cost 50-265 ms a
page, and plotly.js needs none of it (nor plotly.py's 7 kB default template)."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from .numbers import decimal_text

# Colour-blind safe (Okabe–Ito), each with at least 3:1 contrast against white.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#785EF0", "#996600"]
FONT = {"family": "system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif", "size": 13}


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[Decimal | float | None]
    dash: str = "solid"


def _number(value: Decimal | float | None) -> float | None:
    return None if value is None else float(value)


def hover_number(value: Decimal | float | None, decimals: int = 1) -> str:
    """A tooltip's number with the language's decimal mark, halves up: 65 → "65,0" (Swedish)
    or "65.0" (English), None → "–"."""
    if value is None:
        return "–"
    return decimal_text(value, decimals).replace("-", "\u2212")


def area_number_label(label: str) -> str:
    """ "3 Styrning och kontroll" → "Område 3": where a chart has no room for the names."""
    number = label.split(" ", 1)[0]
    return _("Område %(number)s") % {"number": number} if number.isdigit() else label


def _area_labels(labels: Sequence[str]) -> dict:
    # charts.js wraps the names to the width the chart is drawn at (screen, print, image) and
    # falls back to the numbers where the names do not fit.
    return {"labels": list(labels), "short": [area_number_label(label) for label in labels]}


def wrap_label(label: str, width: int = 18) -> str:
    """Break a long category label into lines for plotly (which understands <br>)."""
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


GRID = "#d9d9d9"


def radar_figure(*, labels: Sequence[str], series: Sequence[Series]) -> dict:
    """A spider chart of area scores (0-100); a None value leaves a gap, never a zero."""
    names = list(labels)
    labels = [wrap_label(label) for label in labels]
    data = []
    for index, item in enumerate(series):
        values = [_number(v) for v in item.values]
        data.append(
            {
                "type": "scatterpolar",
                # The first point repeats at the end to close the polygon.
                "r": [*values, values[0]],
                "theta": [*labels, labels[0]],
                "name": item.name,
                "mode": "lines+markers",
                "line": {"color": PALETTE[index % len(PALETTE)], "dash": item.dash, "width": 2.5},
                "marker": {"size": 6},
                "connectgaps": False,
                "customdata": [
                    [name, hover_number(value)]
                    for name, value in zip([*names, names[0]], [*values, values[0]], strict=True)
                ],
                "hovertemplate": "%{customdata[0]}: %{customdata[1]}<extra>"
                + item.name
                + "</extra>",
            }
        )
    layout = {
        "font": FONT,
        "polar": {
            "radialaxis": {
                "range": [0, 100],
                "tickvals": [20, 40, 60, 80, 100],
                # Between areas 1 and 2, where the tick labels cover no area label.
                "angle": 67.5,
                "gridcolor": GRID,
            },
            "angularaxis": {"direction": "clockwise", "rotation": 90, "gridcolor": GRID},
        },
        "legend": {"orientation": "h", "y": -0.15},
        "margin": {"l": 100, "r": 100, "t": 50, "b": 50},
        "height": 560,
        "meta": _area_labels(names),
    }
    return {"data": data, "layout": layout}


def bar_figure(*, labels: Sequence[str], values: Sequence[Decimal | None], name: str) -> dict:
    """Horizontal bars of the eight area scores, each out of 100."""
    bar = {
        "type": "bar",
        "x": [_number(v) for v in values],
        "y": list(labels),
        "orientation": "h",
        "name": name,
        "marker": {"color": PALETTE[0]},
        "text": [hover_number(v, decimals=0) for v in values],
        "textposition": "outside",
        "customdata": [[label, hover_number(v)] for label, v in zip(labels, values, strict=True)],
        "hovertemplate": "%{customdata[0]}: %{customdata[1]}<extra></extra>",
    }
    layout = {
        "font": FONT,
        "xaxis": {"range": [0, 110], "title": {"text": _("Poäng (av 100)")}, "gridcolor": GRID},
        "yaxis": {"autorange": "reversed", "automargin": True},
        "margin": {"l": 10, "r": 20, "t": 20, "b": 50},
        "height": 420,
        "showlegend": False,
        "meta": _area_labels(labels),
    }
    return {"data": [bar], "layout": layout}


MARKERS = ["circle", "square", "diamond", "triangle-up", "x", "cross", "star", "pentagon"]
# Two panels sharing the x axis: totals above (35 % of the height), areas below, 0.1 between.
PANEL_GAP = 0.1
TOTALS_BOTTOM = 1 - (1 - PANEL_GAP) * 0.35
AREAS_TOP = (1 - PANEL_GAP) * 0.65


def trend_figure(
    *,
    years: Sequence[int],
    totals: Sequence[Decimal | None],
    areas: Sequence[Series],
    version_changes: Sequence[tuple[int, str]] = (),
) -> dict:
    """Total (of 800, top) and area scores (of 100, below) over the years; a dotted line marks
    each evaluation made in another framework version than the one before it."""
    x = list(years)
    data = [_trend_total(x, totals)] + [
        _trend_area(x, item, index) for index, item in enumerate(areas)
    ]
    # The panel titles to the left, clear of the version labels over the dotted lines.
    annotations = [
        {
            "text": title,
            "font": {"size": 16},
            "showarrow": False,
            "x": 0,
            "xanchor": "left",
            "xref": "paper",
            "y": y,
            "yanchor": "bottom",
            "yref": "paper",
        }
        for title, y in (
            (_("Totalpoäng (av 800)"), 1.0),
            (_("Poäng per område (av 100)"), AREAS_TOP),
        )
    ]
    shapes, labels = _version_change_marks(version_changes)
    ticks = {"tickvals": x, "ticktext": [str(y) for y in x], "range": [min(x) - 0.7, max(x) + 0.7]}
    y_axis = {"gridcolor": GRID, "zeroline": False}
    layout = {
        "font": FONT,
        "annotations": annotations + labels,
        "xaxis": {"anchor": "y", "domain": [0.0, 1.0], "matches": "x2", "showticklabels": False}
        | ticks,
        "xaxis2": {"anchor": "y2", "domain": [0.0, 1.0]} | ticks,
        "yaxis": {"anchor": "x", "domain": [TOTALS_BOTTOM, 1.0], "range": [0, 800]} | y_axis,
        "yaxis2": {"anchor": "x2", "domain": [0.0, AREAS_TOP], "range": [0, 100]} | y_axis,
        "legend": {"orientation": "h", "y": -0.12},
        "margin": {"l": 50, "r": 20, "t": 40, "b": 40},
        "height": 620,
    }
    if shapes:
        layout["shapes"] = shapes
    return {"data": data, "layout": layout}


def _trend_total(x: list[int], totals: Sequence[Decimal | None]) -> dict:
    return {
        "type": "scatter",
        "x": x,
        "y": [_number(v) for v in totals],
        "xaxis": "x",
        "yaxis": "y",
        "name": _("Totalt"),
        "mode": "lines+markers",
        "line": {"color": "#1a1a1a", "width": 3},
        "marker": {"size": 8},
        "connectgaps": False,
        "customdata": [hover_number(v, decimals=0) for v in totals],
        "hovertemplate": "%{x}: %{customdata}<extra>" + _("Totalt") + "</extra>",
    }


def _trend_area(x: list[int], item: Series, index: int) -> dict:
    return {
        "type": "scatter",
        "x": x,
        "y": [_number(v) for v in item.values],
        "xaxis": "x2",
        "yaxis": "y2",
        "name": item.name,
        "mode": "lines+markers",
        "line": {
            "color": PALETTE[index % len(PALETTE)],
            "dash": "solid" if index < len(PALETTE) else "dash",
            "width": 2,
        },
        "marker": {"size": 7, "symbol": MARKERS[index % len(MARKERS)]},
        "connectgaps": False,
        "customdata": [hover_number(v) for v in item.values],
        "hovertemplate": "%{x}: %{customdata}<extra>" + item.name + "</extra>",
    }


def _version_change_marks(
    version_changes: Sequence[tuple[int, str]],
) -> tuple[list[dict], list[dict]]:
    """A dotted line in both panels at each version change, labelled with the version."""
    shapes, labels = [], []
    for year, version in version_changes:
        for xref, yref in (("x", "y domain"), ("x2", "y2 domain")):
            shapes.append(
                {
                    "type": "line",
                    "line": {"color": "#4a4a4a", "dash": "dot", "width": 1.5},
                    "x0": year,
                    "x1": year,
                    "xref": xref,
                    "y0": 0,
                    "y1": 1,
                    "yref": yref,
                }
            )
            labels.append(
                {
                    "text": f"version {version}",
                    "showarrow": False,
                    "x": year,
                    "xanchor": "center",
                    "xref": xref,
                    "y": 1,
                    "yanchor": "bottom",
                    "yref": yref,
                }
            )
    return shapes, labels
