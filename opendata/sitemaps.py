"""sitemap.xml: the public pages, every published evaluation's profile, and the page of every
municipality that published reports recommend but that has no evaluation of its own, each in
Swedish and English with hreflang alternates."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from evaluations.models import Evaluation, GoodExampleMention, Municipality

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


class RecommendedSitemap(BothLanguages):
    def items(self):
        recommended = GoodExampleMention.objects.public().values("municipality_id")
        return (
            Municipality.objects.filter(pk__in=recommended)
            .exclude(pk__in=Municipality.objects.evaluated().values("pk"))
            .order_by("slug")
        )


SITEMAPS = {
    "pages": PageSitemap,
    "evaluations": EvaluationSitemap,
    "recommended": RecommendedSitemap,
}
