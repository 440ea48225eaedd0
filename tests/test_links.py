"""Every link each role can see on the demo leads somewhere they may go (no 403, 404 or 500)."""

import pytest

from opcc.demo import PEOPLE, demo_email
from opcc.models import User
from tests import demo_data
from tests.crawler import crawl

ROLES = {}
for _local, _name, _role, *_ in PEOPLE:
    ROLES.setdefault(_role, _local)


@pytest.mark.slow_data
def test_every_link_each_demo_role_can_see_works_for_them(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    demo_data.load("seed_demo")
    report = {}
    for role, local in ROLES.items():
        visited, problems = crawl(User.objects.get(email=demo_email(local)), limit=120)
        assert visited > 3, f"{role} reached almost nothing"
        if problems:
            report[role] = problems
    assert not report, report
