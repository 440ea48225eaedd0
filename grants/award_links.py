"""What grants adds to an award's page: a link to the grant's variations, for whoever may see them."""

from django.urls import reverse

from funding.hooks import AwardLink
from funding.models import Award, AwardKind
from grants.models import Variation


def variation_links(award: Award, user) -> list[AwardLink]:
    if award.kind != AwardKind.GRANT or not user.has_perm("funding.view_award", award):
        return []
    open_count = Variation.objects.filter(award=award, status__in=Variation.OPEN).count()
    text = "Variations of this grant" + (f" ({open_count} in progress)" if open_count else "")
    return [{"text": text, "url": reverse("grants:award-variations", args=[award.pk])}]
