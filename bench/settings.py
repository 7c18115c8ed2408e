"""The production settings, plus what the benchmark measures with: a bare view to compare
every page with, and a Server-Timing header (server time, query count, query time)."""

from kompass_site.settings import *  # noqa: F403
from kompass_site.settings import MIDDLEWARE

# Outermost, so that it times everything, the page cache included.
MIDDLEWARE = ["bench.timing.ServerTimingMiddleware", *MIDDLEWARE]
ROOT_URLCONF = "bench.urls"
