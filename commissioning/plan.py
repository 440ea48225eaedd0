from django.urls import reverse

from opcc.plan import Taggable

TAGGABLE = [
    Taggable(
        key="commission",
        heading="Commissions",
        model="commissioning.Commission",
        label=lambda c: f"{c.reference} {c.title}",
        url=lambda c: reverse("commissioning:detail", args=[c.pk]),
    ),
]
