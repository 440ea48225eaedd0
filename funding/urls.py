from django.urls import path

from funding import urls_recoveries
from funding.views import awards, payments, reprofiling, years, years_ahead

app_name = "funding"

urlpatterns = [
    path("", years.index, name="index"),
    path("new-year/", years.new_year, name="new-year"),
    path("years-ahead/", years_ahead.years_ahead, name="years-ahead"),
    path("years-ahead/add/", years_ahead.add_year, name="years-ahead-add"),
    path("payments-due/", payments.payments_due, name="payments-due"),
    path("awards/", awards.award_list, name="awards"),
    path("awards/new/", awards.award_create, name="award-create"),
    path("awards/export.<str:fmt>", awards.award_export, name="awards-export"),
    path("awards/<int:pk>/", awards.award_detail, name="award"),
    path("awards/<int:pk>/payments/new/", payments.payment_create, name="payment-create"),
    path("awards/<int:pk>/reprofile/", reprofiling.reprofile, name="award-reprofile"),
    path("awards/<int:pk>/<str:action>/", awards.award_transition, name="award-transition"),
    path("<int:start_year>/", years.overview, name="overview"),
    path("<int:start_year>/export.<str:fmt>", years.year_export, name="year-export"),
    path("<int:start_year>/income/new/", years.income_form, name="income-create"),
    path("<int:start_year>/income/<int:pk>/", years.income_form, name="income-edit"),
    path("<int:start_year>/allocation/", years.allocation_form, name="allocation"),
    path("<int:start_year>/make-draft/", years_ahead.make_draft, name="make-draft"),
    path("<int:start_year>/approve/", years.approve, name="approve"),
    path("<int:start_year>/variation/", years.variation, name="variation"),
    path("<int:start_year>/pots/<slug:key>/", years.pot_detail, name="pot"),
]
urlpatterns += urls_recoveries.urlpatterns
