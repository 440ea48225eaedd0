"""The schemes and delegation levels the office starts with. Data: staff change them in the admin site."""

from funding import delegation
from grants.models import Scheme

SCHEMES = [
    {
        "kind": "cgs",
        "stream": "cgs",
        "name": "Commissioner's Grant Scheme",
        "description": "Large grants, usually West Mercia wide, for projects that support victims to cope and recover "
        "and reduce offending and reoffending.",
        "standard_conditions": "Report what the grant achieves, as often as the office asks for a grant of its size.\n"
        "Spend the grant only on the purpose it was awarded for.\n"
        "Return any money not spent for that purpose at the end of the grant.\n"
        "Acknowledge the Commissioner's funding in publicity about the project.",
        "measures": [
            {
                "name": "People supported",
                "kind": "count",
                "quarterly_target": None,
                "unit": "people",
                "star_name": "",
                "help": "Each person once per quarter",
            },
            {
                "name": "Service users better able to cope and recover",
                "kind": "percentage",
                "quarterly_target": "75",
                "unit": "%",
                "star_name": "",
                "help": "Of those who finished support this quarter",
            },
            {
                "name": "Case study",
                "kind": "narrative",
                "quarterly_target": None,
                "unit": "",
                "star_name": "",
                "help": "Anonymised: no personal data of victims",
            },
        ],
    },
    {
        "kind": "csp",
        "stream": "csp_grants",
        "name": "Community Safety Partnership grants",
        "description": "Each partnership's allocation, spent on the projects in its plan for local community safety priorities.",
        "standard_conditions": "Send a short update on each project in the plan every quarter.\n"
        "Return any underspend at the end of the financial year.\n"
        "Ask the office before moving money between the projects in the plan.",
        "measures": [
            {
                "name": "Projects delivering to plan",
                "kind": "count",
                "quarterly_target": None,
                "unit": "projects",
                "star_name": "",
                "help": "",
            },
            {
                "name": "People reached",
                "kind": "count",
                "quarterly_target": None,
                "unit": "people",
                "star_name": "",
                "help": "",
            },
            {
                "name": "Quarterly update",
                "kind": "narrative",
                "quarterly_target": None,
                "unit": "",
                "star_name": "",
                "help": "Progress on each project",
            },
        ],
    },
    {
        "kind": "lpcaf",
        "stream": "lpcaf",
        "name": "Local Policing and Community Ambassador's Fund",
        "description": "Small local projects for specific communities, decided by the area's community ambassador and local policing commander.",
        "standard_conditions": "Report what the project achieved, with photographs if you can.\n"
        "Return any money not spent on the project.",
        "measures": [
            {
                "name": "People taking part",
                "kind": "count",
                "quarterly_target": None,
                "unit": "people",
                "star_name": "",
                "help": "",
            },
            {
                "name": "What difference it made",
                "kind": "narrative",
                "quarterly_target": None,
                "unit": "",
                "star_name": "",
                "help": "",
            },
        ],
    },
    {
        "kind": "lpcaf_road_safety",
        "stream": "lpcaf",
        "name": "LPCAF road safety",
        "description": "The road-safety arm of the LPCAF: local road safety initiatives, decided in the bid's own area.",
        "standard_conditions": "Say in your reports which roads or places the project covered.\n"
        "Return any money not spent on the project.",
        "measures": [
            {
                "name": "Speed checks or sessions held",
                "kind": "count",
                "quarterly_target": None,
                "unit": "sessions",
                "star_name": "",
                "help": "",
            },
            {
                "name": "What difference it made",
                "kind": "narrative",
                "quarterly_target": None,
                "unit": "",
                "star_name": "",
                "help": "",
            },
        ],
    },
]


def ensure() -> None:
    """Write any default scheme, or delegation level (funding.delegation), not yet stored (never over an edit).

    The data migration writes them too; this is for databases emptied since (e.g. after a flush).
    """

    for scheme in SCHEMES:
        Scheme.objects.get_or_create(
            kind=scheme["kind"], defaults={k: v for k, v in scheme.items() if k != "kind"}
        )
    delegation.ensure()
