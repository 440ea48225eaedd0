"""The risk rating tag shown beside an application, an offer or an award: `{% risk_rating organisation value %}`."""

from django import template

from opcc import assurance

register = template.Library()


@register.inclusion_tag("partial/risk_rating.html", takes_context=True)
def risk_rating(context, organisation, value, stream=""):
    clearance = assurance.organisation_cleared(organisation, value or 0, stream=stream or "")
    user = context.get("user")
    return {
        "rating": assurance.risk_rating(clearance),
        "clearance": clearance,
        "organisation": organisation,
        "can_see": user is not None and user.has_perm("opcc.view_due_diligence", organisation),
    }
