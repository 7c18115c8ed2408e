"""Number formatting for scores (the language's decimal mark: a comma in Swedish, a point in
English; no needless ",0", a dash for unknown), and table rows rendered quickly."""

from decimal import Decimal

from django import template
from django.templatetags.l10n import localize, unlocalize
from django.utils.formats import get_format
from django.utils.html import format_html, strip_tags
from django.utils.safestring import mark_safe

from comparisons.numbers import decimal_text
from kompass_site import languages

register = template.Library()

MINUS = "\u2212"


def _format(value: Decimal | float) -> str:
    text = decimal_text(value)
    return text.removesuffix(get_format("DECIMAL_SEPARATOR") + "0").replace("-", MINUS)


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


@register.filter
def swedish(text) -> str:
    """SKR's Swedish wording, marked lang="sv" on an English page."""
    return languages.swedish(text)


@register.simple_tag
def swedish_lang() -> str:
    """The attribute lang="sv" on an English page, for an element holding SKR's Swedish text."""
    return languages.swedish_lang()


@register.simple_tag
def table_rows(table) -> str:
    """The <tr>s of a django-tables2 table, as its own template writes them, in Python.

    django-tables2's template recomputes every column's attributes for every cell; a page of
    50 rows and 10 columns took 100 ms. Attributes here are computed once per column unless
    they depend on the record (a callable)."""
    columns = list(table.columns)
    # Each cell is labelled with its column, for tables that reflow on a phone.
    labels = {
        column.name: format_html(' data-label="{}"', strip_tags(str(column.header)))
        for column in columns
    }
    static = {
        column.name: format_html(" {}", column.attrs["td"].as_html()) if column.attrs["td"] else ""
        for column in columns
        if not any(callable(value) for value in column.column.attrs.get("td", {}).values())
    }
    lines = []
    for row in table.paginated_rows:
        cells = []
        for column, cell in row.items():
            attrs = static.get(column.name)
            if attrs is None:
                td = column.attrs["td"]
                attrs = format_html(" {}", td.as_html()) if td else ""
            if column.localize is not None:
                cell = localize(cell) if column.localize else unlocalize(cell)
            cells.append(format_html("<td{}{}>{}</td>", attrs, labels[column.name], cell))
        lines.append(format_html("<tr {}>{}</tr>", row.attrs.as_html(), mark_safe("".join(cells))))
    if not lines and table.empty_text:
        return format_html('<tr><td colspan="{}">{}</td></tr>', len(columns), table.empty_text)
    return mark_safe("\n".join(lines))
