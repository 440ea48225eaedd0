#!/usr/bin/env bash
# Serve the app; start a Celery worker and beat when a broker is reachable, else run tasks in-process.
# Ctrl-C stops everything this script started.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
pids=()
cleanup() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup INT TERM EXIT

broker_ok=0
if [ -n "${CELERY_BROKER_URL:-}" ]; then
  if $PY - <<'PYCHECK'
import os, sys
from kombu import Connection
try:
    with Connection(os.environ["CELERY_BROKER_URL"], connect_timeout=2) as conn:
        conn.ensure_connection(max_retries=1)
except Exception as exc:
    print(f"Broker at CELERY_BROKER_URL is not reachable ({exc.__class__.__name__}).", file=sys.stderr)
    sys.exit(1)
PYCHECK
  then broker_ok=1; fi
fi

if [ "$broker_ok" = 1 ]; then
  echo "Broker reachable: starting a Celery worker and beat."
  .venv/bin/celery -A opcc worker --loglevel=INFO --concurrency=2 &
  pids+=($!)
  .venv/bin/celery -A opcc beat --loglevel=INFO &
  pids+=($!)
else
  unset CELERY_BROKER_URL
  echo "No broker configured: background tasks run in-process (set CELERY_BROKER_URL=redis://127.0.0.1:6379/0 to use Celery)."
fi

# Messages a crash or a stop left waiting go now, not when some later sweep happens to queue one.
$PY manage.py flush_outbox

echo "Serving on http://127.0.0.1:8000 — sign in with a demo account listed on the sign-in page. Ctrl-C stops."
$PY manage.py runserver 127.0.0.1:8000 &
pids+=($!)
wait -n "${pids[@]}"
