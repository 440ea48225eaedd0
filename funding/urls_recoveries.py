"""Recoveries: money owed back when an award ends (included by funding/urls.py)."""

from django.urls import path

from funding.views import recoveries

urlpatterns = [
    path("recoveries/", recoveries.recovery_list, name="recoveries"),
    path("recoveries/<int:pk>/received/", recoveries.recovery_receive, name="recovery-receive"),
    path("awards/<int:pk>/recoveries/new/", recoveries.recovery_create, name="recovery-create"),
]
