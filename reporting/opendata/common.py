from datetime import UTC, date, datetime, time
from decimal import Decimal

from django.conf import settings
from django.db.models import OuterRef, Subquery

OGL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"


def amount(value: Decimal) -> float | int:
    """JSON numbers: whole pounds as integers, otherwise pounds and pence."""
    value = Decimal(value).quantize(Decimal("0.01"))
    return int(value) if value == value.to_integral_value() else float(value)


def day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def moment(value: date | datetime | None) -> str | None:
    """A full date-time (UTC), as both standards require for modification and period dates."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        value = datetime.combine(value, time(0), tzinfo=UTC)
    return value.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def with_last_modified(qs):
    """Each award's last change, from its history (one subquery, whatever the number of awards)."""
    history = qs.model.history.model
    latest = history.objects.filter(id=OuterRef("pk")).order_by("-history_date").values("history_date")[:1]
    return qs.annotate(last_modified=Subquery(latest))


def funder() -> dict:
    return {"id": settings.FUNDER_ORG_ID, "name": settings.OFFICE_NAME}
