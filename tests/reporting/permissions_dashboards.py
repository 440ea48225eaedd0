"""Who gets into the dashboards (issue 7): the office only; providers, ambassadors, commanders and
evaluators are refused, anonymous visitors are sent to sign in."""

from tests.permissions import OFFICE, only

MATRIX = {
    "reporting:dashboard": (lambda w: {}, only(OFFICE)),
    "reporting:dashboard-performance": (lambda w: {}, only(OFFICE)),
    "reporting:dashboard-indicators": (lambda w: {}, only(OFFICE)),
    "reporting:dashboard-outcomes": (lambda w: {}, only(OFFICE)),
    "reporting:dashboard-outcomes-export": (lambda w: {"fmt": "xlsx"}, only(OFFICE)),
    "reporting:dashboard-list": (lambda w: {"kind": "returns"}, only(OFFICE)),
    "reporting:dashboard-list-export": (lambda w: {"kind": "awards", "fmt": "csv"}, only(OFFICE)),
}
