from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from simple_history.models import HistoricalRecords


class MessageTemplate(models.Model):
    """An email the office sends, editable by staff. Placeholders use {{ name }} and see only plain values."""

    key = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=150)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    placeholders = models.CharField(
        max_length=500,
        blank=True,
        help_text="The placeholders this message may use, for the person editing it.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class OutboxMessage(models.Model):
    """An email written in the same transaction as the change that causes it, sent after commit."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to send"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    class SecretLink(models.TextChoices):
        """A link that lets its holder in: never stored, made when the email is sent (see send_message)."""

        NONE = "", "None"
        PASSWORD_RESET = "password-reset", "Password reset link"
        INVITATION = "invitation", "Invitation link"

    # Idempotency: one key is one message, however often the code that queues it runs.
    key = models.CharField(max_length=200, unique=True)
    template_key = models.CharField(max_length=80, blank=True)
    to_email = models.EmailField()
    to_user = models.ForeignKey(
        "opcc.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject = models.CharField(max_length=300)
    body = models.TextField()
    secret_link = models.CharField(
        max_length=20,
        choices=SecretLink.choices,
        default=SecretLink.NONE,
        blank=True,
        help_text="The body holds a placeholder where this link goes; the link is made when the email is sent.",
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    about = GenericForeignKey("content_type", "object_id")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.subject} to {self.to_email}"
