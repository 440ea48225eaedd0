"""The demo sign-in list: shown on the sign-in page in demo mode only, and in the README."""

from opcc.models import Role, User

DEMO_PASSWORD = "demo-password-2026"
DEMO_EMAIL_DOMAIN = "demo.westmercia-opcc.example"


def demo_accounts() -> list[dict]:
    users = (
        User.objects.filter(email__endswith="@" + DEMO_EMAIL_DOMAIN, is_active=True)
        .select_related("agency")
        .prefetch_related("areas", "memberships__organisation")
        .order_by("pk")
    )
    order = {role.value: i for i, role in enumerate(Role)}
    rows = []
    for user in users:
        if user.role == Role.PROVIDER:
            detail = ", ".join(m.organisation.name for m in user.memberships.all())
        elif user.role in (Role.COMMUNITY_AMBASSADOR, Role.AREA_COMMANDER):
            detail = ", ".join(a.name for a in user.areas.all())
        elif user.agency is not None:
            detail = user.agency.name
        else:
            detail = ""
        rows.append(
            {
                "role": user.role_label,
                "email": user.email,
                "name": user.full_name,
                "detail": detail,
                "order": (order[user.role], user.pk),
            }
        )
    rows.sort(key=lambda r: r["order"])
    return rows
