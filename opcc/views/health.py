from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from kombu import Connection


def _database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return {"status": "ok", "engine": connection.vendor}
    except Exception as exc:  # noqa: BLE001 - the health check reports, it does not raise
        return {"status": "error", "error": exc.__class__.__name__}


def _broker() -> dict:
    if settings.CELERY_BROKER_URL.startswith("memory://"):
        return {"status": "ok", "mode": "in-process (no broker configured)"}
    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return {"status": "ok", "mode": "broker"}
    except Exception as exc:  # noqa: BLE001
        return {"status": "error", "mode": "broker", "error": exc.__class__.__name__}


@never_cache
def healthz(request):
    checks = {"database": _database(), "broker": _broker()}
    healthy = all(c["status"] == "ok" for c in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503
    )
