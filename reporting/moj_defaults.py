"""The Ministry of Justice return's default sections and fields, as data (written to MojReturnSection and
MojReturnField rows the head of commissioning may change).

What could be confirmed from published sources (README: "The Ministry of Justice return"): the Ministry funds PCCs
through Core and General grant agreements, with ring-fenced ISVA and IDVA money added to the General agreement, and
PCCs report to the Ministry on their spend within that funding. The current template's outcome questions, their
wording and how often they are due could not be found: those fields are the office's best reading (the victims'
services framework its providers already report on) and are marked not confirmed.
"""

from django.apps import apps as global_apps

from reporting.outcome_indicators import crime_type_key

CORE, GENERAL, ISVA_IDVA = "moj_core", "moj_general", "moj_isva_idva"
INDICATOR, GRANT, SPENT = "indicator", "grant", "spent"

SPEND_NOTE = (
    "Core and General grant agreements since 2022/23, ISVA and IDVA money ring-fenced within them (MOPAC "
    "decision PCD 1600); PCCs report spend to the Ministry (HL15158, 2019). How often is not confirmed."
)
OUTPUT_NOTE = (
    "Not confirmed against the Ministry's current template: in 2017 it was still developing one set of "
    "measures for PCC-funded services (PQ 71061)."
)
CRIME_NOTE = (
    "Not confirmed: the crime types are those the office's victims' services framework asks providers for."
)
COPE_NOTE = (
    "Not confirmed: the grant pays for services that help victims cope and recover (MoJ, 2014); the "
    "measure and its wording are the office's."
)
WHO_NOTE = (
    "Not confirmed: the Ministry's 2024 commissioning guidance asks for support for child victims and "
    "marginalised groups; these counts are the office's."
)
ISVA_NOTE = (
    "Not confirmed: the ring-fenced money pays for ISVA and IDVA posts; the Ministry's caseload and post "
    "measures could not be found, so this reports what the services the line pays for delivered."
)

# key, title, services counted (blank: every grant line), description, fields:
#   (label, figure, indicator key or grant line, confirmed, note)
SECTIONS = [
    (
        "spend",
        "Spend against the Ministry of Justice grant",
        "",
        "Each grant line's income for the year, and what was paid in the period from the pots it pays for: each "
        "payment counts against a line in proportion to the line's part of its pot.",
        [
            ("Core grant for the year", GRANT, CORE, True, SPEND_NOTE),
            ("Core grant spent in the period", SPENT, CORE, True, SPEND_NOTE),
            ("General grant for the year", GRANT, GENERAL, True, SPEND_NOTE),
            ("General grant spent in the period", SPENT, GENERAL, True, SPEND_NOTE),
            ("ISVA and IDVA grant (ring-fenced) for the year", GRANT, ISVA_IDVA, True, SPEND_NOTE),
            ("ISVA and IDVA grant (ring-fenced) spent in the period", SPENT, ISVA_IDVA, True, SPEND_NOTE),
        ],
    ),
    (
        "victims-supported",
        "Victims referred and supported",
        "",
        "",
        [
            ("Referrals received", INDICATOR, "referrals-received", False, OUTPUT_NOTE),
            ("Victims supported", INDICATOR, "people-supported", False, OUTPUT_NOTE),
        ],
    ),
    (
        "crime-types",
        "Referrals by crime type",
        "",
        "",
        [
            (f"Referrals: {name.lower()}", INDICATOR, crime_type_key(name), False, CRIME_NOTE)
            for name in (
                "Domestic abuse",
                "Sexual violence",
                "Stalking and harassment",
                "Hate crime",
                "Fraud and cyber crime",
                "Violence against the person",
                "Anti-social behaviour",
                "Other crime types",
            )
        ],
    ),
    (
        "cope-and-recover",
        "Needs-based outcomes",
        "",
        "Of the service users who left a service in the period, how many said so at exit: the total of those who "
        "said so over the total who left, never an average of services' percentages.",
        [
            (
                "Better able to cope and recover",
                INDICATOR,
                "better-able-to-cope-and-recover",
                False,
                COPE_NOTE,
            ),
            ("Feel safer", INDICATOR, "feel-safer", False, COPE_NOTE),
            (
                "Better informed and empowered to act",
                INDICATOR,
                "better-informed-and-empowered",
                False,
                COPE_NOTE,
            ),
            ("Improved health and wellbeing", INDICATOR, "improved-health-and-wellbeing", False, COPE_NOTE),
        ],
    ),
    (
        "isva-idva",
        "ISVA and IDVA services",
        ISVA_IDVA,
        "",
        [
            ("Referrals received", INDICATOR, "referrals-received", False, ISVA_NOTE),
            ("Victims supported", INDICATOR, "people-supported", False, ISVA_NOTE),
            ("Referrals: domestic abuse", INDICATOR, crime_type_key("Domestic abuse"), False, ISVA_NOTE),
            ("Referrals: sexual violence", INDICATOR, crime_type_key("Sexual violence"), False, ISVA_NOTE),
        ],
    ),
    (
        "who-was-supported",
        "Who was supported",
        "",
        "Counts only, from the optional questions providers answer: never about an individual.",
        [
            ("Aged under 18", INDICATOR, "people-supported-aged-under-18", False, WHO_NOTE),
            ("Aged 65 or over", INDICATOR, "people-supported-aged-65-or-over", False, WHO_NOTE),
            ("Disabled", INDICATOR, "people-supported-disabled", False, WHO_NOTE),
            (
                "From ethnic minority backgrounds",
                INDICATOR,
                "people-supported-ethnic-minority",
                False,
                WHO_NOTE,
            ),
        ],
    ),
]


def ensure_defaults(apps=None) -> int:
    """Write the default sections that are missing, each with its fields; a section already there (by key) is left
    as the head of commissioning keeps it, so running this again changes nothing. A field whose indicator is no
    longer in the catalogue is left out. Used by the migration (with its `apps`), the demo and the tests.
    Returns how many sections it wrote."""
    apps = apps or global_apps
    section_model = apps.get_model("reporting", "MojReturnSection")
    field_model = apps.get_model("reporting", "MojReturnField")
    indicators = dict(apps.get_model("reporting", "OutcomeIndicator").objects.values_list("key", "pk"))
    written = 0
    for order, (key, title, source, description, fields) in enumerate(SECTIONS, start=1):
        if section_model.objects.filter(key=key).exists():
            continue
        taken = set(section_model.objects.values_list("position", flat=True))
        position = order * 10 if order * 10 not in taken else max(taken) + 10
        section = section_model.objects.create(
            key=key, title=title, position=position, income_source=source, description=description
        )
        for number, (label, figure, target, confirmed, note) in enumerate(fields, start=1):
            mapping = (
                {"indicator_id": indicators.get(target)} if figure == INDICATOR else {"income_source": target}
            )
            if figure == INDICATOR and mapping["indicator_id"] is None:
                continue
            field_model.objects.create(
                section=section,
                position=number * 10,
                label=label,
                figure=figure,
                confirmed=confirmed,
                source_note=note,
                **mapping,
            )
        written += 1
    return written
