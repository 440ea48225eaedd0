"""West Mercia demo data for the core: places, organisations, people. Plainly fictional.

Idempotent: every record is found by a natural key and updated, so running it twice changes nothing.
"""

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from opcc import demo_assurance, emails
from opcc.calendar import financial_year_of, year_end, year_start
from opcc.demo_utils import demo_today, sync
from opcc.models import (
    CommunitySafetyPartnership,
    LocalPolicingArea,
    Membership,
    Objective,
    Organisation,
    OrganisationType,
    PoliceAndCrimePlan,
    Priority,
    Role,
    User,
)
from opcc.services.demo_accounts import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD

# Each demo staff account shares this authenticator key (base32 JBSWY3DPEHPK3PXP), published in the README.
DEMO_TOTP_KEY_HEX = "48656c6c6f21deadbeef"

AREAS = [
    # name, slug, local authorities (the start of a police.uk LSOA name), ONS code
    ("Herefordshire", "herefordshire", ["Herefordshire"], "E06000019"),
    ("Shropshire", "shropshire", ["Shropshire"], "E06000051"),
    ("Telford and Wrekin", "telford-and-wrekin", ["Telford and Wrekin"], "E06000020"),
    ("North Worcestershire", "north-worcestershire", ["Bromsgrove", "Redditch", "Wyre Forest"], "E07000234"),
    ("South Worcestershire", "south-worcestershire", ["Malvern Hills", "Worcester", "Wychavon"], "E07000237"),
]

CSPS = {
    "herefordshire": ("Community Safety Partnership for Herefordshire", "Plough Lane", "Hereford", "HR4 0LE"),
    "shropshire": (
        "Safer Stronger Communities Partnership Shropshire",
        "Abbey Foregate",
        "Shrewsbury",
        "SY2 6ND",
    ),
    "telford-and-wrekin": ("Safer Telford and Wrekin Partnership", "Addenbrooke House", "Telford", "TF3 4NT"),
    "north-worcestershire": (
        "North Worcestershire Community Safety Partnership",
        "Parkside, Market Street",
        "Bromsgrove",
        "B61 8DA",
    ),
    "south-worcestershire": (
        "Safer South Worcestershire Community Safety Partnership",
        "Orchard House, Farrier Street",
        "Worcester",
        "WR1 3BB",
    ),
}

# name, type, charity number, company number, address, town, postcode, areas ([] = West Mercia wide)
ORGANISATIONS = [
    (
        "Severn Valley Women's Aid (demo)",
        "registered_charity",
        "1104512",
        "05012345",
        "14 Bridge Street",
        "Worcester",
        "WR1 2HG",
        ["south-worcestershire", "north-worcestershire"],
    ),
    (
        "Marches Domestic Abuse Support (demo)",
        "registered_charity",
        "1127734",
        "06623418",
        "3 Castle Street",
        "Hereford",
        "HR1 2NL",
        ["herefordshire"],
    ),
    (
        "West Mercia Rape and Sexual Abuse Support Centre (demo)",
        "registered_charity",
        "1098231",
        "04712236",
        "Unit 5, Trinity Court",
        "Worcester",
        "WR1 1EY",
        [],
    ),
    (
        "Shropshire Victims First (demo)",
        "cio",
        "1176650",
        "",
        "Riverside House, 9 Castle Foregate",
        "Shrewsbury",
        "SY1 2EL",
        ["shropshire"],
    ),
    (
        "Telford Youth Diversion Project (demo)",
        "cic",
        "",
        "11483920",
        "Southwater Square",
        "Telford",
        "TF3 4JG",
        ["telford-and-wrekin"],
    ),
    (
        "Wyre Forest Mentoring Trust (demo)",
        "registered_charity",
        "1139984",
        "",
        "22 Load Street",
        "Bewdley",
        "DY12 2AE",
        ["north-worcestershire"],
    ),
    (
        "Redditch Street Pastors (demo)",
        "unregistered",
        "",
        "",
        "St Stephen's Church, Church Green",
        "Redditch",
        "B97 4DX",
        ["north-worcestershire"],
    ),
    (
        "Malvern Hills Good Neighbours (demo)",
        "registered_charity",
        "1156720",
        "",
        "The Lodge, Priory Road",
        "Malvern",
        "WR14 3DR",
        ["south-worcestershire"],
    ),
    (
        "Herefordshire Road Safety Volunteers (demo)",
        "unregistered",
        "",
        "",
        "Village Hall, Church Lane",
        "Ledbury",
        "HR8 1DH",
        ["herefordshire"],
    ),
    (
        "Oswestry Community Speed Watch (demo)",
        "unregistered",
        "",
        "",
        "Memorial Hall, Smithfield Street",
        "Oswestry",
        "SY11 2EH",
        ["shropshire"],
    ),
    (
        "Restorative Justice Partners West Mercia (demo)",
        "company",
        "",
        "09837465",
        "Kings Court, Sansome Walk",
        "Worcester",
        "WR1 1LT",
        [],
    ),
    (
        "CHILD SAFE West Mercia (demo)",
        "registered_charity",
        "1162283",
        "09566120",
        "Beacon House, Ludlow Road",
        "Church Stretton",
        "SY6 6AE",
        [],
    ),
    (
        "Stalking Advocacy Service Midlands (demo)",
        "cio",
        "1185521",
        "",
        "Suite 2, Foregate Chambers",
        "Worcester",
        "WR1 1DL",
        [],
    ),
    (
        "Hate Crime Support Network (demo)",
        "registered_charity",
        "1147709",
        "",
        "18 High Street",
        "Kidderminster",
        "DY10 2DJ",
        ["north-worcestershire", "south-worcestershire"],
    ),
    (
        "Bromsgrove Neighbourhood Watch Association (demo)",
        "unregistered",
        "",
        "",
        "Council House, Parkside",
        "Bromsgrove",
        "B61 8DA",
        ["north-worcestershire"],
    ),
    (
        "Ludlow Rural Crime Group (demo)",
        "unregistered",
        "",
        "",
        "Assembly Rooms, Mill Street",
        "Ludlow",
        "SY8 1AZ",
        ["shropshire"],
    ),
    (
        "Wrekin Housing Safer Homes (demo)",
        "company",
        "",
        "03198745",
        "Colliers Way",
        "Telford",
        "TF2 9TU",
        ["telford-and-wrekin"],
    ),
    (
        "Pathways Substance Misuse Service (demo)",
        "registered_charity",
        "1110892",
        "05377210",
        "Bath Street",
        "Hereford",
        "HR1 2HQ",
        ["herefordshire"],
    ),
    (
        "Young Minds Matter Worcestershire (demo)",
        "cio",
        "1190347",
        "",
        "Perdiswell Young People's Centre",
        "Worcester",
        "WR3 7SN",
        ["south-worcestershire", "north-worcestershire"],
    ),
    (
        "Fraud Victim Support West Midlands (demo)",
        "cic",
        "",
        "12765409",
        "Enterprise House, Tything Road",
        "Alcester",
        "B49 6EP",
        [],
    ),
    (
        "Evesham Community Cohesion Forum (demo)",
        "registered_charity",
        "1150062",
        "",
        "Town Hall, Market Place",
        "Evesham",
        "WR11 4RW",
        ["south-worcestershire"],
    ),
    (
        "Whitchurch Youth Cafe (demo)",
        "registered_charity",
        "1143318",
        "",
        "Bargates Hall",
        "Whitchurch",
        "SY13 1LJ",
        ["shropshire"],
    ),
    (
        "Ross-on-Wye Safer Nights (demo)",
        "unregistered",
        "",
        "",
        "Larruperz Centre, Old Gloucester Road",
        "Ross-on-Wye",
        "HR9 5PB",
        ["herefordshire"],
    ),
    (
        "Telford Mind (demo)",
        "registered_charity",
        "1076341",
        "03684390",
        "Meeting Point House",
        "Telford",
        "TF3 4HS",
        ["telford-and-wrekin"],
    ),
    (
        "Modern Slavery Response Network (demo)",
        "registered_charity",
        "1172204",
        "10532119",
        "St Johns House",
        "Shrewsbury",
        "SY1 1JF",
        [],
    ),
    (
        "Victim Advice Line Services Ltd (demo)",
        "company",
        "",
        "08441276",
        "Hindlip Park",
        "Worcester",
        "WR3 8SP",
        [],
    ),
    (
        "Shropshire Council (demo)",
        "public_body",
        "",
        "",
        "Shirehall, Abbey Foregate",
        "Shrewsbury",
        "SY2 6ND",
        ["shropshire"],
    ),
    (
        "Herefordshire Council (demo)",
        "public_body",
        "",
        "",
        "Plough Lane",
        "Hereford",
        "HR4 0LE",
        ["herefordshire"],
    ),
    (
        "Worcestershire County Council (demo)",
        "public_body",
        "",
        "",
        "County Hall, Spetchley Road",
        "Worcester",
        "WR5 2NP",
        ["north-worcestershire", "south-worcestershire"],
    ),
    (
        "National Probation Service West Mercia (demo)",
        "public_body",
        "",
        "",
        "Probation Office, Shirehall",
        "Shrewsbury",
        "SY2 6LY",
        [],
    ),
    (
        "Redditch Boxing Academy CIC (demo)",
        "cic",
        "",
        "10987654",
        "Unit 3, Padgets Lane",
        "Redditch",
        "B98 0RA",
        ["north-worcestershire"],
    ),
]

# email local part, name, role, job title, areas, organisation (providers) or agency (evaluators)
PEOPLE = [
    ("officer", "Priya Shah", Role.COMMISSIONING_OFFICER, "Commissioning officer", [], None),
    ("officer2", "Tom Bayliss", Role.COMMISSIONING_OFFICER, "Commissioning and grants officer", [], None),
    ("head", "Glyn Edwards", Role.HEAD_OF_COMMISSIONING, "Head of commissioning", [], None),
    ("pcc", "Jo Campion", Role.PCC, "Police and Crime Commissioner", [], None),
    ("finance", "Rachel Moore", Role.FINANCE_OFFICER, "Finance officer", [], None),
    ("auditor", "Martin Hughes", Role.AUDITOR, "Internal auditor", [], None),
    (
        "evaluator",
        "Dr Sarah Okafor",
        Role.EVALUATOR,
        "Public health lead (evaluation panel)",
        [],
        "Worcestershire County Council (demo)",
    ),
    (
        "evaluator2",
        "Gareth Price",
        Role.EVALUATOR,
        "Probation partnership manager (evaluation panel)",
        [],
        "National Probation Service West Mercia (demo)",
    ),
    (
        "ambassador.herefordshire",
        "Helen Watkins",
        Role.COMMUNITY_AMBASSADOR,
        "Community ambassador",
        ["herefordshire"],
        None,
    ),
    (
        "ambassador.shropshire",
        "David Corbett",
        Role.COMMUNITY_AMBASSADOR,
        "Community ambassador",
        ["shropshire"],
        None,
    ),
    (
        "ambassador.telford",
        "Amrit Gill",
        Role.COMMUNITY_AMBASSADOR,
        "Community ambassador",
        ["telford-and-wrekin"],
        None,
    ),
    (
        "ambassador.northworcs",
        "Karen Bishop",
        Role.COMMUNITY_AMBASSADOR,
        "Community ambassador",
        ["north-worcestershire"],
        None,
    ),
    (
        "ambassador.southworcs",
        "Stephen Lowe",
        Role.COMMUNITY_AMBASSADOR,
        "Community ambassador",
        ["south-worcestershire"],
        None,
    ),
    (
        "commander.herefordshire",
        "Supt Claire Lewis",
        Role.AREA_COMMANDER,
        "Superintendent, Herefordshire LPA",
        ["herefordshire"],
        None,
    ),
    (
        "commander.shropshire",
        "Supt Mark Reynolds",
        Role.AREA_COMMANDER,
        "Superintendent, Shropshire LPA",
        ["shropshire"],
        None,
    ),
    (
        "commander.telford",
        "Supt Nadia Hussain",
        Role.AREA_COMMANDER,
        "Superintendent, Telford and Wrekin LPA",
        ["telford-and-wrekin"],
        None,
    ),
    (
        "commander.northworcs",
        "Supt Ian Parry",
        Role.AREA_COMMANDER,
        "Superintendent, North Worcestershire LPA",
        ["north-worcestershire"],
        None,
    ),
    (
        "commander.southworcs",
        "Supt Emma Fletcher",
        Role.AREA_COMMANDER,
        "Superintendent, South Worcestershire LPA",
        ["south-worcestershire"],
        None,
    ),
    ("provider", "Lucy Evans", Role.PROVIDER, "Services manager", [], "Severn Valley Women's Aid (demo)"),
    (
        "provider.marches",
        "Owen Pritchard",
        Role.PROVIDER,
        "Chief executive",
        [],
        "Marches Domestic Abuse Support (demo)",
    ),
    (
        "provider.telford",
        "Jade Morris",
        Role.PROVIDER,
        "Project lead",
        [],
        "Telford Youth Diversion Project (demo)",
    ),
    (
        "provider.speedwatch",
        "Bill Jones",
        Role.PROVIDER,
        "Volunteer coordinator",
        [],
        "Oswestry Community Speed Watch (demo)",
    ),
    (
        "provider.csp",
        "Anita Roberts",
        Role.PROVIDER,
        "Community safety manager",
        [],
        "Safer South Worcestershire Community Safety Partnership",
    ),
]


def demo_email(local: str) -> str:
    return f"{local}@{DEMO_EMAIL_DOMAIN}"


PLAN_TITLE = "Safer West Mercia Plan"

# The plan's four elements (the strategy's words) and objectives under each, by a key the apps' demos tag with.
PLAN = [
    (
        "Putting victims and survivors first",
        "Services that enable victims to cope and recover, beyond the Ministry of Justice grant",
        [
            ("victims-cope", "Victims are supported to cope and recover"),
            (
                "victims-specialist",
                "Specialist services for domestic abuse, sexual violence and child sexual exploitation",
            ),
            ("victims-advice", "A Victim Advice Line that puts every victim in touch with the right support"),
        ],
    ),
    (
        "Building a more secure West Mercia",
        "Fewer victims of crime: safer roads, protected homes and less serious violence",
        [
            ("secure-roads", "Make West Mercia's roads safer"),
            (
                "secure-burglary",
                "Protect homes from burglary with property marking and We Don't Buy Crime towns",
            ),
            ("secure-violence", "Reduce serious violence and the exploitation of children and young people"),
        ],
    ),
    (
        "Reforming West Mercia",
        "Outcome-based commissioning, resources allocated to need, and partners working as one",
        [
            ("reform-outcomes", "Commission for outcomes, with resources allocated to need"),
            (
                "reform-partners",
                "Join up provision with partners, pooling budgets where that serves people better",
            ),
        ],
    ),
    (
        "Reassuring West Mercia's communities",
        "Communities playing their part, with grants for local priorities and home-grown projects",
        [
            ("reassure-local", "Support home-grown local projects through the community ambassador fund"),
            ("reassure-csp", "Fund community safety partnerships' local priorities"),
            (
                "reassure-prevention",
                "Prevent crime and anti-social behaviour early, with young people and communities",
            ),
        ],
    ),
]
OBJECTIVE_TITLES = {key: title for _p, _d, objectives in PLAN for key, title in objectives}


def demo_objectives(*keys: str) -> list[Objective]:
    """The demo plan's objectives by key, for the apps' demos to tag their records with."""
    titles = [OBJECTIVE_TITLES[key] for key in keys]
    found = {o.title: o for o in Objective.objects.filter(priority__plan__title=PLAN_TITLE, title__in=titles)}
    return [found[title] for title in titles]


def load_plan() -> PoliceAndCrimePlan:
    """The current Police and Crime Plan: the Commissioner's term, around the demo's year."""
    year = financial_year_of(demo_today())
    plan, _ = sync(
        PoliceAndCrimePlan,
        {"title": PLAN_TITLE},
        {"period_start": year_start(year - 2), "period_end": year_end(year + 1), "is_current": True},
    )
    for position, (title, description, objectives) in enumerate(PLAN):
        priority, _ = sync(
            Priority, {"plan": plan, "title": title}, {"position": position, "description": description}
        )
        for index, (_key, objective_title) in enumerate(objectives):
            sync(Objective, {"priority": priority, "title": objective_title}, {"position": index})
    return plan


@transaction.atomic
def load_core(stdout=None):
    areas = {}
    for name, slug, authorities, ons in AREAS:
        area, _ = sync(
            LocalPolicingArea,
            {"slug": slug},
            {"name": name, "local_authorities": authorities, "ons_code": ons},
        )
        areas[slug] = area

    for slug, (name, line1, town, postcode) in CSPS.items():
        org, _ = sync(
            Organisation,
            {"name": name},
            dict(org_type=OrganisationType.CSP, address_line_1=line1, town=town, postcode=postcode),
        )
        org.areas_served.set([areas[slug]])
        sync(
            CommunitySafetyPartnership,
            {"slug": slug},
            {"name": name, "area": areas[slug], "organisation": org},
        )

    for name, org_type, charity, company, line1, town, postcode, served in ORGANISATIONS:
        org, _ = sync(
            Organisation,
            {"name": name},
            dict(
                org_type=org_type,
                charity_number=charity,
                company_number=company,
                address_line_1=line1,
                town=town,
                postcode=postcode,
                email=f"info@{name.split(' (')[0].lower().replace(' ', '').replace(chr(39), '')[:24]}.example",
            ),
        )
        org.areas_served.set([areas[s] for s in served])

    for local, full_name, role, title, area_slugs, org_name in PEOPLE:
        user = User.objects.filter(email=demo_email(local)).first()
        if user is None:
            user = User.objects.create_user(
                email=demo_email(local), password=DEMO_PASSWORD, full_name=full_name
            )
        agency = Organisation.objects.get(name=org_name) if role == Role.EVALUATOR and org_name else None
        user, _ = sync(
            User,
            {"pk": user.pk},
            {
                "full_name": full_name,
                "role": role,
                "job_title": title,
                "agency": agency,
                "is_staff": role in (Role.COMMISSIONING_OFFICER, Role.HEAD_OF_COMMISSIONING),
            },
        )
        user.areas.set([areas[s] for s in area_slugs])
        if role == Role.PROVIDER and org_name:
            sync(
                Membership,
                {"user": user, "organisation": Organisation.objects.get(name=org_name)},
                {"is_admin": True},
            )
        if user.requires_two_factor:
            sync(TOTPDevice, {"user": user, "name": "demo"}, {"key": DEMO_TOTP_KEY_HEX, "confirmed": True})

    # Only created, never overwritten: staff may have edited the wording.
    emails.ensure_all()
    load_plan()
    demo_assurance.load(demo_today())
    if stdout:
        stdout.write(
            f"Core: {LocalPolicingArea.objects.count()} areas, {Organisation.objects.count()} organisations, "
            f"{User.objects.count()} people."
        )
