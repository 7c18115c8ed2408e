from django.contrib.staticfiles.apps import StaticFilesConfig


class KompassStaticFilesConfig(StaticFilesConfig):
    """collectstatic leaves out axe-core: the accessibility tests load it from the finders
    (static/vendor/, filled by npm), production does not serve it."""

    ignore_patterns = [*StaticFilesConfig.ignore_patterns, "axe.min.js"]
