"""One client address for the lock-out, the rate limits and the logs: a forged X-Forwarded-For changes nothing."""

import logging

import pytest
from django.test import RequestFactory
from freezegun import freeze_time

from opcc.models import Role
from tests.factories import PASSWORD

PROXY = "10.0.0.2"  # the address Django sees behind the one reverse proxy


@pytest.fixture(autouse=True)
def one_minute():
    """The limits count per clock minute: a slow run must not cross into the next one."""
    with freeze_time("2026-11-02 10:00:05"):
        yield


def forged(n: int) -> str:
    return f"198.51.100.{n % 250 + 1}"


def headers(n: int, proxies: int) -> dict:
    """What reaches Django from one client (203.0.113.7) who writes a new X-Forwarded-For each time."""
    if proxies == 0:
        return {"REMOTE_ADDR": "203.0.113.7", "HTTP_X_FORWARDED_FOR": forged(n)}
    # The proxy appends the address it saw to whatever the client sent.
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": f"{forged(n)}, {forged(n + 7)}, 203.0.113.7"}


@pytest.mark.parametrize("proxies", [0, 1])
def test_a_forged_forwarded_for_cannot_dodge_the_sign_in_lock_out(client, world, settings, proxies):
    settings.TRUSTED_PROXY_COUNT = proxies
    user = world.users[Role.PROVIDER]
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/sign-in/", {"username": user.email, "password": "not the password"}, **headers(n, proxies)
        )
    response = client.post(
        "/sign-in/", {"username": user.email, "password": PASSWORD}, **headers(99, proxies)
    )
    assert response.status_code == 429
    assert "locked for 15 minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("proxies", [0, 1])
def test_a_forged_forwarded_for_cannot_dodge_the_sign_in_rate_limit(client, db, settings, proxies):
    settings.TRUSTED_PROXY_COUNT = proxies
    for n in range(settings.RATE_LIMIT_SIGN_IN):
        client.post("/sign-in/", {"username": f"x{n}@example.org", "password": "x"}, **headers(n, proxies))
    response = client.post(
        "/sign-in/", {"username": "y@example.org", "password": "x"}, **headers(500, proxies)
    )
    assert response.status_code == 429


@pytest.mark.parametrize("proxies", [0, 1])
def test_a_forged_forwarded_for_cannot_dodge_the_open_data_limit(client, db, settings, proxies):
    settings.TRUSTED_PROXY_COUNT = proxies
    settings.RATE_LIMIT_OPEN_DATA = 3
    for n in range(3):
        assert client.get("/open-data/grants.360giving.json", **headers(n, proxies)).status_code == 200
    refused = client.get("/open-data/contracts.ocds.json", **headers(3, proxies))
    assert refused.status_code == 429 and refused["Retry-After"] == "60"


def test_behind_the_proxy_two_clients_are_counted_apart(client, db, settings):
    # Counting the proxy's own address would let one busy client refuse everyone else.
    settings.TRUSTED_PROXY_COUNT = 1
    settings.RATE_LIMIT_OPEN_DATA = 2
    first = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.7"}
    second = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.8"}
    for _ in range(2):
        assert client.get("/open-data/grants.360giving.json", **first).status_code == 200
    assert client.get("/open-data/grants.360giving.json", **first).status_code == 429
    assert client.get("/open-data/grants.360giving.json", **second).status_code == 200


@pytest.mark.parametrize(
    ("proxies", "meta", "expected"),
    [
        (0, {"REMOTE_ADDR": "203.0.113.7", "HTTP_X_FORWARDED_FOR": "198.51.100.1"}, "203.0.113.7"),
        (1, {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "198.51.100.1, 203.0.113.7"}, "203.0.113.7"),
        (1, {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.7"}, "203.0.113.7"),
        (
            2,
            {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "198.51.100.1, 203.0.113.7, 10.0.0.1"},
            "203.0.113.7",
        ),
        # An unterminated quote is not a way to hide the entry the proxy appended.
        (1, {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": '198.51.100.1, ", 203.0.113.7'}, "203.0.113.7"),
        (1, {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "not-an-address"}, PROXY),
        # A request that did not come through the proxy (a health check) is the address that sent it.
        (1, {"REMOTE_ADDR": "127.0.0.1"}, "127.0.0.1"),
    ],
)
def test_the_client_is_the_address_the_trusted_proxies_saw(settings, proxies, meta, expected):
    from opcc.client_ip import client_address

    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_address(RequestFactory().get("/", **meta)) == expected


def test_the_lock_out_uses_the_same_address(settings):
    from axes.helpers import get_client_ip_address

    settings.TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.7")
    assert get_client_ip_address(request) == "203.0.113.7"


def test_a_refused_request_is_logged_with_the_resolved_client_address(client, db, settings, caplog):
    from opcc.log_filters import WithClientAddress

    settings.TRUSTED_PROXY_COUNT = 1
    caplog.set_level(logging.WARNING, logger="django.request")
    client.get("/no-such-page/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.7")
    records = [r for r in caplog.records if r.name == "django.request"]
    console = next(
        h for h in logging.getLogger().handlers if any(isinstance(f, WithClientAddress) for f in h.filters)
    )
    assert records
    for record in records:
        assert console.filter(record)
        line = console.format(record)
        assert "203.0.113.7" in line and "198.51.100.1" not in line


def test_a_request_with_no_address_is_recorded_as_none_not_a_made_up_one(settings):
    # The lock-out stores the address in an IP address column: a placeholder word would not fit.
    from opcc.client_ip import client_address

    settings.TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get("/")
    del request.META["REMOTE_ADDR"]
    assert client_address(request) is None
