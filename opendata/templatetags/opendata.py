"""Small blocks that pages include: share tags, the embed code, the page's downloads."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from comparisons.views.compare import compare_url

from ..previews import HEIGHT, WIDTH, comparison_title, evaluation_title

register = template.Library()

EMBED_HEIGHT = 760  # the radar and its table in an iframe about 600 px wide


def _absolute(context, path: str) -> str:
    return context["request"].build_absolute_uri(path)


def _comparison_query(comparison) -> str:
    return urlencode([("k", str(m.key)) for m in comparison.members], safe=":")


@register.inclusion_tag("opendata/_share_meta.html", takes_context=True)
def share_meta_evaluation(context, evaluation):
    slug, year = evaluation.municipality.slug, evaluation.year
    return {
        "title": evaluation_title(evaluation),
        "description": _(
            "Kommunkompassens utvärdering av %(name)s %(year)s: %(total)s av 800 poäng, "
            "version %(version)s."
        )
        % {
            "name": evaluation.municipality.short_name,
            "year": year,
            "total": f"{evaluation.total:.0f}" if evaluation.total is not None else "–",
            "version": evaluation.framework.code,
        },
        "url": _absolute(context, evaluation.get_absolute_url()),
        "image": _absolute(context, reverse("opendata:preview", args=[slug, year])),
        "image_alt": _("Spindeldiagram över poängen per område för %(name)s %(year)s.")
        % {"name": evaluation.municipality.short_name, "year": year},
        "width": WIDTH,
        "height": HEIGHT,
    }


@register.inclusion_tag("opendata/_share_meta.html", takes_context=True)
def share_meta_comparison(context, comparison):
    names = ", ".join(m.label for m in comparison.members)
    return {
        "title": comparison_title(comparison),
        "description": _("Kommunkompassen: %(names)s sida vid sida, poäng per område.")
        % {"names": names},
        "url": _absolute(context, compare_url([m.key for m in comparison.members])),
        "image": _absolute(
            context, reverse("opendata:preview_comparison") + "?" + _comparison_query(comparison)
        ),
        "image_alt": _("Spindeldiagram som jämför %(names)s.") % {"names": names},
        "width": WIDTH,
        "height": HEIGHT,
    }


@register.inclusion_tag("opendata/_page_tools.html", takes_context=True)
def profile_tools(context, evaluation):
    slug, year = evaluation.municipality.slug, evaluation.year
    query = context["request"].GET.get("medel")
    suffix = "?" + urlencode({"medel": query}) if query else ""
    title = evaluation_title(evaluation)
    return {
        "downloads": [
            (ext.upper(), reverse("opendata:profile_download", args=[slug, year, ext]) + suffix)
            for ext in ("csv", "xlsx")
        ],
        "embed_url": _absolute(context, reverse("opendata:embed_year", args=[slug, year])),
        "latest_embed_url": _absolute(context, reverse("opendata:embed", args=[slug])),
        "embed_title": title,
        "embed_height": EMBED_HEIGHT,
        "what": _("tabellen över områdena"),
    }


@register.inclusion_tag("opendata/_page_tools.html", takes_context=True)
def compare_tools(context, comparison):
    query = "?" + _comparison_query(comparison)
    return {
        "downloads": [
            (ext.upper(), reverse("opendata:compare_download", args=[ext]) + query)
            for ext in ("csv", "xlsx")
        ],
        "embed_url": _absolute(context, reverse("opendata:embed_comparison") + query),
        "embed_title": comparison_title(comparison),
        "embed_height": EMBED_HEIGHT,
        "what": _("tabellen över områdena"),
    }


@register.inclusion_tag("opendata/_page_tools.html", takes_context=True)
def ranking_tools(context):
    query = context["request"].GET.urlencode()
    suffix = f"?{query}" if query else ""
    return {
        "downloads": [
            (ext.upper(), reverse("opendata:ranking_download", args=[ext]) + suffix)
            for ext in ("csv", "xlsx")
        ],
        "what": _("rankningen"),
    }
