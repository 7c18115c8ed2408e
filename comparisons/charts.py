"""Plotly figures built from plain data; views pass them to the page with json_script."""

import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import plotly.graph_objects as go
from plotly.subplots import make_subplots

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


def _as_json_ready(figure: go.Figure) -> dict:
    # plotly.py would embed its default template, 7 kB a chart; plotly.js's own defaults and
    # the colours set here need none of it.
    figure.layout.template = None
    return json.loads(figure.to_json())


def radar_figure(*, labels: Sequence[str], series: Sequence[Series]) -> dict:
    """A spider chart of area scores (0-100); a None value leaves a gap, never a zero."""
    figure = go.Figure()
    labels = [wrap_label(label) for label in labels]
    for index, item in enumerate(series):
        values = [_number(v) for v in item.values]
        colour = PALETTE[index % len(PALETTE)]
        figure.add_trace(
            go.Scatterpolar(
                # The first point repeats at the end to close the polygon.
                r=[*values, values[0]],
                theta=[*labels, labels[0]],
                name=item.name,
                mode="lines+markers",
                line={"color": colour, "dash": item.dash, "width": 2.5},
                marker={"size": 6},
                connectgaps=False,
                hovertemplate="%{theta}: %{r:.1f}<extra>" + item.name + "</extra>",
            )
        )
    figure.update_layout(
        font=FONT,
        polar={
            "radialaxis": {
                "range": [0, 100],
                "tickvals": [20, 40, 60, 80, 100],
                # Between areas 1 and 2, where the tick labels cover no area label.
                "angle": 67.5,
                "gridcolor": GRID,
            },
            "angularaxis": {"direction": "clockwise", "rotation": 90, "gridcolor": GRID},
        },
        legend={"orientation": "h", "y": -0.15},
        margin={"l": 100, "r": 100, "t": 50, "b": 50},
        height=560,
    )
    return _as_json_ready(figure)


def bar_figure(*, labels: Sequence[str], values: Sequence[Decimal | None], name: str) -> dict:
    """Horizontal bars of the eight area scores, each out of 100."""
    figure = go.Figure(
        go.Bar(
            x=[_number(v) for v in values],
            y=list(labels),
            orientation="h",
            name=name,
            marker={"color": PALETTE[0]},
            text=[("–" if v is None else f"{float(v):.0f}") for v in values],
            textposition="outside",
            hovertemplate="%{y}: %{x:.1f}<extra></extra>",
        )
    )
    figure.update_layout(
        font=FONT,
        xaxis={"range": [0, 110], "title": {"text": "Poäng (av 100)"}, "gridcolor": GRID},
        yaxis={"autorange": "reversed", "automargin": True},
        margin={"l": 10, "r": 20, "t": 20, "b": 50},
        height=420,
        showlegend=False,
    )
    return _as_json_ready(figure)


MARKERS = ["circle", "square", "diamond", "triangle-up", "x", "cross", "star", "pentagon"]


def trend_figure(
    *,
    years: Sequence[int],
    totals: Sequence[Decimal | None],
    areas: Sequence[Series],
    version_changes: Sequence[tuple[int, str]] = (),
) -> dict:
    """Total (of 800, top) and area scores (of 100, below) over the years; a dotted line marks
    each evaluation made in another framework version than the one before it."""
    figure = make_subplots(
        rows=2,
        cols=1,
        shared_xaxes=True,
        row_heights=[0.35, 0.65],
        vertical_spacing=0.1,
        subplot_titles=("Totalpoäng (av 800)", "Poäng per område (av 100)"),
    )
    figure.add_trace(
        go.Scatter(
            x=list(years),
            y=[_number(v) for v in totals],
            name="Totalt",
            mode="lines+markers",
            line={"color": "#1a1a1a", "width": 3},
            marker={"size": 8},
            connectgaps=False,
            hovertemplate="%{x}: %{y:.0f}<extra>Totalt</extra>",
        ),
        row=1,
        col=1,
    )
    for index, item in enumerate(areas):
        figure.add_trace(
            go.Scatter(
                x=list(years),
                y=[_number(v) for v in item.values],
                name=item.name,
                mode="lines+markers",
                line={
                    "color": PALETTE[index % len(PALETTE)],
                    "dash": "solid" if index < len(PALETTE) else "dash",
                    "width": 2,
                },
                marker={"size": 7, "symbol": MARKERS[index % len(MARKERS)]},
                connectgaps=False,
                hovertemplate="%{x}: %{y:.1f}<extra>" + item.name + "</extra>",
            ),
            row=2,
            col=1,
        )
    # The panel titles to the left, clear of the version labels over the dotted lines.
    figure.update_annotations(x=0, xanchor="left")
    for year, version in version_changes:
        figure.add_vline(
            x=year,
            line={"color": "#4a4a4a", "dash": "dot", "width": 1.5},
            annotation_text=f"version {version}",
            annotation_position="top",
            row="all",
            col=1,
        )
    figure.update_xaxes(tickvals=list(years), ticktext=[str(y) for y in years])
    figure.update_xaxes(range=[min(years) - 0.7, max(years) + 0.7])
    figure.update_yaxes(gridcolor=GRID, zeroline=False)
    figure.update_yaxes(range=[0, 800], row=1, col=1)
    figure.update_yaxes(range=[0, 100], row=2, col=1)
    figure.update_layout(
        font=FONT,
        legend={"orientation": "h", "y": -0.12},
        margin={"l": 50, "r": 20, "t": 40, "b": 40},
        height=620,
    )
    return _as_json_ready(figure)
