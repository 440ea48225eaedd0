"""Follow every link each demo role can reach from its home page and report the ones that fail them.

    DEBUG=true .venv/bin/python scripts/crawl.py [max pages per role]

Runs against the local (seeded) database; the same crawl runs in the test suite (tests/test_links.py).
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opcc.settings")
import django  # noqa: E402

django.setup()

from opcc.demo import PEOPLE, demo_email  # noqa: E402
from opcc.models import User  # noqa: E402
from tests.crawler import crawl  # noqa: E402


def main():
    limit = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    roles = {}
    for local, _name, role, *_ in PEOPLE:
        roles.setdefault(role, local)
    total = 0
    for role, local in roles.items():
        visited, problems = crawl(User.objects.get(email=demo_email(local)), limit)
        total += len(problems)
        print(f"{role}: {visited} pages, {len(problems)} problems")
        for problem in problems[:20]:
            print("   ", problem)
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
