"""URLs of the Police and Crime Panel reports, joined into reporting.urls under the "reporting" namespace."""

from django.urls import path

from reporting.views import panel_report as views

urlpatterns: list = [
    path("dashboard/panel-reports/", views.report_list, name="panel-reports"),
    path("dashboard/panel-reports/new/", views.report_create, name="panel-report-create"),
    path("dashboard/panel-reports/<int:pk>/", views.report_detail, name="panel-report"),
    path("dashboard/panel-reports/<int:pk>/make/", views.report_generate, name="panel-report-generate"),
    path("dashboard/panel-reports/<int:pk>/download/", views.report_download, name="panel-report-download"),
    path(
        "dashboard/panel-reports/<int:pk>/case-studies/choose/",
        views.case_study_choose,
        name="panel-report-case-study-choose",
    ),
    path(
        "dashboard/panel-reports/<int:pk>/case-studies/from-return/<int:return_pk>/",
        views.case_study_add,
        name="panel-report-case-study-add",
    ),
    path(
        "dashboard/panel-reports/<int:pk>/case-studies/<int:study_pk>/",
        views.case_study_edit,
        name="panel-report-case-study-edit",
    ),
    path(
        "dashboard/panel-reports/<int:pk>/case-studies/<int:study_pk>/remove/",
        views.case_study_remove,
        name="panel-report-case-study-remove",
    ),
]
