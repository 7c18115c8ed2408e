from django.apps import AppConfig


class OpenDataConfig(AppConfig):
    name = "opendata"
    verbose_name = "Öppna data"

    def ready(self) -> None:
        from . import prebuild

        prebuild.connect()
