"""The conflicts assessment's check on the notices that must follow it (Procurement Act 2023 s.83): a tender or
transparency notice is not published before the assessment is prepared, nor while it needs revising, and the
later notices confirm it."""

from commissioning.conflicts import assessment_missing, is_covered
from commissioning.models import Notice, NoticeKind
from commissioning.notice_content import checks


@checks(
    NoticeKind.TENDER,
    NoticeKind.BELOW_THRESHOLD_TENDER,
    NoticeKind.TRANSPARENCY,
    NoticeKind.CONTRACT_AWARD,
    NoticeKind.CONTRACT_DETAILS,
)
def conflicts_assessment(notice: Notice) -> list[str]:
    """What the assessment still needs before this notice. Part 5 covers covered procurements only, so a
    below-threshold tender notice is not held back (the office may still keep an assessment)."""
    procurement = notice.procurement
    if procurement is None or not is_covered(procurement):
        return []
    return assessment_missing(procurement)
