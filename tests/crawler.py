"""Follow the links a signed-in person can see, breadth-first, and collect the ones that fail them.

A link that leads its reader to "not found", "forbidden" or a server error is a defect: either the
page should not offer it, or the target should let them in.
"""

import re
from collections import Counter, deque

from django.urls import Resolver404, resolve

from opcc.testing import verified_client

HREF = re.compile(r'href="(/[^"#]*)"')
SKIP = ("/static/", "/admin/", "/sign-out/", "/documents/")


def walk(client, start="/home/", limit=300, per_view=None):
    """Yields (url, parent, response) for each page fetched, breadth-first from `start`, at most `limit`.
    `per_view` caps how many links to the same view are followed (e.g. two award pages, not every award)."""
    seen, queue, visited, views = {start}, deque([(start, None)]), 0, Counter()
    while queue and visited < limit:
        url, parent = queue.popleft()
        response = client.get(url)
        visited += 1
        yield url, parent, response
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for href in HREF.findall(response.content.decode()):
            href = href.replace("&amp;", "&")
            if href.startswith(SKIP) or href in seen:
                continue
            path = href.split("?")[0]
            if "page=" in href and any(s.split("?")[0] == path and "page=" in s for s in seen):
                continue  # one further page of a long list is enough
            seen.add(href)
            if per_view is not None:
                try:
                    view = resolve(path).view_name
                except Resolver404:
                    view = path
                views[view] += 1
                if views[view] > per_view:
                    continue
            queue.append((href, url))


def crawl(user, limit=300, start="/home/"):
    """Returns (pages visited, ["<status> <url> (linked from <page>)", ...])."""
    visited, problems = 0, []
    for url, parent, response in walk(verified_client(user), start, limit):
        visited += 1
        if response.status_code >= 500 or response.status_code in (403, 404):
            problems.append(f"{response.status_code} {url} (linked from {parent})")
    return visited, problems
