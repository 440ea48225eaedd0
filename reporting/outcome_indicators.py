"""The office's catalogue of shared outcome indicators, as data (written to OutcomeIndicator rows), and which
indicator each default framework measure adds to. Referrals by crime type are one indicator per crime type,
as the victims' framework asks one question per type: each sums on its own and the aggregate stays one row
per award, quarter and indicator.

Outcomes Star average scores stay local: an average score cannot be added up across services. What is
summed is the count of readings and of readings showing progress.
"""

from django.utils.text import slugify

from reporting.framework_templates import CRIME_TYPES

SUM, RATE, STAR_PROGRESS = "sum", "rate", "star_progress"
LEFT = "How many service users left the service this quarter"


def crime_type_key(crime_type: str) -> str:
    return f"referrals-{slugify(crime_type)}"


# key, name, section, unit, how it adds up, description
DEFAULT_INDICATORS = [
    (
        "people-supported",
        "People supported",
        "Victims' services",
        "people",
        SUM,
        "Victims and witnesses who received support in the quarter, counted once each by each service",
    ),
    (
        "referrals-received",
        "Referrals received",
        "Victims' services",
        "referrals",
        SUM,
        "Every referral a service received in the quarter, from any source",
    ),
    *[
        (
            crime_type_key(name),
            f"Referrals received: {name.lower()}",
            "Referrals by crime type",
            "referrals",
            SUM,
            f"Referrals received for {name.lower()}",
        )
        for name in CRIME_TYPES
    ],
    (
        "better-able-to-cope-and-recover",
        "Service users better able to cope and recover",
        "Cope and recover",
        "service users",
        RATE,
        "Of service users who left a service in the quarter, how many said at exit they are "
        "better able to cope and recover",
    ),
    (
        "feel-safer",
        "Service users who feel safer",
        "Cope and recover",
        "service users",
        RATE,
        "Of service users who left a service in the quarter, how many said they feel safer",
    ),
    (
        "better-informed-and-empowered",
        "Service users better informed and empowered to act",
        "Cope and recover",
        "service users",
        RATE,
        "Of service users who left a service in the quarter, how many said they are better "
        "informed and empowered to act",
    ),
    (
        "improved-health-and-wellbeing",
        "Service users with improved health and wellbeing",
        "Cope and recover",
        "service users",
        RATE,
        "Of service users who left a service in the quarter, how many said their health and "
        "wellbeing had improved",
    ),
    (
        "outcomes-star-progress",
        "Outcomes Star readings showing progress",
        "Outcomes Star",
        "readings",
        STAR_PROGRESS,
        "Of the Outcomes Star readings taken in the quarter, how many showed progress since the "
        "previous reading",
    ),
    (
        "people-supported-aged-under-18",
        "People supported aged under 18",
        "Who was supported",
        "people",
        SUM,
        "",
    ),
    (
        "people-supported-aged-65-or-over",
        "People supported aged 65 or over",
        "Who was supported",
        "people",
        SUM,
        "",
    ),
    (
        "people-supported-disabled",
        "People supported who are disabled",
        "Who was supported",
        "people",
        SUM,
        "",
    ),
    (
        "people-supported-ethnic-minority",
        "People supported from ethnic minority backgrounds",
        "Who was supported",
        "people",
        SUM,
        "",
    ),
    (
        "people-engaged",
        "People engaged in community projects",
        "Grants",
        "people",
        SUM,
        "People who took part in or benefited from a grant-funded project in the quarter",
    ),
    (
        "sessions-delivered",
        "Sessions delivered",
        "Grants",
        "sessions",
        SUM,
        "Sessions or activities a grant-funded project delivered in the quarter",
    ),
    (
        "onward-referrals",
        "Referrals made to other services",
        "Grants",
        "referrals",
        SUM,
        "Referrals a project made to other services in the quarter",
    ),
    (
        "participants-positive-change",
        "Participants reporting a positive change",
        "Grants",
        "participants",
        RATE,
        "Of participants asked in the quarter, how many reported the change the project aims for",
    ),
    (
        "community-feels-safer",
        "People who feel safer in their community",
        "Grants",
        "people",
        RATE,
        "Of people asked in the quarter, how many said they feel safer in their community",
    ),
]

LOCAL_ONLY = "local-only"

# A default measure's name -> the indicator it adds to (or local-only), and for a percentage, the two questions
# it is answered with: (how many in all, how many of them).
DEFAULT_MAPPING = {
    "Referrals received": "referrals-received",
    "People supported": "people-supported",
    **{name: crime_type_key(name) for name in CRIME_TYPES},
    "Service users better able to cope and recover": "better-able-to-cope-and-recover",
    "Service users who feel safer": "feel-safer",
    "Service users better informed and empowered to act": "better-informed-and-empowered",
    "Service users with improved health and wellbeing": "improved-health-and-wellbeing",
    "Outcomes Star readings showing progress": "outcomes-star-progress",
    "People supported aged under 18": "people-supported-aged-under-18",
    "People supported aged 65 or over": "people-supported-aged-65-or-over",
    "People supported who are disabled": "people-supported-disabled",
    "People supported from ethnic minority backgrounds": "people-supported-ethnic-minority",
    "People engaged": "people-engaged",
    "People who benefited": "people-engaged",
    "Sessions or activities delivered": "sessions-delivered",
    "Speed checks or road safety sessions held": "sessions-delivered",
    "Referrals made to other services": "onward-referrals",
    "Participants reporting a positive change": "participants-positive-change",
    "People who feel safer in their community": "community-feels-safer",
    # Average scores, activities and volunteers in post (a count at a point in time) are the service's own.
    "Safety": LOCAL_ONLY,
    "Wellbeing": LOCAL_ONLY,
    "Managing risk": LOCAL_ONLY,
    "Activities or events held": LOCAL_ONLY,
    "Volunteers active this quarter": LOCAL_ONLY,
    "Vehicles recorded speeding and passed to the police": LOCAL_ONLY,
}

RATE_QUESTIONS = {
    "Service users better able to cope and recover": (
        LEFT,
        "How many of them said they are better able to cope and recover",
    ),
    "Service users who feel safer": (LEFT, "How many of them said they feel safer"),
    "Service users better informed and empowered to act": (
        LEFT,
        "How many of them said they are better informed and empowered to act",
    ),
    "Service users with improved health and wellbeing": (
        LEFT,
        "How many of them said their health and wellbeing had improved",
    ),
    "Outcomes Star readings showing progress": (
        "How many Outcomes Star readings were taken this quarter",
        "How many of them showed progress since the previous reading",
    ),
    "Participants reporting a positive change": (
        "How many participants did you ask this quarter",
        "How many of them reported a positive change",
    ),
    "People who feel safer in their community": (
        "How many people did you ask this quarter",
        "How many of them said they feel safer in their community",
    ),
}

# Added to existing templates that have Outcomes Star readings: the readings as a rate that adds up.
STAR_PROGRESS_MEASURE = "Outcomes Star readings showing progress"

# Help written for a typed percentage, reworded where the measure is now answered with two numbers.
RATE_HELP = {
    "Of service users who finished support this quarter, the percentage who said so at exit": "Count each service user who finished support this quarter once; then how many of them said so at exit",
    "Of participants asked this quarter, the percentage reporting the change the project aims for": "Count each participant asked this quarter once; then how many of them reported the change the project aims for",
}
