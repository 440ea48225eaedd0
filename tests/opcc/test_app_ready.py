"""Each app's AppConfig.ready() registers its permissions and email wording, so a process that never imports a
view (a Celery worker, `manage.py shell`) knows them too."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

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
