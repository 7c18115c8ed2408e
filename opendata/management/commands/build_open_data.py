from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from api.records import published_evaluations
from comparisons.warming import warm_figures
from opendata import previews, store
from opendata.prebuild import build_missing


class Command(BaseCommand):
    help = (
        "Räknar ut siffrorna som sidorna delar (medelvärden, rankningar) och bygger de "
        "fullständiga nedladdningarna för den aktuella dataversionen, de som inte "
        "redan finns: delfrågeutforskarens CSV och XLSX på svenska och engelska "
        "(/delfragor/delfragor.csv och .xlsx, /en/delfragor/...) "
        "och hela nedladdningen (/data/), och förhandsbilderna (Open Graph) av varje publicerad "
        "utvärdering. Webbplatsen bygger nedladdningarna själv efter varje ändring "
        "(PREBUILD_AFTER_CHANGE); kör kommandot efter import och publicering från "
        "kommandoraden, så att ingen besökare behöver vänta."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--site-url",
            default=settings.SITE_URL,
            help="Webbplatsens adress i filerna, t.ex. https://kompass.example.se (SITE_URL).",
        )
        parser.add_argument(
            "--no-previews", action="store_true", help="Bygg bara nedladdningarna, inga bilder."
        )

    def handle(self, *args, site_url: str, no_previews: bool, **options):
        site_url = site_url.rstrip("/")
        if not site_url:
            raise CommandError(
                "Webbplatsens adress saknas: ange --site-url eller SITE_URL "
                "(t.ex. https://kompass.example.se), som filerna och bilderna anger."
            )
        figures = warm_figures()
        self.stdout.write(f"Gemensamma siffror (medelvärden, rankningar): {figures}")
        try:
            built = build_missing(site_url=site_url)
        except (OSError, store.BuildError) as error:
            raise CommandError(f"Nedladdningarna kunde inte byggas: {error}") from error
        for label, download in built.items():
            state = "byggd nu" if download.made else "fanns redan"
            self.stdout.write(
                f"{label}, dataversion {download.version.number}: {state}, {download.path}"
            )
        if no_previews:
            return

        def url(path: str) -> str:
            return site_url + path

        wanted = [previews.evaluation_preview(e, url=url) for e in published_evaluations()]
        try:
            previews.render(wanted)
        except previews.RenderError as error:
            # The downloads are built; the images are drawn on request once a browser works.
            self.stderr.write(f"Förhandsbilderna kunde inte ritas (CHROMIUM_PATH?): {error}")
            return
        self.stdout.write(f"Förhandsbilder: {len(wanted)} i {previews.cache_dir()}")
