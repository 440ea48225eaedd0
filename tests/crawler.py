"""Follow the links a signed-in person can see, breadth-first, and collect the ones that fail them.

A link that leads its reader to "not found", "forbidden" or a server error is a defect: either the
page should not offer it, or the target should let them in.
"""

import re
from collections import deque

from opcc.testing import verified_client

HREF = re.compile(r'href="(/[^"#]*)"')
SKIP = ("/static/", "/admin/", "/sign-out/", "/documents/")



def crawl(user, limit=300, start="/home/"):
    """Returns (pages visited, ["<status> <url> (linked from <page>)", ...])."""
    client = verified_client(user)
    seen, queue, problems, visited = {start}, deque([(start, None)]), [], 0
    while queue and visited < limit:
        url, parent = queue.popleft()
        response = client.get(url)
        visited += 1
        if response.status_code >= 500 or response.status_code in (403, 404):
            problems.append(f"{response.status_code} {url} (linked from {parent})")
            continue
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
            queue.append((href, url))
    return visited, problems
