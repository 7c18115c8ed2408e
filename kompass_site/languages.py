"""The current page in each language: the switcher and the hreflang links of every public page."""

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils import translation
from django.utils.html import conditional_escape, format_html

OPEN_GRAPH_LOCALES = {"sv": "sv_SE", "en": "en_GB"}


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str
    url: str  # absolute, with the query string
    current: bool


def page_languages(request: HttpRequest) -> list[LanguageLink]:
    """The address of this page in every language, or nothing where the page has one language
    only (the admin, the API, an unknown address)."""
    path = request.get_full_path()
    current = translation.get_language()
    links = []
    for code, name in settings.LANGUAGES:
        url = path if code == current else translate_url(path, code)
        if code != current and url == path:
            return []  # not a page of the i18n_patterns
        links.append(LanguageLink(code, name, request.build_absolute_uri(url), code == current))
    return links


def language_links(request: HttpRequest) -> dict:
    return {
        "language_links": page_languages(request),
        # A page in another language than Swedish says that SKR's wording stays Swedish.
        "translated": translation.get_language() != settings.LANGUAGE_CODE,
        "open_graph_locale": OPEN_GRAPH_LOCALES[translation.get_language()],
    }


def swedish(text) -> str:
    """SKR's own Swedish wording (area and question names, the reports' texts) on a page in
    another language: marked as Swedish, never translated (SKR gives no English wording)."""
    if translation.get_language() == settings.LANGUAGE_CODE:
        return conditional_escape(text)
    return format_html('<span lang="{}">{}</span>', settings.LANGUAGE_CODE, text)


def swedish_lang() -> str:
    """` lang="sv"` for an element holding SKR's Swedish text, on a page in another language."""
    if translation.get_language() == settings.LANGUAGE_CODE:
        return ""
    return format_html(' lang="{}"', settings.LANGUAGE_CODE)
