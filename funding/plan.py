from django.urls import reverse

from opcc.plan import Taggable

TAGGABLE = [
    Taggable(
        key="award",
        heading="Awards",
        model="funding.Award",
        label=lambda a: f"{a.reference}: {a.title}",
        url=lambda a: reverse("funding:award", args=[a.pk]),
    ),
]
