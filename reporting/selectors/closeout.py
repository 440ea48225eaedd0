"""Reads for the final reports' pages."""

from django.db.models import Prefetch

from reporting.models import FinalOutcome, FinalReport, FinalSpendLine


def _base():
    return FinalReport.objects.select_related("award__organisation", "award__pot__year")


def office_final_reports(*, status: str = ""):
    """Every final report, those to review first, then by due date."""
    qs = _base()
    if status in FinalReport.Status.values:
        qs = qs.filter(status=status)
    return qs.order_by("due_date", "pk")


def provider_final_reports(user):
    return _base().filter(award__organisation__memberships__user=user).distinct().order_by("due_date", "pk")


def final_report_detail(pk: int) -> FinalReport:
    return (
        _base()
        .prefetch_related(
            Prefetch("spend_lines", queryset=FinalSpendLine.objects.order_by("position", "id")),
            Prefetch("outcomes", queryset=FinalOutcome.objects.order_by("position", "id")),
        )
        .get(pk=pk)
    )
