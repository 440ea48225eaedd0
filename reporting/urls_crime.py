"""URLs of the crime pages, joined into reporting.urls under the "reporting" namespace."""

from django.urls import path

from reporting.views import crime

urlpatterns: list = [
    path("dashboard/crime/", crime.trends, name="crime-trends"),
    path("dashboard/crime/import/", crime.import_page, name="crime-import"),
    path("dashboard/crime/import/<int:pk>/", crime.import_status, name="crime-import-status"),
    path("dashboard/crime/population/", crime.population_page, name="crime-population"),
]
