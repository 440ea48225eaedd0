"""Timing, query counting and response size for one request, server-side, through Django's test client."""

import statistics
import time
from dataclasses import dataclass

from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext


@dataclass
class Measurement:
    name: str
    median_ms: float
    p95_ms: float
    queries: int
    runs: int
    status: int
    bytes: int = 0  # the response body (or what the job returned), as sent

    def ratio(self, floor: "Measurement") -> float:
        return self.median_ms / floor.median_ms if floor.median_ms else 0.0


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def measure_request(
    client, name: str, url: str, *, runs: int = 20, warmup: int = 2, method="get", data=None
) -> Measurement:
    call = getattr(client, method)
    for _ in range(warmup):
        call(url, data) if data is not None else call(url)
    samples, queries, status, size = [], 0, 0, 0
    for _ in range(runs):
        reset_queries()
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = call(url, data) if data is not None else call(url)
            body = (
                b"".join(response.streaming_content)
                if getattr(response, "streaming", False)
                else response.content
            )
            samples.append((time.perf_counter() - start) * 1000)
        queries, status, size = len(ctx.captured_queries), response.status_code, len(body)
    return Measurement(name, statistics.median(samples), p95(samples), queries, runs, status, size)


def measure_callable(name: str, fn, *, runs: int = 10, warmup: int = 1) -> Measurement:
    for _ in range(warmup):
        fn()
    samples, queries, size = [], 0, 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            result = fn()
            samples.append((time.perf_counter() - start) * 1000)
        queries, size = len(ctx.captured_queries), len(result) if isinstance(result, bytes | str) else 0
    return Measurement(name, statistics.median(samples), p95(samples), queries, runs, 200, size)
