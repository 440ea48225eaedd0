"""URLs of the publication review: contract copies (upload, review) and award descriptions (the public download
of a copy is in urls_transparency)."""

from django.urls import path

from reporting.views import contract_copies as views
from reporting.views import public_texts

urlpatterns: list = [
    path("transparency-review/contract-copies/", views.copy_list, name="contract-copies"),
    path("transparency-review/contract-copies/award/<int:pk>/", views.upload, name="contract-copy-upload"),
    path("transparency-review/contract-copies/<int:pk>/", views.review, name="contract-copy-review"),
    path(
        "transparency-review/contract-copies/<int:pk>/approve/", views.approve, name="contract-copy-approve"
    ),
    path("transparency-review/descriptions/", views.descriptions, name="public-descriptions"),
    path(
        "transparency-review/descriptions/<int:pk>/approve/",
        views.approve_description,
        name="public-description-approve",
    ),
    path(
        "transparency-review/texts/<slug:source>/<int:pk>/",
        public_texts.review_text,
        name="public-text-review",
    ),
]
