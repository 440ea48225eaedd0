from django import template

from funding.hooks import AwardLink, award_links

register = template.Library()


@register.simple_tag
def links_for_award(award, user) -> list[AwardLink]:
    """`{% links_for_award award request.user as links %}`: what the apps above funding link to from the award."""
    return award_links(award, user)
