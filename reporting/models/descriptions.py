"""The publication review of what officers write that the public reads.

Covered: an award's purpose (the paragraph describing what a grant or contract is for), which the grant's public
page, the 360Giving file and the OCDS file publish. It is published only as a second person approved it: the public
reads the approved text, never the live field, so an edit waits for its own approval. Not covered (said in the
README): titles, which are short and shown in every list; grant decision reasons; tender titles.
"""

from django.db import models


class PublicDescription(models.Model):
    award = models.OneToOneField("funding.Award", on_delete=models.CASCADE, related_name="public_description")
    text = models.TextField("The purpose as approved for publication")
    # Empty for the descriptions already public when the review began (the data migration approved them as they were).
    approved_by = models.ForeignKey(
        "opcc.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~models.Q(text=""), name="public_description_not_empty")
        ]

    def __str__(self):
        return f"Public description of {self.award_id}"
