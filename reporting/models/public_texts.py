"""The publication review of the rest of what officers write that the public reads (award titles and purposes are
`PublicDescription`): a service's title and description where its tender or contract is public, and the reasons
recorded with a grant's approval. One approved snapshot per record and field, whichever app the record lives in.

The public reads `text`, never the live field, so a later edit waits for its own approval. `reviewed` is the live
text the reviewer approved, so the review page knows when the live text has moved on; `text` differs from it when
the reviewer edited the wording before approving (a name taken out, a typo mended).
"""

from django.contrib.contenttypes.models import ContentType
from django.db import models


class PublicText(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    field = models.CharField(max_length=40)
    reviewed = models.TextField("The text as written when it was approved", blank=True)
    text = models.TextField("The text as approved for publication")
    # Empty for the texts already public when the review began (the data migration approved them as they were).
    approved_by = models.ForeignKey(
        "opcc.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "field"], name="public_text_one_per_field"
            ),
            models.CheckConstraint(condition=~models.Q(text=""), name="public_text_not_empty"),
        ]

    def __str__(self):
        return f"Public {self.field} of {self.content_type_id}/{self.object_id}"
