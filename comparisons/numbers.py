"""Numbers as Kompass shows them, in the active language."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import get_format


def decimal_text(value: Decimal | float, decimals: int = 1) -> str:
    """A number rounded halves up (as the database rounds percents: 61.25 is "61,3"; Python's
    default is even), with the active language's decimal mark: 9.5 → "9,5" or "9.5"."""
    exponent = Decimal(1).scaleb(-decimals)
    text = f"{Decimal(str(value)).quantize(exponent, ROUND_HALF_UP):f}"
    return text.replace(".", get_format("DECIMAL_SEPARATOR"))
