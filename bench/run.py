"""make bench: build (or reuse) a large dataset in PostgreSQL, then time every main page of every role,
the slow jobs and the exports, against a floor view, with each one's queries and response size; print one
table and write bench/RESULTS.md.

Settings are production-like (DEBUG off). The database is BENCH_DATABASE_URL (default: a local
PostgreSQL database named opcc_bench), kept between runs so later runs only measure.

Each page and job is also measured, straight after, by a second process on a second database
(BENCH_SMALL_DATABASE_URL, default opcc_bench_small) holding the same dataset at a hundredth of the
volume: taking turns, both volumes see the machine equally busy. The table shows both volumes' queries,
sizes and p95 times, and names as a miss any page whose query count differs, or whose size or p95 grows
with the data beyond the tolerances below.
"""

import json
import os
import platform
import subprocess
import sys
from datetime import datetime
from functools import partial
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opcc.settings")
os.environ["DEBUG"] = "false"
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret-0123456789abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("SITE_URL", "http://testserver")
os.environ.setdefault("EMAIL_URL", "dummymail://")
os.environ["ALLOWED_HOSTS"] = "testserver,localhost"
os.environ["SECURE_SSL_REDIRECT"] = "false"
os.environ["DEMO_MODE"] = "true"
os.environ["RATE_LIMIT_OPEN_DATA"] = "1000000"  # the bench measures the files, not the fair-use limit
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/opcc_bench"
)
SMALL_DATABASE_URL = os.environ.get(
    "BENCH_SMALL_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/opcc_bench_small"
)
SMALL_SCALE = 0.01
# Set in the second process: build the dataset at this scale, then measure what the first process names.
SCALE = float(os.environ.get("BENCH_SCALE", "1"))
SMALL_WORKER = os.environ.get("BENCH_SMALL_WORKER", "")
os.environ.pop("CELERY_BROKER_URL", None)  # jobs run in-process, measured directly

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402

from bench import dataset  # noqa: E402
from bench.harness import Measurement, measure_callable, measure_request  # noqa: E402

ROOT = Path(__file__).resolve().parent
TARGET_P95_MS = 150.0
# A page grows with the data when, at the full volume, it is more than SIZE_GROWTH times its size at a hundredth
# of the volume plus SIZE_SLACK_BYTES, or its p95 is more than P95_GROWTH times the small volume's plus
# P95_SLACK_MS (timer noise on a shared machine). The size's slack is one page of a list (50 table rows of about
# 600 bytes): a list shown a page at a time whose first page is not yet full at the small volume grows by that
# much and no more, where a list that is not grows a hundredfold. Jobs and exports are left out: a file of every
# grant grows with the grants by design (their query counts are still compared).
SIZE_GROWTH, SIZE_SLACK_BYTES = 1.2, 32_000
P95_GROWTH, P95_SLACK_MS = 2.0, 10.0


def ensure_database():
    import psycopg2

    params = connection.settings_dict
    admin = psycopg2.connect(
        dbname="postgres",
        user=params["USER"] or None,
        host=params["HOST"] or None,
        port=params["PORT"] or None,
        password=params["PASSWORD"] or None,
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [params["NAME"]])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{params["NAME"]}"')
    admin.close()


def signed_in_client(email):
    from opcc.models import User
    from opcc.testing import verified_client

    return verified_client(User.objects.get(email=email), secure=True)


def pages():
    """(role's demo email, page name, url) for every main page of every role. Apps add theirs below."""
    from funding.models import Award, Pot
    from opcc.demo import demo_email
    from opcc.models import Organisation

    year = dataset.LAST_YEAR
    big_pot = Pot.objects.filter(year__start_year=year).order_by("-allocated", "key").first()
    award = dataset.measured_award()
    org = Organisation.objects.get(name="Severn Valley Women's Aid (demo)")
    own_award = Award.objects.filter(organisation=org).order_by("-pk").first()
    rows = [
        (None, "Sign-in page", "/sign-in/"),
        (demo_email("officer"), "Officer home", "/home/"),
        (demo_email("head"), "Head of commissioning home", "/home/"),
        (demo_email("pcc"), "PCC home", "/home/"),
        (demo_email("finance"), "Finance home", "/home/"),
        (demo_email("auditor"), "Auditor home", "/home/"),
        (demo_email("provider"), "Provider home", "/home/"),
        (demo_email("ambassador.herefordshire"), "Ambassador home", "/home/"),
        (demo_email("commander.herefordshire"), "Area commander home", "/home/"),
        (demo_email("evaluator"), "Evaluator home", "/home/"),
        (demo_email("officer"), "Organisations list", "/organisations/"),
        (demo_email("officer"), "Organisation page", f"/organisations/{org.pk}/"),
        (demo_email("ambassador.herefordshire"), "Area page", "/areas/herefordshire/"),
        (demo_email("finance"), f"Funding overview {dataset.YEAR_LABEL}", f"/funding/{year}/"),
        (demo_email("finance"), "Pot page (largest pot)", f"/funding/{year}/pots/{big_pot.key}/"),
        (demo_email("finance"), "Awards list, one year", f"/funding/awards/?year={year}"),
        (demo_email("finance"), "Awards list, all years", "/funding/awards/"),
        (demo_email("finance"), "Award page", f"/funding/awards/{award.pk}/"),
        (demo_email("provider"), "Provider's award page", f"/funding/awards/{own_award.pk}/"),
        (
            demo_email("finance"),
            "Award page, its payments' second page",
            f"/funding/awards/{award.pk}/?payments-page=2",
        ),
        (demo_email("finance"), "Payments due", "/funding/payments-due/"),
    ]
    from commissioning.models import Commission
    from grants.models import Application
    from reporting.models import QuarterlyReturn

    commission = Commission.objects.order_by("pk").first()
    grant_round = dataset.measured_round()
    application = Application.objects.exclude(status="draft").order_by("pk").first()
    own_return = QuarterlyReturn.objects.filter(award__organisation=org).order_by("-due_date").first()
    rows += [
        (demo_email("officer"), "Commissions list", "/commissioning/"),
        (demo_email("officer"), "Commission overview", f"/commissioning/{commission.pk}/"),
        (
            demo_email("officer"),
            "Commission Understand stage (crime panel)",
            f"/commissioning/{commission.pk}/understand/",
        ),
        (demo_email("evaluator"), "Evaluator's tenders", "/commissioning/evaluations/"),
        (demo_email("officer"), "Grants (office): rounds and applications", "/grants/"),
        (
            demo_email("officer"),
            "Grants (office): applications in assessment",
            "/grants/?status=in_assessment",
        ),
        (
            demo_email("officer"),
            "A round's applications (the largest round)",
            f"/grants/rounds/{grant_round.pk}/",
        ),
        (demo_email("officer"), "Grant application (office)", f"/grants/applications/{application.pk}/"),
        (demo_email("provider"), "Provider's applications", "/grants/applications/"),
        (demo_email(f"ambassador.{dataset.MEASURED_AREA}"), "LPCAF bids for an area", "/grants/area-bids/"),
        (
            demo_email(f"ambassador.{dataset.MEASURED_AREA}"),
            "LPCAF bids for an area, second page",
            "/grants/area-bids/?page=2&waiting-page=2",
        ),
        (demo_email("officer"), "Returns list (officer)", "/monitoring/returns/"),
        (demo_email("officer"), "Returns list, overdue filter", "/monitoring/returns/?overdue=yes"),
        (demo_email("provider"), "Provider's returns", "/monitoring/your-returns/"),
        (demo_email("provider"), "Provider's return form", f"/monitoring/returns/{own_return.pk}/"),
        (demo_email("finance"), "Crime trends (a million crimes)", "/dashboard/crime/"),
        (None, "Public: grants made", "/transparency/grants/"),
        (None, "Public: contracts over £10,000", "/transparency/contracts/"),
    ]
    from opcc.apps import domain_modules

    for module in domain_modules("bench_pages"):
        rows.extend(module.pages())
    return rows


def jobs():
    """(name, callable) for the slow work: exports and background jobs. Apps add theirs."""
    from opcc.aggregates import new_version
    from opcc.apps import domain_modules
    from opcc.demo import demo_email

    finance = signed_in_client(demo_email("finance"))
    public = Client(secure=True)

    def first_build(url):
        def build():
            new_version()  # as any committed change to the data does: the file is built afresh
            return public.get(url).content

        return build

    rows = [
        (
            "Awards export, CSV (all years)",
            lambda: b"".join([finance.get("/funding/awards/export.csv").content]),
        ),
        ("Year export, XLSX", lambda: finance.get(f"/funding/{dataset.LAST_YEAR}/export.xlsx").content),
        ("Open data: 360Giving JSON", lambda: public.get("/open-data/grants.360giving.json").content),
        ("Open data: 360Giving XLSX", lambda: public.get("/open-data/grants.360giving.xlsx").content),
        ("Open data: OCDS JSON", lambda: public.get("/open-data/contracts.ocds.json").content),
        (
            "Open data: 360Giving JSON, first build after a change",
            first_build("/open-data/grants.360giving.json"),
        ),
        (
            "Open data: 360Giving XLSX, first build after a change",
            first_build("/open-data/grants.360giving.xlsx"),
        ),
        ("Open data: OCDS JSON, first build after a change", first_build("/open-data/contracts.ocds.json")),
    ]
    for module in domain_modules("bench_pages"):
        if hasattr(module, "jobs"):
            rows.extend(module.jobs())
    return rows


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    return (
        f"{platform.node()}: {os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, "
        f"PostgreSQL {pg}, Django {django.get_version()}"
    )


def table(rows: list[Measurement], floors: list[Measurement], small: dict[str, dict]) -> str:
    floor, staff_floor = floors[0], floors[1]
    lines = [
        "| What | Status | Median ms | p95 ms | p95 ms at 1/100 | × floor | × signed-in floor | Queries | "
        "Queries at 1/100 | kB | kB at 1/100 |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for m in [*floors, *rows]:
        s = small.get(m.name, {})
        lines.append(
            f"| {m.name} | {m.status} | {m.median_ms:.1f} | {m.p95_ms:.1f} | {_num(s.get('p95_ms'), '.1f')} | "
            f"{m.ratio(floor):.1f} | {m.ratio(staff_floor):.1f} | {m.queries} | {s.get('queries', '?')} | "
            f"{m.bytes / 1000:.1f} | {_num(s.get('bytes'), '.1f', 1000)} |"
        )
    return "\n".join(lines)


def _num(value, spec, per=1):
    return "?" if value is None else format(value / per, spec)


def growth_misses(pages: list[Measurement], small: dict[str, dict]) -> list[str]:
    """The pages whose queries, size or p95 grow with the data (see the tolerances at the top)."""
    misses = []
    for m in pages:
        s = small.get(m.name)
        if s is None:
            misses.append(f"{m.name} (not measured at 1/100 volume)")
            continue
        if s["queries"] != m.queries:
            misses.append(f"{m.name} ({s['queries']} queries at 1/100 volume, {m.queries} at full volume)")
        if m.bytes > s["bytes"] * SIZE_GROWTH + SIZE_SLACK_BYTES:
            misses.append(
                f"{m.name} ({s['bytes'] / 1000:.1f} kB at 1/100 volume, {m.bytes / 1000:.1f} kB at full volume)"
            )
        if m.p95_ms > s["p95_ms"] * P95_GROWTH + P95_SLACK_MS:
            misses.append(
                f"{m.name} (p95 {s['p95_ms']:.1f} ms at 1/100 volume, {m.p95_ms:.1f} ms at full volume)"
            )
    return misses


def volume() -> str:
    from funding.models import Award, Payment
    from grants.models import Application
    from reporting.models import CrimeRecord, QuarterlyReturn

    return (
        f"{Award.objects.count():,} awards, {Payment.objects.count():,} payments, "
        f"{Application.objects.count():,} grant applications, {QuarterlyReturn.objects.count():,} quarterly returns, "
        f"{CrimeRecord.objects.count():,} crime rows"
    )


def plan(*, runs: int, job_runs: int) -> list[tuple[str, str, object]]:
    """(kind, name, measure) for the floors, every page and every job, in the order they are measured; each
    `measure()` returns a Measurement (under bench.urls, for the floors)."""
    from opcc.demo import demo_email

    staff, public, clients = signed_in_client(demo_email("pcc")), Client(secure=True), {}
    floors = [
        (public, "Floor: bare view, one query", "/bench/floor/"),
        (staff, "Signed-in floor: the same, for signed-in staff", "/bench/floor/signed-in/"),
        (staff, "Layout floor: signed in, the page layout, one query", "/bench/floor/layout/"),
    ]
    steps = [
        ("floor", name, partial(measure_request, client, name, url, runs=runs * 5 // 2))
        for client, name, url in floors
    ]
    for email, name, url in pages():
        client = clients.setdefault(email, signed_in_client(email) if email else Client(secure=True))
        steps.append(("page", name, partial(measure_request, client, name, url, runs=runs)))
    steps += [("job", name, partial(measure_callable, name, fn, runs=job_runs)) for name, fn in jobs()]
    return steps


def measure_all(*, runs: int, job_runs: int, small: "SmallVolume"):
    """The floors, every page and every job, as Measurements, each measured by `small` straight after."""
    found = {"floor": [], "page": [], "job": []}
    with override_settings(ROOT_URLCONF="bench.urls"):
        for kind, name, measure in plan(runs=runs, job_runs=job_runs):
            found[kind].append(measure())
            small.measure(name)
    return found["floor"], found["page"], found["job"]


def prepare(scale: float):
    ensure_database()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("seed_demo", verbosity=0, stdout=open(os.devnull, "w"))
    from opcc.models import Organisation

    dataset.build(provider_org=Organisation.objects.get(name="Severn Valley Women's Aid (demo)"), scale=scale)


PROTOCOL = "BENCH-SMALL "  # the worker's answers on its stdout; anything else it prints is passed through


class SmallVolume:
    """This module run again as a worker on the small database: `measure(name)` has it measure the same floor,
    page or job there, and keeps the answer (queries, bytes, p95) in `measured`."""

    def __enter__(self):
        env = {
            **os.environ,
            "BENCH_DATABASE_URL": SMALL_DATABASE_URL,
            "BENCH_SCALE": str(SMALL_SCALE),
            "BENCH_SMALL_WORKER": "1",
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench.run"],
            cwd=ROOT.parent,
            env=env,
            text=True,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        self.measured, self.volume = {}, self._answer()["volume"]
        return self

    def _answer(self) -> dict:
        for line in self.process.stdout:
            if line.startswith(PROTOCOL):
                return json.loads(line.removeprefix(PROTOCOL))
            sys.stdout.write(line)
        raise RuntimeError(f"The small-volume worker stopped (exit code {self.process.wait()})")

    def measure(self, name: str):
        self.process.stdin.write(json.dumps(name) + "\n")
        self.process.stdin.flush()
        answer = self._answer()
        if answer:
            self.measured[name] = answer

    def __exit__(self, *exc):
        self.process.stdin.close()
        self.process.wait(timeout=600)


def small_worker():
    """In the second process: answer each name read from stdin with its measurement on this (small) database."""

    def answer(value):
        print(PROTOCOL + json.dumps(value), flush=True)

    answer({"volume": volume()})
    with override_settings(ROOT_URLCONF="bench.urls"):
        steps = {name: measure for _kind, name, measure in plan(runs=20, job_runs=5)}
        for line in sys.stdin:
            measure = steps.get(json.loads(line))
            m = measure() if measure else None
            answer({"queries": m.queries, "bytes": m.bytes, "p95_ms": m.p95_ms} if m else {})


DASHBOARDS = (f"Dashboard: money, {dataset.YEAR_LABEL}", f"Dashboard: performance, {dataset.YEAR_LABEL}")
FLOOR_NOTE = (
    "Floors: *Floor* is the issue's bare view (anonymous, a bare template, one query). Every staff page also "
    "reads the session, the user and the two-factor device, so the dashboard's target is stated against the "
    "*signed-in floor*: the same bare view for a signed-in member of staff. *Layout floor* adds the service's "
    "page layout. The dashboards' figures, finance's payments-due totals and the open-data files are cached until "
    "the data changes (opcc.aggregates): those rows are warm; the *first view (or build) after a change* rows "
    "under Jobs compute everything afresh. PostgreSQL's JIT is off for the app's connections (POSTGRES_JIT_OFF)."
)


def main():
    prepare(SCALE)
    if SMALL_WORKER:
        small_worker()
        return 0
    with SmallVolume() as small_volume:
        floors, results, job_results = measure_all(runs=20, job_runs=5, small=small_volume)
    big_volume, small = volume(), small_volume.measured
    staff_floor = floors[1]
    dashboards = [m for m in results if m.name in DASHBOARDS]
    dashboard_line = "; ".join(
        f"{m.name} {m.ratio(staff_floor):.1f}× the signed-in floor ({m.ratio(floors[0]):.1f}× the bare floor)"
        for m in dashboards
    )
    report = "\n\n".join(
        [
            "# Benchmark results",
            f"Run {datetime.now():%Y-%m-%d %H:%M} on {machine()}.",
            f"Volume: {big_volume} (the demo's data plus ten financial years of bench data). The columns marked "
            f"*at 1/100* measure each page again on a second database with the same data at a hundredth of the "
            f"volume ({small_volume.volume}), straight after each measurement at the full volume so that both see the "
            "machine equally busy. The lists of grant applications and payments measured hold more than a page at "
            "both volumes.",
            f"Targets: every page's p95 under {TARGET_P95_MS:.0f} ms; query counts independent of volume; no page "
            f"larger than {SIZE_GROWTH}× its size at 1/100 of the volume + {SIZE_SLACK_BYTES / 1000:.0f} kB (one page of "
            f"a list, which a list shown a page at a time but not yet full at the small volume may gain), nor its p95 "
            f"over {P95_GROWTH:.0f}× + {P95_SLACK_MS:.0f} ms (jobs and exports grow with the data by design); the "
            "dashboard within 4× the floor; the offer letter under 0.5 s; the sweep over 60,000 returns under 10 s. "
            "kB is the response body as sent (HTML, uncompressed).",
            FLOOR_NOTE,
            f"Dashboards: {dashboard_line}.",
            "## Pages",
            table(results, floors, small),
            "## Jobs and exports",
            table(job_results, floors, small),
        ]
    )
    for title, script, args in (
        ("Offer letter (one page, WeasyPrint)", "bench/offer_letter.py", []),
        ("Daily chase sweep over 60,000 returns", "bench/chase_sweep.py", ["--returns", "60000"]),
        ("Crime import", "bench/crime_import.py", []),
    ):
        if not (ROOT.parent / script).exists():
            continue
        output = subprocess.run(
            [sys.executable, script, *args],
            cwd=ROOT.parent,
            capture_output=True,
            text=True,
            env={**os.environ, "DEBUG": "true"},
            timeout=1800,
        )
        report += f"\n\n## {title}\n\n```\n{(output.stdout or output.stderr).strip()}\n```"
    misses = [m.name for m in results if m.p95_ms > TARGET_P95_MS or m.status != 200]
    misses += [f"{m.name} (over 4× the signed-in floor)" for m in dashboards if m.ratio(staff_floor) > 4]
    misses += growth_misses(results, small)
    misses += [
        f"{m.name} ({small.get(m.name, {}).get('queries')} queries at 1/100 volume, {m.queries} at full volume)"
        for m in job_results
        if small.get(m.name, {}).get("queries") != m.queries
    ]
    report += "\n\n" + (
        f"Over target, failing or growing with the data: {'; '.join(misses)}."
        if misses
        else "Every page is within target, and no page's queries, size or p95 grow with the data."
    )
    (ROOT / "RESULTS.md").write_text(report + "\n")
    print(report)
    return 1 if any(m.status != 200 for m in results) else 0


if __name__ == "__main__":
    sys.exit(main())
