"""Monitoring listens to funding: an award that becomes active gets its framework and its returns."""

from django.dispatch import receiver
from django.utils import timezone

from funding.signals import award_activated


@receiver(award_activated, dispatch_uid="reporting-award-activated")
def start_monitoring(sender, award, **kwargs):
    from reporting.services import frameworks, returns

    frameworks.build_framework(award)
    returns.ensure_returns(today=timezone.localdate(), award_ids=[award.pk])
