"""sitemap.xml: the public pages and every published evaluation's profile, each in Swedish and
English with hreflang alternates."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from evaluations.models import Evaluation

PAGES = (
    "comparisons:home",
    "comparisons:explorer",
    "comparisons:ranking",
    "comparisons:examples",
    "opendata:about",
    "opendata:data",
    "api-docs",
    "opendata:accessibility",
    "opendata:privacy",
)


class BothLanguages(Sitemap):
    i18n = True
    alternates = True
    x_default = True


class PageSitemap(BothLanguages):
    def items(self):
        return PAGES

    def location(self, item):
        return reverse(item)


class EvaluationSitemap(BothLanguages):
    def items(self):
        return (
            Evaluation.objects.published()
            .select_related("municipality")
            .order_by("municipality__slug", "year")
        )

    def lastmod(self, evaluation):
        return evaluation.updated_at


SITEMAPS = {"pages": PageSitemap, "evaluations": EvaluationSitemap}
