"""django-tables2 tables of the public pages."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

NUMBER_ATTRS = {"th": {"class": "num"}, "td": {"class": "num"}}


class DecimalColumn(tables.Column):
    """A number shown with at most one decimal, Swedish style (comma), right-aligned."""

    def __init__(self, *args, decimals: int = 1, **kwargs):
        kwargs.setdefault("attrs", NUMBER_ATTRS)
        self.decimals = decimals
        super().__init__(*args, **kwargs)

    def render(self, value):
        text = f"{value:.{self.decimals}f}".replace(".", ",")
        return text.removesuffix(",0")


class EvaluationQuestionTable(tables.Table):
    """Sub-question scores of one evaluation, with the version's mean per question."""

    code = tables.Column(verbose_name=_("Kod"))
    question = tables.Column(verbose_name=_("Delfråga"))
    points = DecimalColumn(verbose_name=_("Poäng"))
    max_points = DecimalColumn(verbose_name=_("Max"), decimals=0)
    percent = DecimalColumn(verbose_name=_("Procent"), decimals=0)
    mean = DecimalColumn(verbose_name=_("Medelvärde (version)"), default="–")

    caption = _("Delfrågor: poäng, max, procent och versionens medelvärde")

    class Meta:
        template_name = "django_tables2/kompass.html"
        attrs = {"class": "data-table", "id": "delfragor"}
        order_by_field = "sortera"
        orderable = True

    def render_percent(self, value):
        return f"{value} %"
