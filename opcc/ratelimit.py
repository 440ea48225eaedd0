"""A small fixed-window rate limit per client address, kept in the cache.

Used on sign-in and password reset (on top of the per-account lock-out) and on the public open-data
downloads. With a shared cache (Redis in production) the limit holds across workers. The address is
opcc.client_ip.client_address, the same the lock-out and the logs use.
"""

import functools
import time

from django.core.cache import cache
from django.shortcuts import render

from opcc.client_ip import client_address


def limit(*, scope: str, per_minute: int, methods=("POST",)):
    """Allow `per_minute` requests a minute per address to the view; answer 429 beyond that."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods:
                window = int(time.time() // 60)
                key = f"ratelimit:{scope}:{client_address(request) or 'unknown'}:{window}"
                cache.add(key, 0, timeout=70)
                try:
                    count = cache.incr(key)
                except ValueError:
                    cache.set(key, 1, timeout=70)
                    count = 1
                if count > per_minute:
                    response = render(request, "429.html", status=429)
                    response["Retry-After"] = "60"
                    return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
