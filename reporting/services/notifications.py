"""Emails about returns and visits. Wording is registered in reporting/emails.py; every message goes
through the outbox with an idempotency key."""

from django.conf import settings

from opcc.models import Membership
from opcc.services.notifications import queue_message


def link(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def provider_recipients(organisation) -> list[tuple[str, object]]:
    """(email, user) for each person at the organisation; the organisation's own address if there is nobody."""
    people = [
        (m.user.email, m.user)
        for m in Membership.objects.filter(organisation=organisation, user__is_active=True)
        .select_related("user")
        .order_by("user__email")
    ]
    if not people and organisation.email:
        people = [(organisation.email, None)]
    return people


def return_values(ret) -> dict:
    award = ret.award
    return {
        "organisation": award.organisation.name,
        "award": f"{award.reference} {award.title}",
        "quarter": ret.label,
        "due_date": f"{ret.due_date:%-d %B %Y}",
        "link": link(f"/monitoring/returns/{ret.pk}/"),
        "comments": ret.review_comments,
    }


def _template(ret, key: str) -> str:
    """The wording for the kind of return: an end-of-project report has its own ("end-report-...")."""
    return key.replace("return-", "end-report-", 1) if ret.is_end_of_project else key


def return_submitted(ret) -> None:
    officer = ret.award.created_by
    if officer is None or officer.is_provider or not officer.is_active:
        return
    queue_message(
        key=f"return:{ret.pk}:submitted:{ret.submitted_at:%Y%m%d%H%M%S%f}",
        to_email=officer.email,
        to_user=officer,
        template_key=_template(ret, "return-submitted"),
        values={**return_values(ret), "link": link(f"/monitoring/returns/{ret.pk}/review/")},
        about=ret,
    )


def return_reviewed(ret) -> None:
    template = _template(ret, "return-accepted" if ret.status == "accepted" else "return-changes-requested")
    for email, user in provider_recipients(ret.award.organisation):
        queue_message(
            key=f"return:{ret.pk}:{ret.status}:{ret.reviewed_at:%Y%m%d%H%M%S%f}:{email}",
            to_email=email,
            to_user=user,
            template_key=template,
            values=return_values(ret),
            about=ret,
        )
