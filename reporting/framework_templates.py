"""The office's default outcome frameworks, as data: written to FrameworkTemplate rows staff may edit.

The victims' services default follows what PCCs report to the Ministry of Justice each quarter:
referrals received and people supported, by crime type; the "cope and recover" outcomes; and
optional aggregate demographics (counts only, never about an individual). Outcomes Star readings
carry only the star's name, the area and the score: never the star's scales or wording.
"""

from decimal import Decimal

from funding.models import Stream

C, P, S, N = "count", "percentage", "star", "narrative"
D = Decimal

CRIME_TYPES = [
    "Domestic abuse",
    "Sexual violence",
    "Stalking and harassment",
    "Hate crime",
    "Fraud and cyber crime",
    "Violence against the person",
    "Anti-social behaviour",
    "Other crime types",
]


def _m(
    section,
    name,
    kind,
    target=None,
    unit="",
    help="",
    required=True,
    star_name="",
    star_min=1,
    star_max=10,
    part_of="",
):
    return {
        "section": section,
        "name": name,
        "kind": kind,
        "quarterly_target": target,
        "unit": unit,
        "help": help,
        "required": required,
        "star_name": star_name,
        "star_min": star_min,
        "star_max": star_max,
        "part_of": part_of,
    }


VICTIMS = [
    _m(
        "Outputs",
        "Referrals received",
        C,
        D("300"),
        "referrals",
        "Every referral received this quarter, from any source",
    ),
    _m(
        "Outputs",
        "People supported",
        C,
        D("220"),
        "people",
        "People who received support this quarter, counted once each",
    ),
    *[
        _m(
            "Referrals by crime type",
            name,
            C,
            None,
            "referrals",
            required=False,
            part_of="Referrals received",
        )
        for name in CRIME_TYPES
    ],
    _m(
        "Cope and recover outcomes",
        "Service users better able to cope and recover",
        P,
        D("80"),
        "%",
        "Count each service user who finished support this quarter once; then how many of them said so at exit",
    ),
    _m("Cope and recover outcomes", "Service users who feel safer", P, D("75"), "%"),
    _m("Cope and recover outcomes", "Service users better informed and empowered to act", P, D("80"), "%"),
    _m("Cope and recover outcomes", "Service users with improved health and wellbeing", P, D("70"), "%"),
    _m(
        "Outcomes Star readings",
        "Outcomes Star readings showing progress",
        P,
        None,
        "%",
        required=False,
        help="Every reading taken this quarter, and those showing progress since the service user's previous one",
    ),
    _m(
        "Outcomes Star readings",
        "Safety",
        S,
        D("6"),
        "average score",
        star_name="Outcomes Star",
        help="The average latest reading for this area across service users, as your star records it",
        required=False,
    ),
    _m(
        "Outcomes Star readings",
        "Wellbeing",
        S,
        D("6"),
        "average score",
        star_name="Outcomes Star",
        required=False,
    ),
    _m(
        "Demographics (optional, aggregate counts only)",
        "People supported aged under 18",
        C,
        None,
        "people",
        required=False,
    ),
    _m(
        "Demographics (optional, aggregate counts only)",
        "People supported aged 65 or over",
        C,
        None,
        "people",
        required=False,
    ),
    _m(
        "Demographics (optional, aggregate counts only)",
        "People supported who are disabled",
        C,
        None,
        "people",
        required=False,
    ),
    _m(
        "Demographics (optional, aggregate counts only)",
        "People supported from ethnic minority backgrounds",
        C,
        None,
        "people",
        required=False,
    ),
    _m("Narrative", "What made the most difference for service users this quarter?", N),
    _m("Narrative", "What got in the way, and what are you doing about it?", N),
]

GRANTS = [
    _m(
        "Outputs",
        "People engaged",
        C,
        D("60"),
        "people",
        "People who took part this quarter, counted once each",
    ),
    _m("Outputs", "Sessions or activities delivered", C, D("24"), "sessions"),
    _m("Outputs", "Referrals made to other services", C, None, "referrals", required=False),
    _m(
        "Outcomes",
        "Participants reporting a positive change",
        P,
        D("70"),
        "%",
        "Count each participant asked this quarter once; then how many of them reported the change the project aims for",
    ),
    _m(
        "Outcomes Star readings",
        "Outcomes Star readings showing progress",
        P,
        None,
        "%",
        required=False,
        help="Every reading taken this quarter, and those showing progress since the participant's previous one",
    ),
    _m(
        "Outcomes Star readings",
        "Managing risk",
        S,
        D("6"),
        "average score",
        star_name="Outcomes Star",
        required=False,
    ),
    _m("Narrative", "What difference has the funding made this quarter?", N),
    _m("Narrative", "What has not gone to plan, and what will you change?", N),
]

LOCAL = [
    _m("Outputs", "People who benefited", C, D("40"), "people"),
    _m("Outputs", "Activities or events held", C, D("6"), "activities"),
    _m("Outcomes", "People who feel safer in their community", P, D("70"), "%", required=False),
    _m("Narrative", "What has the project achieved for the community this quarter?", N),
]

ROAD_SAFETY = [
    _m("Outputs", "Speed checks or road safety sessions held", C, D("12"), "sessions"),
    _m("Outputs", "Volunteers active this quarter", C, D("8"), "volunteers"),
    _m("Outputs", "Vehicles recorded speeding and passed to the police", C, None, "vehicles", required=False),
    _m("Narrative", "What difference are residents noticing?", N),
]

# key, name, stream, pot key, description, measures
DEFAULT_TEMPLATES = [
    (
        "victims-services",
        "Victims' services (Ministry of Justice return)",
        Stream.VICTIM_SERVICES,
        "",
        "Referrals and people supported by crime type, cope-and-recover outcomes, optional aggregate demographics.",
        VICTIMS,
    ),
    (
        "commissioners-grant-scheme",
        "Commissioner's Grant Scheme",
        Stream.CGS,
        "",
        "Outputs, a headline outcome, an optional Outcomes Star area and two narrative questions.",
        GRANTS,
    ),
    (
        "csp-grants",
        "Community Safety Partnership grants",
        Stream.CSP_GRANTS,
        "",
        "The partnership's plan: outputs, a headline outcome and narrative.",
        GRANTS,
    ),
    (
        "lpcaf",
        "Local Policing and Community Ambassador's Fund",
        Stream.LPCAF,
        "",
        "Proportionate to small local grants: a few outputs and one question.",
        LOCAL,
    ),
    (
        "lpcaf-road-safety",
        "LPCAF road safety",
        Stream.LPCAF,
        "lpcaf-road-safety",
        "Road safety projects: sessions, volunteers and what residents notice.",
        ROAD_SAFETY,
    ),
]

# key, name, days from the due date, audience, message template
DEFAULT_CHASE_STEPS = [
    ("reminder-before", "Reminder 14 days before the due date", -14, "provider", "return-reminder"),
    ("due-today", "Reminder on the due date", 0, "provider", "return-due-today"),
    ("chase-overdue", "Chase 7 days overdue", 7, "provider", "return-chase"),
    (
        "escalate-head",
        "Escalation to the head of commissioning 21 days overdue",
        21,
        "head",
        "return-escalation",
    ),
]
