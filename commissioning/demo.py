"""Demo commissions at every stage of the cycle, built through the same services staff use.

Idempotent: each commission is found by its title and left alone once it exists. Money comes from
pots with room: the signed single tender contract from the current year's victim services pot (about
£170k left) and next year's (a draft year, all headroom); the Review and re-commission examples are the
funding demo's existing 3+1 victim services contracts (from April of FY-2, ending with the current year),
recorded as contracts let before this system. Two contracts let under the Procurement Act before this system
(demo_act.PAID_CONTRACTS) are paid on their invoices; the victim services pot of each year they run in is raised from
the year's unallocated money by what it lacks.

Every date is relative to the day the demo is seeded (seeded on 2 December 2026: the tender published on
1 September and closed on 15 October, the single tender contract signed on 18 November and starting on
1 January, the quotes received in early November).

The stories live beside this module: demo_cycle (a commission at each stage outside a tender), demo_tenders (the
tenders) and demo_act (the Procurement Act's records); demo_helpers holds what they share.
"""

from functools import partial

from django.db import transaction

from commissioning import demo_act, demo_cycle, demo_tenders
from commissioning.demo_helpers import Cast
from commissioning.models import Commission

# Each commission's story in the order the demo tells them, by the title that makes it idempotent.
STORIES = [
    ("Domestic abuse perpetrator programme", demo_cycle.perpetrator_programme),
    ("Victim Advice Line", demo_cycle.victim_advice_line),
    ("ISVA service for children and young people", demo_tenders.isva_tender),
    ("Sexual violence support hub", demo_tenders.sexual_violence_hub),
    ("Modern slavery victim navigator", demo_cycle.modern_slavery_navigator),
    ("Stalking advocacy service", demo_cycle.stalking_advocacy),
    ("Translated information for victims", demo_cycle.translated_information),
    *((row[0], partial(demo_cycle.area_contract, row=row)) for row in demo_cycle.AREA_CONTRACTS),
    ("Victims' information website and referral portal", demo_tenders.victims_website),
    *((row[0], partial(demo_act.paid_contract, row=row)) for row in demo_act.PAID_CONTRACTS),
]


@transaction.atomic
def load(stdout=None):
    cast = Cast.load()
    existing = set(Commission.objects.values_list("title", flat=True))
    for title, tell in STORIES:
        if title not in existing:
            tell(cast)
    if stdout:
        stdout.write(f"Commissioning: {Commission.objects.count()} commissions.")
