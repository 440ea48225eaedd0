"""URLs of the transparency pages (issue 7), joined into reporting.urls under the "reporting" namespace."""

urlpatterns: list = []
