"""Loaded by pytest before Django's settings (see pyproject.toml): the test environment."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-used-anywhere-else")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault(
    "STATICFILES_BACKEND", "django.contrib.staticfiles.storage.StaticFilesStorage"
)
os.environ.setdefault("WHITENOISE_USE_FINDERS", "1")
# The second-person rule of publishing is on in production; a test that needs it turns it on.
os.environ.setdefault("PUBLISH_NEEDS_SECOND_PERSON", "0")
# So is building the full downloads in a thread after each change; a test that needs it too.
os.environ.setdefault("PREBUILD_AFTER_CHANGE", "0")
# Playwright's sync API runs an event loop in the test thread; Django's ORM is still used
# synchronously there (live_server data set-up).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "1")
# Derived figures in files of this process's own: each xdist worker loads this file anew, and
# would otherwise inherit its parent's folder (and clear the other worker's figures).
os.environ["FIGURE_CACHE_DIR"] = tempfile.mkdtemp(prefix="kompass-test-figures-")
