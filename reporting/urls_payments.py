"""URLs of payments reporting under the Procurement Act, joined into reporting.urls (finance and the head)."""

from django.urls import path

from reporting.views import payments_compliance as views

urlpatterns: list = [
    path("payments-reporting/", views.overview, name="payments-compliance"),
    path("payments-reporting/periods/<str:start>/", views.period_detail, name="payments-compliance-period"),
    path("payments-reporting/periods/<str:start>.csv", views.period_csv, name="payments-compliance-csv"),
    path(
        "payments-reporting/periods/<str:start>/approve/", views.approve, name="payments-compliance-approve"
    ),
    path("payments-reporting/over-30000/<str:start>/", views.large_payments, name="large-payments"),
    path(
        "payments-reporting/over-30000/<str:start>.csv", views.large_payments_csv, name="large-payments-csv"
    ),
]
