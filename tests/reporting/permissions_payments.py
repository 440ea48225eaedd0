"""Payments reporting under the Procurement Act: finance and the head of commissioning read it; finance alone
records the finance director's approval of a payments compliance notice."""

from opcc.models import Role
from tests.permissions import only

READERS = {Role.FINANCE_OFFICER, Role.HEAD_OF_COMMISSIONING}
FINANCE = {Role.FINANCE_OFFICER}
PERIOD = {"start": "2026-04-01"}

MATRIX = {
    "reporting:payments-compliance": (lambda w: {}, only(READERS)),
    "reporting:payments-compliance-period": (lambda w: PERIOD, only(READERS)),
    "reporting:payments-compliance-csv": (lambda w: PERIOD, only(READERS)),
    "reporting:payments-compliance-approve": (lambda w: PERIOD, only(FINANCE)),
    "reporting:large-payments": (lambda w: PERIOD, only(READERS)),
    "reporting:large-payments-csv": (lambda w: PERIOD, only(READERS)),
}
