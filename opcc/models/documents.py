import uuid

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


def document_path(instance, filename):
    # Stored under a random name: the uploaded name is kept only as metadata.
    return f"documents/{instance.uploaded_at:%Y/%m}/{instance.uuid}.{instance.extension}"


class Document(models.Model):
    """An uploaded file attached to something; served only to those allowed to see that thing."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    file = models.FileField(upload_to=document_path, max_length=255)
    original_name = models.CharField(max_length=255)
    title = models.CharField(max_length=200, blank=True)
    mime_type = models.CharField(max_length=120)
    extension = models.CharField(max_length=8)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey("opcc.User", null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField()
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    attached_to = GenericForeignKey("content_type", "object_id")
    # A purpose within the thing it is attached to, e.g. "needs_assessment", "offer_letter".
    purpose = models.CharField(max_length=40, blank=True, db_index=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return self.title or self.original_name
