from django.urls import path

from funding import views

app_name = "funding"

urlpatterns = [
    path("", views.index, name="index"),
    path("new-year/", views.new_year, name="new-year"),
    path("payments-due/", views.payments_due, name="payments-due"),
    path("awards/", views.award_list, name="awards"),
    path("awards/new/", views.award_create, name="award-create"),
    path("awards/export.<str:fmt>", views.award_export, name="awards-export"),
    path("awards/<int:pk>/", views.award_detail, name="award"),
    path("awards/<int:pk>/payments/new/", views.payment_create, name="payment-create"),
    path("awards/<int:pk>/<str:action>/", views.award_transition, name="award-transition"),
    path("<int:start_year>/", views.overview, name="overview"),
    path("<int:start_year>/export.<str:fmt>", views.year_export, name="year-export"),
    path("<int:start_year>/income/new/", views.income_form, name="income-create"),
    path("<int:start_year>/income/<int:pk>/", views.income_form, name="income-edit"),
    path("<int:start_year>/allocation/", views.allocation_form, name="allocation"),
    path("<int:start_year>/approve/", views.approve, name="approve"),
    path("<int:start_year>/variation/", views.variation, name="variation"),
    path("<int:start_year>/pots/<slug:key>/", views.pot_detail, name="pot"),
]
