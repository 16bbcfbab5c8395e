"""Server-Timing: each response says how long the server took and how many
queries it ran (``Server-Timing: app;dur=12.3, db;desc="queries";dur=7``).
Browsers show it in their developer tools; ``manage.py bench`` reads it."""

import time

from django.db import connection


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class ServerTimingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        counter = QueryCounter()
        started = time.perf_counter()
        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        elapsed_ms = (time.perf_counter() - started) * 1000
        response["Server-Timing"] = f'app;dur={elapsed_ms:.1f}, db;desc="queries";dur={counter.count}'
        return response
