"""The publication review of what officers write that the public reads.

Covered: an award's title (shown in every public list, the spending items and both open-data files) and its purpose
(the paragraph describing what a grant or contract is for), approved together: one approval publishes the award's
public text as it reads then. The public reads the approved snapshot, never the live fields, so an edit waits for its
own approval. The rest of what officers write for the public (services, criteria, grant reasons and conditions,
grant rounds) is reviewed the same way through the generic `PublicText`.
"""

from django.db import models


class PublicDescription(models.Model):
    award = models.OneToOneField("funding.Award", on_delete=models.CASCADE, related_name="public_description")
    title = models.CharField("The title as approved for publication", max_length=200)
    # Empty when the award had no purpose when approved: the public reads that a description awaits review.
    text = models.TextField("The purpose as approved for publication", blank=True)
    # Empty for the descriptions already public when the review began (the data migration approved them as they were).
    approved_by = models.ForeignKey(
        "opcc.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~models.Q(title=""), name="public_description_title_not_empty")
        ]

    def __str__(self):
        return f"Public description of {self.award_id}"
