"""Locust users for `make load` (bench/load.py starts gunicorn and runs this against it).

Staff (commissioning officers) sign in with two-factor, browse the money, returns and dashboard pages and
accept submitted returns; providers sign in and submit their open quarterly returns through the real form.
Every return a provider submitted, and every return an officer accepted, is written down so that
bench/load.py can check afterwards that each is in the database. Runs in Locust's own process: no Django.
"""

import hashlib
import hmac
import json
import os
import random
import re
import struct
import time

from locust import HttpUser, between, events, task

ACCOUNTS = json.load(open(os.environ["LOAD_ACCOUNTS"]))
OUT = os.environ["LOAD_OUT"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STAFF_POOL, PROVIDER_POOL = list(ACCOUNTS["staff"]), list(ACCOUNTS["providers"])


def totp(key_hex: str, at: float | None = None) -> str:
    counter = int((at or time.time()) // 30)
    digest = hmac.new(bytes.fromhex(key_hex), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def record(kind: str, pk: int) -> None:
    with open(OUT, "a") as f:
        f.write(f"{kind} {pk}\n")


class Base(HttpUser):
    abstract = True
    wait_time = between(0.5, 1.5)
    pool: list = []

    def on_start(self):
        self.client.verify = False  # the load run's self-signed certificate
        self.client.headers["Referer"] = self.host + "/"  # Django's CSRF check over HTTPS wants one
        if not self.pool:  # one simulated person per account (a security code is single-use)
            self.stop()
            return
        self.account = self.pool.pop()
        self.sign_in(self.account["email"], ACCOUNTS["password"], self.account.get("totp_key"))

    def token(self, html: str) -> str:
        match = CSRF.search(html)
        if match is None:
            raise RuntimeError("no CSRF token on the page")
        return match.group(1)

    def sign_in(self, email: str, password: str, key: str | None):
        page = self.client.get("/sign-in/", name="sign-in page").text
        response = self.client.post(
            "/sign-in/",
            {"username": email, "password": password, "csrfmiddlewaretoken": self.token(page)},
            name="sign in",
        )
        if key:
            response = self.client.post(
                "/sign-in/two-factor/",
                {"token": totp(key), "csrfmiddlewaretoken": self.token(response.text)},
                name="security code",
            )
        if "/sign-in/" in response.url:
            raise RuntimeError(f"{email} could not sign in")


class Officer(Base):
    weight = 1
    pool = STAFF_POOL

    @task(3)
    def home(self):
        self.client.get("/home/", name="home (officer)")

    @task(2)
    def funding(self):
        self.client.get(f"/funding/{ACCOUNTS['year']}/", name="funding overview")
        self.client.get(f"/funding/awards/?year={ACCOUNTS['year']}", name="awards list")
        self.client.get(f"/funding/awards/{random.choice(ACCOUNTS['award_ids'])}/", name="award page")

    @task(2)
    def returns(self):
        self.client.get("/monitoring/returns/", name="returns list")
        self.client.get("/monitoring/returns/?overdue=yes", name="returns list, overdue")

    @task(2)
    def dashboards(self):
        self.client.get("/dashboard/", name="dashboard: money")
        self.client.get("/dashboard/performance/", name="dashboard: performance")
        self.client.get(
            f"/dashboard/lists/returns/?year={ACCOUNTS['year']}&timeliness=overdue", name="dashboard list"
        )

    @task(1)
    def accept_a_return(self):
        page = self.client.get("/monitoring/returns/?status=submitted", name="returns list, submitted").text
        reviews = re.findall(r'href="/monitoring/returns/(\d+)/review/"', page)
        if not reviews:
            return
        pk = random.choice(
            reviews[:10]
        )  # officers often pick the same one: the loser is told, nothing breaks
        form = self.client.get(f"/monitoring/returns/{pk}/review/", name="review page")
        if "csrfmiddlewaretoken" not in form.text or 'value="accept"' not in form.text:
            return  # already reviewed by someone else
        data = {
            "decision": "accept",
            "comments": "Accepted under load.",
            "csrfmiddlewaretoken": self.token(form.text),
        }
        expected = re.search(r'name="expected_state" value="([^"]*)"', form.text)
        if expected:
            data["expected_state"] = expected.group(1)
        with self.client.post(
            f"/monitoring/returns/{pk}/review/",
            data,
            name="accept a return",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code == 302:
                record("accepted", int(pk))
                response.success()
            elif response.status_code == 200:
                response.success()  # the form again: someone accepted it first (the page says so)
            else:
                response.failure(f"status {response.status_code}")


class Provider(Base):
    weight = 3
    pool = PROVIDER_POOL

    def on_start(self):
        super().on_start()
        self.to_submit = list(self.account["open_returns"]) if hasattr(self, "account") else []

    @task(2)
    def home(self):
        self.client.get("/home/", name="home (provider)")
        self.client.get("/monitoring/your-returns/", name="your returns")

    @task(3)
    def submit_a_return(self):
        if not self.to_submit:
            self.client.get("/grants/applications/", name="your applications")
            return
        pk = self.to_submit.pop()
        form = self.client.get(f"/monitoring/returns/{pk}/", name="return form").text
        data = {
            "csrfmiddlewaretoken": self.token(form),
            "action": "submit",
            "declaration": self.account["name"],
            "activity": "Sessions delivered across the area this quarter.",
            "spend_to_date": "1,000",
        }
        for name in re.findall(r'<input[^>]*name="(m_\d+)"', form):
            data[name] = "5"
        for name in re.findall(r'<textarea[^>]*name="(m_\d+)"', form):
            data[name] = "An anonymised answer."
        with self.client.post(
            f"/monitoring/returns/{pk}/",
            data,
            name="submit a return",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code == 302:
                record("submitted", pk)
                response.success()
            else:
                response.failure(f"status {response.status_code}: not submitted")


@events.quitting.add_listener
def _summary(environment, **kwargs):
    stats = environment.stats.total
    print(f"requests {stats.num_requests}, failures {stats.num_failures}")
