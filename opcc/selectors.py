"""Reads for the core: each returns a QuerySet shaped for the page that uses it."""

from django.db.models import Count, Prefetch, Q

from opcc.models import LocalPolicingArea, Membership, Organisation, Role, User


def organisations_for(user):
    qs = Organisation.objects.prefetch_related("areas_served").order_by("name")
    if user.role == Role.PROVIDER:
        return qs.filter(memberships__user=user).distinct()
    return qs


def search_organisations(qs, *, query: str = "", org_type: str = "", area: str = ""):
    if query:
        qs = qs.filter(
            Q(name__icontains=query) | Q(charity_number__iexact=query) | Q(company_number__iexact=query)
        )
    if org_type:
        qs = qs.filter(org_type=org_type)
    if area:
        qs = qs.filter(areas_served__slug=area)
    return qs.distinct()


def organisation_members(organisation):
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("user__full_name")
    )


def areas_for(user):
    qs = LocalPolicingArea.objects.select_related("csp").annotate(
        organisation_count=Count("organisations", distinct=True)
    )
    if user.role in (Role.COMMUNITY_AMBASSADOR, Role.AREA_COMMANDER):
        return qs.filter(people=user)
    return qs


def area_people(area):
    return User.objects.filter(areas=area, is_active=True).order_by("role", "full_name")


def provider_organisations(user):
    return (
        Organisation.objects.filter(memberships__user=user)
        .prefetch_related(Prefetch("memberships", queryset=Membership.objects.select_related("user")))
        .order_by("name")
    )
