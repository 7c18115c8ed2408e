"""Preview images (Open Graph, Twitter cards) of a profile's or a comparison's radar, drawn by
plotly's own image export (kaleido, driving the Chromium at settings.CHROMIUM_PATH).

An image is cached as a file named by the hash of its figure, so it is drawn again exactly when
what it shows changes; `manage.py build_open_data` draws every published evaluation's ahead,
so that a link shared on social media finds its image at once."""

import asyncio
import copy
import fcntl
import hashlib
import json
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from comparisons.profiles import build_profile
from comparisons.views.compare import compare_url

from . import meta

WIDTH, HEIGHT = 1200, 630  # what Open Graph and Twitter's large card show
RENDER_TIMEOUT = 60  # seconds for one image, Chromium's start included
logger = logging.getLogger(__name__)


class RenderError(RuntimeError):
    pass


@dataclass(frozen=True)
class Preview:
    """A radar to draw, with what every exported chart carries: title, source, date."""

    figure: dict
    title: str
    source_url: str

    @property
    def key(self) -> str:
        # The date is left out: the same picture drawn tomorrow is the same picture.
        text = json.dumps([self.figure, self.title, self.source_url], sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:32]


def credit(source_url: str, date: str) -> str:
    return f"{meta.ATTRIBUTION} · {source_url} · {date}"


def preview_figure(preview: Preview, *, date: str) -> dict:
    """The page's radar at 1200 × 630, with the title above and the source and date below."""
    figure = copy.deepcopy(preview.figure)
    layout = figure["layout"]
    layout.update(
        width=WIDTH,
        height=HEIGHT,
        paper_bgcolor="#ffffff",
        title={"text": preview.title, "x": 0.02, "xanchor": "left", "font": {"size": 24}},
        margin={"l": 40, "r": 40, "t": 90, "b": 60},
        showlegend=True,
        legend={"orientation": "v", "x": 0.7, "y": 0.5, "font": {"size": 15}},
        annotations=[
            {
                "text": credit(preview.source_url, date),
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": -0.09,
                "xanchor": "left",
                "showarrow": False,
                "font": {"size": 13, "color": "#4a4a4a"},
            }
        ],
    )
    # The radar at the left, its labels clear of the title and the credit; the legend beside.
    layout["polar"] = {**layout.get("polar", {}), "domain": {"x": [0.04, 0.6], "y": [0.05, 0.93]}}
    return figure


def cache_dir() -> Path:
    return Path(settings.OPEN_DATA_DIR) / "previews"


def cached_path(preview: Preview) -> Path:
    return cache_dir() / f"{preview.key}.png"


async def _render(figures: list[dict]) -> list[bytes]:
    import kaleido  # imported here: only the image export needs it

    async with kaleido.Kaleido(
        n=1, timeout=RENDER_TIMEOUT, mathjax=False, path=settings.CHROMIUM_PATH
    ) as renderer:
        return [
            await renderer.calc_fig(f, opts={"format": "png", "width": WIDTH, "height": HEIGHT})
            for f in figures
        ]


def render(previews: list[Preview]) -> None:
    """Draw the previews that are not cached yet, with one browser, under a lock (so that at most
    one Chromium draws at a time, whatever the number of server processes)."""
    cache_dir().mkdir(parents=True, exist_ok=True)
    with (cache_dir() / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        missing = {cached_path(p): p for p in previews if not cached_path(p).exists()}
        if not missing:
            return
        date = timezone.localdate().isoformat()
        figures = [preview_figure(p, date=date) for p in missing.values()]
        # In a thread of its own: the caller may already run an event loop.
        with ThreadPoolExecutor(max_workers=1) as pool:
            try:
                images = pool.submit(asyncio.run, _render(figures)).result()
            except Exception as error:  # a missing or failing browser must not be a 500
                logger.error("preview images could not be drawn: %s", error)
                raise RenderError(str(error)) from error
        for path, image in zip(missing, images, strict=True):
            staging = path.with_suffix(".tmp")
            staging.write_bytes(image)
            staging.rename(path)


def png(preview: Preview) -> Path:
    """The preview's image file, drawn now if it is not cached."""
    path = cached_path(preview)
    if not path.exists():
        render([preview])
    return path


def evaluation_preview(evaluation, *, url: Callable[[str], str]) -> Preview:
    """The radar of the evaluation's profile (against its previous one and the mean)."""
    return Preview(
        figure=build_profile(evaluation=evaluation).radar,
        title=evaluation_title(evaluation),
        source_url=url(evaluation.get_absolute_url()),
    )


def comparison_preview(comparison, *, url: Callable[[str], str]) -> Preview:
    return Preview(
        figure=comparison.radar,
        title=comparison_title(comparison),
        source_url=url(compare_url([m.key for m in comparison.members])),
    )


def evaluation_title(evaluation) -> str:
    return _("%(name)s %(year)s: poäng per område (av 100)") % {
        "name": evaluation.municipality.short_name,
        "year": evaluation.year,
    }


def comparison_title(comparison) -> str:
    return _("Jämförelse: %(names)s") % {"names": ", ".join(m.label for m in comparison.members)}
