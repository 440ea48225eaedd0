from django.db import models


class DataVersion(models.Model):
    """One row: a token that changes whenever a write to the domain's tables commits (opcc.aggregates).
    Cached aggregates are keyed by it, so a change to the data retires every figure computed before it."""

    token = models.CharField(max_length=32)

    class Meta:
        verbose_name = "data version"

    def __str__(self):
        return self.token
