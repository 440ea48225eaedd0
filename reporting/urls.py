from django.urls import path

from reporting import (
    urls_closeout,
    urls_copies,
    urls_crime,
    urls_dashboards,
    urls_moj,
    urls_panel,
    urls_payments,
    urls_transparency,
)
from reporting.views import monitoring, tiers

app_name = "reporting"

# Outcome monitoring lives under /monitoring/; dashboards under /dashboard/, crime trends under
# /dashboard/crime/, and the public pages under /transparency/ and /open-data/ (each in its own module).
urlpatterns = [
    path("monitoring/returns/", monitoring.officer_returns, name="returns"),
    path("monitoring/your-returns/", monitoring.provider_returns, name="my-returns"),
    path("monitoring/returns/<int:pk>/", monitoring.return_detail, name="return"),
    path("monitoring/returns/<int:pk>/review/", monitoring.return_review, name="return-review"),
    path("monitoring/awards/<int:pk>/", monitoring.award_monitoring, name="award"),
    path("monitoring/awards/<int:pk>/visits/new/", monitoring.visit_schedule, name="visit-schedule"),
    path("monitoring/awards/<int:pk>/visits/record/", monitoring.visit_record_past, name="visit-record-past"),
    path("monitoring/awards/<int:pk>/visits/<int:visit_pk>/", monitoring.visit_record, name="visit-record"),
    path("monitoring/awards/<int:pk>/tier/", tiers.award_tier, name="award-tier"),
    path("monitoring/awards/<int:pk>/annual-reviews/new/", tiers.annual_review, name="annual-review"),
    path("monitoring/visits-and-reviews-due/", tiers.due, name="visits-reviews-due"),
]
urlpatterns += urls_dashboards.urlpatterns + urls_crime.urlpatterns + urls_transparency.urlpatterns
urlpatterns += urls_moj.urlpatterns + urls_panel.urlpatterns
urlpatterns += urls_payments.urlpatterns + urls_copies.urlpatterns
urlpatterns += urls_closeout.urlpatterns
