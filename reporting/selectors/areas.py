"""The local policing areas an award serves: the one rule every page that places money in areas uses (the crime
trends page and "What the money achieves").

An award serves its pot's area (an LPCAF pot), else its community safety partnership pot's area, else (a grant) the
area its application was for, else the areas of the commission its contract was let for (a pilot's areas). An award
serving no area, or every area, serves West Mercia as a whole. What a page then does with an award serving several
areas is its own: the crime trends page splits its money equally between them so its areas add up; the outcomes
dashboard counts it in full under each.

Read it without a query per award: annotate `own_area()` on the awards read, read `pilot_areas()` in one query, and
combine the two with `areas_of()`; or narrow awards to an area with `serving()`, in SQL.
"""

from collections import defaultdict

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce

from commissioning.models import Commission, Contract


def own_area(prefix: str = "") -> Coalesce:
    """The one area an award records itself: its pot's, else its CSP pot's, else its grant application's; null when
    it records none. `prefix` reaches the award from another table, e.g. "award__" from its award years."""
    return Coalesce(
        f"{prefix}pot__area_id",
        f"{prefix}pot__csp__area_id",
        f"{prefix}grant_application__area_id",
        output_field=IntegerField(),
    )


def pilot_areas(awards: QuerySet) -> dict[int, set[int]]:
    """award id -> the areas of the commission its contract was let for, for these awards (one query; an award with
    no contract, or let for a West Mercia wide commission, is not in it)."""
    found: dict[int, set[int]] = defaultdict(set)
    for award_id, area_id in Contract.objects.filter(
        award__in=awards.values("pk"), procurement__commission__areas__isnull=False
    ).values_list("award_id", "procurement__commission__areas"):
        found[award_id].add(area_id)
    return found


def areas_of(own: int | None, pilots: set[int] | None, every: set[int]) -> tuple[int, ...]:
    """The areas an award serves, by its own area (`own_area()`) and its commission's (`pilot_areas()`), among
    `every` area; none (West Mercia wide) when it serves no area or all of them."""
    served = ({own} if own else set(pilots or ())) & every
    return () if len(served) == len(every) else tuple(sorted(served))


def _piloted_links(every: int) -> QuerySet:
    """Commission-area links of commissions serving some but not all of the `every` areas."""
    piloted = Commission.objects.annotate(served=Count("areas")).filter(served__lt=every).values("pk")
    return Commission.areas.through.objects.filter(commission__in=piloted)


def serving(awards: QuerySet, area_id: int | None, every: int) -> QuerySet:
    """Those of the awards that serve the area (by `areas_of`'s rule), or with `area_id` None those serving West
    Mercia as a whole; `every` is how many areas there are. In SQL: no query of its own."""
    through = _piloted_links(every)
    awards = awards.alias(own_area_id=own_area())
    if area_id is None:
        return awards.filter(own_area_id__isnull=True).exclude(
            Exists(through.filter(commission__procurements__contract__award=OuterRef("pk")))
        )
    return awards.alias(
        piloted_here=Exists(
            through.filter(
                localpolicingarea_id=area_id, commission__procurements__contract__award=OuterRef("pk")
            )
        )
    ).filter(Q(own_area_id=area_id) | Q(own_area_id__isnull=True, piloted_here=True))
