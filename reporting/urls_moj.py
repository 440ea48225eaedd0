"""URLs of the Ministry of Justice return, joined into reporting.urls under the "reporting" namespace."""

from django.urls import path

from reporting.views import moj_return

urlpatterns: list = [
    path("dashboard/moj-return/", moj_return.moj_return, name="moj-return"),
    path("dashboard/moj-return/export.xlsx", moj_return.moj_return_export, name="moj-return-export"),
    path("dashboard/moj-return/fields/<int:pk>/", moj_return.moj_field, name="moj-return-field"),
    path(
        "dashboard/moj-return/fields/<int:pk>/export.<str:fmt>",
        moj_return.moj_field_export,
        name="moj-return-field-export",
    ),
    path("dashboard/moj-return/missing/", moj_return.moj_missing, name="moj-return-missing"),
    path(
        "dashboard/moj-return/missing/export.<str:fmt>",
        moj_return.moj_missing_export,
        name="moj-return-missing-export",
    ),
]
