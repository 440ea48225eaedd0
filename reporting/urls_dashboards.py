"""URLs of the dashboards pages, joined into reporting.urls under the "reporting" namespace."""

from django.urls import path

from reporting.views import achievements, dashboards

urlpatterns: list = [
    path("dashboard/", dashboards.money, name="dashboard"),
    path("dashboard/performance/", dashboards.performance, name="dashboard-performance"),
    path("dashboard/outcomes/", achievements.outcomes, name="dashboard-outcomes"),
    path(
        "dashboard/outcomes/export.<str:fmt>", achievements.outcomes_export, name="dashboard-outcomes-export"
    ),
    path("dashboard/indicators/", dashboards.indicators, name="dashboard-indicators"),
    path("dashboard/lists/<slug:kind>/", dashboards.drilldown, name="dashboard-list"),
    path(
        "dashboard/lists/<slug:kind>/export.<str:fmt>",
        dashboards.drilldown_export,
        name="dashboard-list-export",
    ),
]
