"""URLs of the transparency pages, joined into reporting.urls under the "reporting" namespace.

All public: no sign-in (Elected Local Policing Bodies (Specified Information) Order 2011).
"""

from django.urls import path

from reporting.views import contract_copies, spend
from reporting.views import transparency as views

urlpatterns: list = [
    path("transparency/", views.index, name="transparency"),
    path("transparency/grants/", views.grant_list, name="transparency-grants"),
    path("transparency/grants/<str:reference>/", views.grant_detail, name="transparency-grant"),
    path("transparency/contracts/", views.contract_list, name="transparency-contracts"),
    path(
        "transparency/contracts/up-to-10000/", views.small_contract_list, name="transparency-small-contracts"
    ),
    path("transparency/contracts/<str:reference>/", views.contract_detail, name="transparency-contract"),
    path(
        "transparency/contracts/<str:reference>/copy.pdf",
        contract_copies.public_copy,
        name="transparency-contract-copy",
    ),
    path("transparency/grant-rounds/", views.round_list, name="transparency-rounds"),
    path("transparency/grant-rounds/<int:pk>/", views.round_detail, name="transparency-round"),
    path("transparency/tenders/", views.tender_list, name="transparency-tenders"),
    path("transparency/tenders/<int:pk>/", views.tender_detail, name="transparency-tender"),
    path("transparency/spend/", spend.spend_list, name="transparency-spend"),
    path("transparency/spend.csv", spend.spend_csv, name="transparency-spend-csv"),
    path("transparency/spend.json", spend.spend_json, name="transparency-spend-json"),
    path("open-data/", views.open_data, name="open-data"),
    path("open-data/grants.360giving.json", views.grants_json, name="open-data-grants-json"),
    path("open-data/grants.360giving.xlsx", views.grants_xlsx, name="open-data-grants-xlsx"),
    path("open-data/contracts.ocds.json", views.contracts_json, name="open-data-contracts"),
]
