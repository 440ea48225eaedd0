"""A refused request is logged in one line, without the traceback of the refusal."""

import logging

import pytest

from opcc.models import Role
from tests.conftest import sign_in


@pytest.fixture
def request_log(caplog):
    caplog.set_level(logging.WARNING, logger="django.request")
    return caplog


def test_a_refused_page_is_logged_without_a_traceback(client, world, request_log):
    sign_in(client, world.users[Role.PROVIDER])
    assert client.get("/funding/payments-due/").status_code in (403, 404)
    records = [r for r in request_log.records if r.name == "django.request"]
    assert records and all(r.exc_info is None for r in records)
    assert "Traceback" not in request_log.text
