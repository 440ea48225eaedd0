"""What links to the Police and Crime Plan's objectives: each domain app's `<app>/plan.py` lists its kinds of record
(commissions, grant rounds, awards) in TAGGABLE, so the core can list and tag them without importing the app."""

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Model, QuerySet

from opcc.apps import domain_modules


@dataclass(frozen=True)
class Taggable:
    key: str  # in the tag page's address, like "commission"
    heading: str  # "Commissions"
    model: str  # "commissioning.Commission"; its `objectives` field links it to the plan
    label: Callable[[Model], str]
    url: Callable[[Model], str]
    select_related: tuple[str, ...] = ()

    @property
    def model_class(self) -> type[Model]:
        return apps.get_model(self.model)

    def untagged(self) -> QuerySet:
        return (
            self.model_class.objects.filter(objectives__isnull=True)
            .select_related(*self.select_related)
            .order_by("-pk")
        )


def taggables() -> list[Taggable]:

    return [item for module in domain_modules("plan") for item in module.TAGGABLE]


def taggable(key: str) -> Taggable | None:
    return next((t for t in taggables() if t.key == key), None)


class UntaggedRecords:
    """Every kind's untagged records as one sequence, kind by kind, for a single paginator: a page runs one count
    per kind and one query per kind it shows, however many records there are."""

    def __init__(self, kinds: list[Taggable]):
        self.parts = [(kind, kind.untagged()) for kind in kinds]
        self._counts = None

    def counts(self) -> list[int]:
        if self._counts is None:
            self._counts = [qs.count() for _kind, qs in self.parts]
        return self._counts

    def count(self) -> int:
        return sum(self.counts())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[dict]:
        start, stop = index.start or 0, index.stop
        rows, offset = [], 0
        for (kind, qs), n in zip(self.parts, self.counts(), strict=True):
            lo, hi = max(start - offset, 0), min(stop - offset, n)
            if lo < hi:
                rows += [
                    {"kind": kind, "record": record, "label": kind.label(record), "url": kind.url(record)}
                    for record in qs[lo:hi]
                ]
            offset += n
        return rows
