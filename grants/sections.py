"""The application's sections (GOV.UK task list) and each one's status, computed from what is saved."""

from dataclasses import dataclass

COMPLETED = "completed"
IN_PROGRESS = "in_progress"
NOT_STARTED = "not_started"
CANNOT_START = "cannot_start"

STATUS_LABELS = {
    COMPLETED: "Completed",
    IN_PROGRESS: "In progress",
    NOT_STARTED: "Not yet started",
    CANNOT_START: "Cannot start yet",
}


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    fields: tuple[str, ...]  # answers that must be given for the section to be complete


PROJECT = Section("project", "About the project", ("title", "summary", "start_date", "end_date"))
NEED = Section("need", "Need and outcomes", ("need", "outcomes", "prevention"))
BUDGET = Section("budget", "Funding requested", ("amount_requested", "budget"))
PLAN = Section("plan", "Plan of projects", ())
ATTACHMENTS = Section("attachments", "Supporting documents", ())
DECLARATION = Section("declaration", "Declaration and submit", ())


def sections_for(application) -> list[Section]:
    sections = [PROJECT, NEED, BUDGET]
    if application.round.scheme.is_csp:
        sections.append(PLAN)
    return sections + [ATTACHMENTS]


def _filled(application, name) -> bool:
    value = getattr(application, name)
    return value not in (None, "")


def required_fields(application, section: Section) -> tuple[str, ...]:
    fields = section.fields
    if section is PROJECT and application.round.scheme.decided_by_area:
        fields = (*fields, "area")
    return fields


def section_status(application, section: Section, *, project_count: int = 0) -> str:
    if section is PLAN:
        if project_count and "plan" in application.sections_done:
            return COMPLETED
        return IN_PROGRESS if project_count else NOT_STARTED
    if section is ATTACHMENTS:
        return COMPLETED if "attachments" in application.sections_done else NOT_STARTED
    fields = required_fields(application, section)
    filled = [f for f in fields if _filled(application, f)]
    if len(filled) == len(fields):
        return COMPLETED
    return IN_PROGRESS if filled else NOT_STARTED


def task_list(application, *, project_count: int = 0) -> list[dict]:
    rows = []
    for section in sections_for(application):
        status = section_status(application, section, project_count=project_count)
        rows.append({"section": section, "status": status, "label": STATUS_LABELS[status]})
    ready = all(row["status"] == COMPLETED for row in rows)
    declaration = COMPLETED if application.declared_at else (NOT_STARTED if ready else CANNOT_START)
    rows.append({"section": DECLARATION, "status": declaration, "label": STATUS_LABELS[declaration]})
    return rows


def incomplete_sections(application, *, project_count: int = 0) -> list[Section]:
    return [
        row["section"]
        for row in task_list(application, project_count=project_count)[:-1]
        if row["status"] != COMPLETED
    ]
