import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_healthz_reports_database_and_broker(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "ok"
    assert data["checks"]["database"]["status"] == "ok"
    assert "broker" in data["checks"]


def test_healthz_is_503_when_the_broker_is_unreachable(client, db, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["broker"]["status"] == "error"


def test_healthz_is_503_when_the_database_fails(client, db, monkeypatch):
    from opcc.views import health

    monkeypatch.setattr(health, "_database", lambda: {"status": "error", "error": "OperationalError"})
    assert client.get("/healthz").status_code == 503


def _manage(*args, **env):
    full_env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DEBUG", "SECRET_KEY", "SITE_URL", "EMAIL_URL", "DEMO_MODE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy_with_no_warnings():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY="x" * 20 + "a-long-random-production-key-9f8e7d6c5b4a",
        ALLOWED_HOSTS="opcc.example",
        SITE_URL="https://opcc.example",
        EMAIL_URL="smtp+tls://mailer:pw@smtp.opcc.example:587",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", DEBUG="false")
    assert result.returncode != 0
    assert "Set the SECRET_KEY environment variable for production" in result.stderr


def test_production_refuses_to_start_without_the_sites_address():
    # Links in emails and in the published open data are built from it: never a local default in production.
    result = _manage("check", DEBUG="false", SECRET_KEY="x" * 50, ALLOWED_HOSTS="opcc.example")
    assert result.returncode != 0
    assert "Set the SITE_URL environment variable for production" in result.stderr
    result = _manage(
        "check",
        DEBUG="false",
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="opcc.example",
        SITE_URL="https://opcc.example",
        EMAIL_URL="smtp+tls://mailer:pw@smtp.opcc.example:587",
    )
    assert result.returncode == 0, result.stderr


def test_production_refuses_to_print_emails_into_the_logs():
    # The console backend would write every email, password-reset links included, into the process log.
    production = dict(
        DEBUG="false", SECRET_KEY="x" * 50, ALLOWED_HOSTS="opcc.example", SITE_URL="https://opcc.example"
    )
    for email_url in (None, "consolemail://"):
        result = _manage("check", **production, **({"EMAIL_URL": email_url} if email_url else {}))
        assert result.returncode != 0
        assert "Set the EMAIL_URL environment variable for production" in result.stderr
    assert (
        _manage("check", **production, EMAIL_URL="smtp+tls://mailer:pw@smtp.opcc.example:587").returncode == 0
    )


@pytest.mark.parametrize("service", ["web", "worker", "beat", "postgres", "redis"])
def test_docker_compose_defines_every_service(service):
    import yaml

    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert service in compose["services"]
    if service in ("web", "worker", "beat"):
        env = compose["x-app"]["environment"]
        assert env["DEBUG"] == "false" and "DATABASE_URL" in env and "CELERY_BROKER_URL" in env
        # Required, like the secret key: no default address for the links in emails and open data.
        assert env["SITE_URL"].startswith("${SITE_URL:?") and env["SECRET_KEY"].startswith("${SECRET_KEY:?")
        assert env["EMAIL_URL"].startswith("${EMAIL_URL:?")


def test_every_page_carries_a_strict_content_security_policy(client, db):
    response = client.get("/sign-in/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "<script>" not in response.content.decode()  # no inline script anywhere in the layout


def test_postgresql_connections_run_without_jit(db):
    """JIT compilation cost 25 ms on short queries at bench volume; the app's connections turn it off."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


@pytest.mark.parametrize("url", ["/no-such-page/", "/transparency/grants/G99-9999/"])
def test_with_debug_on_a_missing_page_is_the_services_own_page_not_a_list_of_urls(client, db, settings, url):
    settings.DEBUG = True  # as `make run` serves the demo
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in page and "If you typed the web address" in page
    assert "URLconf" not in page and "transparency/" not in page.split("<main", 1)[-1].split("</main>")[0]
    settings.DEBUG_TECHNICAL_404 = True
    assert "URLconf" in client.get(url).content.decode()
