"""Each app's AppConfig.ready() registers its permissions and email wording, so a process that never imports a
view (a Celery worker, `manage.py shell`) knows them too."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]

PERMISSIONS = {
    "opcc": "opcc.view_organisation",
    "funding": "funding.view_funding",
    "commissioning": "commissioning.view_commission",
    "grants": "grants.view_grants",
    "reporting": "reporting.view_dashboard",
    "reporting panel reports": "reporting.change_panelreport",
    "reporting crime trends": "reporting.import_crime",
}
EMAILS = {"opcc": "invitation", "reporting": "return-chase"}

PROBE = (
    "import json, rules; from opcc.emails import DEFAULTS; "
    "print(json.dumps({'perms': {p: rules.perm_exists(p) for p in %r}, 'emails': sorted(DEFAULTS)}))"
)


@pytest.fixture(scope="module")
def fresh_process():
    env = {**os.environ, "DEBUG": "true"}
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", PROBE % sorted(PERMISSIONS.values())],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("app", PERMISSIONS)
def test_permissions_exist_in_a_fresh_process(fresh_process, app):
    assert fresh_process["perms"][PERMISSIONS[app]], f"{app}: {PERMISSIONS[app]} is not registered"


@pytest.mark.parametrize("app", EMAILS)
def test_email_wording_is_registered_in_a_fresh_process(fresh_process, app):
    assert EMAILS[app] in fresh_process["emails"]


def test_core_templates_name_no_domain_app_page():
    """The core's templates reach other apps' pages through the navigation registry, never by URL name."""
    core = [
        ROOT / "templates" / name for name in ("base.html", "403.html", "404.html", "429.html", "500.html")
    ]
    core += sorted((ROOT / "templates" / "registration").glob("*.html"))
    for template in core:
        text = template.read_text()
        for app in ("funding", "commissioning", "grants", "reporting"):
            assert f"'{app}:" not in text and f'"{app}:' not in text, f"{template.name} names a {app} page"


@pytest.mark.django_db
def test_the_footer_and_the_sign_in_page_show_the_apps_links(client):
    page = client.get(reverse("sign-in")).content.decode()
    footer = page[page.index('<footer class="govuk-template__footer">') :]
    assert re.findall(r'class="govuk-footer__link" href="([^"]+)">([^<]+)</a>', footer) == [
        (reverse("reporting:transparency"), "Transparency"),
        (reverse("reporting:open-data"), "Open data"),
        (reverse("accessibility"), "Accessibility statement"),
    ]
    assert "New to the service?" in page and f'href="{reverse("grants:register")}"' in page
