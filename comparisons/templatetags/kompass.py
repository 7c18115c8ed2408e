"""Number formatting for scores: Swedish decimal comma, no needless ",0", a dash for unknown."""

from decimal import ROUND_HALF_UP, Decimal

from django import template

register = template.Library()

MINUS = "\u2212"


def _format(value: Decimal | float) -> str:
    # Halves up, as the database rounds percents: 61.25 is "61,3" (Python's default is even).
    text = f"{Decimal(value).quantize(Decimal('0.1'), ROUND_HALF_UP):.1f}".replace(".", ",")
    return text.removesuffix(",0").replace("-", MINUS)


@register.filter
def points(value) -> str:
    """79 → "79", 9.5 → "9,5", None → "–"."""
    return "–" if value is None or value == "" else _format(value)


@register.filter
def signed(value) -> str:
    """A change or difference with its sign: +3, −1,5, ±0."""
    if value is None or value == "":
        return "–"
    if value == 0:
        return "±0"
    return ("+" if value > 0 else "") + _format(value)
