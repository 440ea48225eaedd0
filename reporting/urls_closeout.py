"""Final reports: closing an award (included by reporting/urls.py)."""

from django.urls import path

from reporting.views import closeout

urlpatterns = [
    path("monitoring/final-reports/", closeout.office_final_reports, name="final-reports"),
    path("monitoring/your-final-reports/", closeout.provider_final_reports, name="my-final-reports"),
    path("monitoring/final-reports/<int:pk>/", closeout.final_report, name="final-report"),
    path(
        "monitoring/final-reports/<int:pk>/review/", closeout.final_report_review, name="final-report-review"
    ),
]
