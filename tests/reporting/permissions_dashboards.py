"""Who gets into the dashboards: the office only; providers, ambassadors, commanders and
evaluators are refused, anonymous visitors are sent to sign in."""

from tests.permissions import OFFICE, only


def _moj_field(w) -> dict:
    from reporting.models import MojReturnField
    from reporting.moj_defaults import ensure_defaults

    ensure_defaults()
    return {"pk": MojReturnField.objects.order_by("pk").values_list("pk", flat=True).first()}


MATRIX = {
    "reporting:dashboard": (lambda w: {}, only(OFFICE)),
    "reporting:dashboard-performance": (lambda w: {}, only(OFFICE)),
    "reporting:dashboard-indicators": (lambda w: {}, only(OFFICE)),
    "reporting:dashboard-outcomes": (lambda w: {}, only(OFFICE)),
    "reporting:dashboard-outcomes-export": (lambda w: {"fmt": "xlsx"}, only(OFFICE)),
    "reporting:dashboard-list": (lambda w: {"kind": "returns"}, only(OFFICE)),
    "reporting:dashboard-list-export": (lambda w: {"kind": "awards", "fmt": "csv"}, only(OFFICE)),
    "reporting:moj-return": (lambda w: {}, only(OFFICE)),
    "reporting:moj-return-export": (lambda w: {}, only(OFFICE)),
    "reporting:moj-return-field": (_moj_field, only(OFFICE)),
    "reporting:moj-return-field-export": (lambda w: {**_moj_field(w), "fmt": "xlsx"}, only(OFFICE)),
    "reporting:moj-return-missing": (lambda w: {}, only(OFFICE)),
    "reporting:moj-return-missing-export": (lambda w: {"fmt": "csv"}, only(OFFICE)),
}
