"""URLs of the dashboards pages (issue 7), joined into reporting.urls under the "reporting" namespace."""

urlpatterns: list = []
