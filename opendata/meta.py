"""What every open-data file says about itself: source, licence, the caveat on versions."""

from django.utils.translation import gettext_lazy as _

from comparisons.downloads import PERCENT_NOTE, VERSION_NOTE

TITLE = _("Kommunkompassen: alla publicerade utvärderingar")
LICENCE = "CC-BY-4.0"
LICENCE_TITLE = "Creative Commons Attribution 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/deed.sv"
SOURCE = _("Sveriges Kommuner och Regioner (SKR), Kommunkompassen; sammanställt i Kompass")
ATTRIBUTION = _("Källa: SKR:s Kommunkompassen via Kompass")
STATED_NOTE = _(
    "Bara utvärderingar ur sina egna rapporter. Ett tidigare resultat som bara är känt ur en "
    "senare rapport är ingen utvärdering och finns inte bland dem; det anges vid den senare "
    "utvärderingen (previous_origin = stated)."
)

__all__ = [
    "ATTRIBUTION",
    "LICENCE",
    "LICENCE_TITLE",
    "LICENCE_URL",
    "PERCENT_NOTE",
    "SOURCE",
    "STATED_NOTE",
    "TITLE",
    "VERSION_NOTE",
]
