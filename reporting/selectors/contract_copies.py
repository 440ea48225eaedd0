"""Reads for the contract copies: what waits for review, which contracts over £10,000 have no published copy yet,
and the one copy the public may download."""

from django.db.models import Exists, OuterRef, QuerySet

from funding.models import Award
from reporting.models import ContractCopy
from reporting.selectors.transparency import CONTRACT_THRESHOLD, contracts_awarded


def awaiting_review() -> QuerySet[ContractCopy]:
    return (
        ContractCopy.objects.filter(status=ContractCopy.Status.AWAITING_REVIEW)
        .select_related("award__organisation", "uploaded_by")
        .order_by("uploaded_at", "pk")
    )


def contracts_without_copy() -> QuerySet[Award]:
    """Contracts over £10,000 the public list shows with no approved copy yet, and whether one waits for review."""
    copies = ContractCopy.objects.filter(award=OuterRef("pk"))
    return (
        contracts_awarded()
        .filter(amount__gt=CONTRACT_THRESHOLD)
        .exclude(Exists(copies.filter(status=ContractCopy.Status.APPROVED)))
        .annotate(waiting=Exists(copies.filter(status=ContractCopy.Status.AWAITING_REVIEW)))
    )


def copies_of(award: Award) -> QuerySet[ContractCopy]:
    return award.published_copies.select_related("uploaded_by", "reviewed_by", "document")


def published_copy(reference: str) -> ContractCopy | None:
    return (
        ContractCopy.objects.filter(award__reference=reference, status=ContractCopy.Status.APPROVED)
        .select_related("document", "award")
        .first()
    )
