"""Plotly figures built from plain data; views pass them to the page with json_script."""

import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import plotly.graph_objects as go

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


def _as_json_ready(figure: go.Figure) -> dict:
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
            "radialaxis": {"range": [0, 100], "tickvals": [20, 40, 60, 80, 100], "angle": 90},
            "angularaxis": {"direction": "clockwise", "rotation": 90},
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
        xaxis={"range": [0, 110], "title": {"text": "Poäng (av 100)"}},
        yaxis={"autorange": "reversed", "automargin": True},
        margin={"l": 10, "r": 20, "t": 20, "b": 50},
        height=420,
        showlegend=False,
    )
    return _as_json_ready(figure)
