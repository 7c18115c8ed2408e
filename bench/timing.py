import time

from django.db import connections


class ServerTimingMiddleware:
    """`Server-Timing: app;dur=<ms>, db;dur=<ms>;desc="<queries>"` on every answer (for a
    streamed one, until its first byte)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        stats = {"queries": 0, "db": 0.0}

        def count(execute, sql, params, many, context):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                stats["queries"] += 1
                stats["db"] += time.perf_counter() - started

        started = time.perf_counter()
        with connections["default"].execute_wrapper(count):
            response = self.get_response(request)
        app = (time.perf_counter() - started) * 1000
        response["Server-Timing"] = (
            f'app;dur={app:.2f}, db;dur={stats["db"] * 1000:.2f};desc="{stats["queries"]}"'
        )
        return response
