from django.urls import reverse

from opcc.plan import Taggable

TAGGABLE = [
    Taggable(
        key="round",
        heading="Grant rounds",
        model="grants.Round",
        label=lambda r: f"{r.name}, {r.year.label}",
        url=lambda r: reverse("grants:round", args=[r.pk]),
        select_related=("year",),
    ),
]
