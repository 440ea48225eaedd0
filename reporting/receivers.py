"""Monitoring listens to funding: an award that becomes active gets its framework, its monitoring tier and the
returns its tier asks for."""

from django.dispatch import receiver
from django.utils import timezone

from funding.signals import award_activated, award_varied
from reporting.services import award_dates, frameworks, returns, tiers


@receiver(award_activated, dispatch_uid="reporting-award-activated")
def start_monitoring(sender, award, **kwargs):

    today = timezone.localdate()
    frameworks.build_framework(award)
    tiers.assign(award=award, today=today)
    returns.ensure_returns(today=today, award_ids=[award.pk])
    tiers.release_unreported_arrears(today=today, award_ids=[award.pk])


@receiver(award_varied, dispatch_uid="reporting-award-varied")
def follow_variation(sender, award, **kwargs):
    award_dates.follow_award_dates(award=award, today=timezone.localdate())
