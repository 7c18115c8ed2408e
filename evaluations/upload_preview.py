"""What the upload preview shows of a parsed report before anything is stored: how the framework
version was decided, each area's first lines of text and every list item per column."""

from dataclasses import dataclass

from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .report_parser import SIGNAL_NAMES, ParsedArea, ParsedReport

# Enough to see where a text begins and whether a heading or list ran into it.
FIRST_LINES = 2
LINE_LENGTH = 200
COLUMNS = (
    ("strengths", gettext_lazy("Styrkor")),
    ("improvements", gettext_lazy("Förbättringsmöjligheter")),
    ("weaknesses", gettext_lazy("Svagheter")),
)


@dataclass(frozen=True)
class ListColumn:
    label: str
    items: list[str]


@dataclass(frozen=True)
class AreaPreview:
    area: ParsedArea
    first_lines: list[str]
    paragraphs: int
    columns: list[ListColumn]


def first_lines(text: str) -> tuple[list[str], int]:
    """The text's first paragraphs, each cut to a line, and how many paragraphs it has."""
    paragraphs = [paragraph for paragraph in text.split("\n\n") if paragraph.strip()]
    lines = [Truncator(p).chars(LINE_LENGTH) for p in paragraphs[:FIRST_LINES]]
    return lines, len(paragraphs)


def area_previews(*, parsed: ParsedReport) -> list[AreaPreview]:
    previews = []
    for area in parsed.areas:
        lines, paragraphs = first_lines(area.text)
        columns = [ListColumn(str(label), getattr(area, name)) for name, label in COLUMNS]
        previews.append(AreaPreview(area, lines, paragraphs, columns))
    return previews


def version_note(*, parsed: ParsedReport) -> str:
    """Which signal decided the framework version, or that staff chose it, or that no one has."""
    if parsed.framework_version is None:
        return _("Rapporten avgör inte vilken ramverksversion den följer – välj den nedan.")
    if parsed.version_signal == "staff":
        if parsed.detected_version is None:
            return _("vald av personalen; rapporten avgör den inte")
        return _("vald av personalen; rapporten själv pekar på %(version)s") % {
            "version": parsed.detected_version
        }
    assert parsed.version_signal is not None  # a decided version names what decided it
    return _("efter %(signal)s") % {"signal": SIGNAL_NAMES[parsed.version_signal]}
