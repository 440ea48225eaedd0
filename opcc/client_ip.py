"""The client's address, resolved one way for the lock-out (axes), the rate limits and the logs.

X-Forwarded-For is written by whoever sends the request; only the entries the office's own proxies
appended can be believed. With TRUSTED_PROXY_COUNT proxies in front of the app, the outermost proxy
appended the address it saw, which is that many entries from the right (the rightmost, with one proxy),
and everything to its left is ignored. With no trusted proxy the header is ignored altogether.

The header is read here rather than by django-ipware: ipware's parser honours quotes, so a client who
sends `198.51.100.1, "` makes it swallow the entry the proxy appended and pick the forged one.
"""

import ipaddress

from django.conf import settings


def client_address(request) -> str | None:
    """None when the request has no address at all (one made in code, e.g. by a test's force_login)."""
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = settings.TRUSTED_PROXY_COUNT
    if not proxies:
        return remote
    entries = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    if len(entries) < proxies:
        return remote  # not through the proxies (e.g. a health check from the host)
    candidate = entries[-proxies].strip()
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
