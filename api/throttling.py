from django.conf import settings
from ninja.throttling import AnonRateThrottle


class PerAddressThrottle(AnonRateThrottle):
    """settings.API_RATE_LIMIT requests per client IP address (settings.NINJA_NUM_PROXIES says
    which X-Forwarded-For entry is the client), counted in the default cache."""

    scope = "api"

    def __init__(self) -> None:
        super().__init__(settings.API_RATE_LIMIT)

    def allow_request(self, request) -> bool:
        # Read at each request, so that a changed setting (a test, a reload) takes effect.
        self.num_requests, self.duration = self.parse_rate(settings.API_RATE_LIMIT)
        return super().allow_request(request)
