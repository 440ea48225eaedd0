"""make load: a load test of the production stack on loopback, with staff and provider traffic.

1. The bench dataset (ten years, 5,000 awards, 60,000 returns, a million crimes; built by `make bench` if
   missing) is copied into a fresh PostgreSQL database, `opcc_load`.
2. Load accounts are added: commissioning officers with two-factor devices, and provider contacts for
   organisations that have open quarterly returns (their awards get real outcome measures).
3. gunicorn serves the app with the production settings (DEBUG off, HTTPS with a throwaway self-signed
   certificate, secure cookies, HSTS, CSP), Redis as the cache and the Celery broker, and a Celery worker.
4. Locust (bench/locustfile.py) runs from a second process: officers browse and accept returns,
   providers submit returns through the real form.
5. Afterwards every return a provider was told was submitted, and every return an officer was told was
   accepted, is checked in the database; the table of throughput and latency percentiles goes to
   bench/LOAD.md. Exit status 1 on any failed request, any 5xx, or anything lost.

    make load                     # 40 users for 60 s
    LOAD_USERS=80 LOAD_SECONDS=120 make load
"""

import csv
import json
import os
import platform
import signal
import subprocess
import sys
import time
import urllib.request
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = Path(os.environ.get("LOAD_WORK", "/tmp/opcc-load"))
USERS = int(os.environ.get("LOAD_USERS", "40"))
SECONDS = int(os.environ.get("LOAD_SECONDS", "60"))
WORKERS = int(os.environ.get("LOAD_GUNICORN_WORKERS", "2"))
THREADS = int(os.environ.get("LOAD_GUNICORN_THREADS", "4"))
PORT = int(os.environ.get("LOAD_PORT", "8443"))
REDIS = os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379")
PASSWORD = "load-password-2026"
N_STAFF, N_PROVIDERS = max(2, USERS // 4), USERS  # more accounts than users: locust draws without replacement


def prepare() -> dict:
    """Copy the bench database and add the load accounts; returns what the locustfile needs."""
    from django.core.management import call_command
    from django.db import connection

    import bench.run  # noqa: F401 - production-like settings on the bench database, django.setup()
    from bench import dataset
    from bench.run import ensure_database

    ensure_database()
    call_command("migrate", verbosity=0)
    from opcc.models import Organisation

    if not Organisation.objects.filter(name="Severn Valley Women's Aid (demo)").exists():
        call_command("seed_demo", verbosity=0, stdout=open(os.devnull, "w"))
    dataset.build(
        provider_org=Organisation.objects.get(name="Severn Valley Women's Aid (demo)"), stdout=lambda s: None
    )
    bench_name = connection.settings_dict["NAME"]
    connection.close()
    import psycopg2

    admin = psycopg2.connect(
        dbname="postgres",
        user=connection.settings_dict["USER"] or None,
        host=connection.settings_dict["HOST"] or None,
        port=connection.settings_dict["PORT"] or None,
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("DROP DATABASE IF EXISTS opcc_load")
        cursor.execute(f'CREATE DATABASE opcc_load TEMPLATE "{bench_name}"')
    admin.close()
    connection.settings_dict["NAME"] = "opcc_load"
    return add_accounts()


def add_accounts() -> dict:
    from django.db import transaction
    from django.db.models import Count, Q
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from bench import dataset
    from funding.models import Award
    from opcc.models import Membership, Organisation, Role, User
    from reporting.models import OutcomeFramework, QuarterlyReturn
    from reporting.services import frameworks

    with transaction.atomic():
        staff = []
        for i in range(N_STAFF):
            user = User.objects.create_user(
                email=f"officer{i}@load.example",
                password=PASSWORD,
                full_name=f"Load Officer {i}",
                role=Role.COMMISSIONING_OFFICER,
            )
            device = TOTPDevice.objects.create(user=user, name="load", confirmed=True)
            staff.append({"email": user.email, "totp_key": device.key})
        orgs = list(
            Organisation.objects.annotate(
                open=Count("awards__quarterly_returns", filter=Q(awards__quarterly_returns__status="open"))
            )
            .filter(open__gt=0, memberships__isnull=True)
            .order_by("-open", "pk")[:N_PROVIDERS]
        )
        providers = []
        for i, org in enumerate(orgs):
            user = User.objects.create_user(
                email=f"provider{i}@load.example",
                password=PASSWORD,
                full_name=f"Load Provider {i}",
                role=Role.PROVIDER,
            )
            Membership.objects.create(user=user, organisation=org, is_admin=True)
            open_returns = list(
                QuarterlyReturn.objects.filter(award__organisation=org, status="open").values_list(
                    "pk", flat=True
                )
            )
            for award in (
                Award.objects.filter(organisation=org, quarterly_returns__pk__in=open_returns)
                .distinct()
                .select_related("pot")
            ):
                OutcomeFramework.objects.filter(award=award).exclude(measures__isnull=False).delete()
                frameworks.build_framework(award)  # the stream's template: real measures to answer
            providers.append({"email": user.email, "name": user.full_name, "open_returns": open_returns})
    award_ids = list(
        Award.objects.filter(reference__startswith=dataset.REFERENCE_PREFIX).values_list("pk", flat=True)[
            :200
        ]
    )
    return {
        "password": PASSWORD,
        "staff": staff,
        "providers": providers,
        "award_ids": award_ids,
        "year": dataset.LAST_YEAR,
    }


def server_env() -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE",)}
    bench_url = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/opcc_bench")
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "opcc.settings",
            "DEBUG": "false",
            "DEMO_MODE": "false",
            "SECRET_KEY": "load-test-only-not-secret-0123456789abcdefghijklmnopqrstuvwxyz",
            "SITE_URL": f"https://127.0.0.1:{PORT}",
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": bench_url.rsplit("/", 1)[0] + "/opcc_load",
            "CACHE_URL": f"{REDIS}/5",
            "CELERY_BROKER_URL": f"{REDIS}/6",
            "EMAIL_URL": "dummymail://",
            "CONN_MAX_AGE": "60",
            # Every simulated person signs in from 127.0.0.1: the per-address sign-in limit is for real clients.
            "RATE_LIMIT_SIGN_IN": "100000",
        }
    )
    return env


def certificate() -> tuple[Path, Path]:
    cert, key = WORK / "cert.pem", WORK / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def wait_until_up(url: str, seconds: int = 60) -> None:
    import ssl

    context = ssl._create_unverified_context()
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, context=context, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the server did not answer {url} within {seconds} s")


def check(out: Path) -> tuple[list[str], dict]:
    from reporting.models import QuarterlyReturn, ReturnAnswer

    told = {"submitted": set(), "accepted": set()}
    if out.exists():
        for line in out.read_text().splitlines():
            kind, pk = line.split()
            told[kind].add(int(pk))
    problems = []
    rows = {r.pk: r for r in QuarterlyReturn.objects.filter(pk__in=told["submitted"] | told["accepted"])}
    for pk in told["submitted"]:
        r = rows.get(pk)
        if r is None or r.submitted_at is None or r.status not in ("submitted", "accepted"):
            problems.append(f"return {pk} was reported submitted but is {r.status if r else 'missing'}")
    answered = set(
        ReturnAnswer.objects.filter(quarterly_return__in=told["submitted"]).values_list(
            "quarterly_return", flat=True
        )
    )
    problems += [f"return {pk} was submitted without its answers" for pk in told["submitted"] - answered]
    for pk in told["accepted"]:
        r = rows.get(pk)
        if r is None or r.status != "accepted":
            problems.append(f"return {pk} was reported accepted but is {r.status if r else 'missing'}")
    load_submitted = QuarterlyReturn.objects.filter(submitted_by__email__endswith="@load.example").count()
    if load_submitted != len(told["submitted"]):
        problems.append(
            f"{load_submitted} returns submitted by load accounts in the database, "
            f"{len(told['submitted'])} reported to them"
        )
    return problems, {k: len(v) for k, v in told.items()}


def server_side(path: Path) -> tuple[str, int]:
    """gunicorn's own time for each request (from its access log): the work, without the queue in front of it."""
    rows = [line.split() for line in path.read_text().splitlines()] if path.exists() else []
    times = sorted(int(r[0]) for r in rows if len(r) == 2 and r[0].isdigit())
    fives = sum(1 for r in rows if len(r) == 2 and r[1].startswith("5"))
    if not times:
        return "No requests were logged by gunicorn.", fives

    def pct(p: float) -> int:
        return times[min(len(times) - 1, int(round(p * (len(times) - 1))))]

    return (
        f"Server-side (gunicorn's time per request, {len(times)} requests): median {pct(0.5)} ms, p95 {pct(0.95)} ms, "
        f"p99 {pct(0.99)} ms; {fives} responses with a 5xx status."
    ), fives


def stats_table(prefix: Path) -> tuple[str, dict]:
    with open(f"{prefix}_stats.csv") as f:
        rows = list(csv.DictReader(f))
    lines = [
        "| Request | Count | Failures | Median ms | p95 ms | p99 ms | Max ms | Req/s |",
        "|---|---|---|---|---|---|---|---|",
    ]
    total = {}
    for row in rows:
        name = row["Name"] if row["Name"] != "Aggregated" else "**All requests**"
        lines.append(
            f"| {row['Type'] + ' ' if row['Type'] else ''}{name} | {row['Request Count']} | {row['Failure Count']} | "
            f"{row['50%']} | {row['95%']} | {row['99%']} | {float(row['Max Response Time']):.0f} | "
            f"{float(row['Requests/s']):.1f} |"
        )
        if row["Name"] == "Aggregated":
            total = row
    return "\n".join(lines), total


def main() -> int:
    WORK.mkdir(parents=True, exist_ok=True)
    for stale in WORK.glob("*"):
        stale.unlink()
    started = time.perf_counter()
    accounts = prepare()
    (WORK / "accounts.json").write_text(json.dumps(accounts))
    print(
        f"prepared opcc_load: {len(accounts['staff'])} officers, {len(accounts['providers'])} providers with "
        f"{sum(len(p['open_returns']) for p in accounts['providers'])} open returns "
        f"({time.perf_counter() - started:.0f} s)"
    )
    cert, key = certificate()
    env = server_env()
    python = sys.executable
    subprocess.run([python, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    server = subprocess.Popen(
        [
            python,
            "-m",
            "gunicorn",
            "opcc.wsgi:application",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(WORKERS),
            "--threads",
            str(THREADS),
            "--keep-alive",
            "5",
            "--certfile",
            str(cert),
            "--keyfile",
            str(key),
            "--access-logfile",
            str(WORK / "access.log"),
            "--access-logformat",
            "%(M)s %(s)s",
            "--log-level",
            "warning",
            "--error-logfile",
            str(WORK / "gunicorn.log"),
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    worker = subprocess.Popen(
        [
            python,
            "-m",
            "celery",
            "-A",
            "opcc",
            "worker",
            "--concurrency",
            "1",
            "--loglevel",
            "WARNING",
            "--logfile",
            str(WORK / "celery.log"),
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        wait_until_up(f"https://127.0.0.1:{PORT}/healthz")
        locust = subprocess.run(
            [
                python,
                "-m",
                "locust",
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "--users",
                str(USERS),
                "--spawn-rate",
                str(max(1, USERS // 10)),
                "--run-time",
                f"{SECONDS}s",
                "--host",
                f"https://127.0.0.1:{PORT}",
                "--csv",
                str(WORK / "locust"),
                "--only-summary",
                "--stop-timeout",
                "10",
                "--exit-code-on-error",
                "0",
            ],
            cwd=ROOT,
            env={
                **os.environ,
                "LOAD_ACCOUNTS": str(WORK / "accounts.json"),
                "LOAD_OUT": str(WORK / "told.txt"),
                "PYTHONWARNINGS": "ignore:Unverified HTTPS request",
            },
            capture_output=True,
            text=True,
        )
        print(locust.stdout[-3000:], locust.stderr[-3000:], sep="\n")
    finally:
        for process in (server, worker):
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
    from django.db import connection

    connection.close()
    problems, told = check(WORK / "told.txt")
    table, total = stats_table(WORK / "locust")
    errors_log = (WORK / "gunicorn.log").read_text() if (WORK / "gunicorn.log").exists() else ""
    server_line, fives = server_side(WORK / "access.log")
    server_errors = errors_log.count("Traceback") + errors_log.count("Internal Server Error") + fives
    failures = int(total.get("Failure Count", 0) or 0)
    import django

    verdict = (
        "Nothing failed and nothing was lost."
        if not (problems or failures or server_errors)
        else (
            f"FAILED: {failures} failed requests, {server_errors} server errors logged; "
            + "; ".join(problems[:20])
        )
    )
    report = "\n\n".join(
        [
            "# Load test",
            f"Run {datetime.now():%Y-%m-%d %H:%M} on {platform.node()}: {os.cpu_count()} cores, Python "
            f"{platform.python_version()}, Django {django.get_version()}, PostgreSQL (the bench dataset copied: 5,000+ "
            "awards over ten years, 60,000 returns, a million crimes).",
            f"Set-up: gunicorn with {WORKERS} {'sync workers' if THREADS == 1 else f'workers of {THREADS} threads'} on 127.0.0.1:{PORT} over HTTPS (self-signed), production "
            "settings (DEBUG off, secure cookies, HSTS, CSP, two-factor for staff), Redis as cache and Celery broker, one "
            f"Celery worker; Locust in a second process with {USERS} users for {SECONDS} s (officers and providers 1:3), "
            "0.5 to 1.5 s between each user's actions. Everything shares the machine's cores with the load generator. "
            "gunicorn terminates TLS itself here (in production a proxy would), so its workers use threads and keep-alive: "
            "with sync workers every request pays a new TLS handshake, which on this machine halves the throughput.",
            f"Throughput: {float(total.get('Requests/s', 0)):.1f} requests a second over {total.get('Request Count', 0)} "
            f"requests; as the users saw it (queueing included): median {total.get('50%')} ms, p95 {total.get('95%')} ms, "
            f"p99 {total.get('99%')} ms.",
            server_line,
            f"Checked afterwards in the database: {told['submitted']} returns reported submitted to providers, "
            f"{told['accepted']} reported accepted to officers. {verdict}",
            table,
        ]
    )
    (ROOT / "bench" / "LOAD.md").write_text(report + "\n")
    print(report)
    return 1 if (problems or failures or server_errors) else 0


if __name__ == "__main__":
    sys.exit(main())
