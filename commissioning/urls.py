from django.urls import path

from commissioning.views import award as a
from commissioning.views import bids as b
from commissioning.views import changes as ch
from commissioning.views import commissions as c
from commissioning.views import conflicts as x
from commissioning.views import contracts as k
from commissioning.views import evaluation as e
from commissioning.views import moderation as m
from commissioning.views import notices as n
from commissioning.views import procurement as p
from commissioning.views import single_tender as s
from commissioning.views import tenders as t

app_name = "commissioning"

urlpatterns = [
    path("", c.index, name="index"),
    path("new/", c.create, name="create"),
    path("procurement-bands/", c.bands, name="bands"),
    path("waiting/", c.waiting, name="waiting"),
    path("debarment-list/", x.debarment_list, name="debarment-list"),
    path("evaluations/", e.evaluations, name="evaluations"),
    path("evaluations/<int:tender_pk>/", e.evaluate, name="evaluate"),
    path("evaluations/bids/<int:bid_pk>/", e.score, name="score"),
    path("notices/<int:notice_pk>/", n.notice, name="notice"),
    path("notices/<int:notice_pk>/ocds.json", n.notice_ocds, name="notice-ocds"),
    path("notices/<int:notice_pk>/not-needed/", n.set_aside, name="notice-set-aside"),
    path("notices/<int:notice_pk>/<str:name>/", n.notice_move, name="notice-move"),
    path("assessment-summaries/", a.my_summaries, name="my-summaries"),
    path("assessment-summaries/<int:summary_pk>/", a.my_summary, name="my-summary"),
    path("<int:pk>/", c.detail, name="detail"),
    path("<int:pk>/understand/", c.understand, name="understand"),
    path("<int:pk>/plan/", c.plan, name="plan"),
    path("<int:pk>/do/", c.do, name="do"),
    path("<int:pk>/review/", c.review, name="review"),
    path("<int:pk>/edit/<slug:key>/", c.section, name="section"),
    path("<int:pk>/needs-assessment/", c.upload, name="upload"),
    path("<int:pk>/outcome-measures/", c.measures, name="measures"),
    path("<int:pk>/outcome-measures/<int:measure_pk>/remove/", c.measure_remove, name="measure-remove"),
    path("<int:pk>/partners/", c.partners, name="partners"),
    path("<int:pk>/move/<str:name>/", c.move, name="move"),
    path("<int:pk>/route/", p.route, name="route"),
    path("<int:pk>/quotes/", p.quotes, name="quotes"),
    path("<int:pk>/quotes/choose/", p.choose_quote, name="choose-quote"),
    path("<int:pk>/tender/", t.tender, name="tender"),
    path("<int:pk>/tender/criteria/", t.criteria, name="criteria"),
    path("<int:pk>/tender/bids/", t.bids, name="bids"),
    path("<int:pk>/tender/bids/new/", t.bid_create, name="bid-create"),
    path("<int:pk>/tender/bids/<int:bid_pk>/moderate/", m.moderate, name="moderate"),
    path("<int:pk>/tender/bids/<int:bid_pk>/change/", b.bid_change, name="bid-change"),
    path("<int:pk>/tender/bids/<int:bid_pk>/withdraw/", b.bid_withdraw, name="bid-withdraw"),
    path("<int:pk>/tender/bids/<int:bid_pk>/late/", b.bid_late, name="bid-late"),
    path("<int:pk>/tender/panel/", m.panel, name="panel"),
    path("<int:pk>/tender/panel/<int:member_pk>/remove/", b.panel_remove, name="panel-remove"),
    path("<int:pk>/tender/results/", m.results, name="results"),
    path("<int:pk>/single-tender/", s.single_tender, name="sta"),
    path("<int:pk>/single-tender/sign/", s.sign_single_tender, name="sta-sign"),
    path("<int:pk>/conflicts/", x.assessment, name="conflicts"),
    path("<int:pk>/conflicts/people/<int:user_pk>/", x.declare, name="conflicts-declare"),
    path("<int:pk>/conflicts/confirm/", x.confirm, name="conflicts-confirm"),
    path("<int:pk>/suppliers/", x.supplier_checks, name="supplier-checks"),
    path("<int:pk>/suppliers/<int:org_pk>/check/", x.supplier_check, name="supplier-check"),
    path("<int:pk>/notices/", n.notices, name="notices"),
    path("<int:pk>/notices/planned-procurement/", n.prepare_planned, name="notice-planned"),
    path("<int:pk>/decision/", k.decision, name="decision"),
    path("<int:pk>/award/", a.award, name="award"),
    path("<int:pk>/award/notice/", a.award_notice, name="award-notice"),
    path("<int:pk>/award/summaries/draw/", a.summaries_draw, name="summaries-draw"),
    path("<int:pk>/award/summaries/<int:summary_pk>/send/", a.summary_send, name="summary-send"),
    path("<int:pk>/contract/new/", k.contract_create, name="contract-create"),
    path("<int:pk>/contract/key-performance-indicators/", a.kpis, name="kpis"),
    path("<int:pk>/contract/extend/", k.extend, name="extend"),
    path("<int:pk>/contract/break/", k.break_notice, name="break"),
    path("<int:pk>/contract/changes/", ch.contract_changes, name="contract-changes"),
    path("<int:pk>/contract/changes/new/", ch.contract_change, name="contract-change"),
    path("<int:pk>/contract/changes/<int:change_pk>/apply/", ch.change_apply, name="contract-change-apply"),
    path("<int:pk>/contract/performance/new/", ch.assess_performance, name="assess-performance"),
    path("<int:pk>/review/decision/", k.review_decision, name="review-decision"),
    path("<int:pk>/review/decommissioning-plan/", k.decommission_plan, name="decommission-plan"),
]
